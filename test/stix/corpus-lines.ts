import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `.json` files under `dir`, any depth, in path order. */
export function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsonFiles(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/**
 * Every object of the fixtures under `dir`, each as one NDJSON line: bundles and envelopes give their objects, arrays
 * their elements, other JSON itself. Files that are not JSON (fixtures of the syntax checks) are skipped.
 */
export function corpusLines(dir: string): string[] {
  const lines: string[] = [];
  for (const file of jsonFiles(dir)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const record = doc as Record<string, unknown> | null;
    const items = Array.isArray(doc) ? doc : record !== null && typeof record === 'object' && Array.isArray(record['objects']) ? record['objects'] : [doc];
    for (const item of items as unknown[]) lines.push(JSON.stringify(item));
  }
  return lines;
}

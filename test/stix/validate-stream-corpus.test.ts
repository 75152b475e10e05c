import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { ParseDiagnostic } from '../../src/stix/parse.js';
import { validateStream } from '../../src/stix/validate-stream.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/corpus');

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsonFiles(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/** Every object of the corpus, each as one NDJSON line: bundles and arrays give their elements, other JSON itself. */
function corpusLines(): string[] {
  const lines: string[] = [];
  for (const file of jsonFiles(fixtures)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // not JSON: a fixture of the syntax checks
    }
    const record = doc as Record<string, unknown> | null;
    const items = Array.isArray(doc) ? doc : record !== null && typeof record === 'object' && Array.isArray(record['objects']) ? record['objects'] : [doc];
    for (const item of items as unknown[]) lines.push(JSON.stringify(item));
  }
  return lines;
}

async function findings(chunks: Array<string | Uint8Array>): Promise<{ valid: number; ds: ParseDiagnostic[] }> {
  const ds: ParseDiagnostic[] = [];
  const { valid } = await validateStream(chunks, { onDiagnostic: (d) => ds.push(d), positions: true });
  return { valid, ds };
}

describe('validateStream over the whole fixture corpus', () => {
  const lines = corpusLines();
  const text = lines.join('\n') + '\n';

  it('judges the corpus as NDJSON bytes, split and decoded line by line, exactly as the same text in one piece', async () => {
    expect(lines.length).toBeGreaterThan(500);
    const whole = await findings([text]);
    // The corpus holds valid and invalid objects: both verdicts occur, so the comparison covers findings of every kind.
    expect(whole.valid).toBeGreaterThan(100);
    expect(whole.ds.filter((d) => d.severity === 'error').length).toBeGreaterThan(100);
    const bytes = Buffer.from(text);
    for (const size of [997, 65536]) {
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
      expect(await findings(pieces)).toEqual(whole);
    }
  });
});

/**
 * Corpus-shaped STIX objects for the validation benchmarks: every valid object of the conformance corpus, varied so
 * that no two generated objects are byte-identical (no cache can help) while every one stays valid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { validate } from '../src/stix/validate.js';

type Obj = Record<string, unknown>;

const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/corpus/stix/valid');

/** The corpus's valid objects with no validation error: the shapes the generated objects take. */
export function corpusShapes(): Obj[] {
  const out: Obj[] = [];
  for (const file of readdirSync(corpus)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(join(corpus, file), 'utf8'));
    } catch {
      continue;
    }
    const items = Array.isArray(doc) ? doc : (doc as Obj).type === 'bundle' ? ((doc as Obj).objects as Obj[]) ?? [] : [doc];
    for (const o of items) {
      if (o !== null && typeof o === 'object' && typeof (o as Obj).type === 'string' && validate(o).every((d) => d.severity !== 'error')) {
        out.push(o as Obj);
      }
    }
  }
  return out;
}

/**
 * The i-th generated object from `shape`: SDOs/SROs get a fresh id, names and descriptions a number. SCOs keep their
 * ids (deterministic ids would otherwise draw a warning).
 */
export function varyShape(shape: Obj, i: number): Obj {
  const o: Obj = structuredClone(shape);
  const type = o.type as string;
  if (typeof o.id === 'string' && o.spec_version !== undefined && 'created' in o && type !== 'marking-definition') {
    o.id = `${type}--${randomUUID()}`;
  }
  if (typeof o.name === 'string') o.name = `${o.name} ${i}`;
  if (typeof o.description === 'string') o.description = `${o.description} (${i})`;
  return o;
}

/** `count` corpus-shaped objects, cycling through the shapes. */
export function corpusShapedObjects(count: number): { shapes: number; objects: Obj[] } {
  const shapes = corpusShapes();
  const objects: Obj[] = [];
  for (let i = 0; i < count; i++) objects.push(varyShape(shapes[i % shapes.length] as Obj, i));
  return { shapes: shapes.length, objects };
}

import { describe, expect, it } from '@jest/globals';
import { readStixObjects, recordsFromObjects } from '../../src/convert/stix-stream.js';
import type { StixRecord } from '../../src/convert/stix-stream.js';

async function read(chunks: Array<string | Uint8Array>, maxObjectLength?: number): Promise<StixRecord[]> {
  const out: StixRecord[] = [];
  for await (const r of readStixObjects(chunks, maxObjectLength === undefined ? {} : { maxObjectLength })) out.push(r);
  return out;
}

const ids = (records: StixRecord[]): Array<string | { error: string }> =>
  records.map((r) => (r.kind === 'object' ? String(r.object['id']) : { error: r.message }));

/** Every way of cutting `text` in two. */
function splits(text: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const A = { type: 'identity', id: 'identity--a', name: 'A "quoted" {brace} [bracket] \\ back,slash' };
const B = { type: 'indicator', id: 'indicator--b', pattern: "[domain-name:value = 'x']", extensions: { e: { list: [1, { x: '}' }] } } };

describe('readStixObjects', () => {
  it('reads NDJSON, one object a line, blank lines ignored', async () => {
    expect(ids(await read([`${JSON.stringify(A)}\n\n${JSON.stringify(B)}\n`]))).toEqual(['identity--a', 'indicator--b']);
  });

  it('reads the objects of a bundle and of a TAXII envelope, whatever the key order', async () => {
    const bundle = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [A, B] });
    expect(ids(await read([bundle]))).toEqual(['identity--a', 'indicator--b']);
    const late = `{"objects": [${JSON.stringify(A)}], "id": "bundle--2", "type": "bundle"}`;
    expect(ids(await read([late]))).toEqual(['identity--a']);
    const envelope = JSON.stringify({ more: false, objects: [B] });
    expect(ids(await read([envelope]))).toEqual(['indicator--b']);
  });

  it('reads a JSON array of objects and a single pretty-printed object', async () => {
    expect(ids(await read([JSON.stringify([A, B], null, 2)]))).toEqual(['identity--a', 'indicator--b']);
    expect(ids(await read([JSON.stringify(B, null, 2)]))).toEqual(['indicator--b']);
  });

  it('keeps an object whose own property is a dictionary named objects (observed-data) whole', async () => {
    const od = { type: 'observed-data', id: 'observed-data--1', objects: { '0': { type: 'ipv4-addr', value: '198.51.100.1' } } };
    const records = await read([JSON.stringify(od)]);
    expect(records).toEqual([{ kind: 'object', object: od, index: 0, line: 1, column: 1, pointer: '' }]);
  });

  it('says where each record starts (line, column, pointer), however the text is cut into chunks', async () => {
    // A pretty-printed bundle: its objects open on lines 5 and 10 (after "{", type, id, "objects": [), indented 4.
    const bundle = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [{ type: 'identity', id: 'identity--a', name: 'A' }, B] }, null, 2);
    const lines = bundle.split('\n');
    expect(lines[4]).toBe('    {');
    // NDJSON after a blank line: each line's object is a top-level object (pointer ''), at column 1.
    const ndjson = `${JSON.stringify(A)}\n\n  ${JSON.stringify(B)}\n`;
    for (const [text, expected] of [
      [bundle, [{ line: 5, column: 5, pointer: '/objects/0' }, { line: lines.findIndex((l, i) => i > 4 && l === '    {') + 1, column: 5, pointer: '/objects/1' }]],
      [ndjson, [{ line: 1, column: 1, pointer: '' }, { line: 3, column: 3, pointer: '' }]],
      [JSON.stringify([A, 7, B]), [{ line: 1, column: 2, pointer: '/0' }, { line: 1, column: JSON.stringify(A).length + 3, pointer: '/1' }, { line: 1, column: JSON.stringify(A).length + 5, pointer: '/2' }]],
    ] as const) {
      for (const parts of [[text], ...splits(text).filter((_, i) => i % 7 === 0)]) {
        const places = (await read(parts)).map((r) => ({ line: r.line, column: r.column, pointer: r.pointer }));
        expect(places).toEqual(expected);
      }
    }
  });

  it('gives the same objects however the text is cut into chunks', async () => {
    const text = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [A, B] });
    for (const parts of splits(text)) expect(ids(await read(parts))).toEqual(['identity--a', 'indicator--b']);
    const ndjson = `${JSON.stringify(A)}\n${JSON.stringify(B)}\n`;
    for (const parts of splits(ndjson)) expect(ids(await read(parts))).toEqual(['identity--a', 'indicator--b']);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = Buffer.from(JSON.stringify({ type: 'identity', id: 'identity--é', name: 'Laboratoire Ω' }));
    for (let i = 1; i < bytes.length; i++) {
      const records = await read([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(records[0]?.kind === 'object' ? records[0].object['name'] : undefined).toBe('Laboratoire Ω');
    }
  });

  it('reports a malformed object and goes on with the next one', async () => {
    const text = `[${JSON.stringify(A)}, {"type": "indicator", "id": oops}, ${JSON.stringify(B)}]`;
    const records = await read([text]);
    expect(records.map((r) => r.kind)).toEqual(['object', 'error', 'object']);
    expect(records[1]).toMatchObject({ kind: 'error', index: 1 });
    expect(records[2]).toMatchObject({ kind: 'object', index: 2 });
  });

  it('reports elements that are not objects', async () => {
    const records = await read(['[1, "two", null]']);
    expect(records.map((r) => (r.kind === 'error' ? r.message : 'object'))).toEqual(['not a JSON object', 'not a JSON object', 'not a JSON object']);
  });

  it('reports truncated input', async () => {
    const records = await read([`{"type":"bundle","objects":[${JSON.stringify(A)},{"type":"ind`]);
    expect(ids(records)).toEqual(['identity--a', { error: 'the input ended inside a JSON value (truncated object, bundle or array)' }]);
  });

  it('reports text that is not JSON at all and resumes on the next line', async () => {
    const records = await read([`hello world\n${JSON.stringify(A)}\n`]);
    expect(ids(records)).toEqual([{ error: "unexpected character 'h' where a JSON object or array should start" }, 'identity--a']);
  });

  it('skips and reports an object longer than the limit without buffering it', async () => {
    const big = { type: 'note', id: 'note--big', content: 'x'.repeat(5000) };
    const text = JSON.stringify({ type: 'bundle', objects: [A, big, B] });
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 500) chunks.push(text.slice(i, i + 500));
    const records = await read(chunks, 2000);
    expect(ids(records)).toEqual(['identity--a', { error: 'an object is longer than 2000 characters; it was skipped' }, 'indicator--b']);
  });

  it('skips a byte-order mark', async () => {
    expect(ids(await read(['\ufeff' + JSON.stringify(A)]))).toEqual(['identity--a']);
  });

  it('wraps objects from code as records', async () => {
    const out: StixRecord[] = [];
    for await (const r of recordsFromObjects([A, 3])) out.push(r);
    expect(out).toEqual([
      { kind: 'object', object: A, index: 0 },
      { kind: 'error', index: 1, message: 'not a JSON object' },
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ParseDiagnostic } from '../../src/stix/parse.js';
import { parse } from '../../src/stix/parse.js';
import { validateStream } from '../../src/stix/validate-stream.js';

const identity = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--311b2d2d-f010-4473-83ec-${String(i).padStart(12, '0')}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: `ACME ${i}`,
  ...extra,
});

async function run(chunks: Array<string | Uint8Array>, maxLineLength?: number): Promise<{ shape: string; valid: number; ds: ParseDiagnostic[] }> {
  const ds: ParseDiagnostic[] = [];
  const s = await validateStream(chunks, { onDiagnostic: (d) => ds.push(d), ...(maxLineLength === undefined ? {} : { maxLineLength }) });
  return { ...s, ds };
}

/** Cuts `text` into pieces of `size` bytes, so records and multi-byte characters straddle chunk boundaries. */
function bytes(text: string, size: number): Uint8Array[] {
  const b = Buffer.from(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

describe('validateStream', () => {
  const ndjson = [identity(1), identity(2, { name: 'Zürich 研究所', x_rank: 1 }), { ...identity(3), modified: '2025-01-01T00:00:00.000Z' }]
    .map((o) => JSON.stringify(o))
    .join('\r\n');

  it('finds in NDJSON cut at any byte what parse() finds in the whole text, with line numbers', async () => {
    const whole = parse(ndjson);
    for (const size of [1, 7, 64, 1 << 20]) {
      const r = await run(bytes(ndjson, size));
      expect(r.shape).toBe('ndjson');
      expect(r.ds).toEqual(whole.diagnostics);
      expect(r.valid).toBe(whole.objects.length);
    }
    // The third object's modified precedes its created (§3.2), the second carries a custom property (§11.1).
    expect(whole.diagnostics.map((d) => [d.line, d.path, d.code])).toEqual([
      [2, '/1/x_rank', 'custom-property'],
      [3, '/2/modified', 'timestamp-order'],
    ]);
  });

  it('reads a pretty-printed bundle, or a single object on one line, as one document', async () => {
    const bundle = JSON.stringify({ type: 'bundle', id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects: [identity(1, { x_rank: 2 })] }, null, 2);
    const r = await run(bytes(bundle, 5));
    expect(r.shape).toBe('document');
    expect(r.ds.map((d) => d.path)).toEqual(['/objects/0/x_rank']);
    const single = await run([JSON.stringify(identity(1, { x_rank: 2 })) + '\n\n']);
    expect(single.ds.map((d) => d.path)).toEqual(['/x_rank']);
    expect(single.valid).toBe(1);
  });

  it('reports a line that is not JSON, and one longer than the limit, and goes on', async () => {
    const long = JSON.stringify(identity(2, { description: 'x'.repeat(500) }));
    const text = [JSON.stringify(identity(1)), '{"type": oops}', long, JSON.stringify(identity(4))].join('\n') + '\n';
    for (const size of [16, 1 << 20]) {
      const r = await run(bytes(text, size), 400);
      expect(r.ds.map((d) => [d.code, d.line, d.path])).toEqual([
        ['json-syntax', 2, '/1'],
        ['json-too-long', 3, '/2'],
      ]);
      expect(r.valid).toBe(2);
    }
  });

  it('judges NDJSON bytes cut anywhere as the same text in one piece: invalid UTF-8, multi-byte limits, CRLF', async () => {
    const line = (o: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify(o));
    // 100 three-byte characters in an object of about 300 UTF-16 units but 500 bytes, under a limit of 400 units;
    // 300 of them make it about 500 units, over it.
    const wide = line(identity(3, { description: '研'.repeat(100) }));
    const tooWide = line(identity(4, { description: '研'.repeat(300) }));
    const two = JSON.stringify(identity(2));
    const cut = two.indexOf('ACME');
    const input = Buffer.concat([
      line(identity(1)),
      Buffer.from('\r\n'),
      // An invalid byte inside a string (it reads as U+FFFD: still JSON), a truncated sequence ending a line, a lone
      // continuation byte, and a truncated sequence ending the input.
      Buffer.from(two.slice(0, cut)),
      Buffer.from([0xff]),
      Buffer.from(two.slice(cut) + '\n{"x":1}'),
      Buffer.from([0xe7, 0xa0]),
      Buffer.from('\n'),
      Buffer.from([0x80]),
      Buffer.from('\n'),
      wide,
      Buffer.from('\n'),
      tooWide,
      Buffer.from('\n'),
      line(identity(5, { name: 'Zürich' })),
      Buffer.from('\n'),
      line(identity(6)).subarray(0, 20),
      Buffer.from([0xc3]),
    ]);
    const whole = await run([input.toString('utf8')], 400);
    expect(whole.ds.map((d) => [d.code, d.line])).toEqual([
      ['json-syntax', 3],
      ['json-syntax', 4],
      ['json-too-long', 6],
      ['json-syntax', 8],
    ]);
    expect(whole.valid).toBe(4);
    for (const size of [1, 2, 3, 5, 64, 1 << 20]) {
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < input.length; i += size) pieces.push(input.subarray(i, i + size));
      const r = await run(pieces, 400);
      expect(r.ds).toEqual(whole.ds);
      expect(r.valid).toBe(whole.valid);
    }
  });

  it('reports each unsafe value of a line once, as parse() does', async () => {
    const proto = JSON.stringify(identity(1)).replace(/}$/, ',"__proto__":{"x":1}}');
    const huge = JSON.stringify(identity(2)).replace(/}$/, ',"x_n":1e400}');
    const text = [proto, huge, JSON.stringify(identity(3))].join('\n');
    const r = await run([text]);
    expect(r.ds.map((d) => [d.code, d.line, d.path])).toEqual([
      ['json-unsafe-key', 1, '/0/__proto__'],
      ['json-number-out-of-range', 2, '/1/x_n'],
    ]);
    expect(r.ds).toEqual(parse(text).diagnostics);
    expect(r.valid).toBe(1);
  });

  describe('documents read element by element', () => {
    const BUNDLE_ID = 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2';
    // Strings holding brackets, commas, quotes and escapes, which the scanner must not take for structure.
    const tricky = identity(7, { description: 'a "quoted" [list], {brace}, back\\slash \\" end', x_rank: 1.5e3 });
    const dup = { ...identity(8), name: 'other content, same id and modified' };
    const objects = [identity(1), tricky, identity(8), 42, dup, identity(9, { modified: '2020-01-01T00:00:00.000Z' })];
    /**
     * Sorted, so findings that come in another order (the bundle's own ones come last here) compare equal; without the
     * line of the element that the stream adds to each object's findings (parse() has none to give).
     */
    const sorted = (ds: ParseDiagnostic[]): ParseDiagnostic[] =>
      ds
        .map((d) => (d.code.startsWith('json-') ? d : { code: d.code, severity: d.severity, path: d.path, message: d.message }))
        .sort((a, b) => (a.path + a.code < b.path + b.code ? -1 : 1));

    const inputs: Array<[string, string]> = [
      ['a pretty bundle', JSON.stringify({ type: 'bundle', id: BUNDLE_ID, objects }, null, 2)],
      ['a one-line bundle', JSON.stringify({ type: 'bundle', id: BUNDLE_ID, objects })],
      // json.dumps(sort_keys=True) puts "objects" before "spec_version" and "type".
      ['a bundle with sorted keys', JSON.stringify({ id: BUNDLE_ID, objects, spec_version: '2.1', type: 'bundle' })],
      ['a TAXII envelope', JSON.stringify({ more: false, objects })],
      ['a JSON array', JSON.stringify(objects, null, 1)],
      ['a bundle with a BOM and an empty list', '\ufeff' + JSON.stringify({ type: 'bundle', id: BUNDLE_ID, objects: [] })],
    ];

    it.each(inputs)('finds in %s cut at any byte what parse() finds', async (_name, text) => {
      const whole = parse(text);
      expect(whole.diagnostics.length).toBeGreaterThan(0);
      for (const size of [1, 13, 1 << 20]) {
        const r = await run(bytes(text, size));
        expect(r.shape).toBe('document');
        expect(sorted(r.ds)).toEqual(sorted(whole.diagnostics));
        expect(r.valid).toBe(whole.objects.length);
      }
    });

    it('judges the objects of a bundle: duplicate versions, non-objects, bundle properties', async () => {
      const r = await run([inputs[2]?.[1] ?? '']);
      const codes = r.ds.map((d) => `${d.path} ${d.code}`).sort();
      // Worked out from the input: element 3 is 42 (the bundle schema wants objects), element 4 shares id and modified
      // with element 2 but not its content (§3.6), element 5 is modified before created (§3.2), tricky's x_rank is
      // custom (§11.1), and a 2.1 bundle has no spec_version (§8).
      expect(codes).toEqual([
        '/objects/1/x_rank custom-property',
        '/objects/3 schema-type',
        '/objects/4/modified duplicate-version',
        '/objects/5/modified timestamp-order',
        '/spec_version bundle-spec-version',
      ]);
      // Objects 0 and 1 are clean (1 has only a warning); 2 is clean; 4 and 5 have errors; 42 is not an object.
      expect(r.valid).toBe(3);
    });

    it('places syntax errors in the document, inside an element or between elements', async () => {
      const good = JSON.stringify(identity(1));
      const cases: Array<[string, number, number]> = [
        // An element that is not JSON: the error is at its bad token, on its own line.
        [`{"type": "bundle", "id": "${BUNDLE_ID}", "objects": [\n  ${good},\n  {"type": oops}\n]}`, 3, 12],
        // A trailing comma before the list's end.
        [`[\n${good},\n]`, 3, 1],
        // Two commas.
        [`[${good},,${good}]`, 1, good.length + 3],
        // Text after the document.
        [`[${good}] x`, 1, good.length + 4],
        // The input ends inside the list.
        [`{"type": "bundle", "id": "${BUNDLE_ID}", "objects": [${good}`, 1, `{"type": "bundle", "id": "${BUNDLE_ID}", "objects": [`.length + good.length + 1],
      ];
      for (const [text, line, column] of cases) {
        for (const size of [3, 1 << 20]) {
          const r = await run(bytes(text, size));
          const syntax = r.ds.filter((d) => d.code === 'json-syntax');
          expect([text, syntax.map((d) => [d.line, d.column])]).toEqual([text, [[line, column]]]);
          expect(r.valid).toBe(0);
        }
      }
    });

    it('skips an element longer than the limit and goes on', async () => {
      const long = identity(2, { description: 'x'.repeat(500) });
      const text = JSON.stringify({ type: 'bundle', id: BUNDLE_ID, objects: [identity(1), long, identity(3)] }, null, 1);
      const r = await run(bytes(text, 64), 400);
      // Lines: {, type, id, "objects": [, then identity(1) on lines 5-12 (six properties), the long one from line 13.
      expect(r.ds.map((d) => [d.code, d.path, d.line])).toEqual([['json-too-long', '/objects/1', 13]]);
      expect(r.valid).toBe(2);
    });

    it('reports an object type that follows a list read as a bundle', async () => {
      const text = JSON.stringify({ id: 'x-foo--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects: [identity(1)], type: 'x-foo' });
      const r = await run([text]);
      expect(r.ds.map((d) => [d.code, d.path])).toContainEqual(['document-shape', '/type']);
      // With the type first, the object is read whole, as parse() reads it.
      const first = JSON.stringify({ type: 'x-foo', id: 'x-foo--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects: [identity(1)] });
      const whole = parse(first);
      expect(sorted((await run([first])).ds)).toEqual(sorted(whole.diagnostics));
    });
  });

  it('judges any bundle, envelope or array, cut anywhere, as parse() judges the whole text (property)', async () => {
    // Objects whose strings hold the characters the scanner must see through, some with findings, some duplicates.
    const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((t) => t + '"}],{[\\');
    const object = fc.record({ n: fc.integer({ min: 0, max: 5 }), name: text, custom: fc.boolean(), late: fc.boolean() }).map(({ n, name, custom, late }) =>
      identity(n, { name, ...(custom ? { x_note: name } : {}), ...(late ? { modified: '2025-01-01T00:00:00.000Z' } : {}) }),
    );
    const shape = fc.constantFrom('bundle', 'sorted-bundle', 'envelope', 'array');
    await fc.assert(
      fc.asyncProperty(fc.array(object, { maxLength: 6 }), shape, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 64 }), async (objects, kind, indent, size) => {
        const value =
          kind === 'bundle'
            ? { type: 'bundle', id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects }
            : kind === 'sorted-bundle'
              ? { id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects, type: 'bundle' }
              : kind === 'envelope'
                ? { more: false, objects }
                : objects;
        const doc = JSON.stringify(value, null, indent);
        const whole = parse(doc);
        const r = await run(bytes(doc, size));
        const strip = (ds: ParseDiagnostic[]): unknown[] =>
          ds.map((d) => `${d.code} ${d.severity} ${d.path} ${d.message}`).sort();
        expect(strip(r.ds)).toEqual(strip(whole.diagnostics));
        expect(r.valid).toBe(whole.objects.length);
      }),
      { numRuns: 150 },
    );
  });

  it('places only the findings a positions function asks for (the others keep their line)', async () => {
    const text = [identity(1, { x_rank: 1 }), { ...identity(2), modified: '2025-01-01T00:00:00.000Z' }].map((o) => JSON.stringify(o)).join('\n');
    const all: ParseDiagnostic[] = [];
    await validateStream([text], { positions: true, onDiagnostic: (d) => all.push(d) });
    const some: ParseDiagnostic[] = [];
    await validateStream([text], { positions: (d) => d.code === 'custom-property', onDiagnostic: (d) => some.push(d) });
    const byCode = (ds: ParseDiagnostic[], code: string): ParseDiagnostic | undefined => ds.find((d) => d.code === code);
    // x_rank is the last member of line 1: its key's column, as with positions for all.
    expect(byCode(some, 'custom-property')).toEqual(byCode(all, 'custom-property'));
    expect(byCode(some, 'custom-property')?.column).toBe(JSON.stringify(identity(1, { x_rank: 1 })).indexOf('"x_rank"') + 1);
    // The other keeps its line but no column.
    expect(byCode(some, 'timestamp-order')).toEqual(expect.objectContaining({ line: 2 }));
    expect(byCode(some, 'timestamp-order')?.column).toBeUndefined();
    expect(byCode(all, 'timestamp-order')?.column).toBeDefined();
  });
});


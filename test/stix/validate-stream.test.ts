import { describe, expect, it } from '@jest/globals';
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
});

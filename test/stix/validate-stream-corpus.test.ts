import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { ParseDiagnostic } from '../../src/stix/parse.js';
import { validateStream } from '../../src/stix/validate-stream.js';
import { corpusLines } from './corpus-lines.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/corpus');

async function findings(chunks: Array<string | Uint8Array>): Promise<{ valid: number; ds: ParseDiagnostic[] }> {
  const ds: ParseDiagnostic[] = [];
  const { valid } = await validateStream(chunks, { onDiagnostic: (d) => ds.push(d), positions: true });
  return { valid, ds };
}

describe('validateStream over the whole fixture corpus', () => {
  const lines = corpusLines(fixtures);
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

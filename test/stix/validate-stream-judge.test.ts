import { describe, expect, it } from '@jest/globals';
import type { ParseDiagnostic } from '../../src/stix/parse.js';
import { judgeRecords } from '../../src/stix/record-verdict.js';
import type { RecordJudge } from '../../src/stix/record-verdict.js';
import { validateStream } from '../../src/stix/validate-stream.js';
import { INDICATOR_ID as ID, indicatorLine as indicator } from './indicator-line.js';

/**
 * NDJSON records judged through a `judge` (as worker threads judge them for the CLI) must give exactly the findings,
 * order and count of judging on the reading thread, the checks across records included. The judge here answers
 * asynchronously and out of order (later batches first), as threads may.
 */


const lines = [
  indicator(),
  '',
  indicator({ description: 'other content, same version' }),
  '{"type": "identity", not json',
  indicator(),
  JSON.stringify({ type: 'identity', id: 'identity--311b2d2d-f010-4473-83ec-000000000001', created: '2016-01-01T00:00:00.000Z', modified: '2016-01-01T00:00:00.000Z', name: 'a 2.0 object' }),
  'x'.repeat(500),
  JSON.stringify({
    type: 'language-content',
    spec_version: '2.1',
    id: 'language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d',
    created: '2026-01-02T00:00:00.000Z',
    modified: '2026-01-02T00:00:00.000Z',
    object_ref: ID,
    object_modified: '2025-01-01T00:00:00.000Z',
    contents: { de: { description: 'Text' } },
  }),
  '{"a": 1, "a": 2}',
  indicator({ x_custom: 1, modified: '2026-02-01T00:00:00.000Z' }),
];

/** A judge that answers each batch after the next one has been asked for (or after a few turns at the end). */
let judged = 0;
function reorderingJudge(after: number, batchSize: number): RecordJudge {
  return {
    after,
    batchSize,
    maxInFlight: 2,
    judge: (batch, judging) => {
      judged += batch.texts.length;
      return new Promise((resolve) => setTimeout(() => resolve(judgeRecords(batch, judging)), 10 - batch.records.length));
    },
  };
}

async function run(text: string, judge?: RecordJudge): Promise<{ valid: number; ds: ParseDiagnostic[] }> {
  const ds: ParseDiagnostic[] = [];
  const chunks = [...Buffer.from(text)].reduce<Uint8Array[]>((out, _b, i, all) => (i % 97 === 0 ? [...out, Uint8Array.from(all.slice(i, i + 97))] : out), []);
  const s = await validateStream(chunks, { onDiagnostic: (d) => ds.push(d), maxLineLength: 400, positions: true, ...(judge === undefined ? {} : { judge }) });
  return { valid: s.valid, ds };
}

describe('validateStream with a record judge', () => {
  const text = lines.join('\n') + '\n';

  it('reports what the reading thread reports, in the same order, whatever the batch size and start', async () => {
    const here = await run(text);
    // What the input holds, worked out from the lines above (so the comparison below compares something).
    expect(here.ds.filter((d) => d.code === 'duplicate-version').map((d) => [d.line, d.message.includes('also occurs at line 1')])).toEqual([[3, true]]);
    expect(here.ds.find((d) => d.code === 'json-syntax')?.line).toBe(4);
    expect(here.ds.find((d) => d.code === 'json-too-long')?.line).toBe(7);
    expect(here.ds.find((d) => d.code === 'json-duplicate-key')?.line).toBe(9);
    expect(here.ds.find((d) => d.code === 'language-content-modified-mismatch')?.line).toBe(8);
    expect(here.ds.filter((d) => d.code === 'stix-2.0-content').map((d) => d.line)).toEqual([6]);
    for (const [after, size] of [
      [0, 1],
      [0, 3],
      [2, 2],
      [5, 100],
    ] as const) {
      judged = 0;
      expect(await run(text, reorderingJudge(after, size))).toEqual(here);
      // Every record after the start went to the judge (the over-long line is not sent: it is not read).
      expect(judged).toBe(lines.filter((l) => l !== '' && l.length <= 400).length - after);
    }
  });

  it('never starts the judge on an input shorter than its start', async () => {
    let asked = 0;
    const judge: RecordJudge = { ...reorderingJudge(lines.length, 2), judge: (b, j) => ((asked += 1), Promise.resolve(judgeRecords(b, j))) };
    expect(await run(text, judge)).toEqual(await run(text));
    expect(asked).toBe(0);
  });
});

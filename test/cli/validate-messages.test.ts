import { describe, expect, it } from '@jest/globals';
import { packBatch, packVerdicts, unpackBatch, unpackVerdicts } from '../../src/cli/validate-messages.js';
import { judgeRecords } from '../../src/stix/record-verdict.js';
import type { RecordBatch, RecordVerdict } from '../../src/stix/record-verdict.js';
import { indicatorLine } from '../stix/indicator-line.js';

/**
 * What crosses between validate's threads must come back exactly as judging made it: same verdicts, same members in
 * the same order (the JSON report prints findings member by member), through a real structured clone.
 */

const LANGUAGE_CONTENT = JSON.stringify({
  type: 'language-content',
  spec_version: '2.1',
  id: 'language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  object_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  object_modified: '2026-01-01T00:00:00.000Z',
  contents: { de: { name: 'Anzeiger' } },
});

const STIX_20 = JSON.stringify({
  type: 'indicator',
  id: 'indicator--0f6a1c3e-8b1e-4a5f-9c5b-0d8c3a3c8f51',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  labels: ['malicious-activity'],
  pattern: "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']",
  valid_from: '2016-01-01T00:00:00Z',
});

const TEXTS = [
  indicatorLine(),
  // Warnings (no name, an unknown property) and a non-ASCII description.
  indicatorLine({ name: undefined, x_unknown: 1, description: 'Grüße \u2028 "quoted"' }),
  'not json',
  '{"type": "identity", "type": "identity"}',
  '{"__proto__": {"polluted": true}, "type": "identity"}',
  // A number past 2^53 and a missing id: JSON safety and the schema.
  '{"type": "indicator", "n": 9007199254740993}',
  LANGUAGE_CONTENT,
  STIX_20,
  '',
  '{"type": "indicator", "spec_version": "2.1"}\r',
];

function batchOf(texts: readonly string[]): RecordBatch {
  return { texts, lines: texts.map((_, i) => 3 * i + 1), records: texts.map((_, i) => i + 7) };
}

/** Through the structured clone postMessage applies. */
function roundTrip(verdicts: RecordVerdict[]): RecordVerdict[] {
  return unpackVerdicts(structuredClone(packVerdicts(verdicts)));
}

describe('validate thread messages', () => {
  it('gives back the batch of texts, lines and record numbers it packed (texts of one line each, any characters)', () => {
    const batch = batchOf(TEXTS);
    const back = unpackBatch(structuredClone(packBatch(batch)));
    expect(back).toEqual({ texts: TEXTS, lines: [1, 4, 7, 10, 13, 16, 19, 22, 25, 28], records: [7, 8, 9, 10, 11, 12, 13, 14, 15, 16] });
  });

  it('gives back every kind of verdict, members in the same order', () => {
    const verdicts = judgeRecords(batchOf(TEXTS), { strict: false, maxDepth: 64 });
    // The input holds what the packing must carry: not JSON, findings, STIX 2.0, notes with and without a version.
    expect(verdicts[2]?.kind).toBe('not-json');
    const judged = verdicts.filter((v): v is Extract<RecordVerdict, { kind: 'judged' }> => v.kind === 'judged');
    expect(judged.some((v) => v.stix20)).toBe(true);
    expect(judged.some((v) => v.note?.languageContent !== undefined)).toBe(true);
    expect(judged.some((v) => v.note !== undefined && v.note.digest === undefined)).toBe(false);
    expect(judged.some((v) => v.found.some((d) => d.code === 'json-duplicate-key'))).toBe(true);
    expect(judged.some((v) => v.found.some((d) => d.code === 'json-unsafe-key'))).toBe(true);
    const back = roundTrip(verdicts);
    expect(back).toEqual(verdicts);
    expect(JSON.stringify(back)).toBe(JSON.stringify(verdicts));
  });

  it('keeps findings of any member order and notes without a version', () => {
    const verdicts: RecordVerdict[] = [
      { kind: 'not-json' },
      { kind: 'not-json', diagnostic: { code: 'json-syntax', severity: 'error', path: '/3', message: 'not valid JSON', line: 4, column: 2 } },
      {
        kind: 'judged',
        found: [
          { severity: 'warning', code: 'b', message: 'm', path: '/3/x' },
          { code: 'a', severity: 'error', path: '', message: '' },
        ],
        stix20: false,
        note: { id: 'indicator--x' },
        noteAt: 1,
      },
      { kind: 'judged', found: [], stix20: true },
    ];
    const back = roundTrip(verdicts);
    expect(JSON.stringify(back)).toBe(JSON.stringify(verdicts));
    expect(Object.keys((back[2] as Extract<RecordVerdict, { kind: 'judged' }>).found[0] ?? {})).toEqual(['severity', 'code', 'message', 'path']);
  });

  it('packs a batch of no records, and of one empty text', () => {
    expect(roundTrip([])).toEqual([]);
    expect(unpackBatch(structuredClone(packBatch(batchOf([]))))).toEqual({ texts: [], lines: [], records: [] });
    expect(unpackBatch(structuredClone(packBatch(batchOf(['']))))).toEqual({ texts: [''], lines: [1], records: [7] });
  });
});

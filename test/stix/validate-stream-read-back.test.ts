import { describe, expect, it } from '@jest/globals';
import type { TextSpan } from '../../src/stix/input-checks.js';
import type { ParseDiagnostic } from '../../src/stix/parse.js';
import type { RecordBatch, RecordJudge, RecordJudging } from '../../src/stix/record-verdict.js';
import { judgeRecords } from '../../src/stix/record-verdict.js';
import { validateStream } from '../../src/stix/validate-stream.js';

/**
 * NDJSON read as bytes from an input that can be read again: versions are kept as where their text lies and read back
 * only when a second version with the same id and modified turns up. The findings must be those of hashing every
 * text (no read-back), and what is read back must be exactly the first version's text.
 */

const ID = 'identity--311b2d2d-f010-4473-83ec-000000000001';
const version = (extra: Record<string, unknown> = {}, space?: number): string =>
  JSON.stringify(
    { type: 'identity', spec_version: '2.1', id: ID, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'Zürich 研究所', ...extra },
    null,
    space,
  ).replace(/\n\s*/g, ' ');
const other = (i: number): string =>
  JSON.stringify({ type: 'identity', spec_version: '2.1', id: `identity--311b2d2d-f010-4473-83ec-${String(100 + i).padStart(12, '0')}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: `n${i}` });

// The first lines are read as text until the stream has seen that the input is NDJSON (and the line it was in is
// finished), the rest as bytes: with small chunks, from line 3 on; with chunks of 1 MiB, none of this input.
const LINES = [
  other(0),
  other(1),
  other(2),
  version(), // line 4: the first version
  version(), // 5: the same text: no finding
  version({}, 1), // 6: the same object spaced otherwise: other content as text
  version({ name: 'Genf' }), // 7: other content
  version() + '\r', // 8: the same text ended by CRLF: no finding
  other(3),
  version({ description: 'é'.repeat(3000) }), // 10: other content, long enough to straddle chunks
];
const INPUT = Buffer.from(LINES.join('\n') + '\n');

function chunks(size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < INPUT.length; i += size) out.push(INPUT.subarray(i, i + size));
  return out;
}

interface Run {
  readonly findings: string[];
  readonly readBack: string[];
}

async function run(size: number, readBack: boolean, judge?: RecordJudge): Promise<Run> {
  const ds: ParseDiagnostic[] = [];
  const read: string[] = [];
  await validateStream(chunks(size), {
    onDiagnostic: (d) => ds.push(d),
    ...(judge === undefined ? {} : { judge }),
    ...(readBack
      ? {
          readBack: (span: TextSpan) => {
            const text = INPUT.toString('utf8', span.offset, span.offset + span.length);
            read.push(text);
            return text;
          },
        }
      : {}),
  });
  return { findings: ds.filter((d) => d.code === 'duplicate-version').map((d) => `${d.line ?? 0} ${d.message}`), readBack: read };
}

/** A judge on this thread that records what it was asked, as a worker pool would be. */
function recordingJudge(asked: RecordJudging[]): RecordJudge {
  return {
    after: 2,
    batchSize: 2,
    maxInFlight: 2,
    judge: (batch: RecordBatch, judging: RecordJudging) => {
      asked.push(judging);
      return Promise.resolve(judgeRecords(batch, judging));
    },
  };
}

describe('validateStream with readBack', () => {
  const expected = [6, 7, 10].map((line) => `${line} ${ID} version 2026-01-01T00:00:00.000Z also occurs at line 4 with other content: id and modified name one version (§3.6), so a receiver keeps only one of them`);

  it.each([
    [1, 5],
    [7, 5],
    [100, 5],
    [1 << 20, 0],
  ])('reports the versions hashing reports, reading back only the first version (chunks of %i bytes)', async (size, readBacks) => {
    const hashed = await run(size, false);
    expect(hashed.findings).toEqual(expected);
    const read = await run(size, true);
    expect(read.findings).toEqual(expected);
    // Line 4 is read back once for each later version sharing its id and modified (lines 5, 6, 7, 8 and 10), when it
    // was read as bytes; read as text, it was hashed.
    expect(read.readBack).toEqual(Array.from({ length: readBacks }, () => LINES[3]));
  });

  it('reports the same when records are judged elsewhere, and asks for no digest of records it can read back', async () => {
    const asked: RecordJudging[] = [];
    const read = await run(64, true, recordingJudge(asked));
    expect(read.findings).toEqual(expected);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((j) => j.digests === false)).toBe(true);
    const hashedAsked: RecordJudging[] = [];
    expect((await run(64, false, recordingJudge(hashedAsked))).findings).toEqual(expected);
    expect(hashedAsked.every((j) => j.digests === true)).toBe(true);
  });

  it('stops with the error reading back throws', async () => {
    const failing = validateStream(chunks(7), {
      onDiagnostic: () => undefined,
      readBack: () => {
        throw new Error('input changed');
      },
    });
    await expect(failing).rejects.toThrow('input changed');
  });
});

describe('validateStream with readBack: ids with more than one version', () => {
  const ID2 = 'identity--311b2d2d-f010-4473-83ec-000000000002';
  const A = '2026-01-01T00:00:00.000Z';
  const B = '2026-02-01T00:00:00.000Z';
  const identity = (modified: string, name: string): string =>
    JSON.stringify({ type: 'identity', spec_version: '2.1', id: ID2, created: A, modified, name });
  const translation = (n: number, objectModified: string): string =>
    JSON.stringify({
      type: 'language-content',
      spec_version: '2.1',
      id: `language-content--0c2a6e4a-6a1f-4e8b-9c55-00000000000${n}`,
      created: A,
      modified: A,
      object_ref: ID2,
      object_modified: objectModified,
      contents: { de: { name: 'Labor' } },
    });
  const lines = [
    other(0),
    other(1),
    identity(A, 'Lab'), // 3: the first version of ID2
    identity(B, 'Lab'), // 4: a second version: ID2 now has two
    identity(A, 'Lab renamed'), // 5: version A again, other content
    identity(B, 'Lab'), // 6: version B again, the same text
    translation(1, B), // 7: names version B, which is present
    translation(2, '2026-03-01T00:00:00.000Z'), // 8: names no version present
  ];
  const input = Buffer.from(lines.join('\n') + '\n');

  async function findings(readBack: boolean): Promise<string[]> {
    const ds: ParseDiagnostic[] = [];
    const pieces: Buffer[] = [];
    for (let i = 0; i < input.length; i += 50) pieces.push(input.subarray(i, i + 50));
    await validateStream(pieces, {
      onDiagnostic: (d) => ds.push(d),
      ...(readBack ? { readBack: (span: TextSpan) => input.toString('utf8', span.offset, span.offset + span.length) } : {}),
    });
    return ds.filter((d) => d.code === 'duplicate-version' || d.code === 'language-content-modified-mismatch').map((d) => `${d.line ?? 0} ${d.code}: ${d.message}`);
  }

  it('finds the first version of an id after it gained a second, and knows every version of it at the end', async () => {
    const expected = [
      `5 duplicate-version: ${ID2} version ${A} also occurs at line 3 with other content: id and modified name one version (§3.6), so a receiver keeps only one of them`,
      `8 language-content-modified-mismatch: object_modified 2026-03-01T00:00:00.000Z matches no version of ${ID2} in this content (modified ${A}, ${B}) (§7.1)`,
    ];
    expect(await findings(true)).toEqual(expected);
    expect(await findings(false)).toEqual(expected);
  });
});

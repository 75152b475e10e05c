import { describe, expect, it } from '@jest/globals';
import { judgeRecords } from '../../src/stix/record-verdict.js';
import { defaultValidateThreads, ValidatePool } from '../../src/cli/validate-pool.js';

describe('validate threads', () => {
  it('uses no thread on one or two cores, one per core beyond the first from three, at most four', () => {
    expect([1, 2, 3, 4, 5, 8, 64].map((n) => defaultValidateThreads(n))).toEqual([0, 0, 2, 3, 4, 4, 4]);
  });

  it('refuses a pool of no threads, and a queue of no batches', () => {
    expect(() => new ValidatePool({ threads: 0 })).toThrow(RangeError);
    expect(() => new ValidatePool({ threads: 1, queueDepth: 0 })).toThrow(/queueDepth must be a positive integer, not 0/);
  });

  it('gives the verdicts of judging here, also when its threads cannot run (here: sources under jest, no loader)', async () => {
    const pool = new ValidatePool({ threads: 2, after: 0, batchSize: 2 });
    const batch = { texts: ['{"type": "identity"}', 'not json', '{"a": 1, "a": 2}'], lines: [1, 2, 4], records: [0, 1, 2] };
    const judging = { strict: false, maxDepth: 64 };
    try {
      const verdicts = await pool.judge(batch, judging);
      expect(verdicts).toEqual(judgeRecords(batch, judging));
      expect(verdicts.map((v) => v.kind)).toEqual(['judged', 'not-json', 'judged']);
    } finally {
      await pool.close();
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { parseTime, recordFromObject } from '../../src/telemetry/index.js';

const base = { timestamp: '2026-03-02T00:00:00.480Z', account_id: 'acct-1', client_ip: '192.0.2.1', model: 'atlas-3', input_tokens: 1, output_tokens: 2 };

function created(value: unknown, unit?: 's' | 'ms' | 'ns'): number | string | undefined {
  const r = recordFromObject({ ...base, account_created: value }, unit);
  return r.record === undefined ? r.error : r.record.account_created;
}

describe('recordFromObject account_created', () => {
  it('reads creation times that share their last digits (one cache slot) each as its own date, again and again', () => {
    // Same seconds and milliseconds, other dates: the cache keyed on the last digits must still tell them apart.
    const values = ['2025-11-11T08:07:26.022Z', '2024-02-29T23:59:26.022Z', '2025-11-11T08:08:26.022Z', '1999-12-31T00:00:26.022Z'];
    const expected = [Date.UTC(2025, 10, 11, 8, 7, 26, 22), Date.UTC(2024, 1, 29, 23, 59, 26, 22), Date.UTC(2025, 10, 11, 8, 8, 26, 22), Date.UTC(1999, 11, 31, 0, 0, 26, 22)];
    for (let round = 0; round < 3; round++) {
      values.forEach((v, i) => expect({ v, t: created(v) }).toEqual({ v, t: expected[i] }));
    }
  });

  it('gives the same answer as parseTime for offsets, fractions, bad dates and epoch units, before and after a repeat', () => {
    const cases: Array<[unknown, 's' | 'ms' | 'ns' | undefined]> = [
      ['2026-01-30T08:00:00.5+01:00', undefined],
      ['2026-02-30T08:00:00.000Z', undefined],
      ['2026-01-30t08:00:00.123456Z', undefined],
      ['1767225600000000000000000', 'ns'],
      ['1767225600000000000000000', undefined],
      ['1767225600', 's'],
      [1767225600, 's'],
      ['not a date at all, 24 ch', undefined],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [v, unit] of cases) {
        const want = parseTime(v, unit);
        expect({ v, unit, got: created(v, unit) }).toEqual({ v, unit, got: typeof want === 'string' ? `account_created: ${want}` : want });
      }
    }
  });

  it('reads a date first seen under an epoch unit the same way without one', () => {
    expect(created('2026-01-01T00:00:00.000Z', 's')).toBe(Date.UTC(2026, 0, 1));
    expect(created('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1));
    expect(created('1767225600000', 'ms')).toBe(1767225600000);
    expect(created('1767225600000')).toBe('account_created: expected an RFC 3339 timestamp');
  });
});

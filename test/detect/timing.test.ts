import { describe, expect, it } from '@jest/globals';
import { TimingDetector } from '../../src/detect/timing.js';
import { Random } from '../../src/simulate/index.js';
import type { TelemetryRecord } from '../../src/telemetry/index.js';
import { HOUR, T0, feed, ids, req } from './records.js';

/** 300 background accounts, each one request an hour at a random moment, for 12 hours. */
function background(r: Random): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let h = 0; h < 12; h++) for (let i = 0; i < 300; i++) out.push(req({ account_id: `bg${i}`, timestamp: T0 + h * HOUR + Math.floor(r.float() * HOUR) }));
  return out;
}

describe('timing detector', () => {
  it('finds accounts a scheduler fires at the same second of the hour', () => {
    const r = new Random('timing');
    const records = background(r);
    // 40 accounts at 20:34 past every hour (second 1234, phase 123), with up to 3 s jitter.
    for (let h = 0; h < 12; h++) for (let i = 0; i < 40; i++) records.push(req({ account_id: `s${i}`, timestamp: T0 + h * HOUR + 1_234_000 + Math.floor(r.float() * 3000) }));
    // A lone cron job at its own second: on a schedule, but nobody shares it.
    for (let h = 0; h < 12; h++) records.push(req({ account_id: 'cron', timestamp: T0 + h * HOUR + 2_500_000 }));
    records.sort((a, b) => a.timestamp - b.timestamp);
    const d = new TimingDetector();
    const table = feed(records, d);
    const findings = d.finish(table).filter((f) => f.evidence['kind'] === 'shared-schedule');
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([Array.from({ length: 40 }, (_, i) => `s${i}`).sort()]);
    expect(findings[0]?.evidence['second_of_hour']).toBe(1230);
  });

  it('finds accounts bursting in the same minutes', () => {
    const r = new Random('bursts');
    const records = background(r);
    // 30 accounts active together in six minutes spread over the day, several requests each time.
    for (const minute of [17, 140, 290, 401, 522, 655]) for (let i = 0; i < 30; i++) for (let k = 0; k < 3; k++) records.push(req({ account_id: `b${i}`, timestamp: T0 + minute * 60_000 + Math.floor(r.float() * 50_000) }));
    records.sort((a, b) => a.timestamp - b.timestamp);
    const d = new TimingDetector();
    const table = feed(records, d);
    const findings = d.finish(table).filter((f) => f.evidence['kind'] === 'co-active-minutes');
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([Array.from({ length: 30 }, (_, i) => `b${i}`).sort()]);
    expect(findings[0]?.evidence['hot_minutes']).toBe(6);
  });

  it('counts each minute the same however the accounts interleave (account after account, or in time order)', () => {
    const r = new Random('bursts');
    const records = background(r);
    for (const minute of [17, 140, 290, 401, 522, 655]) for (let i = 0; i < 30; i++) for (let k = 0; k < 3; k++) records.push(req({ account_id: `b${i}`, timestamp: T0 + minute * 60_000 + Math.floor(r.float() * 50_000) }));
    records.sort((a, b) => a.timestamp - b.timestamp);
    // Each account's requests still in time order, but one account after another: every request opens a new run of
    // minutes, so counts of one minute are gathered from many separate runs.
    const byAccount = [...records].sort((a, b) => (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : a.timestamp - b.timestamp));
    const inOrder = new TimingDetector();
    const tableInOrder = feed(records, inOrder);
    const interleaved = new TimingDetector();
    const tableInterleaved = feed(byAccount, interleaved);
    const summary = (d: TimingDetector, table: ReturnType<typeof feed>) =>
      d.finish(table).map((f) => ({ accounts: ids(table, f.accounts), hot_minutes: f.evidence['hot_minutes'], kind: f.evidence['kind'] }));
    const expected = [{ accounts: Array.from({ length: 30 }, (_, i) => `b${i}`).sort(), hot_minutes: 6, kind: 'co-active-minutes' }];
    expect(summary(inOrder, tableInOrder)).toEqual(expected);
    expect(summary(interleaved, tableInterleaved)).toEqual(expected);
  });

  it('finds nothing in unsynchronised traffic', () => {
    const d = new TimingDetector();
    const records = background(new Random('quiet')).sort((a, b) => a.timestamp - b.timestamp);
    expect(d.finish(feed(records, d))).toEqual([]);
  });
});

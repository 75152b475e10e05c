import { describe, expect, it } from '@jest/globals';
import { ReleasePivotDetector } from '../../src/detect/release-pivot.js';
import { HOUR, T0, feed, req } from './records.js';
import type { TelemetryRecord } from '../../src/telemetry/index.js';

describe('release-pivot detector', () => {
  // Days 0-2 on m-1; m-2 first appears at 48 h. Population: 20 accounts, one request an hour, 1 in 10 on m-2 after release.
  const records: TelemetryRecord[] = [];
  for (let h = 0; h < 72; h++) {
    for (let i = 0; i < 20; i++) records.push(req({ account_id: `p${i}`, timestamp: T0 + h * HOUR + i, model: h >= 48 && (h + i) % 10 === 0 ? 'm-2' : 'm-1' }));
    // The group: 3 accounts moving half their traffic 4 h after release.
    for (let i = 0; i < 3; i++) records.push(req({ account_id: `g${i}`, timestamp: T0 + h * HOUR + 100 + i, model: h >= 52 && h % 2 === 0 ? 'm-2' : 'm-1' }));
  }
  records.sort((a, b) => a.timestamp - b.timestamp);
  const d = new ReleasePivotDetector();
  const table = feed(records, d);
  const index = (id: string) => table.list.find((a) => a.id === id)?.index as number;

  it('treats a model first seen after the first day as new', () => {
    // First m-2 request: hour 48, account p2 ((48 + 2) % 10 = 0), 2 ms into the hour.
    expect([...d.newModels]).toEqual([['m-2', T0 + 48 * HOUR + 2]]);
  });

  it('reports a group moving a large share to the new model within 24 h, against the population', () => {
    const e = d.groupPivot(['g0', 'g1', 'g2'].map(index));
    // Window 48-72 h: 24 requests each, on m-2 at even hours from 52: 52..70 → 10 of 24.
    expect(e).toMatchObject({ model: 'm-2', share_on_new_model: Math.round((10 / 24) * 100) / 100, median_hours_to_pivot: 4, pivoting_accounts: 3 });
    expect(e?.['population_share_on_new_model']).toBeCloseTo(0.1, 2);
  });

  it('does not report the early adopters of the population', () => {
    expect(d.groupPivot(['p0', 'p1', 'p2'].map(index))).toBeUndefined();
  });
});

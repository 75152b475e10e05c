import { describe, expect, it } from '@jest/globals';
import { VOLUME_Z, VolumeDetector, robustCentre } from '../../src/detect/volume.js';
import { feed, ids, req } from './records.js';

describe('volume detector', () => {
  it('centres on the median and scales by the MAD, unmoved by one outlier', () => {
    // median 3; deviations 2,1,0,1,97 → MAD 1 → scale 1.4826
    expect(robustCentre([1, 2, 3, 4, 100])).toEqual({ median: 3, scale: 1.4826 });
  });

  it('flags only the account far above the population, however many heavy users there are', () => {
    const records = [];
    // 30 accounts with 10..39 requests (log10 spread 1.0-1.59), one with 5000.
    for (let i = 0; i < 30; i++) for (let k = 0; k < 10 + i; k++) records.push(req({ account_id: `a${i}` }));
    for (let k = 0; k < 5000; k++) records.push(req({ account_id: 'big' }));
    const table = feed(records);
    const findings = new VolumeDetector().finish(table);
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([['big']]);
    expect(findings[0]?.evidence['requests']).toBe(5000);
    expect(findings[0]?.evidence['robust_z'] as number).toBeGreaterThanOrEqual(VOLUME_Z);
  });
});

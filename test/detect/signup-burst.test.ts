import { describe, expect, it } from '@jest/globals';
import { SignupBurstDetector } from '../../src/detect/signup-burst.js';
import { HOUR, T0, feed, ids, req } from './records.js';

describe('sign-up burst detector', () => {
  it('reports a channel burst of distinct customers, not an org signing up together', () => {
    const records = [];
    // 40 education sign-ups spread over 400 days: about 0.025 per 6-hour window.
    for (let i = 0; i < 40; i++) records.push(req({ account_id: `e${i}`, signup_channel: 'education', account_created: T0 - i * 10 * 24 * HOUR }));
    // Six within two hours, no org: a burst.
    for (let i = 0; i < 6; i++) records.push(req({ account_id: `burst${i}`, signup_channel: 'education', account_created: T0 + 13 * HOUR + i * 20 * 60_000 }));
    // Ten research accounts of one org within an hour: one customer.
    for (let i = 0; i < 10; i++) records.push(req({ account_id: `lab${i}`, org_id: 'uni', signup_channel: 'research-program', account_created: T0 + 2 * HOUR + i * 60_000 }));
    const table = feed(records);
    const findings = new SignupBurstDetector().finish(table);
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([['burst0', 'burst1', 'burst2', 'burst3', 'burst4', 'burst5']]);
    expect(findings[0]?.evidence).toMatchObject({ channel: 'education', window_start: new Date(T0 + 12 * HOUR).toISOString(), customers: 6 });
  });
});

import { describe, expect, it } from '@jest/globals';
import { buildCampaigns } from '../../src/detect/campaigns.js';
import { FanOutDetector } from '../../src/detect/fan-out.js';
import { ReleasePivotDetector } from '../../src/detect/release-pivot.js';
import type { Finding } from '../../src/detect/signals.js';
import { feed, req } from './records.js';

// Accounts 0-5 are a0..a5 (no org), 6-8 are one org's accounts.
const table = feed([...['a0', 'a1', 'a2', 'a3', 'a4', 'a5'].map((id) => req({ account_id: id })), ...['o0', 'o1', 'o2'].map((id) => req({ account_id: id, org_id: 'acme' }))]);
const ctx = { table, fanOut: new FanOutDetector(), pivot: new ReleasePivotDetector() };
const f = (signal: Finding['signal'], accounts: number[], key?: string): Finding => ({ signal, accounts, evidence: {}, ...(key === undefined ? {} : { key }) });

describe('campaign assembly', () => {
  it('keeps accounts with two kinds of signal, one linking, joined across at least three customers', () => {
    const campaigns = buildCampaigns(
      [
        f('shared-ip', [0, 1, 2, 3], 'ip:x'),
        f('template-reuse', [0, 1, 2], 'template:t'),
        // a3 shares the address but nothing else: left out (one kind only).
        f('volume', [3]),
      ],
      ctx,
    );
    expect(campaigns.map((c) => c.accounts)).toEqual([['a0', 'a1', 'a2']]);
    // Score: noisy-OR of 0.5 (shared-ip, all members) and 0.6 (template-reuse, all members) = 1 - 0.5 * 0.4.
    expect(campaigns[0]?.score).toBe(0.8);
    expect(campaigns[0]?.signals.map((s) => s.name)).toEqual(['template-reuse', 'shared-ip']);
  });

  it('does not make a campaign of a chain-of-thought account with no link, nor of one org', () => {
    expect(buildCampaigns([f('cot-elicitation', [0, 1, 2]), f('volume', [0, 1, 2])], ctx)).toEqual([]);
    expect(buildCampaigns([f('shared-ip', [6, 7, 8], 'ip:y'), f('template-reuse', [6, 7, 8], 'template:u')], ctx)).toEqual([]);
  });

  it('joins two groups through an account that links both, and drops a group below the minimum score', () => {
    const findings = [f('shared-payment', [0, 1, 2], 'payment:p'), f('signup-burst', [0, 1, 2, 3, 4], 'signup:education:1'), f('shared-payment', [3, 4, 2], 'payment:q')];
    expect(buildCampaigns(findings, ctx).map((c) => c.accounts)).toEqual([['a0', 'a1', 'a2', 'a3', 'a4']]);
    expect(buildCampaigns(findings, ctx, { minScore: 0.9 })).toEqual([]);
  });
});

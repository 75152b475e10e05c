import { describe, expect, it } from '@jest/globals';
import type { DetectedCampaign } from '../../src/detect/campaigns.js';
import { clusterMatches } from '../../src/match/clusters.js';
import type { IntelItem } from '../../src/match/intel.js';
import { emptyTally } from '../../src/match/matcher.js';
import type { ItemTally } from '../../src/match/matcher.js';

const item = (objectId: string): IntelItem => ({ kind: 'indicator', objectId, objectType: 'indicator', sightingOf: objectId, campaigns: [] });
const tally = (objectId: string, accounts: string[]): ItemTally => {
  const t = emptyTally(item(objectId), 0);
  for (const a of accounts) t.accounts.set(a, 1);
  return t;
};
const campaign = (id: string, accounts: string[]): DetectedCampaign =>
  ({ id, score: 0.9, accounts, customers: accounts.length, signals: [{ name: 'shared-ip', evidence: {} }] }) as unknown as DetectedCampaign;

describe('clusterMatches', () => {
  it('brings in the whole detected campaign behind any matched account, and only those campaigns', () => {
    const clusters = clusterMatches(
      [tally('indicator--a', ['x1', 'lone']), tally('indicator--b', ['y1'])],
      [campaign('c-x', ['x1', 'x2', 'x3']), campaign('c-y', ['y1', 'y2']), campaign('c-z', ['z1', 'z2', 'z3', 'z4'])],
    );
    expect(clusters).toEqual([
      { campaign: 'c-x', score: 0.9, accounts: ['x1', 'x2', 'x3'], matched: ['x1'], objects: ['indicator--a'], signals: ['shared-ip'] },
      { campaign: 'c-y', score: 0.9, accounts: ['y1', 'y2'], matched: ['y1'], objects: ['indicator--b'], signals: ['shared-ip'] },
    ]);
  });
});

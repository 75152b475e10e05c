import type { DetectedCampaign } from '../detect/campaigns.js';
import type { ItemTally } from './matcher.js';

/**
 * One shared indicator usually touches a few of a campaign's accounts (those on the proxies the peer saw); the lab's
 * own detection groups accounts into campaigns by what links them (shared addresses, payment instruments, templates,
 * synchronised timing). A detected campaign that holds at least one matched account is brought in whole: its other
 * accounts are the cluster behind the peer's indicator.
 */

/** A lab campaign reached through a match. */
export interface MatchedCluster {
  /** The detection run's campaign id (lab-local). */
  readonly campaign: string;
  readonly score: number;
  /** Every account of the campaign (raw ids: lab-private). */
  readonly accounts: readonly string[];
  /** Those matched directly by peer objects. */
  readonly matched: readonly string[];
  /** Peer objects that matched its accounts. */
  readonly objects: readonly string[];
  readonly signals: readonly string[];
}

/** The clusters behind the matched accounts, largest first. */
export function clusterMatches(tallies: readonly ItemTally[], campaigns: readonly DetectedCampaign[]): MatchedCluster[] {
  const objectsOf = new Map<string, Set<string>>();
  for (const t of tallies) {
    for (const a of t.accounts.keys()) {
      let s = objectsOf.get(a);
      if (s === undefined) objectsOf.set(a, (s = new Set()));
      s.add(t.item.objectId);
    }
  }
  const out: MatchedCluster[] = [];
  for (const c of campaigns) {
    const matched = c.accounts.filter((a) => objectsOf.has(a));
    if (matched.length === 0) continue;
    const objects = new Set<string>();
    for (const a of matched) for (const o of objectsOf.get(a) ?? []) objects.add(o);
    out.push({ campaign: c.id, score: c.score, accounts: c.accounts, matched, objects: [...objects].sort(), signals: c.signals.map((s) => s.name) });
  }
  return out.sort((a, b) => b.accounts.length - a.accounts.length || (a.campaign < b.campaign ? -1 : 1));
}

import type { MatchedCluster } from './clusters.js';
import type { IntelSetAside } from './intel.js';
import type { MatchStats, MatchOutcome } from './matcher.js';
import type { SightingSet } from './sightings.js';

/**
 * `REPORT.json`: the lab's own account of a match run. It names the lab's raw account ids next to the peer objects
 * they matched, so the lab can act (review, restrict, terminate); it is never shared. What is shared is the sightings
 * bundle, which carries counts only.
 */

/** One matched peer object. */
export interface ReportMatch {
  readonly object: string;
  readonly type: string;
  readonly kind: 'indicator' | 'prompt-fingerprint' | 'observable';
  readonly name?: string;
  readonly pattern?: string;
  readonly sighting_of?: string;
  readonly campaigns: readonly string[];
  /** Raw account ids with their matching requests, most requests first. */
  readonly accounts: ReadonlyArray<{ readonly account_id: string; readonly requests: number }>;
  readonly requests: number;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly distinct_ips: number;
  readonly similarity?: number;
  /** The sighting that reports it, or why none does. */
  readonly sighting?: string;
  readonly withheld?: string;
}

/** Input-side figures (from the telemetry reader). */
export interface ReportInput {
  readonly lines: number;
  readonly records: number;
  readonly bad_lines: number;
  readonly first_bad_lines: ReadonlyArray<{ readonly input: string; readonly line: number; readonly reason: string }>;
  readonly unreadable: ReadonlyArray<{ readonly input: string; readonly message: string }>;
}

/** The whole report. */
export interface MatchReport {
  readonly generated: string;
  readonly lab: string;
  readonly stats: MatchStats;
  readonly input?: ReportInput;
  readonly intel_set_aside: readonly IntelSetAside[];
  readonly matches: readonly ReportMatch[];
  readonly sightings: ReadonlyArray<{ readonly id: string; readonly sighting_of_ref: string; readonly count: number; readonly account_count: number }>;
  /** The lab's detected campaigns behind matched accounts. */
  readonly clusters: readonly MatchedCluster[];
  /** Every account to review: matched directly or in a cluster behind a match, sorted. */
  readonly accounts: readonly string[];
}

/** Builds the report of a run. */
export function matchReport(
  outcome: MatchOutcome,
  sightings: SightingSet,
  context: {
    readonly lab: string;
    readonly setAside?: readonly IntelSetAside[];
    readonly input?: ReportInput;
    readonly generated?: string;
    readonly clusters?: readonly MatchedCluster[];
  },
): MatchReport {
  const sightingOfTally = new Map<object, string>();
  for (const [id, tallies] of sightings.basis) for (const t of tallies) sightingOfTally.set(t, id);
  const withheldOf = new Map<string, string>();
  for (const w of sightings.withheld) for (const o of w.objects) withheldOf.set(o, w.reason);
  const matches: ReportMatch[] = outcome.tallies.map((t) => {
    const sighting = sightingOfTally.get(t);
    const withheld = withheldOf.get(t.item.objectId);
    return {
      object: t.item.objectId,
      type: t.item.objectType,
      kind: t.item.kind,
      ...(t.item.name === undefined ? {} : { name: t.item.name }),
      ...(t.item.pattern === undefined ? {} : { pattern: t.item.pattern }),
      ...(t.item.sightingOf === undefined ? {} : { sighting_of: t.item.sightingOf }),
      campaigns: t.item.campaigns,
      accounts: [...t.accounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([account_id, requests]) => ({ account_id, requests })),
      requests: t.requests,
      first_seen: new Date(t.first).toISOString(),
      last_seen: new Date(t.last).toISOString(),
      distinct_ips: t.ips.size,
      ...(t.bestSimilarity === undefined ? {} : { similarity: Math.round(t.bestSimilarity.estimate * 1000) / 1000 }),
      ...(sighting === undefined ? {} : { sighting }),
      ...(withheld === undefined ? {} : { withheld }),
    };
  });
  return {
    generated: context.generated ?? new Date().toISOString(),
    lab: context.lab,
    stats: outcome.stats,
    ...(context.input === undefined ? {} : { input: context.input }),
    intel_set_aside: context.setAside ?? [],
    matches,
    sightings: sightings.sightings.map((s) => {
      const accounts = new Set<string>();
      for (const t of sightings.basis.get(s.id) ?? []) for (const a of t.accounts.keys()) accounts.add(a);
      return { id: s.id, sighting_of_ref: s.sighting_of_ref, count: s.count ?? 0, account_count: accounts.size };
    }),
    clusters: context.clusters ?? [],
    accounts: [...new Set([...outcome.tallies.flatMap((t) => [...t.accounts.keys()]), ...(context.clusters ?? []).flatMap((c) => c.accounts)])].sort(),
  };
}

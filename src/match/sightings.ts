import { auditShare } from '../distillation/audit-share.js';
import { seededIds } from '../distillation/deterministic-ids.js';
import { DistillationPrivacyError } from '../distillation/errors.js';
import { assemblePackage } from '../distillation/package.js';
import { distillationSighting } from '../distillation/sighting.js';
import type { RequestVolumeStats } from '../distillation/sighting.js';
import type { TlpChoice } from '../distillation/tlp-policy.js';
import { signaturesExtensionDefinition } from '../provenance/definition.js';
import type { SigningKey } from '../provenance/keys.js';
import { signObject } from '../provenance/sign.js';
import type { Bundle, Identity, Sighting } from '../stix/types/index.js';
import type { IntelItem } from './intel.js';
import type { ItemTally, MatchOutcome } from './matcher.js';

/**
 * Turns match tallies into what the lab sends back: one STIX sighting per peer SDO seen in its traffic, with the
 * request-volume extension, the lab's identity as `where_sighted_refs` and `created_by_ref`, signed when a signing key
 * is given. Only counts leave: account ids, addresses and prompts stay in the tallies. A target whose matches involve
 * fewer accounts than `minAccounts` is withheld (a sighting of "one account" points at one customer).
 */

/** Default {@link SightingOptions.minAccounts}. */
export const DEFAULT_MIN_ACCOUNTS = 5;

/** Options of {@link buildSightings}. */
export interface SightingOptions {
  /** The lab sending the sightings (an `identity` it publishes as). */
  readonly identity: Identity;
  /** Fewest distinct accounts behind a sighting (default {@link DEFAULT_MIN_ACCOUNTS}); at least 1. */
  readonly minAccounts?: number;
  /** Signs each sighting as `identity` (JSS, see `distill-intel/provenance`). */
  readonly signingKey?: SigningKey;
  /** `created`/`modified` of the sightings (default now). */
  readonly created?: string;
  /** TLP of the sightings (default the suite's policy: AMBER). */
  readonly tlp?: TlpChoice;
}

/** A target the lab matched but does not report. */
export interface WithheldSighting {
  readonly sightingOf: string | undefined;
  readonly objects: readonly string[];
  readonly accounts: number;
  readonly reason: string;
}

/** What {@link buildSightings} returns. */
export interface SightingSet {
  /** The shareable bundle: identity, sightings, markings and definitions (strict-valid, clean under auditShare). */
  readonly bundle: Bundle;
  readonly sightings: readonly Sighting[];
  /** The tallies behind each sighting, by sighting id (lab-private). */
  readonly basis: ReadonlyMap<string, readonly ItemTally[]>;
  readonly withheld: readonly WithheldSighting[];
}

const MAX_COUNT = 999_999_999;

/** ISO 8601 duration of a span in milliseconds, whole seconds (at least PT1S). */
export function isoDuration(ms: number): string {
  let s = Math.max(1, Math.ceil(ms / 1000));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const time = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 ? `${s}S` : ''}`;
  return `P${d > 0 ? `${d}D` : ''}${time === '' ? '' : `T${time}`}`;
}

/** The merged view of every tally pointing at one target. */
interface Merged {
  readonly items: IntelItem[];
  readonly tallies: ItemTally[];
  readonly accounts: Set<string>;
  readonly ips: Set<string>;
  readonly asns: Set<string>;
  readonly models: Map<string, number>;
  readonly minutes: Map<number, number>;
  requests: number;
  first: number;
  last: number;
  inputTokens: number;
  outputTokens: number;
  similarity: number | undefined;
}

/** Per target SDO, the union of its items' tallies (requests that matched two items of one target count once each). */
function mergeByTarget(tallies: readonly ItemTally[]): Map<string | undefined, Merged> {
  const out = new Map<string | undefined, Merged>();
  for (const t of tallies) {
    const key = t.item.sightingOf;
    let m = out.get(key);
    if (m === undefined) {
      m = {
        items: [],
        tallies: [],
        accounts: new Set(),
        ips: new Set(),
        asns: new Set(),
        models: new Map(),
        minutes: new Map(),
        requests: 0,
        first: t.first,
        last: t.last,
        inputTokens: 0,
        outputTokens: 0,
        similarity: undefined,
      };
      out.set(key, m);
    }
    m.items.push(t.item);
    m.tallies.push(t);
    for (const a of t.accounts.keys()) m.accounts.add(a);
    for (const ip of t.ips) m.ips.add(ip);
    for (const asn of t.asns) m.asns.add(asn);
    // Volumes are the largest of the items', not their sum: items of one target mostly see the same requests.
    if (t.requests > m.requests) {
      m.requests = t.requests;
      m.inputTokens = t.inputTokens;
      m.outputTokens = t.outputTokens;
      m.models.clear();
      for (const [k, v] of t.models) m.models.set(k, v);
      m.minutes.clear();
      for (const [k, v] of t.minutes) m.minutes.set(k, v);
    }
    m.first = Math.min(m.first, t.first);
    m.last = Math.max(m.last, t.last);
    if (t.bestSimilarity !== undefined) m.similarity = Math.max(m.similarity ?? 0, t.bestSimilarity.estimate);
  }
  return out;
}

function stats(m: Merged): RequestVolumeStats {
  let peak = 0;
  for (const v of m.minutes.values()) if (v > peak) peak = v;
  const mix: Record<string, number> = {};
  for (const [model, n] of [...m.models.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) mix[model] = Math.round((n / m.requests) * 1000) / 1000;
  return {
    aggregation_interval: isoDuration(m.last - m.first),
    request_count: m.requests,
    account_count: m.accounts.size,
    distinct_ip_count: m.ips.size,
    distinct_asn_count: m.asns.size,
    input_tokens: m.inputTokens,
    output_tokens: m.outputTokens,
    peak_requests_per_minute: peak,
    model_mix: mix,
  };
}

function describe(m: Merged): string {
  const what = m.items.map((i) => `${i.kind === 'indicator' ? 'indicator' : i.objectType} ${i.objectId}`).join(', ');
  const similarity = m.similarity === undefined ? '' : ` Prompts matched the shared fingerprint with estimated similarity ${m.similarity.toFixed(2)}.`;
  return `Matched in our request telemetry: ${what}. ${m.accounts.size} accounts, ${m.requests} requests.${similarity}`;
}

/**
 * Builds the lab's sightings of a match run.
 *
 * @throws DistillationPrivacyError when the bundle would fail {@link auditShare} (a defect: nothing raw is put in).
 */
export function buildSightings(outcome: MatchOutcome, options: SightingOptions): SightingSet {
  const minAccounts = Math.max(1, Math.floor(options.minAccounts ?? DEFAULT_MIN_ACCOUNTS));
  const created = options.created ?? new Date().toISOString();
  const lab = options.identity;
  const ids = seededIds(`distill-intel/match/${lab.id}`);
  const sightings: Sighting[] = [];
  const basis = new Map<string, readonly ItemTally[]>();
  const withheld: WithheldSighting[] = [];
  for (const [target, m] of mergeByTarget(outcome.tallies)) {
    const objects = m.items.map((i) => i.objectId);
    if (target === undefined) {
      withheld.push({ sightingOf: undefined, objects, accounts: m.accounts.size, reason: 'the package relates these objects to no SDO a sighting could reference' });
      continue;
    }
    if (m.accounts.size < minAccounts) {
      withheld.push({ sightingOf: target, objects, accounts: m.accounts.size, reason: `${m.accounts.size} account(s), below the minimum of ${minAccounts}` });
      continue;
    }
    const firstSeen = new Date(m.first).toISOString();
    // One id per lab, target and first sighting: re-running over grown logs makes a new version, not a new sighting.
    const s = distillationSighting(
      {
        sighting_of_ref: target,
        where_sighted_refs: [lab.id],
        first_seen: firstSeen,
        last_seen: new Date(m.last).toISOString(),
        count: Math.min(m.requests, MAX_COUNT),
        description: describe(m),
        ...(m.similarity === undefined ? {} : { confidence: Math.round(m.similarity * 100) }),
      },
      stats(m),
      { id: ids('sighting', `${target}\u0000${firstSeen}`), created, createdByRef: lab.id, ...(options.tlp === undefined ? {} : { tlp: options.tlp }) },
    );
    sightings.push(s);
    basis.set(s.id, m.tallies);
  }
  let objects: Array<{ type: string; id: string }> = [lab as never, ...sightings];
  let bundle = assemblePackage(objects, { producerRef: lab.id, includeDefinitions: true });
  if (options.signingKey !== undefined) {
    const key = options.signingKey;
    const signed = (bundle.objects ?? []).map((o) => (o.type === 'sighting' ? signObject(o as never, key, { identity: lab.id, created }) : o));
    objects = [...(signed as never[]), signaturesExtensionDefinition() as never];
    bundle = { ...bundle, objects: objects as never };
    for (const [i, s] of sightings.entries()) sightings[i] = signed.find((o) => (o as { id: string }).id === s.id) as unknown as Sighting;
  }
  const audit = auditShare(bundle);
  if (audit.problems.length > 0) {
    throw new DistillationPrivacyError(
      'the sightings would expose what they must not',
      audit.problems.map((p) => ({ code: 'privacy-audit', severity: 'error' as const, path: p.path, message: p.message })),
    );
  }
  return { bundle, sightings, basis, withheld };
}

import { REQUEST_VOLUME_STATS_EXTENSION_ID } from '../distillation/extension-ids.js';
import type { TrustStore } from '../provenance/trust-store.js';
import { verifyObject } from '../provenance/verify.js';
import { eachRelationship, isJsonObject, keepLatest, objectsOf } from './stix-input.js';
import type { StixJsonObject } from './stix-input.js';

/**
 * Corroboration on the hub: for every shared object that members sighted (indicators, infrastructure, fingerprints'
 * SDOs, campaigns), how many distinct labs sighted it, how often, when, and how far independent sightings raise
 * confidence. Sightings of an indicator or infrastructure also count for the campaigns the package ties them to.
 *
 * Independence: a sighting counts as independent when its author (`created_by_ref`, else the first
 * `where_sighted_refs`) is not the object's producer. With a trust store, only sightings whose JSS signature verifies,
 * is trusted and was made by their author raise confidence; the others are listed as unverified. Without one, any
 * member could post sightings under several identities: the report says that its counts are unverified.
 *
 * Confidence: each independent lab removes a share of the remaining doubt,
 * `raised = 100 - (100 - base) × Π (1 - 0.5 × c_lab / 100)`, where `base` is the object's own `confidence` (50 when it
 * has none) and `c_lab` the lab's highest sighting confidence (100 when its sightings state none, as exact pattern
 * matches do). One independent lab takes 50 to 75, two to 88.
 */

/** One row of the report. */
export interface CorroborationRow {
  readonly object: string;
  readonly type: string;
  readonly name?: string;
  /** The object's producer (`created_by_ref`). */
  readonly producer?: string;
  /** Labs that sighted it (any), by identity id. */
  readonly labs: readonly string[];
  /** Labs other than the producer whose sightings count (verified, when a trust store is used). */
  readonly independentLabs: readonly string[];
  /** Labs whose sightings did not verify (with a trust store). */
  readonly unverifiedLabs: readonly string[];
  readonly sightings: number;
  /** Sum of the sightings' `count`. */
  readonly totalCount: number;
  /** Sum of request-volume `account_count` / `request_count` where given. */
  readonly accounts: number;
  readonly requests: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly baseConfidence: number;
  readonly confidence: number;
  /** For campaign rows: sightings counted through the campaign's indicators and infrastructure. */
  readonly via?: readonly string[];
}

/** The whole report. */
export interface CorroborationReport {
  readonly generated: string;
  /** Whether sightings were checked against a trust store. */
  readonly verified: boolean;
  readonly rows: readonly CorroborationRow[];
  /** Identity names by id (as the identities in the collection give them). */
  readonly labNames: Readonly<Record<string, string>>;
}

/** Options of {@link corroboration}. */
export interface CorroborationOptions {
  /** Verify each sighting's signature against this trust store; unverified sightings do not raise confidence. */
  readonly trust?: TrustStore;
  readonly generated?: string;
  /** "Now" for signature checks (default the clock). */
  readonly now?: Date;
}

const isObj = isJsonObject;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const typeOf = (id: string) => id.slice(0, Math.max(0, id.indexOf('--')));

interface Acc {
  readonly labs: Map<string, number>;
  readonly unverified: Set<string>;
  readonly via: Set<string>;
  readonly sightingIds: Set<string>;
  totalCount: number;
  accounts: number;
  requests: number;
  first?: string;
  last?: string;
}

/** Builds the corroboration report of a collection's (or bundle's) objects. */
export function corroboration(input: unknown, options: CorroborationOptions = {}): CorroborationReport {
  const latest = new Map<string, StixJsonObject>();
  for (const o of objectsOf(input)) {
    const id = isObj(o) ? str(o['id']) : undefined;
    if (id !== undefined) keepLatest(latest, id, o as StixJsonObject);
  }
  const labNames: Record<string, string> = {};
  const campaignsOf = new Map<string, Set<string>>();
  const tie = (from: string, campaign: string) => {
    let s = campaignsOf.get(from);
    if (s === undefined) campaignsOf.set(from, (s = new Set()));
    s.add(campaign);
  };
  for (const o of latest.values()) if (o['type'] === 'identity' && typeof o['name'] === 'string') labNames[o['id'] as string] = o['name'];
  eachRelationship(latest.values(), (s, t) => {
    if (typeOf(t) === 'campaign') tie(s, t);
    if (typeOf(s) === 'campaign') tie(t, s);
  });
  const accs = new Map<string, Acc>();
  const acc = (id: string): Acc => {
    let a = accs.get(id);
    if (a === undefined) {
      a = { labs: new Map(), unverified: new Set(), via: new Set(), sightingIds: new Set(), totalCount: 0, accounts: 0, requests: 0 };
      accs.set(id, a);
    }
    return a;
  };
  for (const s of latest.values()) {
    if (s['type'] !== 'sighting' || s['revoked'] === true) continue;
    const target = str(s['sighting_of_ref']);
    const where = Array.isArray(s['where_sighted_refs']) ? s['where_sighted_refs'].filter((x): x is string => typeof x === 'string') : [];
    const lab = str(s['created_by_ref']) ?? where[0];
    if (target === undefined || lab === undefined) continue;
    let verified = true;
    if (options.trust !== undefined) {
      const verdict = verifyObject(s, { trust: options.trust, ...(options.now === undefined ? {} : { now: options.now }) });
      verified = verdict.valid && verdict.trusted && verdict.signer === lab;
    }
    const conf = typeof s['confidence'] === 'number' ? s['confidence'] : 100;
    const ext = isObj(s['extensions']) ? s['extensions'][REQUEST_VOLUME_STATS_EXTENSION_ID] : undefined;
    const count = typeof s['count'] === 'number' ? s['count'] : 0;
    const accounts = isObj(ext) && typeof ext['account_count'] === 'number' ? ext['account_count'] : 0;
    const requests = isObj(ext) && typeof ext['request_count'] === 'number' ? ext['request_count'] : 0;
    const targets: Array<[string, string | undefined]> = [[target, undefined]];
    for (const c of campaignsOf.get(target) ?? []) if (c !== target) targets.push([c, target]);
    for (const [id, via] of targets) {
      const a = acc(id);
      if (a.sightingIds.has(s['id'] as string)) continue;
      a.sightingIds.add(s['id'] as string);
      if (via !== undefined) a.via.add(via);
      if (verified) a.labs.set(lab, Math.max(a.labs.get(lab) ?? 0, conf));
      else a.unverified.add(lab);
      a.totalCount += count;
      a.accounts += accounts;
      a.requests += requests;
      const first = str(s['first_seen']);
      const last = str(s['last_seen']);
      if (first !== undefined && (a.first === undefined || first < a.first)) a.first = first;
      if (last !== undefined && (a.last === undefined || last > a.last)) a.last = last;
    }
  }
  const rows: CorroborationRow[] = [];
  for (const [id, a] of accs) {
    const o = latest.get(id);
    const producer = o === undefined ? undefined : str(o['created_by_ref']);
    const base = o !== undefined && typeof o['confidence'] === 'number' ? o['confidence'] : 50;
    const independent = [...a.labs.keys()].filter((l) => l !== producer).sort();
    let doubt = 100 - base;
    for (const l of independent) doubt *= 1 - (0.5 * Math.min(100, Math.max(0, a.labs.get(l) ?? 0))) / 100;
    const name = o === undefined ? undefined : str(o['name']);
    rows.push({
      object: id,
      type: typeOf(id),
      ...(name === undefined ? {} : { name }),
      ...(producer === undefined ? {} : { producer }),
      labs: [...new Set([...a.labs.keys(), ...a.unverified])].sort(),
      independentLabs: independent,
      unverifiedLabs: [...a.unverified].filter((l) => !a.labs.has(l)).sort(),
      sightings: a.sightingIds.size,
      totalCount: a.totalCount,
      accounts: a.accounts,
      requests: a.requests,
      ...(a.first === undefined ? {} : { firstSeen: a.first }),
      ...(a.last === undefined ? {} : { lastSeen: a.last }),
      baseConfidence: base,
      confidence: Math.round(100 - doubt),
      ...(a.via.size === 0 ? {} : { via: [...a.via].sort() }),
    });
  }
  rows.sort((x, y) => y.independentLabs.length - x.independentLabs.length || y.totalCount - x.totalCount || (x.object < y.object ? -1 : 1));
  return { generated: options.generated ?? new Date().toISOString(), verified: options.trust !== undefined, rows, labNames };
}

import { registerDistillationExtensions } from '../distillation/definitions.js';
import { formatLocation } from '../stix/location.js';
import { patternString } from '../distillation/indicators.js';
import { isPseudonym } from '../distillation/pseudonym.js';
import { DistillIntelError } from '../errors.js';
import type { Diagnostic } from '../stix/diagnostic.js';
import { validateObjectInto } from '../stix/validate.js';
import type { PeerFingerprint } from './fingerprint-index.js';
import type { KeyRing } from './key-ring.js';
import { eachRelationship, isJsonObject, keepLatest, objectsOf } from './stix-input.js';
import type { StixJsonObject } from './stix-input.js';

/**
 * What can be matched in a peer's package. A peer's bundle is hostile until shown otherwise: every object is
 * validated (STIX 2.1 and the distillation suite, patterns checked), invalid ones are set aside with the reason, and
 * the size of what is accepted is bounded.
 *
 * Matchable items:
 * - `indicator`s with a STIX pattern, not revoked, latest version per id;
 * - `prompt-fingerprint`s (matched through their LSH bands and exact value);
 * - bare observables a package ships outside indicators (an infrastructure's addresses, ASNs and domains; shared
 *   accounts' payment fingerprints, and their account pseudonyms when the account is at the lab's own provider):
 *   each becomes a pattern and goes through the same pattern matcher as indicators.
 *
 * A sighting must point at an SDO (STIX 2.1 §5.2), so every item names the SDO its sightings go to: the indicator
 * itself, or for an SCO the SDO the package relates it to (an infrastructure that `consists-of` it, an indicator whose
 * pattern names its value, the campaign).
 */

/** One matchable item of a peer package. */
export interface IntelItem {
  readonly kind: 'indicator' | 'prompt-fingerprint' | 'observable';
  /** The peer object matched. */
  readonly objectId: string;
  readonly objectType: string;
  readonly name?: string;
  /** The SDO sightings of this item reference; undefined when the package relates it to none. */
  readonly sightingOf: string | undefined;
  /** Campaigns the item is tied to in the package (directly or through its indicator or infrastructure). */
  readonly campaigns: readonly string[];
  readonly createdBy?: string;
  /** `valid_until` of an indicator, epoch ms: requests at or after it are not matched. */
  readonly validUntil?: number;
  /** The STIX pattern (indicators, and the pattern derived for an observable). */
  readonly pattern?: string;
  readonly fingerprint?: PeerFingerprint;
}

/** An object of the package that was not used, and why. */
export interface IntelSetAside {
  readonly id: string;
  readonly reason: string;
}

/** The matchable content of one or more peer packages. */
export interface Intel {
  readonly items: readonly IntelItem[];
  readonly setAside: readonly IntelSetAside[];
  /** Objects read (before validation). */
  readonly objectCount: number;
  /** Key ids the package's pseudonyms and fingerprints were made under that the lab does not hold. */
  readonly missingKeyIds: readonly string[];
  /** Every valid object by id (latest version), for callers that describe what was matched. */
  readonly objects: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** Options of {@link readIntel}. */
export interface ReadIntelOptions {
  /** Keys the lab holds: decides which pseudonyms can be matched. */
  readonly keys?: KeyRing;
  /** The lab's own API host: a shared account pseudonym is matched only when it names this provider. */
  readonly provider?: string;
  /** Objects accepted (default 500,000). */
  readonly maxObjects?: number;
  /** Longest pattern accepted, in characters (default 65,536). */
  readonly maxPatternLength?: number;
}

/** The input has more objects than {@link ReadIntelOptions.maxObjects} (code `MATCH_INTEL_LIMIT`). */
export class IntelLimitError extends DistillIntelError {
  constructor(message: string) {
    super('MATCH_INTEL_LIMIT', message);
  }
}

type Obj = StixJsonObject;
const isObj = isJsonObject;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const SCO_TYPES = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'autonomous-system', 'ai-service-account', 'prompt-fingerprint']);
// Preference among the SDOs an SCO is related to, for its sightings: the most specific first.
const TARGET_RANK: Readonly<Record<string, number>> = { indicator: 0, infrastructure: 1, campaign: 2, 'intrusion-set': 3 };

/** The pattern that matches a bare observable, or undefined when the lab cannot match it. */
function observablePattern(o: Obj, options: ReadIntelOptions, missing: Set<string>): string | undefined {
  const type = o['type'];
  if (type === 'ipv4-addr' || type === 'ipv6-addr') {
    const v = str(o['value']);
    return v === undefined ? undefined : `[${type}:value ${v.includes('/') ? 'ISSUBSET' : '='} ${patternString(v)}]`;
  }
  if (type === 'domain-name') {
    const v = str(o['value']);
    return v === undefined ? undefined : `[domain-name:value = ${patternString(v)}]`;
  }
  if (type === 'autonomous-system') {
    const n = o['number'];
    return typeof n === 'number' && Number.isSafeInteger(n) ? `[autonomous-system:number = ${n}]` : undefined;
  }
  if (type === 'ai-service-account') {
    const usable = (p: string) => {
      if (!isPseudonym(p)) return false;
      if (options.keys?.holdsKeyOf(p) === true) return true;
      missing.add(p.split(':')[1] as string);
      return false;
    };
    const parts: string[] = [];
    const payments = strings(o['payment_fingerprints']).filter(usable);
    if (payments.length > 0) parts.push(`[ai-service-account:payment_fingerprints[*] IN (${payments.map(patternString).join(', ')})]`);
    const account = str(o['account_pseudonym']);
    const provider = str(o['provider']);
    if (account !== undefined && provider !== undefined && provider === options.provider && usable(account)) {
      parts.push(`[ai-service-account:provider = ${patternString(provider)} AND ai-service-account:account_pseudonym = ${patternString(account)}]`);
    }
    return parts.length === 0 ? undefined : parts.join(' OR ');
  }
  return undefined;
}

/**
 * Reads the matchable items of peer intelligence (a bundle, an array of objects, TAXII envelopes, or a list of
 * those). Never throws on bad content: invalid objects are set aside with the validator's first error.
 *
 * @throws IntelLimitError when there are more objects than `maxObjects`.
 */
/**
 * Every quoted string literal of the indicators' patterns (quotes and backslash escapes kept, exactly as
 * {@link patternString} writes a value) to the ids of the indicators that contain it. One pass over each pattern.
 */
export function indexQuotedLiterals(indicators: readonly Obj[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const ind of indicators) {
    const pattern = ind['pattern'] as string;
    const id = ind['id'] as string;
    for (let i = pattern.indexOf("'"); i !== -1; ) {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== "'") j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) break;
      const literal = pattern.slice(i, j + 1);
      const ids = index.get(literal);
      if (ids === undefined) index.set(literal, [id]);
      else if (ids[ids.length - 1] !== id) ids.push(id);
      i = pattern.indexOf("'", j + 1);
    }
  }
  return index;
}

export function readIntel(input: unknown, options: ReadIntelOptions = {}): Intel {
  registerDistillationExtensions();
  const maxObjects = options.maxObjects ?? 500_000;
  const maxPattern = options.maxPatternLength ?? 65_536;
  const raw = objectsOf(input);
  if (raw.length > maxObjects) throw new IntelLimitError(`the intelligence holds ${raw.length} objects; at most ${maxObjects} are accepted`);
  const setAside: IntelSetAside[] = [];
  const latest = new Map<string, Obj>();
  raw.forEach((o, i) => {
    const id = isObj(o) ? (str(o['id']) ?? `(object ${i})`) : `(object ${i})`;
    if (isObj(o) && o['type'] === 'indicator' && typeof o['pattern'] === 'string' && o['pattern'].length > maxPattern) {
      setAside.push({ id, reason: `pattern longer than ${maxPattern} characters` });
      return;
    }
    const diags: Diagnostic[] = [];
    validateObjectInto(o, '', diags);
    const error = diags.find((d) => d.severity === 'error');
    if (error !== undefined || !isObj(o)) {
      setAside.push({ id, reason: error === undefined ? 'not a JSON object' : `${error.code} at ${formatLocation({ pointer: error.path })}: ${error.message}` });
      return;
    }
    keepLatest(latest, id, o);
  });

  // Links between objects: relationships (both directions) and indicators naming an SCO's values in their pattern.
  const related = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let s = related.get(a);
    if (s === undefined) related.set(a, (s = new Set()));
    s.add(b);
  };
  eachRelationship(latest.values(), (s, t) => {
    link(s, t);
    link(t, s);
  });
  const typeOf = (id: string) => id.slice(0, id.indexOf('--'));
  const campaignsOf = (id: string): string[] => {
    const out = new Set<string>();
    const first = related.get(id) ?? new Set();
    for (const x of first) {
      if (typeOf(x) === 'campaign') out.add(x);
      else if (typeOf(x) === 'indicator' || typeOf(x) === 'infrastructure') {
        for (const y of related.get(x) ?? []) if (typeOf(y) === 'campaign') out.add(y);
      }
    }
    return [...out].sort();
  };
  // The campaigns of an object and of the SDO its sightings go to (which may be the campaign itself).
  const around = (id: string, target: string | undefined): string[] => {
    const out = new Set(campaignsOf(id));
    if (target !== undefined) {
      if (typeOf(target) === 'campaign') out.add(target);
      for (const c of campaignsOf(target)) out.add(c);
    }
    return [...out].sort();
  };
  const campaigns = [...latest.values()].filter((o) => o['type'] === 'campaign' && o['revoked'] !== true).map((o) => o['id'] as string);
  const indicators = [...latest.values()].filter((o) => o['type'] === 'indicator' && o['revoked'] !== true && o['pattern_type'] === 'stix');

  // Which indicators quote a value: one index of every pattern's string literals, so tying SCOs to indicators costs
  // the size of the patterns, not (SCOs × indicators) substring searches that a hostile package could make huge.
  const quotedBy = indexQuotedLiterals(indicators);
  const sdoFor = (sco: Obj): string | undefined => {
    const id = sco['id'] as string;
    const values = [str(sco['value']), ...strings(sco['lsh_bands']), ...strings(sco['payment_fingerprints'])].filter((v): v is string => v !== undefined);
    const candidates = [...(related.get(id) ?? [])].filter((x) => TARGET_RANK[typeOf(x)] !== undefined && latest.has(x));
    const quoting = new Set<string>();
    for (const v of values) for (const ind of quotedBy.get(patternString(v)) ?? []) quoting.add(ind);
    candidates.push(...quoting);
    candidates.sort((a, b) => (TARGET_RANK[typeOf(a)] as number) - (TARGET_RANK[typeOf(b)] as number) || a.localeCompare(b));
    return candidates[0] ?? (campaigns.length === 1 ? campaigns[0] : undefined);
  };

  const missing = new Set<string>();
  const items: IntelItem[] = [];
  for (const o of latest.values()) {
    const id = o['id'] as string;
    const type = o['type'] as string;
    const common = {
      objectId: id,
      objectType: type,
      ...(str(o['name']) === undefined ? {} : { name: str(o['name']) as string }),
      ...(str(o['created_by_ref']) === undefined ? {} : { createdBy: str(o['created_by_ref']) as string }),
    };
    if (type === 'indicator' && o['pattern_type'] === 'stix' && o['revoked'] !== true) {
      const until = str(o['valid_until']);
      items.push({
        kind: 'indicator',
        ...common,
        sightingOf: id,
        campaigns: campaignsOf(id),
        pattern: o['pattern'] as string,
        ...(until === undefined ? {} : { validUntil: Date.parse(until) }),
      });
    } else if (type === 'prompt-fingerprint') {
      const fp: PeerFingerprint = {
        id,
        scheme: str(o['scheme']) ?? '',
        value: str(o['value']) ?? '',
        lsh_bands: strings(o['lsh_bands']),
        ...(str(o['simhash']) === undefined ? {} : { simhash: str(o['simhash']) as string }),
      };
      const target = sdoFor(o);
      items.push({ kind: 'prompt-fingerprint', ...common, sightingOf: target, campaigns: around(id, target), fingerprint: fp });
    } else if (SCO_TYPES.has(type)) {
      const target = sdoFor(o);
      // An indicator naming the value covers it, with the producer's own validity period: do not match it twice.
      if (target !== undefined && typeOf(target) === 'indicator') continue;
      const pattern = observablePattern(o, options, missing);
      if (pattern === undefined) continue;
      items.push({ kind: 'observable', ...common, sightingOf: target, campaigns: around(id, target), pattern });
    }
  }
  return { items, setAside, objectCount: raw.length, missingKeyIds: [...missing].sort(), objects: latest };
}

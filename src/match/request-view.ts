import { fingerprintNormalized, lengthBucket, normalizeTemplate, parseFingerprintScheme } from '../distillation/prompt-fingerprint.js';
import type { FingerprintVersion, TemplateFingerprint } from '../distillation/prompt-fingerprint.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import type { PreparedObservation, ScoJson } from '../pattern/observations.js';
import type { TelemetryRecord } from '../telemetry/record.js';
import type { KeyRing } from './key-ring.js';

/**
 * What a STIX pattern can see of one model-API request. A request becomes one observation holding:
 * - `ipv4-addr` / `ipv6-addr` `value`: the client address;
 * - `autonomous-system` `number`: the client's ASN;
 * - `domain-name` `value`: the relay or reverse-DNS host, when recorded;
 * - `network-traffic` with `src_ref` to the address and the `http-request-ext` `request_header.'User-Agent'`;
 * - per key held: `ai-service-account` (`provider`, `account_pseudonym`, `payment_fingerprints`, `account_category`,
 *   `status`) and its `user-account` mirror (`user_id` = the pseudonym, `account_type` `ai-service`);
 * - per fingerprint key: `prompt-fingerprint` (`scheme`, `value`, `lsh_bands`, `simhash`, `length_bucket`).
 * Raw account ids, payment data and prompt text never appear: only their pseudonyms and fingerprints, so a pattern
 * from a peer matches exactly what the peer could have derived itself.
 */

/** Options of {@link RequestViewer}. */
export interface RequestViewOptions {
  /** The lab's API host (`ai-service-account:provider`), e.g. `api.lab-b.example.com`. */
  readonly provider?: string;
  readonly keys: KeyRing;
  /** Key ids to derive account and payment pseudonyms under; default every key held. */
  readonly pseudonymKeyIds?: readonly string[];
  /**
   * Fingerprint schemes to fingerprint prompts under (`minhash128-w5-keyed-v2:<keyId>/norm-v1`: version and key id),
   * usually those of the peer's fingerprints; default none (fingerprinting is the costliest step, done only when
   * asked). Schemes naming a key not held, or that this library does not compute, are skipped.
   */
  readonly fingerprintSchemes?: readonly string[];
  /** Distinct normalised prompts whose fingerprints are kept for reuse (default 100,000). */
  readonly fingerprintCacheSize?: number;
}

/** The fingerprint of a request's prompt under one key (what the fingerprint matcher compares). */
export type RequestFingerprint = Omit<TemplateFingerprint, 'length_bucket'> & { readonly length_bucket: string };

const CATEGORY: Readonly<Record<string, string>> = {
  education: 'education-program',
  'education-program': 'education-program',
  research: 'research-program',
  'research-program': 'research-program',
  startup: 'startup-program',
  'startup-program': 'startup-program',
  'self-serve': 'individual',
  individual: 'individual',
  enterprise: 'organization',
  organization: 'organization',
  trial: 'trial',
  reseller: 'reseller-subaccount',
  'cloud-marketplace': 'cloud-marketplace',
};
const PROTOCOLS: readonly string[] = Object.freeze(['tcp', 'https']);
const STATUS = new Set(['active', 'restricted', 'suspended', 'terminated']);
const ASN = /^(?:AS)?(\d{1,10})$/i;

/** The AS number of an `asn` field (`AS64500` or `64500`); undefined when it is neither. */
export function asnNumber(asn: string | undefined): number | undefined {
  if (asn === undefined) return undefined;
  const m = ASN.exec(asn.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n <= 4294967295 ? n : undefined;
}

/** The fields of a request its observation is built from, time and prompt aside. */
export type ViewFields = Pick<TelemetryRecord, 'account_id' | 'client_ip' | 'user_agent' | 'asn' | 'client_host' | 'payment_fingerprint' | 'signup_channel' | 'status'>;

/** A copy of a request's {@link ViewFields} (without the prompt and the rest, so keeping it keeps little alive). */
export function viewFields(r: TelemetryRecord): ViewFields {
  return {
    account_id: r.account_id,
    client_ip: r.client_ip,
    user_agent: r.user_agent,
    asn: r.asn,
    client_host: r.client_host,
    payment_fingerprint: r.payment_fingerprint,
    signup_channel: r.signup_channel,
    status: r.status,
  };
}

/**
 * Whether two requests have the same observation, time and prompt fingerprints aside: every field
 * {@link RequestViewer.observe} reads is equal. Requests of one account from one address and client are, so a caller
 * can reuse what it learnt from the first instead of building and testing the observation again.
 */
export function sameView(a: ViewFields, b: ViewFields): boolean {
  return (
    a.account_id === b.account_id &&
    a.client_ip === b.client_ip &&
    a.user_agent === b.user_agent &&
    a.asn === b.asn &&
    a.client_host === b.client_host &&
    a.payment_fingerprint === b.payment_fingerprint &&
    a.signup_channel === b.signup_channel &&
    a.status === b.status
  );
}

/** Turns requests into observations; holds the pseudonym and fingerprint caches, so one viewer serves a whole run. */
export class RequestViewer {
  private readonly options: RequestViewOptions;
  private readonly pseudonymKeyIds: readonly string[];
  private readonly schemes: ReadonlyArray<{ readonly key: PseudonymKey; readonly version: FingerprintVersion; readonly cache: Map<string, Omit<TemplateFingerprint, 'length_bucket'>> }>;
  private readonly cacheSize: number;
  /** Per raw account id: its objects and the fields they were made from. */
  private readonly accountCache = new Map<string, { readonly payment: string | undefined; readonly channel: string | undefined; readonly status: string | undefined; readonly objects: ReadonlyArray<string | ScoJson> }>();

  constructor(options: RequestViewOptions) {
    this.options = options;
    this.pseudonymKeyIds = (options.pseudonymKeyIds ?? options.keys.keyIds).filter((k) => options.keys.get(k) !== undefined);
    const schemes = [];
    for (const scheme of new Set(options.fingerprintSchemes ?? [])) {
      const parsed = parseFingerprintScheme(scheme);
      const key = parsed === undefined ? undefined : options.keys.get(parsed.keyId);
      if (parsed !== undefined && key !== undefined) schemes.push({ key, version: parsed.version, cache: new Map() });
    }
    this.schemes = schemes;
    this.cacheSize = options.fingerprintCacheSize ?? 100_000;
  }

  /** The prompt's fingerprint under each fingerprint scheme (empty when there is no prompt or no such scheme). */
  fingerprintsOf(record: TelemetryRecord): RequestFingerprint[] {
    const prompt = record.prompt;
    if (prompt === undefined || prompt === '' || this.schemes.length === 0) return [];
    const normalized = normalizeTemplate(prompt);
    const bucket = lengthBucket(prompt.length);
    const out: RequestFingerprint[] = [];
    for (const { key, version, cache } of this.schemes) {
      let fp = cache.get(normalized);
      if (fp === undefined) {
        fp = fingerprintNormalized(normalized, key, version);
        if (cache.size >= this.cacheSize) cache.clear();
        cache.set(normalized, fp);
      }
      // Spelt out: spreading the cached object costs several times more.
      out.push({ scheme: fp.scheme, value: fp.value, lsh_bands: fp.lsh_bands, simhash: fp.simhash, signature: fp.signature, length_bucket: bucket });
    }
    return out;
  }

  /**
   * The observation of one request. `index` is its position in whatever set it joins; `fingerprints` may be passed
   * when the caller already computed them (the fingerprint matcher needs them too).
   */
  observe(record: TelemetryRecord, index = 0, fingerprints: readonly RequestFingerprint[] = this.fingerprintsOf(record)): PreparedObservation {
    const objects = new Map<string, ScoJson>();
    const byType = new Map<string, ScoJson[]>();
    const add = (id: string, sco: ScoJson) => {
      objects.set(id, sco);
      const t = sco['type'] as string;
      const list = byType.get(t);
      if (list === undefined) byType.set(t, [sco]);
      else list.push(sco);
    };
    const ip = record.client_ip;
    if (typeof ip === 'string' && ip !== '') {
      add('address', { type: ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr', id: 'address', value: ip });
      const ua = record.user_agent;
      const traffic: Record<string, unknown> = { type: 'network-traffic', id: 'traffic', src_ref: 'address', protocols: PROTOCOLS };
      if (ua !== undefined && ua !== '') traffic['extensions'] = { 'http-request-ext': { request_method: 'POST', request_value: '/', request_header: { 'User-Agent': ua } } };
      add('traffic', traffic);
    }
    const asn = asnNumber(record.asn);
    if (asn !== undefined) add('asn', { type: 'autonomous-system', id: 'asn', number: asn });
    if (record.client_host !== undefined && record.client_host !== '') {
      add('host', { type: 'domain-name', id: 'host', value: record.client_host.toLowerCase().replace(/\.$/, '') });
    }
    const account = this.accountObjects(record);
    for (let i = 0; i < account.length; i += 2) add(account[i] as string, account[i + 1] as ScoJson);
    addPrompts(add, fingerprints);
    const t = record.timestamp;
    return { index, id: undefined, first: t, last: t, capacity: 1, objects, byType };
  }

  /**
   * The account's objects (`ai-service-account` and `user-account` per key), as id, object, id, object…: the same for
   * every request of an account with the same card, channel and status, so they are made once and shared (observations
   * are only read).
   */
  private accountObjects(record: TelemetryRecord): ReadonlyArray<string | ScoJson> {
    const known = this.accountCache.get(record.account_id);
    if (known !== undefined && known.payment === record.payment_fingerprint && known.channel === record.signup_channel && known.status === record.status) {
      return known.objects;
    }
    const objects: Array<string | ScoJson> = [];
    const category = record.signup_channel === undefined ? undefined : (CATEGORY[record.signup_channel] ?? record.signup_channel);
    const status = record.status !== undefined && STATUS.has(record.status) ? record.status : undefined;
    for (const keyId of this.pseudonymKeyIds) {
      const pseudonym = this.options.keys.account(keyId, record.account_id);
      if (pseudonym === undefined) continue;
      const payment = record.payment_fingerprint === undefined ? undefined : this.options.keys.payment(keyId, record.payment_fingerprint);
      const sco: Record<string, unknown> = { type: 'ai-service-account', id: `account:${keyId}`, account_pseudonym: pseudonym };
      if (this.options.provider !== undefined) sco['provider'] = this.options.provider;
      if (payment !== undefined) sco['payment_fingerprints'] = [payment];
      if (category !== undefined) sco['account_category'] = category;
      if (status !== undefined) sco['status'] = status;
      objects.push(`account:${keyId}`, sco, `user:${keyId}`, { type: 'user-account', id: `user:${keyId}`, user_id: pseudonym, account_type: 'ai-service' });
    }
    if (this.accountCache.size >= this.cacheSize) this.accountCache.clear();
    this.accountCache.set(record.account_id, { payment: record.payment_fingerprint, channel: record.signup_channel, status: record.status, objects });
    return objects;
  }

  /**
   * The part of a request's observation that holds only its `prompt-fingerprint` objects: enough for patterns whose
   * every `[...]` is rooted at that type (see `PatternIndex.splitIsPure`), at a fraction of the cost of the whole.
   */
  promptObservation(record: TelemetryRecord, fingerprints: readonly RequestFingerprint[]): PreparedObservation {
    const objects = new Map<string, ScoJson>();
    const list: ScoJson[] = [];
    addPrompts((id, sco) => {
      objects.set(id, sco);
      list.push(sco);
    }, fingerprints);
    const byType = new Map<string, ScoJson[]>(list.length === 0 ? [] : [[PROMPT_TYPE, list]]);
    const t = record.timestamp;
    return { index: 0, id: undefined, first: t, last: t, capacity: 1, objects, byType };
  }
}

/** The SCO type of a request's prompt fingerprints. */
export const PROMPT_TYPE = 'prompt-fingerprint';

function addPrompts(add: (id: string, sco: ScoJson) => void, fingerprints: readonly RequestFingerprint[]): void {
  for (const [i, fp] of fingerprints.entries()) {
    add(`prompt:${i}`, {
      type: PROMPT_TYPE,
      id: `prompt:${i}`,
      scheme: fp.scheme,
      value: fp.value,
      lsh_bands: fp.lsh_bands,
      simhash: fp.simhash,
      length_bucket: fp.length_bucket,
    });
  }
}

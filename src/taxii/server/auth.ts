import { hash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthConfig, PrincipalConfig } from './config.js';
import { DEFAULTS, normaliseFingerprint } from './config.js';
import type { LoginAttempt, LoginGate, LoginRefusal } from './login-gate.js';
import { costliestDecoy, verifySecret } from './secrets.js';

/** Who a request acts for. `name` is `''` for anonymous requests. */
export interface Principal {
  readonly name: string;
  readonly anonymous: boolean;
  /** How the principal proved who they are. */
  readonly method: 'basic' | 'bearer' | 'token' | 'api-key-header' | 'client-certificate' | 'anonymous';
}

/** A TLS client certificate the transport has already verified against its trusted CAs. */
export interface ClientCertificateInfo {
  /** SHA-256 fingerprint as Node reports it (`AB:CD:...`). */
  readonly fingerprint256: string;
  readonly subject?: string;
}

/** The credential-bearing parts of a request. */
export interface RequestCredentials {
  readonly authorization: string | null;
  /** Value of the configured API-key header, if any. */
  readonly apiKey: string | null;
  readonly clientCertificate?: ClientCertificateInfo | undefined;
}

/**
 * Result of authentication: a principal, or why none (`missing` → 401 challenge, `invalid` → 401 too, `throttled` →
 * the credentials were not even checked: 429, or 503 when the server is busy verifying others).
 */
export type AuthOutcome =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid'; readonly user?: string | undefined }
  | { readonly ok: false; readonly reason: 'throttled'; readonly refusal: LoginRefusal; readonly user?: string | undefined };

export const ANONYMOUS: Principal = Object.freeze({ name: '', anonymous: true, method: 'anonymous' });

const CACHE_LIMIT = 10_000;
const POSITIVE_TTL_MS = 5 * 60_000;
const NEGATIVE_TTL_MS = 5_000;

interface CacheEntry {
  readonly principal: Principal | undefined;
  readonly expires: number;
}

/** Stand-in user name for attempts that carry a bare API key (no name to throttle by). */
const API_KEY_USER = '\u0000api-key';

type Verified = Principal | undefined | LoginRefusal;

function isRefusal(v: Verified): v is LoginRefusal {
  return v !== undefined && 'reason' in v;
}

/** User name and password of a Basic credential (RFC 7617), or `undefined` when it has no colon. */
function decodeBasic(encoded: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  // Throttling keys on the name: a hostile one cannot grow the keys beyond what the header limit allows.
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Turns credentials into a principal. scrypt is deliberately slow (tens of ms), so a verified credential is
 * remembered for a few minutes under a keyed SHA-256 digest of its value (never the value itself), and a refused one
 * for a few seconds so that hammering a wrong password cannot pin the CPU.
 */
export class Authenticator {
  readonly #principals: ReadonlyMap<string, PrincipalConfig>;
  readonly #byFingerprint = new Map<string, PrincipalConfig>();
  readonly #keyHolders: readonly PrincipalConfig[];
  readonly #anonymousAllowed: boolean;
  readonly #schemes: { basic: boolean; bearer: boolean; token: boolean };
  readonly #challenge: string;
  readonly #cache = new Map<string, CacheEntry>();
  /** Verifications under way, so a burst of requests with one new credential costs one scrypt run, not one each. */
  readonly #pending = new Map<string, Promise<Verified>>();
  /** Decoy hashes costing what the costliest configured password and API-key hashes cost. */
  readonly #decoyPassword: string;
  readonly #decoyKey: string;
  /**
   * How long a run of the password decoy takes: measured on first need, then followed (moving average) by every
   * decoy run for an unknown user, so it tracks the machine's load the way real checks do.
   */
  #decoyMs: Promise<number> | undefined;
  readonly #gate: LoginGate | undefined;
  readonly #cacheKey = randomBytes(32).toString('base64');
  /** Lower-cased name of the API-key header, if configured. */
  readonly apiKeyHeader: string | undefined;

  /**
   * @param gate - admission control for verifications (see `LoginGate`); without one every verification runs at once.
   */
  constructor(config: AuthConfig = {}, gate?: LoginGate) {
    this.#gate = gate;
    const principals = new Map<string, PrincipalConfig>();
    for (const p of config.principals ?? []) {
      principals.set(p.name, p);
      for (const f of p.certificateFingerprints ?? []) this.#byFingerprint.set(normaliseFingerprint(f), p);
    }
    this.#principals = principals;
    this.#keyHolders = [...principals.values()].filter((p) => (p.apiKeyHashes ?? []).length > 0);
    this.#decoyPassword = costliestDecoy([...principals.values()].flatMap((p) => (p.passwordHash === undefined ? [] : [p.passwordHash])));
    this.#decoyKey = costliestDecoy(this.#keyHolders.flatMap((p) => p.apiKeyHashes ?? []));
    this.#anonymousAllowed = config.anonymous !== undefined;
    this.#schemes = {
      basic: config.schemes?.basic ?? true,
      bearer: config.schemes?.bearer ?? true,
      token: config.schemes?.token ?? true,
    };
    this.apiKeyHeader = config.apiKeyHeader?.toLowerCase();
    const realm = config.realm ?? DEFAULTS.realm;
    const challenges: string[] = [];
    if (this.#schemes.basic) challenges.push(`Basic realm="${realm}", charset="UTF-8"`);
    if (this.#schemes.bearer) challenges.push(`Bearer realm="${realm}"`);
    if (this.#schemes.token) challenges.push(`Token realm="${realm}"`);
    if (challenges.length === 0) challenges.push(`Basic realm="${realm}", charset="UTF-8"`);
    this.#challenge = challenges.join(', ');
  }

  /** Value of `WWW-Authenticate` sent with every 401 (RFC 7235 §4.1). */
  get challenge(): string {
    return this.#challenge;
  }

  /** Whether requests without credentials are served (as the anonymous principal). */
  get anonymousAllowed(): boolean {
    return this.#anonymousAllowed;
  }

  /**
   * Identifies the caller. `address` (the client's) keys the login throttling; credentials verified within the last
   * few minutes are answered from memory without it.
   */
  async authenticate(creds: RequestCredentials, address = ''): Promise<AuthOutcome> {
    const auth = creds.authorization?.trim();
    if (auth !== undefined && auth !== '') return this.#fromAuthorization(auth, address);
    const key = creds.apiKey?.trim();
    if (this.apiKeyHeader !== undefined && key !== undefined && key !== '') {
      return this.#cached(`h\u0000${key}`, { address, user: API_KEY_USER }, 'key', () => this.#byApiKey(key, 'api-key-header'));
    }
    if (creds.clientCertificate !== undefined) {
      const p = this.#byFingerprint.get(normaliseFingerprint(creds.clientCertificate.fingerprint256));
      if (p !== undefined) return { ok: true, principal: { name: p.name, anonymous: false, method: 'client-certificate' } };
    }
    return this.#anonymousAllowed ? { ok: true, principal: ANONYMOUS } : { ok: false, reason: 'missing' };
  }

  async #fromAuthorization(header: string, address: string): Promise<AuthOutcome> {
    const space = header.indexOf(' ');
    const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : header.slice(space + 1).trim();
    if (value === '') return { ok: false, reason: 'invalid' };
    if (scheme === 'basic' && this.#schemes.basic) {
      const pair = decodeBasic(value);
      if (pair === undefined) return { ok: false, reason: 'invalid' };
      return this.#cached(`b\u0000${value}`, { address, user: pair.user }, 'password', () => this.#byBasic(pair.user, pair.password));
    }
    if (scheme === 'bearer' && this.#schemes.bearer) {
      return this.#cached(`k\u0000${value}`, { address, user: API_KEY_USER }, 'key', () => this.#byApiKey(value, 'bearer'), 'bearer');
    }
    if (scheme === 'token' && this.#schemes.token) {
      return this.#cached(`k\u0000${value}`, { address, user: API_KEY_USER }, 'key', () => this.#byApiKey(value, 'token'), 'token');
    }
    return { ok: false, reason: 'invalid' };
  }

  #decoyRunTime(): Promise<number> {
    this.#decoyMs ??= (async () => {
      const started = performance.now();
      await verifySecret('calibration', this.#decoyPassword);
      return performance.now() - started;
    })();
    return this.#decoyMs;
  }

  #recordDecoyRun(ms: number): void {
    const previous = this.#decoyMs;
    this.#decoyMs = previous === undefined ? Promise.resolve(ms) : previous.then((p) => 0.7 * p + 0.3 * ms);
  }

  /**
   * One admitted verification. A failed password is stretched to the decoy's running time, so a wrong password for a
   * user whose hash is cheap takes as long as an unknown user (checked against the costliest decoy): timing tells
   * nothing about which names exist, whatever cost each principal's hash was made with. The wait holds no
   * verification slot. (API keys name nobody, so their failures need no stretching.)
   */
  async #verify(attempt: LoginAttempt, kind: 'password' | 'key', verify: () => Promise<Principal | undefined>): Promise<Verified> {
    const admitted = this.#gate === undefined ? undefined : await this.#gate.admit(attempt);
    if (admitted !== undefined && 'reason' in admitted) return admitted;
    const started = performance.now();
    let principal: Principal | undefined;
    try {
      principal = await verify();
    } finally {
      admitted?.release();
    }
    if (principal === undefined && kind === 'password') {
      const rest = (await this.#decoyRunTime()) - (performance.now() - started);
      if (rest > 1) await sleep(rest);
    }
    this.#gate?.settle(attempt, principal !== undefined);
    return principal;
  }

  async #cached(
    raw: string,
    attempt: LoginAttempt,
    kind: 'password' | 'key',
    verify: () => Promise<Principal | undefined>,
    method?: Principal['method'],
  ): Promise<AuthOutcome> {
    // A keyed digest (secret prefix): the map never holds a credential, and nobody outside sees these digests.
    const key = hash('sha256', this.#cacheKey + raw, 'base64url');
    const now = Date.now();
    let entry = this.#cache.get(key);
    const user = attempt.user === API_KEY_USER ? undefined : attempt.user;
    if (entry === undefined || entry.expires <= now) {
      let pending = this.#pending.get(key);
      if (pending === undefined) {
        pending = this.#verify(attempt, kind, verify).finally(() => this.#pending.delete(key));
        this.#pending.set(key, pending);
      }
      const verified = await pending;
      if (isRefusal(verified)) return { ok: false, reason: 'throttled', refusal: verified, user };
      entry = { principal: verified, expires: now + (verified === undefined ? NEGATIVE_TTL_MS : POSITIVE_TTL_MS) };
      if (this.#cache.size >= CACHE_LIMIT) this.#evict(now);
      this.#cache.set(key, entry);
    }
    if (entry.principal === undefined) return { ok: false, reason: 'invalid', user };
    // Bearer and Token share one cache slot; report the scheme actually used.
    const principal = method !== undefined && entry.principal.method !== method ? { ...entry.principal, method } : entry.principal;
    return { ok: true, principal };
  }

  #evict(now: number): void {
    for (const [k, e] of this.#cache) if (e.expires <= now) this.#cache.delete(k);
    // Still full: drop the oldest insertions (Map iterates in insertion order).
    let excess = this.#cache.size - CACHE_LIMIT + 1;
    for (const k of this.#cache.keys()) {
      if (excess-- <= 0) break;
      this.#cache.delete(k);
    }
  }

  async #byBasic(user: string, password: string): Promise<Principal | undefined> {
    const p = this.#principals.get(user);
    // Unknown users and users without a password still cost one scrypt, so timing does not reveal valid names.
    if (p?.passwordHash === undefined) {
      const started = performance.now();
      await verifySecret(password, this.#decoyPassword);
      this.#recordDecoyRun(performance.now() - started);
      return undefined;
    }
    const ok = await verifySecret(password, p.passwordHash);
    return ok ? { name: p.name, anonymous: false, method: 'basic' } : undefined;
  }

  async #byApiKey(key: string, method: Principal['method']): Promise<Principal | undefined> {
    const checks = this.#keyHolders.flatMap((p) => (p.apiKeyHashes ?? []).map(async (h) => ((await verifySecret(key, h)) ? p : undefined)));
    if (checks.length === 0) await verifySecret(key, this.#decoyKey);
    const found = (await Promise.all(checks)).find((p) => p !== undefined);
    return found === undefined ? undefined : { name: found.name, anonymous: false, method };
  }
}

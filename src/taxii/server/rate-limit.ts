/** Settings of the per-principal rate limiter (`limits.rateLimit`); on by default. */
export interface RateLimitConfig {
  /** `false` turns request and failed-login rate limiting off (default on). */
  readonly enabled?: boolean;
  /** Sustained requests per second allowed to one principal (refill rate of its bucket; default 100). */
  readonly requestsPerSecond?: number;
  /** Requests one principal may make at once before being limited (bucket size; default 2 × requestsPerSecond, at least 1). */
  readonly burst?: number;
  /**
   * Failed logins allowed per client address per second (default 2), with a burst of ten seconds' worth. Past it, new
   * logins from the address get 429 without their credentials being checked, except for user names that have logged
   * in from there before (see `LoginGate`), which keeps password spraying from pinning the CPU with scrypt.
   */
  readonly failedAuthPerSecond?: number;
}

/** Defaults of {@link RateLimitConfig}. */
export const RATE_LIMIT_DEFAULTS = Object.freeze({ requestsPerSecond: 100, failedAuthPerSecond: 2 });

/** Verdict of {@link RateLimiter.take}: allowed, or refused with the whole seconds to wait. */
export type RateVerdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** ms timestamp of the last refill. */
  at: number;
}

/** Buckets kept at most; the least recently used are dropped (a dropped bucket is a full one: it errs open). */
const MAX_BUCKETS = 50_000;

/**
 * Token buckets keyed by a string (principal name, or client address for anonymous requests and failed logins).
 * Memory is bounded: at most `MAX_BUCKETS` (50,000) keys, least recently used evicted first, so a flood of distinct
 * addresses cannot grow it without limit. Long-lived state, hence a class.
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(ratePerSecond: number, burst: number, now: () => number = Date.now) {
    this.#rate = ratePerSecond;
    this.#burst = Math.max(1, burst);
    this.#now = now;
  }

  #bucket(key: string): Bucket {
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= MAX_BUCKETS) {
        const oldest = this.#buckets.keys().next();
        if (oldest.done !== true) this.#buckets.delete(oldest.value);
      }
      b = { tokens: this.#burst, at: now };
    } else {
      this.#buckets.delete(key);
      b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
      b.at = now;
    }
    // Re-inserted at the end: Map order is then least-recently-used first.
    this.#buckets.set(key, b);
    return b;
  }

  #wait(b: Bucket): number {
    return Math.max(1, Math.ceil((1 - b.tokens) / this.#rate));
  }

  /** Takes one token for `key`, or says how long to wait for one. */
  take(key: string): RateVerdict {
    const b = this.#bucket(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: this.#wait(b) };
  }

  /** Whether `key` has a token left, without taking it. */
  peek(key: string): RateVerdict {
    const b = this.#bucket(key);
    return b.tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: this.#wait(b) };
  }

  /** Number of keys tracked (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }
}

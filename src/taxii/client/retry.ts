import { TaxiiClientUsageError } from './errors.js';

/**
 * Retry policy: exponential backoff with full jitter, `Retry-After` honoured (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date). Pure functions; the transport applies them.
 */

/** When and how requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4; 0 disables retries). */
  readonly retries?: number;
  /** Base delay of the first retry in ms (default 250). */
  readonly minDelayMs?: number;
  /** Cap of a computed backoff delay in ms (default 15 000). */
  readonly maxDelayMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /**
   * Longest `Retry-After` honoured, in ms (default 120 000). A server asking for longer makes the request fail at once
   * with its 429/503, rather than the client sleeping silently for an hour.
   */
  readonly maxRetryAfterMs?: number;
  /**
   * HTTP statuses retried for idempotent requests (default `[429, 500, 502, 503, 504]`): overload, and the transient
   * server and gateway failures a page request may meet (the OASIS reference server answers some pages with 500).
   */
  readonly statuses?: readonly number[];
  /**
   * Also retry POST (add objects) after a response status in `statuses` or a connection lost mid-request. Off by
   * default: a blind re-POST could duplicate a side effect. For TAXII objects it is safe to turn on, because objects are
   * idempotent by (id, version): the server stores an exact duplicate once and reports it as a success (§5.5).
   * POSTs are always retried when the connection could not be opened at all, since nothing was sent, and (at once,
   * without backoff) when a pooled keep-alive connection that had already carried an exchange was reset or closed
   * before any of the response arrived: the server closed it as idle while the request was on its way. That re-send
   * is safe for the envelopes this client posts: the server keeps objects by id and `modified`, so an object it had
   * stored after all is answered as an exact duplicate (a success), not stored a second time. A connection lost
   * that way on a fresh connection, or after the response began, is retried only with `retryPost`.
   */
  readonly retryPost?: boolean;
  /** Source of randomness for jitter (default `Math.random`); tests pass a constant. */
  readonly random?: () => number;
}

/** {@link RetryOptions} with every default applied. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  retries: 4,
  minDelayMs: 250,
  maxDelayMs: 15_000,
  factor: 2,
  maxRetryAfterMs: 120_000,
  statuses: Object.freeze([429, 500, 502, 503, 504]),
  retryPost: false,
  random: Math.random,
});

/**
 * Applies defaults and checks the numbers.
 *
 * @throws TaxiiClientUsageError for a negative or non-finite setting, or a factor below 1.
 */
export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, retries: 0 };
  const p: RetryPolicy = { ...DEFAULT_RETRY, ...(options ?? {}) };
  for (const k of ['retries', 'minDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const v = p[k];
    if (!Number.isFinite(v) || v < 0) throw new TaxiiClientUsageError(`retry.${k}`, `must be a non-negative number, got ${v}`);
  }
  if (!Number.isFinite(p.factor) || p.factor < 1) throw new TaxiiClientUsageError('retry.factor', `must be >= 1, got ${p.factor}`);
  return p;
}

/**
 * Backoff before retry number `attempt` (1 = first retry): with `cap = min(maxDelay, minDelay * factor^(attempt-1))`,
 * a uniformly random delay in `[cap/2, cap]` ("equal jitter"), so many clients hit by the same outage do not retry in
 * lockstep, yet no retry is immediate (pure "full jitter" can pick ~0 ms again and again against a struggling server).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.minDelayMs * Math.pow(policy.factor, Math.max(0, attempt - 1)));
  return Math.round(cap / 2 + policy.random() * (cap / 2));
}

/**
 * Parses `Retry-After`: delay-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`, also the obsolete
 * RFC 850 and asctime forms `Date.parse` understands). Returns milliseconds from `now` (0 for a date in the past), or
 * `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  // An HTTP-date always names a weekday or month in letters; this keeps `Date.parse` from accepting odd numerals.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The delay before the next attempt after a retryable status, or `undefined` when the request must not be retried
 * again (no retries left, or `Retry-After` beyond `maxRetryAfterMs`). A `Retry-After` is honoured as given (it is a
 * minimum: the larger of it and the backoff is used).
 */
export function delayAfterStatus(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy): number | undefined {
  if (attempt > policy.retries) return undefined;
  const backoff = backoffDelay(attempt, policy);
  if (retryAfterMs === undefined) return backoff;
  if (retryAfterMs > policy.maxRetryAfterMs) return undefined;
  return Math.max(retryAfterMs, Math.min(backoff, policy.minDelayMs));
}

/** Sleeps `ms`, rejecting with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

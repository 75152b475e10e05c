import { availableParallelism } from 'node:os';
import { RateLimiter } from './rate-limit.js';

/**
 * Limits on password and API-key verification (`limits.logins`). scrypt is deliberately expensive, so every
 * verification the server agrees to run is CPU a caller without credentials can spend. Verified credentials are
 * cached by the authenticator and never come through here; only new and wrong ones do.
 */
export interface LoginLimitsConfig {
  /** Verifications running at once (default: the number of CPUs the process may use). */
  readonly concurrent?: number;
  /** Verifications waiting for a free slot (default 64); past it new ones get 503 with `Retry-After`. */
  readonly queued?: number;
  /** Longest wait for a slot in ms (default 2 000); past it the request gets 503 with `Retry-After`. */
  readonly queueTimeoutMs?: number;
  /** Verifications one client address may have running or waiting (default 4); past it, 429. */
  readonly perAddress?: number;
  /**
   * Verifications one user name may have running or waiting, from all addresses together (default 2); past it, 429.
   * A flood aimed at one account from many addresses then holds two slots, not the whole queue.
   */
  readonly perUser?: number;
  /** Failed logins allowed per client address and user name in a burst (default 5)... */
  readonly userFailureBurst?: number;
  /** ...and regained per minute (default 6). Past it that user name is refused from that address with 429. */
  readonly userFailuresPerMinute?: number;
}

/** Resolved defaults of {@link LoginLimitsConfig}. */
export const LOGIN_DEFAULTS = Object.freeze({
  queued: 64,
  queueTimeoutMs: 2_000,
  perAddress: 4,
  perUser: 2,
  userFailureBurst: 5,
  userFailuresPerMinute: 6,
});

/** Who is trying to log in: the client address and the user name (or a stand-in for a bare API key). */
export interface LoginAttempt {
  readonly address: string;
  readonly user: string;
}

/** Why a login was not even tried. `busy` is the server's state (503), the others the caller's doing (429). */
export interface LoginRefusal {
  readonly reason: 'user-failures' | 'address-failures' | 'address-busy' | 'user-busy' | 'busy';
  readonly retryAfterSeconds: number;
}

/** A verification slot; `release` must be called exactly once. */
export interface LoginSlot {
  release(): void;
}

interface Waiter {
  readonly grant: (slot: LoginSlot) => void;
  readonly refuse: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Pairs that logged in successfully are remembered this long (they skip the per-address limits). */
const KNOWN_GOOD_MS = 24 * 3_600_000;
const MAX_KNOWN_GOOD = 50_000;

/**
 * Admission control for credential verification: per (address, user name) failure buckets, a per-address failure
 * bucket, in-flight caps per address and per user name, and a global pool of verification slots with a bounded,
 * time-limited queue.
 *
 * A user name that keeps failing from one address is refused there before its next guess costs anything, while other
 * names from the same address (a NAT, a proxy) go on being served. The per-address limits stop one address from
 * spraying many names, the per-name cap one account being hammered from many addresses; a pair that has logged in
 * successfully before is exempt from them (one check at a time) and is served ahead of the queue, so regular users
 * behind a shared address keep working during a flood from it. Long-lived state, hence a class.
 */
export class LoginGate {
  readonly #concurrent: number;
  readonly #queued: number;
  readonly #timeoutMs: number;
  readonly #perAddress: number;
  readonly #perUser: number;
  readonly #userFailures: RateLimiter;
  readonly #addressFailures: RateLimiter | undefined;
  readonly #inFlight = new Map<string, number>();
  readonly #knownGood = new Map<string, number>();
  #running = 0;
  readonly #queue: Waiter[] = [];
  readonly #priority: Waiter[] = [];

  /**
   * @param addressFailures - failed logins per client address (`limits.rateLimit.failedAuthPerSecond`), or none.
   */
  constructor(config: LoginLimitsConfig = {}, addressFailures?: RateLimiter, now: () => number = Date.now) {
    this.#concurrent = config.concurrent ?? Math.max(1, availableParallelism());
    this.#queued = config.queued ?? LOGIN_DEFAULTS.queued;
    this.#timeoutMs = config.queueTimeoutMs ?? LOGIN_DEFAULTS.queueTimeoutMs;
    this.#perAddress = config.perAddress ?? LOGIN_DEFAULTS.perAddress;
    this.#perUser = config.perUser ?? LOGIN_DEFAULTS.perUser;
    const perMinute = config.userFailuresPerMinute ?? LOGIN_DEFAULTS.userFailuresPerMinute;
    this.#userFailures = new RateLimiter(perMinute / 60, config.userFailureBurst ?? LOGIN_DEFAULTS.userFailureBurst, now);
    this.#addressFailures = addressFailures;
  }

  #pairKey(a: LoginAttempt): string {
    return `${a.address}\u0000${a.user}`;
  }

  #isKnownGood(pair: string): boolean {
    const until = this.#knownGood.get(pair);
    return until !== undefined && until > Date.now();
  }

  /** Number of verifications running now (for tests and metrics). */
  get running(): number {
    return this.#running;
  }

  /** Number of verifications waiting for a slot. */
  get waiting(): number {
    return this.#queue.length + this.#priority.length;
  }

  /**
   * Decides whether `attempt` may run a verification, waiting for a slot when all are busy. Resolves with a slot, or
   * a refusal saying why and how long to wait.
   */
  async admit(attempt: LoginAttempt): Promise<LoginSlot | LoginRefusal> {
    const pair = this.#pairKey(attempt);
    const user = this.#userFailures.peek(pair);
    if (!user.ok) return { reason: 'user-failures', retryAfterSeconds: user.retryAfterSeconds };
    const trusted = this.#isKnownGood(pair);
    // Keys of the in-flight counts this attempt takes: a trusted pair only its own (one at a time), others their
    // address and their user name.
    const keys = trusted ? [`p\u0000${pair}`] : [`a\u0000${attempt.address}`, `u\u0000${attempt.user}`];
    if (trusted) {
      if ((this.#inFlight.get(keys[0] as string) ?? 0) >= 1) return { reason: 'user-busy', retryAfterSeconds: 1 };
    } else {
      const address = this.#addressFailures?.peek(attempt.address);
      if (address !== undefined && !address.ok) return { reason: 'address-failures', retryAfterSeconds: address.retryAfterSeconds };
      if ((this.#inFlight.get(keys[0] as string) ?? 0) >= this.#perAddress) return { reason: 'address-busy', retryAfterSeconds: 1 };
      if ((this.#inFlight.get(keys[1] as string) ?? 0) >= this.#perUser) return { reason: 'user-busy', retryAfterSeconds: 1 };
    }
    for (const k of keys) this.#inFlight.set(k, (this.#inFlight.get(k) ?? 0) + 1);
    const leave = (): void => {
      for (const k of keys) {
        const n = (this.#inFlight.get(k) ?? 1) - 1;
        if (n <= 0) this.#inFlight.delete(k);
        else this.#inFlight.set(k, n);
      }
    };
    const slot = await this.#acquire(trusted);
    if (slot === undefined) {
      leave();
      return { reason: 'busy', retryAfterSeconds: Math.max(1, Math.ceil(this.#timeoutMs / 1000)) };
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        leave();
        slot.release();
      },
    };
  }

  /** Records the outcome of a verification that was admitted. */
  settle(attempt: LoginAttempt, ok: boolean): void {
    const pair = this.#pairKey(attempt);
    if (ok) {
      this.#knownGood.delete(pair);
      if (this.#knownGood.size >= MAX_KNOWN_GOOD) {
        const oldest = this.#knownGood.keys().next();
        if (oldest.done !== true) this.#knownGood.delete(oldest.value);
      }
      this.#knownGood.set(pair, Date.now() + KNOWN_GOOD_MS);
      return;
    }
    this.#userFailures.take(pair);
    this.#addressFailures?.take(attempt.address);
  }

  #slot(): LoginSlot {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#running--;
        this.#next();
      },
    };
  }

  #next(): void {
    while (this.#running < this.#concurrent) {
      const w = this.#priority.shift() ?? this.#queue.shift();
      if (w === undefined) return;
      if (w.timer !== undefined) clearTimeout(w.timer);
      this.#running++;
      w.grant(this.#slot());
    }
  }

  #acquire(priority: boolean): Promise<LoginSlot | undefined> {
    if (this.#running < this.#concurrent) {
      this.#running++;
      return Promise.resolve(this.#slot());
    }
    if (this.#queue.length + this.#priority.length >= this.#queued) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const list = priority ? this.#priority : this.#queue;
      const waiter: Waiter = {
        grant: resolve,
        refuse: () => resolve(undefined),
        timer: undefined,
      };
      waiter.timer = setTimeout(() => {
        const i = list.indexOf(waiter);
        if (i !== -1) list.splice(i, 1);
        waiter.refuse();
      }, this.#timeoutMs);
      waiter.timer.unref?.();
      list.push(waiter);
    });
  }
}

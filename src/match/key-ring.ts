import { keyBytes, parsePseudonym, paymentPseudonym, pseudonymize } from '../distillation/pseudonym.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import { DistillationInputError } from '../distillation/errors.js';

/**
 * The keys a lab holds, by key id. A peer's pseudonym or fingerprint names the key it was made under
 * (`hmac-sha256:<keyId>:…`, `minhash128-w5-keyed:<keyId>/norm-v1`): the lab can test its own values against it only
 * when it holds that key, so every derivation below is per key id and cached per raw value (accounts, cards and
 * addresses recur on every request; an HMAC per request would dominate matching).
 */
export class KeyRing {
  private readonly keys = new Map<string, PseudonymKey>();
  /** Per key id: raw value → pseudonym ('' when there is none), one map per kind. */
  private readonly accounts = new Map<string, Map<string, string>>();
  private readonly payments = new Map<string, Map<string, string>>();
  /** Entries kept per (key, kind) before a cache is dropped and rebuilt: bounds memory on high-cardinality values. */
  private readonly cacheLimit: number;

  /** @throws DistillationInputError when a key is too short or two different secrets share a key id. */
  constructor(keys: readonly PseudonymKey[], cacheLimit = 500_000) {
    for (const [i, k] of keys.entries()) {
      keyBytes(k, `keys[${i}]`);
      const prev = this.keys.get(k.keyId);
      if (prev !== undefined && Buffer.compare(Buffer.from(keyBytes(prev)), Buffer.from(keyBytes(k))) !== 0) {
        throw new DistillationInputError(`keys[${i}].keyId`, `two different secrets are given for key id ${k.keyId}`);
      }
      this.keys.set(k.keyId, k);
      this.accounts.set(k.keyId, new Map());
      this.payments.set(k.keyId, new Map());
    }
    this.cacheLimit = cacheLimit;
  }

  /** Key ids held. */
  get keyIds(): readonly string[] {
    return [...this.keys.keys()];
  }

  /** The key with this id, if held. */
  get(keyId: string): PseudonymKey | undefined {
    return this.keys.get(keyId);
  }

  /** Whether a pseudonym was made under a key this ring holds. */
  holdsKeyOf(pseudonym: string): boolean {
    const parsed = parsePseudonym(pseudonym);
    return parsed !== undefined && this.keys.has(parsed.keyId);
  }

  /** The account-id pseudonym under `keyId` (canonical form `trim`, as {@link pseudonymize} defaults). */
  account(keyId: string, raw: string): string | undefined {
    return this.derive(keyId, this.accounts, raw, pseudonymize);
  }

  /** The payment pseudonym under `keyId` ({@link paymentPseudonym}: the function packages share with). */
  payment(keyId: string, raw: string): string | undefined {
    return this.derive(keyId, this.payments, raw, paymentPseudonym);
  }

  private derive(keyId: string, caches: Map<string, Map<string, string>>, raw: string, make: (raw: string, key: PseudonymKey) => string): string | undefined {
    const cache = caches.get(keyId);
    if (cache === undefined) return undefined;
    let v = cache.get(raw);
    if (v === undefined) {
      try {
        v = make(raw, this.keys.get(keyId) as PseudonymKey);
      } catch (e) {
        // An empty or already-pseudonymous raw value has no pseudonym: it simply cannot match.
        if (e instanceof DistillationInputError) v = '';
        else throw e;
      }
      if (cache.size >= this.cacheLimit) cache.clear();
      cache.set(raw, v);
    }
    return v === '' ? undefined : v;
  }
}

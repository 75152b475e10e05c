import { createHmac } from 'node:crypto';
import { DistillationInputError } from './errors.js';

/**
 * Keyed pseudonyms for identifiers that must never leave a lab in clear (account ids, payment instruments, API keys,
 * e-mail addresses). A pseudonym is `hmac-sha256:<keyId>:<64 hex digits>`: the HMAC-SHA256 of the identifier under a
 * secret shared by the trust group. Members holding the same key derive the same pseudonym from the same identifier,
 * so they can correlate, while anyone else cannot reverse it or test guesses (an unkeyed hash of a card number or an
 * e-mail address is reversed by enumeration in minutes). The key id travels with the value so keys can rotate.
 */

/** A trust-group key: the secret and the id under which members know it (e.g. `fmf-2026q2`). */
export interface PseudonymKey {
  /** At least 16 bytes of secret (a string is taken as UTF-8). */
  readonly key: string | Uint8Array;
  /** Letters, digits, `.`, `_` and `-`, 1-64 characters; no `:` (it separates the parts). */
  readonly keyId: string;
}

/** Options of {@link pseudonymize}. */
export interface PseudonymizeOptions extends PseudonymKey {
  /**
   * Canonical form applied before hashing, so that two labs spelling the same identifier differently still agree.
   * Default `'trim'` (NFKC and surrounding whitespace removed). `'lowercase'` also lower-cases (e-mail addresses,
   * account logins); `'digits'` keeps digits only (card numbers, phone numbers); `'none'` hashes the exact bytes.
   */
  readonly canonical?: 'trim' | 'lowercase' | 'digits' | 'none';
}

/** The parts of a pseudonym. */
export interface ParsedPseudonym {
  readonly algorithm: 'hmac-sha256';
  readonly keyId: string;
  readonly hex: string;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const PSEUDONYM = /^hmac-sha256:([A-Za-z0-9._-]{1,64}):([0-9a-f]{64})$/;
/** Below this, a key is guessable or a placeholder; refuse rather than produce weak pseudonyms. */
export const MIN_KEY_BYTES = 16;

/** The secret as bytes, refusing keys too short to resist guessing. */
export function keyBytes(key: PseudonymKey, field = 'key'): Uint8Array {
  if (key === null || typeof key !== 'object') throw new DistillationInputError(field, 'a {key, keyId} object is required');
  if (typeof key.keyId !== 'string' || !KEY_ID.test(key.keyId)) {
    throw new DistillationInputError(`${field}.keyId`, 'keyId must be 1-64 letters, digits, ".", "_" or "-" (no ":")');
  }
  const bytes = typeof key.key === 'string' ? new TextEncoder().encode(key.key) : key.key;
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_KEY_BYTES) {
    throw new DistillationInputError(`${field}.key`, `the secret must be at least ${MIN_KEY_BYTES} bytes`);
  }
  return bytes;
}

function canonicalise(value: string, mode: NonNullable<PseudonymizeOptions['canonical']>): string {
  if (mode === 'none') return value;
  const trimmed = value.normalize('NFKC').trim();
  if (mode === 'lowercase') return trimmed.toLowerCase();
  if (mode === 'digits') return trimmed.replace(/\D+/g, '');
  return trimmed;
}

/**
 * Pseudonymises an identifier: `hmac-sha256:<keyId>:<hex>`.
 *
 * @example
 * ```ts
 * const key = { key: process.env.FMF_KEY!, keyId: 'fmf-2026q2' };
 * pseudonymize('acct_83921', key); // 'hmac-sha256:fmf-2026q2:…'
 * ```
 * @throws DistillationInputError when the value is empty or already a pseudonym, or the key is too short.
 */
export function pseudonymize(value: string, options: PseudonymizeOptions): string {
  const secret = keyBytes(options);
  if (typeof value !== 'string') throw new DistillationInputError('value', 'the identifier must be a string');
  if (isPseudonym(value)) {
    // Hashing a pseudonym again would yield a value no other member can match.
    throw new DistillationInputError('value', 'the value is already a pseudonym');
  }
  const canonical = canonicalise(value, options.canonical ?? 'trim');
  if (canonical.length === 0) throw new DistillationInputError('value', 'the identifier is empty');
  const hex = createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
  return `hmac-sha256:${options.keyId}:${hex}`;
}

/** Whether `value` has the pseudonym shape `hmac-sha256:<keyId>:<64 lower-case hex digits>`. */
export function isPseudonym(value: unknown): value is string {
  return typeof value === 'string' && PSEUDONYM.test(value);
}

/** Splits a pseudonym into its parts; `undefined` when it is not one. */
export function parsePseudonym(value: string): ParsedPseudonym | undefined {
  const m = PSEUDONYM.exec(value);
  if (m === null) return undefined;
  return { algorithm: 'hmac-sha256', keyId: m[1] as string, hex: m[2] as string };
}

// A card number as people and processors write it: digits with optional spaces or dashes.
const CARD_NUMBER = /^[\d\s-]{12,}$/;

/**
 * The pseudonym of a payment identifier. Card numbers (digits, spaces, dashes) are reduced to their digits so that
 * `4111 1111-1111 1111` and `4111111111111111` agree; opaque processor fingerprints (`fp_9Ab...`) are kept whole,
 * since dropping their letters would make different instruments collide. Both sides of a match (the package that
 * shares the pseudonym and the lab that looks for it) use this one function.
 */
export function paymentPseudonym(value: string, key: PseudonymKey): string {
  const canonical = typeof value === 'string' && CARD_NUMBER.test(value.normalize('NFKC').trim()) ? 'digits' : 'trim';
  return pseudonymize(value, { ...key, canonical });
}

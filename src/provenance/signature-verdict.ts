import type { KeyObject } from 'node:crypto';
import { formatTimestamp, isTimestamp } from '../stix/timestamps.js';
import { contentDigest } from './content-digest.js';
import { ProvenanceError } from './errors.js';
import { rawVerify, signatureList, signaturePointer, signedText, signingMessage } from './jss.js';
import type { JssSignature, SignaturePosition } from './jss.js';
import { isHashAlgorithm, isSignatureAlgorithm, keyThumbprint, parsePublicKeyText } from './keys.js';
import { keyStanding } from './trust-store.js';
import type { TrustStore } from './trust-store.js';

/**
 * Why a signature (or an object) is not trusted:
 * - `unsigned`: the object has no signatures;
 * - `malformed`: the signatures are not X.590 signature objects, or exceed the bounds we check;
 * - `unsupported-algorithm`: an algorithm or hash we do not verify;
 * - `content-changed`: the object is not what was signed (its content digest no longer matches);
 * - `bad-signature`: the signature does not verify (forged, or the signature itself was altered);
 * - `unknown-key`: the trust store does not know the key (or there is no trust store);
 * - `key-not-yet-valid`, `key-expired`, `key-revoked`: the key was not in force when the signature was made;
 * - `signee-mismatch`: the signature claims a signer other than the identity the trust store binds the key to;
 * - `signer-not-creator`: a trusted signature, but not by the object's `created_by_ref`;
 * - `signature-time-invalid`: the signature's `created` is not a timestamp, or lies in the future.
 */
export type VerdictReason =
  | 'unsigned'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'content-changed'
  | 'bad-signature'
  | 'unknown-key'
  | 'key-not-yet-valid'
  | 'key-expired'
  | 'key-revoked'
  | 'signee-mismatch'
  | 'signer-not-creator'
  | 'signature-time-invalid';

/** The verdict on one signature or countersignature. */
export interface SignatureVerdict {
  /** JSON pointer, e.g. `/signatures/0` or `/signatures/0/signature` for its countersignature. */
  readonly path: string;
  /** The signature verifies against its key (says nothing about whether that key is trusted). */
  readonly valid: boolean;
  /** Valid, and made by a key the trust store binds to `signer`, in force at the signature's date. */
  readonly trusted: boolean;
  /** The identity the trust store binds the key to (or, for an unknown key, the `signee` it claims). */
  readonly signer?: string;
  /** RFC 7638 thumbprint of the key. */
  readonly keyId?: string;
  readonly algorithm?: string;
  /** The signature's `created`. */
  readonly created?: string;
  readonly reason?: VerdictReason;
  readonly message: string;
}

/** The verdict on an object. */
export interface ObjectVerdict {
  /** Some signature on the object verifies (cryptographically). */
  readonly valid: boolean;
  /**
   * A top-level signature is valid, by a trusted key in force at its date, and by the object's creator
   * (`created_by_ref`; for an object without one, by any trusted identity).
   */
  readonly trusted: boolean;
  /** The signer of the signature that decided the verdict. */
  readonly signer?: string;
  readonly keyId?: string;
  /** Why the object is not trusted (absent when it is). */
  readonly reason?: VerdictReason;
  readonly message: string;
  /** Every signature and countersignature, top-level ones first in order, each followed by its chain. */
  readonly signatures: readonly SignatureVerdict[];
}

/** How to verify. */
export interface VerifyOptions {
  /** Keys and their producers; without it no signature is trusted (`unknown-key`). */
  readonly trust?: TrustStore;
  /** "Now", for refusing future-dated signatures (default the clock). */
  readonly now?: Date;
  /** Clock skew tolerated on a signature's `created` (default 5 minutes). */
  readonly skewMs?: number;
}

/** How far a failed signature got; the object's reason is that of the signature that got furthest. */
const PROGRESS: Readonly<Record<VerdictReason, number>> = {
  unsigned: 0,
  malformed: 1,
  'unsupported-algorithm': 2,
  'bad-signature': 3,
  'content-changed': 4,
  'signature-time-invalid': 5,
  'unknown-key': 6,
  'key-not-yet-valid': 7,
  'key-expired': 7,
  'key-revoked': 7,
  'signee-mismatch': 8,
  'signer-not-creator': 9,
};

interface Resolved {
  readonly key?: KeyObject;
  readonly keyId?: string;
  readonly signer?: string;
  readonly trustedKey: boolean;
  readonly failure?: { reason: VerdictReason; message: string };
}

/**
 * Public keys already parsed, by algorithm and text: a feed carries a handful of producers' keys thousands of times,
 * and parsing DER and hashing the JWK cost more than the signature check itself. Bounded: a sender inventing keys
 * only empties it.
 */
const parsedKeys = new Map<string, { readonly key: KeyObject; readonly keyId: string }>();
const MAX_PARSED_KEYS = 1024;

/** Finds the key of a signature: through the trust store by thumbprint, else the embedded public key. */
function resolveKey(sig: JssSignature, algorithm: 'Ed25519' | 'ES256', path: string, trust: TrustStore | undefined): Resolved {
  let embedded: KeyObject | undefined;
  let embeddedId: string | undefined;
  if (sig.public_key !== undefined) {
    const cacheKey = `${algorithm}:${sig.public_key}`;
    const cached = parsedKeys.get(cacheKey);
    if (cached !== undefined) {
      embedded = cached.key;
      embeddedId = cached.keyId;
    } else {
      try {
        embedded = parsePublicKeyText(sig.public_key, algorithm, `${path}/public_key`);
      } catch (err) {
        return { trustedKey: false, failure: { reason: 'malformed', message: (err as ProvenanceError).message } };
      }
      embeddedId = keyThumbprint(embedded);
      if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.clear();
      parsedKeys.set(cacheKey, { key: embedded, keyId: embeddedId });
    }
  }
  const thumbprint = typeof sig.thumbprint === 'string' ? sig.thumbprint : undefined;
  if (thumbprint !== undefined && embeddedId !== undefined && thumbprint !== embeddedId) {
    return { trustedKey: false, failure: { reason: 'malformed', message: `${path}: thumbprint does not match public_key` } };
  }
  const keyId = embeddedId ?? thumbprint;
  const known = keyId === undefined ? undefined : trust?.key(keyId);
  if (known !== undefined && keyId !== undefined) {
    if (known.algorithm !== algorithm) {
      return { keyId, trustedKey: false, failure: { reason: 'malformed', message: `${path}: the trust store holds key ${keyId} for ${known.algorithm}, not ${algorithm}` } };
    }
    return { key: known.publicKey, keyId, signer: known.identity, trustedKey: true };
  }
  const claimed = typeof sig['signee'] === 'string' ? sig['signee'] : undefined;
  return { ...(embedded !== undefined ? { key: embedded } : {}), ...(keyId !== undefined ? { keyId } : {}), ...(claimed !== undefined ? { signer: claimed } : {}), trustedKey: false };
}

function verdict(path: string, fields: Omit<SignatureVerdict, 'path'>): SignatureVerdict {
  return { path, ...fields };
}

/** Verifies one signature at `at` of `obj` (everything but the creator check). */
function verifyOne(obj: Readonly<Record<string, unknown>>, sig: JssSignature, at: SignaturePosition, options: VerifyOptions): SignatureVerdict {
  const path = signaturePointer(at);
  const algorithm = sig.algorithm;
  const hash = sig.hash_algorithm;
  const created = typeof sig['created'] === 'string' ? sig['created'] : undefined;
  const base = { algorithm, ...(created !== undefined ? { created } : {}) };
  if (!isSignatureAlgorithm(algorithm) || !isHashAlgorithm(hash)) {
    return verdict(path, { ...base, valid: false, trusted: false, reason: 'unsupported-algorithm', message: `${path}: ${algorithm} with ${hash} is not an algorithm we verify (Ed25519 or ES256; sha-256 or sha-512)` });
  }
  const r = resolveKey(sig, algorithm, path, options.trust);
  const who = { ...(r.keyId !== undefined ? { keyId: r.keyId } : {}), ...(r.signer !== undefined ? { signer: r.signer } : {}) };
  if (r.failure !== undefined) return verdict(path, { ...base, ...who, valid: false, trusted: false, ...r.failure });
  if (r.key === undefined) {
    return verdict(path, { ...base, ...who, valid: false, trusted: false, reason: 'unknown-key', message: `${path}: key ${r.keyId ?? '(none)'} is not in the trust store and the signature carries no public key` });
  }
  const ok = rawVerify(algorithm, r.key, signingMessage(signedText(obj, at), hash), sig.value);
  if (!ok) {
    const digest = sig['content_digest'];
    const changed = typeof digest === 'string' && digest !== contentDigest(obj, hash);
    return verdict(path, {
      ...base,
      ...who,
      valid: false,
      trusted: false,
      reason: changed ? 'content-changed' : 'bad-signature',
      message: changed ? `${path}: the object changed after it was signed` : `${path}: the signature does not verify`,
    });
  }
  if (!r.trustedKey) {
    return verdict(path, { ...base, ...who, valid: true, trusted: false, reason: 'unknown-key', message: `${path}: valid, but key ${r.keyId ?? ''} is not in the trust store` });
  }
  const nowMs = (options.now ?? new Date()).getTime();
  const signedAt = created ?? formatTimestamp(nowMs);
  if (!isTimestamp(signedAt) || Date.parse(signedAt) > nowMs + (options.skewMs ?? 300_000)) {
    return verdict(path, { ...base, ...who, valid: true, trusted: false, reason: 'signature-time-invalid', message: `${path}: created ${signedAt} is not a timestamp in the past` });
  }
  const key = options.trust?.key(r.keyId as string);
  const standing = key === undefined ? 'in-force' : keyStanding(key, signedAt);
  if (standing !== 'in-force') {
    const reason: VerdictReason = standing === 'revoked' ? 'key-revoked' : standing === 'expired' ? 'key-expired' : 'key-not-yet-valid';
    return verdict(path, { ...base, ...who, valid: true, trusted: false, reason, message: `${path}: key ${r.keyId ?? ''} of ${r.signer ?? ''} was ${standing} at ${signedAt}` });
  }
  const signee = sig['signee'];
  if (signee !== undefined && signee !== r.signer) {
    return verdict(path, { ...base, ...who, valid: true, trusted: false, reason: 'signee-mismatch', message: `${path}: claims signee ${String(signee)}, but the key belongs to ${r.signer ?? ''}` });
  }
  return verdict(path, { ...base, ...who, valid: true, trusted: true, message: `${path}: valid, signed by ${r.signer ?? ''} with key ${r.keyId ?? ''}` });
}

/**
 * The verdict on an object's signatures (see `verifyObject`, which is this plus registering the signatures extension
 * with the validator). Depends on nothing but the object, the trust store and the clock, so a verification thread
 * (verify-pool.ts) computes exactly what the request thread would.
 *
 * Never throws on hostile input: whatever is wrong with the object becomes the verdict.
 */
export function signatureVerdict(obj: Readonly<Record<string, unknown>>, options: VerifyOptions = {}): ObjectVerdict {
  let list: readonly JssSignature[];
  try {
    list = signatureList(obj);
  } catch (err) {
    const message = err instanceof ProvenanceError ? err.message : String(err);
    return { valid: false, trusted: false, reason: 'malformed', message, signatures: [] };
  }
  if (list.length === 0) return { valid: false, trusted: false, reason: 'unsigned', message: 'the object carries no signatures', signatures: [] };
  const creator = typeof obj['created_by_ref'] === 'string' ? obj['created_by_ref'] : undefined;
  const all: SignatureVerdict[] = [];
  let best: SignatureVerdict | undefined;
  let bestScore = -1;
  list.forEach((top, index) => {
    let node: JssSignature | undefined = top;
    for (let depth = 0; node !== undefined; depth++, node = node.signature) {
      let v = verifyOne(obj, node, { index, depth }, options);
      if (depth === 0 && v.trusted && creator !== undefined && v.signer !== creator) {
        v = { ...v, trusted: false, reason: 'signer-not-creator', message: `${v.path}: signed by ${v.signer ?? ''}, but the object was created by ${creator}` };
      }
      all.push(v);
      if (depth !== 0) continue;
      const score = v.trusted ? 100 : PROGRESS[v.reason ?? 'malformed'];
      if (score > bestScore) {
        best = v;
        bestScore = score;
      }
    }
  });
  const decided = best as SignatureVerdict;
  return {
    valid: all.some((v) => v.valid),
    trusted: decided.trusted,
    ...(decided.signer !== undefined ? { signer: decided.signer } : {}),
    ...(decided.keyId !== undefined ? { keyId: decided.keyId } : {}),
    ...(decided.reason !== undefined ? { reason: decided.reason } : {}),
    message: decided.message,
    signatures: all,
  };
}

import type { KeyObject } from 'node:crypto';
import { parseIdentifier } from '../stix/ids.js';
import { compareTimestamps, isTimestamp } from '../stix/timestamps.js';
import { ProvenanceError } from './errors.js';
import { isSignatureAlgorithm, keyThumbprint, parsePublicKeyText, SIGNATURE_ALGORITHMS } from './keys.js';
import type { SignatureAlgorithm } from './keys.js';

/**
 * The trust store: which keys speak for which producer identity, and when. A key is in force from `valid_from` until
 * `valid_until` (rotation: the successor takes over, and what the old key signed while in force stays valid) or until
 * `revoked_at` (compromise: signatures dated from that instant on are refused; earlier ones stay valid, so history
 * need not be re-signed). A signature's date is its `created` metadata.
 */

/** `type` of a trust-store document. */
export const TRUST_STORE_TYPE = 'distill-intel-trust-store';

/** Why a key was revoked. */
export type RevocationReason = 'compromised' | 'superseded' | 'withdrawn';
const REVOCATION_REASONS: readonly RevocationReason[] = ['compromised', 'superseded', 'withdrawn'];

/** One key of an identity, as written in a trust-store file. */
export interface TrustedKeyRecord {
  /** RFC 7638 thumbprint; computed from `public_key` when absent, and checked against it when present. */
  readonly key_id?: string;
  readonly algorithm: SignatureAlgorithm;
  /** Base64 DER SubjectPublicKeyInfo (the X.590 `public_key` form). */
  readonly public_key: string;
  readonly valid_from?: string;
  readonly valid_until?: string;
  readonly revoked_at?: string;
  readonly revocation_reason?: RevocationReason;
}

/** One producer identity and its keys. */
export interface TrustedIdentityRecord {
  /** `identity--<uuid>`: the `created_by_ref` its objects carry. */
  readonly identity: string;
  /** Human-readable name (reports only). */
  readonly name?: string;
  readonly keys: readonly TrustedKeyRecord[];
}

/** A trust-store document (the file format). */
export interface TrustStoreDocument {
  readonly type: typeof TRUST_STORE_TYPE;
  readonly version: 1;
  readonly identities: readonly TrustedIdentityRecord[];
}

/** A key the store knows, resolved. */
export interface TrustedKey {
  readonly identity: string;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: KeyObject;
  readonly record: TrustedKeyRecord;
}

/** Whether a key was in force at an instant. */
export type KeyStanding = 'in-force' | 'not-yet-valid' | 'expired' | 'revoked';

/** Most identities and keys a trust-store document may hold: it is configuration, and bounds keep a typo cheap. */
const MAX_IDENTITIES = 10_000;
const MAX_KEYS_PER_IDENTITY = 64;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function invalid(path: string, message: string, cause?: unknown): ProvenanceError {
  return new ProvenanceError('TRUST_STORE_INVALID', path, message, cause === undefined ? undefined : { cause });
}

function checkTimestamp(record: Record<string, unknown>, name: string, path: string): void {
  const v = record[name];
  if (v !== undefined && !isTimestamp(v)) throw invalid(`${path}/${name}`, 'must be an RFC 3339 UTC timestamp such as 2026-01-01T00:00:00Z');
}

function readKey(raw: unknown, identity: string, path: string): TrustedKey {
  if (!isObject(raw)) throw invalid(path, 'a key is an object with algorithm and public_key');
  for (const name of Object.keys(raw)) {
    if (!['key_id', 'algorithm', 'public_key', 'valid_from', 'valid_until', 'revoked_at', 'revocation_reason'].includes(name)) {
      throw invalid(`${path}/${name}`, 'is not a key property (key_id, algorithm, public_key, valid_from, valid_until, revoked_at, revocation_reason)');
    }
  }
  const algorithm = raw['algorithm'];
  if (!isSignatureAlgorithm(algorithm)) throw invalid(`${path}/algorithm`, `must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
  if (typeof raw['public_key'] !== 'string') throw invalid(`${path}/public_key`, 'is required: the base64 SubjectPublicKeyInfo');
  let publicKey: KeyObject;
  try {
    publicKey = parsePublicKeyText(raw['public_key'], algorithm);
  } catch (cause) {
    throw invalid(`${path}/public_key`, (cause as Error).message, cause);
  }
  const keyId = keyThumbprint(publicKey);
  if (raw['key_id'] !== undefined && raw['key_id'] !== keyId) throw invalid(`${path}/key_id`, `does not match the public key (its RFC 7638 thumbprint is ${keyId})`);
  for (const t of ['valid_from', 'valid_until', 'revoked_at']) checkTimestamp(raw, t, path);
  const from = raw['valid_from'] as string | undefined;
  const until = raw['valid_until'] as string | undefined;
  if (from !== undefined && until !== undefined && compareTimestamps(until, from) <= 0) throw invalid(`${path}/valid_until`, 'must be later than valid_from');
  const reason = raw['revocation_reason'];
  if (reason !== undefined) {
    if (!REVOCATION_REASONS.includes(reason as RevocationReason)) throw invalid(`${path}/revocation_reason`, `must be one of ${REVOCATION_REASONS.join(', ')}`);
    if (raw['revoked_at'] === undefined) throw invalid(`${path}/revocation_reason`, 'needs revoked_at');
  }
  return { identity, keyId, algorithm, publicKey, record: { ...(raw as unknown as TrustedKeyRecord), key_id: keyId } };
}

/**
 * The keys of producer identities, resolved once; lookups by key id are a map read. Build it with
 * {@link TrustStore.fromDocument} (or `loadTrustStore` for a file).
 */
export class TrustStore {
  private readonly byKeyId = new Map<string, TrustedKey>();
  private readonly names = new Map<string, string | undefined>();

  private constructor() {}

  /**
   * Reads a trust-store document.
   *
   * @throws ProvenanceError `TRUST_STORE_INVALID` naming the first offending member.
   */
  static fromDocument(doc: unknown, source = ''): TrustStore {
    const at = (p: string) => (source === '' ? p : `${source}:${p}`);
    if (!isObject(doc)) throw invalid(at(''), 'a trust store is a JSON object');
    if (doc['type'] !== TRUST_STORE_TYPE) throw invalid(at('/type'), `must be "${TRUST_STORE_TYPE}"`);
    if (doc['version'] !== 1) throw invalid(at('/version'), 'must be 1');
    const identities = doc['identities'];
    if (!Array.isArray(identities)) throw invalid(at('/identities'), 'must be a list');
    if (identities.length > MAX_IDENTITIES) throw invalid(at('/identities'), `holds more than ${MAX_IDENTITIES} identities`);
    const store = new TrustStore();
    identities.forEach((entry: unknown, i) => {
      const path = `/identities/${i}`;
      if (!isObject(entry)) throw invalid(at(path), 'must be an object with identity and keys');
      const identity = entry['identity'];
      if (typeof identity !== 'string' || parseIdentifier(identity)?.type !== 'identity') throw invalid(at(`${path}/identity`), 'must be an identity--<uuid> id');
      if (store.names.has(identity)) throw invalid(at(`${path}/identity`), `${identity} is listed twice; give it one entry with all its keys`);
      const name = entry['name'];
      if (name !== undefined && typeof name !== 'string') throw invalid(at(`${path}/name`), 'must be a string');
      store.names.set(identity, name);
      const keys = entry['keys'];
      if (!Array.isArray(keys)) throw invalid(at(`${path}/keys`), 'must be a list');
      if (keys.length > MAX_KEYS_PER_IDENTITY) throw invalid(at(`${path}/keys`), `holds more than ${MAX_KEYS_PER_IDENTITY} keys`);
      keys.forEach((k: unknown, j) => {
        const key = readKey(k, identity, at(`${path}/keys/${j}`));
        const other = store.byKeyId.get(key.keyId);
        if (other !== undefined) throw invalid(at(`${path}/keys/${j}`), `key ${key.keyId} already belongs to ${other.identity}: one key speaks for one identity`);
        store.byKeyId.set(key.keyId, key);
      });
    });
    return store;
  }

  /** The key with this RFC 7638 thumbprint, if the store knows it. */
  key(keyId: string): TrustedKey | undefined {
    return this.byKeyId.get(keyId);
  }

  /** Identity ids the store knows. */
  identities(): string[] {
    return [...this.names.keys()];
  }

  /** The name recorded for an identity. */
  nameOf(identity: string): string | undefined {
    return this.names.get(identity);
  }

  /** The store as a document (what `toJSON` and the file hold). */
  toDocument(): TrustStoreDocument {
    const identities = [...this.names].map(([identity, name]) => ({
      identity,
      ...(name !== undefined ? { name } : {}),
      keys: [...this.byKeyId.values()].filter((k) => k.identity === identity).map((k) => k.record),
    }));
    return { type: TRUST_STORE_TYPE, version: 1, identities };
  }

  toJSON(): TrustStoreDocument {
    return this.toDocument();
  }
}

/**
 * Whether `key` was in force at `at` (a STIX timestamp): revocation wins over expiry, since a compromised key must
 * not be explained away as merely old.
 */
export function keyStanding(key: TrustedKey, at: string): KeyStanding {
  const r = key.record;
  if (r.revoked_at !== undefined && compareTimestamps(at, r.revoked_at) >= 0) return 'revoked';
  if (r.valid_from !== undefined && compareTimestamps(at, r.valid_from) < 0) return 'not-yet-valid';
  if (r.valid_until !== undefined && compareTimestamps(at, r.valid_until) >= 0) return 'expired';
  return 'in-force';
}

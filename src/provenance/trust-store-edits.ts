import { parseIdentifier } from '../stix/ids.js';
import { isTimestamp } from '../stix/timestamps.js';
import { ProvenanceError } from './errors.js';
import { TrustStore } from './trust-store.js';
import type { RevocationReason, TrustedIdentityRecord, TrustedKeyRecord, TrustStoreDocument } from './trust-store.js';
import type { SigningKey } from './keys.js';

/**
 * Pure edits of trust-store documents (what `distill-intel keys trust` does to a file). Each returns a new document
 * that has been read back through {@link TrustStore.fromDocument}, so an edit can never write a store that does not load.
 */

/** An empty trust store. */
export function emptyTrustStore(): TrustStoreDocument {
  return { type: 'distill-intel-trust-store', version: 1, identities: [] };
}

/** The trust-store entry that publishes one key of an identity (what `keys generate` writes as `<name>.pub.json`). */
export function publicKeyEntry(identity: string, key: SigningKey, validFrom: string, name?: string): TrustedIdentityRecord {
  if (parseIdentifier(identity)?.type !== 'identity') throw new ProvenanceError('SIGN_INPUT_INVALID', '/identity', 'must be an identity--<uuid> id');
  return {
    identity,
    ...(name !== undefined ? { name } : {}),
    keys: [{ key_id: key.keyId, algorithm: key.algorithm, public_key: key.publicKeyText, valid_from: validFrom }],
  };
}

function checked(doc: TrustStoreDocument): TrustStoreDocument {
  return TrustStore.fromDocument(doc).toDocument();
}

/**
 * Adds the keys of `entry` to the store (the identity is created when new; a key already present is left as it is, so
 * adding the same published entry twice changes nothing).
 *
 * @throws ProvenanceError `TRUST_STORE_INVALID` when the result would not load (a key bound to two identities...).
 */
export function addTrustEntry(doc: TrustStoreDocument, entry: unknown): TrustStoreDocument {
  const single = TrustStore.fromDocument({ type: 'distill-intel-trust-store', version: 1, identities: [entry] }).toDocument().identities[0] as TrustedIdentityRecord;
  const current = checked(doc);
  const existing = current.identities.find((i) => i.identity === single.identity);
  const known = new Set(current.identities.flatMap((i) => i.keys.map((k) => k.key_id)));
  const fresh = single.keys.filter((k) => !known.has(k.key_id));
  const identities = existing === undefined
    ? [...current.identities, single]
    : current.identities.map((i) => (i === existing ? { ...i, ...(single.name !== undefined && i.name === undefined ? { name: single.name } : {}), keys: [...i.keys, ...fresh] } : i));
  return checked({ ...current, identities });
}

/**
 * Marks a key revoked from `at` on (signatures dated earlier stay valid) or retires it (`superseded`: the same cut-off,
 * recorded as a rotation rather than a compromise).
 *
 * @throws ProvenanceError `TRUST_STORE_INVALID` when the store has no key `keyId`, or `at` is not a timestamp.
 */
export function revokeTrustedKey(doc: TrustStoreDocument, keyId: string, at: string, reason: RevocationReason): TrustStoreDocument {
  if (!isTimestamp(at)) throw new ProvenanceError('TRUST_STORE_INVALID', '/revoked_at', `${at} is not an RFC 3339 UTC timestamp`);
  const current = checked(doc);
  let found = false;
  const identities = current.identities.map((i) => ({
    ...i,
    keys: i.keys.map((k): TrustedKeyRecord => {
      if (k.key_id !== keyId) return k;
      found = true;
      return { ...k, revoked_at: at, revocation_reason: reason };
    }),
  }));
  if (!found) throw new ProvenanceError('TRUST_STORE_INVALID', '/identities', `no key ${keyId} in the trust store`);
  return checked({ ...current, identities });
}

import type { TrustStoreDocument } from '../../src/provenance/trust-store.js';

/** A public key as the tests' generated signing keys expose it. */
interface PublicKeyText {
  readonly publicKeyText: string;
}

/**
 * The trust store the signature tests share: lab A with a current Ed25519 key and a second one revoked as
 * compromised at `revokedAt`, lab B with one ES256 key.
 */
export function twoLabTrust(
  labs: { readonly a: string; readonly b: string },
  keys: { readonly a: PublicKeyText; readonly aRevoked: PublicKeyText; readonly b: PublicKeyText },
  revokedAt: string,
): TrustStoreDocument {
  return {
    type: 'distill-intel-trust-store',
    version: 1,
    identities: [
      {
        identity: labs.a,
        keys: [
          { algorithm: 'Ed25519', public_key: keys.a.publicKeyText },
          { algorithm: 'Ed25519', public_key: keys.aRevoked.publicKeyText, revoked_at: revokedAt, revocation_reason: 'compromised' },
        ],
      },
      { identity: labs.b, keys: [{ algorithm: 'ES256', public_key: keys.b.publicKeyText }] },
    ],
  } as TrustStoreDocument;
}

/**
 * Signed provenance for STIX objects: ITU-T X.590 JSON Signature Scheme signatures over RFC 8785 canonical JSON,
 * carried as a `toplevel-property-extension`, with a trust store mapping producer identities to keys.
 *
 * @packageDocumentation
 */
export { ProvenanceError } from './errors.js';
export type { ProvenanceErrorCode } from './errors.js';
export {
  generateSigningKey,
  HASH_ALGORITHMS,
  keyThumbprint,
  parsePublicKeyText,
  privateKeyPem,
  publicKeyText,
  SIGNATURE_ALGORITHMS,
  signingKeyFrom,
  signingKeyFromPem,
} from './keys.js';
export type { HashAlgorithm, SignatureAlgorithm, SigningKey } from './keys.js';
export {
  addJssCountersignature,
  addJssSignature,
  MAX_CHAIN_DEPTH,
  MAX_SIGNATURES,
  signedText,
  signingMessage,
  SIGNATURES_PROPERTY,
} from './jss.js';
export type { JssSignature, JssSignOptions, SignaturePosition, UnsignedSignature } from './jss.js';
export { registerSignaturesExtension, SIGNATURES_EXTENSION_ID, signaturesExtensionDefinition } from './definition.js';
export { countersign, signObject, stripSignatures } from './sign.js';
export type { SignOptions, StixJson } from './sign.js';
export { verifyObject } from './verify.js';
export { signatureVerdict } from './signature-verdict.js';
export { defaultVerifyThreads, VerifyPool } from './verify-pool.js';
export type { VerifyPoolOptions } from './verify-pool.js';
export type { ObjectVerdict, SignatureVerdict, VerdictReason, VerifyOptions } from './verify.js';
export { keyStanding, TRUST_STORE_TYPE, TrustStore } from './trust-store.js';
export type { KeyStanding, RevocationReason, TrustedIdentityRecord, TrustedKey, TrustedKeyRecord, TrustStoreDocument } from './trust-store.js';
export { loadTrustStore } from './trust-store-file.js';
export { addTrustEntry, emptyTrustStore, publicKeyEntry, revokeTrustedKey } from './trust-store-edits.js';

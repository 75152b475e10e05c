import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ProvenanceError } from './errors.js';

/**
 * Signature algorithms we produce and accept (X.590 §6.2.2 `signature-algorithm-type-ov` values): Ed25519 (RFC 8032,
 * the default) and ES256 (ECDSA on P-256 with SHA-256, JWA §3.4). Others in the vocabulary (RSA, XMSS, LMS...) are
 * refused rather than half-supported.
 */
export const SIGNATURE_ALGORITHMS = ['Ed25519', 'ES256'] as const;
/** One of {@link SIGNATURE_ALGORITHMS}. */
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** Hash algorithms for X.590 `hash_algorithm`, by their IANA "Named Information Hash Algorithm" names. */
export const HASH_ALGORITHMS = ['sha-256', 'sha-512'] as const;
/** One of {@link HASH_ALGORITHMS}. */
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** node:crypto's digest name for each IANA hash name. */
export const NODE_HASH: Readonly<Record<HashAlgorithm, string>> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

/**
 * Longest public-key text accepted from an object or a file: an Ed25519 SubjectPublicKeyInfo is 60 characters of
 * base64 and a P-256 one 124, so anything far longer is not a key we could use, and parsing it is work a hostile
 * sender should not be able to cause.
 */
const MAX_PUBLIC_KEY_TEXT = 256;

/** Is `value` one of the algorithms we sign and verify with? */
export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return (SIGNATURE_ALGORITHMS as readonly unknown[]).includes(value);
}

/** Is `value` one of the hash algorithms we accept? */
export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly unknown[]).includes(value);
}

/** The algorithm a node:crypto key is for, or `undefined` when it is neither an Ed25519 nor a P-256 key. */
export function algorithmOfKey(key: KeyObject): SignatureAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/**
 * X.590 `public_key` text of a public key: its DER SubjectPublicKeyInfo in base64, i.e. a PEM body without header,
 * footer or line breaks.
 */
export function publicKeyText(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' }).toString('base64');
}

/**
 * Reads an X.590 `public_key` text (base64 of a DER SubjectPublicKeyInfo; padding and PEM armour optional).
 *
 * @throws ProvenanceError `SIGN_KEY_INVALID` when the text is not such a key, or not one for `algorithm`.
 */
export function parsePublicKeyText(text: string, algorithm: SignatureAlgorithm, path = ''): KeyObject {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_PUBLIC_KEY_TEXT + 64) {
    throw new ProvenanceError('SIGN_KEY_INVALID', path, `a public key is a base64 SubjectPublicKeyInfo of at most ${MAX_PUBLIC_KEY_TEXT} characters`);
  }
  const body = text.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  if (body.length > MAX_PUBLIC_KEY_TEXT || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new ProvenanceError('SIGN_KEY_INVALID', path, 'a public key is the base64 text of a DER SubjectPublicKeyInfo (a PEM body)');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new ProvenanceError('SIGN_KEY_INVALID', path, 'not a DER SubjectPublicKeyInfo', { cause });
  }
  const actual = algorithmOfKey(key);
  if (actual !== algorithm) {
    throw new ProvenanceError('SIGN_KEY_INVALID', path, `the key is ${actual ?? 'of an unsupported kind'}, but the algorithm is ${algorithm}`);
  }
  return key;
}

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key: the hash of the canonical JWK holding only the required
 * members in lexicographic order (`crv`, `kty`, `x` for an OKP key per RFC 8037 §2; `crv`, `kty`, `x`, `y` for EC).
 * It names a key independently of how its text is encoded, so it is the key id the trust store resolves.
 */
export function keyThumbprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  const members =
    jwk.kty === 'OKP'
      ? `{"crv":"${String(jwk.crv)}","kty":"OKP","x":"${String(jwk.x)}"}`
      : `{"crv":"${String(jwk.crv)}","kty":"EC","x":"${String(jwk.x)}","y":"${String(jwk.y)}"}`;
  return createHash('sha256').update(members).digest('base64url');
}

/** A private signing key with what a signature says about it. */
export interface SigningKey {
  readonly algorithm: SignatureAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** X.590 `public_key` text. */
  readonly publicKeyText: string;
  /** RFC 7638 thumbprint: the key id. */
  readonly keyId: string;
}

/** Builds a {@link SigningKey} from a node:crypto private key (Ed25519 or P-256). */
export function signingKeyFrom(privateKey: KeyObject, path = ''): SigningKey {
  if (privateKey.type !== 'private') throw new ProvenanceError('SIGN_KEY_INVALID', path, 'a signing key must be a private key');
  const algorithm = algorithmOfKey(privateKey);
  if (algorithm === undefined) throw new ProvenanceError('SIGN_KEY_INVALID', path, 'only Ed25519 and P-256 (ES256) keys can sign');
  const publicKey = createPublicKey(privateKey);
  return { algorithm, privateKey, publicKey, publicKeyText: publicKeyText(publicKey), keyId: keyThumbprint(publicKey) };
}

/** Reads a PKCS#8 PEM private key (what `keys generate` writes) as a {@link SigningKey}. */
export function signingKeyFromPem(pem: string, path = ''): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new ProvenanceError('SIGN_KEY_INVALID', path, 'not a PEM private key', { cause });
  }
  return signingKeyFrom(key, path);
}

/** A fresh key pair for `algorithm` (default Ed25519). */
export function generateSigningKey(algorithm: SignatureAlgorithm = 'Ed25519'): SigningKey {
  const pair = algorithm === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signingKeyFrom(pair.privateKey);
}

/** PKCS#8 PEM text of a signing key's private half. */
export function privateKeyPem(key: SigningKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

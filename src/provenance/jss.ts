import { createHash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../stix/canonical-json.js';
import { ProvenanceError } from './errors.js';
import { NODE_HASH } from './keys.js';
import type { HashAlgorithm, SignatureAlgorithm, SigningKey } from './keys.js';

/**
 * ITU-T X.590 JSON Signature Scheme (JSS), for any JSON object: signatures live in a top-level `signatures` list; a
 * signature covers the RFC 8785 canonical form of the object carrying only that signature (without its `value`), and a
 * countersignature is nested under the `signature` property of the signature it signs (clauses 6, 7 and 8).
 *
 * What is signed, step by step (clause 7.1.2-7.1.6): remove the other signatures, put the new signature object without
 * `value` in `signatures`, canonicalise (JCS), hash with `hash_algorithm`, sign the hash with `algorithm`, encode the
 * signature in base64url. X.590 signs "the hash": its Appendix II key reproduces the Recommendation's example values
 * (clauses 7.1.6 and 7.2.6) exactly when the signed message is the lowercase hexadecimal text of the digest, which is
 * how the hash is written out in clause 7.1.5, so that is the message here.
 */

/** Property holding the signatures (X.590 §6: "SHOULD ... a property called signatures"). */
export const SIGNATURES_PROPERTY = 'signatures';

/**
 * Bounds on what one object may ask a verifier to do: each signature or countersignature costs one canonicalisation of
 * the whole object, so a hostile sender could otherwise make an object arbitrarily expensive to check.
 */
export const MAX_SIGNATURES = 16;
/** Deepest countersignature chain (a signature countersigned by a signature countersigned by...). */
export const MAX_CHAIN_DEPTH = 4;

/** An X.590 JSS signature object (clause 6.2), with any additional metadata properties (clause 6.3). */
export interface JssSignature {
  readonly hash_algorithm: string;
  readonly algorithm: string;
  readonly public_key?: string;
  readonly thumbprint?: string;
  readonly value: string;
  /** A countersignature over this one. */
  readonly signature?: JssSignature;
  readonly [property: string]: unknown;
}

/** Where a signature sits: `signatures[index]`, then `depth` steps down the `signature` chain (0 = the top one). */
export interface SignaturePosition {
  readonly index: number;
  readonly depth: number;
}

/** JSON pointer of a signature position, e.g. `/signatures/0/signature`. */
export function signaturePointer(at: SignaturePosition): string {
  return `/${SIGNATURES_PROPERTY}/${at.index}` + '/signature'.repeat(at.depth);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function canonical(value: unknown, path: string): string {
  const text = canonicalJson(value);
  if (text === undefined) throw new ProvenanceError('SIGN_INPUT_INVALID', path, 'holds a value JSON cannot carry (JCS needs I-JSON)');
  return text;
}

/** The message X.590 signs: the hexadecimal text of the hash of the canonical form (see the module comment). */
export function signingMessage(canonicalText: string, hash: HashAlgorithm): Buffer {
  return Buffer.from(createHash(NODE_HASH[hash]).update(canonicalText).digest('hex'), 'latin1');
}

/** Signs a message: Ed25519 over the message; ES256 as ECDSA P-256 with SHA-256, r‖s as JWA §3.4 encodes it. */
export function rawSign(algorithm: SignatureAlgorithm, key: KeyObject, message: Buffer): string {
  const sig = algorithm === 'Ed25519' ? sign(null, message, key) : sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
  return sig.toString('base64url');
}

/** Length in bytes of a signature of each algorithm (both 64: Ed25519's R‖S, and P-256's r‖s). */
const SIGNATURE_BYTES: Readonly<Record<SignatureAlgorithm, number>> = { Ed25519: 64, ES256: 64 };

/**
 * Checks a base64url signature value. The text must be the canonical encoding of the right number of bytes: a value
 * that decodes to the same bytes from different text would let a relay alter a countersigned signature unnoticed.
 */
export function rawVerify(algorithm: SignatureAlgorithm, key: KeyObject, message: Buffer, value: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== SIGNATURE_BYTES[algorithm] || bytes.toString('base64url') !== value) return false;
  return algorithm === 'Ed25519'
    ? verify(null, message, key, bytes)
    : verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, bytes);
}

/** The signatures list of an object, checked for shape and size. */
export function signatureList(obj: Readonly<Record<string, unknown>>): readonly JssSignature[] {
  const list = obj[SIGNATURES_PROPERTY];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ProvenanceError('SIGN_INPUT_INVALID', `/${SIGNATURES_PROPERTY}`, 'must be a list of JSS signature objects');
  if (list.length > MAX_SIGNATURES) {
    throw new ProvenanceError('SIGN_INPUT_INVALID', `/${SIGNATURES_PROPERTY}`, `holds ${list.length} signatures; at most ${MAX_SIGNATURES} are accepted`);
  }
  list.forEach((s, i) => {
    let node: unknown = s;
    for (let depth = 0; node !== undefined; depth++) {
      const path = signaturePointer({ index: i, depth });
      if (depth >= MAX_CHAIN_DEPTH) throw new ProvenanceError('SIGN_INPUT_INVALID', path, `countersignatures nest at most ${MAX_CHAIN_DEPTH} deep`);
      if (!isObject(node)) throw new ProvenanceError('SIGN_INPUT_INVALID', path, 'is not a JSS signature object');
      for (const p of ['hash_algorithm', 'algorithm', 'value'] as const) {
        if (typeof node[p] !== 'string') throw new ProvenanceError('SIGN_INPUT_INVALID', `${path}/${p}`, 'is required and must be a string (X.590 §6.2.1)');
      }
      if (node['public_key'] === undefined && node['thumbprint'] === undefined && node['public_cert_chain'] === undefined && node['cert_url'] === undefined) {
        throw new ProvenanceError('SIGN_INPUT_INVALID', path, 'needs one of public_key, public_cert_chain, cert_url or thumbprint (X.590 §6.2.1)');
      }
      node = node['signature'];
    }
  });
  return list as readonly JssSignature[];
}

/** The chain of signature objects from `signatures[index]` down to `depth`. */
function chainTo(list: readonly JssSignature[], at: SignaturePosition): JssSignature[] {
  const chain: JssSignature[] = [];
  let node: JssSignature | undefined = list[at.index];
  for (let d = 0; d <= at.depth; d++) {
    if (node === undefined) throw new ProvenanceError('SIGN_INPUT_INVALID', signaturePointer({ index: at.index, depth: d }), 'no such signature');
    chain.push(node);
    node = node.signature;
  }
  return chain;
}

/**
 * Rebuilds the signature at `signatures[index]` as it stood when the signature at `depth` was made: links above
 * `depth` whole but each pointing at the next, the link at `depth` without `value` and without what was nested
 * under it later (X.590 clauses 7.2.3 and 8.1.2).
 */
function asSigned(chain: readonly JssSignature[]): Record<string, unknown> {
  let inner: Record<string, unknown> | undefined;
  for (let d = chain.length - 1; d >= 0; d--) {
    const { signature: _later, value, ...rest } = chain[d] as JssSignature;
    inner = d === chain.length - 1 ? rest : { ...rest, value, signature: inner };
  }
  return inner as Record<string, unknown>;
}

/**
 * The canonical text the signature at `at` covers: the object with every other top-level signature removed (X.590
 * 8.1.1 "remove and disregard the others") and the chain rebuilt by `asSigned`.
 */
export function signedText(obj: Readonly<Record<string, unknown>>, at: SignaturePosition): string {
  const chain = chainTo(signatureList(obj), at);
  return canonical({ ...obj, [SIGNATURES_PROPERTY]: [asSigned(chain)] }, '');
}

/** Signature object fields other than `value`: algorithm, hash, key reference and any metadata. */
export type UnsignedSignature = Omit<JssSignature, 'value' | 'signature'>;

/** What to put in a new signature besides the algorithm names and `value`. */
export interface JssSignOptions {
  readonly hash?: HashAlgorithm;
  /** Put the public key in the signature (default true). */
  readonly embedPublicKey?: boolean;
  /** Put the RFC 7638 key thumbprint in the signature (default true). */
  readonly embedThumbprint?: boolean;
  /** Metadata properties of the signature (X.590 §6.3), e.g. `created`, `signee`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

function newSignature(key: SigningKey, options: JssSignOptions): UnsignedSignature {
  const embedKey = options.embedPublicKey ?? true;
  const embedThumb = options.embedThumbprint ?? true;
  if (!embedKey && !embedThumb) throw new ProvenanceError('SIGN_INPUT_INVALID', '', 'a signature needs its public key, its thumbprint or both (X.590 §6.2.1)');
  const sig: Record<string, unknown> = { ...(options.metadata ?? {}) };
  for (const reserved of ['hash_algorithm', 'algorithm', 'public_key', 'thumbprint', 'value', 'signature']) {
    if (Object.hasOwn(sig, reserved)) throw new ProvenanceError('SIGN_INPUT_INVALID', `/metadata/${reserved}`, 'is set by the signer itself');
  }
  sig['hash_algorithm'] = options.hash ?? 'sha-256';
  sig['algorithm'] = key.algorithm;
  if (embedKey) sig['public_key'] = key.publicKeyText;
  if (embedThumb) sig['thumbprint'] = key.keyId;
  return sig as UnsignedSignature;
}

/**
 * Signs a JSON object (X.590 clause 7.1): returns a copy whose `signatures` list ends with the new signature. Existing
 * signatures are kept in front, untouched.
 */
export function addJssSignature<T extends Readonly<Record<string, unknown>>>(obj: T, key: SigningKey, options: JssSignOptions = {}): T {
  const existing = signatureList(obj);
  if (existing.length >= MAX_SIGNATURES) throw new ProvenanceError('SIGN_INPUT_INVALID', `/${SIGNATURES_PROPERTY}`, `already holds ${MAX_SIGNATURES} signatures`);
  const sig = newSignature(key, options);
  const text = canonical({ ...obj, [SIGNATURES_PROPERTY]: [sig] }, '');
  const value = rawSign(key.algorithm, key.privateKey, signingMessage(text, sig.hash_algorithm as HashAlgorithm));
  return { ...obj, [SIGNATURES_PROPERTY]: [...existing, { ...sig, value }] };
}

/**
 * Countersigns `signatures[index]` (X.590 clause 7.2): the new signature is nested at the end of that signature's
 * chain and covers the object, the signature and every countersignature above it, values included.
 */
export function addJssCountersignature<T extends Readonly<Record<string, unknown>>>(
  obj: T,
  index: number,
  key: SigningKey,
  options: JssSignOptions = {},
): T {
  const list = signatureList(obj);
  const top = list[index];
  if (!Number.isInteger(index) || top === undefined) throw new ProvenanceError('SIGN_INPUT_INVALID', signaturePointer({ index, depth: 0 }), 'no such signature to countersign');
  const chain: JssSignature[] = [];
  for (let node: JssSignature | undefined = top; node !== undefined; node = node.signature) chain.push(node);
  if (chain.length >= MAX_CHAIN_DEPTH) {
    throw new ProvenanceError('SIGN_INPUT_INVALID', signaturePointer({ index, depth: chain.length - 1 }), `countersignatures nest at most ${MAX_CHAIN_DEPTH} deep`);
  }
  const sig = newSignature(key, options);
  const nest = (last: Record<string, unknown>): JssSignature => {
    let inner: Record<string, unknown> = last;
    for (let d = chain.length - 1; d >= 0; d--) inner = { ...(chain[d] as JssSignature), signature: inner };
    return inner as unknown as JssSignature;
  };
  const text = canonical({ ...obj, [SIGNATURES_PROPERTY]: [nest(sig)] }, '');
  const value = rawSign(key.algorithm, key.privateKey, signingMessage(text, sig.hash_algorithm as HashAlgorithm));
  const signed = nest({ ...sig, value });
  return { ...obj, [SIGNATURES_PROPERTY]: list.map((s, i) => (i === index ? signed : s)) };
}

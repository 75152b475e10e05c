import { parseIdentifier } from '../stix/ids.js';
import { isTimestamp, now } from '../stix/timestamps.js';
import { contentDigest } from './content-digest.js';
import { registerSignaturesExtension, SIGNATURES_EXTENSION_ID } from './definition.js';
import { ProvenanceError } from './errors.js';
import { addJssCountersignature, addJssSignature, signatureList, SIGNATURES_PROPERTY } from './jss.js';
import { isHashAlgorithm } from './keys.js';
import type { HashAlgorithm, SigningKey } from './keys.js';

/** Who signs, and how. */
export interface SignOptions {
  /** The signer's STIX identity (`identity--<uuid>`); goes in the signature as `signee`. */
  readonly identity: string;
  /** Default `sha-256`. */
  readonly hash?: HashAlgorithm;
  /** Put the public key in the signature (default true). */
  readonly embedPublicKey?: boolean;
  /** Put the RFC 7638 thumbprint in the signature (default true). */
  readonly embedThumbprint?: boolean;
  /** The signature's `created` (default now): the instant the trust store checks the key against. */
  readonly created?: string;
}

/** A STIX object as plain JSON. */
export type StixJson = Readonly<Record<string, unknown>>;

function checkObject(obj: StixJson): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new ProvenanceError('SIGN_INPUT_INVALID', '', 'only a STIX object can be signed');
  if (typeof obj['type'] !== 'string' || typeof obj['id'] !== 'string') throw new ProvenanceError('SIGN_INPUT_INVALID', '', 'a STIX object has string type and id');
  if (obj['type'] === 'bundle') throw new ProvenanceError('SIGN_INPUT_INVALID', '/type', 'sign the objects of a bundle, not the bundle (a bundle is not kept by servers)');
}

function metadata(options: SignOptions, obj: StixJson): Record<string, unknown> {
  if (parseIdentifier(options.identity)?.type !== 'identity') throw new ProvenanceError('SIGN_INPUT_INVALID', '/identity', 'the signer is an identity--<uuid> id');
  const created = options.created ?? now();
  if (!isTimestamp(created, { minFractionDigits: 3 })) throw new ProvenanceError('SIGN_INPUT_INVALID', '/created', 'must be a timestamp with millisecond precision');
  const hash = options.hash ?? 'sha-256';
  if (!isHashAlgorithm(hash)) throw new ProvenanceError('SIGN_INPUT_INVALID', '/hash', 'must be sha-256 or sha-512');
  const digest = contentDigest(obj, hash);
  if (digest === undefined) throw new ProvenanceError('SIGN_INPUT_INVALID', '', 'holds a value JSON cannot carry');
  return { created, signee: options.identity, content_digest: digest };
}

function jssOptions(options: SignOptions, meta: Record<string, unknown>) {
  return {
    hash: options.hash ?? 'sha-256',
    ...(options.embedPublicKey !== undefined ? { embedPublicKey: options.embedPublicKey } : {}),
    ...(options.embedThumbprint !== undefined ? { embedThumbprint: options.embedThumbprint } : {}),
    metadata: meta,
  } as const;
}

/** The object with the signatures extension declared (declared before signing, so the declaration is signed too). */
function declared<T extends StixJson>(obj: T): T {
  const ext = obj['extensions'];
  if (ext !== undefined && (ext === null || typeof ext !== 'object' || Array.isArray(ext))) {
    throw new ProvenanceError('SIGN_INPUT_INVALID', '/extensions', 'must be an object');
  }
  const current = (ext as Record<string, unknown> | undefined)?.[SIGNATURES_EXTENSION_ID];
  if (current !== undefined) return obj;
  return { ...obj, extensions: { ...(ext as Record<string, unknown> | undefined), [SIGNATURES_EXTENSION_ID]: { extension_type: 'toplevel-property-extension' } } };
}

/**
 * Signs a STIX object as its producer: returns a copy carrying the signatures extension and a new X.590 signature
 * (with `created`, `signee` and `content_digest` metadata) at the end of `signatures`.
 *
 * Only the creator signs: an object whose `created_by_ref` names another identity is refused (a relay countersigns
 * instead). An object whose existing signatures were made over other content (a new version made from a signed one)
 * is refused too, since the result could never verify: strip them with {@link stripSignatures} first.
 *
 * @throws ProvenanceError `SIGN_INPUT_INVALID` or `SIGN_REFUSED`.
 */
export function signObject<T extends StixJson>(obj: T, key: SigningKey, options: SignOptions): T {
  checkObject(obj);
  registerSignaturesExtension();
  const creator = obj['created_by_ref'];
  if (creator !== undefined && creator !== options.identity) {
    throw new ProvenanceError('SIGN_REFUSED', '/created_by_ref', `the object was created by ${String(creator)}, not the signer ${options.identity}; only the creator signs (a relay countersigns)`);
  }
  const target = declared(obj);
  signatureList(target).forEach((s, i) => {
    const digest = s['content_digest'];
    const hash = s.hash_algorithm;
    if (typeof digest === 'string' && isHashAlgorithm(hash) && digest !== contentDigest(target, hash)) {
      throw new ProvenanceError('SIGN_REFUSED', `/${SIGNATURES_PROPERTY}/${i}`, 'was made over other content (the object changed since); strip the old signatures before signing a new version');
    }
  });
  return addJssSignature(target, key, jssOptions(options, metadata(options, target)));
}

/**
 * Countersigns `signatures[index]` (default the first): a relay or hub vouches that it saw the producer's signed
 * object. The countersignature covers the object and the producer's signature.
 *
 * @throws ProvenanceError `SIGN_INPUT_INVALID` when the object has no such signature.
 */
export function countersign<T extends StixJson>(obj: T, key: SigningKey, options: SignOptions & { readonly index?: number }): T {
  checkObject(obj);
  registerSignaturesExtension();
  return addJssCountersignature(obj, options.index ?? 0, key, jssOptions(options, metadata(options, obj)));
}

/** A copy without `signatures` and without the signatures extension (to make a new version from a signed object). */
export function stripSignatures<T extends StixJson>(obj: T): T {
  const { [SIGNATURES_PROPERTY]: _s, ...rest } = obj as Record<string, unknown>;
  const ext = rest['extensions'];
  if (ext !== null && typeof ext === 'object' && !Array.isArray(ext) && SIGNATURES_EXTENSION_ID in ext) {
    const { [SIGNATURES_EXTENSION_ID]: _e, ...others } = ext as Record<string, unknown>;
    if (Object.keys(others).length === 0) delete rest['extensions'];
    else rest['extensions'] = others;
  }
  return rest as T;
}

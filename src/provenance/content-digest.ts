import { createHash } from 'node:crypto';
import { canonicalJson } from '../stix/canonical-json.js';
import { NODE_HASH } from './keys.js';
import type { HashAlgorithm } from './keys.js';
import { SIGNATURES_PROPERTY } from './jss.js';

/**
 * Hex digest of an object's canonical form without its signatures. A signature carries it as `content_digest` (an
 * X.590 §6.3-style metadata property, itself signed) so that a verifier whose check failed can tell "the object
 * changed after it was signed" from "the signature itself is wrong or forged". It is only computed on that failure
 * path, never when a signature verifies.
 */
export function contentDigest(obj: Readonly<Record<string, unknown>>, hash: HashAlgorithm): string | undefined {
  const { [SIGNATURES_PROPERTY]: _signatures, ...content } = obj;
  const text = canonicalJson(content);
  return text === undefined ? undefined : createHash(NODE_HASH[hash]).update(text).digest('hex');
}

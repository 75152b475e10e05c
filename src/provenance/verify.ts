import { registerSignaturesExtension } from './definition.js';
import { signatureVerdict } from './signature-verdict.js';
import type { ObjectVerdict, VerifyOptions } from './signature-verdict.js';

export type { ObjectVerdict, SignatureVerdict, VerdictReason, VerifyOptions } from './signature-verdict.js';

/**
 * Verifies the signatures of a STIX object (X.590 clause 8) and decides whether its provenance is trusted: some
 * top-level signature must verify, with a key the trust store binds to the object's `created_by_ref` and in force at
 * the signature's date. Countersignatures are verified and reported too (a hub's countersignature says who relayed
 * the object; it never stands in for the creator's). Registers the signatures extension with the validator, so a
 * verified object validates with `signatures` as a defined property.
 *
 * Never throws on hostile input: whatever is wrong with the object becomes the verdict.
 */
export function verifyObject(obj: Readonly<Record<string, unknown>>, options: VerifyOptions = {}): ObjectVerdict {
  registerSignaturesExtension();
  return signatureVerdict(obj, options);
}

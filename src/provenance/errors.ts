import { DistillIntelError } from '../errors.js';

/**
 * Codes of {@link ProvenanceError}:
 * - `SIGN_KEY_INVALID`: a key (file, PEM, public key text) is unreadable, of the wrong algorithm or wrong kind;
 * - `SIGN_INPUT_INVALID`: what was to be signed or countersigned is not a signable JSON object (not I-JSON, no
 *   `signatures` list where one is expected, a signature index that does not exist...);
 * - `SIGN_REFUSED`: signing would produce something that cannot verify (the signer is not the object's creator,
 *   existing signatures no longer match the content);
 * - `TRUST_STORE_INVALID`: a trust-store file or object breaks its format.
 */
export type ProvenanceErrorCode = 'SIGN_KEY_INVALID' | 'SIGN_INPUT_INVALID' | 'SIGN_REFUSED' | 'TRUST_STORE_INVALID';

/** A signing, key or trust-store operation was refused; `path` names where in the input (JSON pointer or file). */
export class ProvenanceError extends DistillIntelError {
  declare readonly code: ProvenanceErrorCode;
  /** JSON pointer (or `file:pointer`) of the offending part, `''` for the whole input. */
  readonly path: string;

  constructor(code: ProvenanceErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, path === '' ? message : `${path}: ${message}`, options);
    this.path = path;
  }
}

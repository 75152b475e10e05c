import { resolve } from 'node:path';
import { ProvenanceError } from '../provenance/errors.js';
import { loadTrustStore } from '../provenance/trust-store-file.js';
import type { TrustStore } from '../provenance/trust-store.js';
import type { ObjectVerdict } from '../provenance/verify.js';
import { UsageError } from './io.js';
import type { CliIo } from './io.js';

/** Loads `--trust FILE`; a store that does not load is a usage error naming the file and the member. */
export function trustOption(path: string | undefined, io: CliIo): TrustStore | undefined {
  if (path === undefined) return undefined;
  try {
    return loadTrustStore(resolve(io.cwd, path));
  } catch (err) {
    if (err instanceof ProvenanceError) throw new UsageError(`--trust: ${err.message}`);
    throw err;
  }
}

/**
 * Verdicts that mean the signatures themselves are broken (as opposed to "not trusted here"): an object in this state
 * can never verify anywhere, so `push` never sends it.
 */
export function brokenSignatures(v: ObjectVerdict): boolean {
  return v.reason === 'malformed' || v.reason === 'unsupported-algorithm' || v.reason === 'bad-signature' || v.reason === 'content-changed';
}

/** `<id> <version>` of an object, for report lines. */
export function objectLabel(obj: Readonly<Record<string, unknown>>): string {
  const id = typeof obj['id'] === 'string' ? obj['id'] : '(no id)';
  const version = obj['modified'] ?? obj['created'];
  return typeof version === 'string' ? `${id} ${version}` : id;
}

/** One line describing why an object is not trusted. */
export function verdictLine(obj: Readonly<Record<string, unknown>>, v: ObjectVerdict): string {
  return `${objectLabel(obj)}: ${v.reason ?? 'untrusted'}: ${v.message}`;
}

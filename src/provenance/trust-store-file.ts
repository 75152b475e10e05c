import { readFileSync } from 'node:fs';
import { ProvenanceError } from './errors.js';
import { TrustStore } from './trust-store.js';

/** Largest trust-store file read (a store of thousands of identities is a few megabytes). */
const MAX_TRUST_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a trust-store file (JSON, see {@link TrustStore}).
 *
 * @throws ProvenanceError `TRUST_STORE_INVALID` when the file cannot be read, is not JSON or breaks the format.
 */
export function loadTrustStore(path: string): TrustStore {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_TRUST_FILE_BYTES) throw new ProvenanceError('TRUST_STORE_INVALID', path, `is larger than ${MAX_TRUST_FILE_BYTES} bytes`);
    text = buf.toString('utf8');
  } catch (cause) {
    if (cause instanceof ProvenanceError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ProvenanceError('TRUST_STORE_INVALID', path, `cannot read: ${code === 'ENOENT' ? 'no such file' : String(code ?? cause)}`, { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ProvenanceError('TRUST_STORE_INVALID', path, `is not JSON: ${(cause as Error).message}`, { cause });
  }
  return TrustStore.fromDocument(doc, path);
}

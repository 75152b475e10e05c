import { lineageOf } from '../store/lineage.js';
import type { NewObject } from '../store/store.js';

/** Version given to objects with neither `modified` nor `created` (unversioned SCOs): any consistent value will do. */
export const UNVERSIONED = '1970-01-01T00:00:00.000Z';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The TAXII version of an object (§5.3.1): `modified`, else `created`, else {@link UNVERSIONED}. */
export function versionOf(obj: Readonly<Record<string, unknown>>): string {
  return str(obj['modified']) ?? str(obj['created']) ?? UNVERSIONED;
}

/**
 * The store row for a validated object: its JSON text (`text`, exactly as received, when the caller has it; else
 * serialised once, in the key order received) and the indexed columns. `spec_version` may be absent on 2.1 SCOs, which then are 2.1.
 */
export function toNewObject(obj: Readonly<Record<string, unknown>>, text?: string): NewObject {
  return {
    json: text ?? JSON.stringify(obj),
    id: str(obj['id']) ?? '',
    type: str(obj['type']) ?? '',
    version: versionOf(obj),
    specVersion: str(obj['spec_version']) ?? '2.1',
    lineage: lineageOf(obj['created'], obj['created_by_ref'], obj['revoked']),
  };
}

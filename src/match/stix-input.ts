/** Reading STIX content handed over in any of the usual containers, for the match and corroboration readers. */

/** A STIX object as plain JSON. */
export type StixJsonObject = Readonly<Record<string, unknown>>;

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is StixJsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The objects of a bundle, an array of objects, a TAXII envelope, or any list of those. */
export function objectsOf(input: unknown): unknown[] {
  if (Array.isArray(input)) return input.flatMap((x) => (Array.isArray(x) || (isJsonObject(x) && Array.isArray(x['objects'])) ? objectsOf(x) : [x]));
  if (isJsonObject(input) && Array.isArray(input['objects'])) return input['objects'] as unknown[];
  return [input];
}

/** Adds `o` to a map of latest versions by id (`modified` decides; the first seen wins a tie). */
export function keepLatest(latest: Map<string, StixJsonObject>, id: string, o: StixJsonObject): void {
  const prev = latest.get(id);
  if (prev === undefined || String(o['modified'] ?? '') > String(prev['modified'] ?? '')) latest.set(id, o);
}

/** Links relationships make, by object id: `fn(source, target)` for every relationship that is not revoked. */
export function eachRelationship(objects: Iterable<StixJsonObject>, fn: (source: string, target: string) => void): void {
  for (const o of objects) {
    if (o['type'] !== 'relationship' || o['revoked'] === true) continue;
    const s = o['source_ref'];
    const t = o['target_ref'];
    if (typeof s === 'string' && typeof t === 'string') fn(s, t);
  }
}

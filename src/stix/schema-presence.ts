/**
 * Which properties of the object being validated are present, as bits the generated schema validators read before
 * they ask the object for a property (see `guardPropertyReads` in validator-codegen.ts).
 *
 * Why: the validators ask every object for every property its schema names, and objects of a feed come in hundreds
 * of shapes, where reading a property the object lacks costs about 40 ns (V8's lookup cache for such reads thrashes).
 * One `for...in` over the object's own names, a map lookup each, tells which of them are there; a validator then
 * skips the reads of the rest. Measured on corpus-shaped objects: the common-properties validator alone went from
 * some 2% of the validate command's instructions to well under 1%.
 *
 * The bits are a promise about one object only: {@link schemaPresence} names the object they were computed for, and a
 * validator called on any other object (an extension's schema, a direct call) reads every property as before.
 */

/**
 * Optional properties of the common-property schemas (`common/core.json`, `common/sco-common.json`): bits 0 to 10 of
 * every type's table, so that the validators shared by all types read the same bits whatever the type.
 */
export const COMMON_PRESENCE_NAMES: readonly string[] = [
  'created_by_ref',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
  'spec_version',
  'defanged',
];

/** Names of a type's own schema that get a bit after the common ones (bits 11 to 30); any more are read as before. */
export const MAX_TYPE_PRESENCE_NAMES = 31 - COMMON_PRESENCE_NAMES.length;

/** The object the generated validators are judging now and the bits of its present properties. */
export const schemaPresence: { of: object | undefined; mask: number } = { of: undefined, mask: -1 };

/** A type's table: the common names, then the type's own (`typeNames`, at most {@link MAX_TYPE_PRESENCE_NAMES}). */
export function presenceTable(typeNames: readonly string[]): ReadonlyMap<string, number> {
  const table = new Map<string, number>();
  COMMON_PRESENCE_NAMES.forEach((name, i) => table.set(name, 1 << i));
  typeNames.slice(0, MAX_TYPE_PRESENCE_NAMES).forEach((name, i) => table.set(name, 1 << (COMMON_PRESENCE_NAMES.length + i)));
  return table;
}

/**
 * The bits of `table` for the names `for...in` gives on `obj`: its enumerable names, inherited ones included as a
 * property read finds them (a non-enumerable property is no content: JSON.stringify leaves it out too). A clear bit
 * means the validators skip the property; a name that is not in the table has no bit and is always read.
 */
export function presenceMask(obj: object, table: ReadonlyMap<string, number>): number {
  let mask = 0;
  for (const key in obj) {
    const bit = table.get(key);
    if (bit !== undefined) mask |= bit;
  }
  return mask;
}

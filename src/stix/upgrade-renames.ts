/**
 * What changed between STIX 2.0 (CS01, 19 July 2017) and STIX 2.1 (OS + errata) for properties that keep their
 * meaning under a new name. Properties 2.0 defined and 2.1 dropped without a successor are kept as they are (a 2.1
 * validator reports them as custom properties); they are listed in {@link STIX20_DROPPED_PROPERTIES} so the upgrade can
 * say so.
 */

/**
 * SDO types whose required 2.0 `labels` (an open vocabulary naming the kind of object, 2.0 Part 2) became the
 * `<type>_types` property in 2.1 (§4). `labels` in 2.1 is free tagging, so the values move.
 */
export const LABELS_TO_TYPES: Readonly<Record<string, string>> = Object.freeze({
  indicator: 'indicator_types',
  malware: 'malware_types',
  report: 'report_types',
  'threat-actor': 'threat_actor_types',
  tool: 'tool_types',
});

/** Cyber-observable properties renamed in 2.1 (2.0 Part 4 → 2.1 §6), per object type. */
export const SCO_PROPERTY_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.freeze({
  directory: Object.freeze({ created: 'ctime', modified: 'mtime', accessed: 'atime' }),
  file: Object.freeze({ created: 'ctime', modified: 'mtime', accessed: 'atime' }),
  process: Object.freeze({ created: 'created_time', binary_ref: 'image_ref' }),
  'user-account': Object.freeze({ password_last_changed: 'credential_last_changed' }),
  'windows-registry-key': Object.freeze({ modified: 'modified_time' }),
});

/** 2.0 properties with no 2.1 successor, per object type (and `*` for every cyber observable). Kept, and reported. */
export const STIX20_DROPPED_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '*': Object.freeze(['description']),
  file: Object.freeze(['is_encrypted', 'encryption_algorithm', 'decryption_key']),
  process: Object.freeze(['name', 'arguments']),
});

/**
 * Hash algorithm names of the 2.0 hash-algorithm-ov whose 2.1 spelling differs. The other 2.0-only names (MD6,
 * RIPEMD-160, SHA-224, SHA-384, SHA3-224, SHA3-384, WHIRLPOOL) have no 2.1 entry and stay as written.
 */
export const HASH_NAME_RENAMES: Readonly<Record<string, string>> = Object.freeze({ ssdeep: 'SSDEEP' });

/**
 * The object type a 2.0 reference property points at, where the property fixes it: used to rename properties reached
 * through a reference in a pattern's object path (`process:binary_ref.created`).
 */
export const REFERENCE_TARGETS: Readonly<Record<string, string>> = Object.freeze({
  binary_ref: 'file',
  image_ref: 'file',
  parent_directory_ref: 'directory',
  creator_user_ref: 'user-account',
  parent_ref: 'process',
  child_refs: 'process',
  content_ref: 'artifact',
});

/** The 2.1 name of a cyber-observable property of `type` (the 2.0 name when it did not change). */
export function scoPropertyName(type: string, name: string): string {
  return SCO_PROPERTY_RENAMES[type]?.[name] ?? name;
}

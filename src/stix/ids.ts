import { canonicalJson } from './canonical-json.js';
import { v4 as uuidv4 } from 'uuid';
import { uuidV5 } from './uuid-v5.js';
import { isStixIdentifier } from './lexical.js';
import { StixBuildError } from './errors.js';
import { getExtensionForObjectType } from './extension-registry.js';

/**
 * STIX identifiers (§2.7): `<type>--<UUID>`. Everything but SCOs gets a random UUIDv4; SCOs get a UUIDv5 derived from
 * their ID-contributing properties (§2.9), so two producers describing the same IP address agree on its id.
 */

/** The namespace of deterministic SCO ids (STIX 2.1 §2.9). It MUST NOT be used for anything else. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * ID-contributing properties of each STIX 2.1 SCO type (§6, the "ID Contributing Properties" line of each object).
 * `process` has none: its id is always a UUIDv4. Types defined by `new-sco` extensions take theirs from the extension
 * registry (`idContributingProperties`).
 */
export const ID_CONTRIBUTING_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  artifact: Object.freeze(['hashes', 'payload_bin']),
  'autonomous-system': Object.freeze(['number']),
  directory: Object.freeze(['path']),
  'domain-name': Object.freeze(['value']),
  'email-addr': Object.freeze(['value']),
  'email-message': Object.freeze(['from_ref', 'subject', 'body']),
  file: Object.freeze(['hashes', 'name', 'extensions', 'parent_directory_ref']),
  'ipv4-addr': Object.freeze(['value']),
  'ipv6-addr': Object.freeze(['value']),
  'mac-addr': Object.freeze(['value']),
  mutex: Object.freeze(['name']),
  'network-traffic': Object.freeze(['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions']),
  process: Object.freeze([]),
  software: Object.freeze(['name', 'cpe', 'swid', 'vendor', 'version']),
  url: Object.freeze(['value']),
  'user-account': Object.freeze(['account_type', 'user_id', 'account_login']),
  'windows-registry-key': Object.freeze(['key', 'values']),
  'x509-certificate': Object.freeze(['hashes', 'serial_number']),
});

// §2.9: "hashes" contributes a single hash, the first of these present; python-stix2 falls back to the first key.
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'] as const;

// Type names (§3.1 + §11): lowercase words joined by single hyphens, 3-250 characters.
const TYPE_NAME_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The parts of a STIX identifier. */
export interface ParsedIdentifier {
  /** The object type before `--`. */
  readonly type: string;
  /** The UUID after `--`, as written. */
  readonly uuid: string;
  /** The UUID version digit (4 for random ids, 5 for deterministic SCO ids). */
  readonly uuidVersion: number;
}

/**
 * Splits a STIX identifier into type and UUID.
 *
 * @returns the parts, or `undefined` when `id` is not `<type>--<RFC 4122 UUID>` with a valid type name.
 */
export function parseIdentifier(id: string): ParsedIdentifier | undefined {
  if (!isStixIdentifier(id)) return undefined;
  // The recogniser fixes the shape: `--` and a 36-character UUID end the string.
  const cut = id.length - 38;
  if (cut < 3 || cut > 250) return undefined;
  const uuid = id.slice(cut + 2);
  return { type: id.slice(0, cut), uuid, uuidVersion: Number(uuid.charAt(14)) };
}

/** Whether `type` is a well-formed STIX type name (lowercase, single hyphens, 3-250 characters). */
export function isTypeName(type: string): boolean {
  return type.length >= 3 && type.length <= 250 && TYPE_NAME_RE.test(type);
}

/**
 * A fresh random identifier `<type>--<UUIDv4>`.
 *
 * @throws StixBuildError when `type` is not a well-formed type name.
 */
export function newIdentifier<T extends string>(type: T): `${T}--${string}` {
  if (!isTypeName(type)) {
    throw new StixBuildError(`cannot make an identifier for type ${JSON.stringify(type)}`, [
      {
        code: 'type-name-invalid',
        severity: 'error',
        path: '/type',
        message: 'a type name is 3-250 characters of lowercase letters, digits and single hyphens, starting with a letter',
      },
    ]);
  }
  return `${type}--${uuidv4()}`;
}

/**
 * The ID-contributing properties of an SCO type: the standard list for STIX 2.1 types, the registered
 * `idContributingProperties` for `new-sco` extension types, `undefined` for anything else.
 */
export function idContributingProperties(type: string): readonly string[] | undefined {
  const standard = ID_CONTRIBUTING_PROPERTIES[type];
  if (standard !== undefined) return standard;
  const ext = getExtensionForObjectType(type);
  if (ext !== undefined && ext.extensionTypes.includes('new-sco')) return ext.idContributingProperties ?? [];
  return undefined;
}

/** The hash a deterministic id uses: MD5, else SHA-1, else SHA-256, else SHA-512, else the first key. */
function preferredHash(hashes: Readonly<Record<string, unknown>>): string | undefined {
  for (const algo of HASH_PREFERENCE) {
    if (Object.hasOwn(hashes, algo)) return algo;
  }
  for (const key in hashes) {
    if (Object.hasOwn(hashes, key)) return key;
  }
  return undefined;
}

/** Contributing property lists in JCS member order, so the name can be written without building an object first. */
const sortedLists = new WeakMap<readonly string[], readonly string[]>();

function inJcsOrder(props: readonly string[]): readonly string[] {
  let sorted = sortedLists.get(props);
  if (sorted === undefined) {
    sorted = [...props].sort();
    sortedLists.set(props, sorted);
  }
  return sorted;
}

/**
 * The text a deterministic SCO id is computed from: the RFC 8785 (JCS) canonical JSON of the ID-contributing
 * properties present (`hashes` reduced to one hash: MD5, else SHA-1, else SHA-256, else SHA-512, else the first key).
 *
 * @returns the canonical JSON, or `undefined` when the type has no contributing properties or none is present (the
 *   id must then be a UUIDv4).
 */
export function scoIdName(sco: { readonly type: string } & Readonly<Record<string, unknown>>): string | undefined {
  const props = idContributingProperties(sco.type);
  if (props === undefined || props.length === 0) return undefined;
  // The same text as canonicalJson over an object of the present properties, written member by member: the
  // validator computes this for every SCO it sees.
  let out = '{';
  let any = false;
  for (const prop of inJcsOrder(props)) {
    if (!Object.hasOwn(sco, prop)) continue;
    const value = sco[prop];
    if (value === undefined) continue;
    let text: string | undefined;
    if (prop === 'hashes' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const hashes = value as Readonly<Record<string, unknown>>;
      const algo = preferredHash(hashes);
      if (algo === undefined) continue;
      const one = canonicalJson(hashes[algo]);
      if (one === undefined) return undefined;
      text = '{' + JSON.stringify(algo) + ':' + one + '}';
    } else {
      text = canonicalJson(value);
      if (text === undefined) return undefined;
    }
    out += (any ? ',' : '') + JSON.stringify(prop) + ':' + text;
    any = true;
  }
  return any ? out + '}' : undefined;
}

/**
 * The deterministic identifier of an SCO (§2.9): UUIDv5 in {@link STIX_SCO_NAMESPACE} over {@link scoIdName}.
 *
 * @returns `<type>--<UUIDv5>`, or `undefined` when the id must be a UUIDv4 instead (no contributing property present,
 *   `process`, or a type that is not an SCO). Validators compare against this; builders fall back to
 *   {@link newIdentifier}.
 */
export function deterministicScoId<T extends string>(
  sco: { readonly type: T } & Readonly<Record<string, unknown>>,
): `${T}--${string}` | undefined {
  const name = scoIdName(sco);
  if (name === undefined) return undefined;
  return `${sco.type}--${uuidV5(name, STIX_SCO_NAMESPACE)}`;
}

/** The id a builder gives an SCO: deterministic when possible, otherwise a fresh UUIDv4. */
export function scoIdentifier<T extends string>(sco: { readonly type: T } & Readonly<Record<string, unknown>>): `${T}--${string}` {
  return deterministicScoId(sco) ?? newIdentifier(sco.type);
}

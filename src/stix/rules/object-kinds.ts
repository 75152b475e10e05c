import { getExtensionForObjectType } from '../extension-registry.js';
import type { JsonObject } from './rule.js';
import { isObject } from './rule.js';

/**
 * What a STIX object is, for the rules that depend on its category (§3.2 common properties, reference targets).
 * `custom` is an object of an unknown type that declares no new-object extension (deprecated custom object, §11.1).
 */
export type ObjectKind = 'sdo' | 'sro' | 'sco' | 'marking' | 'language-content' | 'extension-definition' | 'bundle' | 'custom';

const SDO = 'attack-pattern campaign course-of-action grouping identity incident indicator infrastructure intrusion-set location malware malware-analysis note observed-data opinion report threat-actor tool vulnerability';
const SRO = 'relationship sighting';
const SCO = 'artifact autonomous-system directory domain-name email-addr email-message file ipv4-addr ipv6-addr mac-addr mutex network-traffic process software url user-account windows-registry-key x509-certificate';

/** Kinds of the types STIX 2.1 itself defines. */
export const STANDARD_KINDS: ReadonlyMap<string, ObjectKind> = new Map<string, ObjectKind>([
  ...SDO.split(' ').map((t) => [t, 'sdo'] as const),
  ...SRO.split(' ').map((t) => [t, 'sro'] as const),
  ...SCO.split(' ').map((t) => [t, 'sco'] as const),
  ['marking-definition', 'marking'],
  ['language-content', 'language-content'],
  ['extension-definition', 'extension-definition'],
  ['bundle', 'bundle'],
]);

const NEW_TYPE_KIND: Readonly<Record<string, ObjectKind>> = { 'new-sdo': 'sdo', 'new-sco': 'sco', 'new-sro': 'sro' };

/** The kind of a standard type, or of a new type a registered extension defines; `undefined` for anything else. */
function kindOfType(type: string): ObjectKind | undefined {
  const standard = STANDARD_KINDS.get(type);
  if (standard !== undefined) return standard;
  const registered = getExtensionForObjectType(type);
  if (registered === undefined) return undefined;
  for (const t of registered.extensionTypes) {
    const k = NEW_TYPE_KIND[t];
    if (k !== undefined) return k;
  }
  return undefined;
}

/**
 * The kind of an object: standard types from the table; new types from the registered extension that defines them,
 * else from the `extension_type` the object itself declares in `extensions` (§7.3: new objects MUST carry their
 * defining extension); anything else is a deprecated custom object.
 */
export function kindOf(obj: JsonObject, type: string): ObjectKind {
  const known = kindOfType(type);
  if (known !== undefined) return known;
  const ext = obj['extensions'];
  if (isObject(ext)) {
    for (const key in ext) {
      const entry = ext[key];
      if (isObject(entry)) {
        const t = entry['extension_type'];
        if (typeof t === 'string') {
          const k = NEW_TYPE_KIND[t];
          if (k !== undefined) return k;
        }
      }
    }
  }
  return 'custom';
}

/** The kind of the object an identifier points to, judged from its type prefix alone. */
export function kindOfRef(ref: string): ObjectKind | undefined {
  const cut = ref.indexOf('--');
  if (cut <= 0) return undefined;
  return kindOfType(ref.slice(0, cut)) ?? 'custom';
}

/** The type prefix of an identifier (`''` when it has none). */
export function refType(ref: string): string {
  const cut = ref.indexOf('--');
  return cut <= 0 ? '' : ref.slice(0, cut);
}

import { joinPointer } from '../diagnostic.js';
import { getExtension } from '../extension-registry.js';
import { isTypeName } from '../ids.js';
import { checkCommonEmbeddedNames, checkEmbeddedNames } from './embedded-names.js';
import { KNOWN_PROPERTIES } from './known-properties.js';
import { isValidPropertyName, propertyNameMessage } from './property-names.js';
import { presenceBit } from './presence.js';
import type { ObjectKind } from './object-kinds.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportError, reportWarning } from './rule.js';


/**
 * Property names the spec reserves (§3.1 and the reserved properties of §4.3 course-of-action); `phone_numbers` is the
 * schema's spelling of the spec's `phone_number`, so both are refused (digest §E3).
 */
const RESERVED_PROPERTIES: ReadonlySet<string> = new Set(['severity', 'username', 'phone_number', 'phone_numbers', 'action']);
/** Object type names the spec reserves (§3.1). */
const RESERVED_TYPES: ReadonlySet<string> = new Set(['action']);

/** True when `type` is a well-formed STIX type name (§3.1): the builders' {@link isTypeName}, under the rules' name. */
export const isValidTypeName: (type: string) => boolean = isTypeName;

export { isValidPropertyName } from './property-names.js';

/**
 * Defined property names per standard type, each with its presence bit: the walk over an object's keys needs one
 * lookup per key for both jobs.
 */
const KNOWN_BITS: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(
  [...KNOWN_PROPERTIES].map(([type, names]) => [type, new Map([...names].map((n) => [n, presenceBit(n)] as const))] as const),
);

/** Names that toplevel-property extensions declared on this object allow; `undefined` = an unknown one is present. */
function toplevelExtensionProperties(obj: JsonObject): Set<string> | undefined {
  const allowed = new Set<string>();
  const ext = obj['extensions'];
  if (!isObject(ext)) return allowed;
  for (const id in ext) {
    const entry = ext[id];
    if (!isObject(entry) || entry['extension_type'] !== 'toplevel-property-extension') continue;
    const registered = getExtension(id);
    if (registered?.extensionProperties === undefined) return undefined;
    for (const p of registered.extensionProperties) allowed.add(p);
  }
  return allowed;
}

/**
 * §3.1 naming rules and §11 custom content: the type name, every top-level property name, reserved names, and custom
 * properties on standard objects (kept, but warned about: §11.1 deprecates them in favour of extensions).
 *
 * @returns the presence bits of the object's properties (see presence.ts), gathered on the same walk over its keys
 */
export function checkNames(obj: JsonObject, type: string, kind: ObjectKind, pointer: string, ctx: RuleContext): number {
  const known = KNOWN_BITS.get(type);
  if (known === undefined) {
    if (RESERVED_TYPES.has(type)) {
      const message = `type '${type}' is reserved and must not be used (§3.1)`;
      reportError(ctx, 'reserved-type', joinPointer(pointer, 'type'), message);
    } else if (!isValidTypeName(type)) {
      reportError(
        ctx,
        'type-name-invalid',
        joinPointer(pointer, 'type'),
        `type '${type}' must be 3-250 characters of lowercase ASCII letters, digits and single hyphens, starting with a letter (§3.1)`,
      );
    }
    if (kind === 'custom') {
      reportWarning(
        ctx,
        'custom-object',
        joinPointer(pointer, 'type'),
        `'${type}' is not a STIX 2.1 type and no extension defines it; custom objects are deprecated in favour of new-sdo/new-sco/new-sro extensions (§11.2)`,
      );
    }
  }
  let allowed: Set<string> | undefined | null = null;
  let present = 0;
  for (const key in obj) {
    const bit = known?.get(key);
    if (bit !== undefined) {
      present |= bit;
      continue;
    }
    present |= presenceBit(key);
    if (RESERVED_PROPERTIES.has(key)) {
      const message = `property '${key}' is reserved and must not be used (§3.1)`;
      reportError(ctx, 'reserved-property', joinPointer(pointer, key), message);
      continue;
    }
    if (!isValidPropertyName(key)) {
      reportError(ctx, 'property-name-invalid', joinPointer(pointer, key), propertyNameMessage(key));
      continue;
    }
    const value = obj[key];
    if (Array.isArray(value) && value.length === 0) {
      // Defined list properties get minItems from their schema; custom ones only from here.
      reportError(ctx, 'list-empty', joinPointer(pointer, key), `${key} must not be an empty list (§3.1 list type)`);
    }
    if (known === undefined) continue;
    if (allowed === null) allowed = toplevelExtensionProperties(obj);
    if (allowed === undefined || allowed.has(key)) continue;
    reportWarning(
      ctx,
      'custom-property',
      joinPointer(pointer, key),
      `'${key}' is not a property STIX defines for ${type}; custom properties are deprecated in favour of a property or toplevel-property extension (§11.1)`,
    );
  }
  if (known !== undefined) checkCommonEmbeddedNames(obj, type, pointer, ctx, present);
  if (kind === 'sco') checkEmbeddedNames(obj, type, pointer, ctx);
  return present;
}

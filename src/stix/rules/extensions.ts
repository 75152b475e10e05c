import { joinPointer } from '../diagnostic.js';
import { getExtension } from '../extension-registry.js';
import { extensionSchemaDiagnostics } from '../schemas.js';
import type { ObjectKind } from './object-kinds.js';
import { PRESENT } from './presence.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportError, reportWarning } from './rule.js';

const EXTENSION_ID = /^extension-definition--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
/** §11.3: (deprecated) custom SCO extension keys and the predefined ones share this shape. */
const EXT_KEY = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-ext$/;

const EXTENSION_TYPES: ReadonlySet<string> = new Set([
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
]);

/** The predefined SCO extensions of §6 and the one type each may appear on. */
const PREDEFINED_SCO_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['archive-ext', 'file'],
  ['ntfs-ext', 'file'],
  ['pdf-ext', 'file'],
  ['raster-image-ext', 'file'],
  ['windows-pebinary-ext', 'file'],
  ['http-request-ext', 'network-traffic'],
  ['icmp-ext', 'network-traffic'],
  ['socket-ext', 'network-traffic'],
  ['tcp-ext', 'network-traffic'],
  ['windows-process-ext', 'process'],
  ['windows-service-ext', 'process'],
  ['unix-account-ext', 'user-account'],
]);

function checkDefinedExtension(
  obj: JsonObject,
  type: string,
  id: string,
  entry: unknown,
  pointer: string,
  ctx: RuleContext,
): void {
  const path = joinPointer(pointer, 'extensions', id);
  if (!isObject(entry)) return; // the schema reports a non-object entry
  const extType = entry['extension_type'];
  if (extType === undefined) {
    reportError(ctx, 'extension-type-missing', path, `extension entry '${id}' must have an extension_type (§7.3)`);
    return;
  }
  if (typeof extType !== 'string' || !EXTENSION_TYPES.has(extType)) {
    reportError(
      ctx,
      'extension-type-invalid',
      joinPointer(path, 'extension_type'),
      `extension_type must be one of ${[...EXTENSION_TYPES].join(', ')} (§7.3, extension-type-enum)`,
    );
    return;
  }
  const registered = getExtension(id);
  if (registered === undefined) {
    const message = `extension '${id}' is not registered: its content is kept but not validated (§7.3)`;
    // §7.3 lets a consumer that does not know an extension ignore it (a MAY), so not even strict mode refuses one.
    ctx.out.push({ code: 'extension-unknown', severity: 'warning', path, message });
    return;
  }
  if (!registered.extensionTypes.includes(extType as (typeof registered.extensionTypes)[number])) {
    reportError(
      ctx,
      'extension-type-mismatch',
      joinPointer(path, 'extension_type'),
      `extension '${registered.name}' is defined as ${registered.extensionTypes.join(', ')}, not ${extType} (§7.3)`,
    );
    return;
  }
  if (extType === 'property-extension' || extType === 'toplevel-property-extension') {
    if (registered.appliesTo !== undefined && !registered.appliesTo.includes(type)) {
      reportError(ctx, 'extension-not-applicable', path, `extension '${registered.name}' does not apply to ${type} objects`);
      return;
    }
    const diagnostics =
      extType === 'property-extension'
        ? extensionSchemaDiagnostics(id, entry, path)
        : extensionSchemaDiagnostics(id, obj, pointer);
    for (const d of diagnostics) ctx.out.push(d);
  }
}

function checkExtKey(kind: ObjectKind, type: string, key: string, entry: unknown, pointer: string, ctx: RuleContext): void {
  const path = joinPointer(pointer, 'extensions', key);
  const home = PREDEFINED_SCO_EXTENSIONS.get(key);
  if (kind !== 'sco' && kind !== 'custom') {
    reportError(
      ctx,
      'extension-key-invalid',
      path,
      `extension key '${key}' is an SCO extension name; ${type} extensions must be keyed by extension-definition id (§7.3)`,
    );
    return;
  }
  if (home !== undefined) {
    if (home !== type) {
      const message = `predefined extension '${key}' belongs to ${home} objects, not ${type} (§6)`;
      reportError(ctx, 'extension-not-applicable', path, message);
    } else if (isObject(entry) && entry['extension_type'] !== undefined) {
      reportError(
        ctx,
        'extension-type-forbidden',
        joinPointer(path, 'extension_type'),
        `predefined extension '${key}' must not have an extension_type (§7.3)`,
      );
    }
    return;
  }
  reportWarning(
    ctx,
    'custom-extension',
    path,
    `'${key}' is a deprecated custom SCO extension (§11.3); define it with an extension-definition and extension_type property-extension`,
  );
}

/**
 * §7.3 / §11.3: keys of `extensions` are extension-definition ids (with a valid, consistent `extension_type`) or, on
 * SCOs, predefined `-ext` names of that type or deprecated custom `-ext` names; registered extensions' content is
 * validated against their schema, unknown ones are kept and warned about.
 */
export function checkExtensions(
  obj: JsonObject,
  type: string,
  kind: ObjectKind,
  pointer: string,
  ctx: RuleContext,
  present: number,
): void {
  if ((present & PRESENT.extensions) === 0) return;
  const ext = obj['extensions'];
  if (!isObject(ext)) return;
  for (const key in ext) {
    const entry = ext[key];
    if (key.startsWith('extension-definition--') && EXTENSION_ID.test(key)) {
      checkDefinedExtension(obj, type, key, entry, pointer, ctx);
    } else if (EXT_KEY.test(key)) {
      checkExtKey(kind, type, key, entry, pointer, ctx);
    } else {
      reportError(
        ctx,
        'extension-key-invalid',
        joinPointer(pointer, 'extensions', key),
        `extension key '${key}' must be an extension-definition id or, on an SCO, a name ending in '-ext' (§7.3, §11.3)`,
      );
    }
  }
}

/** §7.3: an extension definition lists `extension_properties` only when it is a toplevel-property-extension. */
export function checkExtensionDefinition(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  if (obj['extension_properties'] === undefined) return;
  const types = obj['extension_types'];
  if (Array.isArray(types) && !types.includes('toplevel-property-extension')) {
    reportError(
      ctx,
      'extension-properties-not-toplevel',
      joinPointer(pointer, 'extension_properties'),
      "extension_properties may only be present when extension_types includes 'toplevel-property-extension' (§7.3)",
    );
  }
}

/**
 * Process-wide registry of extension definitions known to the validator and the pattern checker. The distillation
 * suite registers itself here through `defineExtension`, exactly as a third party would.
 */

/** The five extension types of STIX 2.1 §7.3. */
export type ExtensionType = 'new-sdo' | 'new-sco' | 'new-sro' | 'property-extension' | 'toplevel-property-extension';

/** A JSON Schema document (draft 2020-12 as compiled by ajv). */
export type JsonSchema = Record<string, unknown>;

/** What the library knows about one registered extension definition. */
export interface RegisteredExtension {
  /** `extension-definition--<uuid>`. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly extensionTypes: readonly ExtensionType[];
  /**
   * JSON Schema of the content the extension adds:
   * - `new-sdo` / `new-sco` / `new-sro`: the whole new object (common properties included);
   * - `property-extension`: the extension entry under `extensions[id]` (with `extension_type`);
   * - `toplevel-property-extension`: the top-level properties it adds.
   */
  readonly schema: JsonSchema;
  /** For new object types: the `type` value the extension defines. */
  readonly objectType?: string;
  /** For `new-sco`: the properties whose values contribute to the deterministic id, in any order. */
  readonly idContributingProperties?: readonly string[];
  /** For property extensions: the object types it may be attached to (any when absent). */
  readonly appliesTo?: readonly string[];
  /** For `toplevel-property-extension`: the property names it adds (`extension_properties`). */
  readonly extensionProperties?: readonly string[];
}

type Listener = (ext: RegisteredExtension) => void;

const byId = new Map<string, RegisteredExtension>();
const byObjectType = new Map<string, RegisteredExtension>();
const listeners = new Set<Listener>();
let generation = 0;

/**
 * A number that changes whenever an extension is registered or removed: caches of anything derived from the registry
 * (the pattern checker's object-path table) compare it instead of subscribing.
 */
export function registryGeneration(): number {
  return generation;
}

/** Adds (or replaces, by id) an extension in the registry and tells listeners (schema compiler, pattern checker). */
export function registerExtension(ext: RegisteredExtension): void {
  const previous = byId.get(ext.id);
  if (previous?.objectType !== undefined) byObjectType.delete(previous.objectType);
  byId.set(ext.id, ext);
  if (ext.objectType !== undefined) byObjectType.set(ext.objectType, ext);
  generation++;
  for (const l of listeners) l(ext);
}

/** Removes an extension (tests use this to keep the registry clean). */
export function unregisterExtension(id: string): boolean {
  const ext = byId.get(id);
  if (ext === undefined) return false;
  byId.delete(id);
  if (ext.objectType !== undefined) byObjectType.delete(ext.objectType);
  generation++;
  return true;
}

/** The registered extension with this `extension-definition--` id. */
export function getExtension(id: string): RegisteredExtension | undefined {
  return byId.get(id);
}

/** The registered extension that defines a new object type. */
export function getExtensionForObjectType(type: string): RegisteredExtension | undefined {
  return byObjectType.get(type);
}

/** Every registered extension, in registration order. */
export function listExtensions(): RegisteredExtension[] {
  return [...byId.values()];
}

/** Calls `fn` for every extension registered from now on; returns an unsubscribe function. */
export function onExtensionRegistered(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

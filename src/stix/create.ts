import type { Diagnostic } from './diagnostic.js';
import { hasErrors, joinPointer } from './diagnostic.js';
import { StixBuildError } from './errors.js';
import { getExtensionForObjectType } from './extension-registry.js';
import { newIdentifier, scoIdentifier } from './ids.js';
import { formatTimestamp, now } from './timestamps.js';
import type { StixObjectOf, StixObjectType } from './types/index.js';
import { isScoType, isSdoType, isSroType } from './types/index.js';
import { validate } from './validate.js';

/**
 * Builders: `create('indicator', {...})` fills what the spec requires a producer to fill and refuses anything the
 * spec forbids.
 *
 * One generic `create(type, props)` rather than one function per type: the object type is already the discriminant
 * of `StixObjectOf<T>`, so `create('indicator', ...)` is checked against the `Indicator` interface with no extra
 * surface to keep in step with the types, and extension-defined types go through the same path
 * ({@link createExtensionObject}).
 */

/** Options shared by every builder. */
export interface BuildOptions {
  /** Refuse on SHOULD findings too (validator warnings become errors). Default false. */
  readonly strict?: boolean;
}

/** Properties a builder fills when the caller leaves them out. `type` always comes from the first argument. */
/** The properties a builder fills in itself (`id`, `spec_version`, `created`, `modified` may still be given). */
export type FilledProperty = 'type' | 'id' | 'spec_version' | 'created' | 'modified';

/**
 * What `create(type, props)` accepts for type `T`: the object's own properties, with `id`, `spec_version`, `created`
 * and `modified` optional (caller-supplied values are kept when valid, e.g. for deterministic content).
 */
export type CreateProps<T extends StixObjectType> = Omit<StixObjectOf<T>, FilledProperty> &
  Partial<Pick<StixObjectOf<T>, Extract<Exclude<FilledProperty, 'type'>, keyof StixObjectOf<T>>>>;

/** The category of an object type, which decides which common properties a builder fills. */
type Kind = 'sdo' | 'sro' | 'sco' | 'marking-definition' | 'extension-definition' | 'language-content';

function kindOf(type: string, allowExtensionTypes: boolean): Kind | undefined {
  if (type === 'marking-definition' || type === 'extension-definition' || type === 'language-content') return type;
  if (isSdoType(type)) return 'sdo';
  if (isSroType(type)) return 'sro';
  if (isScoType(type)) return 'sco';
  if (!allowExtensionTypes) return undefined;
  const ext = getExtensionForObjectType(type);
  if (ext === undefined) return undefined;
  if (ext.extensionTypes.includes('new-sco')) return 'sco';
  if (ext.extensionTypes.includes('new-sro')) return 'sro';
  if (ext.extensionTypes.includes('new-sdo')) return 'sdo';
  return undefined;
}

/**
 * Copies a value into plain JSON data: `undefined` object members are dropped, `Date`s become millisecond
 * timestamps, and anything JSON cannot carry (functions, symbols, bigints, NaN/Infinity, `null`, class instances,
 * cycles, `undefined` list items) is reported.
 *
 * @internal Shared by the builders; not part of the public API.
 */
export function toPlainJson(value: unknown, path: string, diagnostics: Diagnostic[], ancestors = new Set<object>()): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) diagnostics.push(notJson(path, `${String(value)} is not a JSON number`));
      return value;
    case 'undefined':
      diagnostics.push(notJson(path, 'undefined is not a JSON value'));
      return undefined;
    case 'bigint':
    case 'symbol':
    case 'function':
      diagnostics.push(notJson(path, `a ${typeof value} is not a JSON value`));
      return undefined;
    default:
      break;
  }
  if (value === null) {
    diagnostics.push({
      code: 'null-value',
      severity: 'error',
      path,
      message: 'null is not a STIX value; leave the property out instead',
    });
    return undefined;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      diagnostics.push(notJson(path, 'the Date is invalid'));
      return undefined;
    }
    return formatTimestamp(value);
  }
  const obj = value as object;
  if (ancestors.has(obj)) {
    diagnostics.push(notJson(path, 'the value contains itself (a cycle)'));
    return undefined;
  }
  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) {
      return obj.map((item: unknown, i) => toPlainJson(item, joinPointer(path, i), diagnostics, ancestors));
    }
    // A plain object's prototype is some realm's Object.prototype, whose own prototype is null; comparing with this
    // realm's Object.prototype alone would refuse plain objects made elsewhere (structuredClone in a vm, workers).
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      const name = (obj.constructor as { name?: string } | undefined)?.name ?? 'an object';
      diagnostics.push(notJson(path, `a ${name} instance is not plain JSON data; pass a plain object`));
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(obj)) {
      if (member === undefined) continue;
      const plain = toPlainJson(member, joinPointer(path, key), diagnostics, ancestors);
      // defineProperty, because assigning a `__proto__` key would change the prototype instead of adding a member.
      Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    ancestors.delete(obj);
  }
}

/**
 * Copies own enumerable members with define semantics: `Object.assign` would run the `__proto__` setter for a member
 * of that name (JSON.parse creates one) and change the target's prototype instead of copying the member.
 *
 * @internal Shared by the builders; not part of the public API.
 */
export function assignOwn(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    Object.defineProperty(target, key, { value: source[key], enumerable: true, writable: true, configurable: true });
  }
  return target;
}

function notJson(path: string, message: string): Diagnostic {
  return { code: 'not-json', severity: 'error', path, message };
}

/**
 * Validates a built object and throws when the validator reports errors (or warnings, with `strict`).
 *
 * @internal Shared by the builders; not part of the public API.
 */
export function refuseInvalid<T>(obj: T, summary: string, options: BuildOptions = {}): T {
  const diagnostics = validate(obj, options.strict === undefined ? {} : { strict: options.strict });
  const failing = options.strict === true ? diagnostics.length > 0 : hasErrors(diagnostics);
  if (failing) throw new StixBuildError(summary, diagnostics);
  return obj;
}

/**
 * Objects of extension-defined types must name their extension (§7.3); the builder knows which one defines the type,
 * so it adds the entry when the caller left it out.
 */
function addExtensionEntry(type: string, rest: Record<string, unknown>): void {
  const ext = getExtensionForObjectType(type);
  if (ext === undefined) return;
  const category = ext.extensionTypes.find((t) => t === 'new-sdo' || t === 'new-sco' || t === 'new-sro');
  if (category === undefined) return;
  const current = rest.extensions;
  if (current === undefined) {
    rest.extensions = { [ext.id]: { extension_type: category } };
  } else if (current !== null && typeof current === 'object' && !Array.isArray(current) && !Object.hasOwn(current, ext.id)) {
    rest.extensions = { ...(current as Record<string, unknown>), [ext.id]: { extension_type: category } };
  }
}

function build(type: string, props: unknown, options: BuildOptions, allowExtensionTypes: boolean): Record<string, unknown> {
  const summary = `cannot build ${typeof type === 'string' ? type : 'object'}`;
  const diagnostics: Diagnostic[] = [];
  const kind = typeof type === 'string' ? kindOf(type, allowExtensionTypes) : undefined;
  if (kind === undefined) {
    const message =
      typeof type === 'string' && type === 'bundle'
        ? 'bundles are built with bundle(objects)'
        : allowExtensionTypes
          ? `${JSON.stringify(type)} is not a STIX 2.1 type nor a type defined by a registered new-sdo/new-sco/new-sro extension`
          : `${JSON.stringify(type)} is not a STIX 2.1 object type (use createExtensionObject for extension-defined types)`;
    throw new StixBuildError(summary, [{ code: 'unknown-type', severity: 'error', path: '/type', message }]);
  }
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw new StixBuildError(summary, [
      { code: 'not-an-object', severity: 'error', path: '', message: 'properties must be given as a plain object' },
    ]);
  }
  const plain = toPlainJson(props, '', diagnostics) as Record<string, unknown> | undefined;
  if (plain === undefined || diagnostics.length > 0) throw new StixBuildError(summary, diagnostics);
  if (plain.type !== undefined && plain.type !== type) {
    throw new StixBuildError(summary, [
      {
        code: 'type-mismatch',
        severity: 'error',
        path: '/type',
        message: `props.type ${JSON.stringify(plain.type)} differs from the requested type ${JSON.stringify(type)}`,
      },
    ]);
  }

  const { type: _type, id, spec_version, created, modified, ...rest } = plain;
  if (allowExtensionTypes) addExtensionEntry(type, rest);
  const obj: Record<string, unknown> = { type, spec_version: spec_version ?? '2.1' };
  if (kind === 'sco') {
    // Fill id last: a deterministic id covers the final contributing properties.
    assignOwn(obj, rest);
    if (created !== undefined) obj.created = created;
    if (modified !== undefined) obj.modified = modified;
    const withId: Record<string, unknown> = { type, spec_version: obj.spec_version, id: id ?? scoIdentifier({ ...obj, type }) };
    return refuseInvalid(assignOwn(withId, obj), summary, options);
  }
  obj.id = id ?? newIdentifier(type);
  // Version 1 has created == modified (§3.6); a lone caller-supplied timestamp sets both.
  const createdValue = created ?? modified ?? now();
  obj.created = createdValue;
  if (kind === 'marking-definition') {
    // Marking definitions are not versioned and have no `modified`; let the validator reject one if given.
    if (modified !== undefined) obj.modified = modified;
  } else {
    obj.modified = modified ?? createdValue;
  }
  assignOwn(obj, rest);
  return refuseInvalid(obj, summary, options);
}

/**
 * Builds a STIX 2.1 object of a standard type.
 *
 * Fills `spec_version` (`'2.1'`), `id` (UUIDv4; for SCOs the deterministic UUIDv5 of §2.9, or UUIDv4 when no
 * ID-contributing property is present and always for `process`), and for every object but SCOs `created` (now, UTC,
 * millisecond precision) and `modified` (equal to `created`, as version 1 requires; marking definitions get none).
 * Caller-supplied `id`, `spec_version`, `created` and `modified` are kept when valid. `undefined` members are dropped
 * and `Date` values become timestamps; the result is plain JSON data.
 *
 * @example
 * ```ts
 * const ind = create('indicator', {
 *   name: 'Proxy relay',
 *   pattern: "[ipv4-addr:value = '198.51.100.3']",
 *   pattern_type: 'stix',
 *   valid_from: '2026-01-01T00:00:00Z',
 * });
 * ```
 * @throws StixBuildError listing the validator's diagnostics when the result would break the spec (with `strict`,
 *   also its SHOULD warnings), or when `props` holds values JSON cannot carry.
 */
export function create<T extends StixObjectType>(type: T, props: CreateProps<T>, options: BuildOptions = {}): StixObjectOf<T> {
  return build(type, props, options, false) as unknown as StixObjectOf<T>;
}

/**
 * Builds an object of a type defined by a registered `new-sdo`, `new-sco` or `new-sro` extension (see
 * `defineExtension`). The common properties of the type's category are filled as {@link create} does; a `new-sco`
 * gets its deterministic id from the extension's `idContributingProperties`. The `extensions` entry naming the
 * defining extension (`{ [extensionId]: { extension_type: 'new-sdo' } }`, §7.3) is added when absent.
 *
 * @throws StixBuildError when the type is not registered or the result does not validate.
 */
export function createExtensionObject(type: string, props: Readonly<Record<string, unknown>>, options: BuildOptions = {}): Record<string, unknown> {
  return build(type, props, options, true);
}

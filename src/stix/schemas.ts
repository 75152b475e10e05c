/**
 * JSON Schema validation of single STIX objects: our own draft 2020-12 schemas in `schemas/` plus the schemas of
 * registered extensions. The validators of our schemas (and of the extension schemas we ship) are generated ahead of
 * time (`src/stix/generated/validators.ts`, see `validator-codegen.ts`), so a process starts validating without
 * compiling anything; they are used only while `schemas/` still has the content they were generated from, and ajv
 * compiles at run time otherwise (and for third-party extension schemas). The hot path for a valid object is one
 * `Map` lookup and one call into a validator; diagnostics are only built when the validator reports errors.
 */
import { hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv/dist/2020.js';
import { canonicalJson } from './canonical-json.js';
import type { Diagnostic } from './diagnostic.js';
import { escapePointerToken } from './diagnostic.js';
import type { JsonSchema, RegisteredExtension } from './extension-registry.js';
import { getExtension, getExtensionForObjectType, listExtensions, onExtensionRegistered } from './extension-registry.js';
import { EXTENSION_VALIDATORS, PRESENCE_NAMES, SOURCE_DIGEST, STANDARD_VALIDATORS } from './generated/validators.js';
import { presenceMask, presenceTable, schemaPresence } from './schema-presence.js';
import { STIX_FORMATS } from './stix-formats.js';

export { STIX_FORMATS } from './stix-formats.js';
export type { StixFormat } from './stix-formats.js';

/** Base of every `$id` in `schemas/`; extension schemas may `$ref` these documents. */
export const SCHEMA_BASE_URI = 'https://distill-intel.dev/schemas/';

/** Schema document (relative to {@link SCHEMA_BASE_URI}) for every standard STIX 2.1 object type, plus `bundle`. */
export const STANDARD_SCHEMA_PATHS: Readonly<Record<string, string>> = nullPrototype({
  'attack-pattern': 'sdo/attack-pattern.json',
  campaign: 'sdo/campaign.json',
  'course-of-action': 'sdo/course-of-action.json',
  grouping: 'sdo/grouping.json',
  identity: 'sdo/identity.json',
  incident: 'sdo/incident.json',
  indicator: 'sdo/indicator.json',
  infrastructure: 'sdo/infrastructure.json',
  'intrusion-set': 'sdo/intrusion-set.json',
  location: 'sdo/location.json',
  malware: 'sdo/malware.json',
  'malware-analysis': 'sdo/malware-analysis.json',
  note: 'sdo/note.json',
  'observed-data': 'sdo/observed-data.json',
  opinion: 'sdo/opinion.json',
  report: 'sdo/report.json',
  'threat-actor': 'sdo/threat-actor.json',
  tool: 'sdo/tool.json',
  vulnerability: 'sdo/vulnerability.json',
  relationship: 'sro/relationship.json',
  sighting: 'sro/sighting.json',
  artifact: 'sco/artifact.json',
  'autonomous-system': 'sco/autonomous-system.json',
  directory: 'sco/directory.json',
  'domain-name': 'sco/domain-name.json',
  'email-addr': 'sco/email-addr.json',
  'email-message': 'sco/email-message.json',
  file: 'sco/file.json',
  'ipv4-addr': 'sco/ipv4-addr.json',
  'ipv6-addr': 'sco/ipv6-addr.json',
  'mac-addr': 'sco/mac-addr.json',
  mutex: 'sco/mutex.json',
  'network-traffic': 'sco/network-traffic.json',
  process: 'sco/process.json',
  software: 'sco/software.json',
  url: 'sco/url.json',
  'user-account': 'sco/user-account.json',
  'windows-registry-key': 'sco/windows-registry-key.json',
  'x509-certificate': 'sco/x509-certificate.json',
  'language-content': 'meta/language-content.json',
  'marking-definition': 'meta/marking-definition.json',
  'extension-definition': 'meta/extension-definition.json',
  bundle: 'meta/bundle.json',
});

/** A frozen lookup table without a prototype, so that `type: "constructor"` or `"__proto__"` finds nothing. */
function nullPrototype<V>(entries: Record<string, V>): Readonly<Record<string, V>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, V>, entries));
}

/** `schemas/` at the package root: the same relative path from src/stix/ (tests) and dist/stix/ (installed). */
const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Folders of `schemas/` that belong to other modules (they register through the extension registry). */
const FOREIGN_DIRS = new Set(['distillation', 'provenance']);

/** Annotation keywords our schemas carry for error messages; ajv must know them but they validate nothing. */
const ANNOTATION_KEYWORDS = ['x-rule', 'x-because'] as const;

/** The ajv class, loaded on first need: a process that only runs generated validators never loads the compiler. */
function ajvClass(): typeof Ajv2020 {
  const module = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
  return module.Ajv2020;
}

/**
 * Creates an ajv instance configured for STIX schemas (formats and annotation keywords registered). `code` is for the
 * ahead-of-time generator, which needs the generated source kept.
 */
export function createStixAjv(options: { strict?: boolean; code?: AjvOptions['code'] } = {}): Ajv2020 {
  const strict = options.strict ?? false;
  const Ajv = ajvClass();
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    // Third-party extension schemas may use keywords we do not know: they must still compile in production. The
    // test suite compiles our own schemas with strictSchema on.
    strict: false,
    strictSchema: strict,
    strictTuples: strict,
    logger: false,
    ...(options.code !== undefined ? { code: options.code } : {}),
  });
  for (const [name, f] of Object.entries(STIX_FORMATS)) ajv.addFormat(name, { type: 'string', validate: f.validate });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  return ajv;
}

/** The text of every schema document of `schemas/` (except folders owned by other modules), by relative path. */
function readStandardSchemaTexts(): Array<{ readonly path: string; readonly text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory()) {
        if (rel === '' && FOREIGN_DIRS.has(entry.name)) continue;
        walk(join(dir, entry.name), rel + entry.name + '/');
      } else if (entry.name.endsWith('.json')) {
        out.push({ path: rel + entry.name, text: readFileSync(join(dir, entry.name), 'utf8') });
      }
    }
  };
  walk(SCHEMA_DIR, '');
  return out;
}

/** Reads every schema document of `schemas/` (except folders owned by other modules). */
export function loadStandardSchemaDocuments(): JsonSchema[] {
  return readStandardSchemaTexts().map((f) => JSON.parse(f.text) as JsonSchema);
}

/**
 * SHA-256 over the paths and exact texts of our schema documents: the generated validators record the digest of the
 * documents they were generated from, and are used only while it still matches.
 */
export function standardSchemaDigest(): string {
  let all = '';
  for (const f of readStandardSchemaTexts()) all += `${f.path}\u0000${f.text.length}\u0000${f.text}`;
  return hash('sha256', all, 'hex');
}

/** SHA-256 of a schema's RFC 8785 canonical JSON: how an extension schema finds its generated validator. */
export function schemaContentDigest(schema: JsonSchema): string {
  return hash('sha256', canonicalJson(schema) ?? '', 'hex');
}

let generatedUsable: boolean | undefined;

/** True when the generated validators were generated from the schema documents this process would compile. */
function useGenerated(): boolean {
  generatedUsable ??= standardSchemaDigest() === SOURCE_DIGEST;
  return generatedUsable;
}

type Compiled = { readonly validate: ValidateFunction } | { readonly failure: string };

interface ExtensionEntry {
  readonly ext: RegisteredExtension;
  readonly compiled: Compiled;
}

let ajvInstance: Ajv2020 | undefined;
/** `$id`s of our own documents: an extension schema must not replace one of them. */
const standardIds = new Set<string>();
let compilations = 0;

/**
 * How many validators this process has compiled or fetched from ajv for first use (one per standard type, one per
 * registered extension schema): the benchmark and a test hold validation to "no per-object schema compilation".
 *
 * @internal
 */
export function schemaCompilationCount(): number {
  return compilations;
}

/**
 * A standard type's validator, and for a generated one the presence table its reads of absent properties are
 * skipped by (see schema-presence.ts).
 */
interface StandardValidator {
  readonly validate: ValidateFunction;
  readonly presence: ReadonlyMap<string, number> | undefined;
}

/** Standard type → its validator, filled on first use of each type. */
const standardValidators = new Map<string, StandardValidator>();
/** Extension id → compiled schema; `ext` identity tells whether the registry still holds the same definition. */
const extensionValidators = new Map<string, ExtensionEntry>();

function ajv(): Ajv2020 {
  if (ajvInstance === undefined) {
    const instance = createStixAjv();
    for (const doc of loadStandardSchemaDocuments()) {
      instance.addSchema(doc);
      if (typeof doc['$id'] === 'string') standardIds.add(doc['$id']);
    }
    ajvInstance = instance;
    for (const ext of listExtensions()) compileExtension(ext);
  }
  return ajvInstance;
}

function compileExtension(ext: RegisteredExtension): ExtensionEntry {
  // Once ajv runs (a third-party schema needed it), every extension goes into it, so their $ids resolve for each other.
  if (ajvInstance === undefined && useGenerated()) {
    const generated = EXTENSION_VALIDATORS[schemaContentDigest(ext.schema)];
    if (generated !== undefined) {
      compilations++;
      const entry: ExtensionEntry = { ext, compiled: { validate: generated as ValidateFunction } };
      extensionValidators.set(ext.id, entry);
      return entry;
    }
  }
  const instance = ajv();
  let compiled: Compiled;
  try {
    const id = typeof ext.schema['$id'] === 'string' ? ext.schema['$id'] : undefined;
    if (id !== undefined && standardIds.has(id)) throw new Error(`its $id ${id} is the $id of a standard STIX schema`);
    // A re-registration with the same $id would otherwise make ajv refuse the schema as a duplicate.
    if (id !== undefined && instance.getSchema(id) !== undefined) instance.removeSchema(id);
    compilations++;
    compiled = { validate: instance.compile(ext.schema) };
  } catch (err) {
    compiled = { failure: err instanceof Error ? err.message : String(err) };
  }
  const entry: ExtensionEntry = { ext, compiled };
  extensionValidators.set(ext.id, entry);
  return entry;
}

onExtensionRegistered((ext) => {
  // Before the first validation there is nothing to recompile: the lazy loader picks up every registered extension.
  if (ajvInstance !== undefined) compileExtension(ext);
});

function extensionEntry(ext: RegisteredExtension): ExtensionEntry {
  const entry = extensionValidators.get(ext.id);
  return entry !== undefined && entry.ext === ext ? entry : compileExtension(ext);
}

function standardValidator(type: string): StandardValidator | undefined {
  const known = standardValidators.get(type);
  if (known !== undefined) return known;
  const path = STANDARD_SCHEMA_PATHS[type];
  if (path === undefined) return undefined;
  const generated = useGenerated() ? STANDARD_VALIDATORS[type] : undefined;
  const validate = generated !== undefined ? (generated as ValidateFunction) : ajv().getSchema(SCHEMA_BASE_URI + path);
  if (validate === undefined) throw new Error(`schema ${path} is missing from ${SCHEMA_DIR}`);
  const names = generated !== undefined ? PRESENCE_NAMES[type] : undefined;
  const entry: StandardValidator = { validate, presence: names === undefined ? undefined : presenceTable(names) };
  compilations++;
  standardValidators.set(type, entry);
  return entry;
}

/** True when `type` is a standard STIX 2.1 type (or `bundle`) or a type defined by a registered extension. */
export function hasSchemaForType(type: string): boolean {
  return STANDARD_SCHEMA_PATHS[type] !== undefined || getExtensionForObjectType(type) !== undefined;
}

/**
 * Validates one object against the schema for its `type`: the standard schema, or the schema of the registered
 * extension that defines the type. Returns `[]` when the type has no schema (judging unknown types is the rules'
 * business).
 *
 * @param value - one parsed STIX object (not a bundle's content: callers iterate)
 * @param pointer - JSON pointer of `value` inside the validated input; prefixed to every diagnostic path
 */
export function schemaDiagnostics(value: Record<string, unknown>, pointer: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  schemaDiagnosticsInto(value, pointer, out);
  return out;
}

/**
 * {@link schemaDiagnostics} appending to `out`: the validator's path, which allocates nothing for a valid object.
 *
 * @internal
 */
export function schemaDiagnosticsInto(value: Record<string, unknown>, pointer: string, out: Diagnostic[]): void {
  const type = value['type'];
  if (typeof type !== 'string') return;
  const standard = standardValidators.get(type) ?? standardValidator(type);
  let found: Diagnostic[];
  if (standard !== undefined) {
    const { validate, presence: table } = standard;
    let valid: boolean;
    if (table === undefined) {
      valid = validate(value) as boolean;
    } else {
      schemaPresence.mask = presenceMask(value, table);
      schemaPresence.of = value;
      try {
        valid = validate(value) as boolean;
      } finally {
        schemaPresence.of = undefined;
      }
    }
    if (valid) return;
    found = toDiagnostics(validate.errors, pointer, type);
  } else {
    const ext = getExtensionForObjectType(type);
    if (ext === undefined) return;
    found = runExtension(extensionEntry(ext), value, pointer, type);
  }
  for (const d of found) out.push(d);
}

/**
 * Validates the content a registered extension adds: the entry under `extensions[extensionId]` for a
 * property-extension, the added top-level properties for a toplevel-property-extension, the whole object for new
 * object types (see `RegisteredExtension.schema`). Returns `[]` when the extension is not registered.
 */
export function extensionSchemaDiagnostics(extensionId: string, value: unknown, pointer: string): Diagnostic[] {
  const ext = getExtension(extensionId);
  if (ext === undefined) return [];
  return runExtension(extensionEntry(ext), value, pointer, `extension ${ext.name}`);
}

function runExtension(entry: ExtensionEntry, value: unknown, pointer: string, label: string): Diagnostic[] {
  const { compiled } = entry;
  if ('failure' in compiled) {
    return [
      {
        code: 'schema-unusable',
        severity: 'error',
        path: pointer,
        message: `the schema of extension ${entry.ext.name} (${entry.ext.id}) does not compile: ${compiled.failure}`,
      },
    ];
  }
  if (compiled.validate(value)) return [];
  return toDiagnostics(compiled.validate.errors, pointer, label);
}

// ------------------------------------------------------------------------------------------------ error messages

function kebab(keyword: string): string {
  return keyword.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()).replace(/\s+/g, '-');
}

/** "external_references[0].source_name" from "/external_references/0/source_name"; `root` for the object itself. */
function label(instancePath: string, root: string): string {
  if (instancePath === '') return root;
  let out = '';
  for (const raw of instancePath.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(token)) out += `[${token}]`;
    else out += out === '' ? token : '.' + token;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

function typeWords(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  return types.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

function annotation(schema: unknown, key: (typeof ANNOTATION_KEYWORDS)[number]): string | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const v = (schema as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function diag(code: string, path: string, message: string): Diagnostic {
  return { code, severity: 'error', path, message };
}

function toDiagnostics(errors: ErrorObject[] | null | undefined, pointer: string, rootLabel: string): Diagnostic[] {
  if (!errors) return [];
  // Combinators that carry their own sentence replace the noise of their failed branches.
  const explained: Array<{ instancePath: string; schemaPath: string }> = [];
  for (const e of errors) {
    if ((e.keyword === 'anyOf' || e.keyword === 'oneOf') && annotation(e.parentSchema, 'x-rule') !== undefined) {
      explained.push({ instancePath: e.instancePath, schemaPath: e.schemaPath + '/' });
    }
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.propertyName !== undefined) continue;
    if (explained.some((x) => x.instancePath === e.instancePath && e.schemaPath.startsWith(x.schemaPath))) continue;
    const d = toDiagnostic(e, pointer, rootLabel);
    const key = d.code + '\u0000' + d.path + '\u0000' + d.message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(e: ErrorObject, pointer: string, rootLabel: string): Diagnostic {
  const code = 'schema-' + kebab(e.keyword);
  const path = pointer + e.instancePath;
  const what = label(e.instancePath, rootLabel);
  const params = e.params as Record<string, unknown>;
  const rule = annotation(e.parentSchema, 'x-rule');
  switch (e.keyword) {
    case 'required': {
      const because = annotation(e.parentSchema, 'x-because');
      const where = e.instancePath === '' ? '' : `${what} is `;
      const base = `${where}missing required property '${String(params['missingProperty'])}'`;
      return diag(code, path, because === undefined ? base : `${base} (${because})`);
    }
    case 'dependentRequired':
      return diag(
        code,
        path,
        `${String(params['property'])} requires ${String(params['missingProperty'])} to be present` +
          (e.instancePath === '' ? '' : ` in ${what}`),
      );
    case 'type':
      return diag(code, path, `${what} must be ${rule ?? typeWords(params['type'])}`);
    case 'const':
      return diag(code, path, `${what} must be ${show(params['allowedValue'])}`);
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => String(v)).join(', ');
      return diag(code, path, `${what} must be one of ${allowed} (got ${show(e.data)})`);
    }
    case 'format': {
      const f = STIX_FORMATS[String(params['format'])];
      const expected = f?.rule ?? `in ${String(params['format'])} format`;
      return diag(code, path, `${what} must be ${expected} (got ${show(e.data)})`);
    }
    case 'pattern':
      return diag(code, path, `${what} must be ${rule ?? `a string matching ${String(params['pattern'])}`} (got ${show(e.data)})`);
    case 'minimum':
    case 'exclusiveMinimum':
      return diag(code, path, `${what} must be ${e.keyword === 'minimum' ? 'at least' : 'greater than'} ${String(params['limit'])} (got ${show(e.data)})`);
    case 'maximum':
    case 'exclusiveMaximum':
      return diag(code, path, `${what} must be ${e.keyword === 'maximum' ? 'at most' : 'less than'} ${String(params['limit'])} (got ${show(e.data)})`);
    case 'minItems':
      return diag(code, path, params['limit'] === 1 ? `${what} must be a non-empty list` : `${what} must have at least ${String(params['limit'])} items`);
    case 'minProperties':
      return diag(code, path, params['limit'] === 1 ? `${what} must have at least one property (an empty object is not allowed)` : `${what} must have at least ${String(params['limit'])} properties`);
    case 'propertyNames': {
      const key = String(params['propertyName']);
      const nameRule = annotation((e.parentSchema as Record<string, unknown> | undefined)?.['propertyNames'], 'x-rule');
      return diag(
        code,
        path + '/' + escapePointerToken(key),
        `key '${key}' of ${what} is not allowed: keys must be ${nameRule ?? 'valid property names'}`,
      );
    }
    case 'anyOf':
    case 'oneOf':
      return diag(code, path, rule ?? `${what} ${e.message ?? 'is invalid'}`);
    case 'not':
      return diag(code, path, rule !== undefined ? `${what} must be ${rule}` : `${what} ${e.message ?? 'is invalid'}`);
    default:
      return diag(code, path, `${what} ${e.message ?? 'is invalid'}`);
  }
}

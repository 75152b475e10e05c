import type { Diagnostic } from './diagnostic.js';
import { hasErrors, joinPointer } from './diagnostic.js';
import { StixValidationError } from './errors.js';
import { InputChecks } from './input-checks.js';
import type { ObjectChecks } from './input-checks.js';
import { checkCoOccurrence } from './rules/co-occurrence.js';
import { checkCommonProperties } from './rules/common-properties.js';
import { checkExtensionDefinition, checkExtensions } from './rules/extensions.js';
import { checkIdentifier } from './rules/identifiers.js';
import { checkMarkingDefinition, checkMarkingUse } from './rules/markings.js';
import { checkNames } from './rules/names.js';
import { kindOf, STANDARD_KINDS } from './rules/object-kinds.js';
import { checkRecommended } from './rules/recommended.js';
import { checkReferences } from './rules/references.js';
import { checkRegistries } from './rules/registries.js';
import { checkRelationshipType } from './rules/relationships.js';
import type { JsonObject, RuleContext } from './rules/rule.js';
import { isObject, reportError, reportWarning } from './rules/rule.js';
import { checkTimestamps } from './rules/timestamps.js';
import { checkVocabularies } from './rules/vocabularies.js';
import { schemaDiagnostics, schemaDiagnosticsInto } from './schemas.js';
// Validation sits above the pattern language, which sits above the object model: importing the checker here (rather
// than having the pattern module register itself) means every caller of validate() checks patterns.
import { patternDiagnostics } from '../pattern/check.js';

/** Options of {@link validate}. */
export interface ValidateOptions {
  /**
   * Report SHOULD-level findings (vocabularies, UUID versions, custom content, ...) as errors instead of warnings.
   * Default `false`: lenient, as a receiver should be.
   */
  readonly strict?: boolean;
}

/**
 * Validates STIX 2.1 content: one object, a bundle (each of its objects, paths `/objects/<i>/...`) or an array of
 * objects (paths `/<i>/...`). Runs the JSON Schema of each object's type, then every rule a schema cannot state
 * (orderings, reference targets, names, markings, extensions, co-occurrence, registries, vocabularies), then the STIX
 * pattern checker for `pattern_type: 'stix'` indicators (`pattern_type` compared without case or surrounding spaces).
 *
 * Never throws on bad input: everything wrong is a {@link Diagnostic}. Errors break a MUST of the spec, warnings a
 * SHOULD (errors too under `strict`). The codes are listed in docs/diagnostics.md.
 */
export function validate(input: unknown, options: ValidateOptions = {}): Diagnostic[] {
  const ctx: RuleContext = { strict: options.strict === true, out: [] };
  if (Array.isArray(input)) {
    const checks = new InputChecks();
    for (let i = 0; i < input.length; i++) validateObject(input[i], '/' + String(i), ctx, checks);
    checks.finish(ctx.out);
  } else if (isObject(input) && input['type'] === 'bundle') {
    validateBundle(input, '', ctx);
  } else if (isEnvelope(input)) {
    ctx.out.push(envelopeWarning(''));
    validateList(input['objects'] as unknown[], '/objects', ctx, new InputChecks());
  } else {
    const checks = new InputChecks();
    validateObject(input, '', ctx, checks);
    checks.finish(ctx.out);
  }
  return ctx.out;
}

/**
 * True for a JSON object with an `objects` list and no `type`: a TAXII envelope (TAXII 2.1 §3.7), or a bundle that
 * lost its `type`. Its objects are validated; {@link envelopeWarning} says it is not a bundle.
 */
export function isEnvelope(value: unknown): value is JsonObject {
  return isObject(value) && value['type'] === undefined && Array.isArray(value['objects']);
}

/** The warning for content read as a TAXII envelope rather than a bundle (§8.1: a bundle has `type: "bundle"`). */
export function envelopeWarning(pointer: string): Diagnostic {
  return {
    code: 'bundle-type-missing',
    severity: 'warning',
    path: pointer,
    message: 'an object with "objects" but no "type": "bundle" is read as a TAXII envelope, not a STIX bundle (§8.1)',
  };
}

/**
 * Like {@link validate}, but throws when there is any error.
 *
 * @returns the warnings (an empty array for clean input)
 * @throws StixValidationError carrying every diagnostic when at least one is an error
 */
export function validateOrThrow(input: unknown, options: ValidateOptions = {}): Diagnostic[] {
  const diagnostics = validate(input, options);
  if (hasErrors(diagnostics)) throw new StixValidationError('invalid STIX content', diagnostics);
  return diagnostics;
}

/**
 * Validates one object (not a bundle) whose JSON pointer within a larger input is `pointer`, appending findings to
 * `out`. Exposed for callers that walk their own containers (TAXII envelopes, NDJSON streams): pass one
 * {@link InputChecks} for all the objects of one input, and call its `finish` after the last one, so that the checks
 * across objects (duplicate versions, language-content targets, STIX 2.0 content) run too. Without `checks` the
 * object is an input of its own.
 */
export function validateObjectInto(value: unknown, pointer: string, out: Diagnostic[], options: ValidateOptions = {}, checks?: ObjectChecks): void {
  const ctx = { strict: options.strict === true, out };
  if (checks !== undefined) {
    validateObject(value, pointer, ctx, checks);
    return;
  }
  const own = new InputChecks();
  validateObject(value, pointer, ctx, own);
  own.finish(out);
}

/**
 * Checks a bundle's envelope (§8: type, id, objects a non-empty list of objects, no spec_version) without its
 * objects, appending findings to `out`.
 */
export function validateBundleEnvelopeInto(bundle: JsonObject, pointer: string, out: Diagnostic[], strict = false): void {
  for (const d of schemaDiagnostics(bundle, pointer)) out.push(d);
  if (bundle['spec_version'] !== undefined) {
    // A 2.0 bundle carried spec_version; in 2.1 it is merely an unknown property, kept like any custom one.
    out.push({
      code: 'bundle-spec-version',
      severity: strict ? 'error' : 'warning',
      path: joinPointer(pointer, 'spec_version'),
      message: 'a STIX 2.1 bundle has no spec_version property (§8); it is ignored',
    });
  }
}

function validateBundle(bundle: JsonObject, pointer: string, ctx: RuleContext): void {
  validateBundleEnvelopeInto(bundle, pointer, ctx.out, ctx.strict);
  const objects = bundle['objects'];
  if (!Array.isArray(objects)) return;
  validateList(objects, joinPointer(pointer, 'objects'), ctx, new InputChecks(bundle['spec_version']));
}

function validateList(objects: readonly unknown[], base: string, ctx: RuleContext, checks: InputChecks): void {
  for (let i = 0; i < objects.length; i++) {
    const obj: unknown = objects[i];
    // The bundle schema reports entries of a bundle that are not objects.
    if (isObject(obj)) validateObject(obj, base + '/' + String(i), ctx, checks);
  }
  checks.finish(ctx.out);
}

function validateObject(value: unknown, pointer: string, ctx: RuleContext, checks?: ObjectChecks): void {
  if (!isObject(value)) {
    reportError(ctx, 'not-an-object', pointer, 'a STIX object must be a JSON object');
    return;
  }
  const type = value['type'];
  if (typeof type !== 'string') {
    if (type === undefined) reportError(ctx, 'type-missing', pointer, "missing required property 'type' (§3.2)");
    else reportError(ctx, 'type-missing', joinPointer(pointer, 'type'), 'type must be a string (§3.2)');
    return;
  }
  if (type === 'bundle') {
    reportError(ctx, 'bundle-nested', pointer, 'a bundle cannot be an object of a bundle or list (§8)');
    return;
  }
  // STIX 2.0 objects are counted for one finding per input, never judged by 2.1 rules that do not apply to them.
  if (checks !== undefined) {
    if (checks.stix20(value, pointer)) return;
    checks.add(value, pointer, ctx.out);
  }
  schemaDiagnosticsInto(value, pointer, ctx.out);
  const kind = kindOf(value, type);
  const standard = STANDARD_KINDS.has(type);
  if (!standard) checkCommonProperties(value, kind, pointer, ctx);
  checkIdentifier(value, type, kind, pointer, ctx);
  // The name rules walk every key; the bits they return let the rules after them skip reads of absent properties.
  const present = checkNames(value, type, kind, pointer, ctx);
  checkTimestamps(value, type, standard, pointer, ctx, present);
  checkReferences(value, type, pointer, ctx);
  checkMarkingUse(value, type, pointer, ctx, present);
  checkExtensions(value, type, kind, pointer, ctx, present);
  checkCoOccurrence(value, type, pointer, ctx);
  checkRegistries(value, type, pointer, ctx, present);
  checkVocabularies(value, type, pointer, ctx, present);
  checkRecommended(value, type, pointer, ctx, present);
  switch (type) {
    case 'relationship':
      checkRelationshipType(value, pointer, ctx);
      break;
    case 'marking-definition':
      checkMarkingDefinition(value, pointer, ctx);
      break;
    case 'extension-definition':
      checkExtensionDefinition(value, pointer, ctx);
      break;
    case 'indicator':
      checkPattern(value, pointer, ctx);
      break;
    case 'observed-data':
      checkEmbeddedObjects(value, pointer, ctx);
      break;
    default:
      break;
  }
}

/** §4.14 (deprecated `objects`): each embedded observable is a full SCO and is validated as one. */
function checkEmbeddedObjects(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  const objects = obj['objects'];
  if (!isObject(objects)) return;
  for (const key in objects) {
    const embedded = objects[key];
    // Observables only: an observed-data here (possibly this very object) would recurse without end.
    if (isObject(embedded) && embedded['type'] !== 'observed-data') {
      validateObject(embedded, joinPointer(pointer, 'objects', key), ctx);
    }
  }
}

/**
 * §9: a `stix` pattern is checked, its findings re-rooted at `/pattern`. `pattern_type` is an open vocabulary, but
 * consumers normalise `"STIX"` or `"stix "` to `stix` and would then receive an unparsable pattern, so those spellings
 * are checked too, with a warning that asks for the canonical value.
 */
function checkPattern(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  const patternType = obj['pattern_type'];
  if (typeof patternType !== 'string') return;
  if (patternType !== 'stix') {
    if (patternType.trim().toLowerCase() !== 'stix') return;
    reportWarning(
      ctx,
      'pattern-type-noncanonical',
      joinPointer(pointer, 'pattern_type'),
      `pattern_type '${patternType}' is read as 'stix' and its pattern checked; write it as 'stix' (§10.19 pattern-type-ov)`,
    );
  }
  const pattern = obj['pattern'];
  if (typeof pattern !== 'string') return;
  let findings: Diagnostic[];
  try {
    findings = patternDiagnostics(pattern);
  } catch (err) {
    // The parser bounds its own depth; this keeps a checker defect from taking a whole feed (or server request) down.
    const message = `the STIX pattern checker failed: ${err instanceof Error ? err.message : String(err)}`;
    reportError(ctx, 'pattern-checker-failed', joinPointer(pointer, 'pattern'), message);
    return;
  }
  if (findings.length === 0) return;
  const base = joinPointer(pointer, 'pattern');
  for (const d of findings) {
    const severity = ctx.strict ? 'error' : d.severity;
    ctx.out.push({ code: d.code, severity, path: base + d.path, message: d.message });
  }
}

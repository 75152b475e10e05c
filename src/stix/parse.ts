import type { Diagnostic } from './diagnostic.js';
import { joinPointer } from './diagnostic.js';
import { duplicateKeyDiagnostic, duplicateKeyIn } from './duplicate-keys.js';
import { StixParseError, StixValidationError } from './errors.js';
import type { ParseDiagnostic } from './safe-json.js';
import { checkJsonValue, DEFAULT_MAX_DEPTH, parseJsonText, UNSAFE_KEYS } from './safe-json.js';
import type { StixObject } from './types/index.js';
import { InputChecks } from './input-checks.js';
import { locatePointers } from './text-positions.js';
import { envelopeWarning, isEnvelope, validateBundleEnvelopeInto, validateObjectInto } from './validate.js';

export type { ParseDiagnostic } from './safe-json.js';

/** Options of {@link parse}. */
export interface ParseOptions {
  /** Report SHOULD-level findings as errors (and so drop the objects that have them). Default `false`. */
  readonly strict?: boolean;
  /** Maximum JSON nesting depth; deeper input is refused. Default 64. */
  readonly maxDepth?: number;
  /**
   * For text input: give every finding the `line`/`column` where its path lands in the text (one more pass over the
   * text, only when there are findings). NDJSON findings always carry their line and `record`. Default `false`.
   */
  readonly positions?: boolean;
}

/** What {@link parse} read. */
export interface ParseResult {
  /**
   * The objects that have no error, in input order, exactly as read: unknown custom properties and unknown extensions
   * are kept (and warned about in `diagnostics`).
   */
  readonly objects: StixObject[];
  /**
   * Every finding. Paths point into the input as given (`/objects/<i>/...` for a bundle, `/<i>/...` for an array or
   * for the i-th record of NDJSON, which also carries `record` and its `line`); JSON-level findings carry
   * `line`/`column` when the input was text, every finding does with `positions`.
   */
  readonly diagnostics: ParseDiagnostic[];
}

interface Candidate {
  readonly value: unknown;
  readonly pointer: string;
  /** Depth of the candidate within its JSON document. */
  readonly depth: number;
  /** NDJSON line, for diagnostics. */
  readonly line?: number;
  /** NDJSON: the record's index and text, to place its findings. */
  readonly record?: number;
  readonly text?: string;
  /** The enclosing bundle's `spec_version`, when the candidate came from a bundle. */
  readonly bundleSpecVersion?: unknown;
}

/**
 * Reads STIX content from JSON text or from an already-parsed value: one object, a bundle, a JSON array of objects, or
 * NDJSON (one object per line). Never throws: malformed JSON, unsafe content (prototype keys, excessive nesting,
 * numbers beyond ±(2^53-1)) and invalid objects become diagnostics, and only error-free objects are returned.
 */
export function parse(input: unknown, options: ParseOptions = {}): ParseResult {
  const diagnostics: ParseDiagnostic[] = [];
  const objects: StixObject[] = [];
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  let candidates: Candidate[];
  let fromText = false;
  /** A member name written twice in the text (JSON.parse kept one): the finding, by the pointer it is at. */
  const duplicates: ParseDiagnostic[] = [];
  if (typeof input === 'string') {
    fromText = true;
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    const whole = parseJsonText(text);
    if (whole.ok) {
      const duplicate = duplicateKeyIn(text, whole.value);
      if (duplicate !== undefined) duplicates.push(duplicateKeyDiagnostic(duplicate));
      candidates = unwrap(whole.value, diagnostics, maxDepth, true, options.strict === true);
    } else {
      const records = ndjsonRecords(text);
      if (records === undefined) {
        if (whole.diagnostic !== undefined) diagnostics.push(whole.diagnostic);
        return { objects, diagnostics };
      }
      candidates = [];
      for (let i = 0; i < records.length; i++) {
        const rec = records[i] as { text: string; line: number };
        const pointer = '/' + String(i);
        const parsed = parseJsonText(rec.text, pointer, rec.line - 1);
        if (!parsed.ok) {
          if (parsed.diagnostic !== undefined) diagnostics.push({ ...parsed.diagnostic, record: i });
          continue;
        }
        const duplicate = duplicateKeyIn(rec.text, parsed.value);
        if (duplicate !== undefined) duplicates.push(duplicateKeyDiagnostic(pointer + duplicate));
        candidates.push({ value: parsed.value, pointer, depth: 1, line: rec.line, record: i, text: rec.text });
      }
    }
  } else {
    candidates = unwrap(input, diagnostics, maxDepth, false, options.strict === true);
  }
  const safety = { maxDepth, rejectSharedReferences: !fromText };
  // Duplicate names inside an object are reported with it (and drop it); the bundle's own ones are reported here.
  const duplicatesOf = new Map<string, ParseDiagnostic[]>();
  if (duplicates.length > 0) {
    const pointers = new Set(candidates.map((c) => c.pointer));
    for (const d of duplicates) {
      const owner = objectPointer(d.path, pointers);
      if (!pointers.has(owner)) diagnostics.push(d);
      else duplicatesOf.set(owner, [...(duplicatesOf.get(owner) ?? []), d]);
    }
  }
  const checks = new InputChecks(candidates[0]?.bundleSpecVersion);
  const lineOf = new Map(candidates.filter((c) => c.record !== undefined).map((c) => [c.pointer, c.line]));
  if (lineOf.size > 0) checks.describe = (pointer) => (lineOf.has(pointer) ? `line ${String(lineOf.get(pointer))}` : pointer || '/');
  const across: ParseDiagnostic[] = [];
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k] as Candidate;
    const start = diagnostics.length;
    let clean = true;
    for (const d of duplicatesOf.get(c.pointer) ?? []) diagnostics.push(d);
    if (checkJsonValue(c.value, c.pointer, [], { ...safety, startDepth: c.depth })) {
      const stix20 = checks.stix20Objects;
      validateObjectInto(c.value, c.pointer, diagnostics, { strict: options.strict === true }, checks);
      // A STIX 2.0 object is not a 2.1 object: the input's one stix-2.0-content finding covers it.
      if (checks.stix20Objects > stix20) clean = false;
    } else {
      checkJsonValue(c.value, c.pointer, diagnostics, { ...safety, startDepth: c.depth, removeUnsafeKeys: fromText });
    }
    if (c.record !== undefined && c.text !== undefined && c.line !== undefined) {
      placeRecordFindings(diagnostics, start, { text: c.text, line: c.line, record: c.record }, options.positions === true);
    }
    for (let i = start; i < diagnostics.length; i++) if ((diagnostics[i] as ParseDiagnostic).severity === 'error') clean = false;
    if (clean) objects.push(c.value as StixObject);
  }
  // Findings across objects (duplicate versions, language-content targets, 2.0 content) drop the objects they name.
  checks.finish(across);
  if (fromText) placeFindings(diagnostics, across, candidates, input as string, options.positions === true);
  if (across.length > 0) {
    const failed = new Set<string>();
    const pointers = new Set(candidates.map((c) => c.pointer));
    for (const d of across) {
      diagnostics.push(d);
      if (d.severity === 'error' && d.code !== 'stix-2.0-content') failed.add(objectPointer(d.path, pointers));
    }
    if (failed.size > 0) {
      const keep = new Set(candidates.filter((c) => !failed.has(c.pointer)).map((c) => c.value));
      return { objects: objects.filter((o) => keep.has(o)), diagnostics };
    }
  }
  return { objects, diagnostics };
}

/**
 * Gives the findings of one NDJSON record its line and record number and, with `positions`, the column where each
 * finding's path lands in the line.
 */
export function placeRecordFindings(diagnostics: ParseDiagnostic[], from: number, rec: { text: string; line: number; record: number }, positions: boolean): void {
  const prefix = `/${rec.record}`;
  const inner = (path: string): string => (path.startsWith(prefix) ? path.slice(prefix.length) : path);
  const at = positions ? locatePointers(rec.text, diagnostics.slice(from).map((d) => inner(d.path)), rec.line - 1) : undefined;
  for (let i = from; i < diagnostics.length; i++) {
    const d = diagnostics[i] as ParseDiagnostic;
    const p = at?.get(inner(d.path));
    diagnostics[i] = { ...d, line: d.line ?? rec.line, ...(d.column === undefined && p !== undefined ? { column: p.column } : {}), record: rec.record };
  }
}

/** Places the findings of a whole-document (or NDJSON cross-record) input in its text. */
function placeFindings(diagnostics: ParseDiagnostic[], across: ParseDiagnostic[], candidates: readonly Candidate[], input: string, positions: boolean): void {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const ndjson = candidates.some((c) => c.record !== undefined);
  if (!ndjson) {
    if (!positions) return;
    const unplaced = [...diagnostics, ...across].filter((d) => d.line === undefined);
    if (unplaced.length === 0) return;
    const at = locatePointers(text, unplaced.map((d) => d.path));
    for (const list of [diagnostics, across]) {
      for (let i = 0; i < list.length; i++) {
        const d = list[i] as ParseDiagnostic;
        const p = d.line === undefined ? at.get(d.path) : undefined;
        if (p !== undefined) list[i] = { ...d, line: p.line, column: p.column };
      }
    }
    return;
  }
  // Cross-record findings name a record by its pointer: give them that record's line.
  const byPointer = new Map(candidates.map((c) => [c.pointer, c]));
  for (let i = 0; i < across.length; i++) {
    const d = across[i] as ParseDiagnostic;
    const c = byPointer.get(d.path) ?? byPointer.get(d.path.split('/').slice(0, 2).join('/'));
    if (c?.line !== undefined && c.record !== undefined) across[i] = { ...d, line: c.line, column: 1, record: c.record };
  }
}

/** The pointer of the candidate a finding's path lies in (its longest prefix that is a candidate's pointer). */
function objectPointer(path: string, pointers: ReadonlySet<string>): string {
  let p = path;
  while (p !== '' && !pointers.has(p)) p = p.slice(0, p.lastIndexOf('/'));
  return p;
}


/**
 * Like {@link parse}, but throws instead of dropping anything.
 *
 * @throws StixParseError when the input is not JSON or is unsafe JSON (with line/column for text, and path)
 * @throws StixValidationError when it is JSON but some object breaks a rule (carrying every diagnostic)
 */
export function parseOrThrow(input: unknown, options: ParseOptions = {}): StixObject[] {
  const { objects, diagnostics } = parse(input, options);
  const firstError = diagnostics.find((d) => d.severity === 'error');
  if (firstError === undefined) return objects;
  if (firstError.code.startsWith('json-')) {
    const location: { line?: number; column?: number; path: string } = { path: firstError.path };
    if (firstError.line !== undefined) location.line = firstError.line;
    if (firstError.column !== undefined) location.column = firstError.column;
    throw new StixParseError(firstError.message, location);
  }
  throw new StixValidationError('invalid STIX content', diagnostics as Diagnostic[]);
}

/** Splits the input into the objects to validate: a bundle's objects, an array's items, or the value itself. */
function unwrap(value: unknown, diagnostics: ParseDiagnostic[], maxDepth: number, fromText: boolean, strict: boolean): Candidate[] {
  // Array.from, not map: map skips the holes of a sparse array and would leave undefined candidates behind.
  if (Array.isArray(value)) return Array.from(value as unknown[], (v, i) => ({ value: v, pointer: '/' + String(i), depth: 2 }));
  const envelope = isEnvelope(value);
  if (envelope) diagnostics.push(envelopeWarning(''));
  if (envelope || (value !== null && typeof value === 'object' && (value as Record<string, unknown>)['type'] === 'bundle')) {
    const bundle = value as Record<string, unknown>;
    // The envelope's own keys and values; its objects are checked one by one by the caller.
    for (const key of Object.keys(bundle)) {
      if (key === 'objects') continue;
      if (UNSAFE_KEYS.has(key)) {
        diagnostics.push({
          code: 'json-unsafe-key',
          severity: 'error',
          path: joinPointer('', key),
          message: `property name '${key}' is refused: it could alter object prototypes when copied`,
        });
        if (fromText) Reflect.deleteProperty(bundle, key);
      } else {
        const options = { maxDepth, startDepth: 2, rejectSharedReferences: !fromText };
        checkJsonValue(bundle[key], joinPointer('', key), diagnostics, options);
      }
    }
    if (!envelope) validateBundleEnvelopeInto(bundle, '', diagnostics, strict);
    const objects = bundle['objects'];
    if (objects === undefined) return [];
    if (!Array.isArray(objects)) return []; // reported by the bundle schema
    const candidates: Candidate[] = [];
    // Entries that are not objects are reported by the bundle schema above.
    for (let i = 0; i < objects.length; i++) {
      const v: unknown = objects[i];
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        candidates.push({ value: v, pointer: joinPointer('/objects', i), depth: 3, bundleSpecVersion: bundle['spec_version'] });
      }
    }
    return candidates;
  }
  return [{ value, pointer: '', depth: 1 }];
}

/** NDJSON records (non-blank lines with their 1-based line numbers), or `undefined` when the text is not NDJSON. */
function ndjsonRecords(text: string): Array<{ text: string; line: number }> | undefined {
  if (!text.includes('\n')) return undefined;
  const lines = text.split('\n');
  const records: Array<{ text: string; line: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    records.push({ text: line, line: i + 1 });
  }
  // Pretty-printed JSON with a syntax error also spans lines: NDJSON only when the first record stands alone.
  const first = records[0];
  if (first === undefined || records.length < 2 || !first.text.trimStart().startsWith('{')) return undefined;
  if (!parseJsonText(first.text).ok) return undefined;
  return records;
}

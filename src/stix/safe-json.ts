import type { Diagnostic } from './diagnostic.js';
import { escapePointerToken } from './diagnostic.js';

/** A diagnostic about JSON text, with the 1-based line and column of the offending character when known. */
export interface ParseDiagnostic extends Diagnostic {
  /** 1-based line of the text the finding is in (JSON syntax errors; every finding with `positions`, and in NDJSON). */
  readonly line?: number;
  /** 1-based column on that line: where the member (its key) or element `path` names starts. */
  readonly column?: number;
  /** NDJSON: the 0-based record the line holds; `path` then starts with `/<record>` (see `findingLocation`). */
  readonly record?: number;
}

/** Default cap on nesting depth: real STIX content stays far below it, hostile content far above. */
export const DEFAULT_MAX_DEPTH = 64;

/** Keys that reach an object's prototype machinery when copied naively (`Object.assign`, `obj[k] = v`). */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Result of {@link parseJsonText}: the value, or `undefined` with a syntax diagnostic. */
export interface JsonTextResult {
  readonly ok: boolean;
  readonly value: unknown;
  readonly diagnostic?: ParseDiagnostic;
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Parses JSON text. On a syntax error, returns a `json-syntax` diagnostic with the line and column of the first
 * offending character (found by {@link locateSyntaxError}, since engine messages do not always carry a position).
 * `lineOffset` shifts reported lines (NDJSON passes the line number of the record).
 */
export function parseJsonText(text: string, pointer = '', lineOffset = 0): JsonTextResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const { offset, problem } = locateSyntaxError(text);
    const { line, column } = lineColumn(text, offset);
    return {
      ok: false,
      value: undefined,
      diagnostic: {
        code: 'json-syntax',
        severity: 'error',
        path: pointer,
        message: `not valid JSON: ${problem} at line ${line + lineOffset}, column ${column}`,
        line: line + lineOffset,
        column,
      },
    };
  }
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Finds the first syntax error of RFC 8259 JSON text without recursion (so nesting depth cannot overflow the stack).
 * Only called after `JSON.parse` has failed.
 */
export function locateSyntaxError(text: string): { offset: number; problem: string } {
  const n = text.length;
  const stack: number[] = []; // 1 = object, 2 = array
  let pos = 0;
  const ws = (): void => {
    while (pos < n && isWs(text.charCodeAt(pos))) pos++;
  };
  const fail = (problem: string): { offset: number; problem: string } => ({
    offset: pos,
    problem: pos >= n ? 'unexpected end of input' : `${problem} (found '${text.charAt(pos)}')`,
  });
  const scanString = (): string | undefined => {
    pos++; // opening quote
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        pos++;
        return undefined;
      }
      if (c < 32) return 'control character in string';
      if (c === 92) {
        const e = text.charCodeAt(pos + 1);
        if (e === 117) {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(pos + k))) return 'bad \\u escape in string';
          pos += 6;
          continue;
        }
        if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) {
          pos++;
          return 'bad escape in string';
        }
        pos += 2;
        continue;
      }
      pos++;
    }
    return 'unterminated string';
  };
  const scanNumber = (): string | undefined => {
    if (text.charCodeAt(pos) === 45) pos++;
    if (text.charCodeAt(pos) === 48) pos++;
    else if (isDigit(text.charCodeAt(pos))) while (isDigit(text.charCodeAt(pos))) pos++;
    else return 'bad number';
    if (text.charCodeAt(pos) === 46) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) return 'bad number';
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 69 || e === 101) {
      pos++;
      const s = text.charCodeAt(pos);
      if (s === 43 || s === 45) pos++;
      if (!isDigit(text.charCodeAt(pos))) return 'bad number';
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    return undefined;
  };
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    ws();
    if (state === 'value') {
      const c = text.charCodeAt(pos);
      if (c === 123) {
        pos++;
        ws();
        if (text.charCodeAt(pos) === 125) {
          pos++;
          state = 'after';
        } else {
          stack.push(1);
          state = 'key';
        }
      } else if (c === 91) {
        pos++;
        ws();
        if (text.charCodeAt(pos) === 93) {
          pos++;
          state = 'after';
        } else {
          stack.push(2);
        }
      } else if (c === 34) {
        const problem = scanString();
        if (problem !== undefined) return fail(problem);
        state = 'after';
      } else if (c === 45 || isDigit(c)) {
        const problem = scanNumber();
        if (problem !== undefined) return fail(problem);
        state = 'after';
      } else {
        const lit = text.startsWith('true', pos) ? 4 : text.startsWith('false', pos) ? 5 : text.startsWith('null', pos) ? 4 : 0;
        if (lit === 0) return fail('expected a value');
        pos += lit;
        state = 'after';
      }
    } else if (state === 'key') {
      if (text.charCodeAt(pos) !== 34) return fail('expected a double-quoted property name');
      const problem = scanString();
      if (problem !== undefined) return fail(problem);
      ws();
      if (text.charCodeAt(pos) !== 58) return fail("expected ':' after property name");
      pos++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (pos >= n) return { offset: 0, problem: 'invalid JSON' };
        return fail('unexpected data after the JSON value');
      }
      const c = text.charCodeAt(pos);
      if (c === 44) {
        pos++;
        state = top === 1 ? 'key' : 'value';
        if (top === 1) ws();
      } else if ((top === 1 && c === 125) || (top === 2 && c === 93)) {
        pos++;
        stack.pop();
      } else {
        return fail(top === 1 ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
      }
    }
  }
}

/** Limits of {@link checkJsonValue}. */
export interface JsonSafetyOptions {
  /** Maximum nesting depth of arrays and objects (the root container is depth 1). Default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
  /** Depth of `value` itself within the document (1 for a root container). */
  readonly startDepth?: number;
  /** Remove unsafe keys from objects after reporting them (only for values this library created). */
  readonly removeUnsafeKeys?: boolean;
  /**
   * Refuse a container met twice (a circular or shared reference), which JSON text cannot produce but a caller's
   * value can; without this a cycle would be walked until the depth cap, and shared branches exponentially often.
   */
  readonly rejectSharedReferences?: boolean;
}

interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string;
}

function framePath(base: string, frame: Frame | undefined, key?: string): string {
  const tokens: string[] = [];
  if (key !== undefined) tokens.push(key);
  for (let f = frame; f !== undefined && f.parent !== undefined; f = f.parent) tokens.push(f.key);
  let out = base;
  for (let i = tokens.length - 1; i >= 0; i--) out += '/' + escapePointerToken(tokens[i] ?? '');
  return out;
}

/** True when `v` is a number JSON and STIX can carry exactly (finite, within ±(2^53-1)). */
function isSafeNumber(v: number): boolean {
  return v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER; // NaN and ±Infinity fail too
}

/**
 * The fast pass: no paths, no allocations per leaf, two parallel stacks. Returns the number of member names of the
 * value's objects when it is clean (what a duplicate-name check compares with the text), -1 when it is not; the slow
 * pass below then only runs for input that has something to report.
 */
function cleanMemberCount(value: unknown, maxDepth: number, startDepth: number, seen: Set<object> | undefined): number {
  if (value === null || typeof value !== 'object') return isCleanLeaf(value) ? 0 : -1;
  let members = 0;
  const values: object[] = [value];
  const depths: number[] = [startDepth];
  while (values.length > 0) {
    const v = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return -1;
    if (seen !== undefined) {
      if (seen.has(v)) return -1;
      seen.add(v);
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (item !== null && typeof item === 'object') {
          values.push(item);
          depths.push(depth + 1);
        } else if (!isCleanLeaf(item)) return -1;
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return -1;
    const record = v as Record<string, unknown>;
    for (const key in record) {
      // Three comparisons of interned strings, not a set lookup: this runs for every member of every object read.
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') return -1;
      members++;
      const item = record[key];
      if (item !== null && typeof item === 'object') {
        values.push(item);
        depths.push(depth + 1);
      } else if (!isCleanLeaf(item)) return -1;
    }
  }
  return members;
}

function isCleanLeaf(v: unknown): boolean {
  const t = typeof v;
  if (t === 'string' || t === 'boolean' || v === null) return true;
  return t === 'number' && isSafeNumber(v as number);
}

/**
 * Walks a parsed JSON value without recursion and reports what would make it unsafe or lossy to use: nesting deeper
 * than `maxDepth` (the walk does not descend further), keys that could reach prototypes (`__proto__`, `constructor`,
 * `prototype`), numbers outside ±(2^53-1) or non-finite, and values JSON cannot hold (functions, undefined...).
 *
 * @returns `true` when nothing was found
 */
export function checkJsonValue(value: unknown, pointer: string, out: ParseDiagnostic[], options: JsonSafetyOptions = {}): boolean {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const startDepth = options.startDepth ?? 1;
  const shared = options.rejectSharedReferences === true;
  if (cleanMemberCount(value, maxDepth, startDepth, shared ? new Set() : undefined) >= 0) return true;
  reportJsonProblems(value, pointer, out, maxDepth, startDepth, options.removeUnsafeKeys === true, shared ? new Set() : undefined);
  return false;
}

/**
 * {@link checkJsonValue}'s verdict without its reports, for parsed JSON text: the number of member names of every
 * object in `value` when nothing would be reported (one walk serves the safety check and the duplicate-name check,
 * see `duplicateKeyIn`), or -1 when {@link checkJsonValue} has something to report.
 */
export function cleanJsonMemberCount(value: unknown, options: JsonSafetyOptions = {}): number {
  const shared = options.rejectSharedReferences === true;
  return cleanMemberCount(value, options.maxDepth ?? DEFAULT_MAX_DEPTH, options.startDepth ?? 1, shared ? new Set() : undefined);
}

/** The slow pass, for input known to have problems: the same walk, keeping each container's path for the reports. */
function reportJsonProblems(
  value: unknown,
  pointer: string,
  out: ParseDiagnostic[],
  maxDepth: number,
  startDepth: number,
  remove: boolean,
  seen: Set<object> | undefined,
): void {
  const checkLeaf = (v: unknown, frame: Frame | undefined, key: string | undefined): void => {
    const t = typeof v;
    if (t === 'number') {
      const num = v as number;
      if (!isSafeNumber(num)) {
        out.push({
          code: 'json-number-out-of-range',
          severity: 'error',
          path: framePath(pointer, frame, key),
          message: `number ${String(num)} is outside ±(2^53-1) or not finite, so it cannot be represented exactly (§3.1, I-JSON)`,
        });
      }
    } else if (t !== 'string' && t !== 'boolean' && v !== null) {
      out.push({ code: 'json-invalid-value', severity: 'error', path: framePath(pointer, frame, key), message: `a ${t} is not a JSON value` });
    }
  };
  if (value === null || typeof value !== 'object') {
    checkLeaf(value, undefined, undefined);
    return;
  }
  const stack: Frame[] = [{ value, depth: startDepth, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.depth > maxDepth) {
      out.push({
        code: 'json-too-deep',
        severity: 'error',
        path: framePath(pointer, frame),
        message: `JSON nesting is deeper than the limit of ${maxDepth}`,
      });
      return;
    }
    const container = frame.value;
    if (seen !== undefined) {
      if (seen.has(container)) {
        out.push({
          code: 'json-invalid-value',
          severity: 'error',
          path: framePath(pointer, frame),
          message: 'a circular or shared reference: JSON text cannot hold the same object twice',
        });
        continue;
      }
      seen.add(container);
    }
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const v: unknown = container[i];
        if (v !== null && typeof v === 'object') stack.push({ value: v, depth: frame.depth + 1, parent: frame, key: String(i) });
        else checkLeaf(v, frame, String(i));
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(container);
    if (proto !== Object.prototype && proto !== null) {
      out.push({ code: 'json-invalid-value', severity: 'error', path: framePath(pointer, frame), message: 'only plain objects and arrays are JSON values' });
      continue;
    }
    const record = container as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (UNSAFE_KEYS.has(key)) {
        out.push({
          code: 'json-unsafe-key',
          severity: 'error',
          path: framePath(pointer, frame, key),
          message: `property name '${key}' is refused: it could alter object prototypes when copied`,
        });
        if (remove) Reflect.deleteProperty(record, key);
        continue;
      }
      const v = record[key];
      if (v !== null && typeof v === 'object') stack.push({ value: v, depth: frame.depth + 1, parent: frame, key });
      else checkLeaf(v, frame, key);
    }
  }
}

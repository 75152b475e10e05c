import { StringDecoder } from 'node:string_decoder';
import { joinPointer } from './diagnostic.js';
import { DocumentScanner } from './document-scanner.js';
import type { DocumentShape, TextPosition } from './document-scanner.js';
import { InputChecks } from './input-checks.js';
import type { ReadBack, TextSpan } from './input-checks.js';
import { locatePointers } from './text-positions.js';
import { rememberSourceText } from './source-text.js';
import { parse } from './parse.js';
import type { ParseDiagnostic } from './safe-json.js';
import { checkJsonValue, DEFAULT_MAX_DEPTH, lineColumn, parseJsonText, UNSAFE_KEYS } from './safe-json.js';
import { jsonFindingsInto } from './record-verdict.js';
import type { RecordJudge, RecordVerdict } from './record-verdict.js';
import { envelopeWarning, validateBundleEnvelopeInto, validateObjectInto } from './validate.js';

/** Options of {@link validateStream}. */
export interface ValidateStreamOptions {
  /** Report SHOULD-level findings as errors. Default `false`. */
  readonly strict?: boolean;
  /** Maximum JSON nesting depth of one object. Default 64. */
  readonly maxDepth?: number;
  /**
   * Longest object accepted, in UTF-16 code units (default 16 Mi): an NDJSON line, an element of a bundle or array, a
   * single object, or a bundle's own properties. A longer line or element is reported and skipped.
   */
  readonly maxLineLength?: number;
  /**
   * Give every finding the line and column where its path lands in the text (a member's key, an element's start), as
   * {@link parse}'s `positions`; without it, findings of list elements and NDJSON lines carry the line they start on.
   * Default `false`. A function places only the findings it returns true for (the others keep the line their object
   * starts on): locating a path costs a walk over the object's text, which a caller that prints a few findings of a
   * large input (the CLI's cap per code) need not pay for the rest.
   */
  readonly positions?: boolean | ((finding: ParseDiagnostic) => boolean);
  /** Receives every finding as soon as it is known, in input order (findings across objects come last). */
  readonly onDiagnostic: (diagnostic: ParseDiagnostic) => void;
  /**
   * Receives each object once it is judged, before its findings reach `onDiagnostic`: the parsed value (its source
   * text recorded, see `sourceText`), the exact text it was read from, and whether it is clean (no error, not STIX
   * 2.0). Findings across objects that only the end of the input shows (`language-content-modified-mismatch`) are
   * not part of this verdict.
   */
  readonly onObject?: (object: JudgedObject) => void;
  /**
   * NDJSON only, and only without `onObject`: once `judge.after` records are read, the per-record work (parsing and
   * the rules of each object) goes to `judge` in batches while this thread keeps reading; the checks across records
   * and the placing of findings stay here, applied in input order, so findings and counts are exactly those of
   * validating on this thread.
   */
  readonly judge?: RecordJudge;
  /**
   * For input that can be read again (a regular file, not a pipe), given as bytes: the text of the input's bytes at
   * `span`, decoded as UTF-8 (throwing when the input changed since it was read). NDJSON records read as bytes are
   * then kept for `duplicate-version` as where they lie, not as a SHA-1 of their text, and two of them are read back
   * and compared only when they share id and modified.
   */
  readonly readBack?: ReadBack;
}

/** One object as {@link ValidateStreamOptions.onObject} receives it. */
export interface JudgedObject {
  readonly pointer: string;
  readonly value: unknown;
  readonly text: string;
  /** No error and not STIX 2.0 content. */
  readonly clean: boolean;
  /** Its findings (paths within the input), errors and warnings. */
  readonly diagnostics: readonly ParseDiagnostic[];
  /** The line it starts on. */
  readonly line: number;
  /** The column it starts at, when it is an element of a bundle, envelope or array. */
  readonly column?: number;
  /** NDJSON: its 0-based record (the line names it; `pointer` is `/<record>`). */
  readonly record?: number;
}

/** What {@link validateStream} read. */
export interface StreamSummary {
  /** `ndjson` when the input was read line by line; `document` for one JSON text (bundle, envelope, array, object). */
  readonly shape: 'ndjson' | 'document';
  /** Objects with no error. */
  readonly valid: number;
}

/** Anything that yields text or bytes: a Node stream, an async generator, an array of chunks. */
export type TextChunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

/**
 * Validates STIX content arriving as text of any size, judging it as {@link parse} does, in one pass, holding one
 * object at a time: memory is the largest object plus a short key per object version (for the checks across objects),
 * never the input. A bundle, TAXII envelope or JSON array is read element by element (each element's exact text is
 * parsed and validated as soon as it is complete, with its line and column); NDJSON (a one-line object followed by
 * more lines) line by line; a single object whole.
 *
 * Differences from {@link parse}, which holds the whole text: findings come in input order, so the bundle's own
 * findings (its schema, `bundle-type-missing`) come after those of its objects; and when the text stops being JSON
 * midway, the findings about the objects before that point have already been reported (the input then counts no
 * valid object, as for {@link parse}).
 */
export async function validateStream(source: TextChunks, options: ValidateStreamOptions): Promise<StreamSummary> {
  const reader = new StreamValidator(options);
  const decoder = new StringDecoder('utf8');
  // Once the input shows itself NDJSON, bytes are split at newlines and each line decoded on its own: a line of ASCII
  // then becomes a one-byte string (a chunk holding one non-ASCII character would make every line sliced from it a
  // two-byte string), which JSON.parse, hashing and every check after it read faster.
  let bytewise = false;
  // Bytes of the input before the chunk at hand, while every chunk has been bytes (their offsets are the input's).
  let offset: number | undefined = 0;
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    if (typeof chunk === 'string') offset = undefined;
    const base = offset;
    if (offset !== undefined) offset += (chunk as Uint8Array).byteLength;
    if (bytewise) {
      reader.pushBytes(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk), base);
      if (reader.backlogged) await reader.drain();
      continue;
    }
    if (typeof chunk === 'string') {
      if (chunk !== '') reader.push(chunk);
      if (reader.backlogged) await reader.drain();
      continue;
    }
    const bytes = toBuffer(chunk);
    const nl = reader.isNdjson ? bytes.indexOf(10) : -1;
    if (nl < 0) {
      const text = decoder.write(bytes);
      if (text !== '') reader.push(text);
      continue;
    }
    // Up to a newline the decoder finishes any character it holds; after it, nothing is held and bytes take over.
    reader.push(decoder.write(bytes.subarray(0, nl + 1)));
    bytewise = true;
    reader.pushBytes(bytes.subarray(nl + 1), base === undefined ? undefined : base + nl + 1);
    if (reader.backlogged) await reader.drain();
  }
  if (!bytewise) reader.push(decoder.end());
  await reader.flush();
  return reader.end();
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Stands for every object element when the bundle's own properties are checked: the schema only asks "an object?". */
const OBJECT_PLACEHOLDER = Object.freeze({});

/** A record waiting for the judge, or an over-long line's finding reported in its place among them. */
type BatchItem = { readonly text: string; readonly line: number; readonly record: number; readonly span?: TextSpan } | ParseDiagnostic;

/** The state of {@link validateStream}: a document scanner first, NDJSON lines once the input shows it is NDJSON. */
class StreamValidator {
  readonly #options: ValidateStreamOptions;
  readonly #strict: boolean;
  readonly #maxDepth: number;
  readonly #maxLine: number;
  #checks: InputChecks;
  readonly #scanner: DocumentScanner;
  #ndjson = false;
  /** NDJSON text not yet split into lines. */
  #pending = '';
  /** NDJSON bytes of a line not yet complete, once bytes are pushed (see pushBytes). */
  #pendingBytes: Buffer[] = [];
  #pendingByteLength = 0;
  /** Where that line starts in the input, when its offsets are known. */
  #pendingOffset: number | undefined;
  /** Skipping the rest of an over-long NDJSON line. */
  #skipping = false;
  #line = 0;
  #records = 0;
  /** The line of each NDJSON record, to place findings across records (a number per record, never its text). */
  readonly #recordLines: number[] = [];
  /** With `positions`: line and column of each list element, in turn, for the same purpose. */
  readonly #elementPlaces: number[] = [];
  #valid = 0;
  /** A list element was not JSON: the document is not JSON, and the elements after it are not judged. */
  #broken = false;
  /** List elements that are not JSON objects, by index: the bundle schema reports them. */
  readonly #nonObjects = new Map<number, unknown>();
  /** `/objects` for a container's list, `` for a top-level array; set when the list opens. */
  #listPointer = '';
  /** Records go to `options.judge` (see {@link ValidateStreamOptions.judge}). */
  #judging = false;
  /** The batch being filled: records to judge and over-long lines, in input order. */
  #items: BatchItem[] = [];
  #itemTexts = 0;
  /** Batches handed to the judge, each settled once its findings are reported; applied one after another. */
  readonly #inFlight: Promise<void>[] = [];
  #lastApplied: Promise<void> = Promise.resolve();

  /** `positions` was asked for, for every finding or for some. */
  get #positioning(): boolean {
    const p = this.#options.positions;
    return p === true || typeof p === 'function';
  }

  /** Whether this finding is placed at its path (see `positions`). */
  #placed(d: ParseDiagnostic): boolean {
    const p = this.#options.positions;
    return p === true || (typeof p === 'function' && p(d));
  }

  constructor(options: ValidateStreamOptions) {
    this.#options = options;
    this.#checks = new InputChecks(undefined, options.readBack);
    this.#describeRecords();
    this.#strict = options.strict === true;
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.#maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
    this.#scanner = new DocumentScanner(
      {
        element: (text, index, at) => this.#element(text, index, at),
        elementTooLong: (index, at) => {
          this.#emit({
            code: 'json-too-long',
            severity: 'error',
            path: this.#listPointer + '/' + String(index),
            line: at.line,
            column: at.column,
            message: `the object at line ${at.line}, column ${at.column} is longer than ${this.#maxLine} characters; it was skipped`,
          });
        },
      },
      this.#maxLine,
      (members) => this.#openContainer(members),
    );
  }

  push(text: string): void {
    if (!this.#ndjson) {
      this.#scanner.push(text);
      const handover = this.#scanner.ndjson;
      if (handover === undefined) return;
      this.#ndjson = true;
      this.#line = handover.first.line - 1;
      this.#lineOf(handover.first.text);
      this.#line = handover.restLine - 1;
      text = handover.rest;
    }
    const buffer = this.#pending + text;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf('\n', start);
      if (nl < 0) break;
      if (this.#skipping) this.#skipping = false;
      else this.#lineOf(buffer.slice(start, nl));
      start = nl + 1;
    }
    const rest = buffer.slice(start);
    if (rest.length > this.#maxLine && !this.#skipping) {
      this.#line++;
      this.#tooLong();
      this.#skipping = true;
    }
    this.#pending = this.#skipping ? '' : rest;
  }

  /** The input has shown itself NDJSON: {@link pushBytes} may take over once the text pushed so far ends a line. */
  get isNdjson(): boolean {
    return this.#ndjson;
  }

  /**
   * NDJSON bytes, after text that ended with a newline: split at newlines (a UTF-8 byte 10 is always a newline) and
   * decoded line by line, as the decoder would have decoded them (invalid sequences become U+FFFD either way).
   * `offset`: where `bytes` starts in the input, when the input can be read back (see `readBack`).
   */
  pushBytes(bytes: Buffer, offset?: number): void {
    const spans = offset !== undefined && this.#options.readBack !== undefined;
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(10, start);
      if (nl < 0) break;
      if (this.#skipping) {
        this.#skipping = false;
      } else if (this.#pendingBytes.length > 0) {
        this.#pendingBytes.push(bytes.subarray(start, nl));
        const lineOffset = this.#pendingOffset;
        const length = this.#pendingByteLength + nl - start;
        this.#lineOf(this.#takePendingBytes(), spans && lineOffset !== undefined ? { offset: lineOffset, length } : undefined);
      } else {
        this.#lineOf(bytes.toString('utf8', start, nl), spans ? { offset: (offset as number) + start, length: nl - start } : undefined);
      }
      start = nl + 1;
    }
    if (this.#skipping || start === bytes.length) return;
    if (this.#pendingBytes.length === 0) this.#pendingOffset = offset === undefined ? undefined : offset + start;
    // The partial line is copied: a source may reuse its buffer for the next chunk.
    this.#pendingBytes.push(Buffer.from(bytes.subarray(start)));
    this.#pendingByteLength += bytes.length - start;
    // Every 1 to 3 bytes of UTF-8 decode to at least one UTF-16 unit (one U+FFFD for an invalid sequence), so past 3
    // bytes a unit (and a trailing CR) a line is over the limit for sure. Short of that, the line is decoded whole
    // and its exact length judged when it ends, as the text path would.
    if (this.#pendingByteLength > 3 * this.#maxLine + 1) {
      this.#pendingBytes = [];
      this.#pendingByteLength = 0;
      this.#line++;
      this.#tooLong();
      this.#skipping = true;
    }
  }

  #takePendingBytes(): string {
    const text = Buffer.concat(this.#pendingBytes).toString('utf8');
    this.#pendingBytes = [];
    this.#pendingByteLength = 0;
    return text;
  }

  end(): StreamSummary {
    if (this.#ndjson) {
      const rest = this.#pendingBytes.length > 0 ? this.#takePendingBytes() : this.#pending;
      this.#pending = '';
      if (!this.#skipping && rest !== '') this.#lineOf(rest);
      this.#finishChecks();
      return { shape: 'ndjson', valid: this.#valid };
    }
    const shape = this.#scanner.end();
    const failure = this.#scanner.failure;
    if (shape === undefined || failure !== undefined) {
      const f = failure ?? { kind: 'syntax', message: 'not valid JSON', line: 1, column: 1 };
      this.#emit({
        code: f.kind === 'syntax' ? 'json-syntax' : 'json-too-long',
        severity: 'error',
        path: '',
        line: f.line,
        column: f.column,
        message: f.kind === 'syntax' ? `not valid JSON: ${f.message} at line ${f.line}, column ${f.column}` : `${f.message}; it was not read`,
      });
      return { shape: 'document', valid: 0 };
    }
    if (this.#broken) return { shape: 'document', valid: 0 };
    return this.#documentEnd(shape);
  }

  #documentEnd(shape: DocumentShape): StreamSummary {
    switch (shape.kind) {
      case 'empty':
        return this.#document('');
      case 'object': {
        // One object (not a container), read whole; its size is bounded by the scanner.
        const parsed = parseJsonText(shape.value.text);
        const value = parsed.value as Record<string, unknown>;
        // A bundle without a list, or an envelope whose objects is not a list: parse() judges what is there.
        if (!parsed.ok || value['type'] === 'bundle' || (value['type'] === undefined && 'objects' in value)) return this.#document(shape.value.text);
        // The findings of a lone object need no line: their paths say where they are.
        this.#judge(value, shape.value.text, '', 1, this.#positioning ? shape.value : undefined);
        this.#finishChecks();
        return { shape: 'document', valid: this.#valid };
      }
      case 'array':
        this.#finishChecks();
        return { shape: 'document', valid: this.#valid };
      case 'container':
        if (!this.#containerEnd(shape)) return { shape: 'document', valid: 0 };
        this.#finishChecks();
        return { shape: 'document', valid: this.#valid };
      case 'ndjson':
        return { shape: 'ndjson', valid: this.#valid };
    }
  }

  /** Decides, at a top-level object's `objects` list, whether it is a bundle or envelope whose list is streamed. */
  #openContainer(membersBeforeList: string): boolean {
    const parsed = parseJsonText(membersBeforeList);
    if (!parsed.ok) return false;
    const members = parsed.value as Record<string, unknown>;
    const type = members['type'];
    if (type !== undefined && type !== 'bundle') return false;
    this.#checks = new InputChecks(members['spec_version'], this.#options.readBack);
    this.#listPointer = '/objects';
    return true;
  }

  /** The container's own properties, once its list is read: what parse() checks of a bundle or envelope. */
  #containerEnd(shape: Extract<DocumentShape, { kind: 'container' }>): boolean {
    const parsed = parseJsonText(shape.members.text);
    if (!parsed.ok) {
      this.#emit(this.#membersSyntaxError(shape, parsed.diagnostic));
      return false;
    }
    const container = parsed.value as Record<string, unknown>;
    const type = container['type'];
    const out: ParseDiagnostic[] = [];
    if (type !== undefined && type !== 'bundle') {
      out.push({
        code: 'document-shape',
        severity: 'error',
        path: '/type',
        message: `type '${String(type)}' follows an "objects" list that was read as the objects of a bundle: only a bundle (§8) or a TAXII envelope carries a list of objects`,
      });
    }
    const objects: unknown[] = new Array<unknown>(shape.count).fill(OBJECT_PLACEHOLDER);
    for (const [i, v] of this.#nonObjects) objects[i] = v;
    container['objects'] = objects;
    if (type === undefined) out.push(envelopeWarning(''));
    for (const key of Object.keys(container)) {
      if (key === 'objects') continue;
      if (UNSAFE_KEYS.has(key)) {
        out.push({
          code: 'json-unsafe-key',
          severity: 'error',
          path: joinPointer('', key),
          message: `property name '${key}' is refused: it could alter object prototypes when copied`,
        });
      } else {
        checkJsonValue(container[key], joinPointer('', key), out, { maxDepth: this.#maxDepth, startDepth: 2 });
      }
    }
    if (type !== undefined) validateBundleEnvelopeInto(container, '', out, this.#strict);
    if (this.#positioning) this.#placeMembers(out, shape);
    for (const d of out) this.#emit(d);
    return true;
  }

  /** A syntax error in the container's own properties, placed in the document (they were read around the list). */
  #membersSyntaxError(shape: Extract<DocumentShape, { kind: 'container' }>, d: ParseDiagnostic | undefined): ParseDiagnostic {
    const text = shape.members.text;
    const m = d === undefined ? undefined : /at line (\d+), column (\d+)/.exec(d.message);
    let at: TextPosition = shape.members;
    if (m !== null && m !== undefined) {
      // Back from (line, column) in the members' text to an offset, then to the document.
      const rel = { line: Number(m[1]), column: Number(m[2]) };
      let offset = 0;
      for (let l = 1; l < rel.line; l++) offset = text.indexOf('\n', offset) + 1;
      offset += rel.column - 1;
      if (offset < shape.listOffset) at = place(shape.members, lineColumn(text, offset));
      else at = place(shape.tailAt, lineColumn(text.slice(shape.listOffset + 2), offset - shape.listOffset - 2));
    }
    const problem = d === undefined ? 'not valid JSON' : d.message.replace(/^not valid JSON: /, '').replace(/ at line \d+, column \d+$/, '');
    return { code: 'json-syntax', severity: 'error', path: '', line: at.line, column: at.column, message: `not valid JSON: ${problem} at line ${at.line}, column ${at.column}` };
  }

  /** One element of the container's list or of a top-level array. */
  /**
   * Places the container's own findings: its members were read around the list (`members.text` holds `[]` where the
   * list stood), so a position after the list is taken from where the text after the list starts.
   */
  #placeMembers(out: ParseDiagnostic[], shape: Extract<DocumentShape, { kind: 'container' }>): void {
    const text = shape.members.text;
    const rel = locatePointers(text, out.map((d) => d.path));
    const list = lineColumn(text, shape.listOffset);
    const tail = lineColumn(text, shape.listOffset + 2);
    const after = (p: TextPosition): boolean => p.line > list.line || (p.line === list.line && p.column > list.column);
    for (let i = 0; i < out.length; i++) {
      const d = out[i] as ParseDiagnostic;
      const r = d.line === undefined ? rel.get(d.path) : undefined;
      if (r === undefined) continue;
      const p = after(r)
        ? place(shape.tailAt, r.line === tail.line ? { line: 1, column: r.column - tail.column + 1 } : { line: r.line - tail.line + 1, column: r.column })
        : place(shape.members, r);
      out[i] = { ...d, line: p.line, column: p.column };
    }
  }

  #element(text: string, index: number, at: TextPosition): void {
    if (this.#broken) return;
    if (this.#positioning) {
      this.#elementPlaces[index * 2] = at.line;
      this.#elementPlaces[index * 2 + 1] = at.column;
    }
    const pointer = this.#listPointer + '/' + String(index);
    const parsed = parseJsonText(text, pointer);
    if (!parsed.ok) {
      this.#broken = true;
      const d = parsed.diagnostic;
      if (d !== undefined) {
        const p = place(at, { line: d.line ?? 1, column: d.column ?? 1 });
        const problem = d.message.replace(/^not valid JSON: /, '').replace(/ at line \d+, column \d+$/, '');
        this.#emit({ ...d, path: '', line: p.line, column: p.column, message: `not valid JSON: ${problem} at line ${p.line}, column ${p.column}` });
      }
      return;
    }
    const value = parsed.value;
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (this.#listPointer === '/objects' && !isObject) {
      // Reported by the bundle schema with the container; only its type matters there.
      this.#nonObjects.set(index, Array.isArray(value) ? [] : typeof value === 'string' ? '' : value);
      return;
    }
    this.#judge(value, text, pointer, this.#listPointer === '/objects' ? 3 : 2, at);
  }

  #finishChecks(): void {
    const across: ParseDiagnostic[] = [];
    this.#checks.finish(across);
    for (const d of across) {
      if (d.severity === 'error' && d.code !== 'stix-2.0-content') this.#valid--;
      // NDJSON: a finding about a record is placed on its line (the record number is not a place in the text).
      const record = this.#ndjson ? /^\/(\d+)(?:\/|$)/.exec(d.path) : null;
      const line = record === null ? undefined : this.#recordLines[Number(record[1])];
      if (record !== null && line !== undefined) {
        this.#emit({ ...d, line, column: 1, record: Number(record[1]) });
        continue;
      }
      // A list element: placed where it starts.
      const prefix = this.#listPointer + '/';
      const element = !this.#ndjson && d.path.startsWith(prefix) ? /^(\d+)(?:\/|$)/.exec(d.path.slice(prefix.length)) : null;
      const i = element === null ? -1 : Number(element[1]) * 2;
      const elementLine = i < 0 ? undefined : this.#elementPlaces[i];
      const elementColumn = i < 0 ? undefined : this.#elementPlaces[i + 1];
      const placed = d.line === undefined && elementLine !== undefined && elementColumn !== undefined;
      this.#emit(placed ? { ...d, line: elementLine, column: elementColumn } : d);
    }
  }

  /** Messages naming another NDJSON record name its line (`also occurs at line 4`), not its record number. */
  #describeRecords(): void {
    this.#checks.describe = (pointer) => {
      const line = this.#ndjson ? this.#recordLines[Number(pointer.slice(1))] : undefined;
      return line === undefined ? pointer || '/' : `line ${line}`;
    };
  }

  /** Reports the current line as longer than the limit; it is skipped. */
  #tooLong(): void {
    this.#recordLines.push(this.#line);
    const record = this.#records++;
    const d: ParseDiagnostic = {
      code: 'json-too-long',
      severity: 'error',
      path: '/' + String(record),
      line: this.#line,
      record,
      message: `line ${this.#line} is longer than ${this.#maxLine} characters; it was skipped`,
    };
    // Reported in its place among the records being judged elsewhere.
    if (this.#judging) this.#items.push(d);
    else this.#emit(d);
  }

  #emit(d: ParseDiagnostic): void {
    this.#options.onDiagnostic(d);
  }

  /** Takes one complete NDJSON line (without its newline), and where its bytes lie when the input can be read back. */
  #lineOf(raw: string, span?: TextSpan): void {
    this.#line++;
    const cr = raw.charCodeAt(raw.length - 1) === 0x0d;
    const text = cr ? raw.slice(0, -1) : raw;
    if (text.length > this.#maxLine) this.#tooLong();
    // A carriage return is one byte, and decoding stops short of it the same way (an unfinished sequence before it is
    // one U+FFFD either way).
    else if (text.trim() !== '') this.#record(text, this.#line, span === undefined || !cr ? span : { offset: span.offset, length: span.length - 1 });
  }

  #record(text: string, line: number, span?: TextSpan): void {
    const record = this.#records++;
    this.#recordLines.push(line);
    const judge = this.#options.judge;
    if (!this.#judging && judge !== undefined && this.#options.onObject === undefined && this.#records > judge.after) this.#judging = true;
    if (this.#judging) {
      this.#items.push(span === undefined ? { text, line, record } : { text, line, record, span });
      if (++this.#itemTexts >= (judge as RecordJudge).batchSize) this.#submit();
      return;
    }
    const pointer = '/' + String(record);
    const parsed = parseJsonText(text, pointer, line - 1);
    if (!parsed.ok) {
      if (parsed.diagnostic !== undefined) this.#emit({ ...parsed.diagnostic, record });
      return;
    }
    this.#judge(parsed.value, text, pointer, 1, { line, column: 1 }, record, span);
  }

  /** Too many batches are with the judge: the reader should wait ({@link drain}) before reading on. */
  get backlogged(): boolean {
    return this.#inFlight.length > (this.#options.judge?.maxInFlight ?? Infinity);
  }

  /** Waits until few enough batches are with the judge. */
  async drain(): Promise<void> {
    while (this.backlogged) await this.#inFlight.shift();
  }

  /** Hands over the batch being filled and waits until every batch's findings are reported. */
  async flush(): Promise<void> {
    if (this.#items.length > 0) this.#submit();
    while (this.#inFlight.length > 0) await this.#inFlight.shift();
  }

  #submit(): void {
    const items = this.#items;
    this.#items = [];
    this.#itemTexts = 0;
    const texts: string[] = [];
    const lines: number[] = [];
    const records: number[] = [];
    // Digests are needed only for records this thread cannot read back.
    let digests = false;
    for (const item of items) {
      if ('code' in item) continue;
      texts.push(item.text);
      lines.push(item.line);
      records.push(item.record);
      if (item.span === undefined) digests = true;
    }
    const judge = this.#options.judge as RecordJudge;
    const judging = { strict: this.#strict, maxDepth: this.#maxDepth, digests };
    const verdicts = texts.length === 0 ? Promise.resolve([]) : judge.judge({ texts, lines, records }, judging);
    // Rejections surface where the batch is awaited (drain, flush); none may go unhandled meanwhile.
    verdicts.catch(() => undefined);
    const applied = this.#lastApplied.then(() => verdicts).then((v) => this.#apply(items, v));
    applied.catch(() => undefined);
    this.#lastApplied = applied;
    this.#inFlight.push(applied);
  }

  /** Reports one batch's findings in input order, applying the checks across records as this thread would. */
  #apply(items: readonly BatchItem[], verdicts: readonly RecordVerdict[]): void {
    let next = 0;
    for (const item of items) {
      if ('code' in item) {
        this.#emit(item);
        continue;
      }
      const v = verdicts[next++];
      if (v === undefined) throw new Error(`the record judge answered ${verdicts.length} verdicts for a batch of more records`);
      const pointer = '/' + String(item.record);
      if (v.kind === 'not-json') {
        if (v.diagnostic !== undefined) this.#emit({ ...v.diagnostic, record: item.record });
        continue;
      }
      const found = v.found;
      let clean = true;
      if (v.stix20) {
        this.#checks.countStix20(pointer);
        clean = false;
      }
      if (v.note !== undefined) {
        const across: ParseDiagnostic[] = [];
        this.#checks.addNote(v.note, pointer, across, item.span === undefined ? undefined : { text: item.text, span: item.span });
        if (across.length > 0) found.splice(v.noteAt ?? found.length, 0, ...across);
      }
      this.#judged(found, clean, undefined, item.text, pointer, { line: item.line, column: 1 }, item.record);
    }
  }

  /** Validates one parsed object (NDJSON record or list element) read from `text`, counting it when clean. */
  #judge(value: unknown, text: string, pointer: string, depth: number, at: TextPosition | undefined, record?: number, span?: TextSpan): void {
    const found: ParseDiagnostic[] = [];
    let clean = true;
    if (jsonFindingsInto(value, text, pointer, { maxDepth: this.#maxDepth, startDepth: depth }, found)) {
      const stix20 = this.#checks.stix20Objects;
      this.#checks.recordText(text, span);
      validateObjectInto(value, pointer, found, { strict: this.#strict }, this.#checks);
      if (this.#checks.stix20Objects > stix20) clean = false;
    }
    this.#judged(found, clean, value, text, pointer, at, record);
  }

  /** Places, counts and reports the findings of one judged object. */
  #judged(found: ParseDiagnostic[], clean: boolean, value: unknown, text: string, pointer: string, at: TextPosition | undefined, record?: number): void {
    const line = at?.line;
    this.#place(found, text, pointer, at, record);
    for (const d of found) if (d.severity === 'error') clean = false;
    if (clean) this.#valid++;
    if (this.#options.onObject !== undefined) {
      const remembered = value !== null && typeof value === 'object' ? rememberSourceText(value, text) : value;
      const where = { line: line ?? 1, ...(record === undefined && at !== undefined ? { column: at.column } : {}), ...(record === undefined ? {} : { record }) };
      this.#options.onObject({ pointer, value: remembered, text, clean, diagnostics: found, ...where });
    }
    for (const d of found) this.#emit(d);
  }

  /**
   * Gives the findings of one object read from `text` (starting at `at`, pointer `pointer`) their line, and with
   * `positions` the line and column of their path in the text; NDJSON findings also their record.
   */
  #place(found: ParseDiagnostic[], text: string, pointer: string, at: TextPosition | undefined, record: number | undefined): void {
    if (found.length === 0) return;
    let positions: Map<string, TextPosition> | undefined;
    if (at !== undefined && this.#positioning) {
      let wanted: string[] | undefined;
      for (const d of found) if (d.line === undefined && this.#placed(d)) (wanted ??= []).push(innerPath(d.path, pointer));
      if (wanted !== undefined) positions = locatePointers(text, wanted);
    }
    for (let i = 0; i < found.length; i++) {
      const d = found[i] as ParseDiagnostic;
      // One copy per finding, its new members set in the order the reports have always shown them. Object.assign, not
      // a spread: V8 gives a spread copy no room for the members added next (about 2 µs a finding instead of 0.2).
      const placed: { -readonly [K in keyof ParseDiagnostic]: ParseDiagnostic[K] } = Object.assign({}, d);
      if (d.line === undefined && at !== undefined) {
        const rel = positions?.get(innerPath(d.path, pointer));
        if (rel === undefined) {
          placed.line = at.line;
        } else {
          const p = place(at, rel);
          placed.line = p.line;
          placed.column = p.column;
        }
      }
      if (record !== undefined) placed.record = record;
      found[i] = placed;
    }
  }

  #document(text: string): StreamSummary {
    const result = parse(text, { strict: this.#strict, maxDepth: this.#maxDepth, positions: this.#positioning });
    for (const d of result.diagnostics) this.#emit(d);
    return { shape: 'document', valid: result.objects.length };
  }
}

/** A finding's path inside the object at `pointer`. */
function innerPath(path: string, pointer: string): string {
  return path.startsWith(pointer) ? path.slice(pointer.length) : path;
}

/** A position inside a piece of text that starts at `start`, as a position in the document. */
function place(start: TextPosition, rel: TextPosition): TextPosition {
  return rel.line === 1 ? { line: start.line, column: start.column + rel.column - 1 } : { line: start.line + rel.line - 1, column: rel.column };
}

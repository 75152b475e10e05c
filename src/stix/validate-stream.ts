import { StringDecoder } from 'node:string_decoder';
import { InputChecks } from './input-checks.js';
import { parse } from './parse.js';
import type { ParseDiagnostic } from './safe-json.js';
import { checkJsonValue, DEFAULT_MAX_DEPTH, parseJsonText } from './safe-json.js';
import { isEnvelope, validateObjectInto } from './validate.js';

/** Options of {@link validateStream}. */
export interface ValidateStreamOptions {
  /** Report SHOULD-level findings as errors. Default `false`. */
  readonly strict?: boolean;
  /** Maximum JSON nesting depth of one object. Default 64. */
  readonly maxDepth?: number;
  /** Longest NDJSON line accepted, in UTF-16 code units (default 16 Mi); a longer line is reported and skipped. */
  readonly maxLineLength?: number;
  /** Receives every finding as soon as it is known, in input order (findings across objects come last). */
  readonly onDiagnostic: (diagnostic: ParseDiagnostic) => void;
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
 * Validates STIX content arriving as text of any size, judging it exactly as {@link parse} does. NDJSON (one object a
 * line, recognised when the first non-blank line is a whole JSON object that is not a bundle or envelope and another
 * line follows) is validated line by line as it arrives: memory holds one line, plus a short key per object version
 * for the checks across objects, never the whole input. Any other input is one JSON document (a bundle, TAXII
 * envelope, array or single object) and is read whole, then validated.
 */
export async function validateStream(source: TextChunks, options: ValidateStreamOptions): Promise<StreamSummary> {
  const reader = new NdjsonValidator(options);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    if (text !== '') reader.push(text);
  }
  reader.push(decoder.end());
  return reader.end();
}

/** The line-by-line state of {@link validateStream}; falls back to whole-document reading when the input is not NDJSON. */
class NdjsonValidator {
  readonly #options: ValidateStreamOptions;
  readonly #strict: boolean;
  readonly #maxDepth: number;
  readonly #maxLine: number;
  readonly #checks = new InputChecks();
  #shape: 'unknown' | 'ndjson' | 'document' = 'unknown';
  /** Text not yet split into lines (NDJSON), or the whole text so far (document and undecided). */
  #pending = '';
  /** Skipping the rest of an over-long line. */
  #skipping = false;
  #line = 0;
  #records = 0;
  #valid = 0;
  /** The first record, held until a second one shows the input is NDJSON. */
  #first: { text: string; line: number } | undefined;
  /** While undecided: the text read so far, in case the input turns out to be one document. */
  #head = '';

  constructor(options: ValidateStreamOptions) {
    this.#options = options;
    this.#strict = options.strict === true;
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.#maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  }

  push(text: string): void {
    if (this.#shape === 'document') {
      this.#pending += text;
      return;
    }
    const buffer = this.#pending + text;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf('\n', start);
      if (nl < 0) break;
      if (this.#skipping) {
        this.#skipping = false;
      } else if (!this.#lineOf(buffer.slice(start, nl))) {
        // Not NDJSON: everything read so far and the rest form one document.
        this.#shape = 'document';
        this.#pending = this.#head + buffer.slice(start);
        this.#head = '';
        return;
      }
      start = nl + 1;
    }
    const rest = buffer.slice(start);
    if (this.#shape === 'ndjson' && rest.length > this.#maxLine && !this.#skipping) {
      this.#line++;
      this.#tooLong();
      this.#skipping = true;
    }
    this.#pending = this.#skipping ? '' : rest;
  }

  end(): StreamSummary {
    if (this.#shape === 'document') return this.#document(this.#pending);
    const rest = this.#pending;
    this.#pending = '';
    if (!this.#skipping && rest !== '' && !this.#lineOf(rest)) return this.#document(this.#head + rest);
    if (this.#shape === 'unknown') {
      // Zero or one record: one JSON document, as parse() reads it.
      return this.#document(this.#head);
    }
    const across: ParseDiagnostic[] = [];
    this.#checks.finish(across);
    for (const d of across) {
      if (d.severity === 'error' && d.code !== 'stix-2.0-content') this.#valid--;
      this.#emit(d);
    }
    return { shape: 'ndjson', valid: this.#valid };
  }

  /** Reports the current line as longer than the limit; it is skipped. */
  #tooLong(): void {
    this.#emit({
      code: 'json-too-long',
      severity: 'error',
      path: '/' + String(this.#records++),
      line: this.#line,
      message: `line ${this.#line} is longer than ${this.#maxLine} characters; it was skipped`,
    });
  }

  #emit(d: ParseDiagnostic): void {
    this.#options.onDiagnostic(d);
  }

  /** Takes one complete line (without its newline); false when it shows the input is not NDJSON. */
  #lineOf(raw: string): boolean {
    this.#line++;
    const text = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    if (this.#shape === 'ndjson') {
      if (text.length > this.#maxLine) this.#tooLong();
      else if (text.trim() !== '') this.#record(text, this.#line);
      return true;
    }
    // Undecided: the first record must be a whole JSON object that is not a container, and a second must follow.
    if (this.#first === undefined) {
      const body = this.#line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (body.trim() === '') {
        this.#head += raw + '\n';
        return true;
      }
      if (!body.trimStart().startsWith('{')) return false;
      const parsed = parseJsonText(body);
      if (!parsed.ok || isEnvelope(parsed.value) || (parsed.value as Record<string, unknown>)['type'] === 'bundle') return false;
      this.#head += raw + '\n';
      this.#first = { text: body, line: this.#line };
      return true;
    }
    if (text.trim() === '') {
      this.#head += raw + '\n';
      return true;
    }
    this.#shape = 'ndjson';
    this.#head = '';
    const first = this.#first;
    this.#first = undefined;
    this.#record(first.text, first.line);
    this.#record(text, this.#line);
    return true;
  }

  #record(text: string, line: number): void {
    const pointer = '/' + String(this.#records++);
    const parsed = parseJsonText(text, pointer, line - 1);
    if (!parsed.ok) {
      if (parsed.diagnostic !== undefined) this.#emit(parsed.diagnostic);
      return;
    }
    const found: ParseDiagnostic[] = [];
    const safety = { maxDepth: this.#maxDepth, startDepth: 1 };
    let clean = true;
    if (checkJsonValue(parsed.value, pointer, found, safety)) {
      const stix20 = this.#checks.stix20Objects;
      this.#checks.recordText(text);
      validateObjectInto(parsed.value, pointer, found, { strict: this.#strict }, this.#checks);
      if (this.#checks.stix20Objects > stix20) clean = false;
    } else {
      checkJsonValue(parsed.value, pointer, found, { ...safety, removeUnsafeKeys: true });
    }
    for (const d of found) {
      if (d.severity === 'error') clean = false;
      this.#emit(d.line === undefined ? { ...d, line } : d);
    }
    if (clean) this.#valid++;
  }

  #document(text: string): StreamSummary {
    const result = parse(text, { strict: this.#strict, maxDepth: this.#maxDepth });
    for (const d of result.diagnostics) this.#emit(d);
    return { shape: 'document', valid: result.objects.length };
  }
}

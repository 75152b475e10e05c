import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { ReadStats } from './bad-lines.js';
import { project } from './field-map.js';
import type { FieldMap } from './field-map.js';
import { spansOf } from './otlp-spans.js';
import { recordFromObject } from './record-from-object.js';
import type { TelemetryRecord } from './record.js';

/**
 * Records per batch. Small batches are handed on while their records are still in the processor's cache, and fewer
 * records are alive (and copied) when the young generation is collected, than with one batch per megabyte chunk.
 */
const BATCH = 256;

/**
 * Bytes decoded into one string (cut at a newline; a longer line is decoded whole). A megabyte string would be
 * allocated in V8's large-object space, where a few of them start a full (mark-compact) collection; strings this
 * size are born and die in the young generation like the records parsed from them.
 */
const TEXT_BYTES = 32 << 10;

/** Input formats: request-per-line JSON, OTLP JSON trace exports, or decided from the first bytes. */
export type TelemetryFormat = 'jsonl' | 'otlp' | 'auto';

/** Options of {@link TelemetryReader}. */
export interface TelemetryReaderOptions {
  /** Default `'auto'`: OTLP when the first 64 KiB mention `"resourceSpans"`, JSON Lines otherwise. */
  readonly format?: TelemetryFormat;
  /** Maps another schema onto the fixed field names (see {@link FieldMap}). */
  readonly map?: FieldMap;
  /** Longest line accepted, in characters (default 16 Mi); a longer one is reported bad and skipped. */
  readonly maxLineLength?: number;
  /** Largest pretty-printed (multi-line) OTLP document read whole, in characters (default 256 Mi). */
  readonly maxDocumentLength?: number;
}

/** A named byte stream: a file, standard input, or anything a pipeline hands over. Gzip is recognised by its magic. */
export interface TelemetrySource {
  readonly name: string;
  readonly bytes: AsyncIterable<Uint8Array | string>;
}

/** An input that stopped early (unreadable file, corrupt gzip): what was read before stays counted. */
export interface InputFailure {
  readonly input: string;
  readonly message: string;
}

/** A file as a {@link TelemetrySource} (read in 1 MiB chunks). */
export function fileSource(path: string, name = path): TelemetrySource {
  return { name, bytes: createReadStream(path, { highWaterMark: 1 << 20 }) };
}

async function* decompressed(bytes: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer> {
  const it = bytes[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await it.next();
    if (next.done === true) {
      if (head.length > 0) yield head;
      return;
    }
    head = Buffer.concat([head, typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value)]);
  }
  const rest = (async function* () {
    yield head;
    for (;;) {
      const next = await it.next();
      if (next.done === true) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  })();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    yield* Readable.from(rest).pipe(createGunzip({ chunkSize: 1 << 20 })) as AsyncIterable<Buffer>;
  } else {
    yield* rest as AsyncIterable<Buffer>;
  }
}

/**
 * The text of whole lines. Telemetry is nearly always ASCII, which reads as Latin-1 byte for byte: checking for it
 * and copying is several times cheaper than decoding UTF-8.
 */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * Reads request telemetry (JSON Lines or OTLP JSON, either gzipped) as batches of {@link TelemetryRecord}s, streaming:
 * memory holds one chunk of input, never the file. Bad lines are counted in {@link stats} with their line numbers and
 * never stop the run; an input that cannot be read further is listed in {@link failures} and the next one is read.
 *
 * One reader serves every input of a run, so its statistics cover them all.
 *
 * @example
 * ```ts
 * const reader = new TelemetryReader();
 * for await (const batch of reader.batches(fileSource('requests.jsonl.gz'))) for (const r of batch) detector.add(r);
 * console.log(reader.stats.records, reader.stats.badCount);
 * ```
 */
export class TelemetryReader {
  readonly stats = new ReadStats();
  readonly failures: InputFailure[] = [];
  private readonly format: TelemetryFormat;
  private readonly map: FieldMap | undefined;
  private readonly maxLine: number;
  private readonly maxDocument: number;

  constructor(options: TelemetryReaderOptions = {}) {
    this.format = options.format ?? 'auto';
    this.map = options.map;
    this.maxLine = options.maxLineLength ?? 16 << 20;
    this.maxDocument = options.maxDocumentLength ?? 256 << 20;
  }

  /** Every record of `source`, one at a time (a convenience over {@link batches}). */
  async *records(source: TelemetrySource): AsyncGenerator<TelemetryRecord> {
    for await (const batch of this.batches(source)) yield* batch;
  }

  /** The records of `source` in batches of at most 256 records (one line's OTLP spans may make a batch larger). */
  async *batches(source: TelemetrySource): AsyncGenerator<TelemetryRecord[]> {
    const { name } = source;
    let format: 'jsonl' | 'otlp' | undefined = this.format === 'auto' ? undefined : this.format;
    let skipping = false;
    let lineNo = 0;
    // A pretty-printed OTLP document spans many lines: it is gathered whole, then parsed.
    let document: string[] | undefined;
    let documentLength = 0;
    let documentLine = 0;
    const stats = this.stats;

    const handle = (line: string, out: TelemetryRecord[]): void => {
      lineNo++;
      stats.lines++;
      if (document !== undefined) {
        documentLength += line.length + 1;
        if (documentLength > this.maxDocument) {
          stats.reject(name, documentLine, `OTLP document longer than ${this.maxDocument} characters`);
          document = [];
          documentLength = 0;
          return;
        }
        document.push(line);
        return;
      }
      const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        // Blank lines are skipped. JSON.parse refuses every one of them, so only a refused line is looked at again
        // (trimming each line first cost tens of nanoseconds a line).
        if (text.trim().length === 0) return;
        if (format === 'otlp' && text.trimStart().startsWith('{')) {
          document = [text];
          documentLength = text.length;
          documentLine = lineNo;
          return;
        }
        stats.reject(name, lineNo, `not JSON (${(err as Error).message})`);
        return;
      }
      this.accept(parsed, format, name, lineNo, out);
    };

    // Lines are split on the bytes: each chunk is cut after its last newline (never inside a UTF-8 sequence) and only
    // the whole lines are decoded, TEXT_BYTES or so at a time; the unfinished tail waits as bytes for the next chunk.
    // Pieces of an unfinished line are joined once, when its newline arrives (joining on every chunk would copy a
    // long line over and over).
    let pieces: Buffer[] = [];
    let pending = 0;
    // Handles lines of `text` from `start` until `out` holds BATCH records or the text ends; returns where it stopped.
    const lines = (text: string, start: number, out: TelemetryRecord[]): number => {
      while (out.length < BATCH) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) return text.length;
        if (skipping) {
          skipping = false;
          lineNo++;
          stats.lines++;
          stats.reject(name, lineNo, `line longer than ${this.maxLine} characters`);
        } else if (nl - start > this.maxLine && document === undefined) {
          lineNo++;
          stats.lines++;
          stats.reject(name, lineNo, `line longer than ${this.maxLine} characters`);
        } else {
          handle(text.slice(start, nl), out);
        }
        start = nl + 1;
      }
      return start;
    };
    const batchesOf = function* (text: string): Generator<TelemetryRecord[]> {
      for (let at = 0; at < text.length; ) {
        const out: TelemetryRecord[] = [];
        at = lines(text, at, out);
        if (out.length > 0) yield out;
      }
    };

    try {
      for await (const chunk of decompressed(source.bytes)) {
        if (format === undefined) format = Buffer.concat([...pieces, chunk.subarray(0, 65536)]).subarray(0, 65536).includes('"resourceSpans"') ? 'otlp' : 'jsonl';
        const last = chunk.lastIndexOf(10);
        if (last < 0) {
          pieces.push(chunk);
          pending += chunk.length;
          // A UTF-8 character takes at most 3 bytes per UTF-16 unit: beyond 3 × the limit the line is certainly too long.
          if (pending > 3 * this.maxLine && document === undefined) {
            skipping = true;
            pieces = [];
            pending = 0;
          }
          continue;
        }
        let from = 0;
        if (pieces.length > 0) {
          // The line begun in earlier chunks ends at this chunk's first newline: it alone is joined and decoded.
          const first = chunk.indexOf(10);
          yield* batchesOf(decode(Buffer.concat([...pieces, chunk.subarray(0, first + 1)])));
          from = first + 1;
        }
        pieces = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
        pending = chunk.length - last - 1;
        while (from <= last) {
          let to = from + TEXT_BYTES >= last ? last : chunk.lastIndexOf(10, from + TEXT_BYTES);
          if (to < from) to = chunk.indexOf(10, from + TEXT_BYTES);
          yield* batchesOf(decode(chunk.subarray(from, to + 1)));
          from = to + 1;
        }
      }
      const tail = Buffer.concat(pieces).toString('utf8');
      const out: TelemetryRecord[] = [];
      if (skipping || (tail.length > this.maxLine && document === undefined)) {
        lineNo++;
        stats.lines++;
        stats.reject(name, lineNo, `line longer than ${this.maxLine} characters`);
      } else if (tail.length > 0) {
        handle(tail, out);
      }
      if (document !== undefined && document.length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(document.join('\n'));
        } catch (err) {
          stats.reject(name, documentLine, `not JSON (${(err as Error).message})`);
        }
        if (parsed !== undefined) this.accept(parsed, 'otlp', name, documentLine, out);
      }
      if (out.length > 0) yield out;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' ? `corrupt gzip after line ${lineNo} (${(err as Error).message})` : (err as Error).message;
      this.failures.push({ input: name, message });
    }
  }

  private accept(parsed: unknown, format: 'jsonl' | 'otlp' | undefined, name: string, lineNo: number, out: TelemetryRecord[]): void {
    const stats = this.stats;
    if (format === 'otlp') {
      for (const s of spansOf(parsed, this.map)) {
        if ('skipped' in s) continue;
        if (s.record !== undefined) {
          stats.records++;
          out.push(s.record);
        } else stats.reject(name, lineNo, s.where === '' ? s.error : `${s.where}: ${s.error}`);
      }
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      stats.reject(name, lineNo, 'expected a JSON object');
      return;
    }
    const obj = parsed as Record<string, unknown>;
    const r = recordFromObject(this.map === undefined ? obj : project(obj, this.map), this.map?.timeUnit);
    if (r.record !== undefined) {
      stats.records++;
      out.push(r.record);
    } else stats.reject(name, lineNo, r.error);
  }
}

import { StringDecoder } from 'node:string_decoder';
import { rememberSourceText } from '../stix/source-text.js';
import { StixTextSplitter } from '../stix/text-splitter.js';
import type { SplitPiece, StixTextSplitterOptions } from '../stix/text-splitter.js';

export { StixTextSplitter } from '../stix/text-splitter.js';

/**
 * Incremental reader for STIX content of unbounded size: NDJSON (one object a line), a bundle, a TAXII envelope, a JSON
 * array of objects, a single object, or any concatenation of those. It never holds more than one object's text at a
 * time, so a 10 GB bundle costs as much memory as its largest object.
 *
 * It splits the text into object texts by bracket matching (strings and escapes understood) and parses each with
 * `JSON.parse`; a malformed object is reported and skipped, and reading goes on with the next one.
 */

/** One item read from the input: an object, or why a piece of the input could not be read as one. */
export type StixRecord = (
  | { readonly kind: 'object'; readonly object: Record<string, unknown>; readonly index: number }
  | { readonly kind: 'error'; readonly index: number; readonly message: string }
) &
  RecordPlace;

/**
 * Where a record was read, when it was read from text: the line and column its text starts at (1-based) and its JSON
 * pointer in its document (`/objects/3` in a bundle or envelope, `/3` in an array, `''` for a top-level object such as
 * an NDJSON line). Format it with `formatLocation` (src/stix/location.ts).
 */
export interface RecordPlace {
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
}

/** Options of {@link readStixObjects}. */
export type StixStreamOptions = StixTextSplitterOptions;

/** Anything that yields text or bytes: a Node stream, an async generator, an array of strings. */
export type TextSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Reads STIX objects from text or bytes of any size (see the module comment for the accepted shapes).
 * Records are numbered from 0 in input order; errors take a number too, so a report can say which record failed.
 */
export async function* readStixObjects(source: TextSource, options: StixStreamOptions = {}): AsyncGenerator<StixRecord> {
  const splitter = new StixTextSplitter(options);
  const decoder = new StringDecoder('utf8');
  let index = 0;
  const convert = function* (pieces: SplitPiece[]): Generator<StixRecord> {
    for (const p of pieces) {
      const n = index++;
      const place: RecordPlace = {
        ...(p.line === undefined ? {} : { line: p.line }),
        ...(p.column === undefined ? {} : { column: p.column }),
        ...(p.pointer === undefined ? {} : { pointer: p.pointer }),
      };
      if ('error' in p) {
        yield { kind: 'error', index: n, message: p.error, ...place };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(p.text);
      } catch (err) {
        yield { kind: 'error', index: n, message: `not valid JSON: ${(err as Error).message}`, ...place };
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { kind: 'error', index: n, message: 'not a JSON object', ...place };
        continue;
      }
      yield { kind: 'object', object: rememberSourceText(value as Record<string, unknown>, p.text), index: n, ...place };
    }
  };
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    if (text !== '') yield* convert(splitter.push(text));
  }
  const rest = decoder.end();
  if (rest !== '') yield* convert(splitter.push(rest));
  yield* convert(splitter.end());
}

/** Wraps already-parsed values as records, so converters can take objects from code as well as from text. */
export async function* recordsFromObjects(
  objects: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<StixRecord> {
  let index = 0;
  for await (const value of objects as AsyncIterable<unknown>) {
    const n = index++;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { kind: 'error', index: n, message: 'not a JSON object' };
    } else {
      yield { kind: 'object', object: value as Record<string, unknown>, index: n };
    }
  }
}

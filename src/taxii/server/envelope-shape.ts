/**
 * A pre-parse look at the `"objects"` list of a request body, done on the raw UTF-8 bytes before `JSON.parse`
 * builds anything. It exists so that a body of millions of tiny elements (`{"objects":[1,1,1,...]}`) is refused
 * after one linear scan that allocates nothing per element, instead of being parsed into millions of values and
 * answered with a failure per element. For an acceptable body it also yields the exact text of each object, so
 * stored objects keep the bytes the client sent (no re-serialisation).
 *
 * Structural JSON characters are ASCII and never occur inside a multi-byte UTF-8 sequence, so scanning bytes finds
 * the same structure as scanning the decoded text.
 */

/** What the scan found. `unreadable` means "not an envelope I can judge": JSON.parse then reports the real problem. */
export type EnvelopeShape =
  | {
      readonly kind: 'ok';
      readonly count: number;
      /**
       * The exact text of each object, in order; `undefined` when there is no `"objects"` member or more than one
       * (JSON.parse keeps the last; guessing is not worth it).
       */
      readonly texts: string[] | undefined;
    }
  | { readonly kind: 'not-an-object'; readonly index: number; readonly found: JsonKind }
  | { readonly kind: 'too-many'; readonly limit: number }
  | { readonly kind: 'unreadable' };

/** The JSON kind of a value, named by its first byte. */
export type JsonKind = 'array' | 'string' | 'number' | 'boolean' | 'null';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const OBJECTS_KEY = Buffer.from('objects');

function kindOf(byte: number): JsonKind | undefined {
  if (byte === OPEN_ARRAY) return 'array';
  if (byte === QUOTE) return 'string';
  if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) return 'number';
  if (byte === 0x74 || byte === 0x66) return 'boolean';
  if (byte === 0x6e) return 'null';
  return undefined;
}

function skipWs(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Index just past the string whose opening quote is at `i`, or -1 when it never closes. */
function endOfString(b: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q === -1) return -1;
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    // An odd run of backslashes escapes the quote.
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the JSON value starting at `i`, or -1 when the text ends first. Iterative: depth cannot overflow. */
function endOfValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === undefined) return -1;
  if (c === QUOTE) return endOfString(b, i);
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
    let j = i;
    for (;;) {
      const d = b[j];
      if (d === undefined || d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) {
        return j === i ? -1 : j;
      }
      j++;
    }
  }
  let depth = 0;
  let j = i;
  for (;;) {
    const d = b[j];
    if (d === undefined) return -1;
    if (d === QUOTE) {
      j = endOfString(b, j);
      if (j === -1) return -1;
      continue;
    }
    if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
    else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
}

function isObjectsKey(b: Buffer, start: number, end: number): boolean {
  const inner = b.subarray(start + 1, end - 1);
  if (inner.equals(OBJECTS_KEY)) return true;
  // An escaped spelling (`"\u006fbjects"`) is the same member to JSON.parse.
  if (!inner.includes(BACKSLASH)) return false;
  try {
    return JSON.parse(b.toString('utf8', start, end)) === 'objects';
  } catch {
    return false;
  }
}

interface ListEnd {
  /** Start and end byte offsets of each element. */
  readonly spans: number[];
  /** Index just past the closing `]`. */
  readonly end: number;
}

/** Walks one `"objects"` array starting at its `[`: its length and end, or why it is refused. */
function scanList(b: Buffer, open: number, maxObjects: number): EnvelopeShape | ListEnd {
  let i = skipWs(b, open + 1);
  if (b[i] === CLOSE_ARRAY) return { spans: [], end: i + 1 };
  let count = 0;
  const spans: number[] = [];
  for (;;) {
    const c = b[i];
    if (c === undefined) return { kind: 'unreadable' };
    if (c !== OPEN_OBJECT) {
      const found = kindOf(c);
      return found === undefined ? { kind: 'unreadable' } : { kind: 'not-an-object', index: count, found };
    }
    if (++count > maxObjects) return { kind: 'too-many', limit: maxObjects };
    const end = endOfValue(b, i);
    if (end === -1) return { kind: 'unreadable' };
    spans.push(i, end);
    i = skipWs(b, end);
    if (b[i] === COMMA) i = skipWs(b, i + 1);
    else if (b[i] === CLOSE_ARRAY) return { spans, end: i + 1 };
    else return { kind: 'unreadable' };
  }
}

/**
 * Checks the `"objects"` member(s) of a request body: every element must be a JSON object, and there may be at most
 * `maxObjects` of them. Stops at the first element that is not an object and at element `maxObjects + 1`, so the
 * cost is linear in the bytes actually looked at and nothing is allocated per element.
 */
export function scanEnvelope(body: Buffer, maxObjects: number): EnvelopeShape {
  let i = skipWs(body, 0);
  if (body[i] !== OPEN_OBJECT) return { kind: 'unreadable' };
  i = skipWs(body, i + 1);
  let spans: number[] | undefined;
  let lists = 0;
  const done = (): EnvelopeShape => {
    if (lists !== 1 || spans === undefined) return { kind: 'ok', count: spans === undefined ? 0 : spans.length / 2, texts: undefined };
    const texts = new Array<string>(spans.length / 2);
    for (let k = 0; k < texts.length; k++) texts[k] = body.toString('utf8', spans[2 * k], spans[2 * k + 1]);
    return { kind: 'ok', count: texts.length, texts };
  };
  if (body[i] === CLOSE_OBJECT) return done();
  for (;;) {
    if (body[i] !== QUOTE) return { kind: 'unreadable' };
    const keyEnd = endOfString(body, i);
    if (keyEnd === -1) return { kind: 'unreadable' };
    const isObjects = isObjectsKey(body, i, keyEnd);
    i = skipWs(body, keyEnd);
    if (body[i] !== COLON) return { kind: 'unreadable' };
    i = skipWs(body, i + 1);
    let end: number;
    if (isObjects) lists++;
    if (isObjects && body[i] === OPEN_ARRAY) {
      // JSON.parse keeps the last of repeated members; checking each one covers whichever wins.
      const list = scanList(body, i, maxObjects);
      if ('kind' in list) return list;
      spans = list.spans;
      end = list.end;
    } else end = endOfValue(body, i);
    if (end === -1) return { kind: 'unreadable' };
    i = skipWs(body, end);
    if (body[i] === COMMA) i = skipWs(body, i + 1);
    else if (body[i] === CLOSE_OBJECT) return done();
    else return { kind: 'unreadable' };
  }
}

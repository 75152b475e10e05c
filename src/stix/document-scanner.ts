import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE, isJsonWhitespace } from './json-chars.js';

/**
 * Incremental scanner for one JSON document holding STIX content, so a validator can judge a bundle of any size while
 * holding one object at a time. It hands out the exact text of each element of a bundle's (or TAXII envelope's)
 * `objects` list, or of a top-level array, with the line and column where it starts; it keeps the container's own
 * members (everything but the list) as text, and a top-level object that is not a container whole. It understands
 * strings, escapes and nesting but parses nothing itself: callers `JSON.parse` each piece, which also checks its
 * grammar. The commas and brackets between elements are checked here.
 */

/** Where a piece of text starts in the document (1-based, columns in UTF-16 code units). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** A piece of the document with its position. */
export interface PositionedText extends TextPosition {
  readonly text: string;
}

/** Receives what {@link DocumentScanner} finds, in document order. */
export interface DocumentScanHandler {
  /**
   * A list element of the container, or of a top-level array: its exact text (no surrounding whitespace). `container`
   * is the container's members read before the list (`{...` up to the list, not closed): callers that need the
   * container's `type` or `spec_version` before judging elements read them from it.
   */
  element(text: string, index: number, at: TextPosition): void;
  /** An element longer than the limit; it is skipped. */
  elementTooLong(index: number, at: TextPosition): void;
}

/** How the document ended, when it was well formed at the level the scanner checks. */
export type DocumentShape =
  /** Nothing but whitespace. */
  | { readonly kind: 'empty' }
  /** A top-level object with an `objects` list, streamed: `members` is its text with the list replaced by `[]`. */
  | {
      readonly kind: 'container';
      readonly members: PositionedText;
      readonly count: number;
      /** Where `[]` stands in `members.text`, and where the text after the list starts in the document. */
      readonly listOffset: number;
      readonly tailAt: TextPosition;
    }
  /** A top-level array, streamed. */
  | { readonly kind: 'array'; readonly count: number }
  /** A top-level object that is not a container, whole. */
  | { readonly kind: 'object'; readonly value: PositionedText }
  /**
   * A single-line top-level object followed, on later lines, by more text: NDJSON. `rest` is the text after the
   * object's line, which starts on line `restLine`.
   */
  | { readonly kind: 'ndjson'; readonly first: PositionedText; readonly rest: string; readonly restLine: number };

/** Why the document is not JSON (or is too large to read), with where; the scanner stops there. */
export interface ScanFailure extends TextPosition {
  readonly kind: 'syntax' | 'too-long';
  readonly message: string;
}



type Phase =
  /** Before the top-level value. */
  | 'start'
  /** Inside a top-level object, buffering it (or, after its list, buffering the members that follow the list). */
  | 'object'
  /** Inside a list whose elements are handed out (the container's `objects`, or a top-level array). */
  | 'list'
  /** After the top-level value. */
  | 'after'
  /** Stopped: finished, or failed. */
  | 'stopped';

/**
 * The scanner. Feed it decoded text with {@link push} and call {@link end}; it calls the handler as elements complete.
 * Memory: the element (or member text) being read, never the document.
 */
export class DocumentScanner {
  readonly #handler: DocumentScanHandler;
  readonly #maxLength: number;
  #text = '';
  /** Absolute offset (UTF-16 units from the document start) of `#text[0]`. */
  #base = 0;
  #pos = 0;
  #line = 1;
  #lineStart = 0;
  #phase: Phase = 'start';
  #depth = 0;
  #inString = false;
  #stringStart = -1;
  #lastString: string | undefined;
  #pendingKey: string | undefined;
  /** Absolute start of the text being kept: the top-level object, the tail after the list, or the current element. */
  #spanStart = -1;
  #spanAt: TextPosition = { line: 1, column: 1 };
  /** Skipping an element that is too long. */
  #skipping = false;
  /** Depth of the list's elements: 1 for a top-level array, 2 for a container's list. */
  #listDepth = 0;
  #count = 0;
  #container: { prefix: PositionedText; tailAt?: TextPosition } | undefined;
  /** The first top-level object ended on one line: `after` decides between a single object and NDJSON. */
  #single: PositionedText | undefined;
  #singleEndLine = 0;
  #failure: ScanFailure | undefined;
  #shape: DocumentShape | undefined;

  /**
   * @param isContainer - called with the container's members read before its `objects` list (`JSON.parse`d, the list
   *   replaced by `[]`): true to stream the list as a bundle's or envelope's objects, false to read the whole object
   *   as one (another object type that happens to have an `objects` list).
   */
  constructor(
    handler: DocumentScanHandler,
    maxLength: number,
    private readonly isContainer: (membersBeforeList: string) => boolean,
  ) {
    this.#handler = handler;
    this.#maxLength = maxLength;
  }

  /** Set once the document turned out to be NDJSON: the caller reads `rest` and every later chunk line by line. */
  get ndjson(): Extract<DocumentShape, { kind: 'ndjson' }> | undefined {
    return this.#shape?.kind === 'ndjson' ? this.#shape : undefined;
  }

  /** Why scanning stopped early, if it did. */
  get failure(): ScanFailure | undefined {
    return this.#failure;
  }

  /** Adds decoded text. */
  push(chunk: string): void {
    // Stopped: failed, or handed over to the caller's NDJSON reading.
    if (this.#phase === 'stopped') return;
    this.#text += chunk;
    this.#scan();
    this.#compact();
  }

  /** Ends the input: the document's shape, or `undefined` when it failed ({@link failure} says why). */
  end(): DocumentShape | undefined {
    if (this.#failure !== undefined) return undefined;
    if (this.#shape !== undefined) return this.#shape;
    this.#scan();
    if (this.#failure !== undefined) return undefined;
    if (this.#inString || this.#phase === 'object' || this.#phase === 'list') {
      this.#fail('syntax', 'the input ended inside a JSON value (truncated object, bundle or array)', this.#positionOf(this.#base + this.#text.length));
      return undefined;
    }
    if (this.#phase === 'start') return { kind: 'empty' };
    return this.#shape ?? this.#finishAfter();
  }

  #positionOf(abs: number): TextPosition {
    return { line: this.#line, column: abs - this.#lineStart + 1 };
  }

  #fail(kind: ScanFailure['kind'], message: string, at: TextPosition): void {
    this.#failure = { kind, message, ...at };
    this.#phase = 'stopped';
    this.#text = '';
  }

  #compact(): void {
    if (this.#phase === 'stopped') return;
    let keep = this.#pos;
    if (this.#spanStart >= 0) keep = Math.min(keep, this.#spanStart - this.#base);
    if (this.#inString) keep = Math.min(keep, this.#stringStart);
    if (keep > 0) {
      this.#text = this.#text.slice(keep);
      this.#base += keep;
      this.#pos -= keep;
      if (this.#inString) this.#stringStart -= keep;
    }
    if (this.#spanStart >= 0 && this.#base + this.#pos - this.#spanStart > this.#maxLength) {
      if (this.#phase === 'list' && this.#depth >= this.#listDepth) {
        this.#handler.elementTooLong(this.#count++, this.#spanAt);
        this.#skipping = true;
        this.#spanStart = -1;
      } else {
        const what = this.#container === undefined ? 'the top-level object' : "the bundle's own properties";
        this.#fail('too-long', `${what} is longer than ${this.#maxLength} characters`, this.#spanAt);
      }
    }
  }

  #scan(): void {
    const text = this.#text;
    const len = text.length;
    let i = this.#pos;
    while (i < len && this.#phase !== 'stopped') {
      if (this.#inString) {
        const j = text.indexOf('"', i);
        if (j < 0) {
          i = len;
          break;
        }
        let k = j - 1;
        let backslashes = 0;
        while (k > this.#stringStart && text.charCodeAt(k) === BACKSLASH) {
          backslashes++;
          k--;
        }
        i = j + 1;
        if (backslashes % 2 === 0) {
          this.#inString = false;
          this.#lastString = j - this.#stringStart <= 16 ? text.slice(this.#stringStart + 1, j) : undefined;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        this.#line++;
        this.#lineStart = this.#base + i + 1;
        i++;
        continue;
      }
      if (isJsonWhitespace(c) || (c === 0xfeff && this.#base + i === 0)) {
        i++;
        continue;
      }
      const abs = this.#base + i;
      switch (this.#phase) {
        case 'start':
          i = this.#start(c, abs, i);
          continue;
        case 'after':
          this.#afterValue(abs);
          i++;
          continue;
        default:
          break;
      }
      if (this.#phase === 'list' && this.#depth === this.#listDepth) {
        // Between or at the start of elements.
        if (c === COMMA || c === CLOSE_BRACKET) {
          if (this.#spanStart < 0 && !this.#skipping) {
            // No element since the last separator: only the ']' of an empty list is allowed here.
            if (c === COMMA || this.#count > 0) {
              this.#fail('syntax', c === COMMA ? "unexpected ',' where a list element should be" : "unexpected ']' after ',' (a trailing comma)", this.#positionOf(abs));
              return;
            }
          } else {
            this.#emitElement(i);
          }
          if (c === CLOSE_BRACKET) this.#closeList(abs);
          i++;
          continue;
        }
        // An element's text runs to the next ',' or ']' at this depth; JSON.parse then judges all of it.
        if (this.#spanStart < 0 && !this.#skipping) {
          this.#spanStart = abs;
          this.#spanAt = this.#positionOf(abs);
        }
      }
      if (c === QUOTE) {
        this.#pendingKey = undefined;
        this.#inString = true;
        this.#stringStart = i;
        i++;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.#phase === 'object' && this.#depth === 1 && c === OPEN_BRACKET && this.#pendingKey === 'objects' && this.#container === undefined) {
          if (this.#openContainerList(abs, i)) {
            i++;
            continue;
          }
          if (this.#failure !== undefined) return;
        }
        this.#pendingKey = undefined;
        this.#depth++;
        i++;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.#depth--;
        this.#pendingKey = undefined;
        i++;
        if (this.#depth === 0) this.#closeTop(abs);
        continue;
      }
      if (c === COLON) {
        if (this.#phase === 'object' && this.#depth === 1) this.#pendingKey = this.#lastString;
        i++;
        continue;
      }
      this.#pendingKey = undefined;
      i++;
    }
    this.#pos = i;
  }

  #start(c: number, abs: number, i: number): number {
    if (c === OPEN_BRACE) {
      this.#phase = 'object';
      this.#depth = 1;
      this.#spanStart = abs;
      this.#spanAt = this.#positionOf(abs);
      this.#pendingKey = undefined;
      this.#lastString = undefined;
    } else if (c === OPEN_BRACKET) {
      this.#phase = 'list';
      this.#depth = 1;
      this.#listDepth = 1;
    } else {
      this.#fail('syntax', `unexpected '${String.fromCharCode(c)}' where a JSON object or array should start`, this.#positionOf(abs));
      return this.#text.length;
    }
    return i + 1;
  }

  /** At the `[` of a top-level object's `objects` member: stream the list when the object is a container. */
  #openContainerList(abs: number, i: number): boolean {
    const prefix = this.#text.slice(this.#spanStart - this.#base, i);
    if (!this.isContainer(prefix + '[]}')) return false;
    this.#container = { prefix: { text: prefix, ...this.#spanAt } };
    this.#phase = 'list';
    this.#listDepth = 2;
    this.#depth = 2;
    this.#spanStart = -1;
    return true;
  }

  #emitElement(i: number): void {
    if (this.#skipping) {
      this.#skipping = false;
      return;
    }
    const text = this.#text.slice(this.#spanStart - this.#base, i).trimEnd();
    this.#spanStart = -1;
    this.#handler.element(text, this.#count++, this.#spanAt);
  }

  /** The list's `]`: a top-level array ends; a container goes on with the members after its list. */
  #closeList(abs: number): void {
    this.#depth--;
    if (this.#listDepth === 1) {
      this.#phase = 'after';
      this.#arrayDone = true;
      return;
    }
    this.#phase = 'object';
    this.#spanStart = abs + 1;
    this.#spanAt = this.#positionOf(abs + 1);
    if (this.#container !== undefined) this.#container.tailAt = this.#spanAt;
  }

  #arrayDone = false;
  #tail: string | undefined;

  /** The top-level object's closing brace. */
  #closeTop(abs: number): void {
    const text = this.#text.slice(this.#spanStart - this.#base, abs - this.#base + 1);
    this.#spanStart = -1;
    this.#phase = 'after';
    if (this.#container !== undefined) {
      this.#tail = text;
      return;
    }
    this.#single = { text, ...this.#spanAt };
    this.#singleEndLine = this.#line;
  }

  /** Text after the top-level value: NDJSON when the value was a one-line object, an error otherwise. */
  #afterValue(abs: number): void {
    const single = this.#single;
    if (single !== undefined && single.line === this.#singleEndLine && this.#line > this.#singleEndLine) {
      // Hand over: the rest, from the start of the current line, is read line by line by the caller.
      const from = this.#lineStart - this.#base;
      this.#shape = { kind: 'ndjson', first: single, rest: this.#text.slice(from), restLine: this.#line };
      this.#phase = 'stopped';
      this.#text = '';
      return;
    }
    this.#fail('syntax', 'unexpected text after the JSON value', this.#positionOf(abs));
  }

  #finishAfter(): DocumentShape {
    if (this.#arrayDone) return { kind: 'array', count: this.#count };
    if (this.#container !== undefined) {
      const { prefix, tailAt } = this.#container;
      return {
        kind: 'container',
        members: { text: prefix.text + '[]' + (this.#tail ?? '}'), line: prefix.line, column: prefix.column },
        count: this.#count,
        listOffset: prefix.text.length,
        tailAt: tailAt ?? prefix,
      };
    }
    return { kind: 'object', value: this.#single as PositionedText };
  }
}

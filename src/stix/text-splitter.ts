import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, isJsonWhitespace } from './json-chars.js';

/**
 * Splits JSON text holding STIX content (NDJSON, a bundle, a TAXII envelope, a JSON array of objects, a single object,
 * or any concatenation of those) into the exact text of each object, incrementally: it never holds more than one
 * object's text. Strings and escapes are understood; nothing is parsed. Used by the stream reader of `convert`/`push`
 * and by the TAXII client, which keeps the server's text of each object it receives.
 */

/** Options of {@link StixTextSplitter}. */
export interface StixTextSplitterOptions {
  /** Largest object text accepted, in UTF-16 code units (default 16 Mi). Larger objects are reported and skipped. */
  readonly maxObjectLength?: number;
}

const DEFAULT_MAX_OBJECT_LENGTH = 16 * 1024 * 1024;


/** JSON whitespace, plus the byte-order mark that files saved on Windows start with. */
function isWhitespace(c: number): boolean {
  return isJsonWhitespace(c) || c === 0xfeff;
}

/** Where a piece starts in the whole input (1-based line and column) and its pointer in its document. */
export interface PiecePlace {
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
}

/** One record's text, or why a piece of the input could not be one; with where it starts when that is known. */
export type SplitPiece = ({ text: string } | { error: string }) & PiecePlace;

/** How the top-level value currently being read is split into records. */
type Mode =
  /** Between top-level values. */
  | 'top'
  /** Inside a top-level object that may be a single STIX object or a container (bundle/envelope). */
  | 'object'
  /** Inside a top-level array: each element is a record. */
  | 'array'
  /** Inside the `objects` array of a container: each element is a record. */
  | 'container-objects'
  /** Inside a container after its `objects` array: the rest is skipped. */
  | 'container-tail';

/**
 * Stateful splitter: feed it text, collect record texts. Exposed for callers that already hold text chunks (and for
 * tests); most callers use {@link readStixObjects}.
 */
export class StixTextSplitter {
  private text = '';
  private pos = 0;
  private depth = 0;
  private mode: Mode = 'top';
  private inString = false;
  private stringStart = -1;
  /** Start of the record being buffered, -1 when none, -2 when one is being skipped because it is too large. */
  private spanStart = -1;
  private lastString: string | undefined;
  private pendingKey: string | undefined;
  private readonly maxLength: number;
  private readonly out: SplitPiece[] = [];
  /** Set after a syntax error at the top level: skip to the next line. */
  private resyncing = false;
  /** Elements seen in the current array or `objects` array (the next record's index). */
  private element = 0;
  /**
   * Line counting as the scan passes newlines (outside strings, where JSON allows them): the current line and the
   * buffer offset of its start (negative once compacted away), and where the record being buffered starts.
   */
  private line = 1;
  private lineStart = 0;
  private spanPlace: { line: number; column: number } = { line: 1, column: 1 };

  constructor(options: StixTextSplitterOptions = {}) {
    this.maxLength = options.maxObjectLength ?? DEFAULT_MAX_OBJECT_LENGTH;
  }

  /** Adds text and returns the record texts (or errors) completed by it, in order. */
  push(chunk: string): SplitPiece[] {
    this.text += chunk;
    this.scan();
    this.compact();
    return this.out.splice(0, this.out.length);
  }

  /** Signals the end of the input; returns what is left (an error when a value was cut short). */
  end(): SplitPiece[] {
    this.scan();
    if (this.mode !== 'top' || this.inString) {
      this.out.push({ error: 'the input ended inside a JSON value (truncated object, bundle or array)' });
    }
    this.mode = 'top';
    this.text = '';
    this.pos = 0;
    return this.out.splice(0, this.out.length);
  }

  /** Line and column of a buffer offset on the current line. */
  private placeAt(offset: number): { line: number; column: number } {
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  /** A record's text starts at buffer offset `i`. */
  private startSpan(i: number): void {
    this.spanStart = i;
    this.spanPlace = this.placeAt(i);
  }

  /** The pointer of the record starting now, in the current mode. */
  private pointerOfRecord(): string {
    if (this.mode === 'container-objects') return `/objects/${this.element}`;
    if (this.mode === 'array') return `/${this.element}`;
    return '';
  }

  private compact(): void {
    let keep = this.pos;
    if (this.spanStart >= 0) keep = Math.min(keep, this.spanStart);
    if (this.inString && this.stringStart >= 0) keep = Math.min(keep, this.stringStart);
    if (keep > 0) {
      this.lineStart -= keep;
      this.text = this.text.slice(keep);
      this.pos -= keep;
      if (this.spanStart >= 0) this.spanStart -= keep;
      if (this.stringStart >= 0) this.stringStart -= keep;
    }
    if (this.spanStart >= 0 && this.pos - this.spanStart > this.maxLength) {
      this.out.push({ error: `an object is longer than ${this.maxLength} characters; it was skipped`, ...this.spanPlace, pointer: this.pointerOfRecord() });
      this.spanStart = -2;
    }
  }

  /** Depth at which records start, for the current mode (undefined when records are not split at this level). */
  private recordDepth(): number | undefined {
    if (this.mode === 'array') return 1;
    if (this.mode === 'container-objects') return 2;
    return undefined;
  }

  private emitSpan(end: number): void {
    if (this.spanStart >= 0) {
      const t = this.text.slice(this.spanStart, end).trim();
      if (t !== '') this.out.push({ text: t, ...this.spanPlace, pointer: this.pointerOfRecord() });
    }
    if (this.spanStart !== -1 && this.mode !== 'object') this.element++;
    this.spanStart = -1;
  }

  private scan(): void {
    const text = this.text;
    const len = text.length;
    let i = this.pos;
    while (i < len) {
      if (this.inString) {
        const j = text.indexOf('"', i);
        if (j < 0) {
          i = len;
          break;
        }
        let k = j - 1;
        let backslashes = 0;
        while (k > this.stringStart && text.charCodeAt(k) === BACKSLASH) {
          backslashes++;
          k--;
        }
        i = j + 1;
        if (backslashes % 2 === 0) {
          this.inString = false;
          // Only short strings can be the key we look for; remember them cheaply.
          this.lastString = j - this.stringStart <= 16 ? text.slice(this.stringStart + 1, j) : undefined;
          this.stringStart = -1;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.resyncing) {
        const nl = text.indexOf('\n', i);
        if (nl < 0) {
          i = len;
          break;
        }
        this.resyncing = false;
        i = nl + 1;
        this.line++;
        this.lineStart = i;
        continue;
      }
      if (c === 0x0a) {
        this.line++;
        this.lineStart = i + 1;
      }
      if (this.mode === 'top') {
        if (isWhitespace(c)) {
          i++;
          continue;
        }
        if (c === OPEN_BRACE) {
          this.mode = 'object';
          this.element = 0;
          this.depth = 1;
          this.startSpan(i);
          this.pendingKey = undefined;
          this.lastString = undefined;
        } else if (c === OPEN_BRACKET) {
          this.mode = 'array';
          this.element = 0;
          this.depth = 1;
        } else {
          const at = this.placeAt(i);
          this.out.push({ error: `unexpected character '${String.fromCharCode(c)}' where a JSON object or array should start`, ...at });
          this.resyncing = true;
        }
        i++;
        continue;
      }
      const recordDepth = this.recordDepth();
      if (c === QUOTE) {
        if (recordDepth !== undefined && this.depth === recordDepth && this.spanStart === -1) this.startSpan(i);
        this.pendingKey = undefined;
        this.inString = true;
        this.stringStart = i;
        i++;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (recordDepth !== undefined && this.depth === recordDepth && this.spanStart === -1) this.startSpan(i);
        if (this.mode === 'object' && this.depth === 1 && c === OPEN_BRACKET && this.pendingKey === 'objects') {
          // A bundle or TAXII envelope: its `objects` are the records; the envelope's own text is dropped.
          this.mode = 'container-objects';
          this.element = 0;
          this.spanStart = -1;
        }
        this.pendingKey = undefined;
        this.depth++;
        i++;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (recordDepth !== undefined && this.depth === recordDepth) {
          // The enclosing array closes: flush its last element.
          this.emitSpan(i);
          if (this.mode === 'container-objects') this.mode = 'container-tail';
        }
        this.depth--;
        i++;
        if (this.depth === 0) {
          if (this.mode === 'object') this.emitSpan(i);
          else this.spanStart = -1;
          this.mode = 'top';
        }
        continue;
      }
      if (c === COMMA) {
        if (recordDepth !== undefined && this.depth === recordDepth) this.emitSpan(i);
        this.pendingKey = undefined;
        i++;
        continue;
      }
      if (c === COLON) {
        if (this.mode === 'object' && this.depth === 1) this.pendingKey = this.lastString;
        i++;
        continue;
      }
      if (recordDepth !== undefined && this.depth === recordDepth && this.spanStart === -1 && !isWhitespace(c)) {
        // A bare scalar element (not a STIX object); buffered so it is reported, not silently skipped.
        this.startSpan(i);
      }
      if (!isWhitespace(c)) this.pendingKey = undefined;
      i++;
    }
    this.pos = i;
  }
}

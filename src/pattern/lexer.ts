import type { SourcePosition } from './ast.js';

/** Token kinds of the STIX pattern language. Keywords arrive as `ident` and are recognised by the parser. */
export type TokenKind =
  | 'ident'
  | 'string'
  | 'integer'
  | 'float'
  | 'binary'
  | 'hex'
  | 'timestamp'
  | 'op'
  | '['
  | ']'
  | '('
  | ')'
  | ':'
  | '.'
  | ','
  | '*'
  | 'eof';

/**
 * One lexical token. `text` is the decoded value (string contents unescaped, numbers as written). The start position
 * is kept as three numbers rather than a {@link SourcePosition} object: the validator tokenizes every indicator's
 * pattern and only needs a position object when something is reported.
 */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based line of the first character. */
  readonly line: number;
  /** 1-based column (UTF-16 units) of the first character. */
  readonly column: number;
  /** 0-based offset of the first character. */
  readonly offset: number;
  /** Offset just past the token. */
  readonly end: number;
}

/** Where a token starts, as a position object. */
export function tokenStart(t: Token): SourcePosition {
  return { line: t.line, column: t.column, offset: t.offset };
}

/** A lexical error, reported by the parser as a syntax diagnostic. */
export class LexError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
    this.name = 'LexError';
  }
}

const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
// WSpace=Y code points (the grammar's WS rule) plus BOM, which editors like to leave at the start of pasted text.
const WHITESPACE = /[\s\u0085\ufeff]/;

// Character classes by UTF-16 code unit, tested for every character of every pattern the validator sees.
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 45;
/** Space, tab, line breaks directly; anything else that may be white space goes to the Unicode-aware regex. */
const isWhitespace = (text: string, i: number, c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || ((c === 0x85 || c === 0xa0 || c >= 0x1680) && WHITESPACE.test(text.charAt(i)));

/** Describes a character for messages: printable as itself, others as U+XXXX. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

const PUNCTUATION: Readonly<Record<number, TokenKind>> = {
  91: '[',
  93: ']',
  40: '(',
  41: ')',
  58: ':',
  46: '.',
  44: ',',
  42: '*',
};

/**
 * Splits a pattern into tokens. Hand-written rather than generated so errors can name what was expected and where,
 * and so the library ships no parser runtime.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): SourcePosition => ({ line, column: offset - lineStart + 1, offset });
  // Positions inside multi-line tokens are computed from scratch, which is rare enough not to matter.
  const posAt = (offset: number): SourcePosition => {
    let l = 1;
    let ls = 0;
    for (let k = 0; k < offset; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) {
        l++;
        ls = k + 1;
      }
    }
    return { line: l, column: offset - ls + 1, offset };
  };
  const push = (kind: TokenKind, value: string, startPos: SourcePosition): void => {
    tokens.push({ kind, text: value, line: startPos.line, column: startPos.column, offset: startPos.offset, end: i });
  };
  /** A token of a single line: its position is the current line's. */
  const pushHere = (kind: TokenKind, value: string, start: number): void => {
    tokens.push({ kind, text: value, line, column: start - lineStart + 1, offset: start, end: i });
  };
  const advanceLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWhitespace(text, i, c)) {
      advanceLines(i, i + 1);
      i++;
      continue;
    }
    const c1 = text.charCodeAt(i + 1);
    if (c === 47 /* / */ && c1 === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw new LexError(`unterminated comment opened at ${line}:${i - lineStart + 1}`, pos(i));
      advanceLines(i, close + 2);
      i = close + 2;
      continue;
    }
    if (c === 47 && c1 === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    const start = i;
    if (c === 39 /* ' */) {
      const startPos = pos(i);
      const value = readQuoted(i, startPos, 'string');
      push('string', value, startPos);
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      if ((word === 'b' || word === 'h' || word === 't') && text.charCodeAt(j) === 39) {
        const startPos = pos(i);
        i = j;
        const raw = readQuoted(j, startPos, word === 'b' ? 'binary' : word === 'h' ? 'hex' : 'timestamp');
        if (word === 'b') {
          const stripped = raw.replace(/[\r\n]/g, '');
          const bad = /[^A-Za-z0-9+/=]/.exec(stripped);
          if (bad) throw new LexError(`invalid character ${describeChar(bad[0])} in binary (base64) constant`, startPos);
          push('binary', stripped, startPos);
        } else if (word === 'h') {
          const bad = /[^0-9A-Fa-f]/.exec(raw);
          if (bad) throw new LexError(`invalid character ${describeChar(bad[0])} in hex constant h'${raw}'`, startPos);
          if (raw.length % 2 !== 0) throw new LexError(`hex constant h'${raw}' has an odd number of digits`, startPos);
          push('hex', raw, startPos);
        } else {
          if (!TIMESTAMP_SHAPE.test(raw)) {
            throw new LexError(
              `timestamp constant t'${raw}' must have the form YYYY-MM-DDTHH:MM:SS[.fraction]Z`,
              startPos,
            );
          }
          push('timestamp', raw, startPos);
        }
        continue;
      }
      i = j;
      pushHere('ident', word, start);
      continue;
    }
    if (isDigit(c) || ((c === 45 || c === 43) && (isDigit(c1) || c1 === 46)) || (c === 46 && isDigit(c1))) {
      readNumber(pos(i));
      continue;
    }
    // = < > ! start the operators; == and <> are accepted spellings of = and !=.
    if (c === 61 || c === 60 || c === 62 || c === 33) {
      if (c1 === 61 || (c === 60 && c1 === 62)) {
        i += 2;
        pushHere('op', c === 61 ? '=' : c === 33 || c1 === 62 ? '!=' : c === 60 ? '<=' : '>=', start);
        continue;
      }
      if (c !== 33) {
        i++;
        pushHere('op', c === 61 ? '=' : c === 60 ? '<' : '>', start);
        continue;
      }
    }
    const punct = PUNCTUATION[c];
    if (punct !== undefined) {
      i++;
      pushHere(punct, punct, start);
      continue;
    }
    const full = String.fromCodePoint(text.codePointAt(i) ?? 0);
    throw new LexError(`unexpected character ${describeChar(full)}`, pos(i));
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1, offset: i, end: i });
  return tokens;

  function readQuoted(quoteAt: number, startPos: SourcePosition, what: string): string {
    let j = quoteAt + 1;
    let out = '';
    let chunk = j;
    while (true) {
      if (j >= text.length) {
        throw new LexError(`unterminated ${what} constant starting at ${startPos.line}:${startPos.column}`, startPos);
      }
      const c = text[j];
      if (c === "'") break;
      if (c === '\\') {
        const next = text[j + 1];
        if (what !== 'string' || (next !== "'" && next !== '\\')) {
          const escPos = posAt(j);
          if (what !== 'string') throw new LexError(`backslash is not allowed in a ${what} constant`, escPos);
          throw new LexError(
            next === undefined
              ? `unterminated string constant starting at ${startPos.line}:${startPos.column}`
              : `invalid escape '\\${next}' in string: only \\' and \\\\ may be escaped`,
            escPos,
          );
        }
        out += text.slice(chunk, j) + next;
        j += 2;
        chunk = j;
        continue;
      }
      j++;
    }
    out += text.slice(chunk, j);
    advanceLines(quoteAt, j + 1);
    i = j + 1;
    return out;
  }

  function readNumber(startPos: SourcePosition): void {
    const start = i;
    let j = i;
    if (text[j] === '-' || text[j] === '+') j++;
    const intStart = j;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    const intDigits = text.slice(intStart, j);
    if (text[j] === '.') {
      j++;
      const fracStart = j;
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      if (j === fracStart) throw new LexError(`expected digits after '.' in number ${text.slice(start, j)}`, startPos);
      i = j;
      push('float', text.slice(start, j), startPos);
    } else {
      if (intDigits.length > 1 && intDigits.startsWith('0')) {
        throw new LexError(`integer ${text.slice(start, j)} must not have leading zeros`, startPos);
      }
      i = j;
      push('integer', text.slice(start, j), startPos);
    }
    if (j < text.length && isIdentStart(text.charCodeAt(j))) {
      throw new LexError(`unexpected ${describeChar(text[j] as string)} right after number ${text.slice(start, j)}`, posAt(j));
    }
  }
}

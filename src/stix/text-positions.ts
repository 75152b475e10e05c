/**
 * Where JSON pointers land in the JSON text they point into: line and column of the member (its key) or array element
 * they name. One pass over the text, whatever the number of pointers; values no pointer passes through are skipped
 * without building any path, so a large document with a few findings costs one scan.
 */

/** A 1-based line and column (UTF-16 code units, as editors count them for the Basic Multilingual Plane). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Splits an RFC 6901 pointer into its unescaped tokens (`''` → no token). */
function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

class Scanner {
  pos = 0;
  line = 1;
  lineStart = 0;

  constructor(readonly text: string) {}

  position(at: number): TextPosition {
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x0a) {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0xfeff) this.pos++;
      else break;
    }
  }

  /** Reads a string literal at `pos` and returns its text (escapes decoded). */
  string(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === 0x22) break;
      if (c === 0x0a) {
        // Not valid JSON, but keep the line count right for what follows.
        this.line++;
        this.lineStart = i + 1;
      }
      i++;
    }
    this.pos = i + 1;
    const raw = t.slice(start + 1, i);
    if (!escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }

  /** Skips one value of any kind, counting lines. */
  skipValue(): void {
    const t = this.text;
    let depth = 0;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.string();
        if (depth === 0) return;
        continue;
      }
      if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x7d || c === 0x5d)) return;
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.pos + 1;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          this.pos++;
          return;
        }
      }
      this.pos++;
    }
  }
}

/**
 * Positions of the given pointers in `text` (a JSON document). A pointer is placed at its member's key or its array
 * element; one that does not exist in the text (a required property that is missing) is placed at the deepest value
 * on its way that does. `lineOffset` is added to every line (the text's first line within a larger input).
 */
export function locatePointers(text: string, pointers: Iterable<string>, lineOffset = 0): Map<string, TextPosition> {
  const wanted = new Set<string>();
  const prefixes = new Set<string>(['']);
  for (const p of pointers) {
    wanted.add(p);
    let prefix = '';
    for (const t of tokens(p)) {
      prefix += '/' + escapeToken(t);
      prefixes.add(prefix);
    }
  }
  const found = new Map<string, TextPosition>();
  const s = new Scanner(text);

  const visit = (pointer: string, at: TextPosition): void => {
    found.set(pointer, at);
    const t = s.text;
    s.skipSpace();
    const c = t.charCodeAt(s.pos);
    if (c === 0x7b) {
      s.pos++;
      for (;;) {
        s.skipSpace();
        if (s.pos >= t.length || t.charCodeAt(s.pos) === 0x7d) {
          s.pos++;
          return;
        }
        if (t.charCodeAt(s.pos) === 0x2c) {
          s.pos++;
          continue;
        }
        if (t.charCodeAt(s.pos) !== 0x22) return;
        const keyAt = s.position(s.pos);
        const child = pointer + '/' + escapeToken(s.string());
        s.skipSpace();
        if (t.charCodeAt(s.pos) === 0x3a) s.pos++;
        s.skipSpace();
        if (prefixes.has(child)) visit(child, keyAt);
        else s.skipValue();
      }
    }
    if (c === 0x5b) {
      s.pos++;
      for (let i = 0; ; ) {
        s.skipSpace();
        if (s.pos >= t.length || t.charCodeAt(s.pos) === 0x5d) {
          s.pos++;
          return;
        }
        if (t.charCodeAt(s.pos) === 0x2c) {
          s.pos++;
          i++;
          continue;
        }
        const child = pointer + '/' + String(i);
        const elementAt = s.position(s.pos);
        if (prefixes.has(child)) visit(child, elementAt);
        else s.skipValue();
      }
    }
    s.skipValue();
  };

  s.skipSpace();
  visit('', s.position(s.pos));
  const out = new Map<string, TextPosition>();
  for (const p of wanted) {
    let prefix = p;
    let at = found.get(prefix);
    while (at === undefined && prefix !== '') {
      prefix = prefix.slice(0, prefix.lastIndexOf('/'));
      at = found.get(prefix);
    }
    if (at !== undefined) out.set(p, { line: at.line + lineOffset, column: at.column });
  }
  return out;
}

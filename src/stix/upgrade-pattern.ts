import { HASH_NAME_RENAMES, REFERENCE_TARGETS, scoPropertyName } from './upgrade-renames.js';

/**
 * Rewrites the object paths of a STIX 2.0 pattern to the 2.1 property names (`file:created` → `file:ctime`,
 * `file:hashes.ssdeep` → `file:hashes.SSDEEP`, `process:binary_ref.name` → `process:image_ref.name`). Everything else,
 * including the text of string, binary, hex and timestamp constants, is copied unchanged; the pattern grammar itself
 * is the same in both versions for everything 2.0 could express.
 *
 * A scanner rather than the pattern parser: stix/ stays below pattern/, and a pattern that does not parse is copied
 * with only its recognisable paths renamed, for the validator to report as it would any other broken pattern.
 */
export function upgradePatternPaths(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      const end = literalEnd(pattern, i);
      out += pattern.slice(i, end);
      i = end;
      continue;
    }
    if (isTypeStart(ch) && (i === 0 || !isNameChar(pattern.charAt(i - 1)))) {
      OBJECT_PATH.lastIndex = i;
      const m = OBJECT_PATH.exec(pattern);
      if (m !== null) {
        out += rewritePath(m[1] as string, m[2] as string);
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

// `type:first` then `.component` or `[index]` steps; components are bare names or single-quoted strings.
const OBJECT_PATH = /([a-z][a-z0-9-]*):((?:[A-Za-z0-9_]+|'(?:[^'\\]|\\.)*')(?:\.(?:[A-Za-z0-9_]+|'(?:[^'\\]|\\.)*')|\[(?:\d+|\*)\])*)/y;
const STEP = /\.?([A-Za-z0-9_]+|'(?:[^'\\]|\\.)*')|\[(?:\d+|\*)\]/gy;

function rewritePath(type: string, steps: string): string {
  let out = type + ':';
  let current: string | undefined = type;
  let previous = '';
  STEP.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STEP.exec(steps)) !== null) {
    const name = m[1];
    if (name === undefined) {
      out += m[0]; // a list index keeps the element type
      continue;
    }
    const dot = m[0].startsWith('.') ? '.' : '';
    let renamed = name;
    if (!name.startsWith("'")) {
      if (previous === 'hashes') renamed = HASH_NAME_RENAMES[name] ?? name;
      else if (current !== undefined) renamed = scoPropertyName(current, name);
    }
    out += dot + renamed;
    current = REFERENCE_TARGETS[renamed];
    previous = renamed;
  }
  return out;
}

/** The index just past the string constant opening at `start` (backslash escapes `\'` and `\\`). */
function literalEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '\\') i += 2;
    else if (c === "'") return i + 1;
    else i++;
  }
  return text.length;
}

function isTypeStart(ch: string): boolean {
  return ch >= 'a' && ch <= 'z';
}

function isNameChar(ch: string): boolean {
  return /[A-Za-z0-9_-]/.test(ch);
}

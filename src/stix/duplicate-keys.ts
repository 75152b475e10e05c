import type { Diagnostic } from './diagnostic.js';

/**
 * Finds the first object member name that occurs twice in the same JSON object, in text `JSON.parse` has already
 * accepted. Returns its JSON pointer (relative to the text's root), or `undefined` when every name is unique.
 *
 * Why it matters for a hub that stores exact text: `JSON.parse` keeps the last of two equal names, other parsers keep
 * the first or refuse, so `{"name":"a","name":"b"}` would mean different things to different consumers of the same
 * stored object. I-JSON (RFC 7493 §2.3) forbids duplicate names. Names are compared after unescaping, as JSON.parse
 * compares them (`"a"` and `"\u0061"` are the same name). One pass, no recursion, so nesting depth costs nothing.
 */
export function findDuplicateKey(text: string): string | undefined {
  type Frame = { names: Set<string>; key: string } | { names: undefined; index: number };
  const frames: Frame[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) {
          escaped = true;
          i++;
        } else if (d === 34) break;
      }
      const top = frames.at(-1);
      if (expectKey && top !== undefined && top.names !== undefined) {
        const name = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        if (top.names.has(name)) return pointer(frames, name);
        top.names.add(name);
        top.key = name;
        expectKey = false;
      }
    } else if (c === 123 /* { */) {
      frames.push({ names: new Set(), key: '' });
      expectKey = true;
    } else if (c === 91 /* [ */) {
      frames.push({ names: undefined, index: 0 });
      expectKey = false;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      const top = frames.at(-1);
      if (top === undefined) continue;
      if (top.names !== undefined) expectKey = true;
      else top.index++;
    }
  }
  return undefined;
}

function pointer(frames: readonly ({ names: Set<string>; key: string } | { names: undefined; index: number })[], name: string): string {
  const tokens = frames.slice(0, -1).map((f) => (f.names !== undefined ? f.key : String(f.index)));
  tokens.push(name);
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Member names of every object in a parsed JSON value (what `JSON.parse` kept: one per distinct name). */
function memberCount(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    for (const key in v as Record<string, unknown>) {
      count++;
      const item = (v as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return count;
}

// A member name ends with an unescaped quote followed by a colon; inside a string a quote is always escaped.
const NAME_END = /"[ \t\r\n]*:/g;
const SPACED_NAME_END = /"[ \t\r\n]+:/;

/** Member names written in JSON text that `JSON.parse` has accepted, duplicates included. */
function nameCount(text: string): number {
  // Without an escaped quote, or white space between a name and its colon, every `":` ends a name. Counted with
  // indexOf, not collected with match(): its array of matched strings was 14% of what the validate command allocates.
  if (!text.includes('\\"') && !SPACED_NAME_END.test(text)) {
    let count = 0;
    for (let i = text.indexOf('":'); i >= 0; i = text.indexOf('":', i + 2)) count++;
    return count;
  }
  let count = 0;
  NAME_END.lastIndex = 0;
  for (let m = NAME_END.exec(text); m !== null; m = NAME_END.exec(text)) {
    let backslashes = 0;
    for (let k = m.index - 1; k >= 0 && text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) count++;
  }
  return count;
}

/**
 * The pointer (relative to the text's root) of a member name that occurs twice in one object of `text`, which
 * `JSON.parse` read as `value`; `undefined` when every name is unique. The common case costs native scans of the
 * text and no allocation: the text's names are counted and compared with the names `JSON.parse` kept, and only a difference
 * (a duplicate was merged away) runs the exact search. `members`, when the caller has counted them on a walk of its
 * own (`cleanJsonMemberCount`), saves the walk over the value.
 */
export function duplicateKeyIn(text: string, value: unknown, members?: number): string | undefined {
  if (nameCount(text) === (members ?? memberCount(value))) return undefined;
  return findDuplicateKey(text);
}

/** The `json-duplicate-key` finding for a duplicate found at `path`. */
export function duplicateKeyDiagnostic(path: string): Diagnostic {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return {
    code: 'json-duplicate-key',
    severity: 'error',
    path,
    message: `member name '${name}' occurs twice in one object: parsers keep different ones, so consumers would read different content (I-JSON, RFC 7493 §2.3; dictionary keys are unique, STIX 2.1 §2.3)`,
  };
}

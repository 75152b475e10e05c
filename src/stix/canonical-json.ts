/**
 * RFC 8785 JSON Canonicalization Scheme for JSON values (what deterministic SCO ids hash). JCS serialises strings and
 * numbers exactly as ECMAScript's JSON.stringify does (§3.2.2.2, §3.2.2.3) and sorts object members by the UTF-16
 * code units of their names (§3.2.3), which is JavaScript's default string order, so the whole scheme is a sorted
 * JSON.stringify. Written here because the validator canonicalises every SCO it sees and a general-purpose library
 * call per object showed up as a top cost; a property test checks it against the reference implementation. The text
 * is built by appending to one string (no array of parts per container), since this runs on the validator's hot path.
 *
 * @returns the canonical text, or `undefined` for values JSON cannot carry (non-finite numbers, undefined, functions)
 */
export function canonicalJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        const items = value as unknown[];
        let out = '[';
        for (let i = 0; i < items.length; i++) {
          const text = canonicalJson(items[i]);
          if (text === undefined) return undefined;
          out += i === 0 ? text : ',' + text;
        }
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      sortKeys(keys);
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        const text = canonicalJson(member);
        if (text === undefined) return undefined;
        out += (first ? '' : ',') + quote(key) + ':' + text;
        first = false;
      }
      return out + '}';
    }
    default:
      return undefined;
  }
}

/**
 * Sorts member names by UTF-16 code units, as Array.prototype.sort's default order does; SCO members have a handful
 * of keys, where an insertion sort in place beats the built-in sort and its scratch allocation.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
}

/** Characters JSON.stringify escapes: `"`, `\\`, controls, and surrogates (escaped when lone, kept when paired). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON.stringify escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify of a string: most names and values need no escaping, and for them quoting by hand is about twice as
 * fast; anything with a character JSON.stringify might escape goes to it.
 */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/**
 * The exact JSON text an object was read from. `JSON.parse` then `JSON.stringify` is not the identity: `2.0` becomes
 * `2`, `1.5E3` becomes `1500`, `"\u00e9"` becomes `"é"`. Signatures over objects and byte-level deduplication need
 * the producer's bytes, so every reader in this package (the stream reader of `convert` and `push`, the TAXII client's
 * pages) records the text of each object it parses, and every writer (`push`'s envelopes, `pull`, `convert --to
 * ndjson`) writes that text instead of re-serialising.
 *
 * The text belongs to the object as it was read. STIX objects are immutable per version (a change is a new version,
 * a new object); code that edits an object in place must not expect its edits in the output, and should build a new
 * object instead (`newVersion`, or a spread copy, which carries no text).
 */

const texts = new WeakMap<object, string>();

/** Records `text` as the source of `obj` and returns `obj`. */
export function rememberSourceText<T extends object>(obj: T, text: string): T {
  texts.set(obj, text);
  return obj;
}

/** The text `obj` was parsed from, or `undefined` when it was built in code (or copied). */
export function sourceText(obj: object): string | undefined {
  return texts.get(obj);
}

/**
 * The object as JSON text: its source text when it has one, else `JSON.stringify`.
 *
 * @param singleLine - for NDJSON: a source text spanning lines (a pretty-printed bundle) loses the whitespace between
 *   its tokens; every token (numbers, escapes, member order) stays as written.
 */
export function jsonTextOf(obj: object, singleLine = false): string {
  const text = texts.get(obj);
  if (text === undefined) return JSON.stringify(obj);
  return singleLine && /[\r\n]/.test(text) ? withoutWhitespace(text) : text;
}

/** JSON text with the insignificant whitespace between tokens removed (strings untouched). */
function withoutWhitespace(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

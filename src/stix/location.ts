/**
 * The one way findings say where they are, in every command and message: `input:line:column pointer`, e.g.
 * `feed.ndjson:12:5 /pattern` or `bundle.json:40:9 /objects/3/valid_until`. Each part appears when it is known: the
 * input when there is one, line and column when the finding comes from text, the JSON pointer (RFC 6901) into the
 * document or, for NDJSON, into the line's object. A finding at the root of a document that has no other location
 * is `(root)`.
 */

/** Where a finding is; every part optional. */
export interface Location {
  /** The file name as the user gave it, `-` for standard input. */
  readonly input?: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer into the document, or into the line's object for NDJSON. `''` is the root. */
  readonly pointer?: string;
}

/** A finding's location fields, as `ParseDiagnostic` carries them. */
export interface LocatedFinding {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  /** NDJSON: the 0-based record of the line; `path` then starts with `/<record>`. */
  readonly record?: number;
}

/** Formats a location in the house style (see the module notes). */
export function formatLocation(loc: Location): string {
  let head = loc.input ?? '';
  if (loc.line !== undefined) {
    head += `${head === '' ? '' : ':'}${loc.line}`;
    if (loc.column !== undefined) head += `:${loc.column}`;
  }
  const pointer = loc.pointer ?? '';
  if (pointer !== '') return head === '' ? pointer : `${head} ${pointer}`;
  return head === '' ? '(root)' : head;
}

/**
 * The location of a finding: NDJSON findings are named by their line and a pointer into that line's object, never by
 * the record number (`/1` would read as a pointer into a document that does not exist).
 */
export function findingLocation(d: LocatedFinding, input?: string): Location {
  let pointer = d.path;
  if (d.record !== undefined) {
    const prefix = `/${d.record}`;
    if (pointer === prefix || pointer.startsWith(prefix + '/')) pointer = pointer.slice(prefix.length);
  }
  return {
    ...(input === undefined ? {} : { input }),
    ...(d.line === undefined ? {} : { line: d.line }),
    ...(d.column === undefined ? {} : { column: d.column }),
    pointer,
  };
}

/** `formatLocation(findingLocation(d, input))`. */
export function formatFindingLocation(d: LocatedFinding, input?: string): string {
  return formatLocation(findingLocation(d, input));
}

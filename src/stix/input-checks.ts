import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Diagnostic } from './diagnostic.js';
import { joinPointer } from './diagnostic.js';
import { compareInstants, isValidTimestamp } from './rules/instants.js';
import type { JsonObject } from './rules/rule.js';
import { FirstVersions } from './first-versions.js';
import { isScoType } from './types/index.js';

/**
 * One version of an object: where it was, and its content: the object, a digest of the text it was read from, or
 * where that text lies in the input (to be read back, see {@link ReadBack}).
 */
interface Version {
  readonly modified: string;
  readonly pointer: string;
  readonly object?: JsonObject;
  readonly digest?: string;
  readonly span?: TextSpan;
}

/** Where an object's text lies in an input that can be read again: its bytes from `offset`, `length` of them. */
export interface TextSpan {
  readonly offset: number;
  readonly length: number;
}

/**
 * For an input that can be read again (a regular file): the text of its bytes at `span`, decoded as they were when
 * first read (throwing when the input changed since).
 */
export type ReadBack = (span: TextSpan) => string;

/** What an object's check across the input needs of it: {@link InputChecks.add}'s reading, made where the object is. */
export interface VersionNote {
  readonly id: string;
  /** `modified` when it is a string (any string names a version; the schema judges it). */
  readonly modified?: string;
  /** SHA-1 (base64) of the object's text, when `modified` is present. */
  readonly digest?: string;
  /** A language-content's `object_ref` and valid `object_modified`. */
  readonly languageContent?: { readonly ref: string; readonly modified: string };
}

/** The two calls object validation makes into the checks across an input (see {@link InputChecks}). */
export interface ObjectChecks {
  stix20(obj: JsonObject, pointer: string): boolean;
  add(obj: JsonObject, pointer: string, out: Diagnostic[]): void;
}

/**
 * True when `obj` is STIX 2.0 content: `spec_version: "2.0"`, or no `spec_version` on an object that must carry one
 * in 2.1 (§3.2: content without it is 2.0) inside a 2.0 bundle or with the 2.0 common properties (`created`).
 */
export function isStix20Object(obj: JsonObject, inBundle20: boolean): boolean {
  const sv = obj['spec_version'];
  if (sv !== undefined) return sv === '2.0';
  const type = obj['type'];
  // SCOs may omit spec_version in 2.1; a 2.0 bundle's SCO-like entries cannot occur (2.0 had no top-level SCOs).
  const sco = typeof type === 'string' && isScoType(type);
  return !sco && (inBundle20 || 'created' in obj);
}

/**
 * What {@link InputChecks.add} needs of an object read from `text` (undefined when it has no string id). Without
 * `digest` the note carries no digest: the reading thread then compares versions by their text, read back.
 */
export function versionNoteOf(obj: JsonObject, text: string, digest = true): VersionNote | undefined {
  const id = obj['id'];
  if (typeof id !== 'string') return undefined;
  const languageContent = languageContentOf(obj);
  const modified = obj['modified'];
  return {
    id,
    ...(typeof modified === 'string' ? (digest ? { modified, digest: textDigest(text) } : { modified }) : {}),
    ...(languageContent === undefined ? {} : { languageContent }),
  };
}

/** A language-content's `object_ref` and valid `object_modified`, which the end of the input checks. */
function languageContentOf(obj: JsonObject): VersionNote['languageContent'] {
  if (obj['type'] !== 'language-content') return undefined;
  const ref = obj['object_ref'];
  const om = obj['object_modified'];
  return typeof ref === 'string' && isValidTimestamp(om) ? { ref, modified: om } : undefined;
}

function textDigest(text: string): string {
  return hash('sha1', text, 'base64');
}

/** A first version read back: what {@link InputChecks} needs of it while it handles one later version. */
interface HeldVersion {
  readonly entry: number;
  readonly id: unknown;
  readonly modified: unknown;
  readonly text: string;
  /** The span of the version made of it when its id moved into the map. */
  span?: TextSpan;
}

/**
 * What one input (a bundle, a list, a stream of NDJSON records, or a single object) carries across its objects, for
 * the checks no single object can answer:
 * - `duplicate-version` (error): two objects share `id` and `modified` but differ in content. §3.6 makes `id` +
 *   `modified` name exactly one version, so a receiver keeps only one of them and the other is lost.
 * - `language-content-modified-mismatch` (error, §7.1): `object_modified` names no version of the translated object
 *   present in the input.
 * - `stix-2.0-content` (error, once per input): STIX 2.0 objects, which are not judged by 2.1 rules.
 *
 * Memory grows with the number of versioned objects (a hash, a span and a pointer each; the id, `modified` and a
 * digest for those read without a span), never with their size.
 */
export class InputChecks implements ObjectChecks {
  /** Every id seen with a `modified`, and where the text of its first version lies when that text can be read back. */
  readonly #firsts: FirstVersions;
  /**
   * Versions by exact id, for the ids {@link FirstVersions} does not answer alone: an id seen again (moved here with
   * its first version), versions known by digest or object instead of by where their text lies, and ids the table
   * refused (see {@link #refused}). One version, or a map by `modified` when an id comes with more than one.
   */
  readonly #versions = new Map<string, Version | Map<string, Version>>();
  /** The table refused an id (input built to collide in its hash): new ids must then be looked up here too. */
  #refused = false;
  /** The id {@link #isId} confirms entries for. */
  #lookingFor = '';
  /** A first version read back while confirming an id, kept for the rest of the same call (one read-back, not two). */
  #held: HeldVersion | undefined;
  readonly #languageContents: Array<{ readonly pointer: string; readonly ref: string; readonly modified: string }> = [];
  #stix20Count = 0;
  #stix20First = '';
  readonly #bundleIs20: boolean;
  #recordText: string | undefined;
  #recordSpan: TextSpan | undefined;
  readonly #readBack: ReadBack | undefined;

  /**
   * How a message names another object of the input: its pointer by default; NDJSON readers name its line instead
   * (`/1` would read as a pointer into a document that does not exist).
   */
  describe: (pointer: string) => string = (pointer) => pointer || '/';

  /**
   * @param bundleSpecVersion the `spec_version` of the enclosing bundle, when there is one (2.0 bundles had it).
   * @param readBack for an input that can be read again: versions whose text has a span ({@link recordText}) are kept
   *   as that span and compared by reading both texts back when a second version with the same id and modified turns
   *   up, instead of hashing every object's text.
   * @param firsts the table of first versions (a new one by default; tests pass one with a short probe limit).
   */
  constructor(bundleSpecVersion?: unknown, readBack?: ReadBack, firsts: FirstVersions = new FirstVersions()) {
    this.#bundleIs20 = bundleSpecVersion === '2.0';
    this.#readBack = readBack;
    this.#firsts = firsts;
  }

  /**
   * True when `obj` is STIX 2.0 content: `spec_version: "2.0"`, or no `spec_version` on an object that must carry one
   * in 2.1 (§3.2: content without it is 2.0) inside a 2.0 bundle or with the 2.0 common properties (`created`).
   * Such an object is counted for the input's one `stix-2.0-content` finding and must not be judged by 2.1 rules.
   */
  stix20(obj: JsonObject, pointer: string): boolean {
    const is20 = isStix20Object(obj, this.#bundleIs20);
    if (is20) this.countStix20(pointer);
    return is20;
  }

  /** Counts one STIX 2.0 object at `pointer`, judged elsewhere by {@link isStix20Object}. */
  countStix20(pointer: string): void {
    if (this.#stix20Count === 0) this.#stix20First = pointer;
    this.#stix20Count++;
  }

  /**
   * For streams that do not keep objects: the JSON text of the object {@link add} sees next. Its versions are then
   * compared by a hash of that text (so the same version written with other spacing or key order counts as other
   * content) instead of being kept and compared as canonical JSON.
   */
  recordText(text: string | undefined, span?: TextSpan): void {
    this.#recordText = text;
    this.#recordSpan = span;
  }

  /**
   * Records a 2.1 object of the input, reporting into `out` a `duplicate-version` when an earlier object had the same
   * `id` and `modified` but other content.
   */
  add(obj: JsonObject, pointer: string, out: Diagnostic[]): void {
    const id = obj['id'];
    if (typeof id !== 'string') return;
    const languageContent = languageContentOf(obj);
    if (languageContent !== undefined) this.#languageContents.push({ pointer, ...languageContent });
    const modified = obj['modified'];
    // The schema judges the timestamp; any string names a version here.
    if (typeof modified !== 'string') return;
    const text = this.#recordText;
    const span = this.#readBack === undefined ? undefined : this.#recordSpan;
    if (span !== undefined && text !== undefined) this.#track(id, modified, pointer, { modified, pointer, span }, out, text);
    else this.#track(id, modified, pointer, text === undefined ? { modified, pointer, object: obj } : { modified, pointer, digest: textDigest(text) }, out, text);
  }

  /**
   * {@link add} for an object read elsewhere (a worker thread), from its {@link versionNoteOf}. A note without a
   * digest comes with the object's text and its span in an input that can be read back (see the constructor).
   */
  addNote(note: VersionNote, pointer: string, out: Diagnostic[], source?: { readonly text: string; readonly span: TextSpan }): void {
    if (note.languageContent !== undefined) this.#languageContents.push({ pointer, ...note.languageContent });
    const { id, modified, digest } = note;
    if (modified === undefined) return;
    if (digest !== undefined) this.#track(id, modified, pointer, { modified, pointer, digest }, out);
    else if (source !== undefined) this.#track(id, modified, pointer, { modified, pointer, span: source.span }, out, source.text);
  }

  /**
   * {@link add} of one version: a first version of an id goes into the table (by where its text lies, or, known
   * otherwise, straight into the map); an id seen before has its versions compared in the map.
   */
  #track(id: string, modified: string, pointer: string, version: Version, out: Diagnostic[], text?: string): void {
    try {
      this.#lookingFor = id;
      const entry = this.#firsts.find(id, this.#isId);
      if (entry < 0) {
        if (!this.#refused || !this.#versions.has(id)) {
          const added = this.#firsts.add(id, pointer, version.span);
          if (added >= 0) {
            if (version.span === undefined) this.#versions.set(id, version);
            return;
          }
          this.#refused = true;
        }
      } else if (!this.#firsts.moved(entry)) {
        this.#move(entry, id);
      }
      this.#addVersion(id, modified, pointer, version, out, text);
    } finally {
      this.#held = undefined;
    }
  }

  /** Whether table entry `entry` is the one of {@link #lookingFor} (its hash matched). */
  readonly #isId = (entry: number): boolean => {
    if (this.#firsts.moved(entry)) return this.#versions.has(this.#lookingFor);
    return this.#firstOf(entry).id === this.#lookingFor;
  };

  /** The id, modified and text of an entry's first version, read back (once per call, see {@link #held}). */
  #firstOf(entry: number): HeldVersion {
    if (this.#held?.entry === entry) return this.#held;
    const text = (this.#readBack as ReadBack)(this.#firsts.span(entry));
    // The text was parsed and judged when first read, and reading back fails if the file changed since.
    const value = JSON.parse(text) as unknown;
    const obj = value !== null && typeof value === 'object' ? (value as JsonObject) : {};
    this.#held = { entry, id: obj['id'], modified: obj['modified'], text };
    return this.#held;
  }

  /** An id seen again: its first version moves from the table into the map, where its versions are compared. */
  #move(entry: number, id: string): void {
    const first = this.#firstOf(entry);
    const span = this.#firsts.span(entry);
    first.span = span;
    this.#versions.set(id, { modified: String(first.modified), pointer: this.#firsts.pointer(entry), span });
    this.#firsts.markMoved(entry);
  }

  #addVersion(id: string, modified: string, pointer: string, version: Version, out: Diagnostic[], text?: string): void {
    // Keyed by id alone, a string JSON.parse has already made: no id + modified key to build and hash per object.
    const known = this.#versions.get(id);
    const first = known === undefined ? undefined : known instanceof Map ? known.get(modified) : known.modified === modified ? known : undefined;
    if (first === undefined) {
      if (known === undefined) this.#versions.set(id, version);
      else if (known instanceof Map) known.set(modified, version);
      else this.#versions.set(id, new Map([[known.modified, known], [modified, version]]));
      return;
    }
    if (this.#sameContent(first, version, text)) return;
    out.push({
      code: 'duplicate-version',
      severity: 'error',
      path: joinPointer(pointer, 'modified'),
      message: `${id} version ${modified} also occurs at ${this.describe(first.pointer)} with other content: id and modified name one version (§3.6), so a receiver keeps only one of them`,
    });
  }

  /** Whether two versions with the same id and modified have the same content (`text`: the later one's, if known). */
  #sameContent(first: Version, later: Version, text: string | undefined): boolean {
    if (first.object !== undefined || later.object !== undefined) {
      return first.object !== undefined && later.object !== undefined && canonicalJson(first.object) === canonicalJson(later.object);
    }
    if (first.digest !== undefined && later.digest !== undefined) return first.digest === later.digest;
    // A version has a digest or a span, never both.
    const laterText = text ?? this.#textOf(later);
    const firstText = this.#textOf(first);
    if (firstText !== undefined && laterText !== undefined) return firstText === laterText;
    // One side is known by its digest only: the other's text is hashed the same way.
    const firstDigest = first.digest ?? (firstText === undefined ? undefined : textDigest(firstText));
    const laterDigest = later.digest ?? (laterText === undefined ? undefined : textDigest(laterText));
    return firstDigest !== undefined && firstDigest === laterDigest;
  }

  #textOf(version: Version): string | undefined {
    if (version.span !== undefined && version.span === this.#held?.span) return this.#held.text;
    return version.span === undefined || this.#readBack === undefined ? undefined : this.#readBack(version.span);
  }

  /** The `modified` of every version of `id` seen, in input order. */
  #modifiedOf(id: string): string[] | undefined {
    this.#lookingFor = id;
    let entry: number;
    try {
      entry = this.#firsts.find(id, this.#isId);
      if (entry >= 0 && !this.#firsts.moved(entry)) return [String(this.#firstOf(entry).modified)];
    } finally {
      // Texts read back to confirm hash matches are not kept past the call.
      this.#held = undefined;
    }
    if (entry < 0 && !this.#refused) return undefined;
    const known = this.#versions.get(id);
    if (known === undefined) return undefined;
    return known instanceof Map ? [...known.keys()] : [known.modified];
  }

  /** How many STIX 2.0 objects {@link stix20} has counted so far. */
  get stix20Objects(): number {
    return this.#stix20Count;
  }

  /** Reports what needs the whole input: language-content targets and the input's STIX 2.0 content. */
  finish(out: Diagnostic[]): void {
    for (const lc of this.#languageContents) {
      const versions = this.#modifiedOf(lc.ref);
      // The same instant may be written at another precision; the versions of the referenced object settle it.
      if (versions === undefined || versions.some((m) => m === lc.modified || (isValidTimestamp(m) && compareInstants(m, lc.modified) === 0))) continue;
      out.push({
        code: 'language-content-modified-mismatch',
        severity: 'error',
        path: joinPointer(lc.pointer, 'object_modified'),
        message: `object_modified ${lc.modified} matches no version of ${lc.ref} in this content (modified ${versions.join(', ')}) (§7.1)`,
      });
    }
    if (this.#stix20Count > 0) {
      const n = this.#stix20Count;
      out.push({
        code: 'stix-2.0-content',
        severity: 'error',
        path: this.#stix20First,
        message:
          `${n} STIX 2.0 object${n === 1 ? '' : 's'} (spec_version "2.0", or none where 2.1 requires it: §3.2), ` +
          'not checked against STIX 2.1 rules; convert with `distill-intel upgrade` and validate the result',
      });
    }
  }
}

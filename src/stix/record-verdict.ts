import type { Diagnostic } from './diagnostic.js';
import { duplicateKeyDiagnostic, duplicateKeyIn } from './duplicate-keys.js';
import { isStix20Object, versionNoteOf } from './input-checks.js';
import type { ObjectChecks, VersionNote } from './input-checks.js';
import type { JsonObject } from './rules/rule.js';
import type { ParseDiagnostic } from './safe-json.js';
import { checkJsonValue, cleanJsonMemberCount, DEFAULT_MAX_DEPTH, parseJsonText } from './safe-json.js';
import { validateObjectInto } from './validate.js';

/**
 * The per-object half of NDJSON validation, which needs nothing of the other records: parsing one line, its JSON
 * safety and duplicate-name checks, and every rule of one object. It can run on another thread; what looks across
 * records (duplicate-version, language-content targets, the STIX 2.0 count) is left as a {@link VersionNote} for
 * the reading thread to apply in input order.
 */

/** Lines of an NDJSON input to judge, as one message. */
export interface RecordBatch {
  /** Each record's text (its line without the newline or a trailing CR). */
  readonly texts: readonly string[];
  /** The line each record is on (1-based). */
  readonly lines: readonly number[];
  /** The 0-based record number of each text (an over-long line between two records takes a number too). */
  readonly records: readonly number[];
}

/** How records are judged: the options of the stream validator that matter per object. */
export interface RecordJudging {
  readonly strict: boolean;
  readonly maxDepth: number;
  /**
   * Notes carry a SHA-1 of each record's text (default true). The reading thread asks for none when it can read
   * every record of the batch back from the input and compare texts itself (see `ValidateStreamOptions.readBack`).
   */
  readonly digests?: boolean;
}

/** What one record's judging found, before its findings are placed and the checks across records applied. */
export type RecordVerdict =
  | { readonly kind: 'not-json'; readonly diagnostic?: ParseDiagnostic }
  | {
      readonly kind: 'judged';
      /** Findings in the order validation made them (no line, column or record yet). */
      readonly found: ParseDiagnostic[];
      /** STIX 2.0 content: counted, not judged. */
      readonly stix20: boolean;
      /** What the checks across records need, and where among `found` a duplicate-version finding belongs. */
      readonly note?: VersionNote;
      readonly noteAt?: number;
    };

/**
 * Judges batches of records away from the reading thread (worker threads). Verdicts must be exactly those of
 * {@link judgeRecords} with the same `judging`.
 */
export interface RecordJudge {
  /** Records read before batches go to the judge: a small input never pays for starting it. */
  readonly after: number;
  /** Records a batch holds. */
  readonly batchSize: number;
  /** Batches handed over and not yet applied before the reader waits (memory stays bounded). */
  readonly maxInFlight: number;
  judge(batch: RecordBatch, judging: RecordJudging): Promise<RecordVerdict[]>;
}

/** Judges one batch of NDJSON records; the verdicts are in the batch's order. */
export function judgeRecords(batch: RecordBatch, judging: RecordJudging): RecordVerdict[] {
  const out: RecordVerdict[] = [];
  for (let i = 0; i < batch.texts.length; i++) {
    out.push(judgeRecord(batch.texts[i] as string, batch.lines[i] as number, '/' + String(batch.records[i] as number), judging));
  }
  return out;
}

/** Records what validation asks of the checks across the input, instead of checking. */
class NoteTaker implements ObjectChecks {
  stix20Seen = false;
  note: VersionNote | undefined;
  noteAt = 0;
  constructor(
    readonly text: string,
    readonly digest: boolean,
  ) {}

  stix20(obj: JsonObject): boolean {
    // NDJSON records have no enclosing bundle.
    this.stix20Seen = isStix20Object(obj, false);
    return this.stix20Seen;
  }

  add(obj: JsonObject, _pointer: string, out: Diagnostic[]): void {
    this.note = versionNoteOf(obj, this.text, this.digest);
    this.noteAt = out.length;
  }
}

/**
 * The JSON-level findings of one object `JSON.parse` read from `text` at `pointer` (nesting `startDepth` deep): a
 * member name written twice, then what makes the value unsafe (too deep, prototype keys, inexact numbers; unsafe
 * keys are removed). Returns true when the value is safe, so that the STIX rules may judge it.
 */
export function jsonFindingsInto(value: unknown, text: string, pointer: string, safety: { readonly maxDepth: number; readonly startDepth: number }, found: Diagnostic[]): boolean {
  const members = cleanJsonMemberCount(value, safety);
  const duplicate = duplicateKeyIn(text, value, members < 0 ? undefined : members);
  if (duplicate !== undefined) found.push(duplicateKeyDiagnostic(pointer + duplicate));
  if (members >= 0) return true;
  checkJsonValue(value, pointer, found, { ...safety, removeUnsafeKeys: true });
  return false;
}

function judgeRecord(text: string, line: number, pointer: string, judging: RecordJudging): RecordVerdict {
  const parsed = parseJsonText(text, pointer, line - 1);
  if (!parsed.ok) return parsed.diagnostic === undefined ? { kind: 'not-json' } : { kind: 'not-json', diagnostic: parsed.diagnostic };
  const value = parsed.value;
  const found: ParseDiagnostic[] = [];
  if (!jsonFindingsInto(value, text, pointer, { maxDepth: judging.maxDepth ?? DEFAULT_MAX_DEPTH, startDepth: 1 }, found)) return { kind: 'judged', found, stix20: false };
  const taker = new NoteTaker(text, judging.digests !== false);
  validateObjectInto(value, pointer, found, { strict: judging.strict }, taker);
  return {
    kind: 'judged',
    found,
    stix20: taker.stix20Seen,
    ...(taker.note === undefined ? {} : { note: taker.note, noteAt: taker.noteAt }),
  };
}

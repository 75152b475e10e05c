import type { RecordBatch, RecordVerdict } from '../stix/record-verdict.js';
import type { VersionNote } from '../stix/input-checks.js';
import type { ParseDiagnostic } from '../stix/safe-json.js';

/**
 * How batches and verdicts cross between `validate`'s threads. Posting them as they are costs more than judging is
 * worth on two cores: the structured clone of a verdict array (an object, a findings array and a note object per
 * record) took about 2.4 µs a record, a tenth of judging it, most of it on the thread that also reads and reports.
 * Packed here into a few flat arrays and one string of texts it takes about a third of that, and rebuilding the same
 * objects on the other side is cheap. What is rebuilt equals what was packed, member order included (the JSON report
 * prints findings as they are), see the tests.
 */

/** A {@link RecordBatch} as posted: the texts as one string (NDJSON lines hold no newline, so it can split them). */
export interface PackedBatch {
  readonly texts: string;
  readonly lines: Int32Array;
  readonly records: Int32Array;
}

/** {@link RecordVerdict}s as posted. */
export interface PackedVerdicts {
  /** Per record: {@link Kind} bits. */
  readonly kinds: Uint8Array;
  /** Per record: `noteAt` (0 when absent). */
  readonly noteAt: Int32Array;
  /** Per record: how many findings of `findings` are its own (not-json: 0 or 1). */
  readonly counts: Int32Array;
  /** Note strings in record order: id, modified, digest, then the language-content reference and instant. */
  readonly strings: string[];
  /** Every finding in record order: the index of its member list in `shapes`, then its member values in that order. */
  readonly findings: unknown[];
  /** Member lists (names joined by NUL) of the findings, each once. */
  readonly shapes: string[];
}

/** Bits of {@link PackedVerdicts.kinds}. */
const Kind = {
  NotJson: 0,
  Judged: 1,
  Stix20: 2,
  Note: 4,
  Modified: 8,
  Digest: 16,
  Language: 32,
  NoteAt: 64,
} as const;

/** Packs a batch for posting. */
export function packBatch(batch: RecordBatch): PackedBatch {
  return { texts: batch.texts.join('\n'), lines: Int32Array.from(batch.lines), records: Int32Array.from(batch.records) };
}

/** The batch {@link packBatch} packed. */
export function unpackBatch(packed: PackedBatch): RecordBatch {
  // '' splits into one empty text: a batch of none has no lines.
  return { texts: packed.lines.length === 0 ? [] : packed.texts.split('\n'), lines: Array.from(packed.lines), records: Array.from(packed.records) };
}

/** Packs verdicts for posting. */
export function packVerdicts(verdicts: readonly RecordVerdict[]): PackedVerdicts {
  const n = verdicts.length;
  const kinds = new Uint8Array(n);
  const noteAt = new Int32Array(n);
  const counts = new Int32Array(n);
  const strings: string[] = [];
  const findings: unknown[] = [];
  const shapes: string[] = [];
  const shapeIndex = new Map<string, number>();
  const pushFinding = (d: ParseDiagnostic): void => {
    const names = Object.keys(d);
    const shape = names.join('\0');
    let index = shapeIndex.get(shape);
    if (index === undefined) {
      index = shapes.length;
      shapes.push(shape);
      shapeIndex.set(shape, index);
    }
    findings.push(index);
    for (const name of names) findings.push((d as unknown as Record<string, unknown>)[name]);
  };
  for (let i = 0; i < n; i++) {
    const v = verdicts[i] as RecordVerdict;
    if (v.kind === 'not-json') {
      kinds[i] = Kind.NotJson;
      if (v.diagnostic !== undefined) {
        counts[i] = 1;
        pushFinding(v.diagnostic);
      }
      continue;
    }
    let kind: number = Kind.Judged;
    if (v.stix20) kind |= Kind.Stix20;
    const note = v.note;
    if (note !== undefined) {
      kind |= Kind.Note;
      strings.push(note.id);
      if (note.modified !== undefined) {
        kind |= Kind.Modified;
        strings.push(note.modified);
      }
      if (note.digest !== undefined) {
        kind |= Kind.Digest;
        strings.push(note.digest);
      }
      if (note.languageContent !== undefined) {
        kind |= Kind.Language;
        strings.push(note.languageContent.ref, note.languageContent.modified);
      }
      if (v.noteAt !== undefined) {
        kind |= Kind.NoteAt;
        noteAt[i] = v.noteAt;
      }
    }
    kinds[i] = kind;
    counts[i] = v.found.length;
    for (const d of v.found) pushFinding(d);
  }
  return { kinds, noteAt, counts, strings, findings, shapes };
}

/** The verdicts {@link packVerdicts} packed. */
export function unpackVerdicts(packed: PackedVerdicts): RecordVerdict[] {
  const { kinds, noteAt, counts, strings, findings } = packed;
  const shapes = packed.shapes.map((s) => s.split('\0'));
  const out: RecordVerdict[] = [];
  let s = 0;
  let f = 0;
  const takeFinding = (): ParseDiagnostic => {
    const names = shapes[findings[f++] as number] as string[];
    const d: Record<string, unknown> = {};
    for (const name of names) d[name] = findings[f++];
    return d as unknown as ParseDiagnostic;
  };
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i] as number;
    const count = counts[i] as number;
    if ((kind & Kind.Judged) === 0) {
      out.push(count === 0 ? { kind: 'not-json' } : { kind: 'not-json', diagnostic: takeFinding() });
      continue;
    }
    const found: ParseDiagnostic[] = [];
    for (let k = 0; k < count; k++) found.push(takeFinding());
    const stix20 = (kind & Kind.Stix20) !== 0;
    if ((kind & Kind.Note) === 0) {
      out.push({ kind: 'judged', found, stix20 });
      continue;
    }
    // The members in the order versionNoteOf gives them.
    const note: { -readonly [K in keyof VersionNote]: VersionNote[K] } = { id: strings[s++] as string };
    if ((kind & Kind.Modified) !== 0) note.modified = strings[s++] as string;
    if ((kind & Kind.Digest) !== 0) note.digest = strings[s++] as string;
    if ((kind & Kind.Language) !== 0) note.languageContent = { ref: strings[s++] as string, modified: strings[s++] as string };
    out.push((kind & Kind.NoteAt) === 0 ? { kind: 'judged', found, stix20, note } : { kind: 'judged', found, stix20, note, noteAt: noteAt[i] as number });
  }
  return out;
}

import { jsonTextOf } from '../stix/source-text.js';
import { ConvertContext } from './context.js';
import type { ConvertOptions } from './context.js';
import { csvColumns, csvHeader, csvLine } from './csv.js';
import type { CsvColumn, CsvOptions } from './csv.js';
import { ecsLines } from './ecs.js';
import type { EcsOptions } from './ecs.js';
import { ConvertOptionsError } from './errors.js';
import { flatten } from './flatten.js';
import type { FlattenIssueCode, IndicatorRow } from './row.js';
import { SentinelBatcher } from './sentinel.js';
import type { SentinelBatch, SentinelOptions } from './sentinel.js';
import { toSplunkKvRow } from './splunk.js';
import { readStixObjects } from './stix-stream.js';
import type { StixRecord, StixStreamOptions, TextSource } from './stix-stream.js';
import { isListSafe, matchesListSelector, valueListName } from './values.js';

/** Output formats of {@link Converter}. */
export const CONVERT_FORMATS = ['ecs', 'sentinel', 'splunk', 'csv', 'values', 'rows', 'ndjson'] as const;
/**
 * `ecs`: ECS NDJSON (bulk-ready with `bulkIndex`); `sentinel`: upload-API request bodies, one per line; `splunk`: ES KV
 * rows as NDJSON; `csv`: CSV of rows with a header; `values`: one value a line; `rows`: the normalised rows as NDJSON;
 * `ndjson`: the STIX objects themselves, one a line.
 */
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];

/** Something a converter could not convert, with enough to find it in the input. */
export interface ConvertIssue {
  /** A flatten issue code, or `unreadable` for input that is not a JSON object, or `unsafe-value`. */
  readonly code: FlattenIssueCode | 'unreadable' | 'unsafe-value';
  readonly message: string;
  /** 0-based position of the record in the input. */
  readonly record?: number;
  /** Where the record starts in the input text (1-based), when it was read from text. */
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer of the record in its document (`/objects/3` of a bundle, `''` for an NDJSON line). */
  readonly pointer?: string;
  readonly stix_id?: string;
  readonly fragment?: string;
}

/** Counts kept while converting; printed by the CLI at the end. */
export interface ConvertSummary {
  /** Records read (objects and unreadable pieces). */
  records: number;
  /** JSON objects read. */
  objects: number;
  /** Indicators among them. */
  indicators: number;
  /** Rows flattened from the indicators (row-based formats). */
  rows: number;
  /** Output units written: documents, rows, lines, objects or batches depending on the format. */
  written: number;
  /** Rows not active (revoked, expired, not yet valid): marked in the output, or left out of value lists. */
  inactive: number;
  /** Records that were not JSON objects. */
  unreadable: number;
  /** Flatten issues reported (patterns or parts of patterns left out, with reasons). */
  issues: number;
  /** Things left out on purpose, by reason, e.g. `sentinel-type:campaign`, `splunk-no-collection:prompt-fingerprint.lsh_bands`. */
  readonly skipped: Record<string, number>;
}

/** Options of {@link Converter}: the format, then the options of that format. */
export interface ConverterOptions extends ConvertOptions, EcsOptions, SentinelOptions, CsvOptions {
  readonly to: ConvertFormat;
  /** For `values`: the lists to write (names from `valueListName`, or `ip`, `all`); default all. */
  readonly lists?: readonly string[];
  /** For `csv`: write the header line (default true). */
  readonly header?: boolean;
  /** Called for each issue as it is found; issues are never dropped silently, but a caller may choose not to print them. */
  readonly onIssue?: (issue: ConvertIssue) => void;
  /** For `values`: called with each written row's list name, for callers that route lists to files. */
  readonly onValue?: (list: string, value: string, row: IndicatorRow) => void;
}

const ROW_FORMATS: ReadonlySet<ConvertFormat> = new Set(['ecs', 'splunk', 'csv', 'values', 'rows']);

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * Converts a stream of STIX objects, one object at a time, to one output format. Long-lived state is small and
 * bounded: the identity/marking context and, for Sentinel, one pending batch.
 *
 * @throws ConvertOptionsError from the constructor when the options do not fit the format.
 */
export class Converter {
  readonly summary: ConvertSummary = {
    records: 0,
    objects: 0,
    indicators: 0,
    rows: 0,
    written: 0,
    inactive: 0,
    unreadable: 0,
    issues: 0,
    skipped: {},
  };
  private readonly context: ConvertContext;
  private readonly batcher: SentinelBatcher | undefined;
  private readonly columns: readonly CsvColumn[] | undefined;
  private headerPending: boolean;

  constructor(private readonly options: ConverterOptions) {
    if (!(CONVERT_FORMATS as readonly string[]).includes(options.to)) {
      throw new ConvertOptionsError(`unknown format '${String(options.to)}'; formats are ${CONVERT_FORMATS.join(', ')}`);
    }
    this.context = new ConvertContext(options);
    this.batcher = options.to === 'sentinel' ? new SentinelBatcher(options) : undefined;
    this.columns = options.to === 'csv' ? csvColumns(options) : undefined;
    this.headerPending = options.to === 'csv' && options.header !== false;
    if (options.bulkIndex !== undefined && options.bulkIndex.trim() === '') {
      throw new ConvertOptionsError('the bulk index name must not be empty');
    }
  }

  /** Text that starts the output (the CSV header); '' for other formats. Called by {@link write} if not before. */
  begin(): string {
    if (!this.headerPending || this.columns === undefined) return '';
    this.headerPending = false;
    return csvHeader(this.columns);
  }

  /** Converts one record read from the input. */
  writeRecord(record: StixRecord): string {
    this.#place = {
      ...(record.line === undefined ? {} : { line: record.line }),
      ...(record.column === undefined ? {} : { column: record.column }),
      ...(record.pointer === undefined ? {} : { pointer: record.pointer }),
    };
    try {
      if (record.kind === 'error') {
        this.summary.records++;
        this.summary.unreadable++;
        this.#report({ code: 'unreadable', message: record.message }, record.index);
        return '';
      }
      return this.write(record.object, record.index);
    } finally {
      this.#place = {};
    }
  }

  /** Where the record being written was read, for its issues. */
  #place: Pick<ConvertIssue, 'line' | 'column' | 'pointer'> = {};

  #report(issue: ConvertIssue, record: number | undefined): void {
    this.options.onIssue?.({ ...issue, ...(record === undefined ? {} : { record }), ...this.#place });
  }

  /** Converts one STIX object and returns the text it adds to the output ('' when it adds none). */
  write(obj: Record<string, unknown>, record?: number): string {
    this.summary.records++;
    this.summary.objects++;
    let out = this.begin();
    this.context.observe(obj);
    const type = obj['type'];
    if (type === 'indicator') this.summary.indicators++;

    if (this.options.to === 'ndjson') {
      this.summary.written++;
      // The object's own text (numbers and escapes as the producer wrote them), on one line.
      return out + jsonTextOf(obj, true) + '\n';
    }
    if (this.batcher !== undefined) {
      if (!this.batcher.accepts(type)) {
        bump(this.summary.skipped, `sentinel-type:${typeof type === 'string' ? type : '(none)'}`);
        return out;
      }
      if (type === 'indicator' && this.refusesValues(obj, record)) {
        bump(this.summary.skipped, 'sentinel-invalid-value');
        return out;
      }
      const batch = this.batcher.add(obj);
      return batch === undefined ? out : out + this.batchLine(batch);
    }
    if (!ROW_FORMATS.has(this.options.to)) return out;
    if (type !== 'indicator') {
      bump(this.summary.skipped, `not-indicator:${typeof type === 'string' ? type : '(none)'}`);
      return out;
    }
    const { rows, issues } = flatten(obj, this.context);
    for (const issue of issues) {
      this.summary.issues++;
      this.#report(issue, record);
    }
    for (const row of rows) {
      this.summary.rows++;
      if (row.status !== 'active') this.summary.inactive++;
      out += this.renderRow(row, record);
    }
    return out;
  }

  /**
   * Sentinel reads the indicator's pattern itself, so a defanged or malformed value cannot be repaired in a row: the
   * whole indicator is held back and each bad value reported (refanging applies to row formats only).
   */
  private refusesValues(obj: Record<string, unknown>, record: number | undefined): boolean {
    const bad = flatten(obj, new ConvertContext({ now: new Date(this.context.nowMs) })).issues.filter(
      (i) => i.code === 'value-defanged' || i.code === 'value-malformed',
    );
    for (const issue of bad) {
      this.summary.issues++;
      this.#report(issue, record);
    }
    return bad.length > 0;
  }

  /** Text that ends the output: the last partial Sentinel batch, or a CSV header when nothing was written. */
  end(): string {
    let out = this.begin();
    const batch = this.batcher?.flush();
    if (batch !== undefined) out += this.batchLine(batch);
    return out;
  }

  private batchLine(batch: SentinelBatch): string {
    this.summary.written++;
    return JSON.stringify(batch) + '\n';
  }

  private renderRow(row: IndicatorRow, record: number | undefined): string {
    switch (this.options.to) {
      case 'ecs':
        this.summary.written++;
        return ecsLines(row, this.options);
      case 'rows':
        this.summary.written++;
        return JSON.stringify(row) + '\n';
      case 'csv':
        this.summary.written++;
        return csvLine(row, this.columns ?? [], this.options.guardFormulas !== false);
      case 'splunk': {
        const kv = toSplunkKvRow(row);
        if (kv === undefined) {
          bump(this.summary.skipped, `splunk-no-collection:${valueListName(row)}`);
          return '';
        }
        this.summary.written++;
        return JSON.stringify(kv) + '\n';
      }
      case 'values': {
        const list = valueListName(row);
        const selectors = this.options.lists ?? ['all'];
        if (!selectors.some((s) => matchesListSelector(list, s))) {
          bump(this.summary.skipped, `values-other-list:${list}`);
          return '';
        }
        if (row.status !== 'active') {
          bump(this.summary.skipped, `values-${row.status}`);
          return '';
        }
        if (!isListSafe(row.value)) {
          this.summary.issues++;
          this.#report({ code: 'unsafe-value', message: 'a value with control characters was left out of the list', stix_id: row.stix_id }, record);
          return '';
        }
        this.summary.written++;
        this.options.onValue?.(list, row.value, row);
        return row.value + '\n';
      }
      default:
        return '';
    }
  }
}

/** Output is handed on in chunks of about this many characters, not one string per object. */
const CHUNK = 64 * 1024;

/**
 * Converts records (from {@link readStixObjects} or {@link recordsFromObjects}) to output text, yielded in chunks of
 * about 64 KiB. Memory stays bounded whatever the input length. The converter is exposed so the caller can read its
 * summary when the generator is done.
 */
export async function* convertRecords(records: AsyncIterable<StixRecord>, converter: Converter): AsyncGenerator<string> {
  let buffer = converter.begin();
  for await (const record of records) {
    buffer += converter.writeRecord(record);
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  buffer += converter.end();
  if (buffer !== '') yield buffer;
}

/**
 * Reads STIX text or bytes of any size (NDJSON, bundles, envelopes, arrays; see `readStixObjects`) and yields the
 * converted output in chunks. For the summary, build the {@link Converter} yourself and use {@link convertRecords}.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { convert } from 'distill-intel/convert';
 * for await (const chunk of convert(createReadStream('feed.json'), { to: 'ecs', feedName: 'FMF hub' })) {
 *   process.stdout.write(chunk);
 * }
 * ```
 */
export function convert(source: TextSource, options: ConverterOptions & StixStreamOptions): AsyncGenerator<string> {
  return convertRecords(readStixObjects(source, options), new Converter(options));
}

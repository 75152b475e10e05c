import { randomUUID } from 'node:crypto';
import { formatLocation } from '../stix/location.js';
import { once } from 'node:events';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Converter } from '../convert/converter.js';
import type { ConverterOptions } from '../convert/converter.js';
import { ConvertOptionsError } from '../convert/errors.js';
import type { Diagnostic } from '../stix/diagnostic.js';
import { jsonTextOf } from '../stix/source-text.js';
import type { MatchFilters, SyncOptions, TaxiiClient } from '../taxii/client/index.js';
import { TaxiiHttpError } from '../taxii/client/index.js';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from './checkpoint-file.js';
import type { PullCheckpoint } from './checkpoint-file.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ConnectionError, connectClient, parseConnectionArgs, resolveCollection } from './connection-options.js';
import { formatIssue } from './convert.js';
import { IssueTally, issueFormatFor, issueOutput, reasonsLine, summaryLine } from './convert-summary.js';
import { describeFailure } from './failure.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { Progress } from './progress.js';
import { verifyObject } from '../provenance/verify.js';
import { trustOption, verdictLine } from './trust-option.js';

/** `distill-intel pull --help`. */
export const PULL_HELP = `Usage: distill-intel pull --url <url> --collection <c> [options]

Reads objects from a TAXII 2.1 collection, page by page, and writes them as STIX or as what a SIEM ingests. With
--follow it keeps polling for what is added; with --checkpoint a restart resumes exactly where the last run stopped.

${CONNECTION_HELP}

Selection:
  --match <field=v1,v2>    TAXII match filter; fields: type, id, version, spec_version. Repeatable.
                           e.g. --match type=indicator,campaign  --match version=all
  --since <timestamp>      only objects the server added after this instant (first run; a checkpoint wins)
  --limit <n>              page size asked of the server
  --validate <mode>        off (default), lenient or strict: check each object with the STIX 2.1 validator;
                           invalid ones are left out and reported on stderr (exit 1 at the end)
  --verify                 check each object's X.590 signatures against --trust (see "distill-intel verify"):
                           objects not trusted are left out and reported on stderr (exit 1 at the end)
  --trust <file>           the trust store --verify checks against (required with --verify)
  --untrusted drop|flag    with --verify: drop (default) or keep but report what is not trusted

Output:
  --format <f>             stix (one bundle; not with --follow), ndjson (one STIX object a line, the default),
                           ecs, splunk, csv, sentinel, rows (see "distill-intel convert --help")
  --out <file>             write to a file instead of stdout (appended to across runs with --checkpoint)
  --feed-name <name>       ecs: threat.feed.name
  --bulk-index <index>     ecs: write an Elasticsearch _bulk body for this index
  --source-system <name>   sentinel: sourcesystem
  --columns <c1,c2>        csv: columns
  --refang                 row formats: restore defanged values before checking them (see "convert --help")

Running:
  --checkpoint <file>      keep the position here (written atomically after each page is written out); a restart
                           resumes after the last checkpointed page. With --out, output written after the last
                           checkpoint by a killed run is cut off on restart, so nothing is duplicated or lost.
                           With stdout, a run killed hard (SIGKILL) mid-page may repeat that page on restart.
  --follow                 keep polling after catching up; stop with SIGINT/SIGTERM (the current page is finished
                           and checkpointed first)
  --interval <d>           wait between polls with --follow: 30s, 5m, 1h or seconds (default 60s)
  --verbose                row formats: one line per pattern that could not be flattened, and what was left
                           out by reason
  --issues text|json|none  row formats: report unflattenable patterns one by one on stderr, as text or JSON
                           lines (default: none, or text with --verbose)
  --progress / --no-progress  force the progress line on or off (default: on when stderr is a terminal)
  -h, --help               show this help

stderr ends with "pulled: <n> objects in <p> pages, checkpoint <timestamp>" (and, for row formats, the converter's
summary line). Exit codes: 0 done (or stopped by a signal), 1 --validate or --verify left out (or flagged) objects, 2 usage error or a checkpoint file that belongs to
another pull, 3 the server could not be reached or refused (with --follow, network errors are retried at each
interval; authentication and not-found errors end the run).
`;

const PULL_FORMATS = ['stix', 'ndjson', 'ecs', 'splunk', 'csv', 'sentinel', 'rows'] as const;
type PullFormat = (typeof PULL_FORMATS)[number];

const MATCH_FIELDS: Readonly<Record<string, keyof MatchFilters>> = {
  type: 'type',
  id: 'id',
  version: 'version',
  spec_version: 'specVersion',
};

/** Parses `--match field=v1,v2` flags into TAXII match filters (same field twice: values are merged). */
export function parseMatches(values: readonly string[]): MatchFilters {
  const out: Record<string, string[]> = {};
  for (const m of values) {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new UsageError(`--match takes field=value[,value...], not '${m}'`);
    const field = m.slice(0, eq).trim().replace(/^match\[(.*)\]$/, '$1');
    const key = MATCH_FIELDS[field];
    if (key === undefined) throw new UsageError(`--match field must be one of ${Object.keys(MATCH_FIELDS).join(', ')}, not '${field}'`);
    const list = m
      .slice(eq + 1)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (list.length === 0) throw new UsageError(`--match ${field}= needs at least one value`);
    out[key] = [...(out[key] ?? []), ...list];
  }
  return out as MatchFilters;
}

/** `30s`, `5m`, `1h`, `250ms` or plain seconds → milliseconds. */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new UsageError(`--interval must look like 30s, 5m, 1h or a number of seconds, not '${text}'`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (ms < 10) throw new UsageError('--interval must be at least 10ms');
  return Math.round(ms);
}

/** Where pulled output goes; `commit` makes what was written durable and says how long the file now is. */
interface PullOutput {
  write(text: string): Promise<void>;
  commit(): Promise<number>;
  close(): void;
  /** Bytes already in the file when the run started (for the CSV header decision). */
  readonly startBytes: number;
}

function stdoutOutput(io: CliIo): PullOutput {
  const out = io.stdout as CliIo['stdout'] & { once?: unknown };
  let written = 0;
  return {
    startBytes: 0,
    async write(text) {
      if (text === '') return;
      written += Buffer.byteLength(text);
      if (out.write(text) === false && typeof out.once === 'function') await once(out as unknown as NodeJS.EventEmitter, 'drain');
    },
    async commit() {
      return written;
    },
    close() {},
  };
}

/**
 * File output. With a checkpoint that recorded this file, the file is cut back to the recorded length (dropping what a
 * killed run wrote after its last checkpoint); a file shorter than recorded is taken as rotated and appended to.
 */
function fileOutput(path: string, keepBytes: number | undefined): PullOutput {
  const fd = openSync(path, keepBytes === undefined ? 'w' : 'a+');
  let size = fstatSync(fd).size;
  if (keepBytes !== undefined && size > keepBytes) {
    ftruncateSync(fd, keepBytes);
    size = keepBytes;
  }
  const startBytes = size;
  return {
    startBytes,
    async write(text) {
      if (text === '') return;
      const buf = Buffer.from(text);
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, size + off);
      size += buf.length;
    },
    async commit() {
      fsyncSync(fd);
      return size;
    },
    close() {
      closeSync(fd);
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolveSleep();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Programmatic extras of `pull` (tests, embedding): a signal that stops a `--follow` run like SIGTERM does. */
export interface PullExtras {
  readonly signal?: AbortSignal;
  /** Called after each page is written and checkpointed. */
  readonly onPage?: (info: { readonly objects: number; readonly checkpoint: string | undefined }) => void;
}

/** Runs `distill-intel pull`. */
export async function runPull(argv: string[], io: CliIo, extras: PullExtras = {}): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: false,
    options: {
      ...CONNECTION_OPTIONS,
      match: { type: 'string', multiple: true },
      since: { type: 'string' },
      limit: { type: 'string' },
      validate: { type: 'string', default: 'off' },
      verify: { type: 'boolean', default: false },
      trust: { type: 'string' },
      untrusted: { type: 'string', default: 'drop' },
      format: { type: 'string', default: 'ndjson' },
      out: { type: 'string' },
      'feed-name': { type: 'string' },
      'bulk-index': { type: 'string' },
      'source-system': { type: 'string' },
      columns: { type: 'string' },
      refang: { type: 'boolean', default: false },
      checkpoint: { type: 'string' },
      follow: { type: 'boolean', default: false },
      interval: { type: 'string' },
      issues: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
    },
  });
  const v = parsed.values;
  const conn = parseConnectionArgs(v, io);
  const format = v.format as PullFormat;
  if (!(PULL_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${PULL_FORMATS.join(', ')}, not '${String(v.format)}'`);
  const follow = v.follow === true;
  if (format === 'stix' && (follow || v.checkpoint !== undefined)) {
    throw new UsageError('--format stix writes one bundle and cannot be continued; use --format ndjson with --follow or --checkpoint');
  }
  if (v.interval !== undefined && !follow) throw new UsageError('--interval only applies with --follow');
  const intervalMs = v.interval === undefined ? 60_000 : parseInterval(v.interval);
  const verbose = v.verbose === true;
  const issuesFormat = issueOutput(v.issues, verbose);
  if (issuesFormat === undefined) throw new UsageError(`--issues must be text, json or none`);
  const match = parseMatches(v.match ?? []);
  const validateMode = v.validate;
  if (validateMode !== 'off' && validateMode !== 'lenient' && validateMode !== 'strict') throw new UsageError('--validate must be off, lenient or strict');
  let invalid = 0;
  const verify = v.verify === true;
  if (verify && v.trust === undefined) throw new UsageError('--verify needs --trust <file>: the keys of the producers you trust');
  if (!verify && v.trust !== undefined) throw new UsageError('--trust only applies with --verify');
  if (v.untrusted !== 'drop' && v.untrusted !== 'flag') throw new UsageError('--untrusted must be drop or flag');
  const dropUntrusted = v.untrusted === 'drop';
  const trust = trustOption(v.trust, io);
  let untrusted = 0;
  let limit: number | undefined;
  if (v.limit !== undefined) {
    limit = Number(v.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
  }
  let since: string | undefined;
  if (v.since !== undefined) {
    if (Number.isNaN(Date.parse(v.since)) || !/^\d{4}-\d{2}-\d{2}T/.test(v.since)) throw new UsageError(`--since must be an RFC 3339 timestamp, not '${v.since}'`);
    since = v.since;
  }

  const converterOptions: Record<string, unknown> = { to: format === 'stix' ? 'ndjson' : format };
  if (v['feed-name'] !== undefined) converterOptions['feedName'] = v['feed-name'];
  if (v['bulk-index'] !== undefined) converterOptions['bulkIndex'] = v['bulk-index'];
  if (v['source-system'] !== undefined) converterOptions['sourceSystem'] = v['source-system'];
  if (v.columns !== undefined) converterOptions['columns'] = v.columns.split(',').map((c) => c.trim());
  if (v.refang === true) converterOptions['refang'] = true;
  const queryKey = JSON.stringify({ match, format, limit: limit ?? null });

  const checkpointPath = v.checkpoint === undefined ? undefined : resolve(io.cwd, v.checkpoint);
  const outPath = v.out === undefined || v.out === '-' ? undefined : resolve(io.cwd, v.out);
  let state: PullCheckpoint | undefined;
  try {
    state = checkpointPath === undefined ? undefined : loadCheckpoint(checkpointPath);
  } catch (err) {
    if (err instanceof CheckpointError) throw new UsageError(err.message);
    throw err;
  }
  if (state !== undefined && state.query !== queryKey) {
    throw new UsageError(`checkpoint file ${v.checkpoint ?? ''} belongs to a pull with other filters or format (${state.query}); use another file`);
  }

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  extras.signal?.addEventListener('abort', stop, { once: true });
  if (extras.signal?.aborted === true) stop();
  const signals = follow && extras.signal === undefined;
  if (signals) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  const progressOption = v['no-progress'] === true ? { disabled: true } : v.progress === true ? { force: true } : {};
  const progress = new Progress(io.stderr, 'objects', progressOption);

  let client: TaxiiClient | undefined;
  let output: PullOutput | undefined;
  let pulled = 0;
  let pages = 0;
  let checkpoint = state?.checkpoint ?? since;
  let converter: Converter | undefined;
  const tally = new IssueTally();
  // Set once pages are being read, so a failure can say which page and what was already written.
  let listing = false;
  try {
    client = await connectClient(conn, io);
    const { collection } = await resolveCollection(client, conn.collection);
    const collectionId = await collection.id();
    if (state !== undefined && state.collection !== collectionId) {
      throw new UsageError(`checkpoint file ${v.checkpoint ?? ''} belongs to collection ${state.collection}, not ${collectionId}`);
    }
    const keep = state?.out !== undefined && outPath !== undefined && state.out.path === outPath ? state.out.bytes : undefined;
    output = outPath === undefined ? stdoutOutput(io) : fileOutput(outPath, checkpointPath === undefined ? undefined : (keep ?? 0));
    try {
      converter = new Converter({
        ...(converterOptions as unknown as ConverterOptions),
        ...(format === 'csv' && output.startBytes > 0 ? { header: false } : {}),
        onIssue: (issue) => {
          tally.add(issue);
          const shown = issueFormatFor(issue, issuesFormat);
          if (shown === undefined) return;
          progress.clear();
          io.stderr.write(formatIssue('pull', issue, shown));
        },
      });
    } catch (err) {
      if (err instanceof ConvertOptionsError) throw new UsageError(err.message);
      throw err;
    }
    const out = output;
    const conv = converter;
    let bundleStarted = false;
    await out.write(conv.begin());

    for (;;) {
      const syncOptions: Record<string, unknown> = { signal: controller.signal };
      if (validateMode !== 'off') {
        syncOptions['validate'] = validateMode;
        syncOptions['onInvalid'] = 'skip';
        syncOptions['onDiagnostics'] = (obj: Readonly<Record<string, unknown>>, diagnostics: readonly Diagnostic[]): void => {
          const first = diagnostics.find((d) => d.severity === 'error');
          if (first === undefined) return;
          invalid++;
          progress.clear();
          io.stderr.write(`distill-intel pull: left out invalid ${String(obj['id'] ?? '(no id)')}: ${formatLocation({ pointer: first.path })}: ${first.code}: ${first.message}\n`);
        };
      }
      if (checkpoint !== undefined) syncOptions['checkpoint'] = checkpoint;
      if (Object.keys(match).length > 0) syncOptions['match'] = match;
      if (limit !== undefined) syncOptions['limit'] = limit;
      try {
        listing = true;
        const run = collection.sync(syncOptions as SyncOptions);
        for await (const page of run.pages()) {
          let text = '';
          const objects = !verify
            ? page.objects
            : page.objects.filter((obj) => {
                const o = obj as unknown as Record<string, unknown>;
                const verdict = verifyObject(o, trust === undefined ? {} : { trust });
                if (verdict.trusted) return true;
                untrusted++;
                progress.clear();
                io.stderr.write(`distill-intel pull: ${dropUntrusted ? 'left out' : 'flagged'} untrusted ${verdictLine(o, verdict)}\n`);
                return !dropUntrusted;
              });
          if (format === 'stix') {
            for (const obj of objects) {
              text += (bundleStarted ? ',' : `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`) + jsonTextOf(obj);
              bundleStarted = true;
            }
          } else {
            for (const obj of objects) text += conv.write(obj as unknown as Record<string, unknown>);
            text += conv.end();
          }
          await out.write(text);
          const bytes = await out.commit();
          checkpoint = page.checkpoint;
          pulled += page.objects.length;
          pages++;
          if (checkpointPath !== undefined) {
            saveCheckpoint(checkpointPath, {
              version: 1,
              collection: collectionId,
              query: queryKey,
              ...(checkpoint !== undefined ? { checkpoint } : {}),
              ...(outPath !== undefined ? { out: { path: outPath, bytes } } : {}),
              updated: new Date().toISOString(),
            });
          }
          extras.onPage?.({ objects: page.objects.length, checkpoint });
          progress.update({ count: pulled, extra: { pages } });
          if (controller.signal.aborted) break;
        }
      } catch (err) {
        if (controller.signal.aborted) break;
        const permanent = !follow || (err instanceof TaxiiHttpError && [400, 401, 403, 404, 406, 415].includes(err.httpStatus)) || err instanceof ConnectionError;
        if (permanent) throw err;
        progress.clear();
        io.stderr.write(`distill-intel pull: ${describeFailure(err)}; retrying in ${Math.round(intervalMs / 1000)}s\n`);
      }
      if (!follow || controller.signal.aborted) break;
      await sleep(intervalMs, controller.signal);
      if (controller.signal.aborted) break;
    }
    if (format === 'stix') {
      await out.write(bundleStarted ? ']}\n' : `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[]}\n`);
      await out.commit();
    }
  } catch (err) {
    progress.clear();
    output?.close();
    await client?.close();
    if (signals) {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
    if (err instanceof UsageError) throw err;
    const where = listing ? `page ${pages + 1} failed: ` : '';
    io.stderr.write(`distill-intel pull: ${where}${describeFailure(err)}\n`);
    // Nothing written and no checkpoint file: there is nothing to resume, and "0 objects were written" reads as a run.
    if (listing && (pages > 0 || v.checkpoint !== undefined)) io.stderr.write(resumeHint(pulled, pages, checkpoint, v.checkpoint));
    return EXIT.failure;
  }
  progress.clear();
  output.close();
  await client.close();
  if (signals) {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  io.stderr.write(`pulled: ${pulled} objects in ${pages} pages, checkpoint ${checkpoint ?? '(none)'}\n`);
  if (converter !== undefined && format !== 'stix' && format !== 'ndjson') {
    if (verbose) io.stderr.write(reasonsLine(converter.summary, tally));
    const context = { command: 'converted', to: format, destination: outPath === undefined ? 'stdout' : (v.out ?? outPath), issues: tally, verbose };
    io.stderr.write(summaryLine(converter.summary, context));
  }
  if (invalid > 0) io.stderr.write(`${invalid} invalid object${invalid === 1 ? ' was' : 's were'} left out\n`);
  if (untrusted > 0) io.stderr.write(`${untrusted} untrusted object${untrusted === 1 ? ' was' : 's were'} ${dropUntrusted ? 'left out' : 'flagged'}\n`);
  return invalid > 0 || untrusted > 0 ? EXIT.findings : EXIT.ok;
}

/** What a failed pull had written, and how a re-run continues from there instead of starting over. */
function resumeHint(pulled: number, pages: number, checkpoint: string | undefined, checkpointFile: string | undefined): string {
  const written = `${pulled} object${pulled === 1 ? '' : 's'} from ${pages} page${pages === 1 ? '' : 's'} were written before it`;
  if (checkpointFile !== undefined) {
    return `distill-intel pull: ${written}; ${checkpointFile} holds checkpoint ${checkpoint ?? '(none: from the start)'}: run the same command again to resume there\n`;
  }
  if (checkpoint === undefined) return `distill-intel pull: ${written}\n`;
  return `distill-intel pull: ${written}; to resume after them run again with --since ${checkpoint} (or keep the position with --checkpoint <file>)\n`;
}


import { createReadStream, statSync } from 'node:fs';
import { formatFindingLocation } from '../stix/location.js';
import { resolve } from 'node:path';
import { registerDistillationExtensions } from '../distillation/definitions.js';
import type { ParseDiagnostic } from '../stix/safe-json.js';
import { validateStream } from '../stix/validate-stream.js';
import type { JudgedObject } from '../stix/validate-stream.js';
import type { MergedStatus, TaxiiClient, TaxiiCollection } from '../taxii/client/index.js';
import { TaxiiObjectTooLargeError, TaxiiStatusTimeoutError } from '../taxii/client/index.js';
import type { StatusDetails } from '../taxii/protocol/resources.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectClient, parseConnectionArgs, resolveCollection } from './connection-options.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { describeFailure } from './failure.js';
import { Progress } from './progress.js';
import type { TrustStore } from '../provenance/trust-store.js';
import { verifyObject } from '../provenance/verify.js';
import { brokenSignatures, trustOption } from './trust-option.js';

/** `distill-intel push --help`. */
export const PUSH_HELP = `Usage: distill-intel push --url <url> --collection <c> [options] <files...|->

Sends STIX 2.1 objects to a TAXII 2.1 collection. Reads files or standard input ("-", the default) in the same forms
as "validate": single objects, bundles, TAXII envelopes, JSON arrays or NDJSON, of any size. Objects are sent in
envelopes that fit the API root's max_content_length, each as the exact text it was read from; each envelope's
status is polled until complete.

Every object is first judged by the validator "distill-intel validate" runs, with the same rules. An object with an
error (a MUST of STIX 2.1 broken, a broken pattern, a second version with the same id and modified, STIX 2.0 content)
is never sent: it is reported as failed with its codes, and the rest is sent, or, with --stop-on-invalid, nothing
after it is sent (the objects before it are). Warnings do not stop an object. Text that is not JSON is reported as
unreadable.

Prints a summary and every failure with the server's message:
  pushed: <read> read, <sent> sent in <n> requests: <s> succeeded, <f> failed, <p> pending
  failed <id> <version>: <message>
(--format json prints one JSON object with the same content.)

${CONNECTION_HELP}

Signatures: an object carrying X.590 "signatures" is checked before it is sent; one whose signatures no longer
verify (changed content, a broken or malformed signature) is never sent and is reported as failed. With --trust,
only objects trusted by that store are sent (what a collection with requireSignatures accepts).

Options:
  --trust <file>           send only objects whose signatures the trust store trusts (see "distill-intel verify")
  --stop-on-invalid        stop at the first object the validator refuses (or unreadable text): send nothing after it
  --format text|json       output format (default text)
  --batch <n>              objects handed to the client at a time (default 5000; bounds memory)
  --no-wait                do not poll statuses; report what the server answered (often pending)
  --wait-timeout <s>       give up waiting for a status after this many seconds (default 60)
  --progress / --no-progress  force the progress line on or off (default: on when stderr is a terminal)
  -h, --help               show this help

Exit codes: 0 every object succeeded, 1 some object failed (on the server, or refused by the validator), is still
pending, or was not readable JSON,
2 usage error, 3 the server could not be reached or refused the request (authentication, unknown collection...).
`;

/** What a push did. */
export interface PushReport {
  read: number;
  sent: number;
  requests: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  failures: StatusDetails[];
  pendings: StatusDetails[];
  /** Input pieces that were not JSON objects (`input#record: message`). */
  unreadable: string[];
  status_ids: string[];
}

function emptyReport(): PushReport {
  return { read: 0, sent: 0, requests: 0, success_count: 0, failure_count: 0, pending_count: 0, failures: [], pendings: [], unreadable: [], status_ids: [] };
}

function absorb(report: PushReport, status: MergedStatus): void {
  report.requests += status.ids.length;
  report.success_count += status.success_count;
  report.failure_count += status.failure_count;
  report.pending_count += status.pending_count;
  report.failures.push(...status.failures);
  report.pendings.push(...status.pendings);
  report.status_ids.push(...status.ids);
}

function versionOf(o: Record<string, unknown>): string {
  const v = o['modified'] ?? o['created'];
  return typeof v === 'string' ? v : '';
}

/** Sends one batch; an object too large for any envelope is reported as failed and the rest is sent. */
async function sendBatch(
  collection: TaxiiCollection,
  batch: Record<string, unknown>[],
  report: PushReport,
  wait: boolean,
  waitTimeoutMs: number,
): Promise<void> {
  let pending = batch;
  while (pending.length > 0) {
    try {
      const status = await collection.addObjects(pending, { wait: wait ? { timeoutMs: waitTimeoutMs } : false });
      report.sent += pending.length;
      absorb(report, status);
      return;
    } catch (err) {
      if (err instanceof TaxiiObjectTooLargeError) {
        const bad = pending[err.index] ?? {};
        report.failure_count++;
        report.failures.push({
          id: typeof bad['id'] === 'string' ? bad['id'] : '(no id)',
          version: versionOf(bad),
          message: `not sent: ${err.bytes} bytes, larger than the server's max_content_length of ${err.maxContentLength}`,
        });
        pending = pending.filter((_, i) => i !== err.index);
        continue;
      }
      if (err instanceof TaxiiStatusTimeoutError) {
        report.sent += pending.length;
        const s = err.status;
        report.requests += s.id.split(',').length;
        report.success_count += s.success_count;
        report.failure_count += s.failure_count;
        report.pending_count += s.pending_count;
        report.failures.push(...(s.failures ?? []));
        report.pendings.push(...(s.pendings ?? []));
        report.status_ids.push(...s.id.split(','));
        return;
      }
      throw err;
    }
  }
}

/** Key of an object version, as status failures name it (id and version). */
function versionKey(id: unknown, version: unknown): string {
  return `${String(id)}\u0000${String(version)}`;
}

/**
 * Names the objects of failures added since `from` by where they are in the user's files: the server's message
 * points into the envelope it received (`objects/12: ...`), which means nothing to someone looking at their file.
 */
function placeFailures(report: PushReport, from: number, places: ReadonlyMap<string, string>): void {
  for (let i = from; i < report.failures.length; i++) {
    const f = report.failures[i] as StatusDetails;
    // Objects without `modified` (SCOs) have a version the server makes up: fall back to the id.
    const place = places.get(versionKey(f.id, f.version)) ?? places.get(String(f.id));
    if (place === undefined) continue;
    report.failures[i] = { ...f, message: `${place}: ${(f.message ?? '(the server gave no message)').replace(/^objects\/\d+: /, '')}` };
  }
}

/**
 * Why an object must not be sent, if it must not: signatures that can never verify anywhere, or (with a trust store)
 * an object that store does not trust.
 */
function wouldNotVerify(obj: Record<string, unknown>, trust: TrustStore | undefined): string | undefined {
  if (trust === undefined && obj['signatures'] === undefined) return undefined;
  const verdict = verifyObject(obj, trust === undefined ? {} : { trust });
  if (verdict.trusted) return undefined;
  if (trust !== undefined || brokenSignatures(verdict)) return `${verdict.reason ?? 'untrusted'}: ${verdict.message}`;
  return undefined;
}

/** Why the validator refuses an object: its error codes and the first error's message. */
function invalidReason(o: JudgedObject): string {
  const errors = o.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return 'STIX 2.0 content (stix-2.0-content): convert it with "distill-intel upgrade" first';
  const codes = [...new Set(errors.map((d) => d.code))].join(', ');
  const first = errors[0] as ParseDiagnostic;
  // The message is printed after the first error's own location.
  return `invalid (${codes}): ${first.message}`;
}

function textReport(r: PushReport): string {
  let out = `pushed: ${r.read} read, ${r.sent} sent in ${r.requests} request${r.requests === 1 ? '' : 's'}: ${r.success_count} succeeded, ${r.failure_count} failed, ${r.pending_count} pending\n`;
  for (const f of r.failures) out += `failed ${f.id} ${f.version}: ${f.message ?? '(the server gave no message)'}\n`;
  for (const p of r.pendings) out += `pending ${p.id} ${p.version}\n`;
  for (const u of r.unreadable) out += `unreadable ${u}\n`;
  return out;
}

/** Runs `distill-intel push`. */
export async function runPush(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      format: { type: 'string', default: 'text' },
      trust: { type: 'string' },
      batch: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      'wait-timeout': { type: 'string' },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      'stop-on-invalid': { type: 'boolean', default: false },
    },
  });
  const v = parsed.values;
  const conn = parseConnectionArgs(v, io);
  const stopOnInvalid = v['stop-on-invalid'] === true;
  // Objects of the distillation suite are judged by its schemas, as `validate` judges them.
  registerDistillationExtensions();
  const format = v.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const batchSize = v.batch === undefined ? 5000 : Number(v.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError('--batch must be a positive integer');
  let waitTimeoutMs = 60_000;
  if (v['wait-timeout'] !== undefined) {
    const s = Number(v['wait-timeout']);
    if (!Number.isFinite(s) || s <= 0) throw new UsageError('--wait-timeout must be a positive number of seconds');
    waitTimeoutMs = Math.round(s * 1000);
  }
  const trust = trustOption(v.trust, io);
  const names = parsed.positionals.length === 0 ? ['-'] : parsed.positionals;
  let totalBytes = 0;
  for (const name of names) {
    if (name === '-') continue;
    try {
      const st = statSync(resolve(io.cwd, name));
      if (st.isDirectory()) {
        io.stderr.write(`distill-intel push: ${name}: cannot read: is a directory\n`);
        return EXIT.failure;
      }
      totalBytes += st.size;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr.write(`distill-intel push: ${name}: cannot read: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}\n`);
      return EXIT.failure;
    }
  }
  const knownTotal = !names.includes('-');
  const progressOption = v['no-progress'] === true ? { disabled: true } : v.progress === true ? { force: true } : {};
  const progress = new Progress(io.stderr, 'objects', progressOption);

  let client: TaxiiClient | undefined;
  const report = emptyReport();
  try {
    client = await connectClient(conn, io);
    const { collection } = await resolveCollection(client, conn.collection);
    let bytesDone = 0;
    let stopped = false;
    for (const name of names) {
      if (stopped) break;
      const stream = name === '-' ? io.stdin : createReadStream(resolve(io.cwd, name));
      let batch: Record<string, unknown>[] = [];
      // Where each object of the batch sits in its file, to name it so in failures.
      let places = new Map<string, string>();
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const b = batch;
        const p = places;
        batch = [];
        places = new Map();
        const from = report.failures.length;
        await sendBatch(collection, b, report, v['no-wait'] !== true, waitTimeoutMs);
        placeFailures(report, from, p);
        progress.update({
          count: report.sent,
          ...(knownTotal ? { done: bytesDone, total: totalBytes } : {}),
          extra: { succeeded: report.success_count, failed: report.failure_count },
        });
      };
      // The validator judges synchronously as text arrives; what it judged is sent between chunks.
      const judged: JudgedObject[] = [];
      const own = new WeakSet<ParseDiagnostic>();
      const drain = async (): Promise<void> => {
        for (const o of judged.splice(0)) {
          if (stopped) return;
          report.read++;
          const obj = o.value as Record<string, unknown>;
          const isObject = obj !== null && typeof obj === 'object' && !Array.isArray(obj);
          const refusal = !o.clean ? invalidReason(o) : isObject ? wouldNotVerify(obj, trust) : undefined;
          // Where the object is in the file (NDJSON: its line; a bundle: line, column and /objects/<i>).
          const place = formatFindingLocation({ path: o.pointer, line: o.line, ...(o.column === undefined ? {} : { column: o.column }), ...(o.record === undefined ? {} : { record: o.record }) }, name);
          if (refusal !== undefined || !isObject) {
            report.failure_count++;
            const id = isObject && typeof obj['id'] === 'string' ? obj['id'] : '(no id)';
            const firstError = o.clean ? undefined : o.diagnostics.find((d) => d.severity === 'error');
            const at = firstError === undefined ? place : formatFindingLocation(firstError, name);
            report.failures.push({ id, version: isObject ? versionOf(obj) : '', message: `${at}: not sent: ${refusal ?? 'not a JSON object'}` });
            if (stopOnInvalid && !o.clean) {
              await flush();
              stopped = true;
              return;
            }
            continue;
          }
          places.set(versionKey(obj['id'], versionOf(obj)), place);
          places.set(String(obj['id']), place);
          batch.push(obj);
          if (batch.length >= batchSize) await flush();
        }
      };
      const counted = (async function* () {
        for await (const chunk of stream as AsyncIterable<string | Buffer>) {
          bytesDone += chunk.length;
          yield chunk;
          await drain();
          if (stopped) return;
        }
      })();
      await validateStream(counted, {
        positions: true,
        onObject: (o) => {
          for (const d of o.diagnostics) own.add(d);
          judged.push(o);
        },
        onDiagnostic: (d) => {
          // Findings about the input rather than one judged object: text that is not JSON, the bundle's own properties.
          if (own.has(d) || d.severity !== 'error' || stopped) return;
          report.unreadable.push(`${formatFindingLocation(d, name)}: ${d.code}: ${d.message}`);
          if (stopOnInvalid) stopped = true;
        },
      });
      await drain();
      await flush();
    }
  } catch (err) {
    progress.clear();
    io.stderr.write(`distill-intel push: ${describeFailure(err)}\n`);
    // A summary only reports work that happened: "0 read, 0 sent" after a refused login would read as a run.
    if (format === 'json') io.stdout.write(JSON.stringify(report) + '\n');
    else if (report.sent > 0) io.stdout.write(`stopped after part of the push:\n${textReport(report)}`);
    await client?.close();
    return err instanceof UsageError ? EXIT.usage : EXIT.failure;
  }
  progress.clear();
  await client?.close();
  if (format === 'json') io.stdout.write(JSON.stringify(report) + '\n');
  else io.stdout.write(textReport(report));
  const clean = report.failure_count === 0 && report.pending_count === 0 && report.unreadable.length === 0;
  return clean ? EXIT.ok : EXIT.findings;
}

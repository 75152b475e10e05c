import { createReadStream, readFileSync, statSync } from 'node:fs';
import { formatLocation } from '../stix/location.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { matchTelemetry } from '../match/match-telemetry.js';
import type { MatchTelemetryResult } from '../match/match-telemetry.js';
import { DEFAULT_MIN_ACCOUNTS } from '../match/sightings.js';
import { signingKeyFromPem } from '../provenance/keys.js';
import type { SigningKey } from '../provenance/keys.js';
import { readStixObjects } from '../convert/stix-stream.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ConnectionError, connectClient, parseConnectionArgs, resolveCollection } from './connection-options.js';
import { describeFailure } from './failure.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { KEY_HELP, parseKeyOptions } from './key-options.js';
import { LAB_OPTIONS, badLinesText, labIdentity, telemetryOptions, telemetrySources } from './lab-options.js';

/** `distill-intel match --help`. */
export const MATCH_HELP = `Usage: distill-intel match (--intel <file> | --url <url> --collection <c>) --key <spec> [options] <logs...|->

Matches a peer's shared intelligence (indicators with STIX patterns, prompt fingerprints, shared observables and
pseudonymous account identifiers) against your own request telemetry (JSON Lines or OTLP JSON, gzip or not; "-"
reads standard input), and writes:
  - the sightings to send back (--out, default standard output): one STIX sighting per peer object seen, with
    counts, first/last seen and request-volume statistics; never an account id, address or prompt;
  - REPORT.json for yourself (--report): your raw account ids per matched object. Never share it.

Intelligence:
  --intel <file>           a bundle, an array of objects or TAXII envelopes (repeatable)
  --url/--collection ...   or read the collection of a TAXII 2.1 server (connection options below)

${KEY_HELP}

Options:
  --identity <file>        your lab's STIX identity (JSON); or
  --lab <name>             your lab's name (an identity with an id derived from the name is made)
  --provider <host>        your API host: a shared account pseudonym counts only when it names this provider
  --report <file>          write REPORT.json (raw account ids: keep it in the lab)
  --out <file>             write the sightings bundle here instead of standard output
  --push                   send the sightings to --url/--collection (or --push-collection on the same API root)
  --push-collection <c>    the collection to push to, when it is not the one read
  --min-accounts <n>       withhold sightings behind fewer accounts (default ${DEFAULT_MIN_ACCOUNTS})
  --min-similarity <x>     lowest estimated prompt similarity that counts, 0-1 (default 0.75)
  --scope account|all      combined patterns (AND, FOLLOWEDBY, qualifiers) over each account's requests or all
  --sign-key <pem>         sign each sighting as your identity (PKCS#8 PEM, Ed25519 or P-256)
  --no-cluster             report direct matches only (default: your own campaign detection runs alongside, and
                           the detected campaign behind each matched account is brought into REPORT.json)
  --map <file>             field map for telemetry with other field names (see "Finding campaigns")
  --format jsonl|otlp|auto telemetry format (default auto)
  -h, --help               show this help

${CONNECTION_HELP}

Exit codes: 0 done, 1 some telemetry input could not be read or some sighting was refused by the server,
2 usage error, 3 the server could not be reached or refused the request.
`;

function number(value: string | undefined, flag: string, check: (n: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`${flag} must be ${what}`);
  return n;
}

/** Runs `distill-intel match`. */
export async function runMatch(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      intel: { type: 'string', multiple: true },
      ...LAB_OPTIONS,
      push: { type: 'boolean', default: false },
      'push-collection': { type: 'string' },
      'min-accounts': { type: 'string' },
      'min-similarity': { type: 'string' },
      scope: { type: 'string' },
      'sign-key': { type: 'string' },
      'no-cluster': { type: 'boolean', default: false },
    },
  });
  const v = parsed.values;
  const keys = parseKeyOptions(v, io);
  const identity = labIdentity(v, io, 'who sighted');
  const fromServer = v.url !== undefined || v.collection !== undefined;
  if (v.intel === undefined && !fromServer) throw new UsageError('give the intelligence with --intel <file> or --url/--collection');
  if (v.intel !== undefined && fromServer && !v.push) throw new UsageError('give --intel or --url/--collection, not both (unless --push sends to the server)');
  if (v.push && !fromServer) throw new UsageError('--push needs --url and --collection');
  const minAccounts = number(v['min-accounts'], '--min-accounts', (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  const minSimilarity = number(v['min-similarity'], '--min-similarity', (n) => n > 0 && n <= 1, 'a number above 0 and at most 1');
  if (v.scope !== undefined && v.scope !== 'account' && v.scope !== 'all') throw new UsageError('--scope must be account or all');
  const readerOptions = telemetryOptions(v, io);
  let signingKey: SigningKey | undefined;
  if (v['sign-key'] !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(resolve(io.cwd, v['sign-key']), 'utf8');
    } catch (err) {
      throw new UsageError(`--sign-key ${v['sign-key']}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
      signingKey = signingKeyFromPem(pem, '--sign-key');
    } catch (err) {
      throw new UsageError(`--sign-key ${v['sign-key']}: ${(err as Error).message}`);
    }
  }
  const sources = telemetrySources(parsed.positionals, io);

  const conn = fromServer ? parseConnectionArgs(v, io) : undefined;
  let intel: unknown[];
  try {
    if (v.intel !== undefined) {
      intel = [];
      for (const name of v.intel) {
        try {
          if (statSync(resolve(io.cwd, name)).isDirectory()) throw new UsageError(`--intel ${name}: is a directory`);
        } catch (err) {
          if (err instanceof UsageError) throw err;
          throw new UsageError(`--intel ${name}: cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
        }
        for await (const record of readStixObjects(createReadStream(resolve(io.cwd, name)))) {
          if (record.kind === 'object') intel.push(record.object);
          else io.stderr.write(`intel ${formatLocation({ ...record, input: name })}: not read: ${record.message}\n`);
        }
      }
    } else {
      const { collection } = await resolveCollection(await connectClient(conn!, io), conn!.collection);
      intel = await collection.objects().toArray();
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stderr.write(`distill-intel match: ${err instanceof ConnectionError ? err.message : describeFailure(err)}\n`);
    return EXIT.failure;
  }

  let result: MatchTelemetryResult;
  try {
    result = await matchTelemetry({
      intel,
      keys,
      telemetry: sources,
      identity,
      reader: readerOptions,
      ...(v.provider === undefined ? {} : { provider: v.provider }),
      ...(minAccounts === undefined ? {} : { minAccounts }),
      ...(minSimilarity === undefined ? {} : { minSimilarity }),
      ...(v.scope === undefined ? {} : { scope: v.scope as 'account' | 'all' }),
      ...(signingKey === undefined ? {} : { signingKey }),
      cluster: v['no-cluster'] !== true,
    });
  } catch (err) {
    io.stderr.write(`distill-intel match: ${describeFailure(err)}\n`);
    return EXIT.failure;
  }
  const { report, sightings } = result;
  const bundleText = JSON.stringify(sightings.bundle, null, 2) + '\n';
  if (v.report !== undefined) await writeFile(resolve(io.cwd, v.report), JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
  if (v.out !== undefined) await writeFile(resolve(io.cwd, v.out), bundleText);
  else if (!v.push) io.stdout.write(bundleText);

  const s = report.stats;
  io.stderr.write(
    `matched: ${s.requests} requests from ${s.accounts} accounts; ${s.itemsMatched} shared objects matched ${s.matchedRequests} requests; ` +
      `${sightings.sightings.length} sightings, ${sightings.withheld.length} withheld; ${report.accounts.length} accounts to review` +
      `${report.input === undefined ? '' : `; ${report.input.bad_lines} bad lines`}\n`,
  );
  for (const r of s.patternsRejected) io.stderr.write(`pattern refused ${r.id}: ${r.message}\n`);
  for (const k of s.missingKeyIds) io.stderr.write(`key not held: ${k} (objects made under it cannot match)\n`);
  if (report.input !== undefined) io.stderr.write(badLinesText(report.input.first_bad_lines, report.input.bad_lines));
  for (const u of report.input?.unreadable ?? []) io.stderr.write(`unreadable ${u.input}: ${u.message}\n`);
  let code: number = (report.input?.unreadable.length ?? 0) > 0 ? EXIT.findings : EXIT.ok;

  if (v.push && conn !== undefined) {
    try {
      // A fresh client: the read's pooled connection may have been closed by the server while matching ran, and a POST
      // is not retried on a connection found dead.
      const { collection } = await resolveCollection(await connectClient(conn, io), v['push-collection'] ?? conn.collection);
      const objects = (sightings.bundle.objects ?? []) as unknown as Record<string, unknown>[];
      const status = await collection.addObjects(objects, { wait: { timeoutMs: 60_000 } });
      io.stderr.write(`pushed: ${objects.length} objects: ${status.success_count} succeeded, ${status.failure_count} failed, ${status.pending_count} pending\n`);
      for (const f of status.failures) io.stderr.write(`failed ${f.id} ${f.version}: ${f.message ?? '(the server gave no message)'}\n`);
      if (status.failure_count > 0 || status.pending_count > 0) code = EXIT.findings;
    } catch (err) {
      io.stderr.write(`distill-intel match: push: ${err instanceof ConnectionError ? err.message : describeFailure(err)}\n`);
      return EXIT.failure;
    }
  }
  return code;
}

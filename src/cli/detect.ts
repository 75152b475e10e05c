import { writeFile } from 'node:fs/promises';
import { formatLocation } from '../stix/location.js';
import { resolve } from 'node:path';
import { campaignBundle } from '../detect/campaign-bundle.js';
import { CampaignDetector } from '../detect/campaign-detector.js';
import type { DetectionResult } from '../detect/campaign-detector.js';
import { auditShare } from '../distillation/audit-share.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import { TelemetryReader } from '../telemetry/telemetry-reader.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ConnectionError, connectClient, parseConnectionArgs, resolveCollection } from './connection-options.js';
import { describeFailure } from './failure.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { KEY_HELP, parseKeyOptions } from './key-options.js';
import { LAB_OPTIONS, badLinesText, labIdentity, telemetryOptions, telemetrySources } from './lab-options.js';

/** `distill-intel detect --help`. */
export const DETECT_HELP = `Usage: distill-intel detect --key <spec> [--report REPORT.json] [--out BUNDLE.json] [--push URL/COLLECTION ...] <logs...|->

Finds distillation campaigns in your own model-API telemetry (JSON Lines with the fields README lists, or OTLP JSON
GenAI spans; gzip or not; "-" reads standard input) and writes:
  - REPORT.json for yourself (--report): every campaign with its raw account ids, score, signals and evidence,
    first/last seen, requests, tokens and models, plus run statistics and bad lines. Never share it.
  - BUNDLE.json to share (--out, or standard output when neither --out nor --push is given): a strict-valid STIX 2.1
    package (campaigns, pseudonymous ai-service-accounts, prompt fingerprints, infrastructure used only by the
    campaigns, indicators, sightings with request-volume statistics, ATLAS techniques, TLP 2.0 markings), refused if
    the share audit finds a problem.

${KEY_HELP}

Options:
  --lab <name>             your lab's name (an identity with an id derived from the name is made); or
  --identity <file>        your lab's STIX identity (JSON)
  --provider <host>        your API host, the provider of every shared account (required for --out and --push)
  --report <file>          write REPORT.json (raw account ids: keep it in the lab)
  --out <file>             write the bundle here
  --push <url>/<c>         send the bundle to collection <c> of the TAXII API root <url> (repeatable; credentials
                           as for push, below)
  --min-customers <n>      customers a campaign must span (default 3; accounts of one org are one customer)
  --min-score <x>          lowest campaign score reported, 0-1 (default 0.6)
  --map <file>             field map for telemetry with other field names
  --format jsonl|otlp|auto telemetry format (default auto)
  -h, --help               show this help

${CONNECTION_HELP.replace(/^\s*--url.*\n|^\s*--collection.*\n/gm, '')}
Exit codes: 0 done, 1 some input could not be read or the server refused an object, 2 usage error, 3 a server could
not be reached or the bundle could not be built.
`;

/** Splits `--push https://host/api1/my-collection` into the API root and the collection. */
function pushTarget(spec: string): { url: string; collection: string } {
  const trimmed = spec.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (!/^https?:\/\//i.test(trimmed) || slash <= trimmed.indexOf('//') + 1) throw new UsageError(`--push ${spec}: expected <api-root-url>/<collection>`);
  return { url: trimmed.slice(0, slash + 1), collection: decodeURIComponent(trimmed.slice(slash + 1)) };
}

/** The report for the lab itself: campaigns with raw ids, statistics, input problems. */
export function detectionReport(result: DetectionResult, reader: TelemetryReader): Record<string, unknown> {
  return {
    campaigns: result.campaigns.map((c) => ({
      id: c.id,
      score: c.score,
      accounts: c.accounts,
      customers: c.customers,
      signals: c.signals,
      first_seen: c.first_seen,
      last_seen: c.last_seen,
      requests: c.requests,
      tokens: c.tokens,
      models: c.models,
      shared_ips: c.shared_ips,
      shared_payments: c.shared_payments,
      channels: c.channels,
    })),
    stats: {
      ...result.stats,
      lines: reader.stats.lines,
      bad_lines: reader.stats.badCount,
      bad_line_samples: reader.stats.bad,
      unreadable: reader.failures,
    },
  };
}

/** Runs `distill-intel detect`. */
export async function runDetect(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      ...LAB_OPTIONS,
      push: { type: 'string', multiple: true },
      'min-customers': { type: 'string' },
      'min-score': { type: 'string' },
    },
  });
  const v = parsed.values;
  const [key, groupKey] = parseKeyOptions(v, io) as [PseudonymKey, ...PseudonymKey[]];
  const targets = (v.push ?? []).map(pushTarget);
  const sharing = v.out !== undefined || targets.length > 0 || v.report === undefined;
  const identity = sharing ? labIdentity(v, io, 'who shares') : undefined;
  if (sharing && (v.provider === undefined || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(v.provider))) throw new UsageError('--provider <host> (your API host name) is required to share');
  const minCustomers = v['min-customers'] === undefined ? undefined : Number(v['min-customers']);
  if (minCustomers !== undefined && (!Number.isInteger(minCustomers) || minCustomers < 2)) throw new UsageError('--min-customers must be an integer of at least 2');
  const minScore = v['min-score'] === undefined ? undefined : Number(v['min-score']);
  if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) throw new UsageError('--min-score must be a number from 0 to 1');
  const readerOptions = telemetryOptions(v, io);

  const reader = new TelemetryReader(readerOptions);
  const detector = new CampaignDetector({ key, ...(minCustomers === undefined ? {} : { minCustomers }), ...(minScore === undefined ? {} : { minScore }) });
  for (const source of telemetrySources(parsed.positionals, io)) {
    for await (const batch of reader.batches(source)) detector.addAll(batch);
  }
  const result = detector.finish();
  if (v.report !== undefined) await writeFile(resolve(io.cwd, v.report), JSON.stringify(detectionReport(result, reader), null, 2) + '\n', { mode: 0o600 });

  io.stderr.write(badLinesText(reader.stats.bad, reader.stats.badCount));
  for (const f of reader.failures) io.stderr.write(`unreadable ${f.input}: ${f.message}\n`);
  const s = result.stats;
  io.stderr.write(`detected: ${s.campaigns} campaigns, ${s.campaign_accounts} accounts, from ${s.requests} requests of ${s.accounts} accounts; ${reader.stats.badCount} bad lines\n`);
  let code: number = reader.failures.length > 0 ? EXIT.findings : EXIT.ok;
  if (!sharing || identity === undefined || v.provider === undefined) return code;
  if (result.campaigns.length === 0) {
    io.stderr.write('nothing to share: no campaign found\n');
    return code;
  }

  let bundle;
  try {
    bundle = campaignBundle(result, { producer: identity, provider: v.provider, key, ...(groupKey === undefined ? {} : { groupKey }) });
  } catch (err) {
    io.stderr.write(`distill-intel detect: cannot build the bundle: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  const audit = auditShare(bundle);
  if (audit.problems.length > 0) {
    for (const p of audit.problems) io.stderr.write(`share audit: ${formatLocation({ pointer: p.path })}: ${p.message}\n`);
    io.stderr.write('distill-intel detect: the bundle failed the share audit; nothing written or sent\n');
    return EXIT.failure;
  }
  const text = JSON.stringify(bundle, null, 2) + '\n';
  if (v.out !== undefined) await writeFile(resolve(io.cwd, v.out), text);
  else if (targets.length === 0) io.stdout.write(text);
  for (const t of targets) {
    try {
      const conn = parseConnectionArgs({ ...v, url: t.url, collection: t.collection }, io);
      const { collection } = await resolveCollection(await connectClient(conn, io), conn.collection);
      const objects = (bundle.objects ?? []) as unknown as Record<string, unknown>[];
      const status = await collection.addObjects(objects, { wait: { timeoutMs: 60_000 } });
      io.stderr.write(`pushed to ${t.url}${t.collection}: ${objects.length} objects: ${status.success_count} succeeded, ${status.failure_count} failed, ${status.pending_count} pending\n`);
      for (const f of status.failures) io.stderr.write(`failed ${f.id} ${f.version}: ${f.message ?? '(the server gave no message)'}\n`);
      if (status.failure_count > 0 || status.pending_count > 0) code = EXIT.findings;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr.write(`distill-intel detect: push to ${t.url}${t.collection}: ${err instanceof ConnectionError ? err.message : describeFailure(err)}\n`);
      return EXIT.failure;
    }
  }
  return code;
}

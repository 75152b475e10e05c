import { createReadStream, statSync } from 'node:fs';
import { formatLocation } from '../stix/location.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readStixObjects } from '../convert/stix-stream.js';
import { corroborationHtml, corroborationMarkdown } from '../match/corroboration-format.js';
import { corroboration } from '../match/corroboration.js';
import { loadTrustStore } from '../provenance/trust-store-file.js';
import type { TrustStore } from '../provenance/trust-store.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ConnectionError, connectClient, parseConnectionArgs, resolveCollection } from './connection-options.js';
import { describeFailure } from './failure.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';

/** `distill-intel report --help`. */
export const REPORT_HELP = `Usage: distill-intel report (--url <url> --collection <c> | <files...>) [options]

Corroboration of shared intelligence: per sighted indicator, infrastructure, fingerprint SDO and campaign, how many
distinct labs sighted it (the producer's own sightings are not independent), total counts, accounts, first/last seen,
and the confidence independent sightings raise it to. Sightings of an indicator also count for its campaign.

Options:
  --format json|markdown|html  output format (default markdown)
  --out <file>             write the report here instead of standard output
  --trust <file>           trust store (see "keys"): only sightings whose signature verifies as their author count
  -h, --help               show this help

${CONNECTION_HELP}

Exit codes: 0 done, 1 some input was not readable STIX, 2 usage error, 3 the server could not be reached.
`;

/** Runs `distill-intel report`. */
export async function runReport(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, format: { type: 'string', default: 'markdown' }, out: { type: 'string' }, trust: { type: 'string' } },
  });
  const v = parsed.values;
  const format = v.format;
  if (format !== 'json' && format !== 'markdown' && format !== 'html') throw new UsageError(`--format must be json, markdown or html, not '${format}'`);
  const fromServer = v.url !== undefined || v.collection !== undefined;
  if (fromServer === parsed.positionals.length > 0) throw new UsageError('give --url/--collection or files, one of the two');
  let trust: TrustStore | undefined;
  if (v.trust !== undefined) {
    try {
      trust = loadTrustStore(resolve(io.cwd, v.trust));
    } catch (err) {
      throw new UsageError(`--trust ${v.trust}: ${(err as Error).message}`);
    }
  }
  const objects: unknown[] = [];
  let unreadable = 0;
  try {
    if (fromServer) {
      const conn = parseConnectionArgs(v, io);
      const { collection } = await resolveCollection(await connectClient(conn, io), conn.collection);
      for await (const o of collection.objects()) objects.push(o);
    } else {
      for (const name of parsed.positionals) {
        try {
          if (statSync(resolve(io.cwd, name)).isDirectory()) throw new UsageError(`${name}: is a directory`);
        } catch (err) {
          if (err instanceof UsageError) throw err;
          throw new UsageError(`${name}: cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
        }
        for await (const r of readStixObjects(createReadStream(resolve(io.cwd, name)))) {
          if (r.kind === 'object') objects.push(r.object);
          else {
            unreadable++;
            io.stderr.write(`${formatLocation({ ...r, input: name })}: not read: ${r.message}\n`);
          }
        }
      }
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stderr.write(`distill-intel report: ${err instanceof ConnectionError ? err.message : describeFailure(err)}\n`);
    return EXIT.failure;
  }
  const report = corroboration(objects, trust === undefined ? {} : { trust });
  const text = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'html' ? corroborationHtml(report) : corroborationMarkdown(report);
  if (v.out !== undefined) await writeFile(resolve(io.cwd, v.out), text);
  else io.stdout.write(text);
  return unreadable > 0 ? EXIT.findings : EXIT.ok;
}

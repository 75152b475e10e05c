import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { attackerWorld, recordLine, simulate } from '../simulate/index.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { openOutput } from './output-sink.js';

/** `distill-intel simulate --help`. */
export const SIMULATE_HELP = `Usage: distill-intel simulate --seed <text> --requests <n> [options]

Writes simulated model-API telemetry (JSON Lines with the fields "detect" reads) and its ground truth: a benign
population with heavy users and hard negatives (an enterprise batch job on one template, a research group of many
accounts in one org, a popular SDK user agent), and five planted campaigns (hydra proxy cluster, chain-of-thought
harvesting, release-day pivot, education sign-up abuse, low-and-slow). The same options give the same bytes.

Options:
  --seed <text>         seed of this lab's population and account ids (required)
  --requests <n>        about how many requests to write, 10000 to 20000000 (required)
  --accounts <n>        accounts in total (default requests / 400, at least 1000)
  --days <n>            days of telemetry (default 14)
  --start <time>        first hour, RFC 3339 (default 2026-03-02T00:00:00Z)
  --lab <name>          lab name (default "lab")
  --world-seed <text>   seed of the adversary (default --seed); two labs simulated with the same world seed see
                        the same proxies, templates and payment sources under different account ids
  --out <file>          telemetry file (default standard output); a name ending in .gz is gzipped
  --truth <file>        ground truth JSON: planted campaigns and their accounts, heavy users, hard negatives
  -h, --help            show this help

Exit codes: 0 written, 2 usage error, 3 a file could not be written.
`;

function count(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** A gzipped file written under a temporary name and renamed into place when complete. */
function gzipFileSink(target: string): { write(text: string): Promise<void>; close(): Promise<void>; abort(): void } {
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  return {
    // Each batch is its own gzip member; gunzip reads concatenated members as one stream.
    async write(text) {
      writeSync(fd, gzipSync(text, { level: 4 }));
    },
    async close() {
      closeSync(fd);
      renameSync(temp, target);
    },
    abort() {
      closeSync(fd);
      rmSync(temp, { force: true });
    },
  };
}

/** Runs `distill-intel simulate`. */
export async function runSimulate(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions({
    args: argv,
    options: {
      seed: { type: 'string' },
      requests: { type: 'string' },
      accounts: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      lab: { type: 'string' },
      'world-seed': { type: 'string' },
      out: { type: 'string' },
      truth: { type: 'string' },
    },
    allowPositionals: false,
  });
  if (values.seed === undefined || values.seed === '') throw new UsageError('--seed is required');
  const requests = count(values.requests, '--requests', 10_000, 20_000_000);
  if (requests === undefined) throw new UsageError('--requests is required');
  const accounts = count(values.accounts, '--accounts', 1000, 10_000_000);
  const days = count(values.days, '--days', 2, 366);
  if (values.start !== undefined && !Number.isFinite(Date.parse(values.start))) throw new UsageError(`--start must be an RFC 3339 time, got '${values.start}'`);
  const sim = simulate({
    seed: values.seed,
    requests,
    ...(accounts !== undefined ? { accounts } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(values.start !== undefined ? { start: values.start } : {}),
    ...(values.lab !== undefined ? { lab: values.lab } : {}),
    world: attackerWorld(values['world-seed'] ?? values.seed),
  });
  const gzip = values.out !== undefined && values.out.endsWith('.gz');
  let sink;
  try {
    sink = gzip ? gzipFileSink(resolve(io.cwd, values.out as string)) : openOutput(io, values.out);
  } catch (err) {
    io.stderr.write(`distill-intel simulate: cannot write ${values.out ?? '-'}: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  try {
    for (const batch of sim.batches()) {
      if (batch.length === 0) continue;
      let text = '';
      for (const r of batch) text += recordLine(r) + '\n';
      await sink.write(text);
    }
    await sink.close();
    if (values.truth !== undefined) writeFileSync(resolve(io.cwd, values.truth), JSON.stringify(sim.truth, null, 2) + '\n');
  } catch (err) {
    sink.abort();
    io.stderr.write(`distill-intel simulate: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  io.stderr.write(`simulated: ${sim.truth.requests} requests, ${sim.truth.accounts} accounts, ${sim.truth.campaigns.length} planted campaigns\n`);
  return EXIT.ok;
}

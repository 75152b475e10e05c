/**
 * bench/detect: simulated telemetry with ground truth through the whole detection path, scored.
 *
 *   node --import ./bench/register.js bench/detect/detect.ts [--requests N] [--accounts N] [--seed S] [--days D] [--runs N] [--stream | --pipe] [--max-heap MB]
 *
 * Writes the simulation to a temporary gzipped JSON Lines file (generation is not timed), runs bench/detect/run.ts
 * on it in a child process (gunzip, line splitting, JSON parsing, record checks, every detector, campaign assembly),
 * and prints per archetype the share of its accounts in a reported campaign, splits (campaigns its accounts fell
 * into) and merges (campaigns holding accounts of two archetypes), the share of benign accounts and of benign heavy
 * users flagged, throughput in requests per CPU second (one core: the detector is single-threaded) and peak memory.
 *
 * With --stream (for the 20M-request memory run) no file is written: the child simulates and feeds the records
 * straight to the detector; throughput is then the detector's alone (no gunzip or JSON) and peak memory includes the
 * simulator's.
 *
 * With --pipe (the memory run of the detection process alone) no file is written either: a simulator process
 * (bench/detect/emit.ts) writes JSON Lines into a pipe and the detection process reads them as `distill-intel detect -`
 * does (line splitting, JSON parsing, record checks, detectors; no gunzip). Peak memory is then the detection
 * process's own, and throughput is from uncompressed JSON Lines.
 *
 * --runs N (file runs only) detects the same file N times, each in a fresh child, and prints each run's throughput
 * and their median (the host's speed drifts by a third from minute to minute, so one run says little); accuracy is
 * scored on the first run, and every run must report the same campaigns.
 *
 * --max-heap caps the child's V8 old space (default 4096 MB): with room to spare V8 lets garbage pile up before
 * collecting it, so peak RSS says more about the collector's pacing than about what detection keeps; a cap, as a
 * deployment would set one, makes it collect sooner.
 *
 * Targets (issue 17): ≥95% of each archetype, ≤0.5% benign (≤2% heavy users), ≥150,000 requests/s, < 1.5 GB at
 * 20M requests over 50,000 accounts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { recordLine, simulate } from '../../src/simulate/index.js';
import type { GroundTruth } from '../../src/simulate/index.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    accounts: { type: 'string' },
    seed: { type: 'string', default: 'bench-detect' },
    days: { type: 'string', default: '14' },
    stream: { type: 'boolean', default: false },
    pipe: { type: 'boolean', default: false },
    'max-heap': { type: 'string', default: '4096' },
    runs: { type: 'string', default: '1' },
  },
});
const requests = Number(values.requests);
const runCount = Number(values.runs);
if (!Number.isInteger(runCount) || runCount < 1) throw new Error(`--runs: expected a positive integer, got ${values.runs}`);
if (runCount > 1 && (values.stream || values.pipe)) throw new Error('--runs applies to the gzip file run only (not with --stream or --pipe)');
interface RunOutput {
  requests: number;
  accounts: number;
  bad_lines: number;
  cpu_seconds: number;
  cpu_seconds_finish: number;
  wall_seconds: number;
  peak_rss_mb: number;
  peak_heap_mb: number;
  campaigns: string[][];
  truth?: GroundTruth;
}

const runArgs = (args: readonly string[]) => [`--max-old-space-size=${Number(values['max-heap'])}`, '--import', './bench/register.js', 'bench/detect/run.ts', ...args];

function child(args: readonly string[]): RunOutput {
  const out = spawnSync(process.execPath, runArgs(args), { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (out.status !== 0) {
    process.stderr.write(out.stderr);
    process.exit(1);
  }
  return JSON.parse(out.stdout) as RunOutput;
}

/** The detection child reading standard input, fed by a simulator child through a pipe. */
async function piped(args: readonly string[]): Promise<RunOutput> {
  const emit = spawn(process.execPath, ['--import', './bench/register.js', 'bench/detect/emit.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const run = spawn(process.execPath, runArgs(['-']), { stdio: [emit.stdout, 'pipe', 'inherit'] });
  let out = '';
  run.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const [emitCode, runCode] = await Promise.all([new Promise((resolve) => emit.on('exit', resolve)), new Promise((resolve) => run.on('close', resolve))]);
  if (emitCode !== 0 || runCode !== 0) process.exit(1);
  return JSON.parse(out) as RunOutput;
}

let run: RunOutput;
let truth: GroundTruth;
/** Every detection of the file (--runs), in the order run. */
const runs: RunOutput[] = [];
const accounts = String(values.accounts ?? Math.max(1000, Math.round(requests / 400)));
if (values.pipe) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-detect-'));
  const truthFile = join(dir, 'truth.json');
  try {
    run = await piped([String(requests), accounts, values.seed, values.days, truthFile]);
    truth = JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`simulated ${truth.requests} requests over ${truth.accounts} accounts into a pipe read by the detection process (no file)\n`);
} else if (values.stream) {
  run = child(['--simulate', String(requests), accounts, values.seed, values.days]);
  truth = run.truth as GroundTruth;
  process.stdout.write(`simulated ${truth.requests} requests over ${truth.accounts} accounts straight into the detector (no file)\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'bench-detect-'));
  const file = join(dir, 'telemetry.jsonl.gz');
  const gen0 = performance.now();
  const sim = simulate({ seed: values.seed, requests, days: Number(values.days), ...(values.accounts !== undefined ? { accounts: Number(values.accounts) } : {}) });
  const fd = openSync(file, 'w');
  let bytes = 0;
  for (const batch of sim.batches()) {
    if (batch.length === 0) continue;
    let text = '';
    for (const r of batch) text += recordLine(r) + '\n';
    bytes += text.length;
    writeSync(fd, gzipSync(text, { level: 4 }));
  }
  closeSync(fd);
  truth = sim.truth;
  process.stdout.write(
    `simulated ${truth.requests} requests over ${truth.accounts} accounts (${(bytes / truth.requests).toFixed(0)} bytes a line) in ${((performance.now() - gen0) / 1000).toFixed(1)} s\n`,
  );
  try {
    for (let i = 0; i < runCount; i++) runs.push(child([file]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  run = runs[0] as RunOutput;
  const campaigns = JSON.stringify(run.campaigns);
  if (runs.some((r) => JSON.stringify(r.campaigns) !== campaigns)) {
    process.stderr.write('the runs reported different campaigns for the same file: detection is meant to be deterministic\n');
    process.exit(1);
  }
}

const archetypeOf = new Map<string, string>();
for (const c of truth.campaigns) for (const a of c.accounts) archetypeOf.set(a, c.archetype);
const heavy = new Set(truth.benign.heavy);
const flagged = new Set(run.campaigns.flat());
const rows: string[] = ['| Archetype | Accounts | Found | Campaigns it fell into |', '|---|---:|---:|---:|'];
for (const c of truth.campaigns) {
  const found = c.accounts.filter((a) => flagged.has(a)).length;
  const into = run.campaigns.filter((list) => list.some((a) => archetypeOf.get(a) === c.archetype)).length;
  rows.push(`| ${c.archetype} | ${c.accounts.length} | ${((100 * found) / c.accounts.length).toFixed(1)}% | ${into} |`);
}
const merged = run.campaigns.filter((list) => new Set(list.map((a) => archetypeOf.get(a)).filter((x) => x !== undefined)).size > 1).length;
const benignFlagged = [...flagged].filter((a) => !archetypeOf.has(a));
const heavyFlagged = benignFlagged.filter((a) => heavy.has(a)).length;
const hardNegatives = truth.benign.hard_negatives.map((h) => `${h.kind} ${h.accounts.filter((a) => flagged.has(a)).length}/${h.accounts.length}`).join(', ');
process.stdout.write(`\n${rows.join('\n')}\n\n`);
process.stdout.write(`campaigns reported: ${run.campaigns.length}; merged (accounts of two archetypes): ${merged}\n`);
process.stdout.write(
  `benign accounts flagged: ${benignFlagged.length} of ${truth.benign.accounts} (${((100 * benignFlagged.length) / truth.benign.accounts).toFixed(2)}%); ` +
    `heavy users: ${heavyFlagged} of ${heavy.size} (${heavy.size === 0 ? '0.00' : ((100 * heavyFlagged) / heavy.size).toFixed(2)}%); hard negatives flagged: ${hardNegatives}\n`,
);
const perCpuSecond = (r: RunOutput) => Math.round(r.requests / r.cpu_seconds);
if (runs.length > 1) {
  const rates = runs.map(perCpuSecond);
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
  process.stdout.write(
    `throughput of ${runs.length} runs: ${rates.map((x) => x.toLocaleString('en')).join(', ')} requests per CPU second end to end from gzip JSON Lines; ` +
      `median ${median.toLocaleString('en')} (${runs.map((r) => r.cpu_seconds.toFixed(1)).join(', ')} s CPU)\n`,
  );
}
process.stdout.write(
  `throughput${runs.length > 1 ? ' (first run)' : ''}: ${perCpuSecond(run).toLocaleString('en')} requests per CPU second ${values.stream ? 'in the detector (streamed from the simulator, no file)' : values.pipe ? 'from JSON Lines on a pipe (no gunzip)' : 'end to end from gzip JSON Lines'} ` +
    `(${run.cpu_seconds.toFixed(1)} s CPU, of which ${run.cpu_seconds_finish.toFixed(1)} s forming campaigns; ${run.wall_seconds.toFixed(1)} s wall); ${run.bad_lines} bad lines\n`,
);
process.stdout.write(`peak memory: ${run.peak_rss_mb.toFixed(0)} MB RSS, ${run.peak_heap_mb.toFixed(0)} MB heap (sampled) for ${run.requests} requests over ${run.accounts} accounts\n`);

/**
 * One end-to-end detection run, in its own process so its peak memory is its own, printing one JSON line of figures
 * and the campaigns' account lists (for scoring against the ground truth by bench/detect/detect.ts).
 *
 *   node --import ./bench/register.js bench/detect/run.ts <file.jsonl.gz | ->
 *   node --import ./bench/register.js bench/detect/run.ts --simulate <requests> <accounts> <seed> <days>
 *
 * With a file: the telemetry reader (gunzip, line splitting, JSON parsing, record checks) feeds the campaign
 * detector; CPU time covers both, and every thread of the process (gunzip runs on a libuv worker).
 * With --simulate: the simulator's records go straight into the detector, no file and no JSON (writing and gzipping
 * 20M simulated lines takes longer than detecting them); CPU time is then the detector's alone (measured around
 * each batch), and peak memory is the simulator's and the detector's together. The ground truth is printed too.
 */
import { CampaignDetector } from '../../src/detect/campaign-detector.js';
import { simulate } from '../../src/simulate/index.js';
import type { GroundTruth } from '../../src/simulate/index.js';
import { TelemetryReader, fileSource } from '../../src/telemetry/index.js';

const args = process.argv.slice(2);
const key = { key: 'bench-detect-key-not-a-secret-32b', keyId: 'bench' };
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 200);
const detector = new CampaignDetector({ key });
let cpuRead = 0;
let badLines = 0;
let truth: GroundTruth | undefined;
const wall0 = performance.now();
if (args[0] === '--simulate') {
  const [requests, accounts, seed, days] = args.slice(1);
  const sim = simulate({ seed: seed ?? 'bench-detect', requests: Number(requests), accounts: Number(accounts), days: Number(days ?? 14) });
  let batches = 0;
  for (const batch of sim.batches()) {
    const c0 = process.cpuUsage();
    detector.addAll(batch);
    cpuRead += cpuSeconds(process.cpuUsage(c0));
    // Let the memory sampler run now and then (the simulation never yields to the event loop otherwise).
    if (++batches % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  truth = sim.truth;
} else {
  const file = args[0];
  if (file === undefined) throw new Error('usage: run.ts <file.jsonl.gz> | --simulate <requests> <accounts> <seed> <days>');
  const c0 = process.cpuUsage();
  const reader = new TelemetryReader();
  for await (const batch of reader.batches(file === '-' ? { name: '-', bytes: process.stdin } : fileSource(file))) detector.addAll(batch);
  cpuRead = cpuSeconds(process.cpuUsage(c0));
  badLines = reader.stats.badCount;
}
const c1 = process.cpuUsage();
const result = detector.finish();
const cpuFinish = cpuSeconds(process.cpuUsage(c1));
const wall = performance.now() - wall0;
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
process.stdout.write(
  JSON.stringify({
    requests: result.stats.requests,
    accounts: result.stats.accounts,
    bad_lines: badLines,
    cpu_seconds: cpuRead + cpuFinish,
    cpu_seconds_finish: cpuFinish,
    wall_seconds: wall / 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    peak_heap_mb: peakHeap / 1048576,
    campaigns: result.campaigns.map((c) => c.accounts),
    ...(truth === undefined ? {} : { truth }),
  }) + '\n',
);

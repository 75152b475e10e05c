/**
 * One end-to-end detection run, in its own process so its peak memory is its own: reads a gzipped JSON Lines file
 * with the telemetry reader, runs the campaign detector, and prints one JSON line of figures and the campaigns'
 * account lists (for scoring against the ground truth by bench/detect/detect.ts).
 *
 *   node --import ./bench/register.js bench/detect/run.ts <file.jsonl.gz>
 */
import { CampaignDetector } from '../../src/detect/campaign-detector.js';
import { TelemetryReader, fileSource } from '../../src/telemetry/index.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: run.ts <file.jsonl.gz>');
const key = { key: 'bench-detect-key-not-a-secret-32b', keyId: 'bench' };

let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 200);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const reader = new TelemetryReader();
const detector = new CampaignDetector({ key });
for await (const batch of reader.batches(fileSource(file))) detector.addAll(batch);
const cpuRead = process.cpuUsage(cpu0);
const result = detector.finish();
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - wall0;
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
process.stdout.write(
  JSON.stringify({
    requests: result.stats.requests,
    accounts: result.stats.accounts,
    bad_lines: reader.stats.badCount,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    cpu_seconds_finish: (cpu.user + cpu.system - cpuRead.user - cpuRead.system) / 1e6,
    wall_seconds: wall / 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    peak_heap_mb: peakHeap / 1048576,
    campaigns: result.campaigns.map((c) => c.accounts),
  }) + '\n',
);

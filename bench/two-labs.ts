// Two labs, one adversary (bench/two-labs-flow.ts) through a real TAXII server, then `match` throughput with 10,000
// patterns on one core. Run: node --import ./bench/register.js bench/two-labs.ts [requests per lab] [patterns] [rounds]
import { availableParallelism, loadavg } from 'node:os';
import { paymentPseudonym, pseudonymize } from '../src/distillation/index.js';
import { readIntel } from '../src/match/intel.js';
import { KeyRing } from '../src/match/key-ring.js';
import { IntelMatcher } from '../src/match/matcher.js';
import { PASSWORD, startServer, USER } from '../test/cli/serve-fixture.js';
import { GROUP_KEY, runTwoLabs } from './two-labs-flow.js';

const REQUESTS = Number(process.argv[2] ?? 400_000);
const PATTERNS = Number(process.argv[3] ?? 10_000);
const ROUNDS = Number(process.argv[4] ?? 9);

const server = await startServer();
const run = await runTwoLabs({ seed: 'bench-two-labs', requests: REQUESTS, apiRoot: server.apiRoot, auth: { type: 'basic', username: USER, password: PASSWORD }, collection: 'demo' });
await server.stop();

const s = run.labB.score;
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
console.log(`two labs, ${REQUESTS.toLocaleString('en-US')} requests each (seed bench-two-labs)`);
console.log(`lab A: ${run.labA.campaigns} campaigns detected in ${run.labA.detectSeconds.toFixed(1)} s, ${run.labA.sharedObjects} objects shared`);
console.log(`lab B: ${run.labB.sightings} sightings pushed; match (with B's own detection for clusters) ${run.labB.matchSeconds.toFixed(1)} s`);
console.log(`lab B campaign accounts found: ${s.found}/${s.campaignAccounts} (${pct(s.found, s.campaignAccounts)}); directly matched ${s.foundDirect} (${pct(s.foundDirect, s.campaignAccounts)})`);
console.log(`lab B benign accounts flagged: ${s.benignFlagged}/${s.benignAccounts} (${pct(s.benignFlagged, s.benignAccounts)})`);
for (const [k, v] of Object.entries(s.perArchetype)) console.log(`  ${k.padEnd(16)} ${v.found}/${v.accounts} found (${pct(v.found, v.accounts)}), ${v.direct} direct`);
console.log(`hub: lab B corroborates ${run.corroborated.byB}/${run.corroborated.indicators} of lab A's indicators and ${run.corroborated.campaignsByB}/${run.corroborated.campaigns} campaigns`);

// Throughput: the shared package plus synthetic indicators up to PATTERNS, matched over B's requests, matcher only.
let seed = 0x9e3779b9;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(rand() * n);
const ip = () => `${11 + int(180)}.${int(256)}.${int(256)}.${1 + int(254)}`;
const base = run.sharedObjects.filter((o) => o.type === 'indicator').length;
const synthetic: unknown[] = [];
for (let i = 0; synthetic.length + base < PATTERNS; i++) {
  const k = i % 10;
  const pattern =
    k < 4
      ? `[ipv4-addr:value = '${ip()}']`
      : k < 6
        ? `[ipv4-addr:value ISSUBSET '${ip().replace(/\.\d+$/, '.0')}/${24 + int(5)}']`
        : k === 6
          ? `[autonomous-system:number = ${70000 + i}]`
          : k === 7
            ? `[ai-service-account:payment_fingerprints[*] = '${paymentPseudonym(`pm_synthetic_${i}`, GROUP_KEY)}']`
            : k === 8
              ? `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'tool-${i}/1.0']`
              : `[user-account:user_id = '${pseudonymize(`acct_synthetic_${i}`, GROUP_KEY)}']`;
  synthetic.push({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
    created: '2026-03-01T00:00:00.000Z',
    modified: '2026-03-01T00:00:00.000Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-03-01T00:00:00.000Z',
  });
}
const keys = new KeyRing([GROUP_KEY]);
const intel = readIntel([run.sharedObjects, synthetic], { keys });
const records = run.recordsB;
// Wall-clock rate, and the rate per CPU second of this process: on a shared machine the second is the one-core figure
// (the first falls with every other process that wants the core). One warm-up round (the JIT compiles the hot paths
// during it) is left out; the figure is the median of the rounds after it, so one lucky or unlucky round cannot make it.
const rounds: Array<{ wall: number; cpu: number }> = [];
const loadBefore = loadavg()[0] ?? 0;
for (let round = 0; round <= ROUNDS; round++) {
  const matcher = new IntelMatcher(intel, { keys });
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (const r of records) matcher.add(r);
  matcher.finish();
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  if (round > 0) rounds.push({ wall: records.length / wall, cpu: records.length / ((used.user + used.system) / 1e6) });
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const patterns = intel.items.filter((i) => i.pattern !== undefined).length;
const cpuRates = rounds.map((r) => r.cpu);
console.log(
  `match throughput: ${patterns.toLocaleString('en-US')} patterns + ${intel.items.length - patterns} prompt fingerprints over ${records.length.toLocaleString('en-US')} requests, one core, ${ROUNDS} rounds after a warm-up: ` +
    `median ${fmt(median(cpuRates))} requests per CPU second (${(1e6 / median(cpuRates)).toFixed(2)} µs per request; rounds ${fmt(Math.min(...cpuRates))}–${fmt(Math.max(...cpuRates))}: ${cpuRates.map(fmt).join(', ')}); ` +
    `wall clock median ${fmt(median(rounds.map((r) => r.wall)))} requests/s; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]?.toFixed(2)} after, on ${availableParallelism()} cores`,
);

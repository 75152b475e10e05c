import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP_KEY, LAB_B_IDENTITY, prepareTwoLabs, score } from '../../bench/two-labs-flow.js';
import type { LabScore, TwoLabSetup } from '../../bench/two-labs-flow.js';
import type { CorroborationReport } from '../../src/match/corroboration.js';
import type { MatchReport } from '../../src/match/report.js';
import { recordLine } from '../../src/simulate/simulate.js';
import { ensureBuilt, runBuilt } from '../cli/built-cli.js';

// Two labs hit by the same simulated adversary, end to end through a real `serve` (the built bin, its own process)
// with the commands README shows: lab A's detected campaigns are pushed, lab B runs `match --push` against its own
// telemetry, and `report` on the hub shows B behind A's objects. Scored against the simulator's ground truth.
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const USER = 'hub-user';
const PASSWORD = 'two-labs-Pa55word';
const ENV = { DISTILL_INTEL_USER: `${USER}:${PASSWORD}`, GROUP_KEY: GROUP_KEY.key as string };
let dir = '';
let server: ChildProcess | undefined;
let apiRoot = '';
let setup: TwoLabSetup;
let report: MatchReport;
let hub: CorroborationReport;
let labScore: LabScore;
let matchStderr = '';

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'two-labs-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'serve', '--port', '0', '--db', join(dir, 'hub.db'), '--user', `${USER}:${PASSWORD}`, '--no-access-log'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(log)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  apiRoot = `${/listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''}/api1/`;

  setup = prepareTwoLabs('two-labs-test', 60_000);
  writeFileSync(join(dir, 'lab-a.json'), JSON.stringify({ type: 'bundle', id: 'bundle--a0000000-0000-4000-8000-000000000001', objects: setup.shared }));
  writeFileSync(join(dir, 'lab-b.jsonl'), setup.recordsB.map(recordLine).join('\n') + '\n');
  writeFileSync(join(dir, 'lab-b-identity.json'), JSON.stringify(LAB_B_IDENTITY));
  const conn = ['--url', apiRoot, '--collection', 'demo'];
  const pushed = await runBuilt(['push', ...conn, 'lab-a.json'], { cwd: dir, env: ENV, timeoutMs: 120_000 });
  if (pushed.code !== 0) throw new Error(`push failed: ${pushed.stdout}${pushed.stderr}`);
  const matched = await runBuilt(['match', ...conn, '--key', 'bench-group:env:GROUP_KEY', '--identity', 'lab-b-identity.json', '--report', 'REPORT.json', '--push', 'lab-b.jsonl'], {
    cwd: dir,
    env: ENV,
    timeoutMs: 600_000,
  });
  matchStderr = matched.stderr;
  if (matched.code !== 0) throw new Error(`match failed (${matched.code}): ${matched.stderr}`);
  report = JSON.parse(readFileSync(join(dir, 'REPORT.json'), 'utf8')) as MatchReport;
  labScore = score(setup.sims.b.truth, report);
  const rep = await runBuilt(['report', ...conn, '--format', 'json'], { cwd: dir, env: ENV, timeoutMs: 120_000 });
  if (rep.code !== 0) throw new Error(`report failed: ${rep.stderr}`);
  hub = JSON.parse(rep.stdout) as CorroborationReport;
}, 900_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('two labs, one adversary, through a real serve', () => {
  it('B finds at least 90% of its campaign accounts and flags at most 0.5% of its benign accounts', () => {
    expect(labScore.campaignAccounts).toBeGreaterThan(0);
    expect([labScore.found / labScore.campaignAccounts >= 0.9, labScore]).toEqual([true, labScore]);
    expect([labScore.benignFlagged / labScore.benignAccounts <= 0.005, labScore]).toEqual([true, labScore]);
  });

  it("the hub's report shows B's corroboration of A's campaigns, with raised confidence", () => {
    expect(matchStderr).toMatch(/pushed: \d+ objects: \d+ succeeded, 0 failed, 0 pending/);
    const campaigns = setup.shared.filter((o) => o.type === 'campaign').map((o) => o.id);
    const rows = hub.rows.filter((r) => campaigns.includes(r.object) && r.independentLabs.includes(LAB_B_IDENTITY.id));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.confidence).toBeGreaterThan(r.baseConfidence);
  });

  it('what B pushed names none of its accounts', () => {
    const pushed = JSON.stringify(hub);
    for (const a of report.accounts) expect(pushed.includes(a)).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_KEY } from '../../src/distillation/index.js';
import { hydraProxyClusterPackage } from '../../src/distillation/scenarios/hydra-proxy-cluster.js';
import { TaxiiClient } from '../../src/taxii/client/index.js';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { runCli } from './run-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';
import type { TestServer } from './serve-fixture.js';

const hydra = hydraProxyClusterPackage();
let dir = '';
let server: TestServer;
const ENV = { FMF_KEY: DEMO_KEY.key as string };
const KEY = ['--key', 'fmf-2026q2:env:FMF_KEY'];

// Lab B's requests: four accounts behind Lab A's relay range, one benign account, one line that is not JSON.
const LOGS = [
  ...['user-b1', 'user-b2', 'user-b3', 'user-b4'].map((a, i) =>
    JSON.stringify({ timestamp: `2026-03-20T12:0${i}:00Z`, account_id: a, client_ip: `198.51.100.${10 + i}`, model: 'orion-4', input_tokens: 10, output_tokens: 20 }),
  ),
  JSON.stringify({ timestamp: '2026-03-20T12:30:00Z', account_id: 'user-benign', client_ip: '192.0.2.7', model: 'orion-4', input_tokens: 10, output_tokens: 20 }),
  'this line is not JSON',
].join('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'match-cli-'));
  writeFileSync(join(dir, 'lab-a.json'), JSON.stringify(hydra.bundle));
  writeFileSync(join(dir, 'requests.jsonl'), LOGS + '\n');
  server = await startServer();
  await ensureBuilt();
}, 300_000);

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('distill-intel match (built CLI)', () => {
  it('writes the sightings and the private report from a package file and logs, as README shows', async () => {
    const r = await runBuilt(['match', '--intel', 'lab-a.json', ...KEY, '--lab', 'Lab B', '--min-accounts', '3', '--report', 'REPORT.json', '--out', 'SIGHTINGS.json', 'requests.jsonl'], {
      cwd: dir,
      env: ENV,
    });
    expect(r.stderr).toContain('matched: 5 requests from 5 accounts; 1 shared objects matched 4 requests; 1 sightings, 0 withheld; 4 accounts to review; 1 bad lines');
    // The bad line is named as every location is: input:line (the sixth line of the log is not JSON).
    expect(r.stderr).toMatch(/^requests\.jsonl:6: /m);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'REPORT.json'), 'utf8')) as { matches: Array<{ object: string; accounts: Array<{ account_id: string }> }>; input: { bad_lines: number; first_bad_lines: Array<{ line: number }> } };
    expect(report.matches.map((m) => [m.object, m.accounts.map((a) => a.account_id)])).toEqual([[hydra.indicators[0]!.id, ['user-b1', 'user-b2', 'user-b3', 'user-b4']]]);
    expect(report.input.first_bad_lines.map((b) => b.line)).toEqual([6]);
    const text = readFileSync(join(dir, 'SIGHTINGS.json'), 'utf8');
    const bundle = JSON.parse(text) as { objects: Array<Record<string, unknown>> };
    const sighting = bundle.objects.find((o) => o['type'] === 'sighting')!;
    expect(sighting).toMatchObject({ sighting_of_ref: hydra.indicators[0]!.id, count: 4 });
    // Account names hold letters outside hex so that no random UUID can contain one by chance.
    for (const secret of ['user-b1', '198.51.100.10', 'user-benign']) expect(text.includes(secret)).toBe(false);
  }, 120_000);

  it('refuses a missing key, a short key and a missing identity with usage errors', async () => {
    expect((await runBuilt(['match', '--intel', 'lab-a.json', '--lab', 'Lab B', 'requests.jsonl'], { cwd: dir })).stderr).toContain('--key is required');
    const short = await runBuilt(['match', '--intel', 'lab-a.json', '--key', 'k1:short', '--lab', 'Lab B', 'requests.jsonl'], { cwd: dir });
    expect([short.code, short.stderr.includes('at least 16 bytes')]).toEqual([2, true]);
    expect(short.stderr.includes('short\n')).toBe(false);
    const unset = await runBuilt(['match', '--intel', 'lab-a.json', '--key', 'k1:env:NOPE', '--lab', 'Lab B'], { cwd: dir });
    expect(unset.stderr).toContain('environment variable NOPE is not set');
    const who = await runBuilt(['match', '--intel', 'lab-a.json', ...KEY, 'requests.jsonl'], { cwd: dir, env: ENV });
    expect([who.code, who.stderr.includes('--identity or --lab is required')]).toEqual([2, true]);
  }, 120_000);
});

describe('distill-intel match against a TAXII server', () => {
  it('reads the package from the collection and pushes the sightings back to it', async () => {
    const auth = ['--user', `${USER}:${PASSWORD}`];
    const pushed = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', ...auth, 'lab-a.json'], '', dir);
    expect(pushed.code).toBe(0);
    const r = await runCli(['match', '--url', server.apiRoot, '--collection', 'demo', ...auth, ...KEY, '--lab', 'Lab B', '--min-accounts', '2', '--push', 'requests.jsonl'], '', dir, ENV);
    expect(r.stderr).toMatch(/pushed: \d+ objects: \d+ succeeded, 0 failed, 0 pending/);
    // A bad telemetry line is counted and reported, not a failure of the run.
    expect(r.code).toBe(0);
    const client = new TaxiiClient({ url: server.apiRoot, auth: { type: 'basic', username: USER, password: PASSWORD } });
    const held = await client.collection('demo').objects({ match: { type: 'sighting' } }).toArray();
    expect(held.map((o) => (o as unknown as Record<string, unknown>)['sighting_of_ref'])).toEqual([hydra.indicators[0]!.id]);

    // The hub's view: Lab A's indicator and campaign are corroborated by one independent lab.
    const rep = await runCli(['report', '--url', server.apiRoot, '--collection', 'demo', ...auth, '--format', 'json'], '', dir);
    expect(rep.code).toBe(0);
    const rows = (JSON.parse(rep.stdout) as { rows: Array<{ object: string; independentLabs: string[]; confidence: number }>; labNames: Record<string, string> });
    const ind = rows.rows.find((x) => x.object === hydra.indicators[0]!.id)!;
    expect(ind.independentLabs.map((l) => rows.labNames[l])).toEqual(['Lab B']);
    expect(ind.confidence).toBe(75);
    expect(rows.rows.find((x) => x.object === hydra.campaign.id)!.independentLabs).toEqual(ind.independentLabs);
  }, 60_000);
});

describe('distill-intel report (built CLI)', () => {
  it('renders the corroboration of files as an HTML table', async () => {
    const r = await runBuilt(['report', '--format', 'html', 'lab-a.json', 'SIGHTINGS.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<td>Relay R-12 egress and relay domain');
    expect(r.stdout).toMatch(/<td>1: Lab B<\/td>/);
  }, 60_000);
});

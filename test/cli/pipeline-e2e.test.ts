import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../src/pattern/index.js';
import { exampleBundles } from '../../src/distillation/index.js';

/**
 * The whole pipeline with real processes: `distill-intel serve`, `push` of the example bundles, `pull --format ecs`
 * into a file, and a `pull --follow` killed hard (SIGKILL) mid-stream and restarted from its checkpoint.
 *
 * The CLI runs from source: `node --import ./bench/register.js src/cli/main.ts` from the repository root.
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const FIXTURE = join(ROOT, 'test/convert/fixtures/distillation-feed.json');
const EXAMPLES = join(ROOT, 'examples/distillation');
const USER = 'e2e';
const PASSWORD = 'e2e-Pa55word-not-echoed';
const ENV = { ...process.env, DISTILL_INTEL_USER: `${USER}:${PASSWORD}`, NODE_OPTIONS: '' };

let dir = '';
let server: ChildProcess | undefined;
let apiRoot = '';
const children: ChildProcess[] = [];

function cli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', './bench/register.js', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** Runs a CLI command to completion (at most `timeoutMs`). */
function run(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = cli(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`distill-intel ${args[0] ?? ''} did not finish in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function exited(child: ChildProcess, timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolveExit, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveExit({ code: child.exitCode, signal: child.signalCode });
    const timer = setTimeout(() => reject(new Error('process did not exit')), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolveExit({ code, signal });
    });
  });
}

interface EcsDoc {
  threat: { feed: { name: string }; indicator: Record<string, unknown> };
  stix: { id: string; revoked: boolean };
  distill_intel: { status: string; observable: { type: string; property: string; value: string } };
}

const docs = (path: string): EcsDoc[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as EcsDoc)
    : [];

function indicator(i: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--0e2e0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z',
    name: `Proxy exit ${i}`,
    description: 'Residential proxy exit used for distillation traffic.',
    pattern: `[ipv4-addr:value = '198.18.${Math.floor(i / 256)}.${i % 256}']`,
    pattern_type: 'stix',
    valid_from: '2026-05-01T00:00:00Z',
  };
}

function writeBundle(name: string, from: number, count: number): string {
  const path = join(dir, name);
  const objects = Array.from({ length: count }, (_, k) => indicator(from + k));
  writeFileSync(path, JSON.stringify({ type: 'bundle', id: `bundle--0e2e0000-0000-4000-8000-${String(from).padStart(12, '0')}`, objects }));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'di-e2e-'));
  server = cli(['serve', '--port', '0', '--db', join(dir, 'hub.db'), '--user', `${USER}:${PASSWORD}`, '--no-access-log']);
  let log = '';
  server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await until('the server to listen', () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.test(log), 60_000);
  apiRoot = `${/listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''}/api1/`;
}, 90_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (server !== undefined) await exited(server).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('pipeline end to end (real processes)', () => {
  it('push the example bundles, pull --format ecs: every indicator value arrives exactly once with its fields', async () => {
    // The distillation suite's example bundles (S1-S5), as files when they are checked in, else built now.
    const bundles = [FIXTURE];
    const files = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort() : [];
    if (files.length > 0) {
      for (const f of files) bundles.push(join(EXAMPLES, f));
    } else {
      for (const [name, bundle] of Object.entries(exampleBundles())) {
        const path = join(dir, `${name}.json`);
        writeFileSync(path, JSON.stringify(bundle, null, 2) + '\n');
        bundles.push(path);
      }
    }
    expect(bundles.length).toBeGreaterThan(1);
    const validated = await run(['validate', ...bundles]);
    expect(validated.code).toBe(0);
    const pushed = await run(['push', '--url', apiRoot, '--collection', 'demo', ...bundles]);
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout).toMatch(/^pushed: \d+ read, \d+ sent in \d+ requests?: \d+ succeeded, 0 failed, 0 pending\n$/);
    expect(pushed.code).toBe(0);

    const out = join(dir, 'ecs.ndjson');
    const pulled = await run(['pull', '--url', apiRoot, '--collection', 'demo', '--match', 'type=indicator', '--format', 'ecs', '--feed-name', 'FMF hub', '--verbose', '--out', out]);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout + pulled.stderr).not.toContain(PASSWORD);
    const all = docs(out);
    const key = (d: EcsDoc): string => `${d.stix.id} ${d.distill_intel.observable.type} ${d.distill_intel.observable.value}`;
    expect(new Set(all.map(key)).size).toBe(all.length);

    const byValue = (value: string): EcsDoc[] => all.filter((d) => d.distill_intel.observable.value === value);
    expect(byValue('203.0.113.17')).toHaveLength(1);
    expect(byValue('203.0.113.17')[0]?.threat).toMatchObject({
      feed: { name: 'FMF hub' },
      indicator: { type: 'ipv4-addr', ip: '203.0.113.17', confidence: 'High', marking: { tlp: 'AMBER' }, name: 'Hydra proxy cluster egress' },
    });
    expect(byValue('relay.example.com')[0]?.threat.indicator).toMatchObject({ type: 'domain-name', url: { domain: 'relay.example.com' } });
    expect(byValue('64500')[0]?.threat.indicator).toMatchObject({ type: 'autonomous-system', as: { number: 64500 } });
    expect(byValue('hmac-sha256:fmf-2026q2:77ab41c09e')[0]?.threat.indicator).toMatchObject({ type: 'ai-service-account', marking: { tlp: 'AMBER+STRICT' } });
    expect(byValue('https://router.example.net/v1/chat/completions')[0]?.distill_intel.status).toBe('revoked');
    expect(byValue('2001:db8::17')[0]?.distill_intel.status).toBe('expired');
    // The examples' indicators: the S1 relay network and domain, the S2 bands, the S4 payment fingerprint.
    expect(byValue('198.51.100.0/25')[0]?.stix.id).toBe('indicator--f48f2813-a70d-4ef9-b5aa-8a2ea353b106');
    // The S2 band values are keyed values the scenario computes: read band 3 from its fingerprint object.
    const fingerprints = Object.values(exampleBundles())
      .flatMap((b) => b.objects ?? [])
      .filter((o) => o.type === 'prompt-fingerprint') as unknown as Array<{ lsh_bands: string[] }>;
    expect(fingerprints).toHaveLength(1);
    const band3 = fingerprints[0]?.lsh_bands[3] as string;
    expect(band3).toMatch(/^b03:[0-9a-f]+$/);
    expect(byValue(band3)).toHaveLength(1);
    expect(all.filter((d) => d.stix.id === 'indicator--0cde327f-ff7f-481b-b659-7581df15dcc4')).toHaveLength(1);
    // Every flattenable indicator of the fixture is there: 11 values from 9 indicators.
    const fixtureIds = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { objects: Array<{ id: string; type: string }> }).objects.map((o) => o.id);
    expect(all.filter((d) => fixtureIds.includes(d.stix.id))).toHaveLength(11);
    // The two patterns that cannot be flattened are reported with their reasons.
    expect(pulled.stderr).toContain('indicator--fccbc230-6fbc-4b97-8af6-1d01965b284f qualifier:');
    expect(pulled.stderr).toContain('indicator--9d54839e-2663-45d8-ae91-d453b93e33bd pattern-type:');
  }, 180_000);

  it('pull --follow killed hard mid-stream and restarted from its checkpoint: no duplicates, no gaps', async () => {
    const out = join(dir, 'follow.ndjson');
    const checkpoint = join(dir, 'follow.ckpt');
    const args = [
      'pull', '--url', apiRoot, '--collection', 'demo', '--match', 'type=indicator', '--format', 'ecs',
      '--limit', '3', '--follow', '--interval', '200ms', '--out', out, '--checkpoint', checkpoint, '--issues', 'none',
    ];
    expect((await run(['push', '--url', apiRoot, '--collection', 'demo', writeBundle('a.json', 0, 150)])).code).toBe(0);

    const first = cli(args);
    // Kill as soon as some pages are out: with 3 objects a page, 150+ objects are still coming.
    await until('the first pages', () => existsSync(checkpoint) && statSync(out).size > 0, 60_000);
    first.kill('SIGKILL');
    const killed = await exited(first);
    expect(killed.signal).toBe('SIGKILL');
    const atKill = docs(out).length;

    expect((await run(['push', '--url', apiRoot, '--collection', 'demo', writeBundle('b.json', 150, 150)])).code).toBe(0);
    const second = cli(args);
    const wanted = Array.from({ length: 300 }, (_, i) => indicator(i)['id'] as string);
    await until('every indicator after the restart', () => {
      const seen = new Set(docs(out).map((d) => d.stix.id));
      return wanted.every((id) => seen.has(id));
    }, 120_000);
    second.kill('SIGTERM');
    const stopped = await exited(second);
    expect(stopped.code).toBe(0);

    const all = docs(out);
    const rowKeys = all.map((d) => `${d.stix.id} ${d.distill_intel.observable.value}`);
    const ours = all.map((d) => d.stix.id).filter((id) => id.startsWith('indicator--0e2e0000-'));
    // Exactly once each: nothing lost across the kill, nothing written twice.
    expect(ours.sort()).toEqual([...wanted].sort());
    expect(new Set(rowKeys).size).toBe(rowKeys.length);
    // The kill did land mid-stream: the first run had not yet written everything pushed before it started.
    expect(atKill).toBeLessThan(all.length - 150);
  }, 240_000);
});

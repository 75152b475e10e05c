import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from '../../src/stix/create.js';
import { hashSecretSync } from '../../src/taxii/server/secrets.js';
import { startPgCluster } from '../store/pg-cluster.js';
import type { PgCluster } from '../store/pg-cluster.js';
import { ensureBuilt, runBuilt } from './built-cli.js';

/**
 * README "Provenance and trust", run as users run it (the built CLI, real processes): two labs and a hub. Lab A signs
 * builder output and pushes it to the hub's collection that requires signatures (SQLite store); lab B pulls it with
 * --verify; the hub relays it to a second server (PostgreSQL store) whose readers verify it again. Along the way the
 * attacks fail: a rival's forgery, altered content, a stripped signature, a genuine object pushed by a non-producer.
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');
const LAB_A = 'identity--a1a1a1a1-0000-4000-8000-00000000000a';
const LAB_B = 'identity--b2b2b2b2-0000-4000-8000-00000000000b';
const SHARED = '6e0f7a4c-1b2d-4e3f-8a9b-0c1d2e3f4a5b';
const PW = { 'lab-a': 'lab-a-Pa55word', 'lab-b': 'lab-b-Pa55word', relay: 'relay-Pa55word' } as const;

let dir = '';
let pg: PgCluster | undefined;
const servers: ChildProcess[] = [];
let hub1 = '';
let hub2 = '';

function hubConfig(path: string, extra: Record<string, unknown>): void {
  const principal = (name: keyof typeof PW, more: Record<string, unknown>) => ({ name, passwordHash: hashSecretSync(PW[name]), canRead: ['*'], canWrite: ['*'], ...more });
  writeFileSync(
    path,
    JSON.stringify({
      port: 0,
      trustStore: 'trust.json',
      apiRoots: [{ path: 'hub', title: 'Hub', collections: [{ id: SHARED, title: 'Shared', alias: 'shared', requireSignatures: true }] }],
      auth: { principals: [principal('lab-a', { identities: [LAB_A] }), principal('lab-b', { identities: [LAB_B] }), principal('relay', { relayFor: ['*'] })] },
      accessLog: false,
      ...extra,
    }),
  );
}

async function serve(config: string): Promise<string> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--config', config], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(log)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return `${/listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''}/hub/`;
}

const cli = (args: string[]) => runBuilt(args, { cwd: dir, timeoutMs: 120_000 });
const lines = (text: string): Record<string, unknown>[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-provenance-'));
  expect((await cli(['keys', 'generate', '--identity', LAB_A, '--name', 'Lab A', '--out', 'lab-a'])).code).toBe(0);
  expect((await cli(['keys', 'generate', '--identity', LAB_B, '--algorithm', 'ES256', '--out', 'lab-b'])).code).toBe(0);
  expect((await cli(['keys', 'trust', 'add', '--store', 'trust.json', 'lab-a.pub.json', 'lab-b.pub.json'])).code).toBe(0);
  hubConfig(join(dir, 'hub.json'), { db: 'hub.db' });
  pg = await startPgCluster();
  hubConfig(join(dir, 'hub2.json'), { store: 'postgres', databaseUrl: pg.url });
  [hub1, hub2] = await Promise.all([serve('hub.json'), serve('hub2.json')]);
}, 300_000);

afterAll(async () => {
  for (const s of servers) s.kill('SIGTERM');
  await pg?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('Provenance and trust walkthrough (built CLI, two labs, one hub, a relay)', () => {
  it('signs builder output, pushes it to a collection that requires signatures, pulls it back verified, relays it', async () => {
    const indicator = create('indicator', {
      created_by_ref: LAB_A,
      name: 'Hydra proxy egress',
      pattern: "[ipv4-addr:value = '198.51.100.3']",
      pattern_type: 'stix',
      valid_from: '2026-11-01T00:00:00Z',
      confidence: 80,
    });
    const address = create('ipv4-addr', { value: '198.51.100.3' });
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ type: 'bundle', id: 'bundle--0a0a0a0a-0000-4000-8000-000000000001', objects: [indicator, address] }));

    const signed = await cli(['sign', '--key', 'lab-a.key.pem', '--identity', LAB_A, '--out', 'report.signed.ndjson', 'report.json']);
    expect(signed).toMatchObject({ code: 0, stderr: 'signed: 2 objects\n' });
    const pushed = await cli(['push', '--url', hub1, '--collection', 'shared', '--user', `lab-a:${PW['lab-a']}`, 'report.signed.ndjson']);
    expect(pushed.stdout).toContain('2 succeeded, 0 failed');
    expect(pushed.code).toBe(0);

    const pulled = await cli(['pull', '--url', hub1, '--collection', 'shared', '--user', `lab-b:${PW['lab-b']}`, '--verify', '--trust', 'trust.json', '--out', 'from-hub.ndjson']);
    expect(pulled.code).toBe(0);
    expect(lines(readFileSync(join(dir, 'from-hub.ndjson'), 'utf8')).map((o) => o['id']).sort()).toEqual([indicator.id, address.id].sort());
    const verified = await cli(['verify', '--trust', 'trust.json', 'from-hub.ndjson']);
    expect(verified.code).toBe(0);
    expect(verified.stdout.split('\n').filter((l) => l.startsWith(`trusted ${indicator.id}`))[0]).toContain(`by ${LAB_A}`);

    // relay: the hub re-publishes what it pulled to a second server (PostgreSQL), where readers verify again
    const relayed = await cli(['push', '--url', hub2, '--collection', 'shared', '--user', `relay:${PW.relay}`, '--trust', 'trust.json', 'from-hub.ndjson']);
    expect(relayed.stdout).toContain('2 succeeded, 0 failed');
    const second = await cli(['pull', '--url', hub2, '--collection', 'shared', '--user', `lab-b:${PW['lab-b']}`, '--verify', '--trust', 'trust.json']);
    expect(second.code).toBe(0);
    expect(lines(second.stdout).map((o) => o['id']).sort()).toEqual([indicator.id, address.id].sort());
  }, 240_000);

  it('attacks fail: forgery, altered content and a stripped signature are refused by push and by the server', async () => {
    const genuine = lines(readFileSync(join(dir, 'report.signed.ndjson'), 'utf8'))[0] as Record<string, unknown>;
    const altered = { ...genuine, name: 'POISONED', modified: '2099-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, 'altered.ndjson'), JSON.stringify(altered) + '\n');
    const refusedLocally = await cli(['push', '--url', hub1, '--collection', 'shared', '--user', `lab-b:${PW['lab-b']}`, 'altered.ndjson']);
    expect(refusedLocally.code).toBe(1);
    expect(refusedLocally.stdout).toContain('not sent: content-changed');

    // straight to the server, as a hostile client would: each refusal is a per-object failure with its own code
    const { signatures: _s, ...stripped } = genuine;
    const res = await fetch(`${hub1}collections/shared/objects/`, {
      method: 'POST',
      headers: { 'content-type': 'application/taxii+json;version=2.1', accept: 'application/taxii+json;version=2.1', authorization: `Basic ${Buffer.from(`lab-b:${PW['lab-b']}`).toString('base64')}` },
      body: JSON.stringify({ objects: [altered, { ...stripped, modified: '2099-01-02T00:00:00.000Z' }, genuine] }),
    });
    const status = (await res.json()) as { failures: { message: string }[]; success_count: number };
    expect(status.failures.map((f) => /: ([a-z-]+):/.exec(f.message)?.[1])).toEqual(['signature-content-changed', 'signature-unsigned', 'signature-signer-not-bound']);
    expect(status.success_count).toBe(0);
  }, 120_000);

  it('number spelling, key order and whitespace survive the chain; a flipped byte is caught by verify', async () => {
    const genuine = lines(readFileSync(join(dir, 'report.signed.ndjson'), 'utf8'))[0] as Record<string, unknown>;
    const base = { ...genuine };
    const respelled = JSON.stringify(Object.fromEntries(Object.entries(base).reverse()), null, 1).replace('"confidence": 80', '"confidence": 8.0E1');
    expect(respelled).toContain('8.0E1');
    const verified = await runBuilt(['verify', '--trust', 'trust.json', '-'], { cwd: dir, stdin: respelled });
    expect(verified.code).toBe(0);
    const text = JSON.stringify(genuine);
    const at = text.indexOf('Hydra');
    const flipped = text.slice(0, at) + 'h' + text.slice(at + 1);
    const caught = await runBuilt(['verify', '--trust', 'trust.json', '-'], { cwd: dir, stdin: flipped });
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain('content-changed');
  }, 120_000);
});

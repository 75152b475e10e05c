import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create } from '../../src/stix/create.js';
import { generateSigningKey } from '../../src/provenance/keys.js';
import { signObject } from '../../src/provenance/sign.js';
import { hashSecretSync } from '../../src/taxii/server/secrets.js';
import { ensureBuilt } from './built-cli.js';
import { twoLabTrust } from '../provenance/two-lab-trust.js';

/**
 * `distill-intel serve` verifies signatures on worker threads (`verifyThreads`, default one per core). Two servers
 * from the built CLI, one with threads and one with `verifyThreads: 0`, get the same envelope of good and bad objects
 * and must answer alike; on SIGTERM both must exit, and promptly (a thread left running would hold the process).
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');
const LAB_A = 'identity--6e3f4a5b-7c8d-4e9f-8a1b-2c3d4e5f6a7b' as const;
const LAB_B = 'identity--7f4a5b6c-8d9e-4f0a-9b2c-3d4e5f6a7b8c' as const;
const SIGNED = '8a5b6c7d-9e0f-4a1b-8c2d-4e5f6a7b8c9d';
const PASSWORD = 'lab-a-Pa55word';
const keyA = generateSigningKey();
const keyB = generateSigningKey('ES256');
const leaked = generateSigningKey();

let dir = '';
const servers: { child: ChildProcess; log: () => string; url: string }[] = [];

function config(name: string, verifyThreads: number | undefined): void {
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify({
      port: 0,
      db: `${name}.db`,
      trustStore: 'trust.json',
      ...(verifyThreads !== undefined ? { verifyThreads } : {}),
      apiRoots: [{ path: 'hub', title: 'Hub', collections: [{ id: SIGNED, title: 'Signed', alias: 'signed', requireSignatures: true }] }],
      auth: { principals: [{ name: 'lab-a', passwordHash: hashSecretSync(PASSWORD), canRead: ['*'], canWrite: ['*'], identities: [LAB_A] }] },
      // the access log also carries the server's error lines, such as a verification thread failing
      accessLog: true,
      ui: false,
    }),
  );
}

async function serve(name: string): Promise<(typeof servers)[number]> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--config', `${name}.json`], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(log)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const server = { child, log: () => log, url: `${/listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''}/hub/` };
  servers.push(server);
  return server;
}

function indicator(n: number, by: `identity--${string}` = LAB_A): Record<string, unknown> {
  return create('indicator', {
    created_by_ref: by,
    name: `Proxy exit node ${n}`,
    pattern: `[ipv4-addr:value = '203.0.113.${n % 250}']`,
    pattern_type: 'stix',
    valid_from: '2026-11-01T00:00:00Z',
  }) as unknown as Record<string, unknown>;
}

/** 50 rounds of: good, tampered, unknown key, leaked key after its revocation, signed by lab B, unsigned. */
function envelope(): { objects: Record<string, unknown>[]; codes: (string | undefined)[] } {
  const objects: Record<string, unknown>[] = [];
  const codes: (string | undefined)[] = [];
  for (let n = 0; n < 50; n++) {
    const good = signObject(indicator(n), keyA, { identity: LAB_A });
    const { signatures: _s, ...unsigned } = signObject(indicator(1000 + n), keyA, { identity: LAB_A });
    objects.push(
      good,
      { ...signObject(indicator(2000 + n), keyA, { identity: LAB_A }), name: 'POISONED' },
      signObject(indicator(3000 + n), generateSigningKey(), { identity: LAB_A }),
      signObject(indicator(4000 + n), leaked, { identity: LAB_A }),
      signObject(indicator(5000 + n, LAB_B), keyB, { identity: LAB_B }),
      unsigned,
    );
    codes.push(undefined, 'signature-content-changed', 'signature-unknown-key', 'signature-key-revoked', 'signature-signer-not-bound', 'signature-unsigned');
  }
  return { objects, codes };
}

async function post(url: string, objects: readonly Record<string, unknown>[]): Promise<{ success_count: number; failures: { id: string; message: string }[] }> {
  const res = await fetch(`${url}collections/signed/objects/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/taxii+json;version=2.1',
      accept: 'application/taxii+json;version=2.1',
      authorization: `Basic ${Buffer.from(`lab-a:${PASSWORD}`).toString('base64')}`,
    },
    body: JSON.stringify({ objects }),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as { success_count: number; failures: { id: string; message: string }[] };
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null) return resolveExit(child.exitCode);
    const timer = setTimeout(() => resolveExit('timeout'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
  });
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-verify-threads-'));
  writeFileSync(
    join(dir, 'trust.json'),
    JSON.stringify(twoLabTrust({ a: LAB_A, b: LAB_B }, { a: keyA, aRevoked: leaked, b: keyB }, '2026-01-01T00:00:00Z')),
  );
  config('threads', 2);
  config('inline', 0);
}, 300_000);

afterAll(() => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('serve verifies signatures on worker threads (verifyThreads)', () => {
  it('answers exactly as verification on the request thread does, and exits promptly on SIGTERM', async () => {
    const [threaded, inline] = await Promise.all([serve('threads'), serve('inline')]);
    const { objects, codes } = envelope();
    const [a, b] = await Promise.all([post(threaded.url, objects), post(inline.url, objects)]);
    const codeOf = (status: typeof a): (string | undefined)[] => {
      const byIndex = new Map(status.failures.map((f) => [Number(/^objects\/(\d+):/.exec(f.message)?.[1]), /^objects\/\d+: ([a-z-]+):/.exec(f.message)?.[1]]));
      return objects.map((_, i) => byIndex.get(i));
    };
    expect(codeOf(a)).toEqual(codes);
    const { id: _a, request_timestamp: _ta, ...sameA } = a as unknown as Record<string, unknown>;
    const { id: _b, request_timestamp: _tb, ...sameB } = b as unknown as Record<string, unknown>;
    expect(sameA).toEqual(sameB);
    expect(a.success_count).toBe(50);
    for (const s of [threaded, inline]) {
      s.child.kill('SIGTERM');
      expect(await exitOf(s.child, 15_000)).toBe(0);
      expect(s.log()).not.toMatch(/verification thread/);
    }
  }, 180_000);

  it('refuses a verifyThreads that is not a whole number from 0 to 64', async () => {
    config('bad', -1);
    const child = spawn(process.execPath, [MAIN, 'serve', '--config', 'bad.json'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    expect(await exitOf(child, 60_000)).not.toBe(0);
    expect(log).toContain('verifyThreads');
  }, 90_000);
});

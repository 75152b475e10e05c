import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { create } from '../../src/stix/create.js';
import { generateSigningKey } from '../../src/provenance/keys.js';
import { signObject } from '../../src/provenance/sign.js';
import { TrustStore } from '../../src/provenance/trust-store.js';
import type { ObjectVerdict } from '../../src/provenance/verify.js';
import { verifyObject } from '../../src/provenance/verify.js';
import { ensureBuilt } from '../cli/built-cli.js';
import { twoLabTrust } from './two-lab-trust.js';

/**
 * The verification pool runs worker threads from the built package, so these tests build dist/ and run the pool in a
 * process of its own (verify-pool-probe.mjs). What they check: the threads give exactly the verdicts of in-thread
 * verification (worked out here with `verifyObject` from the sources, at the same "now"), whatever happens to the
 * threads; batches wait rather than pile up; and the process ends by itself with or without `close()`.
 */

const PROBE = fileURLToPath(new URL('./verify-pool-probe.mjs', import.meta.url));
const LAB_A = 'identity--4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' as const;
const LAB_B = 'identity--5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f60' as const;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const keyA = generateSigningKey();
const keyB = generateSigningKey('ES256');
const leaked = generateSigningKey();
const stranger = generateSigningKey();

const TRUST = TrustStore.fromDocument(twoLabTrust({ a: LAB_A, b: LAB_B }, { a: keyA, aRevoked: leaked, b: keyB }, '2026-06-01T00:00:00Z'));

function indicator(n: number, by: `identity--${string}` = LAB_A): Record<string, unknown> {
  return create('indicator', {
    created_by_ref: by,
    name: `Proxy exit node ${n}`,
    pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`,
    pattern_type: 'stix',
    valid_from: '2026-11-01T00:00:00Z',
  }) as unknown as Record<string, unknown>;
}

const at = '2026-11-15T00:00:00.000Z';
/** One of each kind of object a server meets, with the reason (or trust) its verdict must have. */
function mixed(n: number): { text: string; expected: string }[] {
  const good = signObject(indicator(n), keyA, { identity: LAB_A, created: at });
  const { signatures: _s, ...unsigned } = good;
  return [
    { text: JSON.stringify(good), expected: 'trusted' },
    { text: JSON.stringify({ ...good, name: 'POISONED' }), expected: 'content-changed' },
    { text: JSON.stringify(signObject(indicator(n), stranger, { identity: LAB_A, created: at })), expected: 'unknown-key' },
    { text: JSON.stringify(signObject(indicator(n), leaked, { identity: LAB_A, created: at })), expected: 'key-revoked' },
    { text: JSON.stringify(signObject(indicator(n, LAB_B), keyB, { identity: LAB_B, created: at })), expected: 'trusted' },
    { text: JSON.stringify(unsigned), expected: 'unsigned' },
  ];
}

interface ProbeResult {
  readonly verdicts: ObjectVerdict[];
  readonly failures: { error: string; degraded: boolean }[];
  readonly degraded: boolean;
  readonly pendingAfter: number;
  readonly seen: { batches: number; mostHeld: number; killed: number };
  readonly threadsAfterClose?: number;
  readonly afterClose?: ObjectVerdict[];
}

/** Runs the probe; rejects when it fails or does not end within `timeoutMs` (a thread keeping it alive). */
function probe(job: Record<string, unknown>, timeoutMs = 60_000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the probe did not exit within ${timeoutMs} ms (output so far: ${out.slice(0, 200)}; ${err})`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`the probe exited with ${String(code)}: ${err}`));
      else resolve(JSON.parse(out) as ProbeResult);
    });
    child.stdin.end(JSON.stringify({ trust: TRUST.toDocument(), nowMs: NOW, ...job }));
  });
}

const outcome = (v: ObjectVerdict): string => (v.trusted ? 'trusted' : (v.reason ?? '?'));
const inThread = (texts: readonly string[]): ObjectVerdict[] =>
  texts.map((t) => verifyObject(JSON.parse(t) as Record<string, unknown>, { trust: TRUST, now: new Date(NOW) }));

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);

describe('VerifyPool (worker threads, built package)', () => {
  it('gives the verdicts of in-thread verification, in order: valid, tampered, untrusted, revoked-key, other signer, unsigned', async () => {
    const objects = Array.from({ length: 40 }, (_, n) => mixed(n)).flat();
    const texts = objects.map((o) => o.text);
    const result = await probe({ texts, threads: 2 });
    expect(result.verdicts.map(outcome)).toEqual(objects.map((o) => o.expected));
    expect(result.verdicts).toEqual(inThread(texts));
    expect(result.failures).toEqual([]);
    // 240 objects over 2 threads: split into slices of at least 64, one message each
    expect(result.seen.batches).toBe(2);
    expect(result.threadsAfterClose).toBe(0);
    // after close() it still answers, on the calling thread
    expect(result.afterClose?.map(outcome)).toEqual(['trusted']);
  }, 120_000);

  it('holds at most maxJobsPerThread batches per thread; the others wait and all are answered', async () => {
    const objects = Array.from({ length: 20 }, (_, n) => mixed(n)).flat();
    const texts = objects.map((o) => o.text);
    const result = await probe({ texts, threads: 1, maxJobsPerThread: 1, calls: 12 });
    expect(result.seen.batches).toBe(12);
    expect(result.seen.mostHeld).toBe(1);
    expect(result.pendingAfter).toBe(0);
    expect(result.verdicts).toEqual(inThread(texts));
  }, 120_000);

  it('a thread that dies with a batch is replaced and the batch verified elsewhere, verdicts unchanged', async () => {
    const objects = Array.from({ length: 30 }, (_, n) => mixed(n)).flat();
    const texts = objects.map((o) => o.text);
    const result = await probe({ texts, threads: 2, fault: 'kill-first-thread' });
    expect(result.seen.killed).toBe(1);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.degraded).toBe(false);
    expect(result.degraded).toBe(false);
    expect(result.verdicts).toEqual(inThread(texts));
    expect(result.threadsAfterClose).toBe(0);
  }, 120_000);

  it('when threads cannot start at all, it says so once and verifies on the calling thread, with the same verdicts', async () => {
    const objects = Array.from({ length: 12 }, (_, n) => mixed(n)).flat();
    const texts = objects.map((o) => o.text);
    const result = await probe({ texts, threads: 2, fault: 'no-threads' });
    expect(result.degraded).toBe(true);
    expect(result.failures.filter((f) => f.degraded)).toHaveLength(1);
    expect(result.failures[0]?.error).toMatch(/no-such-verify-worker|Cannot find module|ERR_MODULE_NOT_FOUND/);
    expect(result.verdicts).toEqual(inThread(texts));
  }, 120_000);

  it('idle threads do not keep the process alive when close() is never called', async () => {
    const texts = mixed(1).map((o) => o.text);
    const result = await probe({ texts, threads: 2, close: false }, 30_000);
    expect(result.verdicts).toEqual(inThread(texts));
  }, 60_000);
});

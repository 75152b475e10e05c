/**
 * Signature benchmark. Run: `node --import ./bench/register.js bench/signatures.ts [--quick]`
 *
 * 1. Sign and verify throughput (objects/s on one core) for Ed25519 and ES256 with SHA-256, over the synthetic
 *    ~600-byte indicators of the server benchmarks: signObject, and verifyObject against a trust store.
 * 2. Server ingest of the same signed objects through the TAXII handler into SQLite (synchronous=FULL, 1,000-object
 *    envelopes): a collection with `requireSignatures: true` against a plain one. Both receive identical signed
 *    objects, so the difference is the verification step alone. Rounds alternate; medians are reported.
 *    Target: verification costs at most 25% of plain ingest throughput with Ed25519.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '../src/provenance/keys.js';
import type { SignatureAlgorithm, SigningKey } from '../src/provenance/keys.js';
import { signObject } from '../src/provenance/sign.js';
import { TrustStore } from '../src/provenance/trust-store.js';
import { verifyObject } from '../src/provenance/verify.js';
import { defaultVerifyThreads } from '../src/provenance/verify-pool.js';
import { createTaxiiHandler } from '../src/taxii/server/handler.js';
import { hashSecretSync } from '../src/taxii/server/secrets.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import { makeIndicator } from './indicators.js';

const quick = process.argv.includes('--quick');
const LAB = 'identity--5d7c6b1a-3e2f-4a9b-8c7d-1e2f3a4b5c6d';
const N = quick ? 2_000 : 10_000;
const ENVELOPE = 1_000;
const ROUNDS = quick ? 3 : 7;
const TAXII = 'application/taxii+json;version=2.1';
const AUTH = 'Basic ' + Buffer.from('bench:bench-password').toString('base64');
const PLAIN = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const SIGNED = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')} objects/s`;
}

function objects(count: number, offset: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({ ...makeIndicator(offset + i), created_by_ref: LAB }));
}

function trustFor(keys: SigningKey[]): TrustStore {
  return TrustStore.fromDocument({
    type: 'distill-intel-trust-store',
    version: 1,
    identities: [{ identity: LAB, keys: keys.map((k) => ({ algorithm: k.algorithm, public_key: k.publicKeyText })) }],
  });
}

function signVerify(algorithm: SignatureAlgorithm): void {
  const key = generateSigningKey(algorithm);
  const trust = trustFor([key]);
  const input = objects(N, 0);
  signObject(input[0] as Record<string, unknown>, key, { identity: LAB }); // warm up
  const signTimes: number[] = [];
  const verifyTimes: number[] = [];
  let signed: Record<string, unknown>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    signed = input.map((o) => signObject(o, key, { identity: LAB }));
    signTimes.push(performance.now() - t);
    t = performance.now();
    let trusted = 0;
    for (const o of signed) if (verifyObject(o, { trust }).trusted) trusted++;
    verifyTimes.push(performance.now() - t);
    if (trusted !== signed.length) throw new Error(`only ${trusted} of ${signed.length} verified`);
  }
  console.log(`  ${algorithm.padEnd(8)} sign ${rate(N, median(signTimes)).padStart(18)}   verify ${rate(N, median(verifyTimes)).padStart(18)}`);
}

interface IngestFigures {
  readonly plain: number;
  readonly signed: number;
  /** CPU time per object, µs: the request thread's, and the whole process's (verification threads included). */
  readonly plainCpuUs: { readonly thread: number; readonly process: number };
  readonly signedCpuUs: { readonly thread: number; readonly process: number };
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/** CPU time of this process and of its main thread, ms (Linux: /proc; Node 20 has no per-thread CPU clock). */
function cpuMs(): { readonly thread: number; readonly process: number } {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const { user, system } = process.cpuUsage();
  return { thread: (Number(fields[11]) + Number(fields[12])) * TICK_MS, process: (user + system) / 1000 };
}

/**
 * Plain against signed ingest through one handler with `verifyThreads` threads. Each round posts `perRound` fresh
 * envelopes to both collections (order alternating, so neither always runs on a warmer store), `inFlight` requests at
 * a time (1: one after another; 2: as two labs pushing at once); medians of the rounds.
 */
async function ingest(key: SigningKey, verifyThreads: number, inFlight: number): Promise<IngestFigures> {
  const trust = trustFor([key]);
  const dir = mkdtempSync(join(tmpdir(), 'di-bench-sign-'));
  const store = new SqliteStore({ filename: join(dir, 'bench.db') });
  const handler = createTaxiiHandler({
    store,
    apiRoots: [
      {
        path: 'api1',
        title: 'bench',
        maxContentLength: 64 * 1024 * 1024,
        collections: [
          { id: PLAIN, title: 'plain' },
          { id: SIGNED, title: 'signed', requireSignatures: true },
        ],
      },
    ],
    auth: { principals: [{ name: 'bench', passwordHash: hashSecretSync('bench-password'), canRead: ['*'], canWrite: ['*'], identities: [LAB] }] },
    limits: { maxObjectsPerEnvelope: ENVELOPE, rateLimit: { enabled: false } },
    trustStore: trust,
    verifyThreads,
  });
  const post = async (collection: string, batch: readonly string[]): Promise<void> => {
    const res = await handler(
      new Request(`http://bench/api1/collections/${collection}/objects/`, {
        method: 'POST',
        headers: { 'content-type': TAXII, accept: TAXII, authorization: AUTH },
        body: `{"objects":[${batch.join(',')}]}`,
      }),
    );
    const status = (await res.json()) as { success_count: number };
    if (status.success_count !== batch.length) throw new Error(`${collection}: ${JSON.stringify(status).slice(0, 400)}`);
  };
  let offset = 0;
  const envelope = (): string[] => {
    const b = objects(ENVELOPE, offset).map((o) => JSON.stringify(signObject(o, key, { identity: LAB })));
    offset += ENVELOPE;
    return b;
  };
  // warm-up: the verification threads start (and, under the TypeScript loader, compile the sources) on first use
  const warm = envelope();
  await post(PLAIN, warm);
  await post(SIGNED, warm);
  const perRound = quick ? 5 : 10;
  const plainTimes: number[] = [];
  const signedTimes: number[] = [];
  const plainCpu = { thread: 0, process: 0 };
  const signedCpu = { thread: 0, process: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const batches = Array.from({ length: perRound }, envelope);
    const order = r % 2 === 0 ? [PLAIN, SIGNED] : [SIGNED, PLAIN];
    for (const collection of order) {
      const cpu = cpuMs();
      const t = performance.now();
      let next = 0;
      const client = async (): Promise<void> => {
        while (next < batches.length) await post(collection, batches[next++] as string[]);
      };
      await Promise.all(Array.from({ length: inFlight }, client));
      const spent = performance.now() - t;
      const used = cpuMs();
      const sum = collection === PLAIN ? plainCpu : signedCpu;
      sum.thread += used.thread - cpu.thread;
      sum.process += used.process - cpu.process;
      (collection === PLAIN ? plainTimes : signedTimes).push(spent);
    }
  }
  await handler.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const count = perRound * ENVELOPE;
  return {
    plain: (count / median(plainTimes)) * 1000,
    signed: (count / median(signedTimes)) * 1000,
    plainCpuUs: { thread: (plainCpu.thread / (count * ROUNDS)) * 1000, process: (plainCpu.process / (count * ROUNDS)) * 1000 },
    signedCpuUs: { thread: (signedCpu.thread / (count * ROUNDS)) * 1000, process: (signedCpu.process / (count * ROUNDS)) * 1000 },
  };
}

function report(label: string, f: IngestFigures): void {
  const cost = (1 - f.signed / f.plain) * 100;
  const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} objects/s`.padStart(18);
  console.log(`  ${label}`);
  console.log(`    plain ${fmt(f.plain)}   requireSignatures ${fmt(f.signed)}   verification costs ${cost.toFixed(1)}% (target: at most 25%) ${cost <= 25 ? 'MET' : 'NOT MET'}`);
  const us = (c: { thread: number; process: number }): string => `${c.thread.toFixed(0)} µs on the request thread, ${c.process.toFixed(0)} µs in all`;
  console.log(`    CPU per object: plain ${us(f.plainCpuUs)}; requireSignatures ${us(f.signedCpuUs)}`);
}

const threads = defaultVerifyThreads();
console.log(`Signatures benchmark (${N.toLocaleString('en-US')} indicators, ${ROUNDS} rounds, medians; ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)})`);
console.log('1. sign (signObject) and verify (verifyObject against a trust store), SHA-256, one core');
signVerify('Ed25519');
signVerify('ES256');
console.log(`2. server ingest through the TAXII handler into SQLite (synchronous=FULL, ${ENVELOPE.toLocaleString('en-US')}-object envelopes), same Ed25519-signed objects`);
const ingestKey = generateSigningKey('Ed25519');
const pooled = `verification on ${threads} thread${threads === 1 ? '' : 's'} (verifyThreads default: one per core)`;
for (const inFlight of [1, 2]) {
  console.log(inFlight === 1 ? ' one request at a time' : ` ${inFlight} requests in flight`);
  report(pooled, await ingest(ingestKey, threads, inFlight));
  report('verification on the request thread (verifyThreads: 0)', await ingest(ingestKey, 0, inFlight));
}
console.log(`(load average at the end ${loadavg()[0]?.toFixed(1)})`);

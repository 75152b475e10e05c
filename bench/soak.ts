/**
 * Soak test. Run: `node --import ./bench/register.js bench/soak.ts [--duration 120] [--clients 200] [--warmup 20]
 *   [--store sqlite|memory] [--cache-kib 8192]`
 *
 * A TAXII server (SQLite store, synchronous=FULL, page cache on, Basic auth) runs in a child process; this process
 * runs `--clients` concurrent clients on loopback, each looping over a weighted mix of
 *   45 % GET objects (first page, or the next page of its previous read), 15 % GET manifest,
 *   25 % POST of a 1-5 object envelope, 15 % GET status of one of its own earlier POSTs,
 * for `--duration` seconds. Every answer is checked (status code, and for POSTs that every object succeeded; for
 * status polls that the status is complete and matches what was posted); anything else counts as an error.
 *
 * Printed: requests, errors, req/s, p50/p99/max latency per operation, and the server's RSS and heap at start, after
 * warm-up and at the end. Pass criteria (issue 6): zero errors, and RSS growth after warm-up within 10 %.
 * Exit status 1 when a criterion fails.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { createTaxiiServer } from '../src/taxii/server/node.js';
import { hashSecretSync } from '../src/taxii/server/secrets.js';
import { MemoryStore } from '../src/taxii/store/memory.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import { makeIndicator } from './indicators.js';

const COLLECTION = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
const TAXII = 'application/taxii+json;version=2.1';
const AUTH = 'Basic ' + Buffer.from('soak:soak-password').toString('base64');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

// ------------------------------------------------------------------------------------------------ server (child)
async function child(dbDir: string, storeKind: string, cacheKiB: number): Promise<void> {
  // The SQLite page cache is bounded (cacheKiB); it fills as the database grows, which is RSS growth but not a leak,
  // so the soak runs with a cache small enough to be full by the end of the warm-up.
  const store = storeKind === 'memory' ? new MemoryStore() : new SqliteStore({ filename: join(dbDir, 'soak.db'), cacheKiB });
  const server = createTaxiiServer({
    store,
    apiRoots: [{ path: 'api1', title: 'soak', maxContentLength: 1024 * 1024, collections: [{ id: COLLECTION, title: 'soak', alias: 'soak' }] }],
    auth: { principals: [{ name: 'soak', passwordHash: hashSecretSync('soak-password'), canRead: ['*'], canWrite: ['*'] }] },
    // Throughput from one principal is what is measured here, not the rate limiter (on by default).
    limits: { defaultPageSize: 50, maxPageSize: 200, rateLimit: { enabled: false } },
    cursorSecret: 'soak-cursor-secret-0123456789abcdef',
  });
  const { url } = await server.listen(0, '127.0.0.1');
  process.send?.({ type: 'listening', url });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'memory') {
      // A full collection first (the child runs with --expose-gc), so heap figures are live data, not garbage.
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      process.send?.({ type: 'memory', rss: mem.rss, heapUsed: mem.heapUsed });
    } else if (m.type === 'stop') {
      void server.close().then(() => store.close()).then(() => process.exit(0));
    }
  });
}

// ------------------------------------------------------------------------------------------------ load (parent)
type Op = 'objects' | 'manifest' | 'post' | 'status';
const OPS: readonly Op[] = ['objects', 'manifest', 'post', 'status'];

interface Stats {
  requests: number;
  errors: number;
  latencies: Record<Op, number[]>;
  errorSamples: string[];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

let serial = 0;
const indicator = (): Record<string, unknown> => makeIndicator(++serial);

async function runClient(pool: Pool, deadline: number, stats: Stats): Promise<void> {
  const base = `/api1/collections/${COLLECTION}`;
  const posted: { statusId: string; count: number }[] = [];
  let next: string | undefined;
  while (performance.now() < deadline) {
    const r = Math.random();
    const op: Op = r < 0.45 ? 'objects' : r < 0.6 ? 'manifest' : r < 0.85 ? 'post' : posted.length > 0 ? 'status' : 'post';
    const started = performance.now();
    let problem: string | undefined;
    try {
      if (op === 'post') {
        const objects = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, indicator);
        const res = await pool.request({
          path: `${base}/objects/`,
          method: 'POST',
          headers: { accept: TAXII, 'content-type': TAXII, authorization: AUTH },
          body: JSON.stringify({ objects }),
        });
        const body = (await res.body.json()) as { id?: string; success_count?: number };
        if (res.statusCode !== 202 || body.success_count !== objects.length || body.id === undefined) {
          problem = `POST ${res.statusCode} ${JSON.stringify(body).slice(0, 200)}`;
        } else {
          posted.push({ statusId: body.id, count: objects.length });
          if (posted.length > 20) posted.shift();
        }
      } else if (op === 'status') {
        const p = posted[Math.floor(Math.random() * posted.length)] as { statusId: string; count: number };
        const res = await pool.request({ method: 'GET', path: `/api1/status/${p.statusId}/`, headers: { accept: TAXII, authorization: AUTH } });
        const body = (await res.body.json()) as { status?: string; success_count?: number };
        if (res.statusCode !== 200 || body.status !== 'complete' || body.success_count !== p.count) {
          problem = `status ${res.statusCode} ${JSON.stringify(body).slice(0, 200)}`;
        }
      } else {
        const endpoint = op === 'objects' ? 'objects' : 'manifest';
        const query = op === 'objects' && next !== undefined ? `?limit=50&next=${encodeURIComponent(next)}` : '?limit=50';
        const res = await pool.request({ method: 'GET', path: `${base}/${endpoint}/${query}`, headers: { accept: TAXII, authorization: AUTH } });
        const text = await res.body.text();
        if (res.statusCode !== 200) problem = `${endpoint} ${res.statusCode} ${text.slice(0, 200)}`;
        else if (op === 'objects') {
          const body = JSON.parse(text) as { next?: string };
          next = body.next;
        }
      }
    } catch (err) {
      problem = `${op} threw ${String(err)}`;
    }
    stats.requests++;
    stats.latencies[op].push(performance.now() - started);
    if (problem !== undefined) {
      stats.errors++;
      if (stats.errorSamples.length < 10) stats.errorSamples.push(problem);
    }
  }
}

function spawnServer(dbDir: string, storeKind: string, cacheKiB: number): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child', dbDir, storeKind, String(cacheKiB)], { execArgv: ['--expose-gc', '--import', './bench/register.js'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve({ proc, url: m.url }));
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function memory(proc: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve) => {
    const on = (m: { type: string; rss: number; heapUsed: number }): void => {
      if (m.type !== 'memory') return;
      proc.off('message', on);
      resolve({ rss: m.rss, heapUsed: m.heapUsed });
    };
    proc.on('message', on);
    proc.send({ type: 'memory' });
  });
}

const mib = (n: number): string => (n / 1024 / 1024).toFixed(1) + ' MiB';

async function main(): Promise<void> {
  const duration = Number(arg('duration', '120')) * 1000;
  const warmup = Number(arg('warmup', '20')) * 1000;
  const clients = Number(arg('clients', '200'));
  const storeKind = arg('store', 'sqlite');
  const cacheKiB = Number(arg('cache-kib', '8192'));
  const dbDir = mkdtempSync(join(tmpdir(), 'distill-soak-'));
  const { proc, url } = await spawnServer(dbDir, storeKind, cacheKiB);
  const pool = new Pool(url, { connections: clients, pipelining: 1, keepAliveTimeout: 30_000 });
  const memStart = await memory(proc);
  const stats: Stats = { requests: 0, errors: 0, latencies: { objects: [], manifest: [], post: [], status: [] }, errorSamples: [] };
  const t0 = performance.now();
  const deadline = t0 + duration;
  let memWarm = memStart;
  const warmTimer = setTimeout(() => void memory(proc).then((m) => (memWarm = m)), warmup);
  const samples: number[] = [];
  const sampler = setInterval(() => void memory(proc).then((m) => samples.push(m.rss)), 5_000);
  await Promise.all(Array.from({ length: clients }, () => runClient(pool, deadline, stats)));
  clearTimeout(warmTimer);
  clearInterval(sampler);
  const elapsed = (performance.now() - t0) / 1000;
  const memEnd = await memory(proc);
  await pool.close();
  proc.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.send({ type: 'stop' });
  });
  rmSync(dbDir, { recursive: true, force: true });

  const all = OPS.flatMap((op) => stats.latencies[op]).sort((a, b) => a - b);
  const growth = (memEnd.rss - memWarm.rss) / memWarm.rss;
  console.log(`soak: ${clients} clients, ${(duration / 1000).toFixed(0)} s, store ${storeKind} (SQLite cache ${cacheKiB} KiB), node ${process.version}`);
  console.log(`requests ${stats.requests}  errors ${stats.errors}  ${(stats.requests / elapsed).toFixed(0)} req/s`);
  console.log(`latency all: p50 ${percentile(all, 50).toFixed(1)} ms  p99 ${percentile(all, 99).toFixed(1)} ms  max ${(all.at(-1) ?? 0).toFixed(1)} ms`);
  for (const op of OPS) {
    const l = stats.latencies[op].sort((a, b) => a - b);
    console.log(`  ${op.padEnd(8)} n=${String(l.length).padStart(7)}  p50 ${percentile(l, 50).toFixed(1)} ms  p99 ${percentile(l, 99).toFixed(1)} ms`);
  }
  console.log(`server RSS: start ${mib(memStart.rss)}  after warm-up ${mib(memWarm.rss)}  end ${mib(memEnd.rss)}  (growth after warm-up ${(growth * 100).toFixed(1)} %)`);
  console.log(`server heap used: start ${mib(memStart.heapUsed)}  after warm-up ${mib(memWarm.heapUsed)}  end ${mib(memEnd.heapUsed)}`);
  console.log(`RSS samples (every 5 s): ${samples.map((s) => (s / 1024 / 1024).toFixed(0)).join(' ')}`);
  for (const e of stats.errorSamples) console.log(`  error: ${e}`);
  const ok = stats.errors === 0 && growth <= 0.1;
  console.log(ok ? 'PASS: zero errors, RSS growth after warm-up within 10 %' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string, Number(process.argv[5]));
} else {
  await main();
}

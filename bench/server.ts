/**
 * TAXII server benchmark. Run: `node --import ./bench/register.js bench/server.ts [--quick]`
 *
 * 1. Ingest: 20 POSTs of 1,000-object envelopes over HTTP into a SQLite collection (synchronous=FULL: each batch is
 *    durably committed before its 202) → objects/s. The 20,000 objects are the collection served below.
 * 2. Page serving: autocannon (16 connections, 15 s) on GET objects?limit=100 → req/s, p50, p99, with the page
 *    cache on (default) and off, and the access log on as `distill-intel serve` has it (JSON lines to a file, one
 *    write per turn of the event loop).
 * 3. Floor: a bare node:http server returning the same page bytes from memory, same autocannon settings.
 * 4. Time to page through the whole collection with `next` cursors (limit 100).
 * 5. A 1,000,000-object collection (filled straight through the store): first page vs last page, page cache off.
 *    `--serving` stops after 4.
 *
 * Servers run in child processes so the load generator and the server do not share an event loop.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import { batchedWriter, jsonLineLogger } from '../src/taxii/server/logger.js';
import { createTaxiiServer } from '../src/taxii/server/node.js';
import { hashSecretSync } from '../src/taxii/server/secrets.js';
import { toNewObject } from '../src/taxii/server/new-object.js';
import { makeIndicator } from './indicators.js';

const COLLECTION = '0b9f3c1e-7a2d-4e5f-9c8b-1a2b3c4d5e6f';
const AUTH = 'Basic ' + Buffer.from('bench:bench-password').toString('base64');
const TAXII = 'application/taxii+json;version=2.1';
const quick = process.argv.includes('--quick');
const DURATION = quick ? 5 : 15;
const INGEST_BATCHES = 20;
const servingOnly = process.argv.includes('--serving');
const BIG = quick ? 200_000 : 1_000_000;

// ---------------------------------------------------------------- child processes
async function childTaxii(db: string, cache: boolean, accessLog: string | undefined): Promise<void> {
  const store = new SqliteStore({ filename: db });
  const fd = accessLog === undefined ? undefined : openSync(accessLog, 'a');
  const lines = fd === undefined ? undefined : batchedWriter((chunk) => writeSync(fd, chunk));
  const server = createTaxiiServer({
    store,
    apiRoots: [{ path: 'api1', title: 'bench', maxContentLength: 64 * 1024 * 1024, collections: [{ id: COLLECTION, title: 'bench', alias: 'bench' }] }],
    auth: { principals: [{ name: 'bench', passwordHash: hashSecretSync('bench-password'), canRead: ['*'], canWrite: ['*'] }] },
    // Throughput from one principal is what is measured here, not the rate limiter (on by default).
    limits: { defaultPageSize: 100, maxPageSize: 1000, rateLimit: { enabled: false } },
    cursorSecret: 'bench-cursor-secret-0123456789',
    pageCache: cache ? {} : false,
    ...(lines !== undefined ? { logger: jsonLineLogger(lines) } : {}),
  });
  const { url } = await server.listen(0, '127.0.0.1');
  process.send?.({ url });
  process.on('message', (m) => {
    if (m === 'stop') void server.close().then(() => store.close()).then(() => process.exit(0));
    else if (m === 'cpu') reportCpu();
  });
}

function childFloor(pageFile: string, headersFile: string): void {
  const body = readFileSync(pageFile);
  const headers = JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>;
  const all = { ...headers, 'content-length': String(body.length) };
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, all);
    res.end(body);
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    process.send?.({ url: `http://127.0.0.1:${addr.port}` });
  });
  process.on('message', (m) => {
    if (m === 'stop') server.close(() => process.exit(0));
    else if (m === 'cpu') reportCpu();
  });
}

/** Answers the parent's `cpu` question with this process's CPU time so far (user + system, µs). */
function reportCpu(): void {
  const u = process.cpuUsage();
  process.send?.({ cpu: u.user + u.system });
}

// ---------------------------------------------------------------- parent helpers
function spawn(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), args, { execArgv: ['--import', './bench/register.js'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: (m as { url: string }).url }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

/** The child's CPU time so far, in µs. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      if (typeof m === 'object' && m !== null && 'cpu' in m) {
        child.off('message', onMessage);
        resolve((m as { cpu: number }).cpu);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Server CPU time (user + system) per answered request, µs: unlike req/s, barely moved by other load on the machine. */
  cpuPerRequest: number;
}

async function load(url: string, duration = DURATION, server?: ChildProcess): Promise<LoadResult> {
  const cpuBefore = server === undefined ? 0 : await cpuOf(server);
  const r = await autocannon({ url, connections: 16, duration, headers: { accept: TAXII, authorization: AUTH } });
  const cpuAfter = server === undefined ? 0 : await cpuOf(server);
  const answered = Math.max(1, r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors, cpuPerRequest: (cpuAfter - cpuBefore) / answered };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function ingest(base: string): Promise<{ objectsPerSecond: number; total: number }> {
  const bodies: string[] = [];
  for (let b = 0; b < INGEST_BATCHES; b++) {
    const objects = [];
    for (let i = 0; i < 1000; i++) objects.push(makeIndicator(b * 1000 + i));
    bodies.push(JSON.stringify({ objects }));
  }
  const url = `${base}/api1/collections/${COLLECTION}/objects/`;
  const started = performance.now();
  let total = 0;
  for (const body of bodies) {
    const res = await fetch(url, { method: 'POST', body, headers: { accept: TAXII, 'content-type': TAXII, authorization: AUTH } });
    const status = (await res.json()) as { success_count: number };
    if (res.status !== 202 || status.success_count !== 1000) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(status).slice(0, 300)}`);
    total += status.success_count;
  }
  const seconds = (performance.now() - started) / 1000;
  return { objectsPerSecond: total / seconds, total };
}

async function pageThrough(base: string): Promise<{ seconds: number; pages: number; objects: number }> {
  const url = `${base}/api1/collections/${COLLECTION}/objects/?limit=100`;
  const started = performance.now();
  let next: string | undefined;
  let pages = 0;
  let objects = 0;
  do {
    const res = await fetch(next === undefined ? url : `${url}&next=${encodeURIComponent(next)}`, { headers: { accept: TAXII, authorization: AUTH } });
    const env = (await res.json()) as { objects?: unknown[]; more?: boolean; next?: string };
    pages++;
    objects += env.objects?.length ?? 0;
    next = env.more === true ? env.next : undefined;
  } while (next !== undefined);
  return { seconds: (performance.now() - started) / 1000, pages, objects };
}

/** The `next` cursor of the page that ends just before the last `limit` rows, by walking the manifest quickly. */
async function lastPageUrl(base: string, total: number): Promise<string> {
  // Walk the manifest with big pages (cheap: no JSON text) up to the row before the final page of 100.
  let next: string | undefined;
  let seen = 0;
  const murl = `${base}/api1/collections/${COLLECTION}/objects/`;
  while (seen < total - 100) {
    const limit = Math.min(1000, total - 100 - seen);
    const res = await fetch(`${murl}?limit=${limit}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`, { headers: { accept: TAXII, authorization: AUTH } });
    const env = (await res.json()) as { objects?: unknown[]; next?: string };
    seen += env.objects?.length ?? 0;
    next = env.next;
    if (next === undefined) break;
  }
  return `${murl}?limit=100&next=${encodeURIComponent(next ?? '')}`;
}

async function fillStore(db: string, count: number): Promise<void> {
  const store = new SqliteStore({ filename: db, synchronous: 'NORMAL' });
  const target = { apiRoot: 'api1', collectionId: COLLECTION };
  await store.ensureCollection(target);
  for (let done = 0; done < count; done += 10_000) {
    const rows = [];
    for (let i = 0; i < Math.min(10_000, count - done); i++) rows.push(toNewObject(makeIndicator(done + i)));
    await store.addObjects(target, rows);
  }
  await store.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'distill-bench-'));
  try {
    console.log(`# TAXII server benchmark (${quick ? 'quick' : 'full'}), node ${process.version}`);
    // 1. ingest
    const db = join(dir, 'bench.db');
    const accessLog = join(dir, 'access.log');
    let { child, url } = await spawn(['--child-taxii', db, 'cache', accessLog]);
    const ing = await ingest(url);
    console.log(`ingest: ${fmt(ing.total)} objects in 1,000-object envelopes, ${fmt(ing.objectsPerSecond)} objects/s (durable commits)`);

    // 2. page serving, with and without the page cache, and 3. the floor. The machine may be shared, so the three
    // servers run side by side and are measured in alternating rounds; each figure is the median of its rounds.
    const pageUrl = `${url}/api1/collections/${COLLECTION}/objects/?limit=100`;
    const sample = await fetch(pageUrl, { headers: { accept: TAXII, authorization: AUTH } });
    const pageBytes = Buffer.from(await sample.arrayBuffer());
    const headers: Record<string, string> = {};
    sample.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'date' && k !== 'connection' && k !== 'keep-alive') headers[k] = v;
    });

    // 4. page through
    const through = await pageThrough(url);
    console.log(`page through ${fmt(through.objects)} objects (${fmt(through.pages)} pages of 100): ${fmt(through.seconds, 2)} s`);

    writeFileSync(join(dir, 'page.json'), pageBytes);
    writeFileSync(join(dir, 'headers.json'), JSON.stringify(headers));
    const uncachedServer = await spawn(['--child-taxii', db, '--no-cache', accessLog]);
    const floorServer = await spawn(['--child-floor', join(dir, 'page.json'), join(dir, 'headers.json')]);
    const rounds = 3;
    const slice = Math.max(3, Math.round(DURATION / rounds));
    const runs: Record<'cached' | 'uncached' | 'floor', LoadResult[]> = { cached: [], uncached: [], floor: [] };
    for (let r = 0; r < rounds; r++) {
      runs.cached.push(await load(pageUrl, slice, child));
      runs.uncached.push(await load(`${uncachedServer.url}/api1/collections/${COLLECTION}/objects/?limit=100`, slice, uncachedServer.child));
      runs.floor.push(await load(`${floorServer.url}/`, slice, floorServer.child));
    }
    await stop(child);
    await stop(uncachedServer.child);
    await stop(floorServer.child);
    const median = (xs: LoadResult[]): LoadResult => {
      const pick = (f: (x: LoadResult) => number): number => (xs.map(f).sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number);
      return {
        rps: pick((x) => x.rps),
        p50: pick((x) => x.p50),
        p99: pick((x) => x.p99),
        non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
        cpuPerRequest: pick((x) => x.cpuPerRequest),
      };
    };
    const served = median(runs.cached);
    const uncached = median(runs.uncached);
    const floor = median(runs.floor);
    console.log(`(${rounds} alternating rounds of ${slice} s per server, 16 connections; medians)`);
    console.log(`GET objects limit=100 (${fmt(pageBytes.length)} bytes), page cache on: ${fmt(served.rps)} req/s, p50 ${served.p50} ms, p99 ${served.p99} ms, non-2xx ${served.non2xx}`);
    console.log(`GET objects limit=100, page cache off: ${fmt(uncached.rps)} req/s, p50 ${uncached.p50} ms, p99 ${uncached.p99} ms, non-2xx ${uncached.non2xx}`);
    console.log(`floor (bare node:http, same bytes from memory): ${fmt(floor.rps)} req/s, p50 ${floor.p50} ms, p99 ${floor.p99} ms`);
    console.log(`ratio server/floor: ${fmt(served.rps / floor.rps, 2)} cached, ${fmt(uncached.rps / floor.rps, 2)} uncached (target >= 0.6, access log on); p99 ${served.p99} / ${uncached.p99} ms (target < 10)`);
    // On a 2-core machine the load generator shares the CPUs with the server, so req/s swings with whatever else runs;
    // server CPU per request is what one core can serve (1 / cost) and holds steady under outside load.
    console.log(
      `server CPU per request: ${fmt(served.cpuPerRequest)} µs cached, ${fmt(uncached.cpuPerRequest)} µs uncached, floor ${fmt(floor.cpuPerRequest)} µs` +
        ` → one core serves ${fmt(1e6 / served.cpuPerRequest)} / ${fmt(1e6 / uncached.cpuPerRequest)} / ${fmt(1e6 / floor.cpuPerRequest)} req/s;` +
        ` CPU ratio floor/server ${fmt(floor.cpuPerRequest / served.cpuPerRequest, 2)} cached, ${fmt(floor.cpuPerRequest / uncached.cpuPerRequest, 2)} uncached`,
    );
    const logged = statSync(accessLog).size;
    console.log(`access log: ${fmt(logged / 1024 / 1024, 1)} MiB of JSON lines written during the runs`);
    if (servingOnly) return;

    // 5. first vs last page of a big collection
    const bigDb = join(dir, 'big.db');
    const fillStart = performance.now();
    await fillStore(bigDb, BIG);
    console.log(`filled ${fmt(BIG)} objects through the store in ${fmt((performance.now() - fillStart) / 1000, 1)} s`);
    // Page cache off: this measures the keyset query at both ends of the collection.
    ({ child, url } = await spawn(['--child-taxii', bigDb, '--no-cache', join(dir, 'big-access.log')]));
    const lastUrl = await lastPageUrl(url, BIG);
    const firstRuns: LoadResult[] = [];
    const lastRuns: LoadResult[] = [];
    for (let r = 0; r < 3; r++) {
      firstRuns.push(await load(`${url}/api1/collections/${COLLECTION}/objects/?limit=100`, Math.max(2, Math.round(DURATION / 5))));
      lastRuns.push(await load(lastUrl, Math.max(2, Math.round(DURATION / 5))));
    }
    await stop(child);
    const first = median(firstRuns);
    const last = median(lastRuns);
    console.log(`${fmt(BIG)}-object collection, first page: ${fmt(first.rps)} req/s, p50 ${first.p50} ms, p99 ${first.p99} ms`);
    console.log(`${fmt(BIG)}-object collection, last page:  ${fmt(last.rps)} req/s, p50 ${last.p50} ms, p99 ${last.p99} ms, non-2xx ${last.non2xx}`);
    console.log(`last/first throughput: ${fmt(last.rps / first.rps, 2)} (target within 20%)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === '--child-taxii') await childTaxii(process.argv[3] as string, process.argv[4] !== '--no-cache', process.argv[5]);
else if (mode === '--child-floor') childFloor(process.argv[3] as string, process.argv[4] as string);
else await main();

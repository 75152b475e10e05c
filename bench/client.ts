// Client benchmark: pull a large collection from our own TAXII server over loopback HTTP and print objects/s and the
// client's peak RSS. The server runs in a child process (this same file with --serve), so the RSS measured is the
// client's alone, and its CPU is not shared with the client's event loop.
//
//   node --import ./bench/register.js bench/client.ts [objects] [--page-size 1000] [--store sqlite|memory]
//
// The on-the-fly TypeScript loader itself takes ~130 MB of RSS. For the client's own RSS, run a compiled copy (tsc
// output of this file and what it imports, with node_modules and a `"type": "module"` package.json beside it):
//   node <out>/bench/client.js 1000000
//
// objects (default 1000000) are written straight into the server's store before it starts listening (that ingest is
// not timed as part of the pull). Then two pulls of the whole collection run, each over the same pages:
//   raw    - undici requests following `next`, reading each body and discarding it: what the server can deliver;
//   client - TaxiiClient `for await (const obj of collection.objects({ limit }))`: parse, check, hand out every object,
//            once with the default one-page-at-a-time and once with `prefetch: true` (one request ahead).
// client/raw near 1 means the pull is limited by the server, not by the client. Targets: client RSS < 200 MB.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { TaxiiClient } from '../src/taxii/client/index.js';
import type { NewObject, Store } from '../src/taxii/store/store.js';

const COLLECTION = '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f';
const TAXII = 'application/taxii+json;version=2.1';

interface Args {
  objects: number;
  pageSize: number;
  store: 'sqlite' | 'memory';
  serve: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { objects: 1_000_000, pageSize: 1000, store: 'sqlite', serve: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--serve') args.serve = true;
    else if (a === '--page-size') args.pageSize = Number(argv[++i]);
    else if (a === '--store') args.store = argv[++i] === 'memory' ? 'memory' : 'sqlite';
    else if (/^\d+$/.test(a)) args.objects = Number(a);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isSafeInteger(args.objects) || args.objects <= 0) throw new Error('objects must be a positive integer');
  if (!Number.isSafeInteger(args.pageSize) || args.pageSize <= 0) throw new Error('--page-size must be a positive integer');
  return args;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

// A realistic ~600-byte STIX 2.1 indicator, different for every n.
function makeObject(n: number): NewObject {
  const id = `indicator--${hex(n >>> 16, 8)}-${hex(n & 0xffff, 4)}-4${hex(n % 4096, 3)}-8${hex((n * 7) % 4096, 3)}-${hex(n * 13, 12)}`;
  const modified = new Date(1_700_000_000_000 + n * 1000).toISOString();
  const json = JSON.stringify({
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: modified,
    modified,
    name: `Benchmark indicator ${n}`,
    description: 'Synthetic indicator for the client benchmark; the text gives the object a realistic size. '.repeat(2),
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: modified,
    labels: ['benchmark', `bucket-${n % 97}`],
    confidence: n % 101,
  });
  return { json, id, type: 'indicator', version: modified, specVersion: '2.1' };
}

// ---- server role (child process) ----

async function serve(args: Args): Promise<void> {
  // Imported here so the client process never loads the server or SQLite.
  const { createTaxiiServer } = await import('../src/taxii/server/node.js');
  const { MemoryStore } = await import('../src/taxii/store/memory.js');
  const { SqliteStore } = await import('../src/taxii/store/sqlite.js');
  const dir = mkdtempSync(join(process.env['BENCH_DIR'] ?? tmpdir(), 'distill-intel-bench-client-'));
  let store: Store;
  if (args.store === 'memory') store = new MemoryStore();
  else store = new SqliteStore({ filename: join(dir, 'bench.db'), synchronous: 'NORMAL' });
  const target = { apiRoot: 'bench', collectionId: COLLECTION };
  const started = performance.now();
  const BATCH = 5000;
  for (let done = 0; done < args.objects; done += BATCH) {
    const size = Math.min(BATCH, args.objects - done);
    const batch: NewObject[] = new Array(size);
    for (let i = 0; i < size; i++) batch[i] = makeObject(done + i);
    await store.addObjects(target, batch);
  }
  const ingestS = (performance.now() - started) / 1000;
  const server = createTaxiiServer({
    store,
    apiRoots: [{ path: 'bench', title: 'bench', collections: [{ id: COLLECTION, title: 'bench', alias: 'bench' }] }],
    auth: { anonymous: { canRead: ['*'] } },
    // Throughput from one principal is what is measured here, not the rate limiter (on by default).
    limits: { defaultPageSize: args.pageSize, maxPageSize: args.pageSize, rateLimit: { enabled: false } },
    cursorSecret: 'bench-cursor-secret-0123456789',
  });
  const { url } = await server.listen(0, '127.0.0.1');
  process.send?.({ url, ingestS });
  process.on('message', (m) => {
    if (m === 'stop') {
      void server.close().then(async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
}

// ---- client role (parent) ----

function startServer(args: Args): Promise<{ child: ChildProcess; url: string; ingestS: number }> {
  const self = fileURLToPath(import.meta.url);
  const child = fork(self, [String(args.objects), '--page-size', String(args.pageSize), '--store', args.store, '--serve'], {
    // From source the child needs the TypeScript loader too; a compiled copy of this bench runs as plain JS.
    execArgv: self.endsWith('.ts') ? ['--import', './bench/register.js'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ...(m as { url: string; ingestS: number }) }));
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

class RssSampler {
  peak = process.memoryUsage().rss;
  readonly #timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }, 20);
  stop(): number {
    clearInterval(this.#timer);
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return this.peak;
  }
}

async function rawPull(base: string, pageSize: number, maxPages = Infinity): Promise<{ objects: number; seconds: number; bytes: number }> {
  const agent = new Agent({ connections: 1 });
  const origin = new URL(base).origin;
  let path = `/bench/collections/${COLLECTION}/objects/?limit=${pageSize}`;
  let objects = 0;
  let bytes = 0;
  const t = performance.now();
  for (let pages = 0; pages < maxPages; pages++) {
    const res = await agent.request({ origin, path, method: 'GET', headers: { accept: TAXII } });
    const chunks: Buffer[] = [];
    for await (const c of res.body as AsyncIterable<Buffer>) chunks.push(c);
    const body = Buffer.concat(chunks);
    bytes += body.length;
    // Count objects and find `next` without parsing the page: this is the transport-only baseline.
    const text = body.toString('latin1');
    let at = text.indexOf('"spec_version"');
    while (at >= 0) {
      objects++;
      at = text.indexOf('"spec_version"', at + 14);
    }
    const m = /"next":"([^"]+)"/.exec(text.slice(0, 2048));
    if (m === null) break;
    path = `/bench/collections/${COLLECTION}/objects/?limit=${pageSize}&next=${encodeURIComponent(m[1] as string)}`;
  }
  const seconds = (performance.now() - t) / 1000;
  await agent.close();
  return { objects, seconds, bytes };
}

async function clientPull(base: string, pageSize: number, prefetch: boolean): Promise<{ objects: number; seconds: number; peakRss: number }> {
  const client = new TaxiiClient({ url: `${base}/bench/`, prefetch });
  const sampler = new RssSampler();
  const t = performance.now();
  let objects = 0;
  let check = 0;
  for await (const obj of client.collection(COLLECTION).objects({ limit: pageSize })) {
    objects++;
    check += obj.id.length;
  }
  const seconds = (performance.now() - t) / 1000;
  const peakRss = sampler.stop();
  await client.close();
  if (check === 0) throw new Error('no objects');
  return { objects, seconds, peakRss };
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.serve) return serve(args);
  console.log(`client bench: ${args.objects} objects, pages of ${args.pageSize}, ${args.store} store, server in a child process (Node ${process.version})`);
  const { child, url, ingestS } = await startServer(args);
  try {
    console.log(`  server ready at ${url} after ingesting for ${ingestS.toFixed(1)} s`);
    await rawPull(url, args.pageSize, 20); // warm the server (page cache, JIT) so neither pull pays for it
    const baseRss = process.memoryUsage().rss;
    const raw = await rawPull(url, args.pageSize);
    console.log(`  raw    ${raw.objects} objects in ${raw.seconds.toFixed(1)} s = ${(raw.objects / raw.seconds).toFixed(0)} objects/s (${mb(raw.bytes)} MB of pages)`);
    for (const prefetch of [false, true]) {
      const c = await clientPull(url, args.pageSize, prefetch);
      const label = prefetch ? 'client (prefetch: true) ' : 'client (prefetch: false)';
      console.log(
        `  ${label} ${c.objects} objects in ${c.seconds.toFixed(1)} s = ${(c.objects / c.seconds).toFixed(0)} objects/s, ` +
          `${(c.objects / c.seconds / (raw.objects / raw.seconds)).toFixed(2)} of raw; peak RSS ${mb(c.peakRss)} MB ` +
          `(+${mb(c.peakRss - baseRss)} MB over the ${mb(baseRss)} MB before the pulls)`,
      );
      if (c.objects !== args.objects) console.log(`  WARNING: expected ${args.objects} objects, got ${c.objects}`);
    }
    if (import.meta.url.endsWith('.ts')) {
      console.log('  (RSS before the pulls is mostly the on-the-fly TypeScript loader of bench/register.js; see the header for a compiled run)');
    }
    if (raw.objects !== args.objects) console.log(`  WARNING: raw pull saw ${raw.objects} objects`);
  } finally {
    child.send('stop');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

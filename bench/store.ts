// Store benchmark: SQLite ingest rate (durable, 1,000-object batches) and page-query latency at the start and the end
// of large collections (keyset pagination must cost the same on the last page as on the first).
//
//   node --import ./bench/register.js bench/store.ts
//
// Environment: BENCH_ROWS (default 1000000) rows in the big collection, BENCH_SMALL_ROWS (default 100000) in the
// small one, BENCH_QUERIES (default 2000) timed queries per case, BENCH_MAX_INGEST_S (default 240) stops ingest
// early (and says so) on a slow machine, BENCH_DIR (default the OS temp dir) is where the temporary database goes
// (pick a real disk: synchronous=FULL syncs are what the ingest figure measures). The temp dir is removed afterwards.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serializeEnvelope } from '../src/taxii/protocol/resources.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import type { CollectionRef, NewObject, ObjectQuery, Store } from '../src/taxii/store/store.js';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const SMALL_ROWS = Number(process.env['BENCH_SMALL_ROWS'] ?? 100_000);
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? 2_000);
const MAX_INGEST_S = Number(process.env['BENCH_MAX_INGEST_S'] ?? 240);
const BATCH = 1_000;
const LIMIT = 100;

const TYPES = ['indicator', 'indicator', 'indicator', 'malware', 'relationship', 'identity', 'attack-pattern', 'tool'];

// A realistic ~700-byte STIX 2.1 object, different for every n.
function makeObject(n: number): NewObject {
  // one object in 10,000 has a rare type, to time a type filter that matches almost nothing
  const type = n % 10_000 === 5 ? 'x-bench-rare' : (TYPES[n % TYPES.length] as string);
  // random UUIDv4 ids, as real STIX ids are: the id index then takes inserts all over, the realistic worst case
  const id = `${type}--${randomUUID()}`;
  const modified = new Date(1_700_000_000_000 + n * 1000).toISOString();
  const json = JSON.stringify({
    type,
    spec_version: '2.1',
    id,
    created: modified,
    modified,
    name: `Benchmark object ${n}`,
    description: `Synthetic ${type} number ${n}, written to give the row a realistic size for ingest and page timing; `.repeat(3),
    labels: ['benchmark', `bucket-${n % 97}`],
    confidence: n % 101,
    external_references: [{ source_name: 'bench', url: `https://example.com/objects/${n}` }],
    object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
  });
  return { json, id, type, version: modified, specVersion: '2.1' };
}

async function ingest(store: Store, target: CollectionRef, rows: number, offset: number): Promise<{ rows: number; seconds: number }> {
  // Only addObjects is timed (each call = one committed, synced transaction); making the test objects is not.
  let spent = 0;
  let done = 0;
  while (done < rows) {
    const size = Math.min(BATCH, rows - done);
    const batch: NewObject[] = new Array(size);
    for (let i = 0; i < size; i++) batch[i] = makeObject(offset + done + i);
    const t = performance.now();
    await store.addObjects(target, batch);
    spent += performance.now() - t;
    done += size;
    if (spent / 1000 > MAX_INGEST_S) break;
  }
  return { rows: done, seconds: spent / 1000 };
}

interface Timing {
  median: number;
  p99: number;
  perSecond: number;
}

function summarise(samples: number[], totalMs: number): Timing {
  samples.sort((a, b) => a - b);
  const runs = samples.length;
  return {
    median: (samples[Math.floor(runs / 2)] ?? 0) * 1000,
    p99: (samples[Math.floor(runs * 0.99)] ?? 0) * 1000,
    perSecond: runs / (totalMs / 1000),
  };
}

// Times several query functions *interleaved* (a, b, c, a, b, c, ...), so that load from other processes on a shared
// machine hits every case alike and their ratio stays meaningful.
async function timeInterleaved(fns: readonly (() => Promise<unknown>)[], runs: number): Promise<Timing[]> {
  for (let i = 0; i < Math.min(50, runs); i++) for (const fn of fns) await fn(); // warm statements and page cache
  const samples = fns.map(() => new Array<number>(runs));
  const totals = fns.map(() => 0);
  for (let i = 0; i < runs; i++) {
    for (let f = 0; f < fns.length; f++) {
      const t = performance.now();
      await (fns[f] as () => Promise<unknown>)();
      const spent = performance.now() - t;
      (samples[f] as number[])[i] = spent;
      totals[f] = (totals[f] as number) + spent;
    }
  }
  return samples.map((s, f) => summarise(s, totals[f] as number));
}

function row(label: string, t: Timing): string {
  return `  ${label.padEnd(46)} median ${t.median.toFixed(0).padStart(6)} µs   p99 ${t.p99.toFixed(0).padStart(6)} µs   ${t.perSecond.toFixed(0).padStart(6)} queries/s`;
}

// Position just before the last full page, found the way a client would get there: through a cursor.
async function positionBeforeLastPage(store: Store, target: CollectionRef, query: ObjectQuery, total: number): Promise<ObjectQuery['after']> {
  // Walk with big pages (manifest, no text) to the row that precedes the last LIMIT matching rows.
  let after: ObjectQuery['after'];
  let seen = 0;
  const stopAt = total - LIMIT;
  while (seen < stopAt) {
    const step = Math.min(10_000, stopAt - seen);
    const page = await store.queryManifest(target, after === undefined ? query : { ...query, after }, step);
    const last = page.rows[page.rows.length - 1];
    if (last === undefined) break;
    after = { dateAdded: last.dateAdded, seq: last.seq };
    seen += page.rows.length;
    if (!page.more) break;
  }
  return after;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env['BENCH_DIR'] ?? tmpdir(), 'distill-intel-bench-store-'));
  const file = join(dir, 'bench.db');
  const store = new SqliteStore({ filename: file });
  const big: CollectionRef = { apiRoot: 'bench', collectionId: '00000000-0000-4000-8000-000000000001' };
  const small: CollectionRef = { apiRoot: 'bench', collectionId: '00000000-0000-4000-8000-000000000002' };
  try {
    console.log(`SqliteStore benchmark (WAL, synchronous=FULL, ${BATCH}-object batches, page limit ${LIMIT})`);
    console.log(`node ${process.version}, temp dir ${dir}\n`);

    const s = await ingest(store, small, SMALL_ROWS, 0);
    console.log(`ingest ${s.rows.toLocaleString('en')} objects: ${s.seconds.toFixed(1)} s = ${Math.round(s.rows / s.seconds).toLocaleString('en')} objects/s`);
    const b = await ingest(store, big, ROWS, 10_000_000);
    console.log(`ingest ${b.rows.toLocaleString('en')} objects: ${b.seconds.toFixed(1)} s = ${Math.round(b.rows / b.seconds).toLocaleString('en')} objects/s` +
      (b.rows < ROWS ? `  (stopped at the ${MAX_INGEST_S} s cap)` : ''));
    console.log(`database size ${(statSync(file).size / 1e6).toFixed(0)} MB (+ WAL)\n`);

    const DEFAULT: ObjectQuery = { versions: ['last'] };
    const cases: [string, CollectionRef, number, ObjectQuery][] = [
      [`${(s.rows / 1000).toFixed(0)}k objects, default filters`, small, s.rows, DEFAULT],
      [`${(b.rows / 1000).toFixed(0)}k objects, default filters`, big, b.rows, DEFAULT],
      [`${(b.rows / 1000).toFixed(0)}k objects, match[version]=all`, big, b.rows, { versions: ['all'] }],
      [`${(b.rows / 1000).toFixed(0)}k objects, match[type]=indicator`, big, Math.floor((b.rows * 3) / 8), { versions: ['last'], types: ['indicator'] }],
    ];
    for (const [label, target, total, query] of cases) {
      console.log(`${label}:`);
      const after = await positionBeforeLastPage(store, target, query, total);
      const lastQuery = after === undefined ? query : { ...query, after };
      const envelope = async (q: ObjectQuery): Promise<string> => {
        const page = await store.queryObjects(target, q, LIMIT);
        return serializeEnvelope(page.rows.map((r) => r.json), page.more, 'x');
      };
      const [firstPage, lastPage, manifest] = await timeInterleaved(
        [() => envelope(query), () => envelope(lastQuery), () => store.queryManifest(target, lastQuery, LIMIT)],
        QUERIES,
      );
      const check = await store.queryObjects(target, lastQuery, LIMIT);
      if (firstPage === undefined || lastPage === undefined || manifest === undefined) throw new Error('no timings');
      console.log(row('first page (objects + envelope)', firstPage));
      console.log(row(`last page (${check.rows.length} rows, more=${check.more})`, lastPage));
      console.log(`  last/first median ratio ${(lastPage.median / firstPage.median).toFixed(2)}`);
      console.log(row('last page, manifest (no text)', manifest));
    }
    const rareQuery: ObjectQuery = { versions: ['last'], types: ['x-bench-rare'] };
    const [rare] = await timeInterleaved([() => store.queryObjects(big, rareQuery, LIMIT)], Math.min(QUERIES, 500));
    const rareRows = (await store.queryObjects(big, rareQuery, LIMIT)).rows.length;
    console.log(`${(b.rows / 1000).toFixed(0)}k objects, match[type] matching 1 object in 10,000:`);
    if (rare !== undefined) console.log(row(`first page (${rareRows} rows)`, rare));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

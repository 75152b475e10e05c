// Versioning-rule benchmark: what the store-side STIX §3.6 checks (created and created_by_ref kept, nothing after a
// revoked version; src/taxii/store/lineage.ts) cost on ingest. A new object has no versions held and is not checked;
// a new version of a held object reads the held versions' created, created_by_ref and revoked from their stored text
// and is judged against them. The script ingests N new objects, then one new version of each, in 1,000-object
// batches, and prints objects/s for both phases, per store.
//
//   node --import ./bench/register.js bench/versioning.ts
//
// Environment: BENCH_OBJECTS (default 20000), BENCH_VERSIONS (versions per object after the first, default 1),
// BENCH_DIR (default the OS temp dir; SQLite runs with synchronous=FULL there), BENCH_DATABASE_URL (run the
// PostgreSQL store on that server, in a throwaway schema; without it the script starts a throwaway local cluster with
// fsync and synchronous_commit on, as bench/server-postgres.ts does, so its commits are as durable as SQLite's).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toNewObject } from '../src/taxii/server/new-object.js';
import { MemoryStore } from '../src/taxii/store/memory.js';
import { openPostgresStore } from '../src/taxii/store/postgres.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import type { CollectionRef, NewObject, Store } from '../src/taxii/store/store.js';
import { startPgCluster } from '../test/store/pg-cluster.js';

const OBJECTS = Number(process.env['BENCH_OBJECTS'] ?? 20_000);
const VERSIONS = Number(process.env['BENCH_VERSIONS'] ?? 1);
const BATCH = 1_000;
const TARGET: CollectionRef = { apiRoot: 'bench', collectionId: '5e0c7a2b-9d1f-4c3e-8a6b-2f4d6e8a0c1e' };
const CREATOR = 'identity--6b1d2f3a-4c5e-4f70-8a9b-0c1d2e3f4a5b';
const CREATED = '2026-01-01T00:00:00.000Z';

// A ~600-byte indicator by CREATOR, version v of object n, as the server hands it to the store (toNewObject).
function version(id: string, n: number, v: number): NewObject {
  const modified = new Date(Date.parse(CREATED) + v * 60_000).toISOString();
  return toNewObject({
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: CREATED,
    modified,
    created_by_ref: CREATOR,
    name: `Proxy exit node ${n} (revision ${v})`,
    description: 'Synthetic indicator of a distillation proxy exit node, sized like a real one. '.repeat(3),
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '198.51.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: CREATED,
    confidence: 60 + (v % 40),
  });
}

async function timedIngest(store: Store, objects: readonly NewObject[]): Promise<number> {
  let spent = 0;
  for (let i = 0; i < objects.length; i += BATCH) {
    const batch = objects.slice(i, i + BATCH);
    const t = performance.now();
    const results = await store.addObjects(TARGET, batch);
    spent += performance.now() - t;
    const bad = results.find((r) => r.outcome !== 'added');
    if (bad !== undefined) throw new Error(`unexpected outcome ${bad.outcome} for ${bad.id}`);
  }
  return objects.length / (spent / 1000);
}

async function run(name: string, open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    const ids = Array.from({ length: OBJECTS }, () => `indicator--${randomUUID()}`);
    const fresh = await timedIngest(store, ids.map((id, n) => version(id, n, 0)));
    const rates: number[] = [];
    for (let v = 1; v <= VERSIONS; v++) rates.push(await timedIngest(store, ids.map((id, n) => version(id, n, v))));
    const fmt = (r: number): string => Math.round(r).toLocaleString('en-US').padStart(9);
    console.log(
      `${name.padEnd(12)} new objects ${fmt(fresh)}/s   new versions ${rates.map(fmt).join(' ')}/s` +
        `   (versions at ${rates.map((r) => `${((100 * r) / fresh).toFixed(0)}%`).join(', ')} of new-object rate)`,
    );
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  console.log(`${OBJECTS.toLocaleString('en-US')} indicators, then ${VERSIONS} new version(s) of each; batches of ${BATCH}`);
  await run('memory', async () => new MemoryStore());
  const dir = mkdtempSync(join(process.env['BENCH_DIR'] ?? tmpdir(), 'bench-versioning-'));
  try {
    await run('sqlite', async () => new SqliteStore({ filename: join(dir, 'bench.db') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env['BENCH_DATABASE_URL'];
  if (url !== undefined) {
    await run('postgres', async () => openPostgresStore(url, { schema: `bench_${process.pid}` }));
    return;
  }
  const cluster = await startPgCluster({ durable: true, settings: { shared_buffers: '256MB' } });
  try {
    await run('postgres', async () => openPostgresStore(cluster.url, { schema: 'bench' }));
  } finally {
    await cluster.stop();
  }
}

await main();

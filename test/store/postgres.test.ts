import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MIGRATE_HELP, runMigrate } from '../../src/cli/migrate.js';
import { buildStatus } from '../../src/taxii/protocol/resources.js';
import { StoreError } from '../../src/taxii/store/errors.js';
import { PostgresStoreError } from '../../src/taxii/store/postgres-errors.js';
import { migratePostgres, POSTGRES_SCHEMA_VERSION, postgresSchemaState } from '../../src/taxii/store/postgres-migrations.js';
import { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../../src/taxii/store/postgres.js';
import type { CollectionRef, NewObject, ObjectQuery, StoreOptions } from '../../src/taxii/store/store.js';
import { storeContract } from './contract.js';
import { ManualClock, sid, stixObject, uuid } from './fixtures.js';
import { checkAgainstModel } from './model-property.js';
import { startPgCluster, type PgCluster } from './pg-cluster.js';

// One throwaway PostgreSQL server for the file; every store gets its own schema, so tests never see each other's rows.
let cluster: PgCluster | undefined;
let schemas = 0;
const freshSchema = (): string => `t${process.pid}_${++schemas}`;

beforeAll(async () => {
  cluster = await startPgCluster();
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

function url(): string {
  if (cluster === undefined) throw new Error('the PostgreSQL test cluster did not start (see the beforeAll error)');
  return cluster.url;
}

const open = (options: Omit<PostgresStoreOptions, 'connectionString'> = {}): Promise<PostgresStore> =>
  openPostgresStore(url(), { schema: freshSchema(), ...options });

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

storeContract('PostgresStore', async (options: StoreOptions) => open(options));

const A: CollectionRef = { apiRoot: 'api1', collectionId: '91a7b528-80eb-42ed-a74d-c6fbd5a26116' };
const LAST: ObjectQuery = { versions: ['last'] };

/** Resolves when `flag()` holds, polling; fails after `ms` so a broken test never hangs. */
async function until(flag: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await flag())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A gate a test opens by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

describe('PostgresStore: date_added across concurrent writers', () => {
  it('commits in date_added order: a reader that saw a later write never misses an earlier-started one', async () => {
    // Two instances (separate pools) on one schema, both on a frozen clock so only the store's ordering separates
    // their dates. A holds its transaction open just before COMMIT; B starts while A is open. If B could assign its
    // dates before A commits (no collection lock), it would take the same values as A, and a reader that has seen A's
    // rows would skip B's with added_after. With the lock, B waits for A and gets later dates.
    const schema = freshSchema();
    const clock = new ManualClock();
    const gateA = gate();
    const gateB = gate();
    const held: string[] = [];
    const hook = (name: string, g: { wait: Promise<void> }) => async (): Promise<void> => {
      held.push(name);
      await g.wait;
    };
    const a = await openPostgresStore(url(), { schema, clock: clock.read, beforeCommit: hook('A', gateA) });
    const b = await openPostgresStore(url(), { schema, clock: clock.read, beforeCommit: hook('B', gateB) });
    const reader = await openPostgresStore(url(), { schema });
    try {
      await a.ensureCollection(A);
      const writeA = a.addObjects(A, [stixObject('indicator', 1), stixObject('indicator', 2)]);
      await until(() => held.includes('A'), 'A to reach its commit point');
      const writeB = b.addObjects(A, [stixObject('malware', 3)]);
      // B must now be waiting for A's collection lock (seen from the server), not at its own commit point.
      await until(
        async () =>
          (await sql<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"))[0]?.n === '1' ||
          held.includes('B'),
        'B to block or reach its commit point',
      );
      expect(held).toEqual(['A']);
      expect((await reader.queryManifest(A, LAST, 10)).rows).toEqual([]);

      gateA.open();
      const resultA = await writeA;
      await until(() => held.includes('B'), 'B to reach its commit point');
      // A is committed, B is not: the reader sees A's rows and remembers where it stopped.
      const seen = await reader.queryManifest(A, LAST, 10);
      expect(seen.rows.map((r) => r.id)).toEqual([sid('indicator', 1), sid('indicator', 2)]);
      const high = Math.max(...seen.rows.map((r) => r.dateAdded));

      gateB.open();
      const resultB = await writeB;
      // 1 µs apart within a write, each write's last row on the next whole millisecond.
      expect(resultA.map((r) => r.dateAdded)).toEqual([clock.now, clock.now + 1_000]);
      expect(resultB.map((r) => r.dateAdded)).toEqual([clock.now + 2_000]);
      // The poll after B's commit, from where the reader stopped, finds B's row.
      const next = await reader.queryManifest(A, { ...LAST, addedAfter: high }, 10);
      expect(next.rows.map((r) => r.id)).toEqual([sid('malware', 3)]);
    } finally {
      gateA.open();
      gateB.open();
      await Promise.all([a.close(), b.close(), reader.close()]);
    }
  }, 60_000);

  it('stores an object POSTed concurrently through several instances once, without errors', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url(), { schema })));
    try {
      const object = stixObject('malware', 7);
      const results = await Promise.all(stores.flatMap((s) => [s.addObjects(A, [object]), s.addObjects(A, [object])]));
      const outcomes = results.map((r) => r[0]?.outcome).sort();
      expect(outcomes).toEqual(['added', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      const dates = new Set(results.map((r) => r[0]?.dateAdded));
      expect(dates.size).toBe(1);
      const page = await (stores[0] as PostgresStore).queryObjects(A, { versions: ['all'] }, 10);
      expect(page.rows.map((r) => r.json)).toEqual([object.json]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 60_000);

  it('lets a reader paging by added_after see every object written through two instances exactly once', async () => {
    const schema = freshSchema();
    const [w1, w2, reader] = await Promise.all([0, 1, 2].map(() => openPostgresStore(url(), { schema, poolSize: 4 })));
    if (w1 === undefined || w2 === undefined || reader === undefined) throw new Error('stores did not open');
    try {
      await w1.ensureCollection(A);
      const written: string[] = [];
      let writing = true;
      const writer = async (store: PostgresStore, base: number): Promise<void> => {
        for (let batch = 0; batch < 40; batch++) {
          const objects = Array.from({ length: 1 + (batch % 5) }, (_, i) => stixObject('indicator', base + batch * 10 + i));
          const results = await store.addObjects(A, objects);
          for (const r of results) if (r.outcome === 'added') written.push(r.id);
        }
      };
      const writers = Promise.all([writer(w1, 100_000), writer(w2, 200_000)]).finally(() => {
        writing = false;
      });
      const read: string[] = [];
      let since: number | undefined;
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error('reader did not finish');
        const stillWriting = writing;
        let more = true;
        while (more) {
          const page = await reader.queryManifest(A, since === undefined ? LAST : { ...LAST, addedAfter: since }, 7);
          for (const r of page.rows) read.push(r.id);
          const last = page.rows[page.rows.length - 1];
          if (last !== undefined) since = last.dateAdded;
          more = page.more;
        }
        if (!stillWriting) break;
      }
      await writers;
      expect(new Set(read).size).toBe(read.length);
      expect([...read].sort()).toEqual([...written].sort());
      // each writer: 40 batches of 1..5 new objects = 120 objects
      expect(written).toHaveLength(240);
    } finally {
      await Promise.all([w1.close(), w2.close(), reader.close()]);
    }
  }, 120_000);
});

describe('PostgresStore: schema and migrations', () => {
  it('creates the schema on first open and records each migration once', async () => {
    const schema = freshSchema();
    const first = await openPostgresStore(url(), { schema });
    await first.close();
    const again = await openPostgresStore(url(), { schema });
    await again.close();
    const rows = await sql<{ version: number }>(`SELECT version FROM "${schema}".distill_intel_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('migrates once when several instances open an empty schema at the same moment', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url(), { schema })));
    await Promise.all(stores.map((s) => s.close()));
    const rows = await sql<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".distill_intel_migrations`);
    expect(rows[0]?.n).toBe(String(POSTGRES_SCHEMA_VERSION));
  }, 60_000);

  it('refuses to open an unmigrated schema with migrate: false, naming the command to run', async () => {
    const schema = freshSchema();
    await expect(openPostgresStore(url(), { schema, migrate: false })).rejects.toMatchObject({ code: 'STORE_SCHEMA' });
    await expect(openPostgresStore(url(), { schema, migrate: false })).rejects.toThrow(/distill-intel migrate/);
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      expect((await postgresSchemaState(client, schema)).current).toBe(0);
      expect(await migratePostgres(client, schema)).toEqual({ from: 0, to: POSTGRES_SCHEMA_VERSION, applied: [1] });
      expect(await migratePostgres(client, schema)).toEqual({ from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION, applied: [] });
    } finally {
      await client.end();
    }
    const store = await openPostgresStore(url(), { schema, migrate: false });
    await store.close();
  });

  it('refuses a schema written by a newer version', async () => {
    const schema = freshSchema();
    await (await openPostgresStore(url(), { schema })).close();
    await sql(`INSERT INTO "${schema}".distill_intel_migrations (version, name) VALUES (999, 'from the future')`);
    await expect(openPostgresStore(url(), { schema })).rejects.toThrow(/version 999/);
    await expect(openPostgresStore(url(), { schema, migrate: false })).rejects.toBeInstanceOf(StoreError);
  });

  it('reports an unreachable database as STORE_UNAVAILABLE without printing the password', async () => {
    const bad = `postgres://someone:s3cret-pw@127.0.0.1:1/nothing`;
    const err = await openPostgresStore(bad, { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostgresStoreError);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/127\.0\.0\.1:1/);
    expect((err as Error).message).not.toMatch(/s3cret-pw/);
  });

  it('rejects an invalid schema name', async () => {
    await expect(openPostgresStore(url(), { schema: '' })).rejects.toMatchObject({ code: 'STORE_INVALID_ARGUMENT' });
    await expect(openPostgresStore(url(), { schema: 'x'.repeat(64) })).rejects.toMatchObject({ code: 'STORE_INVALID_ARGUMENT' });
  });

  it('quotes schema names: a name with quotes and spaces works', async () => {
    const store = await openPostgresStore(url(), { schema: `we"ird ${freshSchema()}` });
    try {
      await store.addObjects(A, [stixObject('indicator', 1)]);
      expect((await store.queryObjects(A, LAST, 10)).rows).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('distill-intel migrate', () => {
  const cli = async (argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await runMigrate(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env });
    return { code, out, err };
  };

  it('reports pending migrations, applies them once, then reports up to date', async () => {
    const schema = freshSchema();
    const check = await cli(['--database-url', url(), '--schema', schema, '--check']);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/version 0, latest 1/);
    expect(check.out).toMatch(/pending 1: initial schema/);
    const apply = await cli(['--schema', schema], { DISTILL_INTEL_DATABASE_URL: url() });
    expect(apply).toMatchObject({ code: 0, err: '' });
    expect(apply.out).toMatch(/migrated from version 0 to 1 \(applied 1\)/);
    expect((await cli(['--database-url', url(), '--schema', schema])).out).toMatch(/up to date at version 1/);
    expect((await cli(['--database-url', url(), '--schema', schema, '--check'])).code).toBe(0);
    // the store opens it without migrating
    await (await openPostgresStore(url(), { schema, migrate: false })).close();
  });

  it('is a usage error without a URL or with an unknown option, and a failure when the server is unreachable', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['--database-url', url(), '--frobnicate'])).err).toMatch(/unknown option "--frobnicate"/);
    const down = await cli(['--database-url', 'postgres://u:hunter2@127.0.0.1:1/x']);
    expect(down.code).toBe(3);
    expect(down.err).toMatch(/cannot connect/);
    expect(down.err).not.toMatch(/hunter2/);
    const help = await cli(['--help']);
    expect(help).toMatchObject({ code: 0, out: MIGRATE_HELP + '\n' });
  });
});

describe('PostgresStore: storage', () => {
  it('keeps objects, statuses and the date_added high-water mark across reopen, whatever the clock does', async () => {
    const schema = freshSchema();
    const clock = new ManualClock();
    const first = await openPostgresStore(url(), { schema, clock: clock.read });
    const added = await first.addObjects(A, [stixObject('indicator', 1), stixObject('indicator', 2)]);
    const status = buildStatus({ id: '2d086da7-4bdc-4f91-900e-d77486753710', successes: added.map((x) => ({ id: x.id, version: x.version })) });
    await first.putStatus('api1', status);
    await first.deleteObject(A, sid('indicator', 2));
    await first.close();
    clock.now -= 60_000_000;
    const second = await openPostgresStore(url(), { schema, clock: clock.read });
    try {
      await expect(second.getStatus('api1', status.id)).resolves.toEqual(status);
      const [later] = await second.addObjects(A, [stixObject('indicator', 3)]);
      // the deleted row's date_added still counts: the counter never goes back (then the write's last row moves to
      // the next whole millisecond)
      expect(later?.dateAdded).toBe((added[1]?.dateAdded ?? 0) + 1_000);
    } finally {
      await second.close();
    }
  });

  it('defaults to the database clock', async () => {
    const store = await open();
    try {
      const before = Date.now() * 1000;
      const [r] = await store.addObjects(A, [stixObject('indicator', 1)]);
      const [db] = await sql<{ now: string }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now');
      expect(r?.dateAdded).toBeGreaterThanOrEqual(before - 5_000_000);
      expect(r?.dateAdded).toBeLessThanOrEqual(Number(db?.now));
    } finally {
      await store.close();
    }
  });

  it('round-trips exact text: escapes, astral characters, \\u0000 escapes, big objects', async () => {
    const store = await open();
    try {
      const texts = [
        '{"type":"note","id":"note--1","content":"\\u0000 nul escape, tab\\t, quote \\" backslash \\\\"}',
        '{"type":"note","id":"note--2","content":"東京 \u{1F600} é"}',
        `{"type":"note","id":"note--3","content":"${'x'.repeat(300_000)}"}`,
      ];
      const objects: NewObject[] = texts.map((json, i) => ({ json, id: `note--${i + 1}`, type: 'note', version: '2024-01-01T00:00:00Z', specVersion: '2.1' }));
      await store.addObjects(A, objects);
      expect((await store.queryObjects(A, LAST, 10)).rows.map((r) => r.json)).toEqual(texts);
    } finally {
      await store.close();
    }
  });

  it('shares statuses and settings between instances; a racing setting has one winner', async () => {
    const schema = freshSchema();
    const one = await openPostgresStore(url(), { schema });
    const two = await openPostgresStore(url(), { schema });
    try {
      const status = buildStatus({ id: '3d086da7-4bdc-4f91-900e-d77486753710', totalCount: 3 });
      await one.putStatus('api1', status);
      await expect(two.getStatus('api1', status.id)).resolves.toEqual(status);
      const [x, y] = await Promise.all([one.sharedSetting('cursor-secret', 'from-one'), two.sharedSetting('cursor-secret', 'from-two')]);
      expect(x?.value).toBe(y?.value);
      expect([x?.created, y?.created].filter(Boolean)).toHaveLength(1);
      await expect(two.getSharedSetting('cursor-secret')).resolves.toBe(x?.value);
      await expect(two.getSharedSetting('absent')).resolves.toBeUndefined();
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('refuses calls after close', async () => {
    const store = await open();
    await store.close();
    await store.close();
    await expect(store.queryObjects(A, LAST, 1)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.addObjects(A, [stixObject('indicator', 1)])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('serves pages through the keyset indexes, never by sorting or OFFSET', async () => {
    const schema = freshSchema();
    const store = await openPostgresStore(url(), { schema });
    try {
      const objects: NewObject[] = [];
      for (let i = 1; i <= 4000; i++) objects.push(stixObject(i % 50 === 0 ? 'malware' : 'indicator', i));
      await store.addObjects(A, objects);
      await sql(`ANALYZE "${schema}".objects`);
      const plan = async (text: string): Promise<string> =>
        (await sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`)).map((r) => r['QUERY PLAN']).join('\n');
      const s = `"${schema}".objects`;
      const current = await plan(
        `SELECT json FROM ${s} o WHERE o.coll = 1 AND (o.date_added, o.seq) > (5, 7) AND o.newest_spec AND o.is_last ORDER BY o.date_added, o.seq LIMIT 101`,
      );
      expect(current).toMatch(/Index Scan using objects_current/);
      expect(current).not.toMatch(/Sort/);
      const typed = await plan(
        `SELECT o.* FROM unnest('{malware}'::text[]) AS t(type) CROSS JOIN LATERAL (SELECT o.seq, o.date_added FROM ${s} o ` +
          `WHERE o.coll = 1 AND o.type = t.type AND o.newest_spec AND o.is_last ORDER BY o.date_added, o.seq LIMIT 101) o ORDER BY o.date_added, o.seq LIMIT 101`,
      );
      expect(typed).toMatch(/Index Scan using objects_by_type/);
      // and the store's own pages walk the whole collection with an exact `more`
      let after: ObjectQuery['after'];
      let n = 0;
      for (let guard = 0; guard < 100; guard++) {
        const page = await store.queryManifest(A, after === undefined ? LAST : { ...LAST, after }, 1000);
        n += page.rows.length;
        const last = page.rows[page.rows.length - 1];
        if (!page.more || last === undefined) break;
        after = { dateAdded: last.dateAdded, seq: last.seq };
      }
      expect(n).toBe(4000);
      expect((await store.queryManifest(A, { ...LAST, types: ['malware'] }, 1000)).rows).toHaveLength(80);
    } finally {
      await store.close();
    }
  }, 60_000);
});

// The same random histories as model.test.ts, against the naive reference model. One store (opening a pool per run
// would dominate), one fresh collection per run.
describe('PostgresStore agrees with the reference model on random histories', () => {
  it('PostgresStore', async () => {
    let clock: () => number = () => 0;
    const store = await open({ clock: () => clock() });
    let run = 0;
    try {
      await checkAgainstModel(
        async (c) => {
          clock = c;
          const target: CollectionRef = { apiRoot: 'model', collectionId: uuid(++run) };
          return { store, target, release: async () => {} };
        },
        60,
        { maxOps: 15, maxQueries: 4 },
      );
    } finally {
      await store.close();
    }
  }, 180_000);
});

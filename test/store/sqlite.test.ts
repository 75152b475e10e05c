import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStatus } from '../../src/taxii/protocol/resources.js';
import { SqliteStore } from '../../src/taxii/store/sqlite.js';
import { storeContract } from './contract.js';
import { ManualClock, sid, stixObject } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'distill-intel-sqlite-'));
let counter = 0;
const freshFile = (): string => join(dir, `store-${++counter}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

storeContract('SqliteStore (file)', async (options) => new SqliteStore({ ...options, filename: freshFile() }));
storeContract('SqliteStore (:memory:)', async (options) => new SqliteStore({ ...options, filename: ':memory:' }));

describe('SqliteStore on disk', () => {
  const target = { apiRoot: 'api1', collectionId: '91a7b528-80eb-42ed-a74d-c6fbd5a26116' };

  it('persists objects, statuses and the date_added high-water mark across reopen', async () => {
    const file = freshFile();
    const clock = new ManualClock();
    const first = new SqliteStore({ filename: file, clock: clock.read });
    const added = await first.addObjects(target, [stixObject('indicator', 1), stixObject('indicator', 2)]);
    const status = buildStatus({ id: '2d086da7-4bdc-4f91-900e-d77486753710', successes: added.map((a) => ({ id: a.id, version: a.version })) });
    await first.putStatus('api1', status);
    await first.close();

    clock.now -= 60_000_000; // the machine clock went back a minute across the restart
    const second = new SqliteStore({ filename: file, clock: clock.read });
    const page = await second.queryObjects(target, { versions: ['last'] }, 10);
    expect(page.rows.map((r) => r.json)).toEqual([stixObject('indicator', 1).json, stixObject('indicator', 2).json]);
    expect(page.rows.map((r) => r.dateAdded)).toEqual(added.map((a) => a.dateAdded));
    await expect(second.getStatus('api1', status.id)).resolves.toEqual(status);
    const [later] = await second.addObjects(target, [stixObject('indicator', 3)]);
    // After the high-water mark (1 µs later), on the next whole millisecond as the last row of its write.
    expect(later?.dateAdded).toBe((added[1]?.dateAdded ?? 0) + 1_000);
    const [dup] = await second.addObjects(target, [stixObject('indicator', 1)]);
    expect(dup?.outcome).toBe('duplicate');
    await second.close();
  });

  it('opens the database in WAL mode', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.ensureCollection(target);
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('commits a batch before addObjects resolves: a second connection sees it at once', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.addObjects(target, [stixObject('indicator', 1), stixObject('malware', 2)]);
    const reader = new Database(file, { readonly: true });
    const count = reader.prepare('SELECT count(*) AS n FROM objects').get() as { n: number };
    expect(count.n).toBe(2);
    reader.close();
    await store.close();
  });

  it('serves a page query through the date index, never by OFFSET', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.addObjects(target, [stixObject('indicator', 1)]);
    await store.close();
    const db = new Database(file, { readonly: true });
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT o.json FROM objects o WHERE o.coll = 1 AND o.date_added >= 5 AND (o.date_added > 5 OR o.seq > 7) ' +
          'AND o.newest_spec = 1 AND o.is_last = 1 ORDER BY o.date_added, o.seq LIMIT 101',
      )
      .all() as { detail: string }[];
    const text = plan.map((p) => p.detail).join(' | ');
    expect(text).toMatch(/USING INDEX objects_current \(coll=\? AND date_added>\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
    db.close();
  });

  it('keeps date_added strictly increasing across two connections writing the same file', async () => {
    const file = freshFile();
    const clock = new ManualClock();
    const one = new SqliteStore({ filename: file, clock: clock.read });
    const two = new SqliteStore({ filename: file, clock: clock.read });
    const dates: number[] = [];
    for (let i = 0; i < 6; i++) {
      const writer = i % 2 === 0 ? one : two;
      const [r] = await writer.addObjects(target, [stixObject('indicator', i + 1)]);
      dates.push(r?.dateAdded ?? 0);
    }
    // Each one-object write ends on its own whole millisecond.
    expect(dates).toEqual(Array.from({ length: 6 }, (_, i) => clock.now + i * 1_000));
    const page = await one.queryManifest(target, { versions: ['last'] }, 10);
    expect(page.rows.map((r) => r.id)).toEqual(Array.from({ length: 6 }, (_, i) => sid('indicator', i + 1)));
    await one.close();
    await two.close();
  });

  it('looks ids up through the small hash index, also inside explicit-spec version subqueries', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.addObjects(target, [stixObject('indicator', 1)]);
    await store.close();
    const db = new Database(file, { readonly: true });
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' | ');
    expect(plan("SELECT seq FROM objects WHERE coll = 1 AND id_hash = 5 AND stix_id = 'x'")).toMatch(/USING INDEX objects_by_id \(coll=\? AND id_hash=\?\)/);
    expect(
      plan(
        "SELECT o.seq FROM objects o INDEXED BY objects_by_id WHERE o.coll = 1 AND o.id_hash IN (SELECT value FROM json_each('[5,6]')) " +
          "AND o.stix_id IN (SELECT value FROM json_each('[\"a\",\"b\"]')) ORDER BY o.date_added, o.seq LIMIT 11",
      ),
    ).toMatch(/USING INDEX objects_by_id \(coll=\? AND id_hash=\?\)/);
    expect(
      plan(
        'SELECT o.seq FROM objects o WHERE o.coll = 1 AND o.version_key = (SELECT MAX(x.version_key) FROM objects x ' +
          "WHERE x.coll = o.coll AND x.id_hash = o.id_hash AND x.stix_id = o.stix_id AND x.spec_version = '2.1')",
      ),
    ).toMatch(/CORRELATED SCALAR SUBQUERY.*SEARCH x USING INDEX objects_by_id \(coll=\? AND id_hash=\?\)/);
    db.close();
    // and the store really issues that form: an ids query on a large collection reads only the wanted rows
    const big = new SqliteStore({ filename: freshFile() });
    await big.addObjects(target, Array.from({ length: 3000 }, (_, i) => stixObject(i % 2 === 0 ? 'indicator' : 'malware', i + 1)));
    const page = await big.queryObjects(target, { versions: ['last'], ids: [sid('malware', 2), sid('indicator', 2999)] }, 10);
    expect(page.rows.map((r) => r.id)).toEqual([sid('malware', 2), sid('indicator', 2999)]);
    await big.close();
  });

  it('refuses a file written by another schema version', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.close();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '999' WHERE key = 'schema'").run();
    db.close();
    expect(() => new SqliteStore({ filename: file })).toThrow(/schema 999/);
    expect(() => new SqliteStore({ filename: file })).toThrow(expect.objectContaining({ code: 'STORE_SCHEMA' }) as unknown as Error);
  });

  it('keeps versions of one object consistent after deletes across reopen', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.addObjects(target, [
      stixObject('indicator', 1, '2024-01-01T00:00:00.000Z'),
      stixObject('indicator', 1, '2024-01-02T00:00:00.000Z'),
    ]);
    await store.deleteObject(target, sid('indicator', 1), { versions: ['last'] });
    await store.close();
    const again = new SqliteStore({ filename: file });
    const page = await again.queryManifest(target, { versions: ['last'] }, 10);
    expect(page.rows.map((r) => r.version)).toEqual(['2024-01-01T00:00:00.000Z']);
    await again.close();
  });
});

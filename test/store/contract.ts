import { afterEach, describe, expect, it } from '@jest/globals';
import { buildStatus } from '../../src/taxii/protocol/resources.js';
import { StoreError } from '../../src/taxii/store/errors.js';
import type { CollectionRef, ObjectQuery, Store, StoreOptions } from '../../src/taxii/store/store.js';
import { ManualClock, sid, stixObject } from './fixtures.js';
import { describeVersioningRules } from './versioning-contract.js';

/** Makes a fresh, empty store with the given options. */
export type StoreFactory = (options: StoreOptions) => Promise<Store>;

const A: CollectionRef = { apiRoot: 'api1', collectionId: '91a7b528-80eb-42ed-a74d-c6fbd5a26116' };
const B: CollectionRef = { apiRoot: 'api1', collectionId: '52892447-4d7e-4f70-b94d-d7f22742ff63' };
const OTHER_ROOT: CollectionRef = { apiRoot: 'api2', collectionId: A.collectionId };

const DEFAULT: ObjectQuery = { versions: ['last'] };

/** Every row of a query, paging with `limit` through the keyset position of the last row of each page. */
async function drain(store: Store, target: CollectionRef, query: ObjectQuery, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let after: ObjectQuery['after'];
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await store.queryManifest(target, after === undefined ? query : { ...query, after }, limit);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    for (const r of page.rows) seen.push(`${r.id}@${r.version}`);
    const last = page.rows[page.rows.length - 1];
    if (!page.more) return seen;
    expect(last).toBeDefined();
    if (last !== undefined) after = { dateAdded: last.dateAdded, seq: last.seq };
  }
  throw new Error('paging did not end');
}

/**
 * The contract every {@link Store} implementation must honour. Expected values come from TAXII 2.1 §3.3-§3.5,
 * §3.4.1 (match semantics and defaults), §5.5 (duplicates), §5.7 (delete), §4.3 (statuses) and the store design
 * (strictly increasing date_added, keyset pagination, exact text).
 */
export function storeContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    const open: Store[] = [];
    const make = async (options: StoreOptions = {}): Promise<Store> => {
      const s = await factory(options);
      open.push(s);
      return s;
    };
    afterEach(async () => {
      while (open.length > 0) await open.pop()?.close();
    });

    describe('adding', () => {
      it('assigns strictly increasing date_added even when the clock does not move', async () => {
        const clock = new ManualClock();
        const store = await make({ clock: clock.read });
        const first = await store.addObjects(A, [stixObject('indicator', 1), stixObject('indicator', 2)]);
        const second = await store.addObjects(A, [stixObject('indicator', 3)]);
        const dates = [...first, ...second].map((r) => r.dateAdded);
        // 1 µs apart within a write; each write's last row moves up to the next whole millisecond, and the next
        // write starts after it (a poller that truncates -Last to milliseconds is sent nothing twice).
        expect(dates).toEqual([clock.now, clock.now + 1_000, clock.now + 2_000]);
        expect([...first, ...second].map((r) => r.outcome)).toEqual(['added', 'added', 'added']);
      });

      it('keeps date_added increasing when the clock goes backwards', async () => {
        const clock = new ManualClock();
        const store = await make({ clock: clock.read });
        const [a] = await store.addObjects(A, [stixObject('indicator', 1)]);
        clock.now -= 5_000_000;
        const [b] = await store.addObjects(A, [stixObject('indicator', 2)]);
        // a + 1 µs, moved up to the next whole millisecond as the last row of its write.
        expect(b?.dateAdded).toBe((a?.dateAdded ?? 0) + 1_000);
      });

      it('uses the clock when it is ahead (the last row of a write on the next whole millisecond)', async () => {
        const clock = new ManualClock();
        const store = await make({ clock: clock.read });
        await store.addObjects(A, [stixObject('indicator', 1)]);
        clock.now += 250;
        const [b, c] = await store.addObjects(A, [stixObject('indicator', 2), stixObject('indicator', 3)]);
        expect(b?.dateAdded).toBe(clock.now);
        expect(c?.dateAdded).toBe(clock.now - 250 + 1_000);
        // A duplicate at the end of a write does not keep the last added row from moving.
        const [d, dup] = await store.addObjects(A, [stixObject('indicator', 4), stixObject('indicator', 3)]);
        expect(d?.dateAdded).toBe(clock.now - 250 + 2_000);
        expect(dup).toMatchObject({ outcome: 'duplicate', dateAdded: c?.dateAdded });
        const page = await store.queryObjects(A, { versions: ['all'] }, 10);
        expect(page.rows.map((r) => r.dateAdded)).toEqual([clock.now - 250, clock.now, clock.now - 250 + 1_000, clock.now - 250 + 2_000]);
      });

      it('numbers each collection on its own clock', async () => {
        const clock = new ManualClock();
        const store = await make({ clock: clock.read });
        await store.addObjects(A, [stixObject('indicator', 1), stixObject('indicator', 2)]);
        const [b] = await store.addObjects(B, [stixObject('indicator', 3)]);
        expect(b?.dateAdded).toBe(clock.now);
      });

      it('treats an exact duplicate as a non-error and stores it once', async () => {
        const store = await make();
        const [a] = await store.addObjects(A, [stixObject('malware', 1)]);
        const [dup] = await store.addObjects(A, [stixObject('malware', 1)]);
        expect(dup).toEqual({ id: sid('malware', 1), version: '2024-01-01T00:00:00.000Z', outcome: 'duplicate', dateAdded: a?.dateAdded });
        const page = await store.queryObjects(A, { versions: ['all'] }, 10);
        expect(page.rows).toHaveLength(1);
      });

      it('judges duplicates inside one batch against earlier members', async () => {
        const store = await make();
        const results = await store.addObjects(A, [
          stixObject('malware', 1),
          stixObject('malware', 1),
          stixObject('malware', 1, undefined, { extra: 'different' }),
        ]);
        expect(results.map((r) => r.outcome)).toEqual(['added', 'duplicate', 'conflict']);
      });

      it('keeps the first text on a conflicting resubmission of the same id and version', async () => {
        const store = await make();
        const original = stixObject('malware', 1, undefined, { extra: 'first' });
        await store.addObjects(A, [original]);
        const [r] = await store.addObjects(A, [stixObject('malware', 1, undefined, { extra: 'second' })]);
        expect(r?.outcome).toBe('conflict');
        const page = await store.queryObjects(A, DEFAULT, 10);
        expect(page.rows.map((x) => x.json)).toEqual([original.json]);
      });

      it('compares versions as instants: .000Z and Z name the same version', async () => {
        const store = await make();
        await store.addObjects(A, [stixObject('malware', 1, '2024-01-01T00:00:00.000Z')]);
        const [r] = await store.addObjects(A, [stixObject('malware', 1, '2024-01-01T00:00:00Z')]);
        expect(r?.outcome).toBe('conflict');
        const [s] = await store.addObjects(A, [stixObject('malware', 1, '2024-01-01T00:00:00.0001Z')]);
        expect(s?.outcome).toBe('added');
      });

      it('decides duplicates by fingerprint when both sides have one', async () => {
        const store = await make();
        await store.addObjects(A, [stixObject('malware', 1, undefined, { extra: 'a', fingerprint: 'f1' })]);
        const [same] = await store.addObjects(A, [stixObject('malware', 1, undefined, { extra: 'b', fingerprint: 'f1' })]);
        const [other] = await store.addObjects(A, [stixObject('malware', 1, undefined, { extra: 'a', fingerprint: 'f2' })]);
        expect(same?.outcome).toBe('duplicate');
        expect(other?.outcome).toBe('conflict');
      });

      it('serves the exact text it was given, byte for byte', async () => {
        const store = await make();
        const json = '{ "type" : "note",\n  "id":"note--00000000-0000-4000-8000-000000000001", "content":"caf\\u00e9 \u{1F600} \\"q\\"", "n": 1.50 }';
        await store.addObjects(A, [{ json, id: 'note--00000000-0000-4000-8000-000000000001', type: 'note', version: '2024-01-01T00:00:00.000Z', specVersion: '2.1' }]);
        const page = await store.queryObjects(A, DEFAULT, 10);
        expect(page.rows[0]?.json).toBe(json);
      });

      it('returns nothing for an empty batch and creates collections on demand', async () => {
        const store = await make();
        await expect(store.addObjects(A, [])).resolves.toEqual([]);
        await store.ensureCollection(B);
        await store.ensureCollection(B);
        await expect(store.queryObjects(B, DEFAULT, 10)).resolves.toEqual({ rows: [], more: false });
      });
    });

    describeVersioningRules(() => make());

    describe('paging', () => {
      it('returns pages of at most limit rows, ascending by date_added, with an exact more', async () => {
        const store = await make();
        await store.addObjects(A, Array.from({ length: 25 }, (_, i) => stixObject('indicator', i + 1)));
        const p1 = await store.queryManifest(A, DEFAULT, 10);
        expect(p1.rows).toHaveLength(10);
        expect(p1.more).toBe(true);
        const dates = p1.rows.map((r) => r.dateAdded);
        expect([...dates].sort((a, b) => a - b)).toEqual(dates);
        expect(new Set(dates).size).toBe(10);
        const ids = await drain(store, A, DEFAULT, 10);
        expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `${sid('indicator', i + 1)}@2024-01-01T00:00:00.000Z`));
      });

      it('says more=false when the last page is exactly full', async () => {
        const store = await make();
        await store.addObjects(A, Array.from({ length: 4 }, (_, i) => stixObject('indicator', i + 1)));
        const p = await store.queryManifest(A, DEFAULT, 4);
        expect(p.rows).toHaveLength(4);
        expect(p.more).toBe(false);
        const q = await store.queryManifest(A, DEFAULT, 3);
        expect(q.more).toBe(true);
      });

      it('starts strictly after the keyset position', async () => {
        const store = await make();
        await store.addObjects(A, Array.from({ length: 5 }, (_, i) => stixObject('indicator', i + 1)));
        const all = await store.queryManifest(A, DEFAULT, 10);
        const third = all.rows[2];
        if (third === undefined) throw new Error('missing row');
        const rest = await store.queryManifest(A, { ...DEFAULT, after: { dateAdded: third.dateAdded, seq: third.seq } }, 10);
        expect(rest.rows.map((r) => r.id)).toEqual([sid('indicator', 4), sid('indicator', 5)]);
      });

      it('filters added_after strictly, and the later of added_after and the cursor wins', async () => {
        const clock = new ManualClock();
        const store = await make({ clock: clock.read });
        const results = await store.addObjects(A, Array.from({ length: 5 }, (_, i) => stixObject('indicator', i + 1)));
        const d = results.map((r) => r.dateAdded);
        const ids = async (q: ObjectQuery): Promise<string[]> => (await store.queryManifest(A, q, 10)).rows.map((r) => r.id);
        expect(await ids({ ...DEFAULT, addedAfter: d[1] as number })).toEqual([3, 4, 5].map((n) => sid('indicator', n)));
        expect(await ids({ ...DEFAULT, addedAfter: (d[1] as number) - 1 })).toEqual([2, 3, 4, 5].map((n) => sid('indicator', n)));
        const page = await store.queryManifest(A, DEFAULT, 10);
        const first = page.rows[0];
        const fourth = page.rows[3];
        if (first === undefined || fourth === undefined) throw new Error('missing rows');
        // cursor earlier than added_after: added_after decides
        expect(await ids({ ...DEFAULT, addedAfter: d[2] as number, after: { dateAdded: first.dateAdded, seq: first.seq } })).toEqual(
          [4, 5].map((n) => sid('indicator', n)),
        );
        // cursor later than added_after: the cursor decides
        expect(await ids({ ...DEFAULT, addedAfter: d[0] as number, after: { dateAdded: fourth.dateAdded, seq: fourth.seq } })).toEqual([
          sid('indicator', 5),
        ]);
      });

      it('loses and repeats nothing when objects are added between pages', async () => {
        const store = await make();
        await store.addObjects(A, Array.from({ length: 10 }, (_, i) => stixObject('indicator', i + 1)));
        const seen: string[] = [];
        let page = await store.queryManifest(A, DEFAULT, 4);
        let round = 0;
        let last = page.rows[page.rows.length - 1];
        for (;;) {
          seen.push(...page.rows.map((r) => r.id));
          last = page.rows[page.rows.length - 1] ?? last;
          // another writer adds an object after every page
          await store.addObjects(A, [stixObject('malware', 100 + round)]);
          round++;
          if (!page.more || last === undefined) break;
          page = await store.queryManifest(A, { ...DEFAULT, after: { dateAdded: last.dateAdded, seq: last.seq } }, 4);
        }
        // pages: ind1-4 | ind5-8 (+m100 added) | ind9, ind10, m100, m101 (more=false at that moment), then m102 added
        expect(seen).toEqual([
          ...Array.from({ length: 10 }, (_, i) => sid('indicator', i + 1)),
          sid('malware', 100),
          sid('malware', 101),
        ]);
        if (last === undefined) throw new Error('missing row');
        // resuming from the last position later finds exactly what was added after it
        const later = await store.queryManifest(A, { ...DEFAULT, after: { dateAdded: last.dateAdded, seq: last.seq } }, 4);
        expect(later.rows.map((r) => r.id)).toEqual([sid('malware', 102)]);
        expect(later.more).toBe(false);
      });

      it('delivers a newer version added during paging after the older one, once each', async () => {
        const store = await make();
        await store.addObjects(A, [stixObject('indicator', 1, '2024-01-01T00:00:00.000Z'), stixObject('indicator', 2)]);
        const p1 = await store.queryManifest(A, DEFAULT, 1);
        await store.addObjects(A, [stixObject('indicator', 1, '2024-02-01T00:00:00.000Z')]);
        const last = p1.rows[0];
        if (last === undefined) throw new Error('missing row');
        const rest = await drain(store, A, { ...DEFAULT, after: { dateAdded: last.dateAdded, seq: last.seq } }, 1);
        expect([`${last.id}@${last.version}`, ...rest]).toEqual([
          `${sid('indicator', 1)}@2024-01-01T00:00:00.000Z`,
          `${sid('indicator', 2)}@2024-01-01T00:00:00.000Z`,
          `${sid('indicator', 1)}@2024-02-01T00:00:00.000Z`,
        ]);
      });

      it('pages by added_after = last date_added exactly as by cursor (§3.5), versions out of order included', async () => {
        const store = await make();
        await store.addObjects(A, [
          stixObject('indicator', 1, '2024-01-03T00:00:00.000Z'),
          stixObject('malware', 2),
          stixObject('indicator', 1, '2024-01-01T00:00:00.000Z'),
          stixObject('tool', 3),
          stixObject('indicator', 1, '2024-01-02T00:00:00.000Z'),
          stixObject('identity', 4),
        ]);
        for (const versions of [['last'], ['first'], ['all']] as const) {
          const byCursor = await drain(store, A, { versions }, 2);
          const byDate: string[] = [];
          let addedAfter: number | undefined;
          for (;;) {
            const page = await store.queryManifest(A, addedAfter === undefined ? { versions } : { versions, addedAfter }, 2);
            byDate.push(...page.rows.map((r) => `${r.id}@${r.version}`));
            const last = page.rows[page.rows.length - 1];
            if (!page.more || last === undefined) break;
            addedAfter = last.dateAdded;
          }
          expect(byDate).toEqual(byCursor);
        }
        expect(await drain(store, A, { versions: ['last'] }, 2)).toEqual([
          `${sid('indicator', 1)}@2024-01-03T00:00:00.000Z`,
          `${sid('malware', 2)}@2024-01-01T00:00:00.000Z`,
          `${sid('tool', 3)}@2024-01-01T00:00:00.000Z`,
          `${sid('identity', 4)}@2024-01-01T00:00:00.000Z`,
        ]);
      });

      it('gives the same page joined as row by row, when it offers queryObjectsJoined', async () => {
        const store = await make();
        if (store.queryObjectsJoined === undefined) return;
        await store.addObjects(A, [
          stixObject('indicator', 1, '2024-01-02T00:00:00.000Z'),
          stixObject('malware', 2),
          stixObject('indicator', 1, '2024-01-01T00:00:00.000Z'),
          stixObject('tool', 3),
          stixObject('malware', 4),
        ]);
        const queries: ObjectQuery[] = [
          DEFAULT,
          { versions: ['all'] },
          { versions: ['first'], types: ['indicator', 'malware'] },
          { versions: ['last'], types: ['malware'] },
          { versions: ['all'], ids: [sid('indicator', 1)] },
          { versions: ['last'], specVersions: ['2.1'] },
          { versions: ['last'], types: ['vulnerability'] },
        ];
        for (const q of queries) {
          for (const limit of [1, 2, 10]) {
            let after: ObjectQuery['after'];
            for (let guard = 0; guard < 20; guard++) {
              const pq = after === undefined ? q : { ...q, after };
              const rows = await store.queryObjects(A, pq, limit);
              const joined = await store.queryObjectsJoined(A, pq, limit);
              const first = rows.rows[0];
              const last = rows.rows[rows.rows.length - 1];
              expect(joined).toEqual({
                json: rows.rows.map((r) => r.json).join(','),
                count: rows.rows.length,
                ...(first === undefined ? {} : { first: { dateAdded: first.dateAdded, seq: first.seq } }),
                ...(last === undefined ? {} : { last: { dateAdded: last.dateAdded, seq: last.seq } }),
                more: rows.more,
              });
              if (!rows.more || last === undefined) break;
              after = { dateAdded: last.dateAdded, seq: last.seq };
            }
          }
        }
        expect(JSON.parse(`[${(await store.queryObjectsJoined(A, { versions: ['all'] }, 10)).json}]`)).toHaveLength(5);
        await expect(store.queryObjectsJoined(B, DEFAULT, 10)).resolves.toEqual({ json: '', count: 0, more: false });
        await expect(store.queryObjectsJoined(A, DEFAULT, 0)).rejects.toMatchObject({ code: 'STORE_INVALID_ARGUMENT' });
      });

      it('rejects a non-positive limit', async () => {
        const store = await make();
        await expect(store.queryObjects(A, DEFAULT, 0)).rejects.toMatchObject({ code: 'STORE_INVALID_ARGUMENT' });
        await expect(store.queryManifest(A, DEFAULT, 1.5)).rejects.toBeInstanceOf(StoreError);
      });

      it('treats an unknown collection, API root or keyset position past the end as empty', async () => {
        const store = await make();
        await store.addObjects(A, [stixObject('indicator', 1)]);
        await expect(store.queryObjects(OTHER_ROOT, DEFAULT, 10)).resolves.toEqual({ rows: [], more: false });
        await expect(store.queryObjects(B, DEFAULT, 10)).resolves.toEqual({ rows: [], more: false });
        const far = { dateAdded: Number.MAX_SAFE_INTEGER, seq: 0 };
        await expect(store.queryObjects(A, { ...DEFAULT, after: far }, 10)).resolves.toEqual({ rows: [], more: false });
      });
    });

    describe('match filters', () => {
      // indicator 1: versions v1 < v2 < v3, added in the order v2, v1, v3 (arrival order is not version order)
      const v1 = '2024-01-01T00:00:00.000Z';
      const v2 = '2024-01-02T00:00:00.000Z';
      const v3 = '2024-01-03T00:00:00.123456Z';
      const seed = async (store: Store): Promise<void> => {
        await store.addObjects(A, [
          stixObject('indicator', 1, v2),
          stixObject('malware', 2),
          stixObject('indicator', 1, v1),
          stixObject('relationship', 3),
          stixObject('indicator', 1, v3),
          stixObject('identity', 4),
        ]);
      };
      const versionsOf = async (store: Store, q: Partial<ObjectQuery>): Promise<string[]> =>
        (await store.queryManifest(A, { versions: ['last'], ...q, ids: [sid('indicator', 1)] }, 100)).rows.map((r) => r.version);

      it('match[version] defaults to last, and first/last/all/timestamps select as §3.4.1 says', async () => {
        const store = await make();
        await seed(store);
        expect(await versionsOf(store, {})).toEqual([v3]);
        expect(await versionsOf(store, { versions: ['first'] })).toEqual([v1]);
        // all: every version, in date_added order (v2 arrived first)
        expect(await versionsOf(store, { versions: ['all'] })).toEqual([v2, v1, v3]);
        expect(await versionsOf(store, { versions: [v2] })).toEqual([v2]);
        expect(await versionsOf(store, { versions: ['first', 'last'] })).toEqual([v1, v3]);
        expect(await versionsOf(store, { versions: ['first', v2, 'last'] })).toEqual([v2, v1, v3]);
        expect(await versionsOf(store, { versions: [v1, v2] })).toEqual([v2, v1]);
      });

      it('matches a version timestamp as an instant, whatever its spelling', async () => {
        const store = await make();
        await seed(store);
        expect(await versionsOf(store, { versions: ['2024-01-02T00:00:00Z'] })).toEqual([v2]);
        expect(await versionsOf(store, { versions: ['2024-01-03T00:00:00.1234560Z'] })).toEqual([v3]);
        expect(await versionsOf(store, { versions: ['2024-01-03T00:00:00.123Z'] })).toEqual([]);
      });

      it('filters by id and type lists (OR within, AND across)', async () => {
        const store = await make();
        await seed(store);
        const ids = async (q: Partial<ObjectQuery>): Promise<string[]> =>
          (await store.queryManifest(A, { versions: ['last'], ...q }, 100)).rows.map((r) => r.id);
        expect(await ids({ types: ['malware', 'identity'] })).toEqual([sid('malware', 2), sid('identity', 4)]);
        expect(await ids({ ids: [sid('identity', 4), sid('malware', 2)] })).toEqual([sid('malware', 2), sid('identity', 4)]);
        expect(await ids({ ids: [sid('malware', 2), sid('identity', 4)], types: ['identity'] })).toEqual([sid('identity', 4)]);
        expect(await ids({ types: ['vulnerability'] })).toEqual([]);
        expect(await ids({ ids: [sid('indicator', 1)], types: ['indicator'], versions: ['all'] })).toHaveLength(3);
      });

      it('returns only the newest spec version per object by default', async () => {
        const store = await make();
        await store.addObjects(A, [
          stixObject('indicator', 1, '2024-01-05T00:00:00.000Z', { specVersion: '2.0' }),
          stixObject('indicator', 1, '2024-01-02T00:00:00.000Z', { specVersion: '2.1' }),
          stixObject('indicator', 1, '2024-01-01T00:00:00.000Z', { specVersion: '2.0' }),
          stixObject('malware', 2, '2024-01-01T00:00:00.000Z', { specVersion: '2.0' }),
        ]);
        const rows = async (q: Partial<ObjectQuery>): Promise<string[]> =>
          (await store.queryManifest(A, { versions: ['last'], ...q }, 100)).rows.map((r) => `${r.id.split('--')[0]}:${r.specVersion}:${r.version.slice(8, 10)}`);
        // indicator: newest spec 2.1 → only its 2.1 row, although a 2.0 row has a later modified; malware only has 2.0
        expect(await rows({})).toEqual(['indicator:2.1:02', 'malware:2.0:01']);
        expect(await rows({ versions: ['all'] })).toEqual(['indicator:2.1:02', 'malware:2.0:01']);
        expect(await rows({ specVersions: ['2.0'] })).toEqual(['indicator:2.0:05', 'malware:2.0:01']);
        expect(await rows({ specVersions: ['2.0'], versions: ['first'] })).toEqual(['indicator:2.0:01', 'malware:2.0:01']);
        // both spec versions: last/first are taken across both
        expect(await rows({ specVersions: ['2.0', '2.1'] })).toEqual(['indicator:2.0:05', 'malware:2.0:01']);
        expect(await rows({ specVersions: ['2.0', '2.1'], versions: ['first'] })).toEqual(['indicator:2.0:01', 'malware:2.0:01']);
        expect(await rows({ specVersions: ['2.0', '2.1'], versions: ['all'] })).toHaveLength(4);
        expect(await rows({ specVersions: ['2.1'], versions: ['2024-01-02T00:00:00Z'] })).toEqual(['indicator:2.1:02']);
        expect(await rows({ specVersions: ['2.2'] })).toEqual([]);
      });

      it('takes the latest version over the whole collection, then applies added_after', async () => {
        const clock = new ManualClock();
        const store = await make({ clock: clock.read });
        const [newer] = await store.addObjects(A, [stixObject('indicator', 1, v2)]);
        await store.addObjects(A, [stixObject('indicator', 1, v1)]);
        const since = newer?.dateAdded as number;
        expect(await versionsOf(store, { addedAfter: since })).toEqual([]);
        expect(await versionsOf(store, { addedAfter: since, versions: ['all'] })).toEqual([v1]);
        expect(await versionsOf(store, { addedAfter: since - 1 })).toEqual([v2]);
      });

      it('pages through a filtered query without losing rows', async () => {
        const store = await make();
        const objects = [];
        for (let i = 1; i <= 60; i++) objects.push(stixObject(i % 3 === 0 ? 'malware' : 'indicator', i));
        await store.addObjects(A, objects);
        const malware = await drain(store, A, { versions: ['last'], types: ['malware'] }, 7);
        expect(malware).toHaveLength(20);
        const some = [5, 17, 33, 59].map((n) => sid(n % 3 === 0 ? 'malware' : 'indicator', n));
        expect(await drain(store, A, { versions: ['last'], ids: some }, 1)).toEqual(some.map((s) => `${s}@2024-01-01T00:00:00.000Z`));
      });

      it('returns the same rows from queryObjects and queryManifest, with the stored text', async () => {
        const store = await make();
        await seed(store);
        const objects = await store.queryObjects(A, { versions: ['all'] }, 100);
        const manifest = await store.queryManifest(A, { versions: ['all'] }, 100);
        expect(objects.rows.map(({ json: _json, ...rest }) => rest)).toEqual(manifest.rows);
        for (const r of objects.rows) expect(JSON.parse(r.json)).toMatchObject({ id: r.id, type: r.type, modified: r.version });
      });
    });

    describe('deleting', () => {
      const v1 = '2024-01-01T00:00:00.000Z';
      const v2 = '2024-01-02T00:00:00.000Z';
      const v3 = '2024-01-03T00:00:00.000Z';
      const id = sid('indicator', 1);
      const seed = async (store: Store): Promise<void> => {
        await store.addObjects(A, [stixObject('indicator', 1, v1), stixObject('indicator', 1, v2), stixObject('indicator', 1, v3), stixObject('malware', 2)]);
      };
      const versions = async (store: Store, versionsFilter: ObjectQuery['versions'] = ['all']): Promise<string[]> =>
        (await store.queryManifest(A, { versions: versionsFilter, ids: [id] }, 100)).rows.map((r) => r.version);

      it('removes every version by default: gone from lists, manifests and hasObject', async () => {
        const store = await make();
        await seed(store);
        expect(await store.hasObject(A, id)).toBe(true);
        expect(await store.deleteObject(A, id)).toBe(3);
        expect(await store.hasObject(A, id)).toBe(false);
        expect(await versions(store)).toEqual([]);
        expect((await store.queryObjects(A, { versions: ['all'] }, 100)).rows.map((r) => r.id)).toEqual([sid('malware', 2)]);
        expect(await store.deleteObject(A, id)).toBe(0);
      });

      it('removes one version and recomputes which version is last', async () => {
        const store = await make();
        await seed(store);
        expect(await store.deleteObject(A, id, { versions: [v3] })).toBe(1);
        expect(await versions(store)).toEqual([v1, v2]);
        expect(await versions(store, ['last'])).toEqual([v2]);
        expect(await store.deleteObject(A, id, { versions: ['first'] })).toBe(1);
        expect(await versions(store, ['first'])).toEqual([v2]);
        expect(await store.deleteObject(A, id, { versions: ['last'] })).toBe(1);
        expect(await store.hasObject(A, id)).toBe(false);
      });

      it('deletes by spec version, leaving the other spec versions', async () => {
        const store = await make();
        await store.addObjects(A, [
          stixObject('indicator', 1, v1, { specVersion: '2.0' }),
          stixObject('indicator', 1, v2, { specVersion: '2.1' }),
        ]);
        expect(await store.deleteObject(A, id, { specVersions: ['2.1'] })).toBe(1);
        // the 2.0 row is now the newest spec the object has, so the default query shows it
        expect((await store.queryManifest(A, { versions: ['last'] }, 10)).rows.map((r) => r.version)).toEqual([v1]);
      });

      it('only touches the named collection, and a re-added version gets a later date_added', async () => {
        const store = await make();
        await seed(store);
        const [inB] = await store.addObjects(B, [stixObject('indicator', 1, v1)]);
        await store.deleteObject(A, id);
        expect(await store.hasObject(B, id)).toBe(true);
        expect(inB?.outcome).toBe('added');
        const before = (await store.queryManifest(A, { versions: ['all'] }, 100)).rows.map((r) => r.dateAdded);
        const [again] = await store.addObjects(A, [stixObject('indicator', 1, v1)]);
        expect(again?.outcome).toBe('added');
        expect(again?.dateAdded).toBeGreaterThan(Math.max(...before));
      });
    });

    it('refuses every operation once closed, and closing twice is harmless', async () => {
      const store = await make();
      await store.addObjects(A, [stixObject('indicator', 1)]);
      await store.close();
      await store.close();
      for (const call of [
        () => store.queryObjects(A, DEFAULT, 10),
        () => store.queryManifest(A, DEFAULT, 10),
        () => store.addObjects(A, [stixObject('indicator', 2)]),
        () => store.hasObject(A, sid('indicator', 1)),
        () => store.deleteObject(A, sid('indicator', 1)),
        () => store.ensureCollection(B),
        () => store.getStatus('api1', 'x'),
        () => store.purgeStatuses(new Date()),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      }
    });

    describe('statuses', () => {
      const status = buildStatus({
        id: '2d086da7-4bdc-4f91-900e-d77486753710',
        requestTimestamp: '2016-11-02T12:34:34.123450Z',
        successes: [{ id: sid('indicator', 1), version: '2018-05-27T12:02:41.312Z' }],
        failures: [{ id: sid('malware', 2), version: '2018-05-28T14:03:42.543Z', message: 'Unable to process object' }],
        totalCount: 2,
      });

      it('round-trips a status per API root', async () => {
        const store = await make();
        await store.putStatus('api1', status);
        await expect(store.getStatus('api1', status.id)).resolves.toEqual(status);
        await expect(store.getStatus('api2', status.id)).resolves.toBeUndefined();
        await expect(store.getStatus('api1', '00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
      });

      it('replaces a status on a second put (pending → complete)', async () => {
        const store = await make();
        const pending = buildStatus({ id: status.id, totalCount: 2 });
        expect(pending.status).toBe('pending');
        await store.putStatus('api1', pending);
        await store.putStatus('api1', status);
        const got = await store.getStatus('api1', status.id);
        expect(got?.status).toBe('complete');
        expect((got?.success_count ?? 0) + (got?.failure_count ?? 0) + (got?.pending_count ?? 0)).toBe(got?.total_count);
      });

      it('refuses a status whose counts do not add up', async () => {
        const store = await make();
        await expect(store.putStatus('api1', { ...status, total_count: 3 })).rejects.toMatchObject({ code: 'STORE_INVALID_ARGUMENT' });
        await expect(store.putStatus('api1', { ...status, status: 'complete', pending_count: 1, total_count: 3 })).rejects.toBeInstanceOf(StoreError);
      });

      it('purges only statuses written before the cutoff', async () => {
        let ms = 1_000_000;
        const store = await make({ statusClock: () => ms });
        await store.putStatus('api1', status);
        ms += 25 * 3600_000;
        const fresh = buildStatus({ id: '3d086da7-4bdc-4f91-900e-d77486753710', totalCount: 0 });
        await store.putStatus('api1', fresh);
        expect(await store.purgeStatuses(new Date(ms - 24 * 3600_000))).toBe(1);
        await expect(store.getStatus('api1', status.id)).resolves.toBeUndefined();
        await expect(store.getStatus('api1', fresh.id)).resolves.toEqual(fresh);
        expect(await store.purgeStatuses(new Date(ms - 24 * 3600_000))).toBe(0);
      });
    });
  });
}

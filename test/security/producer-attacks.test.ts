import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runServe } from '../../src/cli/serve.js';
import { MemoryStore } from '../../src/taxii/store/memory.js';
import { startPgCluster, type PgCluster } from '../store/pg-cluster.js';
import { basic, hash, TAXII } from '../taxii/server/fixture.js';
import { INDICATOR, IPV4_ID, LAB_A, LAB_B, LAB_W, labAIndicator } from './producer-fixtures.js';

/**
 * The three attacks of the producer-integrity audit, run over HTTP against `distill-intel serve` started from a
 * configuration file the way README shows it, once per store (memory, SQLite file, PostgreSQL):
 * 1. shadowing: a write-only member posts a known id with a far-future `modified`, another `created`, another
 *    `created_by_ref` and poisoned content, to become what `match[version]=last` serves;
 * 2. un-revoking: after the producer revokes an object, a newer version with `revoked: false`;
 * 3. squatting: a deterministic SCO id parked on other content, so the genuine object collides with it.
 * Each must fail as a per-object failure, and readers must keep getting the producer's object.
 */

const SHARED = '9a1c0f43-6f55-4a43-9b43-6e2d1a0c7f01';
const OPEN = '9a1c0f43-6f55-4a43-9b43-6e2d1a0c7f02';
const PW = { a: 'lab-a-password', w: 'writer-w-password' };
const AS_A = basic('lab-a', PW.a);
const AS_W = basic('writer-w', PW.w);

function configFile(dir: string): string {
  const file = join(dir, 'hub.json');
  const config = {
    apiRoots: [
      {
        path: 'hub',
        title: 'Sharing hub',
        collections: [
          { id: SHARED, title: 'Shared intel', alias: 'shared', requireProducer: true },
          { id: OPEN, title: 'Open intel', alias: 'open' },
        ],
      },
    ],
    auth: {
      principals: [
        { name: 'lab-a', passwordHash: hash(PW.a), canRead: ['hub/*'], canWrite: ['hub/*'], identities: [LAB_A] },
        { name: 'writer-w', passwordHash: hash(PW.w), canWrite: ['hub/*'], identities: [LAB_W] },
      ],
    },
    accessLog: false,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

interface Served {
  readonly base: string;
  stop(): Promise<void>;
}

async function serve(argv: string[], extras: Parameters<typeof runServe>[2] = {}): Promise<Served> {
  const ac = new AbortController();
  let log = '';
  let code: Promise<number> | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    code = runServe(
      [...argv, '--port', '0', '--no-access-log'],
      {
        stdout: { write: (s: string) => (log += s) },
        stderr: { write: (s: string) => (log += s) },
        env: {},
        signal: ac.signal,
        onListening: (info) => resolve(info.url),
      },
      extras,
    );
    code.then((c) => reject(new Error(`serve exited with ${c}: ${log}`)), reject);
  });
  const base = await ready;
  return {
    base,
    async stop() {
      ac.abort();
      await code;
    },
  };
}

async function post(base: string, coll: string, auth: string, objects: unknown[]): Promise<{ success: number; failures: string[] }> {
  const res = await fetch(`${base}/hub/collections/${coll}/objects/`, {
    method: 'POST',
    headers: { authorization: auth, accept: TAXII, 'content-type': TAXII },
    body: JSON.stringify({ objects }),
  });
  expect(res.status).toBe(202);
  const status = (await res.json()) as { success_count: number; failures?: { message: string }[] };
  return { success: status.success_count, failures: (status.failures ?? []).map((f) => f.message) };
}

async function latest(base: string, coll: string, id: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${base}/hub/collections/${coll}/objects/?match[id]=${id}`, { headers: { authorization: AS_A, accept: TAXII } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { objects?: Record<string, unknown>[] }).objects ?? [];
}

const NEUTRAL = /^objects\/0: version-refused: the collection cannot take this version of the object; only principals that may read the collection are told why$/;

function attacks(storeName: string, start: (config: string) => Promise<Served>): void {
  describe(`producer-integrity attacks against serve (${storeName})`, () => {
    let dir: string;
    let server: Served;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'attacks-'));
      server = await start(configFile(dir));
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const coll of ['shared', 'open']) {
      it(`shadowing by a far-future version fails (${coll})`, async () => {
        const genuine = labAIndicator('2026-01-01T00:00:00.000Z');
        expect((await post(server.base, coll, AS_A, [genuine])).success).toBe(1);
        const shadow = labAIndicator('9999-12-31T23:59:59.999Z', { created: '2026-02-01T00:00:00.000Z', created_by_ref: LAB_B, name: 'POISONED' });
        const r = await post(server.base, coll, AS_W, [shadow]);
        expect(r.success).toBe(0);
        // where producers are required, the policy refuses a created_by_ref W is not bound to; elsewhere the store
        // refuses the changed created, and W (write-only) learns nothing about what is held
        expect(r.failures).toEqual([coll === 'shared' ? expect.stringMatching(/^objects\/0: producer-not-bound: /) : expect.stringMatching(NEUTRAL)]);
        // under its own identity W passes the policy and meets the store's rule
        const own = await post(server.base, coll, AS_W, [{ ...shadow, created: genuine['created'], created_by_ref: LAB_W }]);
        expect(own.failures).toEqual([expect.stringMatching(NEUTRAL)]);
        // spoofing A's created_by_ref is what only the producer binding stops
        const spoof = labAIndicator('9999-12-31T23:59:59.999Z', { name: 'POISONED' });
        const spoofed = await post(server.base, coll, AS_W, [spoof]);
        if (coll === 'shared') expect(spoofed.failures).toEqual([expect.stringMatching(/producer-not-bound/)]);
        else {
          // without requireProducer nothing tells W from A: the spoof is stored (documented in docs/threat-model.md);
          // take it out again so the rest of the scenario runs on A's history
          expect(spoofed.success).toBe(1);
          const del = await fetch(`${server.base}/hub/collections/${coll}/objects/${INDICATOR}/?match[version]=9999-12-31T23:59:59.999Z`, {
            method: 'DELETE',
            headers: { authorization: AS_A, accept: TAXII },
          });
          expect(del.status).toBe(200);
        }
        // A can still publish its next version, and readers get it
        const next = labAIndicator('2026-03-01T00:00:00.000Z', { name: 'v2' });
        expect((await post(server.base, coll, AS_A, [next])).success).toBe(1);
        expect(await latest(server.base, coll, INDICATOR)).toEqual([next]);
        // a reader is told exactly what was wrong
        const mine = await post(server.base, coll, AS_A, [labAIndicator('2026-04-01T00:00:00.000Z', { created: '2025-01-01T00:00:00.000Z' })]);
        expect(mine.failures).toEqual([expect.stringMatching(/^objects\/0: version-created-changed: created is 2025-01-01T00:00:00.000Z but the versions held were created 2026-01-01T00:00:00.000Z/)]);
      });

      it(`un-revoking fails (${coll})`, async () => {
        const revoked = labAIndicator('2026-05-01T00:00:00.000Z', { revoked: true });
        expect((await post(server.base, coll, AS_A, [revoked])).success).toBe(1);
        const unrevoke = labAIndicator('2026-06-01T00:00:00.000Z', { revoked: false });
        const byW = await post(server.base, coll, AS_W, [unrevoke]);
        expect(byW.failures).toEqual([coll === 'shared' ? expect.stringMatching(/producer-not-bound/) : expect.stringMatching(NEUTRAL)]);
        // not even the producer may take a revocation back
        const byA = await post(server.base, coll, AS_A, [unrevoke]);
        expect(byA.failures).toEqual([expect.stringMatching(/^objects\/0: version-after-revoked: /)]);
        expect(await latest(server.base, coll, INDICATOR)).toEqual([revoked]);
      });

      it(`squatting a deterministic SCO id fails (${coll})`, async () => {
        const squat = { type: 'ipv4-addr', spec_version: '2.1', id: IPV4_ID, value: '10.0.0.1' };
        expect((await post(server.base, coll, AS_W, [squat])).failures).toEqual([expect.stringMatching(/^objects\/0: sco-id-not-deterministic: /)]);
        const genuine = { type: 'ipv4-addr', spec_version: '2.1', id: IPV4_ID, value: '198.51.100.3' };
        expect((await post(server.base, coll, AS_A, [genuine])).success).toBe(1);
        expect(await latest(server.base, coll, IPV4_ID)).toEqual([genuine]);
      });
    }

    it('tells a write-only member nothing about what is held, and a reader everything', async () => {
      const held = labAIndicator('2026-01-01T00:00:00.000Z', { id: 'indicator--cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd' });
      await post(server.base, 'open', AS_A, [held]);
      const changed = { ...held, name: 'changed without a new modified' };
      expect((await post(server.base, 'open', AS_W, [changed])).failures).toEqual([expect.stringMatching(NEUTRAL)]);
      expect((await post(server.base, 'open', AS_A, [changed])).failures).toEqual([expect.stringMatching(/^objects\/0: version-conflict: /)]);
    });
  });
}

attacks('memory store', (config) => serve(['--config', config], { store: new MemoryStore() }));
attacks('SQLite store', (config) => serve(['--config', config, '--db', join(config, '..', 'hub.db')]));

let cluster: PgCluster | undefined;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);
attacks('PostgreSQL store', (config) => {
  if (cluster === undefined) throw new Error('the PostgreSQL test cluster did not start (see the beforeAll error)');
  return serve(['--config', config, '--store', 'postgres', '--database-url', cluster.url]);
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaxiiClient } from '../../src/taxii/client/index.js';
import { ensureBuilt, runBuilt } from '../cli/built-cli.js';
import { TaxiiProtocolError } from '../../src/taxii/client/index.js';
import { dateAdded, FAST_RETRY, identity, sendJson, startFakeServer } from '../taxii/client/fake-server.js';
import { MEDALLION_COLLECTION, OBJECTS_PATH, startMedallion } from './medallion-server.js';
import type { Medallion } from './medallion-server.js';

/**
 * Issue #20: our client against a server that pages like medallion (no `limit` on the first request → 500 on the
 * next page; the same `next` token on every page; at most 100 objects a page).
 */

let medallion: Medallion | undefined;
let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medallion-'));
  await ensureBuilt();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await medallion?.server.close();
  medallion = undefined;
});

const base = (query: string): string => `${OBJECTS_PATH}?${query}`;

describe('the scripted server reproduces medallion', () => {
  it('fails the second page with 500 when the first request had no limit (what clients without a limit meet)', async () => {
    medallion = await startMedallion({ size: 650 });
    const first = await fetch(`${medallion.server.origin}${OBJECTS_PATH}`);
    const body = (await first.json()) as { next: string; objects: unknown[] };
    expect(body.objects).toHaveLength(100);
    const second = await fetch(`${medallion.server.origin}${OBJECTS_PATH}?next=${body.next}&limit=100`);
    expect(second.status).toBe(500);
  });
});

describe('TaxiiClient against medallion', () => {
  it('reads all 650 objects: a limit on every request, the original options with next, progress judged by new objects', async () => {
    medallion = await startMedallion({ size: 650 });
    const client = new TaxiiClient({ url: medallion.apiRoot, retry: FAST_RETRY });
    const objects = await client.collection(MEDALLION_COLLECTION).objects({ match: { version: 'all' } }).toArray();
    await client.close();
    expect(new Set(objects.map((o) => o.id)).size).toBe(650);
    // The request sequence: the default limit (1000, capped to 100 by the server) on each request, and the original
    // match option sent again with the (always identical) next token.
    const requests = medallion.objectRequests();
    expect(requests).toHaveLength(7);
    expect(requests[0]).toBe(base('limit=1000&match[version]=all'));
    const token = new URL(requests[1] ?? '', 'http://x').searchParams.get('next');
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests.slice(1)).toEqual(Array(6).fill(base(`limit=1000&match[version]=all&next=${token ?? ''}`)));
  });

  it("sends the caller's limit on every page", async () => {
    medallion = await startMedallion({ size: 250 });
    const client = new TaxiiClient({ url: medallion.apiRoot, retry: FAST_RETRY });
    const objects = await client.collection(MEDALLION_COLLECTION).objects({ limit: 60 }).toArray();
    await client.close();
    expect(objects).toHaveLength(250);
    const requests = medallion.objectRequests();
    expect(requests.every((r) => r.includes('limit=60'))).toBe(true);
    expect(requests).toHaveLength(5);
  });

  it('retries a page answered with 500, then goes on', async () => {
    medallion = await startMedallion({ size: 650, failPages: new Map([[3, 2]]) });
    const client = new TaxiiClient({ url: medallion.apiRoot, retry: FAST_RETRY });
    const objects = await client.collection(MEDALLION_COLLECTION).objects().toArray();
    await client.close();
    expect(new Set(objects.map((o) => o.id)).size).toBe(650);
    expect(medallion.objectRequests()).toHaveLength(7 + 2);
  });
});

describe('the stall guard still stops a server that goes round in circles', () => {
  it('same next token and the same objects on every page: paging-stalled after 3 pages with nothing new', async () => {
    const server = await startFakeServer((_req, res) =>
      sendJson(res, 200, { more: true, next: 'same', objects: [identity(1), identity(2)] }, { 'X-TAXII-Date-Added-Last': dateAdded(2) }),
    );
    const client = new TaxiiClient({ url: server.url + 'api1/', retry: FAST_RETRY });
    const err = await client.collection(MEDALLION_COLLECTION).objects().toArray().catch((e: unknown) => e);
    await client.close();
    await server.close();
    expect(err).toBeInstanceOf(TaxiiProtocolError);
    expect((err as TaxiiProtocolError).violation).toBe('paging-stalled');
    // The first page brings two objects; the next three bring none; the fourth without progress ends it.
    expect(server.seen).toHaveLength(5);
  });

  it('pages whose date header goes back are not progress, even with objects not in the previous page', async () => {
    let n = 0;
    const server = await startFakeServer((_req, res) => {
      n++;
      const at = n % 2 === 1 ? 1 : 3; // A, B, A, B, ... each page differs from the one before it
      sendJson(res, 200, { more: true, next: 'same', objects: [identity(at)] }, { 'X-TAXII-Date-Added-Last': dateAdded(at) });
    });
    const client = new TaxiiClient({ url: server.url + 'api1/', retry: FAST_RETRY });
    const err = await client.collection(MEDALLION_COLLECTION).objects().toArray().catch((e: unknown) => e);
    await client.close();
    await server.close();
    expect((err as TaxiiProtocolError).violation).toBe('paging-stalled');
  });
});

describe('distill-intel pull against medallion (built CLI)', () => {
  const pull = (m: Medallion, ...extra: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    runBuilt(['pull', '--url', m.apiRoot, '--collection', MEDALLION_COLLECTION, '--no-progress', ...extra], { cwd: dir });
  const distinctLines = (file: string): number => new Set(readFileSync(join(dir, file), 'utf8').trimEnd().split('\n')).size;

  it('writes 650 distinct objects and exits 0, with and without --match version=all', async () => {
    medallion = await startMedallion({ size: 650 });
    const plain = await pull(medallion, '--out', 'all.ndjson');
    expect(plain.stderr).toBe(`pulled: 650 objects in 7 pages, checkpoint ${dateAdded(649)}\n`);
    expect(plain.code).toBe(0);
    expect(distinctLines('all.ndjson')).toBe(650);
    const versions = await pull(medallion, '--match', 'version=all', '--out', 'versions.ndjson');
    expect(versions.code).toBe(0);
    expect(distinctLines('versions.ndjson')).toBe(650);
  });

  it('reports the failing page and what was written, and a re-run resumes from the checkpoint', async () => {
    // Page 3 keeps failing: 1 try + 4 retries of the default policy, then the report.
    const failPages = new Map([[3, 5]]);
    medallion = await startMedallion({ size: 650, failPages });
    const args = ['--out', 'resumed.ndjson', '--checkpoint', 'resumed.ckpt'];
    const broken = await pull(medallion, ...args);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain('distill-intel pull: page 3 failed: ');
    expect(broken.stderr).toContain('HTTP 500');
    expect(broken.stderr).toContain(
      `distill-intel pull: 200 objects from 2 pages were written before it; resumed.ckpt holds checkpoint ${dateAdded(199)}: run the same command again to resume there\n`,
    );
    expect(distinctLines('resumed.ndjson')).toBe(200);
    expect(medallion.objectRequests().filter((r) => r.includes('next='))).toHaveLength(1 + 5);

    const before = medallion.objectRequests().length;
    const again = await pull(medallion, ...args);
    expect(again.code).toBe(0);
    expect(distinctLines('resumed.ndjson')).toBe(650);
    expect(readFileSync(join(dir, 'resumed.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(650);
    // The re-run starts after the last object written, with a limit.
    expect(medallion.objectRequests()[before]).toBe(base(`added_after=${dateAdded(199)}&limit=1000`));
  });
});

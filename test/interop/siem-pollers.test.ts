/**
 * Replays, over real HTTP on loopback, the request sequences of the TAXII consumers that poll a collection, as
 * documented in each product's public documentation: Microsoft Sentinel's import connector, Elastic's `ti_custom`
 * integration, OpenCTI's built-in TAXII ingester, and Cortex XSOAR's "TAXII 2 Feed". Each scenario publishes objects
 * before and *while* the consumer polls and asserts that every object arrives exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CREDENTIALS, FEED_ID, TAXII, basic, exactlyOnce, indicator, publish, startLive } from './harness.js';
import type { LiveServer } from './harness.js';

let live: LiveServer;
beforeEach(async () => {
  live = await startLive();
});
afterEach(async () => {
  await live.stop();
});

interface Envelope {
  objects?: { id: string; type: string }[];
  more?: boolean;
  next?: string;
}

async function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: Envelope; last: string | null; contentType: string | null }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Envelope, last: res.headers.get('x-taxii-date-added-last'), contentType: res.headers.get('content-type') };
}

describe('Microsoft Sentinel "Threat Intelligence – TAXII" import', () => {
  // Configured with an API root URL and a collection id (no discovery), Basic auth, a lookback, and periodic polls:
  // each poll asks for objects added after the last X-TAXII-Date-Added-Last seen and follows `next`.
  it('imports every object exactly once across polls', async () => {
    const apiRoot = `${live.url}/feeds/`;
    const headers = { accept: TAXII, authorization: basic(CREDENTIALS.sentinel.user, CREDENTIALS.sentinel.password) };
    const published: string[] = [];
    const add = async (n: number): Promise<void> => {
      const objs = Array.from({ length: n }, () => indicator());
      published.push(...objs.map((o) => String(o['id'])));
      await publish(live.url, 'indicators', objs);
    };
    await add(230);
    const received: string[] = [];
    let lookback = '2026-01-01T00:00:00.000Z';
    for (let poll = 0; poll < 4; poll++) {
      let url: string | undefined = `${apiRoot}collections/${FEED_ID}/objects/?added_after=${lookback}`;
      while (url !== undefined) {
        const r = await getJson(url, headers);
        expect(r.status).toBe(200);
        expect(r.contentType).toBe(TAXII);
        received.push(...(r.body.objects ?? []).map((o) => o.id));
        if (r.last !== null) lookback = r.last;
        url = r.body.more === true && r.body.next !== undefined ? `${apiRoot}collections/${FEED_ID}/objects/?added_after=${encodeURIComponent(lookback)}&next=${encodeURIComponent(r.body.next)}` : undefined;
        // Intel keeps arriving while Sentinel pages.
        if (poll < 2 && url !== undefined) await add(7);
      }
      if (poll < 3) await add(40);
    }
    // One last poll picks up whatever the previous poll's pages missed.
    const final = await getJson(`${apiRoot}collections/${FEED_ID}/objects/?added_after=${lookback}&limit=1000`, headers);
    received.push(...(final.body.objects ?? []).map((o) => o.id));
    expect(exactlyOnce(received, published)).toEqual({ duplicates: [], missing: [], extra: [] });
  });
});

describe('Elastic Custom Threat Intelligence (ti_custom, CEL input)', () => {
  // The URL is the full objects endpoint. First request: ?added_after=<now - initial_interval>&limit=N. Follow-ups
  // send ONLY ?next=…&limit=… while body.next is non-empty. X-Taxii-Date-Added-Last is stored as the cursor for the
  // next interval. Authorization: "<key_type> <key>" (Bearer by default; Elastic's tests use Token).
  async function runInterval(url: string, headers: Record<string, string>, cursor: string | undefined, received: string[], during: () => Promise<void>): Promise<string | undefined> {
    let request = `${url}?added_after=${encodeURIComponent(cursor ?? '2026-01-01T00:00:00Z')}&limit=25`;
    for (;;) {
      const r = await getJson(request, headers);
      expect([200, 206]).toContain(r.status);
      received.push(...(r.body.objects ?? []).map((o) => o.id));
      if (r.last !== null) cursor = r.last;
      if (r.body.next === undefined || r.body.next === '') return cursor;
      await during();
      request = `${url}?next=${encodeURIComponent(r.body.next)}&limit=25`;
    }
  }

  it.each([['Bearer'], ['Token']])('ingests every object exactly once with %s keys', async (keyType) => {
    const url = `${live.url}/feeds/collections/${FEED_ID}/objects/`;
    const headers = { accept: TAXII, authorization: `${keyType} ${CREDENTIALS.elasticKey}` };
    const published: string[] = [];
    const add = async (n: number): Promise<void> => {
      const objs = Array.from({ length: n }, () => indicator());
      published.push(...objs.map((o) => String(o['id'])));
      await publish(live.url, 'indicators', objs);
    };
    await add(120);
    const received: string[] = [];
    let cursor: string | undefined;
    for (let interval = 0; interval < 3; interval++) {
      cursor = await runInterval(url, headers, cursor, received, () => add(3));
      await add(11);
    }
    cursor = await runInterval(url, headers, cursor, received, async () => undefined);
    expect(exactlyOnce(received, published)).toEqual({ duplicates: [], missing: [], extra: [] });
  });
});

describe('OpenCTI built-in TAXII feed ingester', () => {
  // Adds "/" to the API root, GETs collections/{c}/objects/ with Accept TAXII 2.1, sends `next` together with
  // `added_after`, sleeps INGESTION_MANAGER__INTERVAL between pages (so cursors must survive minutes, here: a server
  // restart), keeps `next` while more=true, and otherwise resumes from X-TAXII-Date-Added-Last.
  it('ingests every object exactly once, with cursors that survive a restart between pages', async () => {
    const published: string[] = [];
    const add = async (n: number): Promise<void> => {
      const objs = Array.from({ length: n }, () => indicator());
      published.push(...objs.map((o) => String(o['id'])));
      await publish(live.url, 'indicators', objs);
    };
    await add(90);
    const headers = { accept: TAXII, authorization: `Bearer ${CREDENTIALS.openctiKey}` };
    const state: { next?: string; addedAfter?: string } = {};
    const received: string[] = [];
    for (let run = 0; run < 12; run++) {
      const base = `${live.url}/feeds`.replace(/\/?$/, '/');
      const params = new URLSearchParams({ limit: '20' });
      if (state.next !== undefined) params.set('next', state.next);
      if (state.addedAfter !== undefined) params.set('added_after', state.addedAfter);
      const r = await getJson(`${base}collections/${FEED_ID}/objects/?${params.toString()}`, headers);
      expect(r.status).toBe(200);
      received.push(...(r.body.objects ?? []).map((o) => o.id));
      if (r.body.more === true && r.body.next !== undefined) state.next = r.body.next;
      else {
        delete state.next;
        if (r.last !== null) state.addedAfter = r.last;
      }
      if (run === 3) live = await live.restart();
      if (run === 5) await add(13);
    }
    expect(exactlyOnce(received, published)).toEqual({ duplicates: [], missing: [], extra: [] });
  });
});

describe('Cortex XSOAR / XSIAM "TAXII 2 Feed"', () => {
  // Starts from the discovery URL, matches "Collection Name" against collection titles, fetches incrementally with
  // added_after, "Max STIX Objects Per Poll" as limit, and pages the way taxii2-client's as_pages does (same filters
  // plus next). Auth: taxii2-client TokenAuth ("Authorization: Token <key>") or a custom header.
  async function feed(authHeaders: Record<string, string>): Promise<void> {
    const published: string[] = [];
    const add = async (n: number): Promise<void> => {
      const objs = Array.from({ length: n }, () => indicator());
      published.push(...objs.map((o) => String(o['id'])));
      await publish(live.url, 'indicators', objs);
    };
    await add(75);
    const headers = { accept: TAXII, 'user-agent': 'taxii2-client/2.3.0', ...authHeaders };
    const discovery = (await (await fetch(`${live.url}/taxii2/`, { headers })).json()) as { api_roots: string[]; default: string };
    expect(discovery.api_roots).toContain(discovery.default);
    const apiRoot = discovery.api_roots[0] as string;
    const root = (await (await fetch(apiRoot, { headers })).json()) as { max_content_length: number; versions: string[] };
    expect(root.versions).toContain(TAXII);
    const collections = (await (await fetch(`${apiRoot}collections/`, { headers })).json()) as { collections: { id: string; title: string; can_read: boolean }[] };
    const match = collections.collections.find((c) => c.title === 'Distillation indicators');
    expect(match?.can_read).toBe(true);
    const objectsUrl = `${apiRoot}collections/${match?.id as string}/objects/`;
    const received: string[] = [];
    let lastRun: string | undefined;
    for (let fetchRun = 0; fetchRun < 3; fetchRun++) {
      const filter = lastRun === undefined ? '' : `&added_after=${encodeURIComponent(lastRun)}`;
      let page = await getJson(`${objectsUrl}?limit=30${filter}`, headers);
      for (;;) {
        received.push(...(page.body.objects ?? []).map((o) => o.id));
        if (page.last !== null) lastRun = page.last;
        if (page.body.more !== true) break;
        page = await getJson(`${objectsUrl}?limit=30${filter}&next=${encodeURIComponent(page.body.next as string)}`, headers);
      }
      await add(17);
    }
    const tail = await getJson(`${objectsUrl}?limit=1000&added_after=${encodeURIComponent(lastRun as string)}`, headers);
    received.push(...(tail.body.objects ?? []).map((o) => o.id));
    expect(exactlyOnce(received, published)).toEqual({ duplicates: [], missing: [], extra: [] });
  }

  it('fetches every object exactly once with TokenAuth', async () => {
    await feed({ authorization: `Token ${CREDENTIALS.xsoarKey}` });
  });

  it('fetches every object exactly once with a custom API-key header', async () => {
    await feed({ 'x-api-key': CREDENTIALS.xsoarKey });
  });
});

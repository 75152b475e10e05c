/**
 * Pollers that do not keep the server's microseconds, replayed over real HTTP on loopback (issue 15 §3, §4):
 * - OpenCTI's TAXII ingester stores `X-TAXII-Date-Added-Last` through a millisecond date library and polls with
 *   `added_after=<that, truncated to ms>`, sending `next` together with `added_after` and no `limit`;
 * - a .NET poller formats the header back with seven fraction digits;
 * - Elastic `ti_custom` keeps `X-TAXII-Date-Added-Last` as its cursor and, when a response carries none, falls back
 *   to its initial look-back on the next interval.
 * Every object must arrive exactly once, and idle polls must bring nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CREDENTIALS, FEED_ID, TAXII, exactlyOnce, indicator, publish, startLive } from './harness.js';
import type { LiveServer } from './harness.js';

let live: LiveServer;
beforeEach(async () => {
  live = await startLive();
});
afterEach(async () => {
  await live.stop();
});

interface Page {
  readonly ids: string[];
  readonly more: boolean;
  readonly next: string | undefined;
  readonly last: string | null;
}

async function fetchPage(url: string, authorization: string): Promise<Page> {
  const res = await fetch(url, { headers: { accept: TAXII, authorization } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { objects?: { id: string }[]; more?: boolean; next?: string };
  return { ids: (body.objects ?? []).map((o) => o.id), more: body.more === true, next: body.next, last: res.headers.get('x-taxii-date-added-last') };
}

async function publishBatches(published: string[], batches: number[]): Promise<void> {
  for (const n of batches) {
    const objects = Array.from({ length: n }, () => indicator());
    published.push(...objects.map((o) => String(o['id'])));
    // One POST per batch: its objects land within a millisecond or two, which is what exposed the defect.
    await publish(live.url, 'indicators', objects, n);
  }
}

/** A poller that keeps `added_after` the way a client library re-formats it. */
function truncatingPoller(reformat: (header: string) => string): (received: string[]) => Promise<number> {
  const url = `${live.url}/feeds/collections/${FEED_ID}/objects/`;
  const auth = `Bearer ${CREDENTIALS.openctiKey}`;
  const state: { next?: string; addedAfter?: string } = {};
  // One poll = one request, as OpenCTI's ingestion manager makes one per interval.
  return async (received) => {
    const query = new URLSearchParams();
    if (state.addedAfter !== undefined) query.set('added_after', state.addedAfter);
    if (state.next !== undefined) query.set('next', state.next);
    const page = await fetchPage(`${url}?${query.toString()}`, auth);
    received.push(...page.ids);
    if (page.more && page.next !== undefined) state.next = page.next;
    else {
      delete state.next;
      if (page.last !== null) state.addedAfter = reformat(page.last);
    }
    return page.ids.length;
  };
}

describe('pollers that truncate X-TAXII-Date-Added-Last', () => {
  it.each([
    ['OpenCTI (millisecond Date)', (h: string): string => new Date(h).toISOString()],
    ['.NET (seven fraction digits)', (h: string): string => h.replace(/(\.\d{6})Z$/, '$10Z')],
    ['a parser that keeps seconds and milliseconds only', (h: string): string => h.replace(/(\.\d{3})\d*Z$/, '$1Z')],
  ])('%s: every object exactly once, nothing on idle polls', async (_name, reformat) => {
    const published: string[] = [];
    const received: string[] = [];
    const poll = truncatingPoller(reformat);
    await publishBatches(published, [100, 100, 100]);
    while ((await poll(received)) > 0);
    // Idle polls: before the fix each one re-sent up to a whole POST of 100 objects.
    for (let i = 0; i < 3; i++) expect(await poll(received)).toBe(0);
    // Incremental pushes between polls.
    for (const n of [100, 37, 1]) {
      await publishBatches(published, [n]);
      while ((await poll(received)) > 0);
      expect(await poll(received)).toBe(0);
    }
    expect(exactlyOnce(received, published)).toEqual({ duplicates: [], missing: [], extra: [] });
  }, 60_000);
});

describe('Elastic ti_custom over idle intervals', () => {
  it('keeps its place: an empty page still carries X-TAXII-Date-Added-Last, so nothing is fetched twice', async () => {
    const url = `${live.url}/feeds/collections/${FEED_ID}/objects/`;
    const auth = `Bearer ${CREDENTIALS.elasticKey}`;
    const initialLookBack = '2026-01-01T00:00:00Z';
    let cursor: string | undefined;
    const interval = async (received: string[]): Promise<void> => {
      let request = `${url}?added_after=${encodeURIComponent(cursor ?? initialLookBack)}&limit=25`;
      let last: string | null = null;
      for (;;) {
        const page = await fetchPage(request, auth);
        received.push(...page.ids);
        last = page.last;
        if (page.next === undefined) break;
        request = `${url}?next=${encodeURIComponent(page.next)}&limit=25`;
      }
      // What the CEL program keeps: the header of the last response, or nothing.
      cursor = last ?? undefined;
    };
    const published: string[] = [];
    const received: string[] = [];
    await publishBatches(published, [60]);
    await interval(received);
    for (let idle = 0; idle < 3; idle++) {
      const before = received.length;
      await interval(received);
      expect(received.length).toBe(before);
      expect(cursor).toBeDefined();
    }
    await publishBatches(published, [1]);
    await interval(received);
    expect(exactlyOnce(received, published)).toEqual({ duplicates: [], missing: [], extra: [] });
  }, 60_000);
});

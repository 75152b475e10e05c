/**
 * Replays, over real HTTP on loopback, the request sequences of the consumers that push into a collection
 * (the request shapes their public source sends): MISP's TAXII 2.1 push (taxii_push.py) and Splunk's CTIS TAXII app.
 * Each asserts that every pushed object is stored exactly once.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CREDENTIALS, INBOX_ID, TAXII, basic, exactlyOnce, indicator, startLive, storedIds } from './harness.js';
import type { LiveServer } from './harness.js';

let live: LiveServer;
beforeEach(async () => {
  live = await startLive();
});
afterEach(async () => {
  await live.stop();
});

describe('MISP TAXII 2.1 push (taxii_push.py)', () => {
  // Basic auth only. Builds ApiRoot(baseurl + "/" + api_root), reads max_content_length, splits the converted event
  // into envelopes that fit, and POSTs each to collections/{id}/objects/ without waiting for completion.
  function chunk(objects: readonly Record<string, unknown>[], maxBytes: number): string[] {
    const bodies: string[] = [];
    let current: string[] = [];
    const size = (parts: string[]): number => Buffer.byteLength(`{"objects":[${parts.join(',')}]}`);
    for (const o of objects) {
      const text = JSON.stringify(o);
      if (current.length > 0 && size([...current, text]) > maxBytes) {
        bodies.push(`{"objects":[${current.join(',')}]}`);
        current = [];
      }
      current.push(text);
    }
    if (current.length > 0) bodies.push(`{"objects":[${current.join(',')}]}`);
    return bodies;
  }

  async function push(objects: readonly Record<string, unknown>[]): Promise<{ statuses: Record<string, unknown>[]; chunks: number }> {
    const headers = { accept: TAXII, authorization: basic(CREDENTIALS.misp.user, CREDENTIALS.misp.password) };
    const apiRoot = (await (await fetch(`${live.url}/feeds`, { headers })).json()) as { max_content_length: number };
    expect(apiRoot.max_content_length).toBe(64 * 1024);
    const bodies = chunk(objects, apiRoot.max_content_length);
    const statuses = [];
    for (const body of bodies) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(apiRoot.max_content_length);
      const res = await fetch(`${live.url}/feeds/collections/${INBOX_ID}/objects/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': TAXII },
        body,
      });
      expect(res.status).toBe(202);
      statuses.push((await res.json()) as Record<string, unknown>);
    }
    return { statuses, chunks: bodies.length };
  }

  it('stores every object of a large event exactly once, also when the event is pushed again', async () => {
    const event = Array.from({ length: 300 }, () => indicator({ description: 'MISP attribute: '.repeat(12) }));
    const first = await push(event);
    expect(first.chunks).toBeGreaterThan(2);
    for (const s of first.statuses) expect(s['failure_count']).toBe(0);
    // MISP pushes an updated event again in full: exact duplicates are successes, not stored twice.
    const again = await push(event);
    for (const s of again.statuses) expect([s['failure_count'], s['success_count']]).toEqual([0, s['total_count']]);
    const ids = event.map((o) => String(o['id']));
    expect(exactlyOnce(await storedIds(live.url, INBOX_ID), ids)).toEqual({ duplicates: [], missing: [], extra: [] });
  });
});

describe('Splunk CTIS TAXII app', () => {
  // Looks the collection up by id in api_root.collections, submits a STIX *bundle* (grouping + indicators) through
  // taxii2-client add_objects (Content-Type application/taxii+json;version=2.1, Basic auth), then polls the status at
  // urljoin(collection_url, "../../status/<id>") — no trailing slash — every second until complete.
  it('submits a bundle, polls the status to completion, and every object is stored once', async () => {
    const headers = { accept: TAXII, authorization: basic(CREDENTIALS.splunk.user, CREDENTIALS.splunk.password), 'user-agent': 'taxii2-client/2.3.0' };
    const apiRootUrl = `${live.url}/feeds/`;
    const listing = (await (await fetch(`${apiRootUrl}collections/`, { headers })).json()) as { collections: { id: string; can_write: boolean }[] };
    const collection = listing.collections.find((c) => c.id === INBOX_ID);
    expect(collection?.can_write).toBe(true);
    const collectionUrl = `${apiRootUrl}collections/${INBOX_ID}/`;

    const indicators = Array.from({ length: 12 }, () => indicator());
    const grouping = {
      type: 'grouping',
      spec_version: '2.1',
      id: `grouping--${randomUUID()}`,
      created: '2026-02-01T10:00:00.000Z',
      modified: '2026-02-01T10:00:00.000Z',
      name: 'Splunk notable: distillation burst',
      context: 'suspicious-activity',
      object_refs: indicators.map((i) => i['id']),
    };
    const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [grouping, ...indicators] };
    const res = await fetch(`${collectionUrl}objects/`, {
      method: 'POST',
      headers: { ...headers, 'content-type': TAXII },
      body: JSON.stringify(bundle),
    });
    expect(res.status).toBe(202);
    let status = (await res.json()) as Record<string, unknown>;
    const statusUrl = new URL(`../../status/${String(status['id'])}`, collectionUrl).href;
    expect(statusUrl.endsWith('/')).toBe(false);
    for (let i = 0; i < 60 && status['status'] !== 'complete'; i++) {
      status = (await (await fetch(statusUrl, { headers })).json()) as Record<string, unknown>;
    }
    const polled = await fetch(statusUrl, { headers });
    expect(polled.status).toBe(200);
    expect(polled.headers.get('content-type')).toBe(TAXII);
    status = (await polled.json()) as Record<string, unknown>;
    // taxii2-client's Status._validate_status checks.
    const n = (k: string): number => status[k] as number;
    expect(status['status']).toBe('complete');
    expect(n('success_count') + n('pending_count') + n('failure_count')).toBe(n('total_count'));
    expect((status['successes'] as unknown[]).length).toBe(n('success_count'));
    expect([n('total_count'), n('success_count')]).toEqual([13, 13]);
    const expected = bundle.objects.map((o) => String(o['id']));
    expect(exactlyOnce(await storedIds(live.url, INBOX_ID), expected)).toEqual({ duplicates: [], missing: [], extra: [] });
  });

  it('is refused (403) on a collection it may only read, with a TAXII error', async () => {
    const res = await fetch(`${live.url}/feeds/collections/indicators/objects/`, {
      method: 'POST',
      headers: { accept: TAXII, 'content-type': TAXII, authorization: basic(CREDENTIALS.sentinel.user, CREDENTIALS.sentinel.password) },
      body: JSON.stringify({ objects: [indicator()] }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });
});

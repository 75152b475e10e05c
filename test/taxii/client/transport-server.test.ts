import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { ServerResponse } from 'node:http';
import {
  TaxiiClient,
  TaxiiHttpError,
  TaxiiNetworkError,
  TaxiiProtocolError,
} from '../../../src/taxii/client/index.js';
import type { ClientEvent, TaxiiClientOptions } from '../../../src/taxii/client/index.js';
import { FAST_RETRY, TAXII, identity, sendJson, startFakeServer } from './fake-server.js';
import type { FakeServer, Script } from './fake-server.js';

const COLL = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const PAGE = { objects: [identity(1), identity(2)] };
const PAGE_IDS = [identity(1)['id'], identity(2)['id']];

let server: FakeServer | undefined;
let client: TaxiiClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function setup(script: Script, options: Partial<TaxiiClientOptions> = {}): Promise<{ s: FakeServer; c: TaxiiClient; events: ClientEvent[] }> {
  server = await startFakeServer(script);
  const events: ClientEvent[] = [];
  client = new TaxiiClient({ url: server.url + 'api1', retry: FAST_RETRY, onEvent: (e) => events.push(e), ...options });
  return { s: server, c: client, events };
}

async function pullIds(c: TaxiiClient): Promise<string[]> {
  return (await c.collection(COLL).objects().toArray()).map((o) => o.id);
}

/** Writes the first half of a JSON page, then does `then` to the connection. */
function halfPage(res: ServerResponse, then: 'destroy' | 'stall'): void {
  const text = JSON.stringify(PAGE);
  res.writeHead(200, { 'content-type': TAXII, 'content-length': String(Buffer.byteLength(text)) });
  res.write(text.slice(0, text.length >> 1));
  if (then === 'destroy') setTimeout(() => res.socket?.destroy(), 5);
}

describe('retries', () => {
  it('honours Retry-After in seconds on 429, then gets the page', async () => {
    const { s, c, events } = await setup((_req, res, n) =>
      n === 1 ? sendJson(res, 429, { title: 'Too Many Requests' }, { 'retry-after': '1' }) : sendJson(res, 200, PAGE),
    );
    expect(await pullIds(c)).toEqual(PAGE_IDS);
    expect(s.seen).toHaveLength(2);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ type: 'retry', reason: 'HTTP 429', attempt: 1 });
    expect((retry as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { c, events } = await setup((_req, res, n) =>
      n === 1 ? sendJson(res, 503, undefined, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }) : sendJson(res, 200, PAGE),
    );
    expect(await pullIds(c)).toEqual(PAGE_IDS);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
  });

  it('fails at once with the 429 when Retry-After exceeds maxRetryAfterMs', async () => {
    const { s, c } = await setup((_req, res) => sendJson(res, 429, { title: 'slow down' }, { 'retry-after': '3600' }), {
      retry: { ...FAST_RETRY, maxRetryAfterMs: 1000 },
    });
    const err = await pullIds(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaxiiHttpError);
    expect((err as TaxiiHttpError).code).toBe('TAXII_HTTP_429');
    expect((err as TaxiiHttpError).retryAfterMs).toBe(3_600_000);
    expect(s.seen).toHaveLength(1);
  });

  it('rides out a burst of 503s', async () => {
    const { s, c } = await setup((_req, res, n) => (n <= 3 ? sendJson(res, 503, { title: 'busy' }) : sendJson(res, 200, PAGE)));
    expect(await pullIds(c)).toEqual(PAGE_IDS);
    expect(s.seen).toHaveLength(4);
  });

  it('gives up after `retries` and throws the last 503 with its error resource', async () => {
    const { s, c } = await setup((_req, res) =>
      sendJson(res, 503, { title: 'Service Unavailable', description: 'maintenance', http_status: '503', error_code: 'maintenance' }),
    );
    const err = (await pullIds(c).catch((e: unknown) => e)) as TaxiiHttpError;
    expect(err).toBeInstanceOf(TaxiiHttpError);
    expect(err.httpStatus).toBe(503);
    expect(err.resource).toEqual({ title: 'Service Unavailable', description: 'maintenance', http_status: '503', error_code: 'maintenance' });
    expect(err.errorCode).toBe('maintenance');
    expect(s.seen).toHaveLength(1 + FAST_RETRY.retries);
  });

  it('retries 500, 502 and 504 on a page like 503, then reports the status', async () => {
    for (const status of [500, 502, 504]) {
      const { s, c } = await setup((_req, res) => sendJson(res, status, { title: 'Internal' }));
      await expect(pullIds(c)).rejects.toMatchObject({ code: `TAXII_HTTP_${status}` });
      expect(s.seen).toHaveLength(1 + FAST_RETRY.retries);
      await c.close();
      await s.close();
      client = undefined;
      server = undefined;
    }
  });

  it('does not retry other 4xx/5xx', async () => {
    const { s, c } = await setup((_req, res) => sendJson(res, 501, { title: 'Not Implemented' }));
    await expect(pullIds(c)).rejects.toMatchObject({ code: 'TAXII_HTTP_501' });
    expect(s.seen).toHaveLength(1);
  });

  it('re-requests a page whose connection dropped mid-body, and hands out each object once', async () => {
    const { s, c, events } = await setup((_req, res, n) => (n === 1 ? halfPage(res, 'destroy') : sendJson(res, 200, PAGE)));
    expect(await pullIds(c)).toEqual(PAGE_IDS);
    expect(s.seen).toHaveLength(2);
    expect(events.some((e) => e.type === 'retry')).toBe(true);
  });

  it('re-requests a page whose body stalls past bodyMs', async () => {
    const { s, c, events } = await setup((_req, res, n) => (n === 1 ? halfPage(res, 'stall') : sendJson(res, 200, PAGE)), {
      timeouts: { bodyMs: 150 },
    });
    expect(await pullIds(c)).toEqual(PAGE_IDS);
    expect(s.seen).toHaveLength(2);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('re-requests when headers do not come within headersMs', async () => {
    const { s, c } = await setup(
      (_req, res, n) => {
        if (n === 1) return; // never answers
        sendJson(res, 200, PAGE);
      },
      { timeouts: { headersMs: 150 } },
    );
    expect(await pullIds(c)).toEqual(PAGE_IDS);
    expect(s.seen).toHaveLength(2);
  });

  it('wraps a persistent network failure in TaxiiNetworkError after the retries', async () => {
    const { s, c } = await setup((_req, res) => halfPage(res, 'destroy'));
    const err = (await pullIds(c).catch((e: unknown) => e)) as TaxiiNetworkError;
    expect(err).toBeInstanceOf(TaxiiNetworkError);
    expect(err.code).toBe('TAXII_NETWORK');
    expect(err.failure).toBe('connection-lost');
    expect(err.attempts).toBe(1 + FAST_RETRY.retries);
    expect(s.seen).toHaveLength(1 + FAST_RETRY.retries);
  });

  it('reports connection refused as a connect failure', async () => {
    const s = await startFakeServer((_req, res) => sendJson(res, 200, {}));
    const url = s.url;
    await s.close();
    client = new TaxiiClient({ url: url + 'api1', retry: { ...FAST_RETRY, retries: 1 } });
    const err = (await client.collections().catch((e: unknown) => e)) as TaxiiNetworkError;
    expect(err.failure).toBe('connect');
    expect(err.attempts).toBe(2);
  });

  it('never re-sends a POST after a 503 unless asked to', async () => {
    const status = { id: 'a1b2c3d4-0000-4000-8000-000000000001', status: 'complete', total_count: 1, success_count: 1, failure_count: 0, pending_count: 0 };
    const script: Script = (req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, { title: 'r', versions: [TAXII], max_content_length: 100000 });
      const posts = (server as FakeServer).seen.filter((r) => r.method === 'POST').length;
      return posts === 1 ? sendJson(res, 503, { title: 'busy' }) : sendJson(res, 202, status);
    };
    const { s, c } = await setup(script);
    await expect(c.collection(COLL).addObjects([identity(1)])).rejects.toMatchObject({ code: 'TAXII_HTTP_503' });
    expect(s.seen.filter((r) => r.method === 'POST')).toHaveLength(1);

    await client?.close();
    await server?.close();
    const again = await setup(script, { retry: { ...FAST_RETRY, retryPost: true } });
    const merged = await again.c.collection(COLL).addObjects([identity(1)]);
    expect(merged.success_count).toBe(1);
    expect(again.s.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
  });
});

describe('abort', () => {
  it('rejects with the signal reason while waiting for a retry', async () => {
    const { c } = await setup((_req, res) => sendJson(res, 503, {}, { 'retry-after': '30' }), { retry: { ...FAST_RETRY, maxRetryAfterMs: 60_000 } });
    const ac = new AbortController();
    const pending = c.collection(COLL).objects({ signal: ac.signal }).toArray();
    setTimeout(() => ac.abort(new Error('stop now')), 50);
    await expect(pending).rejects.toThrow('stop now');
  });

  it('aborts a request in flight', async () => {
    const { c } = await setup(() => undefined); // never answers
    const ac = new AbortController();
    const pending = c.collections({ signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('content types and bodies', () => {
  const ok = (ct: string): Script => (_req, res) => {
    const text = JSON.stringify(PAGE);
    res.writeHead(200, { 'content-type': ct });
    res.end(text);
  };

  it.each([TAXII, 'application/taxii+json; version = 2.1', 'application/taxii+json', 'application/vnd.oasis.taxii+json; version=2.1', 'application/json; charset=utf-8'])(
    'accepts %s',
    async (ct) => {
      const { c } = await setup(ok(ct));
      expect(await pullIds(c)).toEqual(PAGE_IDS);
    },
  );

  it.each(['text/html; charset=utf-8', 'application/taxii+json;version=2.0', 'application/stix+json;version=2.1'])('refuses %s', async (ct) => {
    const { c } = await setup(ok(ct));
    const err = (await pullIds(c).catch((e: unknown) => e)) as TaxiiProtocolError;
    expect(err).toBeInstanceOf(TaxiiProtocolError);
    expect(err.violation).toBe('unexpected-content-type');
    expect(err.httpStatus).toBe(200);
  });

  it('refuses a body that is not JSON', async () => {
    const { c } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': TAXII });
      res.end('{"objects": [');
    });
    await expect(pullIds(c)).rejects.toMatchObject({ violation: 'invalid-json' });
  });

  it('refuses a page larger than maxResponseBytes', async () => {
    const { c } = await setup((_req, res) => sendJson(res, 200, PAGE), { maxResponseBytes: 100 });
    await expect(pullIds(c)).rejects.toMatchObject({ violation: 'response-too-large' });
  });

  it('keeps an HTML 401 as a typed error without a resource', async () => {
    const { c } = await setup((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="x"' });
      res.end('<html>Unauthorized</html>');
    });
    const err = (await c.collections().catch((e: unknown) => e)) as TaxiiHttpError;
    expect(err.code).toBe('TAXII_HTTP_401');
    expect(err.resource).toBeUndefined();
  });
});

describe('requests the client sends', () => {
  const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

  it('sends User-Agent distill-intel/<package version>, the TAXII Accept header and trailing slashes', async () => {
    const { s, c } = await setup((_req, res) => sendJson(res, 200, {}));
    await c.collections();
    const r = s.seen[0];
    expect(r?.headers['user-agent']).toBe(`distill-intel/${version}`);
    expect(r?.headers['accept']).toBe('application/taxii+json;version=2.1');
    expect(r?.target).toBe('/api1/collections/');
  });

  it('writes filters in the spec syntax: literal match[...] names and comma lists', async () => {
    const { s, c } = await setup((_req, res) => sendJson(res, 200, {}));
    await c
      .collection(COLL)
      .objects({ addedAfter: new Date('2026-03-01T10:00:00.123Z'), limit: 50, match: { type: ['indicator', 'malware'], version: 'all', specVersion: '2.1' } })
      .toArray();
    expect(s.seen[0]?.target).toBe(
      `/api1/collections/${COLL}/objects/?added_after=2026-03-01T10:00:00.123000Z&limit=50&match[type]=indicator,malware&match[version]=all&match[spec_version]=2.1`,
    );
  });

  it('posts an envelope with the TAXII Content-Type', async () => {
    const { s, c } = await setup((req, res) =>
      req.method === 'GET'
        ? sendJson(res, 200, { title: 'r', versions: [TAXII], max_content_length: 100000 })
        : sendJson(res, 202, { id: 'a1b2c3d4-0000-4000-8000-000000000001', status: 'complete', total_count: 1, success_count: 1, failure_count: 0, pending_count: 0 }),
    );
    await c.collection(COLL).addObjects({ type: 'bundle', id: 'bundle--6f4c1d8a-0a3c-4c2e-9f5e-2b1d3c4e5f60', objects: [identity(7)] });
    const post = s.seen.find((r) => r.method === 'POST');
    expect(post?.headers['content-type']).toBe(TAXII);
    expect(JSON.parse(post?.body ?? '')).toEqual({ objects: [identity(7)] });
  });

  it.each([
    [{ type: 'basic', username: 'lab', password: 's3cr3t-pw' } as const, 'authorization', 'Basic ' + Buffer.from('lab:s3cr3t-pw').toString('base64')],
    [{ type: 'bearer', token: 's3cr3t-tok' } as const, 'authorization', 'Bearer s3cr3t-tok'],
    [{ type: 'token', token: 's3cr3t-tok' } as const, 'authorization', 'Token s3cr3t-tok'],
    [{ type: 'header', name: 'X-Api-Key', value: 's3cr3t-key' } as const, 'x-api-key', 's3cr3t-key'],
  ])('authenticates with %j', async (auth, header, value) => {
    const { s, c, events } = await setup((_req, res) => sendJson(res, 404, { title: 'Not Found', description: 'nothing here' }), { auth });
    const err = (await c.collections().catch((e: unknown) => e)) as TaxiiHttpError;
    expect(s.seen[0]?.headers[header]).toBe(value);
    // The secret appears nowhere a log could pick it up.
    const secret = /s3cr3t/;
    expect(err.message).not.toMatch(secret);
    expect(JSON.stringify(err)).not.toMatch(secret);
    expect(inspect(err, { depth: 5 })).not.toMatch(secret);
    expect(JSON.stringify(events)).not.toMatch(secret);
    expect(inspect(c, { depth: 5 })).not.toMatch(secret);
    expect(JSON.stringify(c)).not.toMatch(secret);
  });

  it('takes credentials from the URL as Basic auth and keeps them out of messages', async () => {
    server = await startFakeServer((_req, res) => sendJson(res, 403, { title: 'Forbidden' }));
    client = new TaxiiClient({ url: server.url.replace('http://', 'http://lab:pw-s3cr3t@') + 'api1', retry: FAST_RETRY });
    const err = (await client.collections().catch((e: unknown) => e)) as TaxiiHttpError;
    expect(server.seen[0]?.headers['authorization']).toBe('Basic ' + Buffer.from('lab:pw-s3cr3t').toString('base64'));
    expect(err.url).not.toMatch(/s3cr3t/);
    expect(err.message).not.toMatch(/s3cr3t/);
  });

  it('does not send credentials to an API root on an origin nobody vouched for', async () => {
    const other = await startFakeServer((_req, res) => sendJson(res, 200, {}));
    try {
      const { c } = await setup((_req, res) => sendJson(res, 200, {}), { auth: { type: 'bearer', token: 'tok' } });
      await c.apiRoot(other.url + 'api9/').collections();
      expect(other.seen[0]?.headers['authorization']).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('follows a same-origin redirect on GET but not one to another origin', async () => {
    const { s, c } = await setup((req, res) => {
      if (req.path === '/api1/collections/') {
        res.writeHead(301, { location: '/moved/collections/' });
        return res.end();
      }
      if (req.path === '/moved/collections/') return sendJson(res, 200, { collections: [{ id: COLL, title: 't', can_read: true, can_write: false }] });
      res.writeHead(302, { location: 'http://example.invalid/elsewhere/' });
      res.end();
    });
    expect((await c.collections()).map((x) => x.id)).toEqual([COLL]);
    expect(s.seen.map((r) => r.path)).toEqual(['/api1/collections/', '/moved/collections/']);
    await expect(c.status('a1b2c3d4-0000-4000-8000-000000000001')).rejects.toMatchObject({ code: 'TAXII_HTTP_302' });
  });
});

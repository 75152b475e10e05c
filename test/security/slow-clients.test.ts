import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Running } from './harness.js';
import { AS, build, identity, isErrorResource, OPEN, raw, send, snapshot, startServer, TAXII } from './harness.js';

/*
 * Slow and never-ending clients (issue 6). With `timeouts: { headersMs: 1000, requestMs: 2000 }` the server must drop
 * a client that trickles its headers, trickles its body, or opens a chunked body it never ends, instead of holding
 * the connection (and a store write) open forever; the store stays unchanged, and other clients are served meanwhile.
 * Node answers these with 408 (or closes); either way the wait is bounded by the configured timeouts. The bounds
 * asserted are generous multiples of the settings, only to tell "dropped" from "held forever".
 */

const OBJECTS = `/api1/collections/${OPEN}/objects/`;

describe('slow and unfinished requests are cut by the configured timeouts', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer({ timeouts: { headersMs: 1000, requestMs: 2000 } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('slow headers (one line every 400 ms) are dropped', async () => {
    const before = await snapshot(s.store);
    const lines = [`GET ${OBJECTS} HTTP/1.1\r\n`, 'Host: 127.0.0.1\r\n', `Accept: ${TAXII}\r\n`, 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n', 'X-D: 4\r\n', 'X-E: 5\r\n', 'X-F: 6\r\n', 'X-G: 7\r\n', 'X-H: 8\r\n', `Authorization: ${AS.alice}\r\n`, '\r\n'];
    const r = await raw(s.port, lines, { pauseMs: 400, timeoutMs: 15_000 });
    expect([0, 408]).toContain(r.status);
    expect(r.elapsedMs).toBeLessThan(8_000);
    expect(await snapshot(s.store)).toBe(before);
  }, 20_000);

  it('answers a request whose headers never finish with 408 in TAXII form (issue 15 §3)', async () => {
    const r = await raw(s.port, [`GET ${OBJECTS} HTTP/1.1\r\nHost: x\r\n`], { keepOpen: true, timeoutMs: 15_000 });
    expect(r.status).toBe(408);
    expect(r.headers['content-type']).toBe(TAXII);
    expect(isErrorResource(r.body, 408)).toBe(true);
    expect((JSON.parse(r.body) as { error_code: string }).error_code).toBe('request-timeout');
  }, 20_000);

  it('a slow body (16 bytes every 400 ms) is dropped and nothing is stored', async () => {
    const before = await snapshot(s.store);
    const full = build({ method: 'POST', path: OBJECTS, auth: AS.alice, body: JSON.stringify({ objects: [identity()] }) });
    const headEnd = full.indexOf('\r\n\r\n') + 4;
    const parts: Buffer[] = [full.subarray(0, headEnd)];
    for (let i = headEnd; i < full.length; i += 16) parts.push(full.subarray(i, i + 16));
    const r = await raw(s.port, parts, { pauseMs: 400, timeoutMs: 15_000 });
    expect([0, 408]).toContain(r.status);
    expect(r.elapsedMs).toBeLessThan(8_000);
    expect(await snapshot(s.store)).toBe(before);
  }, 20_000);

  it('a chunked body that never ends is dropped and nothing is stored', async () => {
    const before = await snapshot(s.store);
    const head = `POST ${OBJECTS} HTTP/1.1\r\nHost: x\r\nAccept: ${TAXII}\r\nContent-Type: ${TAXII}\r\nAuthorization: ${AS.alice}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const r = await raw(s.port, [head, '5\r\n{"obj\r\n'], { keepOpen: true, timeoutMs: 15_000 });
    expect([0, 408]).toContain(r.status);
    expect(r.elapsedMs).toBeLessThan(8_000);
    expect(await snapshot(s.store)).toBe(before);
  }, 20_000);

  it('serves other clients while slow ones hang on', async () => {
    const hanging = Array.from({ length: 20 }, () =>
      raw(s.port, [`GET ${OBJECTS} HTTP/1.1\r\nHost: x\r\n`], { keepOpen: true, timeoutMs: 15_000 }),
    );
    const r = await send(s.port, { path: `${OBJECTS}?limit=1`, auth: AS.alice });
    expect(r.status).toBe(200);
    const results = await Promise.all(hanging);
    for (const h of results) expect([0, 408]).toContain(h.status);
  }, 20_000);
});

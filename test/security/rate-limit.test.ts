import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Running } from './harness.js';
import { AS, basic, isErrorResource, OPEN, send, startServer, TAXII } from './harness.js';

/*
 * Per-principal rate limiting (issue 6): a token bucket per principal (per client address for anonymous and
 * unauthenticated requests). Past the burst, requests get 429 with a TAXII error resource and Retry-After (whole
 * seconds, RFC 9110 §10.2.3); other principals are unaffected; the bucket refills with time.
 */

const OBJECTS = `/api1/collections/${OPEN}/objects/?limit=1`;

describe('rate limiting', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer({ limits: { defaultPageSize: 10, maxPageSize: 50, rateLimit: { requestsPerSecond: 2, burst: 5 } } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('gives 429 with Retry-After past the burst, per principal, and refills', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 8; i++) {
      const r = await send(s.port, { path: OBJECTS, auth: AS.alice });
      statuses.push(r.status);
      if (r.status === 429) limited ??= r;
    }
    // The burst of 5 passes (a few ms may refill a fraction of a token, never a whole one at 2/s... allow one).
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(2);
    const r = limited as NonNullable<typeof limited>;
    expect(isErrorResource(r.body, 429)).toBe(true);
    expect((JSON.parse(r.body) as { error_code: string }).error_code).toBe('rate-limited');
    expect(r.headers['content-type']).toBe(TAXII);
    expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    // Another principal has its own bucket.
    expect((await send(s.port, { path: OBJECTS, auth: AS.bob })).status).toBe(200);
    // After Retry-After, alice is served again.
    await new Promise((res) => setTimeout(res, Number(r.headers['retry-after']) * 1000 + 50));
    expect((await send(s.port, { path: OBJECTS, auth: AS.alice })).status).toBe(200);
  }, 20_000);

  it('limits failed authentication attempts per client address too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(s.port, { path: OBJECTS, auth: basic('mallory', `guess-${i}`) })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
  }, 20_000);

  it('is on by default (100 requests/s, burst 200) and off with enabled: false', async () => {
    const defaults = await startServer();
    const off = await startServer({ limits: { rateLimit: { enabled: false } } });
    try {
      const burst = async (port: number): Promise<number[]> =>
        Promise.all(Array.from({ length: 500 }, async () => (await send(port, { path: OBJECTS, auth: AS.alice })).status));
      const started = performance.now();
      const on = await burst(defaults.port);
      const seconds = (performance.now() - started) / 1000;
      // 200 tokens plus what refills (100/s) while the burst is under way.
      expect(on.filter((x) => x === 200).length).toBeLessThanOrEqual(Math.ceil(200 + 100 * seconds) + 1);
      expect(on.filter((x) => x === 429).length).toBeGreaterThan(0);
      expect(on.filter((x) => x === 200).length).toBeGreaterThanOrEqual(200);
      expect((await burst(off.port)).every((x) => x === 200)).toBe(true);
    } finally {
      await defaults.close();
      await off.close();
    }
  }, 30_000);
});

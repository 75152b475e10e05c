import { describe, expect, it } from '@jest/globals';
import type { SecurityEvent } from '../../src/taxii/server/config.js';
import { createTaxiiHandler } from '../../src/taxii/server/handler.js';
import type { TaxiiHandler } from '../../src/taxii/server/handler.js';
import { hashSecretSync } from '../../src/taxii/server/secrets.js';
import { MemoryStore } from '../../src/taxii/store/memory.js';
import { basic, TAXII } from './harness.js';

/*
 * Issue 15 §2: a flood of wrong passwords must not starve cached and new logins, throttling is per address and user
 * name, and unknown-user and wrong-password timing is the same whatever scrypt cost each principal was given.
 */

const COLL = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const CHEAP = { N: 1024, r: 8, p: 1 };
const COSTLY = { N: 8192, r: 8, p: 1 };

function handler(events: SecurityEvent[] = [], logins = {}): TaxiiHandler {
  return createTaxiiHandler({
    store: new MemoryStore(),
    apiRoots: [{ path: 'api1', title: 'r', collections: [{ id: COLL, title: 'c' }] }],
    auth: {
      principals: [
        { name: 'cheap', passwordHash: hashSecretSync('cheap-pw', CHEAP), canRead: ['*'] },
        { name: 'costly', passwordHash: hashSecretSync('costly-pw', COSTLY), canRead: ['*'] },
        { name: 'carol', passwordHash: hashSecretSync('carol-pw', CHEAP), canRead: ['*'] },
      ],
    },
    limits: { logins },
    hooks: { onSecurityEvent: (e) => events.push(e) },
  });
}

async function login(h: TaxiiHandler, user: string, password: string, remoteAddress: string): Promise<{ status: number; ms: number; retryAfter: string | null }> {
  const started = performance.now();
  const res = await h(new Request('http://hub.test/api1/', { headers: { accept: TAXII, authorization: basic(user, password) } }), { remoteAddress });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('login hardening', () => {
  it('takes as long for an unknown user as for a wrong password, for a cheap and a costly hash alike', async () => {
    const h = handler();
    // Each attempt from its own address with its own password: no throttling, no negative cache.
    let n = 0;
    const time = async (user: string): Promise<number> => (await login(h, user, `wrong-${n}`, `10.0.${n >> 8}.${n++ & 255}`)).ms;
    await time('warm-up');
    const rounds = { cheap: [] as number[], costly: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 9; i++) {
      rounds.cheap.push(await time('cheap'));
      rounds.costly.push(await time('costly'));
      rounds.unknown.push(await time(`nobody-${i}`));
    }
    const [cheap, costly, unknown] = [median(rounds.cheap), median(rounds.costly), median(rounds.unknown)];
    // Before the fix a wrong password for the cheap hash took about 1/8 of an unknown user's time.
    // Wide bounds: the machine may be shared; the defect was a factor of 8, equal costs give about 1.
    expect(cheap / unknown).toBeGreaterThan(0.5);
    expect(cheap / unknown).toBeLessThan(2);
    expect(costly / unknown).toBeGreaterThan(0.5);
    expect(costly / unknown).toBeLessThan(2);
  }, 60_000);

  it('keeps cached and new logins working during a flood of wrong passwords from one address', async () => {
    const events: SecurityEvent[] = [];
    const h = handler(events);
    expect((await login(h, 'costly', 'costly-pw', '192.0.2.1')).status).toBe(200);
    const flood = Array.from({ length: 300 }, (_, i) => login(h, 'carol', `guess-${i}`, '198.51.100.7'));
    const cached = await login(h, 'costly', 'costly-pw', '198.51.100.7');
    const fresh = await login(h, 'cheap', 'cheap-pw', '203.0.113.9');
    const statuses = (await Promise.all(flood)).map((r) => r.status);
    expect(cached.status).toBe(200);
    // Before the fix a real user's first login took 4.2 s behind 400 bad ones; a cached one never queues.
    expect(cached.ms).toBeLessThan(1_000);
    expect(fresh.status).toBe(200);
    expect(fresh.ms).toBeLessThan(2_000);
    // At most the per-address allowance was ever checked; the rest were refused unchecked with 429.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(295);
    expect(events.filter((e) => e.kind === 'login-throttled').length).toBe(statuses.filter((s) => s === 429).length);
    expect(events.filter((e) => e.kind === 'auth-failed').length).toBe(statuses.filter((s) => s === 401).length);
    // Guessing on, one at a time, exhausts carol's allowance at that address (5 failures)...
    for (let i = 0; i < 5; i++) await login(h, 'carol', `more-${i}`, '198.51.100.7');
    // ...after which she is throttled there, with Retry-After, even with her right password...
    const throttled = await login(h, 'carol', 'carol-pw', '198.51.100.7');
    expect(throttled.status).toBe(429);
    expect(throttled.retryAfter).toMatch(/^[1-9]\d*$/);
    // ...but another user behind the same address logs in, and so does carol from elsewhere.
    expect((await login(h, 'cheap', 'cheap-pw', '198.51.100.7')).status).toBe(200);
    expect((await login(h, 'carol', 'carol-pw', '192.0.2.50')).status).toBe(200);
  }, 60_000);

  it('answers 503 with Retry-After when every verification slot and the queue are taken', async () => {
    const events: SecurityEvent[] = [];
    const h = handler(events, { concurrent: 1, queued: 2, queueTimeoutMs: 5_000 });
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => login(h, `user-${i}`, 'pw', `10.1.0.${i}`)));
    const busy = attempts.filter((a) => a.status === 503);
    expect(busy.length).toBe(5);
    expect(busy.every((a) => a.retryAfter === '5')).toBe(true);
    expect(attempts.filter((a) => a.status === 401).length).toBe(3);
    expect(events.filter((e) => e.kind === 'login-busy').length).toBe(5);
  }, 30_000);
});

import { describe, expect, it } from '@jest/globals';
import { checkServerOptions } from '../../src/taxii/server/config.js';
import { parseServeConfig } from '../../src/taxii/server/config-file.js';
import { createTaxiiServer } from '../../src/taxii/server/node.js';
import { RateLimiter } from '../../src/taxii/server/rate-limit.js';
import { decoyHashLike, DECOY_HASH, hashSecretSync, verifySecret } from '../../src/taxii/server/secrets.js';
import { storageFailure } from '../../src/taxii/server/storage-errors.js';
import { findDuplicateKey } from '../../src/stix/duplicate-keys.js';
import { MemoryStore } from '../../src/taxii/store/memory.js';
import { securityOptions } from './harness.js';

describe('RateLimiter (token bucket)', () => {
  it('allows the burst, then refuses with the whole seconds until the next token, and refills with time', () => {
    let now = 1_000_000;
    const rl = new RateLimiter(2, 3, () => now);
    expect([rl.take('a'), rl.take('a'), rl.take('a')].every((v) => v.ok)).toBe(true);
    // Empty bucket at 2 tokens/s: the next token comes in 0.5 s, announced as 1 whole second (Retry-After is integral).
    expect(rl.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Keys are independent.
    expect(rl.take('b').ok).toBe(true);
    now += 500;
    expect(rl.take('a').ok).toBe(true);
    expect(rl.take('a').ok).toBe(false);
    // Never refills past the burst.
    now += 60_000;
    expect([rl.take('a'), rl.take('a'), rl.take('a'), rl.take('a')].map((v) => v.ok)).toEqual([true, true, true, false]);
  });

  it('announces longer waits for slow rates', () => {
    let now = 0;
    const rl = new RateLimiter(0.1, 1, () => now);
    expect(rl.take('k').ok).toBe(true);
    expect(rl.take('k')).toEqual({ ok: false, retryAfterSeconds: 10 });
    now += 4_000;
    expect(rl.peek('k')).toEqual({ ok: false, retryAfterSeconds: 6 });
  });

  it('keeps its memory bounded under a flood of distinct keys', () => {
    const rl = new RateLimiter(1, 1, () => 0);
    for (let i = 0; i < 60_000; i++) rl.take(`addr-${i}`);
    expect(rl.size).toBeLessThanOrEqual(50_000);
  });
});

describe('rate limit and timeout configuration', () => {
  it('refuses a non-positive rate or a burst below 1, naming the field', () => {
    const bad = checkServerOptions(securityOptions(new MemoryStore(), { limits: { rateLimit: { requestsPerSecond: 0, burst: 0.5 } } }));
    expect(bad.items.map((p) => p.path).sort()).toEqual(['/limits/rateLimit/burst', '/limits/rateLimit/requestsPerSecond']);
    expect(checkServerOptions(securityOptions(new MemoryStore(), { limits: { rateLimit: { requestsPerSecond: 5 } } })).items).toEqual([]);
  });

  it('accepts rateLimit and timeouts in the serve config file, and refuses misspelt keys', () => {
    const ok = parseServeConfig({ limits: { rateLimit: { requestsPerSecond: 20, burst: 40 } }, timeouts: { headersMs: 5000, requestMs: 60000 } });
    expect(ok.limits?.rateLimit).toEqual({ requestsPerSecond: 20, burst: 40 });
    expect(ok.timeouts).toEqual({ headersMs: 5000, requestMs: 60000 });
    expect(() => parseServeConfig({ timeouts: { headerMs: 5000 } })).toThrow(/headerMs/);
  });

  it('applies the timeouts to the node server and refuses a non-positive one', async () => {
    const store = new MemoryStore();
    const s = createTaxiiServer({ ...securityOptions(store), timeouts: { headersMs: 3000, requestMs: 9000, keepAliveMs: 1000 } });
    expect(s.server.headersTimeout).toBe(3000);
    expect(s.server.requestTimeout).toBe(9000);
    expect(s.server.keepAliveTimeout).toBe(1000);
    await s.close();
    expect(() => createTaxiiServer({ ...securityOptions(store), timeouts: { headersMs: 0 } })).toThrow(/headersMs/);
  });
});

describe('storage failure mapping', () => {
  const err = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });
  it.each([
    ['SQLITE_FULL', 'storage-full'],
    ['SQLITE_READONLY_DBMOVED', 'storage-read-only'],
    ['SQLITE_IOERR_FSYNC', 'storage-unavailable'],
    ['SQLITE_BUSY', 'storage-unavailable'],
    ['53100', 'storage-full'],
    ['25006', 'storage-read-only'],
    ['08006', 'storage-unavailable'],
    ['57P01', 'storage-unavailable'],
    ['ENOSPC', 'storage-full'],
    ['EROFS', 'storage-read-only'],
    ['ECONNREFUSED', 'storage-unavailable'],
  ])('%s is a 503 %s with Retry-After', (code, errorCode) => {
    const e = storageFailure(err(code));
    expect(e?.httpStatus).toBe(503);
    expect(e?.errorCode).toBe(errorCode);
    expect(e?.details?.['retry_after']).toBeGreaterThan(0);
  });
  it('follows cause chains and recognises pg connection loss by message', () => {
    expect(storageFailure(new Error('wrapped', { cause: err('SQLITE_FULL') }))?.errorCode).toBe('storage-full');
    expect(storageFailure(new Error('Connection terminated unexpectedly'))?.errorCode).toBe('storage-unavailable');
  });
  it('leaves programming errors alone (they stay 500)', () => {
    expect(storageFailure(new TypeError('x is undefined'))).toBeUndefined();
    expect(storageFailure(err('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(storageFailure(err('23505'))).toBeUndefined();
    expect(storageFailure('string')).toBeUndefined();
  });
});

describe('decoy hash for unknown users', () => {
  it('has the cost parameters of the configured hashes, and matches no secret', async () => {
    const real = hashSecretSync('pw', { N: 2048, r: 4, p: 2 });
    const decoy = decoyHashLike(real);
    expect(decoy.split('$').slice(1, 4)).toEqual(['2048', '4', '2']);
    expect(await verifySecret('pw', decoy)).toBe(false);
    expect(await verifySecret('', decoy)).toBe(false);
    expect(decoyHashLike(undefined)).toBe(DECOY_HASH);
    expect(decoyHashLike('not a hash')).toBe(DECOY_HASH);
  });
});

describe('findDuplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', '/a'],
    ['{"a":1,"\\u0061":2}', '/a'],
    ['{"a":{"b":1,"c":[1,{"d":1,"d":2}]}}', '/a/c/1/d'],
    ['{"x":[{"k":1},{"k":1,"k":2}]}', '/x/1/k'],
    ['{"a/b~":1,"a/b~":2}', '/a~1b~0'],
  ])('finds the duplicate in %s at %s', (text, pointer) => {
    expect(findDuplicateKey(text)).toBe(pointer);
  });
  it.each([['{"a":"a","b":"a"}'], ['[{"x":1},{"x":1}]'], ['{"a":{"a":1},"b":{"a":1}}'], ['"{\\"a\\":1,\\"a\\":1}"'], [`{"d":${'['.repeat(100_000)}${']'.repeat(100_000)}}`]])(
    'finds none in %s',
    (text) => {
      expect(findDuplicateKey(text)).toBeUndefined();
    },
  );
});

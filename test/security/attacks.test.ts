import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RawResponse, Req, Running } from './harness.js';
import {
  API_KEY,
  AS,
  basic,
  DROPBOX,
  identity,
  identityText,
  isErrorResource,
  MAX_CONTENT,
  MAX_PAGE,
  OPEN,
  PASSWORDS,
  SECRET,
  send,
  raw,
  snapshot,
  startServer,
  TAXII,
} from './harness.js';

/*
 * Table-driven attacks against a real server on loopback. Every row states the exact answer (status, and the TAXII
 * error_code where the server gives one) and is checked to have left the store byte-for-byte unchanged and
 * Object.prototype untouched. Expected values come from TAXII 2.1 (§3.6 errors, §3.4 query parameters, §3.5 paging,
 * §4.x/§5.x endpoint error tables, App. B security) and HTTP semantics, not from the server's output.
 */

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const OBJECTS = `/api1/collections/${OPEN}/objects/`;
const seeded: { statusOfAlice?: string; cursor?: string; cursorOther?: string } = {};

interface Attack {
  readonly name: string;
  readonly req: () => Req | Buffer;
  /** Exact status. */
  readonly status: number;
  /** `error_code` of the TAXII error resource (4xx the server itself answers). */
  readonly errorCode?: string;
  /** Extra assertions on the response. */
  readonly check?: (r: RawResponse) => void;
  /** The answer comes from node's HTTP parser, before the TAXII core (still a TAXII error resource, issue 15 §3). */
  readonly fromParser?: boolean;
  /** A legitimate write: the store may change (every other row must leave it unchanged). */
  readonly stores?: boolean;
}

const envelope = (...texts: string[]): string => `{"objects":[${texts.join(',')}]}`;
const post = (body: string | Buffer, extra: Partial<Req> = {}): Req => ({ method: 'POST', path: OBJECTS, auth: AS.alice, body, ...extra });
const get = (path: string, auth: string = AS.alice): Req => ({ path, auth });

/** The failure of a POST whose every object was refused (202 with failures, nothing stored). */
function allFailed(code: string) {
  return (r: RawResponse): void => {
    const s = JSON.parse(r.body) as { success_count: number; failure_count: number; failures?: { message: string }[] };
    expect(s.success_count).toBe(0);
    expect(s.failure_count).toBeGreaterThan(0);
    expect(s.failures?.[0]?.message).toContain(code);
  };
}

const ATTACKS: readonly Attack[] = [
  // ---------------------------------------------------------------- prototype pollution
  { name: '__proto__ key inside an object', req: () => post(envelope(identityText('"__proto__":{"polluted":true}'))), status: 202, check: allFailed('__proto__') },
  { name: 'constructor.prototype inside an object', req: () => post(envelope(identityText('"constructor":{"prototype":{"polluted":true}}'))), status: 202, check: allFailed('constructor') },
  { name: 'constructor.prototype nested in a custom property', req: () => post(envelope(identityText('"x_a":{"constructor":{"prototype":{"polluted":true}}}'))), status: 202, check: allFailed('constructor') },
  { name: '__proto__ at the envelope level (ignored, nothing stored)', req: () => post('{"__proto__":{"polluted":true},"objects":[]}'), status: 422, errorCode: 'empty-envelope' },
  { name: '10 MiB-scale envelope of numbers (refused before parsing)', req: () => post('{"objects":[' + '1,'.repeat(3000) + '1]}'), status: 422, errorCode: 'invalid-envelope' },
  { name: '__proto__ in the query string', req: () => get(`${OBJECTS}?__proto__[polluted]=1&constructor[prototype][polluted]=1`), status: 200 },
  { name: 'match[__proto__] filter', req: () => get(`${OBJECTS}?match[__proto__]=x&match[constructor]=y`), status: 200 },

  // ---------------------------------------------------------------- deep nesting, huge numbers and strings
  { name: 'object nested 3,000 deep in a custom property', req: () => post(envelope(identityText(`"x_deep":${'['.repeat(3000)}${']'.repeat(3000)}`))), status: 202, check: allFailed('json-too-deep') },
  { name: 'envelope nested 4,000 deep', req: () => post('['.repeat(4000) + ']'.repeat(4000)), status: 422, errorCode: 'invalid-envelope' },
  { name: 'number 1e400 (Infinity) in an object', req: () => post(envelope(identityText('"x_n":1e400'))), status: 202, check: allFailed('json-number-out-of-range') },
  { name: 'integer beyond 2^53 in an object', req: () => post(envelope(identityText('"x_n":123456789012345678901234567890'))), status: 202, check: allFailed('json-number-out-of-range') },
  { name: 'duplicate member name in an object (parsers disagree on which wins)', req: () => post(envelope(identityText('"name":"someone else"'))), status: 202, check: allFailed('json-duplicate-key') },
  { name: 'duplicate member name spelled with an escape', req: () => post(envelope(identityText('"\\u006eame":"someone else"'))), status: 202, check: allFailed('json-duplicate-key') },
  { name: 'string filling max_content_length exactly + 1', req: () => post(envelope(identityText(`"x_s":"${'a'.repeat(MAX_CONTENT)}"`))), status: 413, errorCode: 'payload-too-large' },
  { name: 'limit beyond 2^53', req: () => get(`${OBJECTS}?limit=99999999999999999999`), status: 400, errorCode: 'invalid-filter' },
  { name: 'limit with an exponent', req: () => get(`${OBJECTS}?limit=1e3`), status: 400, errorCode: 'invalid-filter' },
  { name: 'limit zero', req: () => get(`${OBJECTS}?limit=0`), status: 400, errorCode: 'invalid-filter' },
  { name: 'negative limit', req: () => get(`${OBJECTS}?limit=-5`), status: 400, errorCode: 'invalid-filter' },
  {
    name: 'very large limit is capped at the page-size cap',
    req: () => get(`${OBJECTS}?limit=1000000`),
    status: 200,
    check: (r) => {
      const env = JSON.parse(r.body) as { objects: unknown[]; more: boolean };
      expect(env.objects).toHaveLength(MAX_PAGE);
      expect(env.more).toBe(true);
    },
  },
  { name: 'added_after in year 1', req: () => get(`${OBJECTS}?added_after=0001-01-01T00:00:00Z&limit=1`), status: 200 },

  // ---------------------------------------------------------------- encodings
  { name: 'body that is not UTF-8', req: () => post(Buffer.concat([Buffer.from(envelope(identityText('"x_s":"')).slice(0, -3)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')])), status: 422, errorCode: 'invalid-utf8' },
  { name: 'overlong UTF-8 encoding of "/"', req: () => post(Buffer.concat([Buffer.from(envelope(identityText('"x_s":"')).slice(0, -3)), Buffer.from([0xc0, 0xaf]), Buffer.from('"}]}')])), status: 422, errorCode: 'invalid-utf8' },
  { name: 'lone surrogate escape in a string (valid JSON, kept as sent)', req: () => post(envelope(identityText('"x_s":"\\ud800"'))), status: 202, stores: true },
  { name: 'body that is not JSON', req: () => post('{"objects":[{'), status: 422, errorCode: 'invalid-json' },
  { name: 'invalid percent-encoding in the path', req: () => get(`/api1/collections/%E0%A4%A/objects/`), status: 404, errorCode: 'not-found' },
  { name: 'percent-encoded NUL in a collection id', req: () => get(`/api1/collections/${OPEN}%00/objects/`), status: 404, errorCode: 'not-found' },

  // ---------------------------------------------------------------- body size
  { name: 'declared Content-Length over max_content_length', req: () => post('{"objects":[]}'.padEnd(MAX_CONTENT + 1, ' ')), status: 413, errorCode: 'payload-too-large' },
  { name: 'chunked body over max_content_length (no Content-Length)', req: () => post('{"objects":[]}'.padEnd(MAX_CONTENT * 4, ' '), { chunkSize: 1024 }), status: 413, errorCode: 'payload-too-large' },
  {
    name: 'Content-Length over the limit with no body sent: refused before reading',
    req: () => Buffer.from(`POST ${OBJECTS} HTTP/1.1\r\nHost: x\r\nAccept: ${TAXII}\r\nAuthorization: ${AS.alice}\r\nContent-Type: ${TAXII}\r\nContent-Length: 999999999\r\n\r\n`),
    status: 413,
    errorCode: 'payload-too-large',
  },
  { name: 'Content-Length that is not a number', req: () => post('{}', { headers: { 'Content-Length': 'abc' } }), status: 400, errorCode: 'bad-request', fromParser: true },
  { name: 'Content-Length and Transfer-Encoding together (smuggling)', req: () => post('{"objects":[]}', { headers: { 'Content-Length': '4', 'Transfer-Encoding': 'chunked' } }), status: 400, errorCode: 'bad-request', fromParser: true },

  // ---------------------------------------------------------------- cursors
  { name: 'next that is not a cursor', req: () => get(`${OBJECTS}?next=garbage`), status: 400, errorCode: 'invalid-cursor' },
  { name: 'next with a tampered payload', req: () => get(`${OBJECTS}?next=${encodeURIComponent(tamper(seeded.cursor as string))}`), status: 400, errorCode: 'invalid-cursor' },
  { name: 'next with base64 padding appended', req: () => get(`${OBJECTS}?next=${encodeURIComponent((seeded.cursor as string) + '==')}`), status: 400, errorCode: 'invalid-cursor' },
  { name: 'next replayed on another collection', req: () => get(`/api1/collections/${DROPBOX}/objects/?next=${encodeURIComponent(seeded.cursor as string)}`, AS.admin), status: 400, errorCode: 'invalid-cursor' },
  { name: 'next replayed on the manifest endpoint', req: () => get(`/api1/collections/${OPEN}/manifest/?next=${encodeURIComponent(seeded.cursor as string)}`), status: 400, errorCode: 'invalid-cursor' },
  { name: 'next with a later added_after (would skip rows)', req: () => get(`${OBJECTS}?added_after=2200-01-01T00:00:00Z&next=${encodeURIComponent(seeded.cursor as string)}`), status: 400, errorCode: 'cursor-filter-mismatch' },
  { name: 'next of 100 KB', req: () => get(`${OBJECTS}?next=${'A'.repeat(100_000)}`), status: 431, errorCode: 'headers-too-large', fromParser: true },

  // ---------------------------------------------------------------- repeated filters
  { name: 'match[type] twice', req: () => get(`${OBJECTS}?match[type]=identity&match[type]=indicator`), status: 400, errorCode: 'duplicate-parameter' },
  { name: 'added_after twice', req: () => get(`${OBJECTS}?added_after=2026-01-01T00:00:00Z&added_after=2027-01-01T00:00:00Z`), status: 400, errorCode: 'duplicate-parameter' },
  { name: 'limit twice', req: () => get(`${OBJECTS}?limit=1&limit=1000`), status: 400, errorCode: 'duplicate-parameter' },
  { name: 'match[version] naming last twice', req: () => get(`${OBJECTS}?match[version]=last,last`), status: 400, errorCode: 'invalid-filter' },
  { name: 'match[id] that is not an identifier', req: () => get(`${OBJECTS}?match[id]=../../etc/passwd`), status: 400, errorCode: 'invalid-filter' },

  // ---------------------------------------------------------------- path traversal and odd spellings
  { name: 'dot-dot collection', req: () => get('/api1/collections/../objects/'), status: 404, errorCode: 'not-found' },
  { name: 'encoded dot-dot collection', req: () => get('/api1/collections/%2e%2e/objects/'), status: 404, errorCode: 'not-found' },
  { name: 'encoded slash in a collection', req: () => get(`/api1/collections/..%2F..%2F${SECRET}/objects/`), status: 404, errorCode: 'not-found' },
  { name: 'double-encoded alias', req: () => get('/api1/collections/%256fpen/objects/'), status: 404, errorCode: 'not-found' },
  { name: 'traversal in an object id', req: () => get(`${OBJECTS}..%2F..%2Fsecret/`), status: 404, errorCode: 'not-found' },
  { name: 'api root by traversal', req: () => get('/taxii2/../api1/'), status: 404, errorCode: 'not-found' },
  { name: 'alias with a look-alike letter (Cyrillic o)', req: () => get('/api1/collections/%D0%BEpen/objects/'), status: 404, errorCode: 'not-found' },
  { name: 'case-changed alias', req: () => get('/api1/collections/OPEN/objects/'), status: 404, errorCode: 'not-found' },
  { name: 'absolute-form request target', req: () => get(`http://evil.example${OBJECTS}`), status: 404, errorCode: 'not-found' },

  // ---------------------------------------------------------------- header injection
  {
    name: 'Host header with markup does not reach discovery URLs',
    req: () => ({ path: '/taxii2/', auth: AS.alice, headers: { Host: 'evil.example"><script>' } }),
    status: 200,
    check: (r) => {
      expect(r.body).not.toContain('evil.example');
      expect(r.body).not.toContain('<script>');
    },
  },
  {
    name: 'X-Forwarded-Host is ignored without trustProxy',
    req: () => ({ path: '/taxii2/', auth: AS.alice, headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'javascript' } }),
    status: 200,
    check: (r) => expect(r.body).not.toMatch(/evil\.example|javascript/),
  },
  { name: 'CR LF smuggled into a header value', req: () => Buffer.from(`GET /taxii2/ HTTP/1.1\r\nHost: x\r\nAccept: ${TAXII}\rX-Injected: 1\r\n\r\n`), status: 400, errorCode: 'bad-request', fromParser: true },
  { name: 'NUL in a header value', req: () => Buffer.from(`GET /taxii2/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \u0000abc\r\n\r\n`), status: 400, errorCode: 'bad-request', fromParser: true },
  {
    name: 'request headers are not reflected into response headers',
    req: () => ({ path: `${OBJECTS}?limit=1`, auth: AS.alice, headers: { 'X-Request-Id': 'abc', Origin: 'http://evil.example' } }),
    status: 200,
    check: (r) => {
      expect(r.head).not.toContain('evil.example');
      expect(r.head.toLowerCase()).not.toContain('access-control-allow-origin');
    },
  },

  // ---------------------------------------------------------------- credentials
  { name: 'no credentials', req: () => ({ path: OBJECTS }), status: 401, errorCode: 'unauthorized', check: (r) => expect(r.headers['www-authenticate']).toContain('Basic') },
  { name: 'wrong password of an existing user', req: () => get(OBJECTS, basic('alice', 'wrong')), status: 401, errorCode: 'unauthorized' },
  { name: 'unknown user', req: () => get(OBJECTS, basic('mallory', PASSWORDS.alice)), status: 401, errorCode: 'unauthorized' },
  { name: 'Basic without a colon', req: () => get(OBJECTS, 'Basic ' + Buffer.from('alice').toString('base64')), status: 401, errorCode: 'unauthorized' },
  { name: 'Basic that is not base64', req: () => get(OBJECTS, 'Basic !!!***'), status: 401, errorCode: 'unauthorized' },
  { name: 'Basic with an empty value', req: () => get(OBJECTS, 'Basic '), status: 401, errorCode: 'unauthorized' },
  { name: 'wrong bearer key', req: () => get(OBJECTS, 'Bearer ' + API_KEY.slice(0, -1) + 'x'), status: 401, errorCode: 'unauthorized' },
  { name: 'unknown scheme', req: () => get(OBJECTS, 'Digest username="alice"'), status: 401, errorCode: 'unauthorized' },
  { name: 'user name with a NUL byte', req: () => get(OBJECTS, 'Basic ' + Buffer.from(`alice\u0000:${PASSWORDS.alice}`).toString('base64')), status: 401, errorCode: 'unauthorized' },
  { name: 'Authorization of 64 KB', req: () => get(OBJECTS, 'Basic ' + 'A'.repeat(65_536)), status: 431, errorCode: 'headers-too-large', fromParser: true },

  // ---------------------------------------------------------------- authorisation (404 hides, 403 refuses what is visible)
  { name: 'reader asks for a hidden collection', req: () => get(`/api1/collections/${SECRET}/objects/`, AS.bob), status: 404, errorCode: 'not-found' },
  { name: 'reader asks for a hidden collection resource', req: () => get(`/api1/collections/${SECRET}/`, AS.bob), status: 404, errorCode: 'not-found' },
  { name: 'reader posts to a read-only collection', req: () => post(envelope(JSON.stringify(identity())), { auth: AS.bob }), status: 403, errorCode: 'forbidden' },
  { name: 'reader posts to a hidden collection', req: () => post(envelope(JSON.stringify(identity())), { auth: AS.bob, path: `/api1/collections/${SECRET}/objects/` }), status: 404, errorCode: 'not-found' },
  { name: 'writer reads a write-only collection', req: () => get(`/api1/collections/${DROPBOX}/objects/`), status: 403, errorCode: 'forbidden' },
  { name: 'writer reads the manifest of a write-only collection', req: () => get(`/api1/collections/${DROPBOX}/manifest/`), status: 403, errorCode: 'forbidden' },
  { name: 'reader deletes an object', req: () => ({ method: 'DELETE', path: `${OBJECTS}identity--0c7b5b88-8ff7-4a4d-aa9d-000000000001/`, auth: AS.bob }), status: 403, errorCode: 'forbidden' },
  { name: 'status of a write to a collection the reader cannot see', req: () => get(`/api1/status/${seeded.statusOfAlice as string}/`, AS.bob), status: 404, errorCode: 'not-found' },
  { name: 'status id that is not a UUID', req: () => get('/api1/status/..%2F..%2Fetc%2Fpasswd/', AS.admin), status: 404, errorCode: 'not-found' },
  { name: 'collection of another API root by alias', req: () => get('/api2/collections/open/objects/'), status: 404, errorCode: 'not-found' },
  { name: 'unknown API root', req: () => get('/api9/collections/'), status: 404, errorCode: 'not-found' },
  {
    name: 'collections list hides what the principal cannot see',
    req: () => get('/api1/collections/', AS.bob),
    status: 200,
    check: (r) => {
      expect(r.body).not.toContain(SECRET);
      expect(r.body).not.toContain(DROPBOX);
      expect(r.body).toContain(OPEN);
    },
  },
];

function tamper(token: string): string {
  const dot = token.indexOf('.');
  const payload = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as { q: number };
  payload.q = 0;
  return Buffer.from(JSON.stringify(payload)).toString('base64url') + token.slice(dot);
}

describe('attack table against the server over loopback', () => {
  let s: Running;

  beforeAll(async () => {
    s = await startServer();
    const objects = Array.from({ length: 60 }, () => identity());
    for (let i = 0; i < objects.length; i += 20) {
      const r = await send(s.port, { method: 'POST', path: OBJECTS, auth: AS.admin, body: JSON.stringify({ objects: objects.slice(i, i + 20) }) });
      expect(r.status).toBe(202);
    }
    const secret = await send(s.port, { method: 'POST', path: `/api1/collections/${SECRET}/objects/`, auth: AS.admin, body: JSON.stringify({ objects: [identity()] }) });
    expect(secret.status).toBe(202);
    const mine = await send(s.port, { method: 'POST', path: `/api1/collections/${DROPBOX}/objects/`, auth: AS.alice, body: JSON.stringify({ objects: [identity()] }) });
    seeded.statusOfAlice = (JSON.parse(mine.body) as { id: string }).id;
    const page = await send(s.port, { path: `${OBJECTS}?limit=5`, auth: AS.alice });
    seeded.cursor = (JSON.parse(page.body) as { next: string }).next;
    expect(typeof seeded.cursor).toBe('string');
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(ATTACKS.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const before = await snapshot(s.store);
    const built = attack.req();
    const r = Buffer.isBuffer(built) ? await raw(s.port, [built]) : await send(s.port, built);
    expect(r.status).toBe(attack.status);
    if (r.status >= 400) {
      expect(isErrorResource(r.body, r.status)).toBe(true);
      if (attack.errorCode !== undefined) expect((JSON.parse(r.body) as { error_code?: string }).error_code).toBe(attack.errorCode);
      expect(r.headers['content-type']).toBe(TAXII);
    }
    attack.check?.(r);
    if (attack.stores !== true) expect(await snapshot(s.store)).toBe(before);
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(PROTO_KEYS);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('answers a hidden collection exactly like a missing one (no existence leak)', async () => {
    const hidden = await send(s.port, get(`/api1/collections/${SECRET}/objects/`, AS.bob));
    const missing = await send(s.port, get('/api1/collections/9e8d7c6b-5a49-4382-a716-051423324150/objects/', AS.bob));
    expect(hidden.status).toBe(404);
    expect(hidden.body).toBe(missing.body);
    const hiddenPost = await send(s.port, post('{"objects":[]}', { auth: AS.bob, path: `/api1/collections/${SECRET}/objects/` }));
    const missingPost = await send(s.port, post('{"objects":[]}', { auth: AS.bob, path: '/api1/collections/9e8d7c6b-5a49-4382-a716-051423324150/objects/' }));
    expect(hiddenPost.body).toBe(missingPost.body);
  });

  it('answers a wrong password exactly like an unknown user (no user enumeration)', async () => {
    const wrong = await send(s.port, get(OBJECTS, basic('alice', 'not-her-password')));
    const unknown = await send(s.port, get(OBJECTS, basic('nobody-here', 'not-her-password')));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
  });

  it('follows its own next cursor after an added_after long before any object (year 1)', async () => {
    // An instant before 1684 is not a safe integer of µs; the server must still accept the cursor it issued.
    const first = await send(s.port, get(`${OBJECTS}?added_after=0001-01-01T00:00:00Z&limit=2`));
    expect(first.status).toBe(200);
    const next = (JSON.parse(first.body) as { next: string }).next;
    const second = await send(s.port, get(`${OBJECTS}?limit=2&next=${encodeURIComponent(next)}`));
    expect(second.status).toBe(200);
    expect((JSON.parse(second.body) as { objects: unknown[] }).objects).toHaveLength(2);
  });

  it('still serves normal requests after the whole table', async () => {
    const r = await send(s.port, get(`${OBJECTS}?limit=1`));
    expect(r.status).toBe(200);
    const w = await send(s.port, post(JSON.stringify({ objects: [identity()] })));
    expect(w.status).toBe(202);
    expect((JSON.parse(w.body) as { success_count: number }).success_count).toBe(1);
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  AS,
  COLL_HIDDEN,
  COLL_PUBLIC,
  COLL_RO,
  COLL_RW,
  COLL_WO,
  TAXII,
  bodyOf,
  call,
  indicator,
  makeHandler,
  post,
} from './fixture.js';

const US_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function expectTaxiiType(res: Response): void {
  expect(res.headers.get('content-type')).toBe(TAXII);
}

async function expectError(res: Response, status: number): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expectTaxiiType(res);
  const body = (await bodyOf(res)) as Record<string, unknown>;
  expect(typeof body['title']).toBe('string');
  // §3.6.1: http_status is a string equal to the HTTP status.
  expect(body['http_status']).toBe(String(status));
  return body;
}

describe('discovery (§4.1)', () => {
  it('lists absolute API-root URLs, default among them, with title, description and contact', async () => {
    const h = makeHandler();
    const res = await call(h, '/taxii2/', { auth: AS.alice });
    expect(res.status).toBe(200);
    expectTaxiiType(res);
    expect(await bodyOf(res)).toEqual({
      title: 'Test TAXII',
      description: 'test server',
      contact: 'soc@example.com',
      default: 'http://taxii.test/api1/',
      api_roots: ['http://taxii.test/api1/', 'http://taxii.test/api2/'],
    });
  });

  it('builds URLs from the configured public URL', async () => {
    const h = makeHandler({ publicUrl: 'https://intel.example.com/feeds/' });
    const body = await bodyOf(await call(h, '/taxii2/', { auth: AS.alice }));
    expect(body?.['api_roots']).toEqual(['https://intel.example.com/feeds/api1/', 'https://intel.example.com/feeds/api2/']);
    expect(body?.['default']).toBe('https://intel.example.com/feeds/api1/');
  });

  it('uses X-Forwarded-* only when the proxy is trusted', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'proxy.example.org', 'x-forwarded-prefix': '/taxii' };
    const trusted = await bodyOf(await call(makeHandler({ trustProxy: true }), '/taxii2/', { auth: AS.alice, headers }));
    expect(trusted?.['default']).toBe('https://proxy.example.org/taxii/api1/');
    const untrusted = await bodyOf(await call(makeHandler(), '/taxii2/', { auth: AS.alice, headers }));
    expect(untrusted?.['default']).toBe('http://taxii.test/api1/');
  });

  it('ignores forwarded hosts that are not host names', async () => {
    const headers = { 'x-forwarded-host': 'evil.example/x?y' };
    const body = await bodyOf(await call(makeHandler({ trustProxy: true }), '/taxii2/', { auth: AS.alice, headers }));
    expect(body?.['default']).toBe('http://taxii.test/api1/');
  });

  it('serves under a base path and lists URLs including it', async () => {
    const h = makeHandler({ basePath: '/intel' });
    const res = await call(h, '/intel/taxii2/', { auth: AS.alice });
    expect(res.status).toBe(200);
    expect((await bodyOf(res))?.['default']).toBe('http://taxii.test/intel/api1/');
    await expectError(await call(h, '/taxii2/', { auth: AS.alice }), 404);
  });
});

describe('API root (§4.2)', () => {
  it('has title, description, versions with TAXII 2.1 and max_content_length', async () => {
    const res = await call(makeHandler(), '/api1/', { auth: AS.alice });
    expect(res.status).toBe(200);
    expectTaxiiType(res);
    expect(await bodyOf(res)).toEqual({
      title: 'API root one',
      description: 'first root',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 4096,
    });
  });

  it('defaults max_content_length to 10 MiB', async () => {
    const body = await bodyOf(await call(makeHandler(), '/api2/', { auth: AS.alice }));
    expect(body?.['max_content_length']).toBe(10 * 1024 * 1024);
    expect(body?.['description']).toBeUndefined();
  });

  it('answers 404 with an error resource for an unknown root', async () => {
    const body = await expectError(await call(makeHandler(), '/nope/', { auth: AS.alice }), 404);
    expect(body['title']).toBe('Not Found');
  });
});

describe('routing', () => {
  it('serves every route with and without the trailing slash', async () => {
    const h = makeHandler();
    await post(h, '/api1/collections/rw/objects/', [indicator({ id: 'indicator--11111111-1111-4111-8111-111111111111' })]);
    const paths = [
      '/taxii2',
      '/api1',
      '/api1/collections',
      '/api1/collections/rw',
      '/api1/collections/rw/manifest',
      '/api1/collections/rw/objects',
      '/api1/collections/rw/objects/indicator--11111111-1111-4111-8111-111111111111',
      '/api1/collections/rw/objects/indicator--11111111-1111-4111-8111-111111111111/versions',
    ];
    for (const p of paths) {
      expect([p, (await call(h, p, { auth: AS.alice })).status]).toEqual([p, 200]);
      expect([p + '/', (await call(h, p + '/', { auth: AS.alice })).status]).toEqual([p + '/', 200]);
    }
  });

  it('answers 404 for paths that are no endpoint, and for empty segments', async () => {
    const h = makeHandler();
    for (const p of ['/', '/taxii2/extra/', '/api1/collections/rw/other/', '/api1//collections/', '/api1/status/']) {
      await expectError(await call(h, p, { auth: AS.alice }), 404);
    }
  });

  it('answers 405 with Allow for unsupported methods', async () => {
    const h = makeHandler();
    const res = await call(h, '/api1/collections/rw/objects/', { auth: AS.alice, method: 'PUT' });
    await expectError(res, 405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    const del = await call(h, '/api1/collections/', { auth: AS.alice, method: 'DELETE' });
    await expectError(del, 405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await call(makeHandler(), '/api1/', { auth: AS.alice, method: 'HEAD' });
    expect(res.status).toBe(200);
    expectTaxiiType(res);
    expect(await res.text()).toBe('');
  });
});

describe('content negotiation (§1.6.8, §3.1)', () => {
  it.each([
    ['application/taxii+json;version=2.1'],
    ['application/taxii+json'],
    ['application/taxii+json; version=2.1'],
    ['application/taxii+json ; version = "2.1"'],
    ['*/*'],
    ['application/*'],
    ['application/json'],
    ['application/vnd.oasis.taxii+json'],
    ['text/html;q=0.9, application/taxii+json;version=2.1;q=0.8'],
    ['application/taxii+json;version=2.0, */*;q=0.1'],
  ])('accepts Accept: %s', async (accept) => {
    const res = await call(makeHandler(), '/taxii2/', { auth: AS.alice, accept });
    expect(res.status).toBe(200);
    expectTaxiiType(res);
  });

  it('accepts a request without Accept', async () => {
    expect((await call(makeHandler(), '/taxii2/', { auth: AS.alice, accept: null })).status).toBe(200);
  });

  it.each([['text/html'], ['application/taxii+json;version=2.0'], ['application/taxii+json;version=2.1;q=0'], ['application/xml']])(
    'answers 406 to Accept: %s',
    async (accept) => {
      await expectError(await call(makeHandler(), '/taxii2/', { auth: AS.alice, accept }), 406);
    },
  );

  it.each([['text/plain'], ['application/taxii+json;version=2.0'], ['application/xml'], ['application/json;charset=latin1']])(
    'answers 415 to a POST with Content-Type: %s',
    async (contentType) => {
      const res = await call(makeHandler(), '/api1/collections/rw/objects/', { auth: AS.alice, body: { objects: [indicator()] }, contentType });
      await expectError(res, 415);
    },
  );

  it('answers 415 to a POST without Content-Type', async () => {
    const res = await call(makeHandler(), '/api1/collections/rw/objects/', { auth: AS.alice, body: new Uint8Array([123, 125]) as unknown as string, contentType: null });
    await expectError(res, 415);
  });

  it.each([['application/taxii+json;version=2.1'], ['application/taxii+json'], ['application/stix+json;version=2.1'], ['application/json']])(
    'accepts a POST with Content-Type: %s',
    async (contentType) => {
      const res = await call(makeHandler(), '/api1/collections/rw/objects/', { auth: AS.alice, body: { objects: [indicator()] }, contentType });
      expect(res.status).toBe(202);
    },
  );
});

describe('collections (§5.1, §5.2)', () => {
  it('lists only the collections the principal can read or write, with its rights', async () => {
    const body = await bodyOf(await call(makeHandler(), '/api1/collections/', { auth: AS.alice }));
    const list = body?.['collections'] as Record<string, unknown>[];
    expect(list.map((c) => [c['id'], c['can_read'], c['can_write']])).toEqual([
      [COLL_RW, true, true],
      [COLL_RO, true, false],
      [COLL_WO, false, true],
      [COLL_PUBLIC, true, true],
    ]);
    expect(list[0]).toEqual({
      id: COLL_RW,
      title: 'Read-write',
      description: 'alice reads and writes',
      alias: 'rw',
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
    expect(JSON.stringify(body)).not.toContain(COLL_HIDDEN);
  });

  it('gives {} when the principal sees no collection', async () => {
    const res = await call(makeHandler(), '/api2/collections/', { auth: AS.bob });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{}');
  });

  it('serves one collection by id and by alias alike', async () => {
    const h = makeHandler();
    const byId = await bodyOf(await call(h, `/api1/collections/${COLL_RO}/`, { auth: AS.alice }));
    const byAlias = await bodyOf(await call(h, '/api1/collections/ro/', { auth: AS.alice }));
    expect(byId).toEqual(byAlias);
    expect(byId).toEqual({
      id: COLL_RO,
      title: 'Read-only',
      alias: 'ro',
      can_read: true,
      can_write: false,
      media_types: ['application/stix+json;version=2.1'],
    });
  });

  it('answers 404 for an unknown collection', async () => {
    await expectError(await call(makeHandler(), '/api1/collections/00000000-0000-4000-8000-000000000000/', { auth: AS.alice }), 404);
  });
});

describe('objects, manifest, object, versions (§5.3-§5.8)', () => {
  it('gives an empty envelope {} for an empty collection, with date headers at the epoch (§3.2: on every 2xx)', async () => {
    const res = await call(makeHandler(), '/api1/collections/rw/objects/', { auth: AS.alice });
    expect(res.status).toBe(200);
    expectTaxiiType(res);
    expect(res.headers.get('x-taxii-date-added-first')).toBe('1970-01-01T00:00:00.000000Z');
    expect(res.headers.get('x-taxii-date-added-last')).toBe('1970-01-01T00:00:00.000000Z');
    expect(await res.text()).toBe('{}');
    expect(await (await call(makeHandler(), '/api1/collections/rw/manifest/', { auth: AS.alice })).text()).toBe('{}');
  });

  it('sends date headers on empty pages: the request\'s added_after, or the cursor position after it (§3.2)', async () => {
    const h = makeHandler();
    const a = indicator();
    await post(h, '/api1/collections/rw/objects/', [a]);
    const after = '2031-01-02T03:04:05.678901Z';
    for (const path of ['objects/', 'manifest/', `objects/${String(a['id'])}/`, `objects/${String(a['id'])}/versions/`]) {
      const res = await call(h, `/api1/collections/rw/${path}?added_after=${after}`, { auth: AS.alice });
      expect([path, res.status, res.headers.get('x-taxii-date-added-first'), res.headers.get('x-taxii-date-added-last')]).toEqual([path, 200, after, after]);
    }
    // A page that follows next and finds nothing new stands at the last row delivered.
    const b = indicator();
    await post(h, '/api1/collections/rw/objects/', [b]);
    const first = await call(h, '/api1/collections/rw/objects/?limit=1', { auth: AS.alice });
    const { next } = (await bodyOf(first)) as { next: string };
    await call(h, `/api1/collections/rw/objects/${String(b['id'])}/`, { auth: AS.admin, method: 'DELETE' });
    const empty = await call(h, `/api1/collections/rw/objects/?limit=1&next=${encodeURIComponent(next)}`, { auth: AS.alice });
    expect(await empty.text()).toBe('{}');
    expect(empty.headers.get('x-taxii-date-added-last')).toBe(first.headers.get('x-taxii-date-added-last'));
  });

  it('serves objects in date_added order with microsecond X-TAXII-Date-Added headers', async () => {
    const h = makeHandler();
    const a = indicator();
    const b = indicator();
    await post(h, '/api1/collections/rw/objects/', [a]);
    await post(h, '/api1/collections/rw/objects/', [b]);
    const res = await call(h, '/api1/collections/rw/objects/', { auth: AS.alice });
    expect(res.status).toBe(200);
    const first = res.headers.get('x-taxii-date-added-first') as string;
    const last = res.headers.get('x-taxii-date-added-last') as string;
    expect(first).toMatch(US_TIMESTAMP);
    expect(last).toMatch(US_TIMESTAMP);
    expect(first < last).toBe(true);
    expect(await bodyOf(res)).toEqual({ objects: [a, b] });
  });

  it('serves a manifest record per version with date_added, version and media_type', async () => {
    const h = makeHandler();
    const v1 = indicator({ created: '2026-02-01T00:00:00.000Z' });
    const v2 = { ...v1, modified: '2026-02-02T00:00:00.000Z', name: 'renamed' };
    await post(h, '/api1/collections/rw/objects/', [v1, v2]);
    const res = await call(h, '/api1/collections/rw/manifest/?match[version]=all', { auth: AS.alice });
    const body = await bodyOf(res);
    const records = body?.['objects'] as Record<string, unknown>[];
    expect(records).toHaveLength(2);
    expect(records.map((r) => [r['id'], r['version'], r['media_type']])).toEqual([
      [v1['id'], '2026-02-01T00:00:00.000Z', 'application/stix+json;version=2.1'],
      [v1['id'], '2026-02-02T00:00:00.000Z', 'application/stix+json;version=2.1'],
    ]);
    for (const r of records) expect(r['date_added']).toMatch(US_TIMESTAMP);
    expect(res.headers.get('x-taxii-date-added-first')).toBe(records[0]?.['date_added']);
    expect(res.headers.get('x-taxii-date-added-last')).toBe(records[1]?.['date_added']);
    // Default match[version] is last.
    const latest = await bodyOf(await call(h, '/api1/collections/rw/manifest/', { auth: AS.alice }));
    expect((latest?.['objects'] as unknown[]).length).toBe(1);
  });

  it('serves one object (as an envelope), its versions, and version filters', async () => {
    const h = makeHandler();
    const v1 = indicator({ created: '2026-03-01T00:00:00.000Z' });
    const v2 = { ...v1, modified: '2026-03-02T00:00:00.000Z' };
    const v3 = { ...v1, modified: '2026-03-03T00:00:00.000Z' };
    await post(h, '/api1/collections/rw/objects/', [v1, v2, v3]);
    const url = `/api1/collections/rw/objects/${String(v1['id'])}/`;
    const one = await call(h, url, { auth: AS.alice });
    expect(one.status).toBe(200);
    expect(one.headers.get('x-taxii-date-added-first')).toMatch(US_TIMESTAMP);
    expect(await bodyOf(one)).toEqual({ objects: [v3] });
    expect(await bodyOf(await call(h, url + '?match[version]=first', { auth: AS.alice }))).toEqual({ objects: [v1] });
    expect(await bodyOf(await call(h, url + '?match[version]=all', { auth: AS.alice }))).toEqual({ objects: [v1, v2, v3] });
    expect(await bodyOf(await call(h, url + '?match[version]=2026-03-02T00:00:00Z', { auth: AS.alice }))).toEqual({ objects: [v2] });
    const versions = await call(h, url + 'versions/', { auth: AS.alice });
    expect(versions.status).toBe(200);
    expect(versions.headers.get('x-taxii-date-added-last')).toMatch(US_TIMESTAMP);
    expect(await bodyOf(versions)).toEqual({ versions: ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'] });
  });

  it('answers 404 for an unknown object on the object and versions endpoints', async () => {
    const h = makeHandler();
    const url = '/api1/collections/rw/objects/indicator--99999999-9999-4999-8999-999999999999/';
    await expectError(await call(h, url, { auth: AS.alice }), 404);
    await expectError(await call(h, url + 'versions/', { auth: AS.alice }), 404);
  });

  it('gives {} when the object exists but the filters select nothing', async () => {
    const h = makeHandler();
    const obj = indicator();
    await post(h, '/api1/collections/rw/objects/', [obj]);
    const res = await call(h, `/api1/collections/rw/objects/${String(obj['id'])}/?added_after=2999-01-01T00:00:00Z`, { auth: AS.alice });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{}');
  });

  it('filters by match[id], match[type] and match[spec_version]', async () => {
    const h = makeHandler();
    const a = indicator();
    const b = indicator();
    const i = { type: 'identity', spec_version: '2.1', id: 'identity--5a0c6e0a-7c61-4b4b-9c39-0b6b2b5f9a11', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'X', identity_class: 'organization' };
    await post(h, '/api1/collections/rw/objects/', [a, b, i]);
    const byId = await bodyOf(await call(h, `/api1/collections/rw/objects/?match[id]=${String(b['id'])},${String(i['id'])}`, { auth: AS.alice }));
    expect(byId).toEqual({ objects: [b, i] });
    const byType = await bodyOf(await call(h, '/api1/collections/rw/objects/?match[type]=identity', { auth: AS.alice }));
    expect(byType).toEqual({ objects: [i] });
    const bySpec = await call(h, '/api1/collections/rw/objects/?match[spec_version]=2.0', { auth: AS.alice });
    expect(await bySpec.text()).toBe('{}');
    const unknownField = await call(h, '/api1/collections/rw/objects/?match[colour]=blue', { auth: AS.alice });
    expect(((await bodyOf(unknownField))?.['objects'] as unknown[]).length).toBe(3);
  });

  it.each([
    ['added_after=yesterday'],
    ['added_after=2026-01-01T00:00:00Z&added_after=2026-01-02T00:00:00Z'],
    ['limit=0'],
    ['limit=-1'],
    ['limit=ten'],
    ['match[version]=all,first'],
    ['match[version]=last,last'],
    ['match[version]=2026-13-01T00:00:00Z'],
    ['match[id]=not-an-id'],
    ['match[type]=Not_A_Type'],
    ['match[spec_version]=two'],
    ['next=forged-cursor'],
  ])('answers 400 to the malformed filter %s', async (q) => {
    const body = await expectError(await call(makeHandler(), `/api1/collections/rw/objects/?${q}`, { auth: AS.alice }), 400);
    expect(typeof body['description']).toBe('string');
  });

  it('answers 400 to malformed filters on manifest, object and versions endpoints too', async () => {
    const h = makeHandler();
    const obj = indicator();
    await post(h, '/api1/collections/rw/objects/', [obj]);
    const o = `/api1/collections/rw/objects/${String(obj['id'])}`;
    for (const url of ['/api1/collections/rw/manifest/?limit=x', `${o}/?match[version]=zzz`, `${o}/versions/?added_after=x`]) {
      await expectError(await call(h, url, { auth: AS.alice }), 400);
    }
  });
});

describe('status (§4.3)', () => {
  it('is served after a POST, with and without the trailing slash, and counts add up', async () => {
    const h = makeHandler();
    const status = await post(h, '/api1/collections/rw/objects/', [indicator(), { type: 'indicator', id: 'bad' }]);
    for (const path of [`/api1/status/${String(status['id'])}/`, `/api1/status/${String(status['id'])}`]) {
      const res = await call(h, path, { auth: AS.alice });
      expect(res.status).toBe(200);
      expectTaxiiType(res);
      expect(await bodyOf(res)).toEqual(status);
    }
    expect(Number(status['success_count']) + Number(status['failure_count']) + Number(status['pending_count'])).toBe(status['total_count']);
  });

  it('is readable by its author and by those who see the collection, and 404 for anyone else', async () => {
    const h = makeHandler();
    const status = await post(h, '/api1/collections/wo/objects/', [indicator()]);
    const url = `/api1/status/${String(status['id'])}/`;
    expect((await call(h, url, { auth: AS.alice })).status).toBe(200);
    expect((await call(h, url, { auth: AS.admin })).status).toBe(200);
    await expectError(await call(h, url, { auth: AS.bob }), 404);
    // The bookkeeping custom properties never reach clients.
    expect(Object.keys((await bodyOf(await call(h, url, { auth: AS.alice }))) ?? {}).filter((k) => k.startsWith('x_'))).toEqual([]);
  });

  it('is per API root, and unknown ids are 404', async () => {
    const h = makeHandler();
    const status = await post(h, '/api1/collections/rw/objects/', [indicator()]);
    await expectError(await call(h, `/api2/status/${String(status['id'])}/`, { auth: AS.alice }), 404);
    await expectError(await call(h, '/api1/status/2d086da7-4bdc-4f91-900e-d77486753710/', { auth: AS.alice }), 404);
  });
});

describe('delete (§5.7)', () => {
  it('removes the object: later GETs are 404 and manifests omit it', async () => {
    const h = makeHandler();
    const keep = indicator();
    const gone = indicator();
    await post(h, '/api1/collections/rw/objects/', [keep, gone]);
    const url = `/api1/collections/rw/objects/${String(gone['id'])}/`;
    const res = await call(h, url, { auth: AS.alice, method: 'DELETE' });
    expect(res.status).toBe(200);
    expectTaxiiType(res);
    await expectError(await call(h, url, { auth: AS.alice }), 404);
    const manifest = await bodyOf(await call(h, '/api1/collections/rw/manifest/', { auth: AS.alice }));
    expect((manifest?.['objects'] as Record<string, unknown>[]).map((r) => r['id'])).toEqual([keep['id']]);
    await expectError(await call(h, url, { auth: AS.alice, method: 'DELETE' }), 404);
  });

  it('removes only the selected versions with match[version]', async () => {
    const h = makeHandler();
    const v1 = indicator({ created: '2026-04-01T00:00:00.000Z' });
    const v2 = { ...v1, modified: '2026-04-02T00:00:00.000Z' };
    await post(h, '/api1/collections/rw/objects/', [v1, v2]);
    const url = `/api1/collections/rw/objects/${String(v1['id'])}/`;
    expect((await call(h, url + '?match[version]=first', { auth: AS.alice, method: 'DELETE' })).status).toBe(200);
    expect(await bodyOf(await call(h, url + 'versions/', { auth: AS.alice }))).toEqual({ versions: ['2026-04-02T00:00:00.000Z'] });
    await expectError(await call(h, url + '?match[version]=bogus', { auth: AS.alice, method: 'DELETE' }), 400);
    // §5.7: a GET of the deleted version is a 404 (it answered 200 {} before), the other version is still served.
    await expectError(await call(h, url + '?match[version]=2026-04-01T00:00:00.000Z', { auth: AS.alice }), 404);
    expect(await bodyOf(await call(h, url + '?match[version]=2026-04-02T00:00:00.000Z', { auth: AS.alice }))).toEqual({ objects: [v2] });
  });
});

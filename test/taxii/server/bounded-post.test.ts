import { describe, expect, it } from '@jest/globals';
import type { TaxiiServerOptions } from '../../../src/taxii/server/config.js';
import { AS, bodyOf, call, indicator, makeHandler, post } from './fixture.js';

const RW = '/api1/collections/rw/objects/';

/** The fixture's roots with a 1 MiB max_content_length on api1, so bodies of realistic size get through. */
function roomy(limits: TaxiiServerOptions['limits'] = {}): Partial<TaxiiServerOptions> {
  const h = makeHandler();
  const roots = h.core.state.roots;
  const apiRoots = [...roots.values()].map((r) => ({ ...r.config, ...(r.path === 'api1' ? { maxContentLength: 1024 * 1024 } : {}) }));
  return { apiRoots, limits: { defaultPageSize: 50, maxPageSize: 100, ...limits } };
}

describe('bounded work per POST', () => {
  it('refuses an envelope of numbers whole with 422 naming the first element, storing nothing and no status', async () => {
    const h = makeHandler(roomy());
    const body = '{"objects":[' + '1,'.repeat(200_000) + '1]}';
    const res = await call(h, RW, { auth: AS.alice, body });
    expect(res.status).toBe(422);
    const err = await bodyOf(res);
    expect(err?.['error_code']).toBe('invalid-envelope');
    expect(err?.['description']).toMatch(/^objects\/0 is a JSON number, not a STIX object/);
    expect(err?.['details']).toEqual({ pointer: '/objects/0' });
    expect(await (await call(h, RW, { auth: AS.alice })).text()).toBe('{}');
  });

  it('refuses a valid object followed by a stray value, and stores neither', async () => {
    const h = makeHandler(roomy());
    const res = await call(h, RW, { auth: AS.alice, body: { objects: [indicator(), 'oops'] } });
    expect(res.status).toBe(422);
    expect((await bodyOf(res))?.['details']).toEqual({ pointer: '/objects/1' });
    expect(await (await call(h, RW, { auth: AS.alice })).text()).toBe('{}');
  });

  it('refuses more than maxObjectsPerEnvelope objects with 413, and takes exactly that many', async () => {
    const h = makeHandler(roomy({ maxObjectsPerEnvelope: 3 }));
    const over = await call(h, RW, { auth: AS.alice, body: { objects: [indicator(), indicator(), indicator(), indicator()] } });
    expect(over.status).toBe(413);
    const err = await bodyOf(over);
    expect(err?.['error_code']).toBe('too-many-objects');
    expect(err?.['details']).toEqual({ max_objects_per_envelope: 3 });
    expect(await (await call(h, RW, { auth: AS.alice })).text()).toBe('{}');
    const status = await post(h, RW, [indicator(), indicator(), indicator()]);
    expect(status['success_count']).toBe(3);
  });

  it('has a default of 10 000 objects per envelope', async () => {
    const h = makeHandler(roomy());
    const res = await call(h, RW, { auth: AS.alice, body: '{"objects":[' + '{},'.repeat(10_000) + '{}]}' });
    expect(res.status).toBe(413);
  });

  it('lists at most maxStatusFailures failures, in request order, with exact counts, stored and served alike', async () => {
    const h = makeHandler(roomy({ maxStatusFailures: 2 }));
    const good = indicator();
    const status = await post(h, RW, [{}, good, { type: 'x' }, {}, {}]);
    expect([status['total_count'], status['success_count'], status['failure_count'], status['pending_count']]).toEqual([5, 1, 4, 0]);
    const failures = status['failures'] as { message: string }[];
    expect(failures.map((f) => f.message.split(':')[0])).toEqual(['objects/0', 'objects/2']);
    expect(status['successes']).toEqual([{ id: good['id'], version: good['modified'] }]);
    const again = await bodyOf(await call(h, `/api1/status/${status['id'] as string}/`, { auth: AS.alice }));
    expect(again).toEqual(status);
  });

  it('clips ids, versions and messages echoed into failures to 500 characters', async () => {
    const h = makeHandler(roomy());
    const long = 'indicator--' + 'a'.repeat(20_000);
    const status = await post(h, RW, [{ ...indicator(), id: long, modified: 'x'.repeat(20_000) }]);
    const [failure] = status['failures'] as { id: string; version: string; message: string }[];
    expect(failure?.id).toHaveLength(500);
    expect(failure?.id.startsWith('indicator--aaa')).toBe(true);
    expect(failure?.version.length).toBeLessThanOrEqual(500);
    expect(failure?.message.length).toBeLessThanOrEqual(500);
    expect(JSON.stringify(status).length).toBeLessThan(2_000);
  });
});

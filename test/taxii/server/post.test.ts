import { afterEach, describe, expect, it } from '@jest/globals';
import { unregisterExtension } from '../../../src/stix/extension-registry.js';
import type { ObjectsAddedEvent } from '../../../src/taxii/server/config.js';
import { MemoryStore } from '../../../src/taxii/store/memory.js';
import { AS, TAXII, bodyOf, call, identity, indicator, makeHandler, post } from './fixture.js';

const RW = '/api1/collections/rw/objects/';

function sums(status: Record<string, unknown>): void {
  const n = (k: string): number => status[k] as number;
  expect(n('success_count') + n('failure_count') + n('pending_count')).toBe(n('total_count'));
  for (const [list, count] of [['successes', 'success_count'], ['failures', 'failure_count'], ['pendings', 'pending_count']] as const) {
    expect(((status[list] as unknown[] | undefined) ?? []).length).toBe(n(count));
  }
}

describe('add objects (§5.5)', () => {
  it('stores valid objects and reports invalid ones as failures naming the rule', async () => {
    const h = makeHandler();
    const good = indicator();
    const bad: Record<string, unknown> = { ...indicator(), pattern_type: undefined, valid_from: 'not a time' };
    const res = await call(h, RW, { auth: AS.alice, body: { objects: [good, bad, {}] } });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe(TAXII);
    const status = (await bodyOf(res)) as Record<string, unknown>;
    sums(status);
    expect(status['status']).toBe('complete');
    expect(status['total_count']).toBe(3);
    expect(status['success_count']).toBe(1);
    expect(status['pending_count']).toBe(0);
    expect(status['request_timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(status['successes']).toEqual([{ id: good['id'], version: good['modified'] }]);
    const failures = status['failures'] as Record<string, string>[];
    expect(failures).toHaveLength(2);
    expect(failures[0]?.['id']).toBe(bad['id']);
    expect(failures[0]?.['version']).toBe(bad['modified']);
    // The message names the rule (diagnostic code) and where.
    expect(failures[0]?.['message']).toMatch(/^objects\/1: schema-[a-z-]+ at (\/(pattern_type|valid_from)|\(root\))/);
    expect(failures[1]?.['message']).toBe("objects/2: type-missing at (root): missing required property 'type' (§3.2)");
    const stored = await bodyOf(await call(h, RW, { auth: AS.alice }));
    expect(stored).toEqual({ objects: [good] });
  });

  it('checks STIX patterns of incoming indicators', async () => {
    const status = await post(makeHandler(), RW, [{ ...indicator(), pattern: "[ipv4-addr:value = '1.2.3.4'" }, indicator()]);
    expect(status['success_count']).toBe(1);
    expect((status['failures'] as Record<string, string>[])[0]?.['message']).toMatch(/^objects\/0: [a-z-]+ at \/pattern/);
  });

  it('accepts a bare STIX bundle as the body', async () => {
    const h = makeHandler();
    const a = indicator();
    const b = identity('1');
    const bundle = { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [a, b] };
    const res = await call(h, RW, { auth: AS.alice, body: bundle, contentType: 'application/stix+json;version=2.1' });
    expect(res.status).toBe(202);
    expect((await bodyOf(res))?.['success_count']).toBe(2);
    expect(await bodyOf(await call(h, RW, { auth: AS.alice }))).toEqual({ objects: [a, b] });
  });

  it('treats an exact duplicate as a success, stored once', async () => {
    const h = makeHandler();
    const a = indicator();
    await post(h, RW, [a]);
    const again = await post(h, RW, [a, a]);
    sums(again);
    expect(again['success_count']).toBe(2);
    expect(again['failure_count']).toBe(0);
    // Same object with its keys in another order is the same JSON: still a duplicate.
    const reordered = Object.fromEntries(Object.entries(a).reverse());
    expect((await post(h, RW, [reordered]))['success_count']).toBe(1);
    expect(await bodyOf(await call(h, RW, { auth: AS.alice }))).toEqual({ objects: [a] });
  });

  it('refuses a different object under an id and version already stored', async () => {
    const h = makeHandler();
    const a = indicator();
    await post(h, RW, [a]);
    const status = await post(h, RW, [{ ...a, name: 'changed without a new modified' }]);
    sums(status);
    expect(status['failure_count']).toBe(1);
    expect((status['failures'] as Record<string, string>[])[0]?.['message']).toContain('version-conflict');
    expect(await bodyOf(await call(h, RW, { auth: AS.alice }))).toEqual({ objects: [a] });
  });

  it('refuses an empty envelope with 422 instead of a status whose total_count 0 would mean "not started" (§4.3.1)', async () => {
    for (const body of [{ objects: [] }, {}]) {
      const res = await call(makeHandler(), RW, { auth: AS.alice, body });
      expect(res.status).toBe(422);
      expect((await bodyOf(res))?.['error_code']).toBe('empty-envelope');
    }
  });

  it('enforces a collection\'s accepted types', async () => {
    const h = makeHandler();
    const status = await post(h, '/api1/collections/public/objects/', [indicator(), { type: 'campaign', spec_version: '2.1', id: 'campaign--2b3c4d5e-6f70-4b8c-9d0e-1f2a3b4c5d6e', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'C' }]);
    expect(status['success_count']).toBe(1);
    expect((status['failures'] as Record<string, string>[])[0]?.['message']).toContain('collection-accept-types');
  });

  it('refuses a bundle nested as an object', async () => {
    const status = await post(makeHandler(), RW, [{ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [] }]);
    expect((status['failures'] as Record<string, string>[])[0]?.['message']).toContain('bundle');
  });

  it.each([
    ['not JSON', '{"objects": [', 'invalid-json'],
    ['a JSON array', '[]', 'invalid-envelope'],
    ['objects that is not a list', '{"objects": {}}', 'invalid-envelope'],
    ['a JSON string', '"hello"', 'invalid-envelope'],
  ])('answers 422 to %s', async (_what, body, code) => {
    const res = await call(makeHandler(), RW, { auth: AS.alice, body });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe(TAXII);
    const err = await bodyOf(res);
    expect(err?.['http_status']).toBe('422');
    expect(err?.['error_code']).toBe(code);
  });

  it('answers 422 to a body that is not UTF-8, storing nothing', async () => {
    const h = makeHandler();
    const text = JSON.stringify({ objects: [{ ...indicator(), name: 'XX' }] });
    const bytes = Buffer.from(text);
    const at = bytes.indexOf('XX');
    bytes[at] = 0xc3;
    bytes[at + 1] = 0x28; // an invalid two-byte sequence
    const res = await h(new Request('http://taxii.test' + RW, { method: 'POST', headers: { accept: TAXII, 'content-type': TAXII, authorization: AS.alice }, body: bytes }));
    expect(res.status).toBe(422);
    expect((await bodyOf(res))?.['error_code']).toBe('invalid-utf8');
    expect(await (await call(h, RW, { auth: AS.alice })).text()).toBe('{}');
  });

  it.each([
    ['a __proto__ key', '"__proto__":{"polluted":true}', 'json-unsafe-key at /__proto__'],
    ['a nested constructor key', '"x_a":{"constructor":{"prototype":{}}}', 'json-unsafe-key at /x_a/constructor'],
    ['nesting deeper than 64', `"x_deep":${'['.repeat(100)}${']'.repeat(100)}`, 'json-too-deep'],
    ['an integer beyond 2^53', '"x_n":123456789012345678901234567890', 'json-number-out-of-range at /x_n'],
  ])('refuses an object with %s before validating it', async (_what, extra, message) => {
    const obj = JSON.stringify(indicator());
    const body = `{"objects":[${obj.slice(0, -1)},${extra}}]}`;
    const res = await call(makeHandler(), RW, { auth: AS.alice, body });
    expect(res.status).toBe(202);
    const status = (await bodyOf(res)) as Record<string, unknown>;
    expect(status['success_count']).toBe(0);
    expect((status['failures'] as Record<string, string>[])[0]?.['message']).toContain(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('answers 413 when the body exceeds max_content_length, and accepts one at the limit', async () => {
    const h = makeHandler();
    const big = JSON.stringify({ objects: [{ ...indicator(), description: 'x'.repeat(5000) }] });
    const res = await call(h, RW, { auth: AS.alice, body: big });
    expect(res.status).toBe(413);
    expect((await bodyOf(res))?.['http_status']).toBe('413');
    // Exactly max_content_length (4096) bytes must not be refused.
    const obj = indicator();
    const base = JSON.stringify({ objects: [obj] });
    const padded = base.slice(0, -2) + ' '.repeat(4096 - base.length) + ']}';
    expect(Buffer.byteLength(padded)).toBe(4096);
    expect((await call(h, RW, { auth: AS.alice, body: padded })).status).toBe(202);
  });

  it('answers 413 for a streamed body without Content-Length once it passes the limit', async () => {
    const h = makeHandler();
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // An endless body: the server must stop reading it.
        sent += 1024;
        controller.enqueue(new Uint8Array(1024).fill(32));
        if (sent > 1024 * 1024) controller.close();
      },
    });
    const res = await h(
      new Request('http://taxii.test' + RW, {
        method: 'POST',
        headers: { accept: TAXII, 'content-type': TAXII, authorization: AS.alice },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024);
  });

  it('keeps the status retrievable and stores only what succeeded', async () => {
    const h = makeHandler();
    const status = await post(h, RW, [indicator(), { type: 'indicator' }]);
    const again = await bodyOf(await call(h, `/api1/status/${String(status['id'])}/`, { auth: AS.alice }));
    expect(again).toEqual(status);
  });

  it('keeps statuses for the retention period (at least 24 h) and purges them after', async () => {
    let now = Date.now();
    const store = new MemoryStore({ statusClock: () => now });
    const h = makeHandler({ statusRetentionHours: 24 }, store);
    const status = await post(h, RW, [indicator()]);
    const url = `/api1/status/${String(status['id'])}/`;
    now -= 23 * 3_600_000; // written 23 h ago
    await store.putStatus('api1', status as never);
    await h.core.purgeStatuses();
    expect((await call(h, url, { auth: AS.alice })).status).toBe(200);
    now -= 2 * 3_600_000; // written 25 h ago
    await store.putStatus('api1', status as never);
    await h.core.purgeStatuses();
    expect((await call(h, url, { auth: AS.alice })).status).toBe(404);
  });

  it('calls onObjectsAdded after the commit with the new objects only', async () => {
    const events: ObjectsAddedEvent[] = [];
    const h = makeHandler({ hooks: { onObjectsAdded: (e) => void events.push(e) } });
    const a = indicator();
    const status = await post(h, RW, [a, { type: 'x' }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ apiRoot: 'api1', statusId: status['id'], principal: 'alice', objects: [a] });
    await post(h, RW, [a]);
    expect(events).toHaveLength(1);
  });

  it('never fails the request because a hook throws', async () => {
    const errors: unknown[] = [];
    const h = makeHandler({
      hooks: { onObjectsAdded: () => Promise.reject(new Error('boom')) },
      logger: { info: () => undefined, warn: () => undefined, error: (e) => void errors.push(e) },
    });
    expect((await post(h, RW, [indicator()]))['success_count']).toBe(1);
    expect(errors).toHaveLength(1);
  });

  describe('validation extensions', () => {
    const EXT = 'extension-definition--1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    afterEach(() => {
      unregisterExtension(EXT);
    });

    it('runs extra checks, and validates strictly when asked', async () => {
      const h = makeHandler({
        validation: {
          check: (o) => (o['name'] === 'forbidden' ? [{ code: 'x-house-rule', severity: 'error', path: '/name', message: 'name is forbidden here' }] : []),
        },
      });
      const status = await post(h, RW, [indicator({ name: 'forbidden' }), indicator()]);
      expect(status['success_count']).toBe(1);
      expect((status['failures'] as Record<string, string>[])[0]?.['message']).toBe('objects/0: x-house-rule at /name: name is forbidden here');

      const custom = { ...indicator(), x_custom_thing: 1 };
      expect((await post(makeHandler(), RW, [custom]))['success_count']).toBe(1);
      const strict = await post(makeHandler({ validation: { strict: true } }), RW, [custom]);
      expect(strict['failure_count']).toBe(1);
    });

    it('registers the given extension definitions with the validator', () => {
      makeHandler({
        validation: {
          extensions: [
            {
              id: EXT,
              name: 'test',
              version: '1.0.0',
              extensionTypes: ['property-extension'],
              schema: { type: 'object' },
            },
          ],
        },
      });
      return import('../../../src/stix/extension-registry.js').then((m) => expect(m.getExtension(EXT)?.name).toBe('test'));
    });
  });
});

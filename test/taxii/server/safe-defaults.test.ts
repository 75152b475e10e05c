import { describe, expect, it } from '@jest/globals';
import { AS, bodyOf, call, indicator, makeHandler, post } from './fixture.js';

describe('status resources', () => {
  it('are hidden from a principal who may only write to the collection, even though it may post there', async () => {
    const h = makeHandler();
    const a = indicator();
    const status = await post(h, '/api1/collections/wo/objects/', [a], AS.admin);
    const path = `/api1/status/${status['id'] as string}/`;
    // alice may write to wo but not read it: the status names an object she cannot see.
    const res = await call(h, path, { auth: AS.alice });
    expect(res.status).toBe(404);
    expect(JSON.stringify(await bodyOf(res))).not.toContain(a['id'] as string);
    // Her own status of a post to the same collection stays readable to her.
    const own = await post(h, '/api1/collections/wo/objects/', [indicator()], AS.alice);
    expect((await call(h, `/api1/status/${own['id'] as string}/`, { auth: AS.alice })).status).toBe(200);
    // A reader of the collection sees the admin's status.
    expect((await call(h, path, { auth: AS.admin })).status).toBe(200);
  });
});

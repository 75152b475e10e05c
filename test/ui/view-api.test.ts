import { describe, expect, it } from '@jest/globals';
import { MemoryStore } from '../../src/taxii/store/memory.js';
import { createAnalystView } from '../../src/ui/server/analyst-view.js';
import type { CampaignView, CorroborationView, ObjectList, ObjectView } from '../../src/ui/view-model.js';
import { campaignBundle } from '../../src/detect/campaign-bundle.js';
import { CampaignDetector } from '../../src/detect/index.js';
import { organizationIdentity } from '../../src/distillation/index.js';
import { simulate } from '../../src/simulate/index.js';
import { COLL_HIDDEN, COLL_RO, COLL_RW, makeHandler, ORIGIN, PASSWORDS } from '../taxii/server/fixture.js';
import type { TaxiiHandler } from '../../src/taxii/server/handler.js';
import { toNewObject } from '../../src/taxii/server/new-object.js';
import { generateSigningKey } from '../../src/provenance/keys.js';
import { signObject } from '../../src/provenance/sign.js';

/**
 * The analyst view's data endpoints through the server's Web handler, with the TAXII suites' rights matrix: alice reads
 * rw and ro (not hidden), bob reads rw only, anonymous reads public only.
 */

const basic = (user: keyof typeof PASSWORDS): string => `Basic ${Buffer.from(`${user}:${PASSWORDS[user]}`).toString('base64')}`;

function get(handler: TaxiiHandler, path: string, user?: keyof typeof PASSWORDS, method = 'GET'): Promise<Response> {
  return handler(new Request(`${ORIGIN}${path}`, { method, headers: user === undefined ? {} : { authorization: basic(user) } }));
}

const T = '2026-01-01T00:00:00.000Z';
const indicatorId = (n: number): string => `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
function indicator(n: number, modified = T): Record<string, unknown> {
  return { type: 'indicator', spec_version: '2.1', id: indicatorId(n), created: T, modified, name: `Indicator ${n}`, pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, pattern_type: 'stix', valid_from: T };
}

async function setup(objects: readonly Record<string, unknown>[] = [], collection = COLL_RW): Promise<TaxiiHandler> {
  const store = new MemoryStore();
  await store.addObjects({ apiRoot: 'api1', collectionId: collection }, objects.map((o) => toNewObject(o)));
  return makeHandler({ mounts: [createAnalystView({ limits: { pageSize: 50 } })] }, store);
}

describe('analyst view data endpoints', () => {
  it('lists only the collections the principal may read', async () => {
    const handler = await setup();
    const alice = (await (await get(handler, '/ui/api/collections', 'alice')).json()) as { id: string }[];
    const bob = (await (await get(handler, '/ui/api/collections', 'bob')).json()) as { id: string }[];
    expect(alice.map((c) => c.id)).toEqual([COLL_RW, COLL_RO, '6d5e4f3a-2b1c-4d0e-bf9a-8b7c6d5e4f3a']);
    expect(bob.map((c) => c.id)).toEqual([COLL_RW]);
  });

  it('answers a collection the principal may not read exactly like a missing one (404)', async () => {
    const handler = await setup([indicator(1)], COLL_HIDDEN);
    const hidden = await get(handler, `/ui/api/collections/api1/${COLL_HIDDEN}/objects/`, 'alice');
    const missing = await get(handler, '/ui/api/collections/api1/00000000-0000-4000-8000-000000000000/objects/', 'alice');
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(await hidden.text()).toBe(await missing.text());
    const forBob = await get(handler, `/ui/api/collections/api1/ro/objects/${indicatorId(1)}`, 'bob');
    expect(forBob.status).toBe(404);
  });

  it('asks anonymous visitors who can read nothing of interest to sign in, and refuses other methods', async () => {
    const handler = await setup();
    const page = await get(handler, '/ui/api/collections');
    // anonymous may read "public", so the view is open to it; a wrong password is still a 401
    expect(page.status).toBe(200);
    const noReadHandler = makeHandler({ mounts: [createAnalystView()], auth: { principals: [] } });
    expect((await get(noReadHandler, '/ui/api/collections')).status).toBe(401);
    expect((await get(handler, '/ui/api/collections', 'alice', 'POST')).status).toBe(405);
    expect((await get(handler, '/ui', 'alice')).headers.get('location')).toBe('/ui/');
  });

  it('pages a collection with opaque positions: 120 objects in pages of 50, each once', async () => {
    const handler = await setup(Array.from({ length: 120 }, (_, i) => indicator(i + 1)));
    const seen: string[] = [];
    let after = '';
    let pages = 0;
    do {
      const res = await get(handler, `/ui/api/collections/api1/rw/objects/?type=indicator${after === '' ? '' : `&after=${after}`}`, 'alice');
      const page = (await res.json()) as ObjectList;
      seen.push(...page.items.map((i) => i.id));
      after = page.next ?? '';
      pages++;
    } while (after !== '' && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect((await get(handler, '/ui/api/collections/api1/rw/objects/?after=abc', 'alice')).status).toBe(400);
    expect((await get(handler, '/ui/api/collections/api1/rw/objects/not-an-id', 'alice')).status).toBe(400);
  });

  it('shows an object\'s versions newest first with their exact stored text', async () => {
    const v1 = indicator(7);
    const v2 = indicator(7, '2026-02-01T00:00:00.000Z');
    const handler = await setup([v1, v2]);
    const view = (await (await get(handler, `/ui/api/collections/api1/rw/objects/${indicatorId(7)}`, 'alice')).json()) as ObjectView;
    expect(view.versions.map((v) => v.version)).toEqual(['2026-02-01T00:00:00.000Z', T]);
    expect(view.versions.map((v) => v.json)).toEqual([JSON.stringify(v2), JSON.stringify(v1)]);
    expect(view.signature).toBeUndefined();
  });

  it('says whether a signed object is trusted (an unknown key is valid but not trusted without a trust store)', async () => {
    const lab = 'identity--11111111-1111-4111-8111-111111111111';
    const signed = signObject({ ...indicator(9), created_by_ref: lab }, generateSigningKey('Ed25519'), { identity: lab });
    const handler = await setup([signed as Record<string, unknown>]);
    const view = (await (await get(handler, `/ui/api/collections/api1/rw/objects/${indicatorId(9)}`, 'alice')).json()) as ObjectView;
    expect(view.signature?.valid).toBe(true);
    expect(view.signature?.trusted).toBe(false);
    expect(view.signature?.reason).toBe('unknown-key');
    expect(view.signature?.trustStore).toBe(false);
  });

  it('draws a campaign from detect\'s bundle with its accounts (through the sighting\'s observed data)', async () => {
    const sim = simulate({ seed: 'ui-view', requests: 40_000, days: 4 });
    const key = { key: 'view-test-key-of-32-bytes-length', keyId: 'view-2026' };
    const detector = new CampaignDetector({ key });
    for (const batch of sim.batches()) detector.addAll(batch);
    const result = detector.finish();
    expect(result.campaigns.length).toBeGreaterThan(0);
    const bundle = campaignBundle(result, { producer: organizationIdentity({ name: 'Lab A' }), provider: 'api.lab-a.example.com', key, created: '2026-03-20T00:00:00.000Z', idSeed: 'view' });
    const objects = bundle.objects as unknown as Record<string, unknown>[];
    const handler = await setup(objects);
    for (const campaign of objects.filter((o) => o['type'] === 'campaign')) {
      const view = (await (await get(handler, `/ui/api/collections/api1/rw/campaigns/${campaign['id'] as string}`, 'alice')).json()) as CampaignView;
      const declared = (campaign['extensions'] as Record<string, Record<string, unknown>>)['extension-definition--48a7a035-6297-4e34-ba0a-92242e6127a9']?.['account_count'];
      expect(view.graph.counts.account).toBe(declared);
      expect(view.labs.map((l) => l.lab)).toEqual(['Lab A']);
      expect(view.timeline).toHaveLength(1);
    }
  }, 120_000);

  it('counts corroboration from the collection\'s sightings: one independent lab raises 50 to 75', async () => {
    const labA = 'identity--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
    const labB = 'identity--bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
    const handler = await setup([
      { type: 'identity', spec_version: '2.1', id: labA, created: T, modified: T, name: 'Lab A' },
      { type: 'identity', spec_version: '2.1', id: labB, created: T, modified: T, name: 'Lab B' },
      { ...indicator(3), created_by_ref: labA },
      { type: 'sighting', spec_version: '2.1', id: 'sighting--cccccccc-cccc-4ccc-8ccc-cccccccccccc', created: T, modified: T, created_by_ref: labB, sighting_of_ref: indicatorId(3), where_sighted_refs: [labB], count: 12, first_seen: T, last_seen: '2026-01-02T00:00:00.000Z' },
    ]);
    const report = (await (await get(handler, '/ui/api/collections/api1/rw/corroboration', 'alice')).json()) as CorroborationView;
    expect(report.verified).toBe(false);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ object: indicatorId(3), name: 'Indicator 3', independentLabs: [labB], sightings: 1, totalCount: 12, baseConfidence: 50, confidence: 75 });
    expect(report.labNames[labB]).toBe('Lab B');
  });
});

import { describe, expect, it } from '@jest/globals';
import type { CollectionRef, NewObject, Store } from '../../src/taxii/store/store.js';
import { sid } from './fixtures.js';

/**
 * The STIX 2.1 §3.6 versioning rules every store enforces on add (part of the store contract): `created` and
 * `created_by_ref` never change between versions, and nothing follows a revoked version. Each refusal leaves the
 * store exactly as it was.
 */

const C: CollectionRef = { apiRoot: 'api1', collectionId: 'c0c0c0c0-80eb-42ed-a74d-c6fbd5a26116' };
const CREATED = '2024-01-01T00:00:00.000Z';
const LAB_A = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000a';
const LAB_B = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000b';
const ID = sid('indicator', 77);

interface Facts {
  readonly created?: string;
  readonly createdByRef?: string | undefined;
  readonly revoked?: boolean;
  readonly name?: string;
}

/** One version of indicator 77 as a store row; `created_by_ref` is LAB_A unless given (undefined: absent). */
function version(modified: string, facts: Facts = {}): NewObject {
  const o: Record<string, unknown> = {
    type: 'indicator',
    spec_version: '2.1',
    id: ID,
    created: facts.created ?? CREATED,
    modified,
    name: facts.name ?? `v ${modified}`,
  };
  const creator = 'createdByRef' in facts ? facts.createdByRef : LAB_A;
  if (creator !== undefined) o['created_by_ref'] = creator;
  if (facts.revoked !== undefined) o['revoked'] = facts.revoked;
  return { json: JSON.stringify(o), id: ID, type: 'indicator', version: modified, specVersion: '2.1' };
}

const D1 = '2024-01-02T00:00:00.000Z';
const D2 = '2024-01-03T00:00:00.000Z';
const D3 = '2024-01-04T00:00:00.000Z';
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

export function describeVersioningRules(make: () => Promise<Store>): void {
  describe('versioning rules (STIX 2.1 §3.6)', () => {
    const held = async (store: Store): Promise<string[]> =>
      (await store.queryObjects(C, { versions: ['all'], ids: [ID] }, 100)).rows.map((r) => r.json);

    /** Adds `first`, then `next`; expects `next` refused with `code` and the store as after `first`. */
    const expectRefused = async (first: NewObject[], next: NewObject, code: string): Promise<void> => {
      const store = await make();
      await store.addObjects(C, first);
      const before = await held(store);
      const latestBefore = (await store.queryObjects(C, { versions: ['last'] }, 10)).rows.map((r) => r.json);
      const [result] = await store.addObjects(C, [next]);
      expect(result).toEqual({ id: ID, version: next.version, outcome: 'refused', dateAdded: 0, refusal: { code, message: expect.any(String) } });
      expect(await held(store)).toEqual(before);
      expect((await store.queryObjects(C, { versions: ['last'] }, 10)).rows.map((r) => r.json)).toEqual(latestBefore);
    };

    it('refuses a new version whose created differs (the shadowing attack: far-future modified, new created)', async () => {
      await expectRefused([version(D1)], version(FAR_FUTURE, { created: '2025-06-01T00:00:00.000Z', name: 'POISONED' }), 'version-created-changed');
    });

    it('compares created as an instant: another spelling of the same instant is the same created', async () => {
      const store = await make();
      await store.addObjects(C, [version(D1)]);
      const [r] = await store.addObjects(C, [version(D2, { created: '2024-01-01T00:00:00Z' })]);
      expect(r?.outcome).toBe('added');
    });

    it('refuses a new version by another creator, and one that drops or adds created_by_ref', async () => {
      await expectRefused([version(D1)], version(D2, { createdByRef: LAB_B }), 'version-creator-changed');
      await expectRefused([version(D1)], version(D2, { createdByRef: undefined }), 'version-creator-changed');
      await expectRefused([version(D1, { createdByRef: undefined })], version(D2, { createdByRef: LAB_B }), 'version-creator-changed');
    });

    it('refuses an older version with another creator too (no back-filled shadow history)', async () => {
      await expectRefused([version(D2)], version(D1, { createdByRef: LAB_B }), 'version-creator-changed');
    });

    it('refuses anything later than a revoked version (un-revoking), even by the creator', async () => {
      await expectRefused([version(D1), version(D2, { revoked: true })], version(D3, { revoked: false }), 'version-after-revoked');
      await expectRefused([version(D1), version(D2, { revoked: true })], version(FAR_FUTURE), 'version-after-revoked');
    });

    it('refuses a revoked version earlier than a version held', async () => {
      await expectRefused([version(D1), version(D3)], version(D2, { revoked: true }), 'version-after-revoked');
    });

    it('still takes earlier history of a revoked object, and its exact duplicate', async () => {
      const store = await make();
      const revoked = version(D2, { revoked: true });
      await store.addObjects(C, [version(D1), revoked]);
      const results = await store.addObjects(C, [version('2024-01-01T12:00:00.000Z'), revoked]);
      expect(results.map((r) => r.outcome)).toEqual(['added', 'duplicate']);
      const last = (await store.queryObjects(C, { versions: ['last'], ids: [ID] }, 10)).rows;
      expect(last.map((r) => r.json)).toEqual([revoked.json]);
    });

    it('judges later members of one batch against earlier ones, refusing only the offender', async () => {
      const store = await make();
      const results = await store.addObjects(C, [version(D1), version(D2, { createdByRef: LAB_B }), version(D3)]);
      expect(results.map((r) => r.outcome)).toEqual(['added', 'refused', 'added']);
      expect(results[1]?.refusal?.code).toBe('version-creator-changed');
      expect((await held(store)).map((j) => (JSON.parse(j) as { modified: string }).modified)).toEqual([D1, D3]);
    });

    it('judges by the lineage the caller passes beside the text, as the server does', async () => {
      const withFacts = (o: NewObject, created: string, createdByRef: string | undefined, revoked: boolean): NewObject => ({
        ...o,
        lineage: { created, createdByRef, revoked },
      });
      await expectRefused([withFacts(version(D1), CREATED, LAB_A, false)], withFacts(version(D2, { createdByRef: LAB_B }), CREATED, LAB_B, false), 'version-creator-changed');
      await expectRefused(
        [withFacts(version(D1), CREATED, LAB_A, false), withFacts(version(D2, { revoked: true }), CREATED, LAB_A, true)],
        withFacts(version(D3), CREATED, LAB_A, false),
        'version-after-revoked',
      );
    });

    it('accepts a proper chain: same created and creator, revocation last', async () => {
      const store = await make();
      const results = await store.addObjects(C, [version(D1), version(D2), version(D3, { revoked: true })]);
      expect(results.map((r) => r.outcome)).toEqual(['added', 'added', 'added']);
    });

    it('judges objects of other ids and collections apart', async () => {
      const store = await make();
      await store.addObjects(C, [version(D1)]);
      const other: CollectionRef = { ...C, collectionId: 'd1d1d1d1-80eb-42ed-a74d-c6fbd5a26116' };
      const [r] = await store.addObjects(other, [version(D2, { createdByRef: LAB_B })]);
      expect(r?.outcome).toBe('added');
    });
  });
}

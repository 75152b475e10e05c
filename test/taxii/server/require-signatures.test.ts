import { describe, expect, it } from '@jest/globals';
import { SIGNATURES_EXTENSION_ID } from '../../../src/provenance/definition.js';
import { addJssSignature } from '../../../src/provenance/jss.js';
import { generateSigningKey } from '../../../src/provenance/keys.js';
import { signObject } from '../../../src/provenance/sign.js';
import { TrustStore } from '../../../src/provenance/trust-store.js';
import { checkServerOptions } from '../../../src/taxii/server/config.js';
import { parseServeConfig } from '../../../src/taxii/server/config-file.js';
import { MemoryStore } from '../../../src/taxii/store/memory.js';
import { basic, hash, indicator, makeHandler, post } from './fixture.js';
import { twoLabTrust } from '../../provenance/two-lab-trust.js';

const LAB_A = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000a';
const LAB_B = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000b';
const SIGNED = '44444444-5555-4666-8777-888888888888';
const OPEN = '55555555-6666-4777-8888-999999999999';
const PASS = 'pw';
const keyA = generateSigningKey();
const keyB = generateSigningKey('ES256');
const oldKeyA = generateSigningKey();

const TRUST = TrustStore.fromDocument(twoLabTrust({ a: LAB_A, b: LAB_B }, { a: keyA, aRevoked: oldKeyA, b: keyB }, '2026-06-01T00:00:00Z'));

function handler() {
  const writer = (name: string, extra: Record<string, unknown>) => ({ name, passwordHash: hash(PASS), canRead: ['*'], canWrite: ['*'], ...extra });
  return makeHandler(
    {
      apiRoots: [
        {
          path: 'hub',
          title: 'Hub',
          collections: [
            { id: SIGNED, title: 'Signed', alias: 'signed', requireSignatures: true },
            { id: OPEN, title: 'Open', alias: 'open' },
          ],
        },
      ],
      auth: { principals: [writer('lab-a', { identities: [LAB_A] }), writer('lab-b', { identities: [LAB_B] }), writer('hub', { relayFor: ['*'] })] as never },
      trustStore: TRUST,
      // on the request thread: worker threads run the built package, and test/cli/verify-threads-built.test.ts
      // checks that they answer exactly like this
      verifyThreads: 0,
    },
    new MemoryStore(),
  );
}

const as = (name: string): string => basic(name, PASS);
const byA = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...indicator(), created_by_ref: LAB_A, ...extra });

async function outcome(h: ReturnType<typeof handler>, objects: unknown[], who: string, collection = 'signed'): Promise<{ success: number; codes: string[] }> {
  const status = await post(h, `/hub/collections/${collection}/objects/`, objects, as(who));
  const codes = ((status['failures'] as { message: string }[] | undefined) ?? []).map((f) => /^objects\/\d+: ([a-z-]+):/.exec(f.message)?.[1] ?? f.message);
  return { success: status['success_count'] as number, codes };
}

describe('requireSignatures', () => {
  it('accepts an object signed by its creator and posted by a principal bound to it', async () => {
    expect(await outcome(handler(), [signObject(byA(), keyA, { identity: LAB_A })], 'lab-a')).toEqual({ success: 1, codes: [] });
  });

  it('refuses unsigned, changed, badly signed and untrusted objects, each as its own per-object failure', async () => {
    const h = handler();
    const good = signObject(byA(), keyA, { identity: LAB_A });
    const changed = { ...signObject(byA(), keyA, { identity: LAB_A }), name: 'POISONED' };
    const sig = (good['signatures'] as Record<string, string>[])[0] as Record<string, string>;
    const badValue = { ...signObject(byA(), keyA, { identity: LAB_A }) };
    badValue['signatures'] = [{ ...(badValue['signatures'] as Record<string, string>[])[0], value: sig['value'] }];
    const stranger = signObject(byA(), generateSigningKey(), { identity: LAB_A });
    const compromised = signObject(byA(), oldKeyA, { identity: LAB_A, created: '2026-07-01T00:00:00.000Z' });
    const result = await outcome(h, [byA(), changed, badValue, stranger, compromised, good], 'lab-a');
    expect(result).toEqual({
      success: 1,
      codes: ['signature-unsigned', 'signature-content-changed', 'signature-bad-signature', 'signature-unknown-key', 'signature-key-revoked'],
    });
  });

  it('keeps history signed before a compromise, refuses what the leaked key signed after it', async () => {
    const before = signObject(byA(), oldKeyA, { identity: LAB_A, created: '2026-05-31T00:00:00.000Z' });
    const after = signObject(byA(), oldKeyA, { identity: LAB_A, created: '2026-06-01T00:00:00.000Z' });
    expect(await outcome(handler(), [before, after], 'lab-a')).toEqual({ success: 1, codes: ['signature-key-revoked'] });
  });

  it('refuses a rival lab signing an object in another lab’s name, and a genuine object posted by someone not bound to its signer', async () => {
    const h = handler();
    const claimed = { ...byA(), extensions: { [SIGNATURES_EXTENSION_ID]: { extension_type: 'toplevel-property-extension' } } };
    const forged = addJssSignature(claimed, keyB, { metadata: { signee: LAB_B, created: '2026-11-01T00:00:00.000Z' } });
    expect(await outcome(h, [forged], 'lab-b')).toEqual({ success: 0, codes: ['signature-signer-not-creator'] });
    const genuine = signObject(byA(), keyA, { identity: LAB_A });
    expect(await outcome(h, [genuine], 'lab-b')).toEqual({ success: 0, codes: ['signature-signer-not-bound'] });
    // a configured relay (the hub) may re-publish it, signature intact
    expect(await outcome(h, [genuine], 'hub')).toEqual({ success: 1, codes: [] });
  });

  it('leaves collections without it alone, and a downgrade (signatures stripped) is refused where it is on', async () => {
    const h = handler();
    const signed = signObject(byA(), keyA, { identity: LAB_A });
    const { signatures: _s, ...stripped } = signed;
    expect(await outcome(h, [stripped], 'lab-a', 'open')).toEqual({ success: 1, codes: [] });
    expect(await outcome(h, [stripped], 'lab-a')).toEqual({ success: 0, codes: ['signature-unsigned'] });
  });

  it('configuration: requireSignatures needs a trust store, and the config file knows both keys', () => {
    const problems = checkServerOptions({
      store: new MemoryStore(),
      apiRoots: [{ path: 'hub', title: 'Hub', collections: [{ id: SIGNED, title: 'Signed', requireSignatures: true }] }],
    });
    expect(problems.items).toEqual([{ path: '/apiRoots/0/collections/0/requireSignatures', message: expect.stringContaining('trust store') }]);
    for (const bad of [-1, 1.5, 65, '2']) {
      const threads = checkServerOptions({ store: new MemoryStore(), apiRoots: [{ path: 'hub', title: 'Hub', collections: [] }], verifyThreads: bad as number });
      expect(threads.items).toEqual([{ path: '/verifyThreads', message: expect.stringContaining('from 0') }]);
    }
    expect(checkServerOptions({ store: new MemoryStore(), apiRoots: [{ path: 'hub', title: 'Hub', collections: [] }], verifyThreads: 0 }).items).toEqual([]);
    expect(() => parseServeConfig({ trustStore: 'trust.json', apiRoots: [{ path: 'hub', title: 'Hub', collections: [{ id: SIGNED, title: 'S', requireSignatures: true }] }] })).not.toThrow();
    expect(() => parseServeConfig({ apiRoots: [{ path: 'hub', title: 'Hub', collections: [{ id: SIGNED, title: 'S', requireSignatures: 'yes' }] }] })).toThrow('requireSignatures');
  });
});

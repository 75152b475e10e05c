import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checkServerOptions } from '../../../src/taxii/server/config.js';
import { parseServeConfig } from '../../../src/taxii/server/config-file.js';
import { deterministicScoIdCheck, producerCheck } from '../../../src/taxii/server/write-checks.js';
import { ACCEPT, bindingOf, refuse, runWritePolicy, writePolicyOf } from '../../../src/taxii/server/write-policy.js';
import type { WriteCheck, WriteSubject } from '../../../src/taxii/server/write-policy.js';
import { TLP_GREEN, TLP2_AMBER, TLP2_EXTENSION_DEFINITION } from '../../../src/stix/markings.js';
import { MemoryStore } from '../../../src/taxii/store/memory.js';
import { basic, hash, indicator, makeHandler, post } from './fixture.js';

/** RFC 4122 §4.3 name-based UUID (SHA-1), written here independently of the library's implementation. */
function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
// STIX 2.1 §2.9: the namespace of deterministic SCO ids.
const STIX_NS = '00abedb4-aa42-466c-9c01-fed23315a9b7';
// The squat of the issue: the deterministic id of 198.51.100.3, carrying another value.
const SQUATTED = 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4';

const LAB_A = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000a';
const LAB_B = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000b';
const SHARED = '11111111-2222-4333-8444-555555555555';
const STRICT = '22222222-3333-4444-8555-666666666666';
const OPEN_ALL = '33333333-4444-4555-8666-777777777777';
const PASS = 'pw';

function labObject(creator: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const o: Record<string, unknown> = { ...indicator(), ...extra };
  if (creator !== undefined) o['created_by_ref'] = creator;
  return o;
}

function producerHandler(): ReturnType<typeof makeHandler> {
  const writer = (name: string, extra: Record<string, unknown>): Record<string, unknown> => ({
    name,
    passwordHash: hash(PASS),
    canRead: ['*'],
    canWrite: ['*'],
    ...extra,
  });
  return makeHandler(
    {
      apiRoots: [
        {
          path: 'hub',
          title: 'Hub',
          collections: [
            { id: SHARED, title: 'Shared', alias: 'shared', requireProducer: true },
            { id: STRICT, title: 'Strict', alias: 'strict', requireProducer: true, unattributed: 'refuse' },
            { id: OPEN_ALL, title: 'Open', alias: 'open', requireProducer: true, unattributed: 'allow' },
          ],
        },
      ],
      auth: {
        principals: [
          writer('lab-a', { identities: [LAB_A] }),
          writer('lab-b', { identities: [LAB_B] }),
          writer('relay-a', { relayFor: [LAB_A] }),
          writer('relay-all', { relayFor: ['*'] }),
        ] as never,
      },
    },
    new MemoryStore(),
  );
}

const as = (name: string): string => basic(name, PASS);

function failureMessages(status: Record<string, unknown>): string[] {
  return ((status['failures'] as { message: string }[] | undefined) ?? []).map((f) => f.message);
}

describe('write policy pipeline', () => {
  const subject = (object: Record<string, unknown>): WriteSubject => ({
    object,
    text: JSON.stringify(object),
    principal: { name: 'w', anonymous: false, binding: bindingOf({}) },
    policy: writePolicyOf({}),
  });

  it('runs checks in order and stops at the first refusal', () => {
    const seen: string[] = [];
    const step = (name: string, ok: boolean): WriteCheck => ({
      name,
      check: () => {
        seen.push(name);
        return ok ? ACCEPT : refuse(`${name}-refused`, 'no');
      },
    });
    expect(runWritePolicy(subject({}), [step('a', true), step('b', false), step('c', false)])).toEqual({ ok: false, code: 'b-refused', message: 'no' });
    expect(seen).toEqual(['a', 'b']);
    expect(runWritePolicy(subject({}), [step('d', true)])).toEqual({ ok: true });
  });

  it('fills policy and binding defaults', () => {
    expect(writePolicyOf({})).toEqual({ requireProducer: false, unattributed: 'allow-scos' });
    expect(bindingOf({ identities: [LAB_A], relayFor: ['*'] }).relayFor).toBe('any');
    expect([...(bindingOf({ relayFor: [LAB_B] }).relayFor as Set<string>)]).toEqual([LAB_B]);
  });

  describe('deterministic SCO ids (§2.9)', () => {
    it('computes the issue’s squatted id independently: it belongs to 198.51.100.3', () => {
      expect(`ipv4-addr--${uuidV5('{"value":"198.51.100.3"}', STIX_NS)}`).toBe(SQUATTED);
    });

    it('refuses an SCO parked under another content’s deterministic id, naming the right one', () => {
      const verdict = deterministicScoIdCheck.check(subject({ type: 'ipv4-addr', id: SQUATTED, value: '10.0.0.1' }));
      const expected = `ipv4-addr--${uuidV5('{"value":"10.0.0.1"}', STIX_NS)}`;
      expect(verdict).toEqual({ ok: false, code: 'sco-id-not-deterministic', message: expect.stringContaining(expected) });
    });

    it('accepts the genuine deterministic id, an upper-case spelling of it, and UUIDv4 SCO ids', () => {
      expect(deterministicScoIdCheck.check(subject({ type: 'ipv4-addr', id: SQUATTED, value: '198.51.100.3' })).ok).toBe(true);
      expect(deterministicScoIdCheck.check(subject({ type: 'ipv4-addr', id: SQUATTED.toUpperCase().replace('IPV4-ADDR', 'ipv4-addr'), value: '198.51.100.3' })).ok).toBe(true);
      expect(deterministicScoIdCheck.check(subject({ type: 'ipv4-addr', id: 'ipv4-addr--4ba36b5d-6a77-4a0c-8cde-94d6dbf4e8b5', value: '10.0.0.1' })).ok).toBe(true);
    });

    it('uses one hash of `hashes` as §2.9 says (MD5 first)', () => {
      const file = { type: 'file', hashes: { 'SHA-256': 'a'.repeat(64), MD5: 'b'.repeat(32) } };
      const good = `file--${uuidV5(`{"hashes":{"MD5":"${'b'.repeat(32)}"}}`, STIX_NS)}`;
      expect(deterministicScoIdCheck.check(subject({ ...file, id: good })).ok).toBe(true);
      const bad = `file--${uuidV5(`{"hashes":{"SHA-256":"${'a'.repeat(64)}"}}`, STIX_NS)}`;
      expect(deterministicScoIdCheck.check(subject({ ...file, id: bad })).ok).toBe(false);
    });

    it('leaves SDOs alone (their ids are not derived from content)', () => {
      expect(deterministicScoIdCheck.check(subject({ ...indicator(), id: 'indicator--28bb3599-77cd-5a82-a950-b5bc3caf07c4' })).ok).toBe(true);
    });

    it('refuses the squat through the server, and the genuine object then stores', async () => {
      const h = makeHandler();
      const status = await post(h, '/api1/collections/rw/objects/', [
        { type: 'ipv4-addr', spec_version: '2.1', id: SQUATTED, value: '10.0.0.1' },
        { type: 'ipv4-addr', spec_version: '2.1', id: SQUATTED, value: '198.51.100.3' },
      ]);
      expect(status['success_count']).toBe(1);
      expect(failureMessages(status)).toEqual([expect.stringMatching(/^objects\/0: sco-id-not-deterministic: /)]);
      expect(status['successes']).toEqual([{ id: SQUATTED, version: '1970-01-01T00:00:00.000Z' }]);
    });
  });

  describe('producer binding (requireProducer)', () => {
    const SHARED_PATH = '/hub/collections/shared/objects/';

    it('accepts objects created by the writer’s identity and refuses other creators', async () => {
      const h = producerHandler();
      const mine = labObject(LAB_A);
      const forged = labObject(LAB_B);
      const status = await post(h, SHARED_PATH, [mine, forged], as('lab-a'));
      expect(status['successes']).toEqual([{ id: mine['id'], version: mine['modified'] }]);
      expect(failureMessages(status)).toEqual([expect.stringMatching(new RegExp(`^objects/1: producer-not-bound: created_by_ref ${LAB_B} `))]);
      expect(failureMessages(status)[0]).toContain(`may publish as ${LAB_A}`);
    });

    it('refuses SDOs without created_by_ref and accepts SCOs under the default allow-scos', async () => {
      const h = producerHandler();
      const sco = { type: 'ipv4-addr', spec_version: '2.1', id: SQUATTED, value: '198.51.100.3' };
      const status = await post(h, SHARED_PATH, [labObject(undefined), sco], as('lab-a'));
      expect(status['successes']).toEqual([{ id: SQUATTED, version: '1970-01-01T00:00:00.000Z' }]);
      expect(failureMessages(status)).toEqual([expect.stringMatching(/^objects\/0: producer-missing: .*only SCOs may come without it/)]);
    });

    it('refuses even SCOs under unattributed: refuse, and accepts SDOs without a creator under allow', async () => {
      const h = producerHandler();
      const sco = { type: 'domain-name', spec_version: '2.1', id: `domain-name--${uuidV5('{"value":"example.com"}', STIX_NS)}`, value: 'example.com' };
      const strict = await post(h, '/hub/collections/strict/objects/', [sco], as('lab-a'));
      expect(failureMessages(strict)).toEqual([expect.stringMatching(/^objects\/0: producer-missing: /)]);
      const open = await post(h, '/hub/collections/open/objects/', [labObject(undefined), sco], as('lab-a'));
      expect(open['success_count']).toBe(2);
      // a creator that is not the writer's is still refused under allow
      expect(failureMessages(await post(h, '/hub/collections/open/objects/', [labObject(LAB_B)], as('lab-a')))[0]).toMatch(/producer-not-bound/);
    });

    it('lets a relay re-publish only the producers it relays for', async () => {
      const h = producerHandler();
      const fromA = labObject(LAB_A);
      const fromB = labObject(LAB_B);
      const relayed = await post(h, SHARED_PATH, [fromA, fromB], as('relay-a'));
      expect(relayed['successes']).toEqual([{ id: fromA['id'], version: fromA['modified'] }]);
      expect(failureMessages(relayed)).toEqual([expect.stringMatching(/^objects\/1: producer-not-bound: .*is bound to no identity/)]);
      expect((await post(h, SHARED_PATH, [fromB], as('relay-all')))['success_count']).toBe(1);
    });

    it('accepts the published TLP definitions exactly as published, and nothing dressed up as them', async () => {
      const h = producerHandler();
      const published = [TLP_GREEN, TLP2_AMBER, TLP2_EXTENSION_DEFINITION];
      expect((await post(h, '/hub/collections/strict/objects/', published, as('lab-b')))['success_count']).toBe(3);
      const altered = { ...TLP2_AMBER, id: 'marking-definition--0d4f8a52-8f0e-4a57-9b5c-1f0c2d3e4a5b', name: 'TLP:AMBER (ours)' };
      const status = await post(h, '/hub/collections/strict/objects/', [altered], as('lab-b'));
      expect(failureMessages(status)).toEqual([expect.stringMatching(/^objects\/0: producer-missing: /)]);
    });

    it('applies nothing where the collection does not ask for it', async () => {
      const status = await post(makeHandler(), '/api1/collections/rw/objects/', [labObject(LAB_B), labObject(undefined)]);
      expect(status['success_count']).toBe(2);
    });

    it('checks producers directly for an anonymous writer, who is bound to nothing', () => {
      const verdict = producerCheck.check({
        object: labObject(LAB_A),
        text: '',
        principal: { name: '', anonymous: true, binding: bindingOf({}) },
        policy: writePolicyOf({ requireProducer: true }),
      });
      expect(verdict).toEqual({ ok: false, code: 'producer-not-bound', message: expect.stringContaining('an anonymous writer is bound to no identity') });
    });
  });

  describe('configuration', () => {
    const root = { path: 'r', title: 'R', collections: [{ id: SHARED, title: 'S', requireProducer: true }] };

    it('refuses identities that are not identity ids and an unknown unattributed policy, with pointers', () => {
      const problems = checkServerOptions({
        store: new MemoryStore(),
        apiRoots: [{ ...root, collections: [{ id: SHARED, title: 'S', unattributed: 'sometimes' as never }] }],
        auth: { principals: [{ name: 'p', passwordHash: hash('x'), identities: ['indicator--0c7b5b88-8ff7-4a4d-aa9d-00000000000a', LAB_A], relayFor: ['*', 'ACME'] }] },
      }).items;
      expect(problems).toEqual([
        { path: '/apiRoots/0/collections/0/unattributed', message: 'unattributed must be one of "refuse", "allow-scos", "allow"' },
        { path: '/auth/principals/0/identities/0', message: 'must be an identity id ("identity--" and a lower-case UUID)' },
        { path: '/auth/principals/0/relayFor/1', message: 'must be an identity id ("identity--" and a lower-case UUID) or "*"' },
      ]);
    });

    it('reads the new keys from a serve configuration file and refuses misspellings', () => {
      const file = {
        apiRoots: [root],
        auth: { principals: [{ name: 'p', passwordHash: hash('x'), canWrite: ['*'], identities: [LAB_A], relayFor: [LAB_B] }] },
      };
      expect(parseServeConfig(file).auth?.principals?.[0]?.identities).toEqual([LAB_A]);
      expect(() => parseServeConfig({ ...file, apiRoots: [{ ...root, collections: [{ id: SHARED, title: 'S', requireProducers: true }] }] })).toThrow(
        /requireProducers.*did you mean "requireProducer"/,
      );
    });
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { afterEach, describe, expect, it } from '@jest/globals';
import { registerExtension, unregisterExtension } from '../../src/stix/extension-registry.js';
import {
  ID_CONTRIBUTING_PROPERTIES,
  STIX_SCO_NAMESPACE,
  deterministicScoId,
  idContributingProperties,
  newIdentifier,
  parseIdentifier,
  scoIdName,
  scoIdentifier,
} from '../../src/stix/ids.js';
import { DistillIntelError } from '../../src/errors.js';

/** RFC 4122 §4.3 name-based UUID (SHA-1), computed independently of the library under test. */
function referenceUuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const NS = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const V4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministic SCO ids (§2.9)', () => {
  it('uses the namespace the spec fixes', () => {
    expect(STIX_SCO_NAMESPACE).toBe(NS);
  });

  it('reproduces the verified ipv4-addr vector, and so does the reference UUIDv5', () => {
    expect(`ipv4-addr--${referenceUuidV5(NS, '{"value":"198.51.100.3"}')}`).toBe(
      'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
    );
    expect(deterministicScoId({ type: 'ipv4-addr', value: '198.51.100.3' })).toBe(
      'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
    );
  });

  // Each case: the object, and the canonical JSON worked out by hand from RFC 8785 (keys sorted, no spaces).
  const cases: Array<[string, Record<string, unknown> & { type: string }, string]> = [
    ['ignores non-contributing properties', { type: 'ipv4-addr', value: '203.0.113.9', spec_version: '2.1', defanged: true }, '{"value":"203.0.113.9"}'],
    ['number values stay numbers', { type: 'autonomous-system', number: 15169, name: 'Google' }, '{"number":15169}'],
    ['file picks MD5 over SHA-256 and sorts keys', { type: 'file', name: 'a.exe', size: 10, hashes: { 'SHA-256': 'bb', MD5: 'aa' } }, '{"hashes":{"MD5":"aa"},"name":"a.exe"}'],
    ['file picks MD5 first of all four, whatever their order', { type: 'file', hashes: { 'SHA-512': 'c5', 'SHA-256': 'c2', 'SHA-1': 'c1', MD5: 'c0' } }, '{"hashes":{"MD5":"c0"}}'],
    ['file picks SHA-1 over SHA-256', { type: 'file', hashes: { 'SHA-256': 'c2', 'SHA-1': 'c1' } }, '{"hashes":{"SHA-1":"c1"}}'],
    ['a listed algorithm beats an earlier custom key', { type: 'file', hashes: { SSDEEP: 's1', 'SHA-512': 'c5' } }, '{"hashes":{"SHA-512":"c5"}}'],
    ['file picks SHA-1 over SHA-512', { type: 'file', hashes: { 'SHA-512': 'cc', 'SHA-1': 'dd' } }, '{"hashes":{"SHA-1":"dd"}}'],
    ['file picks SHA-256 over SHA-512', { type: 'file', hashes: { 'SHA-512': 'cc', 'SHA-256': 'ee' } }, '{"hashes":{"SHA-256":"ee"}}'],
    ['falls back to the first hash key', { type: 'file', hashes: { TLSH: 't1', SSDEEP: 's1' } }, '{"hashes":{"TLSH":"t1"}}'],
    ['artifact hashes without payload', { type: 'artifact', url: 'https://x.example/a', hashes: { 'SHA-512': 'ff' } }, '{"hashes":{"SHA-512":"ff"}}'],
    ['artifact payload_bin', { type: 'artifact', payload_bin: 'aGVsbG8=', mime_type: 'text/plain' }, '{"payload_bin":"aGVsbG8="}'],
    ['email-message references contribute their ids', { type: 'email-message', is_multipart: false, from_ref: 'email-addr--9b7e29b3-fd8d-562e-b3f0-8fc8134f5dda', subject: 'Hi', body: 'x', date: '2020-01-01T00:00:00Z' }, '{"body":"x","from_ref":"email-addr--9b7e29b3-fd8d-562e-b3f0-8fc8134f5dda","subject":"Hi"}'],
    ['network-traffic lists and ports', { type: 'network-traffic', src_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', dst_port: 443, protocols: ['ipv4', 'tcp'], is_active: true }, '{"dst_port":443,"protocols":["ipv4","tcp"],"src_ref":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"}'],
    ['file extensions contribute whole, nested keys sorted', { type: 'file', name: 'z.zip', extensions: { 'archive-ext': { contains_refs: ['file--00000000-0000-4000-8000-000000000000'], comment: 'c' } } }, '{"extensions":{"archive-ext":{"comment":"c","contains_refs":["file--00000000-0000-4000-8000-000000000000"]}},"name":"z.zip"}'],
    ['registry values are objects in a list', { type: 'windows-registry-key', key: 'HKEY_LOCAL_MACHINE\\System', values: [{ name: 'Foo', data: 'qwerty', data_type: 'REG_SZ' }] }, '{"key":"HKEY_LOCAL_MACHINE\\\\System","values":[{"data":"qwerty","data_type":"REG_SZ","name":"Foo"}]}'],
    ['non-ASCII stays raw and hashes as UTF-8', { type: 'domain-name', value: 'bücher.example' }, '{"value":"bücher.example"}'],
    ['software uses only its five properties', { type: 'software', name: 'Word', vendor: 'Microsoft', languages: ['en'] }, '{"name":"Word","vendor":"Microsoft"}'],
    ['user-account', { type: 'user-account', user_id: '1001', account_login: 'jdoe', display_name: 'J' }, '{"account_login":"jdoe","user_id":"1001"}'],
    ['x509-certificate', { type: 'x509-certificate', serial_number: '01', issuer: 'CN=x' }, '{"serial_number":"01"}'],
    ['mutex', { type: 'mutex', name: '__CLEANSWEEP__' }, '{"name":"__CLEANSWEEP__"}'],
    ['directory', { type: 'directory', path: 'C:\\Windows' }, '{"path":"C:\\\\Windows"}'],
    ['mac-addr', { type: 'mac-addr', value: 'd2:fb:49:24:37:18' }, '{"value":"d2:fb:49:24:37:18"}'],
  ];
  it.each(cases)('%s', (_name, sco, canonical) => {
    expect(scoIdName(sco)).toBe(canonical);
    expect(deterministicScoId(sco)).toBe(`${sco.type}--${referenceUuidV5(NS, canonical)}`);
  });

  it('is independent of property order', () => {
    const a = deterministicScoId({ type: 'file', name: 'n', hashes: { MD5: 'aa', 'SHA-1': 'bb' } });
    const b = deterministicScoId({ type: 'file', hashes: { 'SHA-1': 'bb', MD5: 'aa' }, name: 'n' });
    expect(a).toBe(b);
  });

  it('changes when a contributing property changes', () => {
    expect(deterministicScoId({ type: 'url', value: 'https://a.example/' })).not.toBe(
      deterministicScoId({ type: 'url', value: 'https://b.example/' }),
    );
  });

  it('gives no deterministic id (UUIDv4 required) for process, absent properties and unknown types', () => {
    expect(deterministicScoId({ type: 'process', pid: 4, command_line: 'x' })).toBeUndefined();
    expect(deterministicScoId({ type: 'user-account', display_name: 'only a display name' })).toBeUndefined();
    expect(deterministicScoId({ type: 'indicator', name: 'not an SCO' })).toBeUndefined();
    expect(deterministicScoId({ type: 'x-unregistered', value: 'v' })).toBeUndefined();
  });

  it('scoIdentifier falls back to a fresh UUIDv4', () => {
    const id = scoIdentifier({ type: 'process', pid: 1 });
    expect(id.startsWith('process--')).toBe(true);
    expect(id.slice('process--'.length)).toMatch(V4_RE);
    expect(scoIdentifier({ type: 'ipv4-addr', value: '198.51.100.3' })).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
  });

  it('lists the contributing properties of all 18 SCO types', () => {
    expect(Object.keys(ID_CONTRIBUTING_PROPERTIES).sort()).toEqual(
      [
        'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr',
        'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
        'windows-registry-key', 'x509-certificate',
      ].sort(),
    );
    expect(ID_CONTRIBUTING_PROPERTIES.process).toEqual([]);
  });

  describe('new-sco extension types', () => {
    const EXT = 'extension-definition--1f2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d';
    afterEach(() => {
      unregisterExtension(EXT);
    });

    it('take their contributing properties from the registry', () => {
      registerExtension({
        id: EXT,
        name: 'widget',
        version: '1.0.0',
        extensionTypes: ['new-sco'],
        schema: { type: 'object' },
        objectType: 'x-acme-widget',
        idContributingProperties: ['serial', 'model'],
      });
      expect(idContributingProperties('x-acme-widget')).toEqual(['serial', 'model']);
      const sco = { type: 'x-acme-widget', serial: 'A1', colour: 'red' };
      expect(deterministicScoId(sco)).toBe(`x-acme-widget--${referenceUuidV5(NS, '{"serial":"A1"}')}`);
    });

    it('a new-sdo type is not an SCO', () => {
      registerExtension({
        id: EXT,
        name: 'thing',
        version: '1.0.0',
        extensionTypes: ['new-sdo'],
        schema: { type: 'object' },
        objectType: 'x-acme-thing',
      });
      expect(idContributingProperties('x-acme-thing')).toBeUndefined();
      expect(deterministicScoId({ type: 'x-acme-thing', serial: 'A1' })).toBeUndefined();
    });
  });
});

describe('newIdentifier', () => {
  it('makes <type>--<UUIDv4>, different every time', () => {
    const a = newIdentifier('indicator');
    const b = newIdentifier('indicator');
    expect(a).toMatch(/^indicator--/);
    expect(a.slice('indicator--'.length)).toMatch(V4_RE);
    expect(a).not.toBe(b);
  });

  it.each(['Indicator', 'ab', 'x--y', 'bad_type', '-x-y', 'x-y-', ''])('refuses the type name %j', (type) => {
    expect(() => newIdentifier(type)).toThrow(expect.objectContaining({ code: 'STIX_BUILD' }) as unknown as Error);
    try {
      newIdentifier(type);
    } catch (e) {
      expect(e).toBeInstanceOf(DistillIntelError);
    }
  });
});

describe('parseIdentifier', () => {
  it('splits type, UUID and version', () => {
    expect(parseIdentifier('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4')).toEqual({
      type: 'ipv4-addr',
      uuid: '28bb3599-77cd-5a82-a950-b5bc3caf07c4',
      uuidVersion: 5,
    });
  });

  it.each([
    'indicator-28bb3599-77cd-5a82-a950-b5bc3caf07c4',
    'indicator--28bb3599-77cd-5a82-a950',
    'indicator--28bb3599-77cd-6a82-a950-b5bc3caf07c4',
    'indicator--28bb3599-77cd-4a82-c950-b5bc3caf07c4',
    'Indicator--28bb3599-77cd-4a82-a950-b5bc3caf07c4',
    'x--y--28bb3599-77cd-4a82-a950-b5bc3caf07c4',
    'ab--28bb3599-77cd-4a82-a950-b5bc3caf07c4',
  ])('rejects %s', (id) => {
    expect(parseIdentifier(id)).toBeUndefined();
  });
});

describe('scoIdName: the single-value shortcut equals RFC 8785 canonicalisation', () => {
  it('for any string or finite number, including escapes, non-ASCII and lone surrogates', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), (value) => {
        const name = scoIdName({ type: typeof value === 'string' ? 'domain-name' : 'autonomous-system', [typeof value === 'string' ? 'value' : 'number']: value });
        const key = typeof value === 'string' ? 'value' : 'number';
        expect(name).toBe(canonicalize({ [key]: value }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('scoIdName: written member by member, it equals RFC 8785 over the contributing properties', () => {
  // The oracle builds the object §2.9 describes (present contributing properties, hashes reduced to one) and hands
  // it to the reference canonicaliser.
  const PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];
  function oracle(sco: Record<string, unknown> & { type: string }): string | undefined {
    const contributing: Record<string, unknown> = {};
    for (const prop of ID_CONTRIBUTING_PROPERTIES[sco.type] ?? []) {
      if (!(prop in sco)) continue;
      let value = sco[prop];
      if (prop === 'hashes' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const hashes = value as Record<string, unknown>;
        const algo = PREFERENCE.find((a) => a in hashes) ?? Object.keys(hashes)[0];
        if (algo === undefined) continue;
        value = { [algo]: hashes[algo] };
      }
      contributing[prop] = value;
    }
    return Object.keys(contributing).length === 0 ? undefined : canonicalize(contributing);
  }
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text, tie('value'), { maxKeys: 3 })),
  })).value;
  const hashes = fc.dictionary(fc.constantFrom('MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'TLSH', 'SSDEEP', 'x-custom'), fc.stringMatching(/^[0-9a-f]{2,8}$/), { maxKeys: 4 });

  it('for files and network traffic with any mix of present properties and nested values', () => {
    const file = fc.record({ type: fc.constant('file'), hashes, name: text, extensions: fc.dictionary(text, json, { maxKeys: 2 }), parent_directory_ref: text, size: fc.nat() }, { requiredKeys: ['type'] });
    const traffic = fc.record({ type: fc.constant('network-traffic'), start: text, src_ref: text, dst_port: fc.nat(65535), protocols: fc.array(text, { maxLength: 3 }), extensions: fc.dictionary(text, json, { maxKeys: 2 }), is_active: fc.boolean() }, { requiredKeys: ['type'] });
    fc.assert(
      fc.property(fc.oneof(file, traffic), (sco) => {
        expect(scoIdName(sco)).toBe(oracle(sco));
      }),
      { seed: 20261122, numRuns: 2_000 },
    );
  });
});

describe('uuidV5', () => {
  it('hashes long names (beyond its scratch buffer) and non-ASCII names like the reference', async () => {
    const { uuidV5 } = await import('../../src/stix/uuid-v5.js');
    for (const name of ['', 'a', 'bücher.example', '\u{1F600}'.repeat(700), 'x'.repeat(1365), 'x'.repeat(1366), 'é'.repeat(5000)]) {
      expect(uuidV5(name, NS)).toBe(referenceUuidV5(NS, name));
    }
  });
});

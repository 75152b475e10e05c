import { describe, expect, it } from '@jest/globals';
import { checkValue, refang } from '../../src/convert/value-checks.js';
import { Converter } from '../../src/convert/converter.js';

const ok = (type: string, value: string, hashAlgo?: string): boolean => checkValue(type, hashAlgo === undefined ? 'value' : `hashes.${hashAlgo}`, value, hashAlgo, false).ok;
const codeOf = (type: string, value: string): string | undefined => {
  const r = checkValue(type, 'value', value, undefined, false);
  return r.ok ? undefined : r.problem.code;
};

describe('value checks by type', () => {
  it('IPv4: addresses and CIDR blocks only', () => {
    for (const v of ['59.188.12.123', '0.0.0.0', '203.0.113.0/24', '10.0.0.0/8', '192.0.2.1/32']) expect(ok('ipv4-addr', v)).toBe(true);
    for (const v of ['256.1.1.1', '1.2.3', '1.2.3.4/33', '1.2.3.4/', '01.2.3.4', 'example.com', '1.2.3.4 ', '1.2.3.4/24/1']) expect(ok('ipv4-addr', v)).toBe(false);
    expect(codeOf('ipv4-addr', '59.188.12[.]123')).toBe('value-defanged');
    expect(codeOf('ipv4-addr', '59.188.12.300')).toBe('value-malformed');
  });

  it('IPv6: addresses and CIDR blocks only', () => {
    for (const v of ['2001:db8::1', '::', '2001:db8::/32', '::ffff:192.0.2.1']) expect(ok('ipv6-addr', v)).toBe(true);
    for (const v of ['2001:db8:::1', '2001:db8::/129', 'fe80::1%eth0', '2001:db8::g']) expect(ok('ipv6-addr', v)).toBe(false);
    expect(codeOf('ipv6-addr', '2001:db8[:]:1')).toBe('value-defanged');
  });

  it('domain names: letters, digits and hyphens in labels of at most 63, IDNs through punycode', () => {
    for (const v of ['example.com', 'relay.example.net.', 'xn--bcher-kva.example', 'bücher.example', 'a-b.example', '_dmarc.example.com']) {
      expect(ok('domain-name', v)).toBe(true);
    }
    for (const v of ['-a.example', 'a-.example', 'a..example', `${'a'.repeat(64)}.example`, 'exa mple.com', '192.0.2.1', 'http://example.com']) {
      expect(ok('domain-name', v)).toBe(false);
    }
    expect(codeOf('domain-name', 'evil[.]example')).toBe('value-defanged');
    expect(codeOf('domain-name', 'evil[dot]example')).toBe('value-defanged');
  });

  it('URLs: absolute, parseable, with a valid host for network schemes', () => {
    for (const v of ['https://router.example.net/v1/chat/completions', 'http://192.0.2.7:8080/x?y=1', 'http://[2001:db8::1]/', 'ftp://files.example/a.zip']) {
      expect(ok('url', v)).toBe(true);
    }
    for (const v of ['router.example.net/v1', 'http://', 'http://exa mple.com/', 'https://-bad-.example/', 'http://1.2.3.999/']) expect(ok('url', v)).toBe(false);
    expect(codeOf('url', 'hxxp://evil.example/payload')).toBe('value-defanged');
    expect(codeOf('url', 'hxxps[:]//evil.example/')).toBe('value-defanged');
    expect(codeOf('url', 'https://evil[.]example/')).toBe('value-defanged');
  });

  it('email addresses', () => {
    for (const v of ['ops@example.com', 'first.last+tag@sub.example.org', 'x@[192.0.2.1]']) expect(ok('email-addr', v)).toBe(true);
    for (const v of ['@example.com', 'ops@', 'a b@example.com', 'ops@exa_mple..com', '.ops@example.com']) expect(ok('email-addr', v)).toBe(false);
    expect(codeOf('email-addr', 'ops[@]example.com')).toBe('value-defanged');
    expect(codeOf('email-addr', 'ops[at]example[.]com')).toBe('value-defanged');
  });

  it('hashes: the length and alphabet of each algorithm', () => {
    expect(ok('file', 'd41d8cd98f00b204e9800998ecf8427e', 'MD5')).toBe(true);
    expect(ok('file', 'd41d8cd98f00b204e9800998ecf8427', 'MD5')).toBe(false);
    expect(ok('file', 'z41d8cd98f00b204e9800998ecf8427e', 'MD5')).toBe(false);
    expect(ok('file', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'SHA-1')).toBe(true);
    expect(ok('file', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'SHA-256')).toBe(true);
    expect(ok('file', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85', 'SHA-256')).toBe(false);
    expect(ok('file', 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e', 'SHA-512')).toBe(true);
    expect(ok('file', '96:Pv0PnSTpxYn:NiRrBt2mNf', 'SSDEEP')).toBe(true);
    expect(ok('file', 'not a fuzzy hash', 'SSDEEP')).toBe(false);
    expect(ok('file', `T1${'A'.repeat(70)}`, 'TLSH')).toBe(true);
    expect(ok('file', 'T1ABC', 'TLSH')).toBe(false);
  });

  it('refang restores the common conventions (only ever applied on request)', () => {
    expect(refang('59.188.12[.]123')).toBe('59.188.12.123');
    expect(refang('hxxps[:]//evil(.)example/a[.]php')).toBe('https://evil.example/a.php');
    expect(refang('ops[at]example[dot]com')).toBe('ops@example.com');
    expect(refang('fxp://files[.]example/')).toBe('ftp://files.example/');
    expect(checkValue('ipv4-addr', 'value', '59.188.12[.]123', undefined, true)).toEqual({ ok: true, value: '59.188.12.123' });
    const still = checkValue('ipv4-addr', 'value', '59.188.12[.]999', undefined, true);
    expect(still.ok).toBe(false);
  });
});

/** One indicator per value kind, each with a good and a defanged or malformed value. */
const FEED = [
  { type: 'identity', spec_version: '2.1', id: 'identity--d0d3b2c5-6c3b-4d5e-9f8a-7b6c5d4e3f2a', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'Hub', identity_class: 'organization' },
  ind('indicator--11111111-1111-4111-8111-111111111111', "[ipv4-addr:value = '59.188.12[.]123' OR ipv4-addr:value = '203.0.113.5']"),
  ind('indicator--22222222-2222-4222-8222-222222222222', "[url:value = 'hxxp://evil.example/payload' OR url:value = 'https://router.example.net/v1']"),
  ind('indicator--33333333-3333-4333-8333-333333333333', "[domain-name:value = 'relay[.]example.org'] OR [domain-name:value = 'relay.example.com']"),
  ind('indicator--44444444-4444-4444-8444-444444444444', "[file:hashes.'SHA-256' = 'abc123'] OR [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
  ind('indicator--55555555-5555-4555-8555-555555555555', "[email-addr:value = 'ops[@]example.com'] OR [ipv6-addr:value = '2001:db8::17']"),
];

function ind(id: string, pattern: string): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    name: id.slice(11, 19), pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', created_by_ref: 'identity--d0d3b2c5-6c3b-4d5e-9f8a-7b6c5d4e3f2a',
  };
}

const GOOD = ['203.0.113.5', 'https://router.example.net/v1', 'relay.example.com', 'd41d8cd98f00b204e9800998ecf8427e', '2001:db8::17'];
const BAD = ['59.188.12[.]123', 'hxxp://evil.example/payload', 'relay[.]example.org', 'abc123', 'ops[@]example.com'];

function convert(to: 'ecs' | 'values' | 'csv' | 'splunk' | 'rows' | 'sentinel', extra: Record<string, unknown> = {}): { text: string; issues: Array<{ code: string; message: string }> } {
  const issues: Array<{ code: string; message: string }> = [];
  const c = new Converter({ to, now: new Date('2026-02-01T00:00:00Z'), onIssue: (i: { code: string; message: string }) => issues.push(i), ...(to === 'values' ? { lists: ['all'] } : {}), ...extra } as never);
  let text = c.begin();
  for (const o of FEED) text += c.write(structuredClone(o));
  return { text: text + c.end(), issues };
}

describe('every converter exports only values that check out', () => {
  for (const to of ['ecs', 'values', 'csv', 'splunk', 'rows'] as const) {
    it(`${to}: good values written, defanged and malformed ones reported with the reason`, () => {
      const { text, issues } = convert(to);
      for (const v of GOOD) expect(text).toContain(v);
      for (const v of BAD) expect(text).not.toContain(v);
      expect(text).not.toContain('59.188.12.123');
      expect(issues.map((i) => i.code).sort()).toEqual(['value-defanged', 'value-defanged', 'value-defanged', 'value-defanged', 'value-malformed']);
      expect(issues.find((i) => i.code === 'value-malformed')?.message).toBe("the SHA-256 hash 'abc123' is not 64 hexadecimal digits");
    });
  }

  it('ecs: the ip field never holds a defanged address (Elasticsearch would refuse the document)', () => {
    const docs = convert('ecs').text.trimEnd().split('\n').map((l) => JSON.parse(l) as { threat: { indicator: { ip?: string } } });
    expect(docs.map((d) => d.threat.indicator.ip).filter((ip) => ip !== undefined).sort()).toEqual(['2001:db8::17', '203.0.113.5']);
  });

  it('with refang (opt-in) defanged values that then check out are exported restored', () => {
    const { text, issues } = convert('values', { refang: true });
    expect(text.split('\n')).toEqual(expect.arrayContaining(['59.188.12.123', 'http://evil.example/payload', 'relay.example.org', 'ops@example.com']));
    expect(issues.map((i) => i.code)).toEqual(['value-malformed']);
  });

  it('sentinel: an indicator with a defanged or malformed value is held back whole and reported', () => {
    const { text, issues } = convert('sentinel');
    const sent = (JSON.parse(text.trim()) as { stixobjects: Array<{ id: string }> }).stixobjects.map((o) => o.id);
    expect(sent).toEqual(['identity--d0d3b2c5-6c3b-4d5e-9f8a-7b6c5d4e3f2a']);
    expect(issues).toHaveLength(5);
  });
});

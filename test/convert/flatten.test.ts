import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConvertContext } from '../../src/convert/context.js';
import { flatten, simpleComparisons, statusOf } from '../../src/convert/flatten.js';
import type { IndicatorRow } from '../../src/convert/row.js';
import { comparisonsOf } from '../../src/pattern/ast.js';
import { parsePattern } from '../../src/pattern/parser.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

function indicator(pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: ID,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-02T00:00:00.000Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

/** The observable part of rows, for tests about patterns. */
function values(pattern: string): Array<Pick<IndicatorRow, 'type' | 'property' | 'value'> & { hash_algo?: string; scope?: Record<string, string> }> {
  return flatten(indicator(pattern), { now: NOW }).rows.map((r) => {
    const out: Record<string, unknown> = { type: r.type, property: r.property, value: r.value };
    if (r.hash_algo !== undefined) out['hash_algo'] = r.hash_algo;
    if (r.scope !== undefined) out['scope'] = r.scope;
    return out as never;
  });
}

function issueCodes(pattern: string, extra: Record<string, unknown> = {}): string[] {
  return flatten(indicator(pattern, extra), { now: NOW }).issues.map((i) => i.code);
}

describe('flatten: what becomes a row', () => {
  it('turns a single equality into one row per supported type', () => {
    expect(values("[ipv4-addr:value = '198.51.100.7']")).toEqual([{ type: 'ipv4-addr', property: 'value', value: '198.51.100.7' }]);
    expect(values("[url:value = 'https://x.example.com/A']")).toEqual([{ type: 'url', property: 'value', value: 'https://x.example.com/A' }]);
    expect(values("[email-addr:value = 'Bot@mailbox.example.com']")).toEqual([
      { type: 'email-addr', property: 'value', value: 'Bot@mailbox.example.com' },
    ]);
    expect(values('[autonomous-system:number = 64500]')).toEqual([{ type: 'autonomous-system', property: 'number', value: '64500' }]);
  });

  it('lower-cases domain names, IPv6 addresses and hex hashes, which compare case-insensitively', () => {
    expect(values("[domain-name:value = 'Relay.Example.COM']")).toEqual([{ type: 'domain-name', property: 'value', value: 'relay.example.com' }]);
    expect(values("[ipv6-addr:value = '2001:DB8::1']")).toEqual([{ type: 'ipv6-addr', property: 'value', value: '2001:db8::1' }]);
    expect(values("[file:hashes.'SHA-256' = 'ABCDEF0123ABCDEF0123ABCDEF0123ABCDEF0123ABCDEF0123ABCDEF0123ABCD']")).toEqual([
      { type: 'file', property: 'hashes.SHA-256', value: 'abcdef0123abcdef0123abcdef0123abcdef0123abcdef0123abcdef0123abcd', hash_algo: 'SHA-256' },
    ]);
    expect(values('[file:hashes.MD5 = \'D41D8CD98F00B204E9800998ECF8427E\']')).toEqual([
      { type: 'file', property: 'hashes.MD5', value: 'd41d8cd98f00b204e9800998ecf8427e', hash_algo: 'MD5' },
    ]);
  });

  it('keeps SSDEEP values as written (not hexadecimal)', () => {
    expect(values("[file:hashes.SSDEEP = '96:ABc/dE:XyZ']")).toEqual([
      { type: 'file', property: 'hashes.SSDEEP', value: '96:ABc/dE:XyZ', hash_algo: 'SSDEEP' },
    ]);
  });

  it('flattens OR chains inside one observation and between observations', () => {
    expect(values("[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'a.example.com']")).toEqual([
      { type: 'ipv4-addr', property: 'value', value: '198.51.100.7' },
      { type: 'domain-name', property: 'value', value: 'a.example.com' },
    ]);
    expect(values("[ipv4-addr:value = '198.51.100.7'] OR [url:value = 'https://b.example.com/']")).toEqual([
      { type: 'ipv4-addr', property: 'value', value: '198.51.100.7' },
      { type: 'url', property: 'value', value: 'https://b.example.com/' },
    ]);
  });

  it('flattens IN sets to one row per member', () => {
    expect(values("[prompt-fingerprint:lsh_bands[*] IN ('b03:5e2a91c0', 'b11:0d7f33aa')]")).toEqual([
      { type: 'prompt-fingerprint', property: 'lsh_bands', value: 'b03:5e2a91c0' },
      { type: 'prompt-fingerprint', property: 'lsh_bands', value: 'b11:0d7f33aa' },
    ]);
  });

  it('flattens ISSUBSET on addresses to the network (what firewalls take)', () => {
    expect(values("[ipv4-addr:value ISSUBSET '203.0.113.0/24']")).toEqual([{ type: 'ipv4-addr', property: 'value', value: '203.0.113.0/24' }]);
  });

  it('flattens the distillation SCO list properties written with [*]', () => {
    expect(values("[ai-service-account:payment_fingerprints[*] = 'hmac-sha256:k:77ab']")).toEqual([
      { type: 'ai-service-account', property: 'payment_fingerprints', value: 'hmac-sha256:k:77ab' },
    ]);
    expect(values("[ai-service-account:api_key_fingerprints[*] = 'hmac-sha256:k:01']")).toEqual([
      { type: 'ai-service-account', property: 'api_key_fingerprints', value: 'hmac-sha256:k:01' },
    ]);
  });

  it('turns the identifying pair of an ai-service-account (either order) into one scoped row', () => {
    const expected = [
      { type: 'ai-service-account', property: 'account_pseudonym', value: 'hmac-sha256:k:9c1e', scope: { provider: 'api.lab-a.example.com' } },
    ];
    expect(values("[ai-service-account:provider = 'api.lab-a.example.com' AND ai-service-account:account_pseudonym = 'hmac-sha256:k:9c1e']")).toEqual(expected);
    expect(values("[ai-service-account:account_pseudonym = 'hmac-sha256:k:9c1e' AND ai-service-account:provider = 'api.lab-a.example.com']")).toEqual(expected);
  });

  it('turns the identifying pair of a prompt-fingerprint into one scoped row', () => {
    expect(values("[prompt-fingerprint:scheme = 'hmac-sha256/norm-v1' AND prompt-fingerprint:value = '3b7e0c']")).toEqual([
      { type: 'prompt-fingerprint', property: 'value', value: '3b7e0c', scope: { scheme: 'hmac-sha256/norm-v1' } },
    ]);
  });
});

describe('flatten: what is reported instead', () => {
  it('reports observations joined by AND or FOLLOWEDBY', () => {
    expect(issueCodes("[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'a.example.com']")).toEqual(['observation-operator']);
    expect(issueCodes("[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [domain-name:value = 'a.example.com']")).toEqual(['observation-operator']);
  });

  it('reports comparisons joined by AND that are not an identifying pair', () => {
    expect(issueCodes("[ipv4-addr:value = '198.51.100.7' AND ipv4-addr:value = '198.51.100.8']")).toEqual(['comparison-and']);
    expect(issueCodes("[ai-service-account:provider = 'p.example.com' AND ai-service-account:account_category = 'trial']")).toEqual(['comparison-and']);
  });

  it('reports qualified observations and groups', () => {
    expect(issueCodes("[ipv4-addr:value = '198.51.100.7'] REPEATS 5 TIMES")).toEqual(['qualifier']);
    expect(issueCodes("([ipv4-addr:value = '198.51.100.7'] OR [ipv4-addr:value = '198.51.100.8']) WITHIN 60 SECONDS")).toEqual(['qualifier']);
  });

  it('reports operators that do not name one value, and negations', () => {
    expect(issueCodes("[domain-name:value LIKE '%.example.com']")).toEqual(['operator']);
    expect(issueCodes("[domain-name:value MATCHES '^a']")).toEqual(['operator']);
    expect(issueCodes("[ipv4-addr:value != '198.51.100.7']")).toEqual(['operator']);
    expect(issueCodes("[ipv4-addr:value NOT = '198.51.100.7']")).toEqual(['operator']);
    expect(issueCodes("[domain-name:value ISSUBSET 'example.com']")).toEqual(['operator']);
  });

  it('reports paths that are not a single observable value', () => {
    expect(issueCodes("[process:name = 'harvest.exe']")).toEqual(['unsupported-path']);
    expect(issueCodes("[network-traffic:dst_ref.value = 'relay.example.com']")).toEqual(['unsupported-path']);
    expect(issueCodes("[ai-service-account:payment_fingerprints[0] = 'x']")).toEqual(['unsupported-path']);
    expect(issueCodes("[ai-service-account:payment_fingerprints = 'x']")).toEqual(['unsupported-path']);
  });

  it('reports constants of the wrong kind', () => {
    expect(issueCodes("[autonomous-system:number = '64500']")).toEqual(['value-kind']);
    expect(issueCodes('[ipv4-addr:value = 3]')).toEqual(['value-kind']);
  });

  it('refuses values with line breaks, which would smuggle entries into value lists', () => {
    const r = flatten(indicator("[domain-name:value = 'evil.example.com\\n0.0.0.0/0']".replace('\\n', '\n')), { now: NOW });
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(['value-kind']);
  });

  it('keeps the sound part of an OR and reports the rest, with the fragment', () => {
    const r = flatten(indicator("[ipv4-addr:value = '198.51.100.7'] OR ([a:b = 1] FOLLOWEDBY [c:d = 2])"), { now: NOW });
    expect(r.rows.map((x) => x.value)).toEqual(['198.51.100.7']);
    expect(r.issues).toEqual([
      {
        code: 'observation-operator',
        stix_id: ID,
        message: 'observations joined by FOLLOWEDBY need several observations together; no single value satisfies them',
        fragment: '[a:b = 1] FOLLOWEDBY [c:d = 2]',
      },
    ]);
  });

  it('reports non-STIX pattern types, unparsable patterns, missing patterns and non-indicators', () => {
    expect(issueCodes('alert tcp any any -> any any', { pattern_type: 'snort' })).toEqual(['pattern-type']);
    expect(issueCodes("[ipv4-addr:value = '198.51.100.7'")).toEqual(['pattern-syntax']);
    expect(flatten({ type: 'indicator', id: ID }).issues.map((i) => i.code)).toEqual(['missing-pattern']);
    expect(flatten({ type: 'campaign', id: 'campaign--1' }).issues).toEqual([
      { code: 'not-an-indicator', stix_id: 'campaign--1', message: "a 'campaign' is not an indicator" },
    ]);
    expect(flatten(null).issues.map((i) => i.code)).toEqual(['not-an-indicator']);
    expect(flatten('x').rows).toEqual([]);
  });
});

describe('flatten: the context on each row', () => {
  it('copies the indicator context into every row', () => {
    const ctx = new ConvertContext({ now: NOW });
    ctx.observe({ type: 'identity', id: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c', name: 'Lab A' });
    const r = flatten(
      indicator("[ipv4-addr:value = '198.51.100.7']", {
        name: 'Proxy exit',
        description: 'Residential proxy',
        confidence: 80,
        valid_until: '2026-12-01T00:00:00Z',
        labels: ['distillation'],
        indicator_types: ['anonymization'],
        created_by_ref: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
        external_references: [{ source_name: 'x', external_id: 'X-1' }, { source_name: 'hub', url: 'https://hub.example.org/r/1' }],
        object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
      }),
      ctx,
    );
    expect(r.rows).toEqual([
      {
        type: 'ipv4-addr',
        property: 'value',
        value: '198.51.100.7',
        stix_id: ID,
        name: 'Proxy exit',
        description: 'Residential proxy',
        confidence: 80,
        tlp: 'AMBER',
        valid_from: '2026-01-01T00:00:00Z',
        valid_until: '2026-12-01T00:00:00Z',
        revoked: false,
        status: 'active',
        labels: ['distillation'],
        indicator_types: ['anonymization'],
        source: 'Lab A',
        created_by_ref: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-02T00:00:00.000Z',
        reference: 'https://hub.example.org/r/1',
      },
    ]);
  });

  it('uses the creator id as source when the identity was not seen, and a given source over both', () => {
    const creator = { created_by_ref: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c' };
    expect(flatten(indicator("[ipv4-addr:value = '198.51.100.7']", creator), { now: NOW }).rows[0]?.source).toBe(
      'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
    );
    expect(flatten(indicator("[ipv4-addr:value = '198.51.100.7']", creator), { now: NOW, source: 'FMF hub' }).rows[0]?.source).toBe('FMF hub');
  });

  it('marks revoked, expired and not-yet-valid indicators', () => {
    const status = (extra: Record<string, unknown>): string | undefined =>
      flatten(indicator("[ipv4-addr:value = '198.51.100.7']", extra), { now: NOW }).rows[0]?.status;
    expect(status({})).toBe('active');
    expect(status({ revoked: true })).toBe('revoked');
    expect(status({ valid_until: '2026-05-31T23:59:59Z' })).toBe('expired');
    expect(status({ valid_until: '2026-06-01T00:00:00Z' })).toBe('expired');
    expect(status({ valid_until: '2026-06-01T00:00:01Z' })).toBe('active');
    expect(status({ valid_from: '2026-07-01T00:00:00Z' })).toBe('not-yet-valid');
    expect(status({ revoked: true, valid_until: '2026-01-05T00:00:00Z' })).toBe('revoked');
  });

  it('statusOf judges against the instant given', () => {
    expect(statusOf(false, undefined, '2026-01-01T00:00:00Z', Date.parse('2025-12-31T00:00:00Z'))).toBe('active');
    expect(statusOf(false, undefined, '2026-01-01T00:00:00Z', Date.parse('2026-01-02T00:00:00Z'))).toBe('expired');
  });

  it('takes the most restrictive TLP marking, TLP 1.0 and 2.0 alike', () => {
    const tlp = (refs: string[], ctx?: ConvertContext): string | undefined =>
      flatten(indicator("[ipv4-addr:value = '198.51.100.7']", { object_marking_refs: refs }), ctx ?? { now: NOW }).rows[0]?.tlp;
    expect(tlp(['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'])).toBe('WHITE');
    expect(tlp(['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'])).toBe('CLEAR');
    expect(tlp(['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'])).toBe('RED');
    expect(tlp(['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'])).toBe(
      'AMBER+STRICT',
    );
    expect(tlp(['marking-definition--0a4a3f4a-4e1b-4e58-9d1a-1e2f9d6f0a11'])).toBeUndefined();
    const ctx = new ConvertContext({ now: NOW });
    ctx.observe({ type: 'marking-definition', id: 'marking-definition--0a4a3f4a-4e1b-4e58-9d1a-1e2f9d6f0a11', definition_type: 'tlp', definition: { tlp: 'green' } });
    expect(tlp(['marking-definition--0a4a3f4a-4e1b-4e58-9d1a-1e2f9d6f0a11'], ctx)).toBe('GREEN');
  });
});

describe('flatten: the fast path agrees with the parser', () => {
  const types = fc.constantFrom(
    ['ipv4-addr', 'value'],
    ['domain-name', 'value'],
    ['url', 'value'],
    ['email-addr', 'value'],
    ['ai-service-account', 'payment_fingerprints[*]'],
    ['ai-service-account', 'account_pseudonym'],
    ['prompt-fingerprint', 'lsh_bands[*]'],
    ['file', "hashes.'SHA-256'"],
    ['file', 'hashes.MD5'],
    ['process', 'name'],
  );
  const value = fc.string({ maxLength: 12 }).filter((s) => !s.includes("'") && !s.includes('\\'));
  it('recognises only what the parser reads the same way', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(types, value), { minLength: 1, maxLength: 4 }), (parts) => {
        const pattern = `[${parts.map(([[t, p], v]) => `${t}:${p} = '${v}'`).join(' OR ')}]`;
        const fast = simpleComparisons(pattern);
        if (fast === undefined) return;
        const parsed = parsePattern(pattern);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok || parsed.ast.kind !== 'observation') throw new Error('expected one observation');
        expect(fast).toEqual(comparisonsOf(parsed.ast.comparison));
      }),
    );
  });

  it('takes the canonical single-bracket OR chains itself', () => {
    expect(simpleComparisons("[ipv4-addr:value = 'a' OR file:hashes.'SHA-256' = 'b']")).toHaveLength(2);
    expect(simpleComparisons("[ai-service-account:payment_fingerprints[*] = 'x']")).toHaveLength(1);
  });

  it('leaves anything unusual to the parser', () => {
    expect(simpleComparisons("[ipv4-addr:value = 'a' AND ipv4-addr:value = 'b']")).toBeUndefined();
    expect(simpleComparisons("[ipv4-addr:value = 'a\\'b']")).toBeUndefined();
    expect(simpleComparisons("[ipv4-addr:value  = 'a']")).toBeUndefined();
    expect(simpleComparisons("[process:name = 'a']")).toBeUndefined();
    expect(simpleComparisons("[ipv4-addr:value = 'a'] OR [ipv4-addr:value = 'b']")).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import { corroborationHtml, corroborationMarkdown, escapeMarkdownCell } from '../../src/match/corroboration-format.js';
import { corroboration } from '../../src/match/corroboration.js';
import { generateSigningKey } from '../../src/provenance/keys.js';
import { signObject } from '../../src/provenance/sign.js';
import { TRUST_STORE_TYPE, TrustStore } from '../../src/provenance/trust-store.js';

const A = 'identity--0a000000-0000-4000-8000-000000000001';
const B = 'identity--0b000000-0000-4000-8000-000000000002';
const C = 'identity--0c000000-0000-4000-8000-000000000003';
const IND = 'indicator--1a000000-0000-4000-8000-000000000001';
const CAMP = 'campaign--2a000000-0000-4000-8000-000000000001';
const T = '2026-03-21T00:00:00.000Z';

const identity = (id: string, name: string) => ({ type: 'identity', spec_version: '2.1', id, created: T, modified: T, name, identity_class: 'organization' });
const sighting = (n: number, lab: string, over: Record<string, unknown> = {}) => ({
  type: 'sighting',
  spec_version: '2.1',
  id: `sighting--3a000000-0000-4000-8000-00000000000${n}`,
  created: T,
  modified: T,
  created_by_ref: lab,
  sighting_of_ref: IND,
  where_sighted_refs: [lab],
  count: 10 * n,
  first_seen: `2026-03-0${n}T00:00:00.000Z`,
  last_seen: `2026-03-1${n}T00:00:00.000Z`,
  extensions: { 'extension-definition--7ed6ef86-6e1e-4c9b-9c53-0b5f3b1d2e58': { extension_type: 'property-extension' } },
  ...over,
});

const base = [
  identity(A, 'Lab A'),
  identity(B, 'Lab <B> | "Beta"'),
  identity(C, 'Lab C'),
  { type: 'indicator', spec_version: '2.1', id: IND, created: T, modified: T, created_by_ref: A, name: 'Relay R-12', pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: T },
  { type: 'campaign', spec_version: '2.1', id: CAMP, created: T, modified: T, created_by_ref: A, name: 'DISTILL-2026-014', confidence: 60 },
  { type: 'relationship', spec_version: '2.1', id: 'relationship--4a000000-0000-4000-8000-000000000001', created: T, modified: T, relationship_type: 'indicates', source_ref: IND, target_ref: CAMP },
];

describe('corroboration', () => {
  const objects = [
    ...base,
    sighting(1, A), // the producer's own: not independent
    sighting(2, B),
    sighting(3, B, { modified: '2026-03-20T00:00:00.000Z', count: 1 }), // an older version of sighting 3 below
    sighting(3, B),
    sighting(4, C, { confidence: 80 }),
  ];

  it('counts distinct independent labs, totals and the span, and raises confidence per independent lab', () => {
    const report = corroboration(objects, { generated: T });
    const ind = report.rows.find((r) => r.object === IND)!;
    expect(ind).toMatchObject({
      type: 'indicator',
      name: 'Relay R-12',
      producer: A,
      labs: [A, B, C],
      independentLabs: [B, C],
      sightings: 4,
      totalCount: 10 + 20 + 30 + 40,
      firstSeen: '2026-03-01T00:00:00.000Z',
      lastSeen: '2026-03-14T00:00:00.000Z',
      baseConfidence: 50,
      // doubt 50 × (1 - 0.5) for B × (1 - 0.5 × 0.8) for C = 15
      confidence: 85,
    });
    // The campaign collects its indicator's sightings: base 60, doubt 40 × 0.5 × 0.6 = 12.
    const camp = report.rows.find((r) => r.object === CAMP)!;
    expect(camp).toMatchObject({ independentLabs: [B, C], totalCount: 100, baseConfidence: 60, confidence: 88, via: [IND] });
    expect(report.verified).toBe(false);
  });

  it('with a trust store, counts only sightings signed by their author', () => {
    const keyB = generateSigningKey();
    const keyC = generateSigningKey();
    const trust = TrustStore.fromDocument({
      type: TRUST_STORE_TYPE,
      version: 1,
      identities: [
        { identity: B, keys: [{ algorithm: 'Ed25519', public_key: keyB.publicKeyText }] },
        { identity: C, keys: [{ algorithm: 'Ed25519', public_key: keyC.publicKeyText }] },
      ],
    });
    const signedB = signObject(sighting(2, B), keyB, { identity: B, created: T });
    // C's sighting signed with B's key under C's name: not C's signature.
    const forged = signObject(sighting(4, C, { confidence: 80 }), keyB, { identity: C, created: T });
    const report = corroboration([...base, signedB, forged, sighting(5, C)], { trust, now: new Date('2026-03-22T00:00:00Z') });
    const ind = report.rows.find((r) => r.object === IND)!;
    expect(ind.independentLabs).toEqual([B]);
    expect(ind.unverifiedLabs).toEqual([C]);
    expect(ind.confidence).toBe(75);
    expect(report.verified).toBe(true);
  });

  it('renders tables that rivals’ strings cannot break out of', () => {
    const report = corroboration(objects, { generated: T });
    const html = corroborationHtml(report);
    expect(html).toContain('Lab &lt;B&gt; | &quot;Beta&quot;');
    expect(html).not.toContain('<B>');
    expect(html).toContain("Content-Security-Policy");
    const md = corroborationMarkdown(report);
    expect(md).toContain('Lab \\<B\\> \\| "Beta"');
    const row = md.split('\n').find((l) => l.includes('Relay R\\-12'))!;
    // 10 columns: 11 unescaped pipes.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(12);
    expect(escapeMarkdownCell('a\n[x](javascript:alert(1))')).toBe('a \\[x\\]\\(javascript:alert\\(1\\)\\)');
  });
});

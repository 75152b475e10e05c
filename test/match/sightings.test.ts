import { describe, expect, it } from '@jest/globals';
import { auditShare, DEMO_KEY, organizationIdentity, REQUEST_VOLUME_STATS_EXTENSION_ID, strictDiagnostics } from '../../src/distillation/index.js';
import { hydraProxyClusterPackage } from '../../src/distillation/scenarios/hydra-proxy-cluster.js';
import { matchTelemetry } from '../../src/match/match-telemetry.js';
import { isoDuration } from '../../src/match/sightings.js';
import { generateSigningKey } from '../../src/provenance/keys.js';
import { verifyObject } from '../../src/provenance/verify.js';
import type { Bundle } from '../../src/stix/types/index.js';
import type { TelemetryRecord } from '../../src/telemetry/record.js';

const hydra = hydraProxyClusterPackage();
const labB = organizationIdentity({ name: 'Lab B' }, { id: 'identity--8a4f3b2c-1d0e-4f5a-9b8c-7d6e5f4a3b2c', created: '2026-03-01T00:00:00.000Z' });
const t0 = Date.parse('2026-03-20T12:00:00Z');
const rec = (account: string, ip: string, minute: number, model = 'orion-4'): TelemetryRecord => ({
  timestamp: t0 + minute * 60_000,
  account_id: account,
  client_ip: ip,
  model,
  input_tokens: 100,
  output_tokens: 200,
});

// Six accounts behind the shared relay range (7 requests, 2 in the busiest minute), two behind the lone relay address.
const records: TelemetryRecord[] = [
  rec('acct-b-101', '198.51.100.3', 0),
  rec('acct-b-101', '198.51.100.3', 0, 'orion-3'),
  rec('acct-b-102', '198.51.100.4', 5),
  rec('acct-b-103', '198.51.100.5', 10),
  rec('acct-b-104', '198.51.100.6', 20),
  rec('acct-b-105', '198.51.100.7', 30),
  rec('acct-b-106', '198.51.100.8', 90),
  rec('acct-b-201', '203.0.113.40', 0),
  rec('acct-b-202', '203.0.113.40', 1),
  rec('acct-b-999', '192.0.2.1', 3),
];

describe('sightings of a match run', () => {
  const run = (extra: Record<string, unknown> = {}) =>
    matchTelemetry({ intel: hydra.bundle, keys: [DEMO_KEY], telemetry: records, identity: labB, created: '2026-03-21T00:00:00.000Z', ...extra });

  it('sights the peer indicator with counts, span and the request-volume extension, from the lab identity', async () => {
    const { sightings } = await run();
    expect(sightings.sightings).toHaveLength(1);
    const s = sightings.sightings[0]!;
    expect(s).toMatchObject({
      sighting_of_ref: hydra.indicators[0]!.id,
      where_sighted_refs: [labB.id],
      created_by_ref: labB.id,
      count: 7,
      first_seen: '2026-03-20T12:00:00.000Z',
      last_seen: '2026-03-20T13:30:00.000Z',
    });
    expect((s.extensions as Record<string, unknown>)[REQUEST_VOLUME_STATS_EXTENSION_ID]).toEqual({
      extension_type: 'property-extension',
      aggregation_interval: 'PT1H30M',
      request_count: 7,
      account_count: 6,
      distinct_ip_count: 6,
      distinct_asn_count: 0,
      input_tokens: 700,
      output_tokens: 1400,
      peak_requests_per_minute: 2,
      model_mix: { 'orion-4': 0.857, 'orion-3': 0.143 },
    });
  });

  it('withholds targets seen on fewer accounts than --min-accounts, and says so', async () => {
    const { sightings } = await run();
    expect(sightings.withheld).toEqual([
      { sightingOf: hydra.infrastructure[0]!.id, objects: [expect.stringMatching(/^ipv4-addr--/)], accounts: 2, reason: '2 account(s), below the minimum of 5' },
    ]);
    const lowered = await run({ minAccounts: 2 });
    expect(lowered.sightings.sightings.map((s) => s.sighting_of_ref).sort()).toEqual([hydra.indicators[0]!.id, hydra.infrastructure[0]!.id].sort());
  });

  it('shares nothing raw: strict-valid, clean under auditShare, no account id or customer address in the bundle', async () => {
    const { sightings } = await run({ minAccounts: 1 });
    const text = JSON.stringify(sightings.bundle);
    for (const r of records) {
      expect(text.includes(r.account_id)).toBe(false);
      expect(text.includes(r.client_ip)).toBe(false);
    }
    expect(auditShare(sightings.bundle).problems).toEqual([]);
    expect(strictDiagnostics(sightings.bundle as Bundle)).toEqual([]);
  });

  it('signs each sighting as the lab when a signing key is given', async () => {
    const key = generateSigningKey();
    const { sightings } = await run({ signingKey: key });
    const s = sightings.sightings[0]!;
    const verdict = verifyObject(s as never);
    expect(verdict).toMatchObject({ valid: true, signer: labB.id, keyId: key.keyId });
    const tampered = { ...s, count: 8 };
    expect(verifyObject(tampered as never).valid).toBe(false);
    expect((sightings.bundle.objects ?? []).some((o) => o.type === 'extension-definition' && o.id === 'extension-definition--b4b19ebf-f78c-4f16-bfaa-897e49e797ef')).toBe(true);
  });

  it('keeps the same sighting id when the same logs are matched again', async () => {
    const a = await run();
    const b = await run({ created: '2026-03-22T00:00:00.000Z' });
    expect(b.sightings.sightings[0]!.id).toBe(a.sightings.sightings[0]!.id);
  });

  it('reports the raw accounts to the lab only', async () => {
    const { report } = await run();
    const m = report.matches.find((x) => x.object === hydra.indicators[0]!.id)!;
    expect(m.accounts).toEqual([
      { account_id: 'acct-b-101', requests: 2 },
      ...['acct-b-102', 'acct-b-103', 'acct-b-104', 'acct-b-105', 'acct-b-106'].map((account_id) => ({ account_id, requests: 1 })),
    ]);
    expect(m.sighting).toBe(report.sightings[0]!.id);
    const lone = report.matches.find((x) => x.type === 'ipv4-addr')!;
    expect(lone.withheld).toBe('2 account(s), below the minimum of 5');
    expect(report.sightings).toEqual([{ id: m.sighting, sighting_of_ref: hydra.indicators[0]!.id, count: 7, account_count: 6 }]);
  });

  it('writes ISO 8601 durations', () => {
    expect(isoDuration(0)).toBe('PT1S');
    expect(isoDuration(90 * 60_000)).toBe('PT1H30M');
    expect(isoDuration(86_400_000 + 61_000)).toBe('P1DT1M1S');
    expect(isoDuration(2 * 86_400_000)).toBe('P2D');
  });
});

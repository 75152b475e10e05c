import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { campaignBundle } from '../../src/detect/campaign-bundle.js';
import { CampaignDetector } from '../../src/detect/index.js';
import type { DetectionResult } from '../../src/detect/index.js';
import { auditShare, organizationIdentity, strictDiagnostics } from '../../src/distillation/index.js';
import { recordLine, simulate } from '../../src/simulate/index.js';
import type { GroundTruth } from '../../src/simulate/index.js';
import type { TelemetryRecord } from '../../src/telemetry/index.js';
import { runCli } from '../cli/run-cli.js';

const KEY = { key: 'pipeline-test-key-32-bytes-long!', keyId: 'test-2026' };
const records: TelemetryRecord[] = [];
let truth: GroundTruth;
let result: DetectionResult;

beforeAll(() => {
  const sim = simulate({ seed: 'pipeline', requests: 120_000, days: 8 });
  const detector = new CampaignDetector({ key: KEY });
  for (const batch of sim.batches()) {
    records.push(...batch);
    detector.addAll(batch);
  }
  truth = sim.truth;
  result = detector.finish();
}, 120_000);

/** Every 5-word run of `text` (how the privacy check looks for prompt text inside shared strings). */
function shingles(text: string): string[] {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  const out: string[] = [];
  for (let i = 0; i + 5 <= words.length; i++) out.push(words.slice(i, i + 5).join(' '));
  return out;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Fails on any raw identifier or prompt text of the input inside `shared`. */
function expectNothingRaw(shared: unknown): void {
  const text = JSON.stringify(shared);
  const values = strings(shared);
  const infra = new Set(truth.campaigns.flatMap((c) => c.infrastructure_ips));
  const raw = { accounts: new Set<string>(), orgs: new Set<string>(), payments: new Set<string>(), ips: new Set<string>(), agents: new Set<string>() };
  for (const r of records) {
    raw.accounts.add(r.account_id);
    if (r.org_id !== undefined) raw.orgs.add(r.org_id);
    if (r.payment_fingerprint !== undefined) raw.payments.add(r.payment_fingerprint);
    if (!infra.has(r.client_ip)) raw.ips.add(r.client_ip);
  }
  // Identifiers: every token of an identifier's shape in the shared text is checked against the input's values.
  const tokens = text.match(/acct_[0-9a-f]+|org_[0-9a-f]+|pm_[0-9a-f]+|\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [];
  for (const t of tokens) {
    expect(raw.accounts.has(t)).toBe(false);
    expect(raw.orgs.has(t)).toBe(false);
    expect(raw.payments.has(t)).toBe(false);
    expect(raw.ips.has(t)).toBe(false);
  }
  for (const id of [...raw.accounts].slice(0, 200)) expect(text.includes(id)).toBe(false);
  // Prompts: no 5-word run of any prompt appears in any shared string.
  const sharedRuns = new Set(values.flatMap(shingles));
  let leaked = 0;
  for (const r of records) if (r.prompt !== undefined) for (const s of shingles(r.prompt)) if (sharedRuns.has(s)) leaked++;
  expect(leaked).toBe(0);
}

describe('detection on simulated telemetry', () => {
  it('finds at least 95% of every archetype and flags at most 0.5% of benign accounts', () => {
    const found = new Set(result.campaigns.flatMap((c) => c.accounts));
    for (const c of truth.campaigns) {
      const share = c.accounts.filter((a) => found.has(a)).length / c.accounts.length;
      expect([c.archetype, share >= 0.95]).toEqual([c.archetype, true]);
    }
    const planted = new Set(truth.campaigns.flatMap((c) => c.accounts));
    const benignFlagged = [...found].filter((a) => !planted.has(a));
    expect(benignFlagged.length / truth.benign.accounts).toBeLessThanOrEqual(0.005);
    // Hard negatives: the enterprise batch job and the research group are in no campaign.
    for (const h of truth.benign.hard_negatives) expect(h.accounts.filter((a) => found.has(a))).toEqual([]);
  });

  it('reports each campaign with its signals, volumes and time span', () => {
    const hydra = truth.campaigns.find((c) => c.archetype === 'hydra-proxy');
    const campaign = result.campaigns.find((c) => c.accounts.includes(hydra?.accounts[0] as string));
    expect(campaign?.signals.map((s) => s.name)).toEqual(expect.arrayContaining(['shared-ip', 'template-reuse']));
    expect(new Set(campaign?.shared_ips)).toEqual(new Set(campaign?.shared_ips.filter((ip) => hydra?.infrastructure_ips.includes(ip))));
    const mine = records.filter((r) => campaign?.accounts.includes(r.account_id));
    expect(campaign?.requests).toBe(mine.length);
    expect(campaign?.tokens.input).toBe(mine.reduce((n, r) => n + r.input_tokens, 0));
    expect(campaign?.first_seen).toBe(new Date(Math.min(...mine.map((r) => r.timestamp))).toISOString());
    expect(campaign?.last_seen).toBe(new Date(Math.max(...mine.map((r) => r.timestamp))).toISOString());
  });

  it('shares a strict-valid bundle, clean under the share audit, with no raw identifier or prompt', () => {
    const producer = organizationIdentity({ name: 'Lab A' }, { id: 'identity--0c7a4d35-8f2b-4f4e-9d8e-1f0c2b3a4d5e', created: '2026-03-20T00:00:00.000Z' });
    const bundle = campaignBundle(result, { producer, provider: 'api.lab-a.example.com', key: KEY, created: '2026-03-20T00:00:00.000Z', idSeed: 'pipeline' });
    expect(strictDiagnostics(bundle)).toEqual([]);
    expect(auditShare(bundle).problems).toEqual([]);
    const objects = bundle.objects as unknown as Array<Record<string, unknown>>;
    expect(objects.filter((o) => o['type'] === 'campaign').length).toBe(result.campaigns.length);
    expect(objects.filter((o) => o['type'] === 'ai-service-account').length).toBe(result.stats.campaign_accounts);
    // Each campaign's accounts are its sighting's observed data, so consumers see which accounts belong to which campaign.
    const byId = new Map(objects.map((o) => [o['id'] as string, o]));
    for (const campaign of objects.filter((o) => o['type'] === 'campaign')) {
      const sighting = objects.find((o) => o['type'] === 'sighting' && o['sighting_of_ref'] === campaign['id']) as Record<string, unknown>;
      const observed = byId.get((sighting['observed_data_refs'] as string[])[0] as string) as Record<string, unknown>;
      const refs = observed['object_refs'] as string[];
      const declared = (campaign['extensions'] as Record<string, Record<string, unknown>>)['extension-definition--48a7a035-6297-4e34-ba0a-92242e6127a9']?.['account_count'];
      expect(refs.length).toBe(declared);
      expect(refs.every((r) => byId.get(r)?.['type'] === 'ai-service-account')).toBe(true);
    }
    expect(objects.some((o) => o['type'] === 'prompt-fingerprint')).toBe(true);
    // Every indicator says which campaign it indicates: a peer matching a template band or a payment pseudonym must
    // reach the campaign through an `indicates` relationship, or its sighting corroborates nothing.
    const indicators = objects.filter((o) => o['type'] === 'indicator');
    expect(indicators.some((i) => String(i['pattern']).includes('prompt-fingerprint:lsh_bands'))).toBe(true);
    expect(indicators.some((i) => String(i['pattern']).includes('payment_fingerprints'))).toBe(true);
    for (const ind of indicators) {
      const targets = objects
        .filter((o) => o['type'] === 'relationship' && o['relationship_type'] === 'indicates' && o['source_ref'] === ind['id'])
        .map((r) => byId.get(r['target_ref'] as string)?.['type']);
      expect([ind['name'], targets]).toEqual([ind['name'], expect.arrayContaining(['campaign'])]);
    }
    expectNothingRaw(bundle);
  });

  it('runs as `distill-intel detect` on gzipped JSON Lines: report for the lab, bundle to share', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'di-detect-'));
    writeFileSync(join(dir, 'requests.jsonl.gz'), gzipSync(records.map(recordLine).join('\n') + '\n{"not": "a request"}\n'));
    writeFileSync(join(dir, 'key.txt'), KEY.key + '\n');
    const r = await runCli(
      ['detect', '--key', `${KEY.keyId}:file:key.txt`, '--lab', 'Lab A', '--provider', 'api.lab-a.example.com', '--report', 'report.json', '--out', 'bundle.json', 'requests.jsonl.gz'],
      '',
      dir,
    );
    expect(r.stderr).toContain(`requests.jsonl.gz:${records.length + 1}: timestamp: missing`);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { campaigns: Array<{ accounts: string[] }>; stats: { requests: number; bad_lines: number } };
    expect(report.stats).toMatchObject({ requests: records.length, bad_lines: 1 });
    expect(report.campaigns.map((c) => c.accounts)).toEqual(result.campaigns.map((c) => c.accounts));
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as unknown;
    expect(auditShare(bundle as never).problems).toEqual([]);
    expectNothingRaw(bundle);
    expect(r.stderr).toContain(`detected: ${result.campaigns.length} campaigns`);
  }, 120_000);

  it('refuses to share without a provider', async () => {
    const r = await runCli(['detect', '--key', `${KEY.keyId}:${KEY.key}`, '--lab', 'Lab A', '-'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--provider');
  });
});

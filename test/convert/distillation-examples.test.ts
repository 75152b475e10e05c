import { describe, expect, it } from '@jest/globals';
import '../../src/pattern/index.js';
import { exampleBundles } from '../../src/distillation/index.js';
import { Converter } from '../../src/convert/converter.js';
import type { ConverterOptions, ConvertIssue } from '../../src/convert/converter.js';

/**
 * The renderers on the distillation suite's own example bundles (scenarios S1-S5), against output written by hand
 * from the patterns in those bundles and the target formats' rules, judged on 2026-04-30: the S1 relay indicator
 * expired on 2026-04-03 (valid_until), the S2 and S4 indicators are valid.
 */

const NOW = new Date('2026-04-30T00:00:00Z');
const HYDRA = 'indicator--f48f2813-a70d-4ef9-b5aa-8a2ea353b106';
const COT = 'indicator--fe2edd56-32e0-4dab-a626-eba2c7b1467a';
const SIGNUP = 'indicator--0cde327f-ff7f-481b-b659-7581df15dcc4';
/**
 * The S2 indicator's two bands (3 and 11 of the template's fingerprint). They are keyed values the scenario computes,
 * so they are read from the fingerprint object in the bundle rather than written here.
 */
const [BAND_3, BAND_11] = ((): string[] => {
  const fps = Object.values(exampleBundles())
    .flatMap((b) => b.objects ?? [])
    .filter((o) => o.type === 'prompt-fingerprint') as unknown as Array<{ lsh_bands: string[] }>;
  if (fps.length !== 1) throw new Error(`expected one prompt-fingerprint in the examples, found ${fps.length}`);
  return [fps[0]!.lsh_bands[3]!, fps[0]!.lsh_bands[11]!];
})();
const PAYMENT = 'hmac-sha256:fmf-2026q2:7b4f2743880fc6261e61adfc1710e9432c4f1d433231246946903369c1568463';

function convertAll(options: Omit<ConverterOptions, 'onIssue' | 'now'>): { text: string; issues: ConvertIssue[]; converter: Converter } {
  const issues: ConvertIssue[] = [];
  const converter = new Converter({ ...options, now: NOW, onIssue: (i) => issues.push(i) });
  let text = converter.begin();
  for (const bundle of Object.values(exampleBundles())) {
    for (const obj of bundle.objects ?? []) text += converter.write(obj as unknown as Record<string, unknown>);
  }
  text += converter.end();
  return { text, issues, converter };
}

const lines = (text: string): Array<Record<string, unknown>> =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('distillation example bundles', () => {
  it('flatten every example indicator without issues', () => {
    const { issues, converter } = convertAll({ to: 'rows' });
    expect(issues).toEqual([]);
    expect(converter.summary).toMatchObject({ indicators: 3, rows: 5, inactive: 2 });
  });

  it('ECS: the network range stays out of threat.indicator.ip; fingerprints are in distill_intel.observable', () => {
    const docs = lines(convertAll({ to: 'ecs', feedName: 'FMF hub' }).text);
    expect(docs).toHaveLength(5);
    expect(docs[0]).toEqual({
      '@timestamp': '2026-03-20T09:00:00.000Z',
      event: { kind: 'enrichment', category: ['threat'], type: ['indicator'] },
      threat: {
        feed: { name: 'FMF hub' },
        indicator: {
          type: 'ipv4-addr',
          name: 'Relay R-12 egress and relay domain',
          description:
            'Network observables of Relay R-12, infrastructure of distillation campaign DISTILL-2026-014. Proxy addresses churn and may belong to bystanders: match, do not block on sight.',
          confidence: 'Not Specified',
          first_seen: '2026-03-20T09:00:00.000Z',
          last_seen: '2026-03-20T09:00:00.000Z',
          modified_at: '2026-03-20T09:00:00.000Z',
          marking: { tlp: 'AMBER' },
          provider: 'Lab A',
        },
      },
      stix: {
        id: HYDRA,
        type: 'indicator',
        created: '2026-03-20T09:00:00.000Z',
        modified: '2026-03-20T09:00:00.000Z',
        valid_from: '2026-03-20T09:00:00.000Z',
        valid_until: '2026-04-03T09:00:00.000Z',
        revoked: false,
        indicator_types: ['anonymization'],
        created_by_ref: 'identity--85b7211b-6c9d-4b11-92c2-db778aa71060',
      },
      distill_intel: { status: 'expired', observable: { type: 'ipv4-addr', property: 'value', value: '198.51.100.0/25' } },
    });
    expect(docs[1]).toMatchObject({
      threat: { indicator: { type: 'domain-name', url: { domain: 'relay.example.com' }, provider: 'Lab A' } },
      distill_intel: { status: 'expired' },
    });
    expect(docs.slice(2, 4).map((d) => d['distill_intel'])).toEqual([
      { status: 'active', observable: { type: 'prompt-fingerprint', property: 'lsh_bands', value: BAND_3 } },
      { status: 'active', observable: { type: 'prompt-fingerprint', property: 'lsh_bands', value: BAND_11 } },
    ]);
    expect(docs[4]).toMatchObject({
      threat: { indicator: { type: 'ai-service-account', marking: { tlp: 'AMBER+STRICT' }, provider: 'Lab C' } },
      stix: { id: SIGNUP },
      distill_intel: { status: 'active', observable: { type: 'ai-service-account', property: 'payment_fingerprints', value: PAYMENT } },
    });
    expect((docs[2] as { stix: { id: string } }).stix.id).toBe(COT);
  });

  it('Sentinel: the example objects the upload API takes, at most 100 a request', () => {
    const { text, converter } = convertAll({ to: 'sentinel' });
    const batches = lines(text) as Array<{ stixobjects: Array<{ type: string }> }>;
    const types = new Set(batches.flatMap((b) => b.stixobjects.map((o) => o.type)));
    expect([...types].sort()).toEqual(['attack-pattern', 'identity', 'indicator', 'relationship', 'threat-actor']);
    expect(batches.every((b) => b.stixobjects.length <= 100)).toBe(true);
    expect(converter.summary.skipped['sentinel-type:ai-service-account']).toBe(60);
  });

  it('Splunk: the relay network and domain go to ip_intel, disabled since expired; fingerprints have no ES collection', () => {
    const { text, converter } = convertAll({ to: 'splunk' });
    expect(lines(text)).toEqual([
      {
        collection: 'ip_intel',
        ip: '198.51.100.0/25',
        description: 'Relay R-12 egress and relay domain',
        threat_key: HYDRA,
        weight: 60,
        time: Date.UTC(2026, 2, 20, 9) / 1000,
        disabled: true,
        stix_status: 'expired',
        tlp: 'AMBER',
        source: 'Lab A',
        valid_until: '2026-04-03T09:00:00.000Z',
      },
      {
        collection: 'ip_intel',
        domain: 'relay.example.com',
        description: 'Relay R-12 egress and relay domain',
        threat_key: HYDRA,
        weight: 60,
        time: Date.UTC(2026, 2, 20, 9) / 1000,
        disabled: true,
        stix_status: 'expired',
        tlp: 'AMBER',
        source: 'Lab A',
        valid_until: '2026-04-03T09:00:00.000Z',
      },
    ]);
    expect(converter.summary.skipped).toMatchObject({
      'splunk-no-collection:prompt-fingerprint.lsh_bands': 2,
      'splunk-no-collection:ai-service-account.payment_fingerprints': 1,
    });
  });

  it('CSV and value lists: expired relay values are marked in CSV and left out of lists', () => {
    const csv = convertAll({ to: 'csv', columns: ['type', 'value', 'status', 'tlp', 'source'] }).text;
    expect(csv).toBe(
      [
        'type,value,status,tlp,source',
        'ipv4-addr,198.51.100.0/25,expired,AMBER,Lab A',
        'domain-name,relay.example.com,expired,AMBER,Lab A',
        `prompt-fingerprint,${BAND_3},active,AMBER,Lab A`,
        `prompt-fingerprint,${BAND_11},active,AMBER,Lab A`,
        `ai-service-account,${PAYMENT},active,AMBER+STRICT,Lab C`,
        '',
      ].join('\r\n'),
    );
    expect(convertAll({ to: 'values', lists: ['ip', 'domain-name'] }).text).toBe('');
    expect(convertAll({ to: 'values', lists: ['prompt-fingerprint.lsh_bands'] }).text).toBe(`${BAND_3}\n${BAND_11}\n`);
    expect(convertAll({ to: 'values', lists: ['ai-service-account.payment_fingerprints'] }).text).toBe(`${PAYMENT}\n`);
  });
});

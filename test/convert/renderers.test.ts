import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Converter, convert } from '../../src/convert/converter.js';
import type { ConverterOptions, ConvertIssue } from '../../src/convert/converter.js';

/**
 * Each renderer against output written by hand from the target format's documentation, for the hand-made
 * distillation feed in fixtures/distillation-feed.json (scenarios S1, S2 and S4 of the domain notes), judged at
 * 2026-06-01T00:00:00Z.
 */

const FEED = readFileSync(new URL('./fixtures/distillation-feed.json', import.meta.url), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');

const LAB = 'identity--467d0921-946b-4b2f-a966-e379c2a990ca';
const PROXY = 'indicator--4bebdd0c-0f6a-486f-9cc1-37ba5b3389dc';
const RELAY = 'indicator--cd009267-87ac-459b-b5b5-16f8ea112206';
const ASN = 'indicator--9ad924d0-0e74-465b-8de3-8ffef518b9d2';
const BANDS = 'indicator--6ef01fb5-f8f7-4d3a-8492-d4582aab824a';
const PAYMENT = 'indicator--d0d29be2-e242-4cbb-8c2f-3f7e90680e6d';
const ACCOUNT = 'indicator--a01c2015-f0f0-4498-a78e-40996c3e30ee';
const ROUTER = 'indicator--3d2c6ee5-358d-42db-8136-f415ec4c934e';
const SHORT = 'indicator--32adb597-5100-4dde-89c8-52f70e4715ef';
const BURST = 'indicator--fccbc230-6fbc-4b97-8af6-1d01965b284f';
const BINARY = 'indicator--79b6a900-5d25-4a53-a221-d9637a3e686d';
const SIGMA = 'indicator--9d54839e-2663-45d8-ae91-d453b93e33bd';
const SHA = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';

async function run(options: Omit<ConverterOptions, 'onIssue'>): Promise<{ text: string; issues: ConvertIssue[] }> {
  const issues: ConvertIssue[] = [];
  let text = '';
  // Cut the input in uneven pieces, as a socket would.
  const pieces = [FEED.slice(0, 777), FEED.slice(777, 4000), FEED.slice(4000)];
  for await (const chunk of convert(pieces, { now: NOW, ...options, onIssue: (i) => issues.push(i) })) text += chunk;
  return { text, issues };
}

const lines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

const EVENT = { kind: 'enrichment', category: ['threat'], type: ['indicator'] };
const FEED_NAME = { name: 'FMF hub' };

describe('every renderer: what cannot be flattened is reported, not dropped', () => {
  it('reports the REPEATS pattern and the sigma pattern with their reasons', async () => {
    const { issues } = await run({ to: 'rows' });
    expect(issues.map((i) => [i.stix_id, i.code, i.record])).toEqual([
      [BURST, 'qualifier', 9],
      [SIGMA, 'pattern-type', 11],
    ]);
    expect(issues[1]?.message).toBe("pattern_type \"sigma\" is not a STIX pattern; only pattern_type 'stix' is flattened");
  });
});

describe('ECS renderer', () => {
  it('writes one threat.indicator document per value, with the field indicator-match rules read', async () => {
    const { text } = await run({ to: 'ecs', feedName: 'FMF hub' });
    const proxyIndicator = {
      name: 'Hydra proxy cluster egress',
      description: 'Residential proxy exits used by DISTILL-2026-014.',
      confidence: 'High',
      first_seen: '2026-04-02T10:00:00Z',
      last_seen: '2026-04-03T10:00:00.000Z',
      modified_at: '2026-04-03T10:00:00.000Z',
      marking: { tlp: 'AMBER' },
      provider: 'Lab A Trust & Safety',
      reference: 'https://hub.example.org/reports/DISTILL-2026-014',
    };
    const proxyStix = {
      id: PROXY,
      type: 'indicator',
      created: '2026-04-02T10:00:00.000Z',
      modified: '2026-04-03T10:00:00.000Z',
      valid_from: '2026-04-02T10:00:00Z',
      valid_until: '2026-10-02T10:00:00Z',
      revoked: false,
      indicator_types: ['anomalous-activity', 'anonymization'],
      created_by_ref: LAB,
    };
    const stixOf = (id: string, created: string, modified: string, validFrom: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id,
      type: 'indicator',
      created,
      modified,
      valid_from: validFrom,
      revoked: false,
      created_by_ref: LAB,
      ...extra,
    });
    const april2 = '2026-04-02T10:00:00.000Z';
    const april6 = '2026-04-06T08:00:00.000Z';
    expect(lines(text)).toEqual([
      {
        '@timestamp': '2026-04-03T10:00:00.000Z',
        event: EVENT,
        threat: { feed: FEED_NAME, indicator: { type: 'ipv4-addr', ip: '203.0.113.17', ...proxyIndicator } },
        tags: ['distillation', 'proxy'],
        stix: proxyStix,
        distill_intel: { status: 'active', observable: { type: 'ipv4-addr', property: 'value', value: '203.0.113.17' } },
      },
      {
        '@timestamp': '2026-04-03T10:00:00.000Z',
        event: EVENT,
        threat: { feed: FEED_NAME, indicator: { type: 'ipv4-addr', ip: '203.0.113.18', ...proxyIndicator } },
        tags: ['distillation', 'proxy'],
        stix: proxyStix,
        distill_intel: { status: 'active', observable: { type: 'ipv4-addr', property: 'value', value: '203.0.113.18' } },
      },
      {
        '@timestamp': april2,
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'domain-name',
            url: { domain: 'relay.example.com' },
            name: 'Hydra relay domain',
            confidence: 'Medium',
            first_seen: '2026-04-02T10:00:00Z',
            last_seen: april2,
            modified_at: april2,
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(RELAY, april2, april2, '2026-04-02T10:00:00Z'),
        distill_intel: { status: 'active', observable: { type: 'domain-name', property: 'value', value: 'relay.example.com' } },
      },
      {
        '@timestamp': april2,
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'autonomous-system',
            as: { number: 64500 },
            name: 'Hydra hosting ASN',
            confidence: 'Not Specified',
            first_seen: '2026-04-02T10:00:00Z',
            last_seen: april2,
            modified_at: april2,
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(ASN, april2, april2, '2026-04-02T10:00:00Z'),
        distill_intel: { status: 'active', observable: { type: 'autonomous-system', property: 'number', value: '64500' } },
      },
      ...['b03:5e2a91c0', 'b11:0d7f33aa'].map((band) => ({
        '@timestamp': '2026-04-05T08:00:00.000Z',
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'prompt-fingerprint',
            name: 'CoT elicitation template bands',
            confidence: 'Medium',
            first_seen: '2026-04-05T08:00:00Z',
            last_seen: '2026-04-05T08:00:00.000Z',
            modified_at: '2026-04-05T08:00:00.000Z',
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(BANDS, '2026-04-05T08:00:00.000Z', '2026-04-05T08:00:00.000Z', '2026-04-05T08:00:00Z'),
        distill_intel: { status: 'active', observable: { type: 'prompt-fingerprint', property: 'lsh_bands', value: band } },
      })),
      {
        '@timestamp': april6,
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'ai-service-account',
            name: 'Shared payment instrument behind programme sign-ups',
            confidence: 'High',
            first_seen: '2026-04-06T08:00:00Z',
            last_seen: april6,
            modified_at: april6,
            marking: { tlp: 'AMBER+STRICT' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(PAYMENT, april6, april6, '2026-04-06T08:00:00Z'),
        distill_intel: {
          status: 'active',
          observable: { type: 'ai-service-account', property: 'payment_fingerprints', value: 'hmac-sha256:fmf-2026q2:77ab41c09e' },
        },
      },
      {
        '@timestamp': april6,
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'ai-service-account',
            name: 'Coordinating account at Lab A',
            confidence: 'Not Specified',
            first_seen: '2026-04-06T08:00:00Z',
            last_seen: april6,
            modified_at: april6,
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(ACCOUNT, april6, april6, '2026-04-06T08:00:00Z'),
        distill_intel: {
          status: 'active',
          observable: {
            type: 'ai-service-account',
            property: 'account_pseudonym',
            value: 'hmac-sha256:fmf-2026q2:9c1e5a7b22',
            scope: { provider: 'api.lab-a.example.com' },
          },
        },
      },
      {
        '@timestamp': '2026-04-20T10:00:00.000Z',
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'url',
            url: { full: 'https://router.example.net/v1/chat/completions', original: 'https://router.example.net/v1/chat/completions' },
            name: 'Obfuscated router endpoint (withdrawn)',
            confidence: 'Not Specified',
            first_seen: '2026-04-02T10:00:00Z',
            last_seen: '2026-04-20T10:00:00.000Z',
            modified_at: '2026-04-20T10:00:00.000Z',
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: { ...stixOf(ROUTER, april2, '2026-04-20T10:00:00.000Z', '2026-04-02T10:00:00Z'), revoked: true },
        distill_intel: { status: 'revoked', observable: { type: 'url', property: 'value', value: 'https://router.example.net/v1/chat/completions' } },
      },
      {
        '@timestamp': april2,
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'ipv6-addr',
            ip: '2001:db8::17',
            name: 'Short-lived proxy exit',
            confidence: 'Not Specified',
            first_seen: '2026-04-02T10:00:00Z',
            last_seen: april2,
            modified_at: april2,
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(SHORT, april2, april2, '2026-04-02T10:00:00Z', { valid_until: '2026-04-09T10:00:00Z' }),
        distill_intel: { status: 'expired', observable: { type: 'ipv6-addr', property: 'value', value: '2001:db8::17' } },
      },
      {
        '@timestamp': april6,
        event: EVENT,
        threat: {
          feed: FEED_NAME,
          indicator: {
            type: 'file',
            file: { hash: { sha256: SHA } },
            name: 'Harvesting client binary',
            confidence: 'Not Specified',
            first_seen: '2026-04-06T08:00:00Z',
            last_seen: april6,
            modified_at: april6,
            marking: { tlp: 'AMBER' },
            provider: 'Lab A Trust & Safety',
          },
        },
        stix: stixOf(BINARY, april6, april6, '2026-04-06T08:00:00Z'),
        distill_intel: { status: 'active', observable: { type: 'file', property: 'hashes.SHA-256', value: SHA, hash_algo: 'SHA-256' } },
      },
    ]);
  });

  it('writes a _bulk body: index actions for active values, delete actions for revoked and expired ones', async () => {
    const { text } = await run({ to: 'ecs', feedName: 'FMF hub', bulkIndex: 'ti-distill' });
    const out = lines(text) as Array<Record<string, unknown>>;
    // _id = SHA-256 of stix_id, type, property and value joined with line feeds (scope entries appended as key=value).
    const id = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex');
    expect(out[0]).toEqual({ index: { _index: 'ti-distill', _id: id(PROXY, 'ipv4-addr', 'value', '203.0.113.17') } });
    expect((out[1] as { stix: { id: string } }).stix.id).toBe(PROXY);
    const actions = out.filter((l) => 'index' in l || 'delete' in l);
    const deletes = out.filter((l) => 'delete' in l);
    expect(actions).toHaveLength(11);
    expect(deletes).toEqual([
      { delete: { _index: 'ti-distill', _id: id(ROUTER, 'url', 'value', 'https://router.example.net/v1/chat/completions') } },
      { delete: { _index: 'ti-distill', _id: id(SHORT, 'ipv6-addr', 'value', '2001:db8::17') } },
    ]);
    expect(out).toContainEqual({
      index: { _index: 'ti-distill', _id: id(ACCOUNT, 'ai-service-account', 'account_pseudonym', 'hmac-sha256:fmf-2026q2:9c1e5a7b22', 'provider=api.lab-a.example.com') },
    });
    // 9 active rows have an action and a document, 2 inactive rows only a delete action.
    expect(out).toHaveLength(9 * 2 + 2);
  });

  it('keeps a network range out of threat.indicator.ip (an ECS ip field holds one address)', async () => {
    const c = new Converter({ to: 'ecs', now: NOW });
    const doc = JSON.parse(
      c.write({
        type: 'indicator',
        id: 'indicator--1a0b8c1e-2b7b-4d0f-8b0a-6a1f1f7e4c11',
        pattern: "[ipv4-addr:value ISSUBSET '203.0.113.0/24']",
        pattern_type: 'stix',
      }),
    ) as { threat: { indicator: Record<string, unknown> }; distill_intel: { observable: { value: string } } };
    expect(doc.threat.indicator).toEqual({ type: 'ipv4-addr', confidence: 'Not Specified' });
    expect(doc.distill_intel.observable.value).toBe('203.0.113.0/24');
  });
});

describe('Sentinel renderer', () => {
  const objects = (JSON.parse(FEED) as { objects: Array<Record<string, unknown>> }).objects;

  it('sends the types the upload API takes, unchanged, revoked and expired indicators included', async () => {
    const { text } = await run({ to: 'sentinel', sourceSystem: 'FMF hub' });
    const expected = objects.filter((o) => ['indicator', 'identity', 'relationship'].includes(o['type'] as string));
    expect(expected).toHaveLength(13);
    expect(lines(text)).toEqual([{ sourcesystem: 'FMF hub', stixobjects: expected }]);
  });

  it('cuts batches at the requested size', async () => {
    const { text } = await run({ to: 'sentinel', batchSize: 5 });
    expect((lines(text) as Array<{ sourcesystem: string; stixobjects: unknown[] }>).map((b) => [b.sourcesystem, b.stixobjects.length])).toEqual([
      ['distill-intel', 5],
      ['distill-intel', 5],
      ['distill-intel', 3],
    ]);
  });

  it('never exceeds the API cap of 100 objects per request', async () => {
    const c = new Converter({ to: 'sentinel' });
    let text = '';
    for (let i = 0; i < 250; i++) text += c.write({ type: 'indicator', id: `indicator--${i}` });
    text += c.end();
    expect((lines(text) as Array<{ stixobjects: unknown[] }>).map((b) => b.stixobjects.length)).toEqual([100, 100, 50]);
    expect(c.summary.written).toBe(3);
  });

  it('refuses batch sizes above the cap and the restricted source-system name', () => {
    expect(() => new Converter({ to: 'sentinel', batchSize: 101 })).toThrow('1 to 100');
    expect(() => new Converter({ to: 'sentinel', batchSize: 0 })).toThrow('1 to 100');
    expect(() => new Converter({ to: 'sentinel', sourceSystem: 'Microsoft Sentinel' })).toThrow("other than 'Microsoft Sentinel'");
    expect(() => new Converter({ to: 'sentinel', batchSize: 100, sourceSystem: 'Lab A' })).not.toThrow();
  });

  it('counts what it leaves out by type', async () => {
    const c = new Converter({ to: 'sentinel' });
    c.write(objects.find((o) => o['type'] === 'campaign') as Record<string, unknown>);
    expect(c.summary.skipped).toEqual({ 'sentinel-type:campaign': 1 });
  });
});

describe('Splunk renderer', () => {
  it('writes ES threat-intel KV rows to the collection of each kind, disabled when not active', async () => {
    const { text } = await run({ to: 'splunk' });
    const common = { source: 'Lab A Trust & Safety' };
    expect(lines(text)).toEqual([
      { collection: 'ip_intel', ip: '203.0.113.17', description: 'Hydra proxy cluster egress', threat_key: PROXY, weight: 80, time: 1775210400, disabled: false, stix_status: 'active', tlp: 'AMBER', valid_until: '2026-10-02T10:00:00Z', ...common },
      { collection: 'ip_intel', ip: '203.0.113.18', description: 'Hydra proxy cluster egress', threat_key: PROXY, weight: 80, time: 1775210400, disabled: false, stix_status: 'active', tlp: 'AMBER', valid_until: '2026-10-02T10:00:00Z', ...common },
      { collection: 'ip_intel', domain: 'relay.example.com', description: 'Hydra relay domain', threat_key: RELAY, weight: 45, time: 1775124000, disabled: false, stix_status: 'active', tlp: 'AMBER', ...common },
      { collection: 'user_intel', user: 'hmac-sha256:fmf-2026q2:9c1e5a7b22', description: 'Coordinating account at Lab A', threat_key: ACCOUNT, weight: 60, time: 1775462400, disabled: false, stix_status: 'active', tlp: 'AMBER', ...common },
      { collection: 'http_intel', url: 'https://router.example.net/v1/chat/completions', description: 'Obfuscated router endpoint (withdrawn)', threat_key: ROUTER, weight: 60, time: 1776679200, disabled: true, stix_status: 'revoked', tlp: 'AMBER', ...common },
      { collection: 'ip_intel', ip: '2001:db8::17', description: 'Short-lived proxy exit', threat_key: SHORT, weight: 60, time: 1775124000, disabled: true, stix_status: 'expired', tlp: 'AMBER', valid_until: '2026-04-09T10:00:00Z', ...common },
      { collection: 'file_intel', file_hash: SHA, description: 'Harvesting client binary', threat_key: BINARY, weight: 60, time: 1775462400, disabled: false, stix_status: 'active', tlp: 'AMBER', ...common },
    ]);
  });

  it('counts the values ES has no collection for', () => {
    const c = new Converter({ to: 'splunk', now: NOW });
    for (const o of (JSON.parse(FEED) as { objects: Array<Record<string, unknown>> }).objects) c.write(o);
    expect(c.summary.skipped).toMatchObject({
      'splunk-no-collection:autonomous-system': 1,
      'splunk-no-collection:prompt-fingerprint.lsh_bands': 2,
      'splunk-no-collection:ai-service-account.payment_fingerprints': 1,
    });
    expect(c.summary.written).toBe(7);
  });
});

describe('CSV renderer', () => {
  it('writes a header and one line per value (chosen columns)', async () => {
    const { text } = await run({ to: 'csv', columns: ['type', 'value', 'stix_id', 'confidence', 'tlp', 'status', 'labels', 'scope'] });
    expect(text).toBe(
      [
        'type,value,stix_id,confidence,tlp,status,labels,scope',
        `ipv4-addr,203.0.113.17,${PROXY},80,AMBER,active,distillation;proxy,`,
        `ipv4-addr,203.0.113.18,${PROXY},80,AMBER,active,distillation;proxy,`,
        `domain-name,relay.example.com,${RELAY},45,AMBER,active,,`,
        `autonomous-system,64500,${ASN},,AMBER,active,,`,
        `prompt-fingerprint,b03:5e2a91c0,${BANDS},60,AMBER,active,,`,
        `prompt-fingerprint,b11:0d7f33aa,${BANDS},60,AMBER,active,,`,
        `ai-service-account,hmac-sha256:fmf-2026q2:77ab41c09e,${PAYMENT},90,AMBER+STRICT,active,,`,
        `ai-service-account,hmac-sha256:fmf-2026q2:9c1e5a7b22,${ACCOUNT},,AMBER,active,,provider=api.lab-a.example.com`,
        `url,https://router.example.net/v1/chat/completions,${ROUTER},,AMBER,revoked,,`,
        `ipv6-addr,2001:db8::17,${SHORT},,AMBER,expired,,`,
        `file,${SHA},${BINARY},,AMBER,active,,`,
        '',
      ].join('\r\n'),
    );
  });

  it('writes every column by default and quotes per RFC 4180', async () => {
    const { text } = await run({ to: 'csv' });
    const [header, first] = text.split('\r\n');
    expect(header).toBe(
      'type,property,value,hash_algo,scope,stix_id,name,description,confidence,tlp,valid_from,valid_until,revoked,status,labels,indicator_types,source,created_by_ref,created,modified,reference',
    );
    expect(first).toBe(
      `ipv4-addr,value,203.0.113.17,,,${PROXY},Hydra proxy cluster egress,Residential proxy exits used by DISTILL-2026-014.,80,AMBER,2026-04-02T10:00:00Z,2026-10-02T10:00:00Z,false,active,distillation;proxy,anomalous-activity;anonymization,Lab A Trust & Safety,${LAB},2026-04-02T10:00:00.000Z,2026-04-03T10:00:00.000Z,https://hub.example.org/reports/DISTILL-2026-014`,
    );
  });

  it('quotes commas, quotes and line breaks, and neutralises spreadsheet formulas', () => {
    const c = new Converter({ to: 'csv', columns: ['value', 'name', 'description'], now: NOW });
    const text =
      c.begin() +
      c.write({
        type: 'indicator',
        id: 'indicator--1a0b8c1e-2b7b-4d0f-8b0a-6a1f1f7e4c11',
        name: '=HYPERLINK("https://evil.example")',
        description: 'line one\nsays "hi", twice',
        pattern: "[domain-name:value = 'a.example.com']",
        pattern_type: 'stix',
      });
    expect(text).toBe('value,name,description\r\na.example.com,"\'=HYPERLINK(""https://evil.example"")","line one\nsays ""hi"", twice"\r\n');
    const raw = new Converter({ to: 'csv', columns: ['name'], guardFormulas: false, header: false, now: NOW });
    expect(raw.write({ type: 'indicator', id: 'indicator--x', name: '@SUM(1)', pattern: "[url:value = 'https://u.example/']", pattern_type: 'stix' })).toBe('@SUM(1)\r\n');
  });

  it('refuses unknown columns', () => {
    expect(() => new Converter({ to: 'csv', columns: ['value', 'colour'] })).toThrow("unknown CSV column 'colour'");
  });
});

describe('value lists', () => {
  it('writes the active values of the chosen lists, one a line', async () => {
    expect((await run({ to: 'values', lists: ['ip'] })).text).toBe('203.0.113.17\n203.0.113.18\n');
    expect((await run({ to: 'values', lists: ['domain-name', 'file.hashes.SHA-256'] })).text).toBe(`relay.example.com\n${SHA}\n`);
    expect((await run({ to: 'values', lists: ['url'] })).text).toBe('');
    expect((await run({ to: 'values', lists: ['ai-service-account.payment_fingerprints'] })).text).toBe('hmac-sha256:fmf-2026q2:77ab41c09e\n');
    expect((await run({ to: 'values', lists: ['ai-service-account.account_pseudonym'] })).text).toBe('hmac-sha256:fmf-2026q2:9c1e5a7b22\n');
    expect((await run({ to: 'values', lists: ['prompt-fingerprint.lsh_bands'] })).text).toBe('b03:5e2a91c0\nb11:0d7f33aa\n');
    expect((await run({ to: 'values', lists: ['autonomous-system'] })).text).toBe('64500\n');
  });

  it('counts the revoked and expired values it leaves out', async () => {
    const c = new Converter({ to: 'values', lists: ['all'], now: NOW });
    let text = '';
    for (const o of (JSON.parse(FEED) as { objects: Array<Record<string, unknown>> }).objects) text += c.write(o);
    expect(text.split('\n').filter((l) => l !== '')).toHaveLength(9);
    expect(c.summary.skipped).toMatchObject({ 'values-revoked': 1, 'values-expired': 1 });
    expect(c.summary.inactive).toBe(2);
  });
});

describe('rows', () => {
  it('counts objects, indicators, rows and issues', async () => {
    const c = new Converter({ to: 'rows', now: NOW });
    for (const o of (JSON.parse(FEED) as { objects: Array<Record<string, unknown>> }).objects) c.write(o);
    expect(c.summary).toMatchObject({ objects: 14, indicators: 11, rows: 11, written: 11, inactive: 2, issues: 2, unreadable: 0 });
  });

  it('refuses an unknown format', () => {
    expect(() => new Converter({ to: 'xml' as never })).toThrow("unknown format 'xml'");
  });
});

import { describe, expect, it } from '@jest/globals';
import { DEMO_KEY, promptFingerprintFromTemplate } from '../../src/distillation/index.js';
import { hydraProxyClusterPackage } from '../../src/distillation/scenarios/hydra-proxy-cluster.js';
import { S4_SHARED_CARD, signupAbuse } from '../../src/distillation/scenarios/signup-abuse.js';
import { indexQuotedLiterals, readIntel } from '../../src/match/intel.js';
import { KeyRing } from '../../src/match/key-ring.js';
import { IntelMatcher } from '../../src/match/matcher.js';
import type { TelemetryRecord } from '../../src/telemetry/record.js';

const TEMPLATE =
  'Reconstruct step by step the complete reasoning behind the answer you gave, list every intermediate inference and every ' +
  'assumption, and grade it against the rubric point by point. Question: "How many primes are below 100?"';

const hydra = hydraProxyClusterPackage();
const signup = signupAbuse();
const fingerprint = promptFingerprintFromTemplate(TEMPLATE, DEMO_KEY, { elicitation_technique: 'reasoning-trace-reconstruction' });
const intelInput = [hydra.bundle, signup, [fingerprint, { type: 'indicator', id: 'indicator--not-valid' }]];

const t0 = Date.parse('2026-03-20T12:00:00Z');
const rec = (over: Partial<TelemetryRecord>): TelemetryRecord => ({
  timestamp: t0,
  account_id: 'b-benign',
  client_ip: '192.0.2.10',
  model: 'orion-4',
  input_tokens: 100,
  output_tokens: 300,
  ...over,
});

describe('readIntel', () => {
  const intel = readIntel(intelInput, { keys: new KeyRing([DEMO_KEY]) });

  it('sets invalid objects aside with the reason and keeps the rest', () => {
    expect(intel.setAside).toEqual([{ id: 'indicator--not-valid', reason: expect.stringMatching(/\S/) }]);
    expect(intel.objectCount).toBe(hydra.bundle.objects!.length + signup.objects!.length + 2);
  });

  it('turns indicators, fingerprints and bare observables into items, each pointing its sightings at an SDO', () => {
    const indicator = intel.items.find((i) => i.objectId === hydra.indicators[0]!.id)!;
    expect(indicator).toMatchObject({ kind: 'indicator', sightingOf: hydra.indicators[0]!.id, campaigns: [hydra.campaign.id], validUntil: Date.parse('2026-04-03T09:00:00.000Z') });
    // 203.0.113.40 and AS64500 are in the infrastructure but not in its indicator: their sightings go to the infrastructure.
    const lone = intel.items.filter((i) => i.kind === 'observable' && (i.objectType === 'ipv4-addr' || i.objectType === 'autonomous-system'));
    const bySighting = new Map(lone.map((i) => [i.pattern, i.sightingOf]));
    expect(bySighting.get("[ipv4-addr:value = '203.0.113.40']")).toBe(hydra.infrastructure[0]!.id);
    expect(bySighting.get('[autonomous-system:number = 64500]')).toBe(hydra.infrastructure[0]!.id);
    // The CIDR block is named by the indicator, which covers it (with its validity period): no second item.
    expect(bySighting.has("[ipv4-addr:value ISSUBSET '198.51.100.0/25']")).toBe(false);
    const fp = intel.items.find((i) => i.kind === 'prompt-fingerprint')!;
    expect(fp.objectId).toBe(fingerprint.id);
  });
});

describe('indexQuotedLiterals', () => {
  it('indexes each quoted literal whole, escapes included, and never a quote inside an escaped one', () => {
    const index = indexQuotedLiterals([
      { id: 'indicator--a', pattern: "[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'it\\'s.example']" },
      { id: 'indicator--b', pattern: "[x-a:v = 'a\\\\'] AND [x-a:w = '198.51.100.7'] AND [x-a:w = '198.51.100.7']" },
      { id: 'indicator--c', pattern: "[file:name = 'unterminated" },
    ]);
    expect(index.get("'198.51.100.7'")).toEqual(['indicator--a', 'indicator--b']);
    expect(index.get("'it\\'s.example'")).toEqual(['indicator--a']);
    // "'s.example'" appears as a substring of the escaped literal but is no literal of its own.
    expect(index.has("'s.example'")).toBe(false);
    expect(index.get("'a\\\\'")).toEqual(['indicator--b']);
    expect([...index.keys()].some((k) => k.includes('unterminated'))).toBe(false);
  });

  it('ties observables to the indicators quoting them in time linear in the package (hostile sizes)', () => {
    // 20,000 indicators and 20,000 observables: the pairwise substring search this replaced took about two minutes
    // here and ran out the test's time; the index reads each pattern once.
    const n = 20_000;
    const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const objects: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const uuid = `6b1f${i.toString(16).padStart(4, '0')}-2c3d-4e5f-8a9b-0c1d2e3f4a5b`;
      objects.push({ type: 'indicator', spec_version: '2.1', id: `indicator--${uuid}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '${ipOf(i)}']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' });
      objects.push({ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid}`, value: ipOf(i) });
    }
    const intel = readIntel({ type: 'bundle', id: 'bundle--6b1f0000-2c3d-4e5f-8a9b-0c1d2e3f4a5b', objects }, { keys: new KeyRing([DEMO_KEY]) });
    const observable = intel.items.find((i) => i.kind === 'observable' && i.objectType === 'ipv4-addr' && i.pattern === `[ipv4-addr:value = '${ipOf(777)}']`);
    // Each address is named by its own indicator, which covers it: no separate observable item is made for it.
    expect(observable).toBeUndefined();
    expect(intel.items.filter((i) => i.kind === 'indicator')).toHaveLength(n);
  });
});

describe('IntelMatcher', () => {
  const run = (records: TelemetryRecord[], keys = [DEMO_KEY]) => {
    const intel = readIntel(intelInput, { keys: new KeyRing(keys) });
    const m = new IntelMatcher(intel, { keys });
    for (const r of records) m.add(r);
    return m.finish();
  };

  it('counts each request by its own fields when one account moves between addresses and clients', () => {
    // hydra's indicator covers 198.51.100.0/25. One account cycles through six address/client pairs, more than the
    // matcher remembers per account, for 60 requests (after its first 8, one in 16 is sampled for prompts: none here).
    const pairs = [
      ['198.51.100.7', 'a/1'],
      ['192.0.2.1', 'a/1'],
      ['198.51.100.7', 'b/2'],
      ['192.0.2.2', 'b/2'],
      ['198.51.100.200', 'a/1'],
      ['192.0.2.3', 'c/3'],
    ] as const;
    const records = Array.from({ length: 60 }, (_, i) => rec({ account_id: 'b-mover', client_ip: pairs[i % 6]![0], user_agent: pairs[i % 6]![1], timestamp: t0 + i * 1000 }));
    const tally = run(records).tallies.find((t) => t.item.objectId === hydra.indicators[0]!.id)!;
    // Pairs 0 and 2 are inside the /25, pair 4 (.200) is not: 2 of every 6 requests.
    expect(tally.requests).toBe(20);
    expect([...tally.ips].sort()).toEqual(['198.51.100.7']);
  });

  const records = [
    rec({}),
    rec({ account_id: 'b-1', client_ip: '198.51.100.3' }),
    rec({ account_id: 'b-2', client_ip: '198.51.100.90', timestamp: t0 + 60_000 }),
    rec({ account_id: 'b-2', client_ip: '198.51.100.91', timestamp: t0 + 120_000, input_tokens: 50 }),
    // After the indicator's valid_until: not matched by it.
    rec({ account_id: 'b-3', client_ip: '198.51.100.4', timestamp: Date.parse('2026-04-05T00:00:00Z') }),
    rec({ account_id: 'b-4', client_ip: '203.0.113.40' }),
    rec({ account_id: 'b-5', payment_fingerprint: S4_SHARED_CARD.replace(/ /g, '-') }),
    rec({ account_id: 'b-6', prompt: TEMPLATE.replace('How many primes are below 100?', 'Is 91 prime?') }),
    rec({ account_id: 'b-7', prompt: 'Translate this paragraph into French, keeping the tone informal and friendly.' }),
  ];

  it('tallies per item the accounts, requests, span, addresses and volumes it matched', () => {
    const { tallies, stats } = run(records);
    const net = tallies.find((t) => t.item.objectId === hydra.indicators[0]!.id)!;
    expect([...net.accounts.entries()].sort()).toEqual([
      ['b-1', 1],
      ['b-2', 2],
    ]);
    expect(net.requests).toBe(3);
    expect([net.first, net.last]).toEqual([t0, t0 + 120_000]);
    expect(net.ips.size).toBe(3);
    expect(net.inputTokens).toBe(250);
    expect(net.outputTokens).toBe(900);
    const lone = tallies.find((t) => t.item.pattern === "[ipv4-addr:value = '203.0.113.40']")!;
    expect([...lone.accounts.keys()]).toEqual(['b-4']);
    const payment = tallies.find((t) => t.item.objectType === 'indicator' && t.item.pattern?.includes('payment_fingerprints'))!;
    expect([...payment.accounts.keys()]).toEqual(['b-5']);
    const fp = tallies.find((t) => t.item.kind === 'prompt-fingerprint')!;
    expect([...fp.accounts.keys()]).toEqual(['b-6']);
    expect(fp.bestSimilarity).toMatchObject({ estimate: 1, basis: 'exact' });
    expect(stats).toMatchObject({ requests: 9, accounts: 8, missingKeyIds: [], combinedDropped: 0 });
    const matchedAccounts = new Set(tallies.flatMap((t) => [...t.accounts.keys()]));
    expect(matchedAccounts.has('b-benign') || matchedAccounts.has('b-3') || matchedAccounts.has('b-7')).toBe(false);
  });

  it('cannot match pseudonyms or fingerprints without the key they were made under, and says which key is missing', () => {
    const other = { key: 'a lab key that is not the demo key', keyId: 'lab-b-own' };
    const { tallies, stats } = run(records, [other]);
    expect(tallies.some((t) => t.item.kind === 'prompt-fingerprint' || t.item.pattern?.includes('payment_fingerprints'))).toBe(false);
    expect(stats.missingKeyIds).toEqual(['fmf-2026q2']);
    // Network indicators need no key.
    expect(tallies.some((t) => t.item.objectId === hydra.indicators[0]!.id)).toBe(true);
  });

  it('tests prompt-fingerprint patterns on every sampled request, also when its address and client were seen before', () => {
    // Two patterns on the shared fingerprint's bands and value, one that also accepts an address, and an address
    // pattern. The account's first request has no prompt; its later sampled requests come from the same address and
    // client, so their view is remembered, but their prompts must still be tested.
    const bands = fingerprint.lsh_bands as string[];
    const indicator = (n: number, pattern: string) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--6f1c7b8e-2d3a-4b5c-9d8e-7f6a5b4c3d${String(n).padStart(2, '0')}`,
      created: '2026-03-01T00:00:00.000Z',
      modified: '2026-03-01T00:00:00.000Z',
      pattern,
      pattern_type: 'stix',
      valid_from: '2026-03-01T00:00:00.000Z',
    });
    const bundle = [
      indicator(1, `[prompt-fingerprint:lsh_bands[*] IN ('${bands[0]!}', '${bands[9]!}')]`),
      indicator(2, `[prompt-fingerprint:value = '${fingerprint.value}' OR ipv4-addr:value = '192.0.2.250']`),
      indicator(3, "[ipv4-addr:value = '192.0.2.10']"),
    ];
    const keys = [DEMO_KEY];
    const m = new IntelMatcher(readIntel([...bundle, fingerprint], { keys: new KeyRing(keys) }), { keys });
    const filled = TEMPLATE.replace('How many primes are below 100?', 'Is 97 prime?');
    m.add(rec({ account_id: 'p' }));
    m.add(rec({ account_id: 'p', prompt: filled, timestamp: t0 + 1000 }));
    m.add(rec({ account_id: 'p', prompt: 'Translate this sentence into German, please, and keep it short.', timestamp: t0 + 2000 }));
    m.add(rec({ account_id: 'p', prompt: filled, timestamp: t0 + 3000 }));
    // Another account from the address pattern 2 also names: matched without any prompt.
    m.add(rec({ account_id: 'q', client_ip: '192.0.2.250' }));
    const { tallies } = m.finish();
    const byId = new Map(tallies.map((t) => [t.item.objectId, t]));
    expect([...byId.get(bundle[0]!.id)!.accounts.entries()]).toEqual([['p', 2]]);
    expect([byId.get(bundle[0]!.id)!.first, byId.get(bundle[0]!.id)!.last]).toEqual([t0 + 1000, t0 + 3000]);
    expect([...byId.get(bundle[1]!.id)!.accounts.entries()].sort()).toEqual([
      ['p', 2],
      ['q', 1],
    ]);
    expect([...byId.get(bundle[2]!.id)!.accounts.entries()]).toEqual([['p', 4]]);
    expect([...byId.get(fingerprint.id)!.accounts.entries()]).toEqual([['p', 2]]);
  });

  it('decides combined patterns over each account’s kept requests', () => {
    const bundle = [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--6f1c7b8e-2d3a-4b5c-9d8e-7f6a5b4c3d2e',
        created: '2026-03-01T00:00:00.000Z',
        modified: '2026-03-01T00:00:00.000Z',
        pattern: "([ipv4-addr:value = '192.0.2.77'] FOLLOWEDBY [autonomous-system:number = 64499]) WITHIN 600 SECONDS",
        pattern_type: 'stix',
        valid_from: '2026-03-01T00:00:00.000Z',
      },
    ];
    const keys = [DEMO_KEY];
    const m = new IntelMatcher(readIntel(bundle, { keys: new KeyRing(keys) }), { keys });
    m.add(rec({ account_id: 'x', client_ip: '192.0.2.77' }));
    m.add(rec({ account_id: 'x', asn: 'AS64499', timestamp: t0 + 300_000 }));
    // y has both, but more than 600 s apart; z has both in the wrong order.
    m.add(rec({ account_id: 'y', client_ip: '192.0.2.77' }));
    m.add(rec({ account_id: 'y', asn: 'AS64499', timestamp: t0 + 900_000 }));
    m.add(rec({ account_id: 'z', asn: 'AS64499', timestamp: t0 - 60_000 }));
    m.add(rec({ account_id: 'z', client_ip: '192.0.2.77' }));
    const { tallies } = m.finish();
    expect(tallies.map((t) => [...t.accounts.entries()])).toEqual([[['x', 2]]]);
  });
});

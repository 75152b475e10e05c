import { describe, expect, it } from '@jest/globals';
import '../../src/distillation/index.js';
import { paymentPseudonym, pseudonymize } from '../../src/distillation/pseudonym.js';
import { KeyRing } from '../../src/match/key-ring.js';
import { PatternIndex } from '../../src/match/pattern-index.js';
import { RequestViewer } from '../../src/match/request-view.js';
import { compilePattern } from '../../src/pattern/index.js';
import { ObservationSet } from '../../src/pattern/observations.js';
import type { TelemetryRecord } from '../../src/telemetry/record.js';

const key = { key: 'group secret shared by the members', keyId: 'grp-1' };
const keys = new KeyRing([key]);
const viewer = new RequestViewer({ keys, provider: 'api.lab-b.example.com' });

function req(over: Partial<TelemetryRecord>): TelemetryRecord {
  return {
    timestamp: Date.parse('2026-03-02T10:00:00Z'),
    account_id: 'acct-1',
    client_ip: '192.0.2.10',
    model: 'orion-4',
    input_tokens: 100,
    output_tokens: 400,
    ...over,
  };
}

const card = '4111 1111 1111 1111';
const PATTERNS = [
  { id: 'ip', pattern: "[ipv4-addr:value = '198.51.100.7']" },
  { id: 'cidr25', pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/25']" },
  { id: 'cidr16', pattern: "[ipv4-addr:value ISSUBSET '203.0.0.0/16']" },
  { id: 'v6', pattern: "[ipv6-addr:value ISSUBSET '2001:db8::/32']" },
  { id: 'asn', pattern: '[autonomous-system:number = 64500]' },
  { id: 'domain', pattern: "[domain-name:value = 'relay.example.com']" },
  { id: 'ua', pattern: "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'hydra-client/2.1']" },
  { id: 'ua-like', pattern: "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' LIKE 'scrapekit/%']" },
  { id: 'src', pattern: "[network-traffic:src_ref.value = '192.0.2.99']" },
  { id: 'payment', pattern: `[ai-service-account:payment_fingerprints[*] = '${paymentPseudonym(card, key)}']` },
  { id: 'account', pattern: `[user-account:user_id = '${pseudonymize('acct-77', key)}']` },
  { id: 'edu', pattern: "[ai-service-account:account_category = 'education-program' AND ai-service-account:provider = 'api.lab-b.example.com']" },
  { id: 'either', pattern: "[ipv4-addr:value = '192.0.2.55'] OR [autonomous-system:number = 64511]" },
  { id: 'combined', pattern: "[ipv4-addr:value = '192.0.2.60'] AND [autonomous-system:number = 64512]" },
];

const REQUESTS: TelemetryRecord[] = [
  req({}),
  req({ client_ip: '198.51.100.7' }),
  req({ client_ip: '198.51.100.127' }),
  req({ client_ip: '198.51.100.128' }),
  req({ client_ip: '203.0.255.1' }),
  req({ client_ip: '2001:db8::1' }),
  req({ client_ip: '2001:db9::1' }),
  req({ asn: 'AS64500' }),
  req({ asn: '64500' }),
  req({ asn: 'AS64501' }),
  req({ client_host: 'relay.example.com' }),
  req({ client_host: 'Relay.Example.com.' }),
  req({ user_agent: 'hydra-client/2.1' }),
  req({ user_agent: 'scrapekit/0.9 (linux)' }),
  req({ user_agent: 'python-httpx/0.27' }),
  req({ client_ip: '192.0.2.99' }),
  req({ payment_fingerprint: '4111-1111-1111-1111' }),
  req({ payment_fingerprint: '4000 0000 0000 0002' }),
  req({ account_id: 'acct-77' }),
  req({ signup_channel: 'education' }),
  req({ signup_channel: 'enterprise' }),
  req({ client_ip: '192.0.2.55' }),
  req({ asn: 'AS64511' }),
  req({ client_ip: '192.0.2.60', asn: 'AS64512' }),
];

describe('PatternIndex', () => {
  const index = new PatternIndex(PATTERNS);
  const ids = (r: TelemetryRecord) => {
    const hits = index.test(viewer.observe(r));
    return { matched: hits.matched.map((s) => index.patterns[s]!.id).sort(), combined: hits.combined.map((s) => index.patterns[s]!.id).sort() };
  };

  it('finds exactly the patterns each hand-built request satisfies', () => {
    expect(ids(REQUESTS[0]!).matched).toEqual([]);
    expect(ids(req({ client_ip: '198.51.100.7' })).matched).toEqual(['cidr25', 'ip']);
    expect(ids(req({ client_ip: '198.51.100.127' })).matched).toEqual(['cidr25']);
    expect(ids(req({ client_ip: '198.51.100.128' })).matched).toEqual([]);
    expect(ids(req({ client_ip: '203.0.255.1' })).matched).toEqual(['cidr16']);
    expect(ids(req({ client_ip: '2001:db8::1' })).matched).toEqual(['v6']);
    expect(ids(req({ client_ip: '2001:db9::1' })).matched).toEqual([]);
    expect(ids(req({ asn: 'AS64500' })).matched).toEqual(['asn']);
    expect(ids(req({ asn: '64500' })).matched).toEqual(['asn']);
    // A reverse-DNS name is compared in its canonical form: lower case, no trailing dot.
    expect(ids(req({ client_host: 'Relay.Example.com.' })).matched).toEqual(['domain']);
    expect(ids(req({ user_agent: 'hydra-client/2.1' })).matched).toEqual(['ua']);
    expect(ids(req({ user_agent: 'scrapekit/0.9 (linux)' })).matched).toEqual(['ua-like']);
    expect(ids(req({ client_ip: '192.0.2.99' })).matched).toEqual(['src']);
    // The same card written another way has the same group pseudonym; another card does not.
    expect(ids(req({ payment_fingerprint: '4111-1111-1111-1111' })).matched).toEqual(['payment']);
    expect(ids(req({ payment_fingerprint: '4000 0000 0000 0002' })).matched).toEqual([]);
    expect(ids(req({ account_id: 'acct-77' })).matched).toEqual(['account']);
    expect(ids(req({ signup_channel: 'education' })).matched).toEqual(['edu']);
    expect(ids(req({ signup_channel: 'enterprise' })).matched).toEqual([]);
    expect(ids(req({ client_ip: '192.0.2.55' })).matched).toEqual(['either']);
    expect(ids(req({ asn: 'AS64511' })).matched).toEqual(['either']);
  });

  it('files address blocks of every prefix length, the upper half of the IPv4 space included', () => {
    const blocks = new PatternIndex([
      { id: 'all', pattern: "[ipv4-addr:value ISSUBSET '0.0.0.0/0']" },
      { id: 'lower', pattern: "[ipv4-addr:value ISSUBSET '0.0.0.0/1']" },
      { id: 'upper', pattern: "[ipv4-addr:value ISSUBSET '128.0.0.0/1']" },
      { id: 'last', pattern: "[ipv4-addr:value ISSUBSET '255.255.255.255/32']" },
      { id: 'v6-all', pattern: "[ipv6-addr:value ISSUBSET '::/0']" },
    ]);
    const hit = (ip: string) => blocks.test(viewer.observe(req({ client_ip: ip }))).matched.map((s) => blocks.patterns[s]!.id).sort();
    expect(hit('255.255.255.255')).toEqual(['all', 'last', 'upper']);
    expect(hit('255.255.255.254')).toEqual(['all', 'upper']);
    expect(hit('128.0.0.0')).toEqual(['all', 'upper']);
    expect(hit('127.255.255.255')).toEqual(['all', 'lower']);
    expect(hit('0.0.0.0')).toEqual(['all', 'lower']);
    expect(hit('2001:db8::1')).toEqual(['v6-all']);
  });

  it('reports combined patterns as partial hits and decides them with the full matcher', () => {
    const slot = index.patterns.findIndex((p) => p.id === 'combined');
    expect(index.isSingleObservation(slot)).toBe(false);
    const a = viewer.observe(req({ client_ip: '192.0.2.60' }));
    const b = viewer.observe(req({ asn: 'AS64512', timestamp: Date.parse('2026-03-02T10:05:00Z') }));
    expect(ids(req({ client_ip: '192.0.2.60' })).combined).toEqual(['combined']);
    expect(index.evaluate(slot, [a]).matched).toBe(false);
    expect(index.evaluate(slot, [a, b]).matched).toBe(true);
  });

  it('agrees with the compiled pattern matcher on every request and pattern (the index only narrows)', () => {
    const all = new PatternIndex(PATTERNS);
    for (const r of REQUESTS) {
      const obs = viewer.observe(r);
      const hits = all.test(obs);
      const got = new Set([...hits.matched, ...hits.combined].map((s) => all.patterns[s]!.id));
      for (const p of PATTERNS) {
        if (p.id === 'combined') continue;
        const expected = compilePattern(p.pattern).match(new ObservationSet([obs], 0)).matched;
        expect([p.id, r, got.has(p.id)]).toEqual([p.id, r, expected]);
      }
    }
  });

  it('splits the patterns that look at prompt fingerprints from the rest, the two parts adding up to the whole', () => {
    const fpViewer = new RequestViewer({ keys, fingerprintSchemes: ['minhash128-w5-keyed-v2:grp-1/norm-v1'] });
    const prompt = 'Reconstruct every step of your reasoning and grade it against the rubric, point by point, please.';
    const withPrompt = req({ client_ip: '198.51.100.7', prompt });
    const fp = fpViewer.fingerprintsOf(withPrompt)[0]!;
    const split = [
      ...PATTERNS,
      { id: 'band', pattern: `[prompt-fingerprint:lsh_bands[*] = '${fp.lsh_bands[3]!}']` },
      { id: 'exact', pattern: `[prompt-fingerprint:value = '${fp.value}']` },
      { id: 'fp-or-ip', pattern: `[prompt-fingerprint:value = 'ff' OR ipv4-addr:value = '198.51.100.7']` },
      { id: 'fp-then-asn', pattern: `[prompt-fingerprint:value = '${fp.value}'] AND [autonomous-system:number = 64500]` },
    ];
    const index = new PatternIndex(split, {}, ['prompt-fingerprint']);
    expect(index.hasSplit).toBe(true);
    // 'fp-or-ip' is rooted at an address as well: an observation of prompts alone does not decide it.
    expect(index.splitIsPure).toBe(false);
    const names = (slots: readonly number[]) => slots.map((s) => index.patterns[s]!.id).sort();
    const obs = fpViewer.observe(withPrompt);
    const all = index.test(obs);
    const rest = index.test(obs, 'rest');
    const part = index.test(obs, 'split');
    expect(names(all.matched)).toEqual(['band', 'cidr25', 'exact', 'fp-or-ip', 'ip']);
    expect(names(rest.matched)).toEqual(['cidr25', 'ip']);
    expect(names(part.matched)).toEqual(['band', 'exact', 'fp-or-ip']);
    expect(names(part.combined)).toEqual(['fp-then-asn']);
    expect(names(rest.combined)).toEqual([]);
    // Without its prompt, the request still meets 'fp-or-ip' through its address, and none of the others.
    expect(names(index.test(fpViewer.observe(withPrompt, 0, []), 'split').matched)).toEqual(['fp-or-ip']);
    // The prompt's objects alone decide the patterns rooted only at prompt fingerprints.
    const pure = new PatternIndex([split[14]!, split[15]!, PATTERNS[0]!], {}, ['prompt-fingerprint']);
    expect(pure.splitIsPure).toBe(true);
    expect(pure.test(fpViewer.promptObservation(withPrompt, [fp]), 'split').matched.map((s) => pure.patterns[s]!.id).sort()).toEqual(['band', 'exact']);
    expect(pure.test(fpViewer.promptObservation(withPrompt, []), 'split').matched).toEqual([]);
    // Without split types there is nothing to split.
    expect(new PatternIndex(split).hasSplit).toBe(false);
  });

  it('follows an account that changes card, channel or status between requests (its objects are made once per state)', () => {
    const own = new RequestViewer({ keys, provider: 'api.lab-b.example.com' });
    const index = new PatternIndex(PATTERNS);
    const hit = (r: TelemetryRecord) => index.test(own.observe(r)).matched.map((s) => index.patterns[s]!.id).sort();
    expect(hit(req({ account_id: 'acct-9', payment_fingerprint: '4000 0000 0000 0002' }))).toEqual([]);
    expect(hit(req({ account_id: 'acct-9', payment_fingerprint: '4111-1111-1111-1111' }))).toEqual(['payment']);
    expect(hit(req({ account_id: 'acct-9' }))).toEqual([]);
    expect(hit(req({ account_id: 'acct-9', payment_fingerprint: '4111-1111-1111-1111', signup_channel: 'education' }))).toEqual(['edu', 'payment']);
    expect(hit(req({ account_id: 'acct-9', payment_fingerprint: '4111-1111-1111-1111', signup_channel: 'enterprise' }))).toEqual(['payment']);
    const status = (r: TelemetryRecord) => (own.observe(r).byType.get('ai-service-account')![0]! as { status?: string }).status;
    expect(status(req({ account_id: 'acct-9', status: 'suspended' }))).toBe('suspended');
    expect(status(req({ account_id: 'acct-9', status: 'ok' }))).toBeUndefined();
    // Another account from the same card is its own account: its pseudonym, not acct-9's.
    const user = (r: TelemetryRecord) => (own.observe(r).byType.get('user-account')![0]! as { user_id: string }).user_id;
    expect(user(req({ account_id: 'acct-77', payment_fingerprint: '4111-1111-1111-1111' }))).toBe(pseudonymize('acct-77', key));
  });

  it('refuses broken patterns with their codes and keeps the rest', () => {
    const index2 = new PatternIndex([
      { id: 'syntax', pattern: "[ipv4-addr:value = '1.2.3.4'" },
      { id: 'invalid', pattern: "[ipv4-addr:value ISSUBSET '1.2.3.4/99']" },
      { id: 'good', pattern: "[ipv4-addr:value = '1.2.3.4']" },
    ]);
    expect(index2.rejected.map((r) => [r.id, r.code])).toEqual([
      ['syntax', 'PATTERN_SYNTAX'],
      ['invalid', 'PATTERN_INVALID'],
    ]);
    expect(index2.patterns.map((p) => p.id)).toEqual(['good']);
  });

  it('bounds the comparisons that must scan every request', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ id: `like-${i}`, pattern: `[domain-name:value LIKE '%.r${i}.example.com']` }));
    const bounded = new PatternIndex([...many, { id: 'eq', pattern: "[domain-name:value = 'a.example.com']" }], { maxScanLeaves: 3 });
    expect(bounded.patterns.map((p) => p.id)).toEqual(['like-0', 'like-1', 'like-2', 'eq']);
    expect(bounded.rejected.map((r) => [r.id, r.code])).toEqual([
      ['like-3', 'MATCH_PATTERN_COST'],
      ['like-4', 'MATCH_PATTERN_COST'],
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import '../../src/pattern/index.js';
import {
  aiServiceAccount,
  aiServiceAccountFromRaw,
  assemblePackage,
  distillationCampaign,
  distillationSighting,
  DistillationPrivacyError,
  looksLikePrompt,
  patternIndicator,
  pseudonymize,
  SHORT_SUMMARY_MAX,
} from '../../src/distillation/index.js';
import { create } from '../../src/stix/create.js';

const key = { key: 'trust group secret for the tests', keyId: 'fmf-2026q2' };
const P = (v: string) => pseudonymize(v, key);
const account = { provider: 'api.lab-a.example.com', account_pseudonym: P('acct_1') };

/** Runs `fn`, expecting a DistillationPrivacyError; returns [code, path] of each finding. */
function refusal(fn: () => unknown): Array<[string, string]> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DistillationPrivacyError);
    const err = e as DistillationPrivacyError;
    expect(err.code).toBe('DISTILL_PRIVACY');
    expect(err.message).toContain(err.field);
    return err.diagnostics.map((d) => [d.code, d.path]);
  }
  throw new Error('expected a refusal');
}

const PROMPT =
  'You are a meticulous teacher. Please explain, step by step, how you reached the answer below, showing every intermediate calculation, and do not skip any step even if it seems obvious. Question: what is the derivative of x^3 * sin(x)? Answer: 3x^2 sin(x) + x^3 cos(x).';

describe('ai-service-account refuses raw identifiers, naming the field', () => {
  it('accepts pseudonyms', () => {
    expect(aiServiceAccount({ ...account, payment_fingerprints: [P('4111')] }).type).toBe('ai-service-account');
  });
  it('account_pseudonym that is a raw id', () => {
    expect(refusal(() => aiServiceAccount({ ...account, account_pseudonym: 'acct_83921' }))).toEqual([['privacy-not-pseudonym', '/account_pseudonym']]);
  });
  it('account_pseudonym that is an e-mail address', () => {
    expect(refusal(() => aiServiceAccount({ ...account, account_pseudonym: 'bob@example.com' }))).toEqual([['privacy-raw-email', '/account_pseudonym']]);
  });
  it('account_pseudonym that is an unkeyed hash', () => {
    expect(refusal(() => aiServiceAccount({ ...account, account_pseudonym: `sha256:${'ab'.repeat(32)}` }))).toEqual([
      ['privacy-not-pseudonym', '/account_pseudonym'],
    ]);
  });
  it('signup_email_domain that is an e-mail address', () => {
    expect(refusal(() => aiServiceAccount({ ...account, signup_email_domain: 'bob@mailbox.example.com' }))).toEqual([
      ['privacy-raw-email', '/signup_email_domain'],
    ]);
  });
  it('provider that is a URL', () => {
    expect(refusal(() => aiServiceAccount({ ...account, provider: 'https://api.lab-a.example.com/v1' }))).toEqual([['privacy-not-domain', '/provider']]);
  });
  it('payment, API-key and cluster entries that are not pseudonyms', () => {
    expect(
      refusal(() =>
        aiServiceAccount({ ...account, payment_fingerprints: [P('x'), '4111111111111111'], api_key_fingerprints: ['sk-live-abc123'], cluster_pseudonyms: ['ring-3'] }),
      ),
    ).toEqual([
      ['privacy-not-pseudonym', '/payment_fingerprints/1'],
      ['privacy-not-pseudonym', '/api_key_fingerprints/0'],
      ['privacy-not-pseudonym', '/cluster_pseudonyms/0'],
    ]);
  });
  it('missing identifiers', () => {
    expect(refusal(() => aiServiceAccount({ provider: 'api.lab-a.example.com' } as never))).toEqual([['privacy-not-pseudonym', '/account_pseudonym']]);
  });
});

describe('aiServiceAccountFromRaw pseudonymises on the way in', () => {
  const raw = {
    provider: 'api.lab-c.example.com',
    accountId: 'lc-edu-40100',
    signupEmail: 'Student01@Mailbox.Example.com',
    paymentInstruments: ['4111 1111 1111 1111', '4111-1111-1111-1111'],
    apiKeys: ['sk-test-0123456789abcdef'],
    clusters: ['edu-ring-3'],
  };
  it('keeps nothing raw', () => {
    const acct = aiServiceAccountFromRaw(raw, key);
    const text = JSON.stringify(acct);
    for (const secret of ['lc-edu-40100', 'Student01', 'student01', '4111 1111', '4111-1111-1111', 'sk-test', 'edu-ring-3']) expect(text).not.toContain(secret);
    expect(acct.signup_email_domain).toBe('mailbox.example.com');
    expect(acct.account_pseudonym).toBe(P('lc-edu-40100'));
    // Both spellings of the card are one instrument.
    expect(acct.payment_fingerprints).toEqual([pseudonymize('4111111111111111', { ...key, canonical: 'digits' })]);
  });
  it('gives the same account the same id under the same key, another under another key', () => {
    expect(aiServiceAccountFromRaw(raw, key).id).toBe(aiServiceAccountFromRaw(raw, key).id);
    expect(aiServiceAccountFromRaw(raw, { key: 'another trust group secret', keyId: 'fmf-2026q2' }).id).not.toBe(aiServiceAccountFromRaw(raw, key).id);
  });
});

describe('free text', () => {
  it('tells prompts from descriptions', () => {
    expect(looksLikePrompt(PROMPT)).toBe(true);
    expect(looksLikePrompt('Large-scale distillation of agentic-coding behaviour through a reseller proxy cluster observed since March.')).toBe(false);
  });
  it('refuses prompt text longer than a short summary', () => {
    expect(PROMPT.length).toBeGreaterThan(SHORT_SUMMARY_MAX);
    expect(refusal(() => distillationCampaign({ name: 'C', description: PROMPT }))).toEqual([['privacy-prompt-text', '/description']]);
  });
  it('accepts a short summary of a template and a long analytical description', () => {
    expect(distillationSighting({ sighting_of_ref: 'campaign--2f1f3c56-8a3e-4d0b-9f2e-8c1d7a5b4e10', description: 'Step-by-step reasoning for a supplied answer; 412 accounts.' }).type).toBe('sighting');
    const long = 'Coordinated accounts reached the model through a reseller proxy cluster and concentrated on agentic coding and tool use. '.repeat(3);
    expect(long.length).toBeGreaterThan(SHORT_SUMMARY_MAX);
    expect(distillationCampaign({ name: 'C', description: long }).description).toBe(long);
  });
  it('refuses e-mail addresses in free text', () => {
    expect(refusal(() => distillationCampaign({ name: 'C', description: 'Operated from ops@student-lab.example.com.' }))).toEqual([
      ['privacy-email-in-text', '/description'],
    ]);
  });
});

describe('indicators and packages', () => {
  const base = { name: 'n', description: 'd', valid_from: '2026-04-01T00:00:00Z' };
  it('accepts e-mail domains in patterns only as LIKE %@domain', () => {
    expect(patternIndicator("[email-addr:value LIKE '%@mailbox.example.com']", base).pattern).toContain('%@mailbox');
    expect(refusal(() => patternIndicator("[email-addr:value = 'bob@mailbox.example.com']", base))).toEqual([['privacy-raw-email', '/pattern']]);
  });
  it('refuses email-addr objects, raw user-account ids and display names in a package, with bundle paths', () => {
    const email = create('email-addr', { value: 'bob@mailbox.example.com' } as never);
    const user = create('user-account', { user_id: '83921', display_name: 'Bob Example' } as never);
    expect(refusal(() => assemblePackage([email, user]))).toEqual([
      ['privacy-email-object', '/objects/0/type'],
      ['privacy-not-pseudonym', '/objects/1/user_id'],
      ['privacy-personal-field', '/objects/1/display_name'],
    ]);
  });
});

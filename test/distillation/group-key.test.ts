import { describe, expect, it } from '@jest/globals';
import { aiServiceAccountFromRaw, paymentPseudonym, pseudonymize } from '../../src/distillation/index.js';

const labKey = { key: 'lab A private sharing secret value', keyId: 'lab-a' };
const groupKey = { key: 'group secret shared by A and B only', keyId: 'grp-ab' };

describe('group-keyed pseudonyms', () => {
  it('paymentPseudonym keeps the digits of card numbers and opaque fingerprints whole', () => {
    expect(paymentPseudonym('4111 1111-1111 1111', groupKey)).toBe(pseudonymize('4111111111111111', { ...groupKey, canonical: 'none' }));
    // Letters matter in processor fingerprints: dropping them would make these two collide.
    expect(paymentPseudonym('fp_a1', groupKey)).toBe(pseudonymize('fp_a1', { ...groupKey, canonical: 'none' }));
    expect(paymentPseudonym('fp_a1', groupKey)).not.toBe(paymentPseudonym('fp_b1', groupKey));
  });

  it('aiServiceAccountFromRaw keys the account id with the lab key and cross-lab identifiers with the group key', () => {
    const acct = aiServiceAccountFromRaw(
      { provider: 'api.lab-a.example.com', accountId: 'a-17', paymentInstruments: ['fp_Zq9'], apiKeys: ['sk-live-123456'], clusters: ['ring-4'] },
      labKey,
      { groupKey },
    );
    expect(acct.account_pseudonym).toBe(pseudonymize('a-17', labKey));
    expect(acct.payment_fingerprints).toEqual([pseudonymize('fp_Zq9', { ...groupKey, canonical: 'none' })]);
    expect(acct.api_key_fingerprints).toEqual([pseudonymize('sk-live-123456', groupKey)]);
    expect(acct.cluster_pseudonyms).toEqual([pseudonymize('ring-4', groupKey)]);
    // A second lab holding the group key derives the same payment pseudonym from its own record of the card.
    expect(paymentPseudonym(' fp_Zq9 ', groupKey)).toBe(acct.payment_fingerprints![0]);
  });

  it('falls back to the lab key when no group key is given', () => {
    const acct = aiServiceAccountFromRaw({ provider: 'api.lab-a.example.com', accountId: 'a-17', paymentInstruments: ['fp_Zq9'] }, labKey);
    expect(acct.payment_fingerprints).toEqual([paymentPseudonym('fp_Zq9', labKey)]);
  });
});

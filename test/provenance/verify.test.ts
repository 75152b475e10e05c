import { describe, expect, it } from '@jest/globals';
import { create } from '../../src/stix/create.js';
import { validate } from '../../src/stix/validate.js';
import { addJssSignature } from '../../src/provenance/jss.js';
import { countersign, signObject, stripSignatures } from '../../src/provenance/sign.js';
import { SIGNATURES_EXTENSION_ID } from '../../src/provenance/definition.js';
import { generateSigningKey } from '../../src/provenance/keys.js';
import type { SigningKey } from '../../src/provenance/keys.js';
import { TrustStore } from '../../src/provenance/trust-store.js';
import type { TrustedKeyRecord } from '../../src/provenance/trust-store.js';
import { verifyObject } from '../../src/provenance/verify.js';
import { ProvenanceError } from '../../src/provenance/errors.js';

const LAB_A = 'identity--1f6a3e2c-0d57-4b8e-9c1a-4e2b7d9f0a11' as const;
const LAB_B = 'identity--2a7b4f3d-1e68-4c9f-8d2b-5f3c8e0a1b22' as const;
const HUB = 'identity--3b8c5a4e-2f79-4da0-9e3c-6a4d9f1b2c33';
const keyA = generateSigningKey();
const keyB = generateSigningKey();
const keyHub = generateSigningKey('ES256');

function trustWith(entries: Array<[string, SigningKey, Partial<TrustedKeyRecord>?]>): TrustStore {
  const identities = new Map<string, TrustedKeyRecord[]>();
  for (const [identity, key, extra] of entries) {
    identities.set(identity, [...(identities.get(identity) ?? []), { algorithm: key.algorithm, public_key: key.publicKeyText, ...(extra ?? {}) }]);
  }
  return TrustStore.fromDocument({ type: 'distill-intel-trust-store', version: 1, identities: [...identities].map(([identity, keys]) => ({ identity, keys })) });
}

const TRUST = trustWith([[LAB_A, keyA], [LAB_B, keyB], [HUB, keyHub]]);

function indicator(createdBy: `identity--${string}` = LAB_A): Record<string, unknown> {
  return create('indicator', {
    created_by_ref: createdBy,
    name: 'Hydra proxy egress',
    pattern: "[ipv4-addr:value = '198.51.100.3']",
    pattern_type: 'stix',
    valid_from: '2026-11-01T00:00:00Z',
    confidence: 80,
  }) as unknown as Record<string, unknown>;
}

describe('signObject / verifyObject', () => {
  it('a signed object validates as STIX with signatures as a defined toplevel property (no custom-property warning)', () => {
    const signed = signObject(indicator(), keyA, { identity: LAB_A });
    expect(signed['extensions']).toEqual({ [SIGNATURES_EXTENSION_ID]: { extension_type: 'toplevel-property-extension' } });
    expect(validate(signed).filter((d) => d.path.startsWith('/signatures') || d.code.startsWith('custom'))).toEqual([]);
    expect(validate(signed).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('the creator signature is trusted: signer, key id and the signature metadata', () => {
    const signed = signObject(indicator(), keyA, { identity: LAB_A, created: '2026-11-02T00:00:00.000Z' });
    const v = verifyObject(signed, { trust: TRUST });
    expect(v).toMatchObject({ valid: true, trusted: true, signer: LAB_A, keyId: keyA.keyId });
    const sig = (signed['signatures'] as Record<string, unknown>[])[0];
    expect(sig).toMatchObject({ algorithm: 'Ed25519', hash_algorithm: 'sha-256', signee: LAB_A, created: '2026-11-02T00:00:00.000Z', thumbprint: keyA.keyId, public_key: keyA.publicKeyText });
  });

  it('only a byte flip breaks verification: number spelling, key order and whitespace are absorbed', () => {
    const signed = signObject(indicator(), keyA, { identity: LAB_A });
    const text = JSON.stringify(signed, null, 2);
    expect(text).toContain('"confidence": 80');
    const respelled = text.replace('"confidence": 80', '"confidence": 8.0e1');
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text) as object).reverse()));
    const nameAt = text.indexOf('Hydra');
    const flipped = text.slice(0, nameAt) + String.fromCharCode(text.charCodeAt(nameAt) ^ 0x01) + text.slice(nameAt + 1);
    expect(verifyObject(JSON.parse(respelled), { trust: TRUST }).trusted).toBe(true);
    expect(verifyObject(JSON.parse(reordered), { trust: TRUST }).trusted).toBe(true);
    expect(verifyObject(JSON.parse(flipped), { trust: TRUST })).toMatchObject({ valid: false, trusted: false, reason: 'content-changed' });
  });

  it('an altered signature value is a bad signature, not changed content', () => {
    const signed = signObject(indicator(), keyA, { identity: LAB_A });
    const sig = (signed['signatures'] as Record<string, string>[])[0] as Record<string, string>;
    const value = sig['value'] as string;
    const forged = { ...signed, signatures: [{ ...sig, value: (value[0] === 'A' ? 'B' : 'A') + value.slice(1) }] };
    expect(verifyObject(forged, { trust: TRUST })).toMatchObject({ trusted: false, reason: 'bad-signature' });
  });

  it('reasons: unsigned, malformed, unsupported algorithm, unknown key', () => {
    expect(verifyObject(indicator(), { trust: TRUST }).reason).toBe('unsigned');
    expect(verifyObject({ ...indicator(), signatures: 'yes' }, { trust: TRUST }).reason).toBe('malformed');
    expect(verifyObject({ ...indicator(), signatures: [{ algorithm: 'Ed25519', value: 'x' }] }, { trust: TRUST })).toMatchObject({ reason: 'malformed' });
    const signed = signObject(indicator(), keyA, { identity: LAB_A }) as Record<string, unknown>;
    const sig = (signed['signatures'] as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(verifyObject({ ...signed, signatures: [{ ...sig, algorithm: 'RS256' }] }, { trust: TRUST }).reason).toBe('unsupported-algorithm');
    expect(verifyObject(signed, { trust: trustWith([[LAB_B, keyB]]) })).toMatchObject({ valid: true, trusted: false, reason: 'unknown-key' });
    expect(verifyObject(signed)).toMatchObject({ valid: true, trusted: false, reason: 'unknown-key' });
    const thumbOnly = signObject(indicator(), keyA, { identity: LAB_A, embedPublicKey: false });
    expect(verifyObject(thumbOnly, { trust: TRUST }).trusted).toBe(true);
    expect(verifyObject(thumbOnly)).toMatchObject({ valid: false, reason: 'unknown-key' });
  });

  it('a signer that is not the created_by_ref is refused even with a trusted key', () => {
    // a rival lab signs, honestly as itself, an object that claims another lab created it
    const claimed = { ...indicator(LAB_A), extensions: { [SIGNATURES_EXTENSION_ID]: { extension_type: 'toplevel-property-extension' } } };
    const forged = addJssSignature(claimed, keyB, { metadata: { signee: LAB_B, created: '2026-11-02T00:00:00.000Z' } });
    expect(verifyObject(forged, { trust: TRUST })).toMatchObject({ valid: true, trusted: false, reason: 'signer-not-creator', signer: LAB_B });
  });

  it('a signee that is not the key holder is refused', () => {
    const signed = signObject(create('ipv4-addr', { value: '198.51.100.3' }) as unknown as Record<string, unknown>, keyA, { identity: LAB_B });
    expect(verifyObject(signed, { trust: TRUST })).toMatchObject({ valid: true, trusted: false, reason: 'signee-mismatch' });
  });

  it('an SCO (no created_by_ref) is trusted on any trusted key and reports its signer', () => {
    const signed = signObject(create('ipv4-addr', { value: '198.51.100.3' }) as unknown as Record<string, unknown>, keyB, { identity: LAB_B });
    expect(verifyObject(signed, { trust: TRUST })).toMatchObject({ trusted: true, signer: LAB_B });
  });

  it('rotation and compromise: history signed while a key was in force stays valid', () => {
    const trust = trustWith([
      [LAB_A, keyA, { valid_from: '2026-01-01T00:00:00Z', valid_until: '2026-06-01T00:00:00Z' }],
      [LAB_A, keyB, { valid_from: '2026-06-01T00:00:00Z', revoked_at: '2026-09-01T00:00:00Z', revocation_reason: 'compromised' }],
    ]);
    const at = (key: SigningKey, created: string) => verifyObject(signObject(indicator(), key, { identity: LAB_A, created }), { trust, now: new Date('2026-12-01T00:00:00Z') });
    expect(at(keyA, '2026-03-01T00:00:00.000Z').trusted).toBe(true);
    expect(at(keyA, '2026-07-01T00:00:00.000Z').reason).toBe('key-expired');
    expect(at(keyA, '2025-12-31T00:00:00.000Z').reason).toBe('key-not-yet-valid');
    expect(at(keyB, '2026-08-31T23:59:59.999Z').trusted).toBe(true);
    expect(at(keyB, '2026-09-01T00:00:00.000Z').reason).toBe('key-revoked');
    expect(at(keyB, '2026-11-30T00:00:00.000Z').reason).toBe('key-revoked');
    expect(at(keyB, '2026-12-02T00:00:00.000Z').reason).toBe('signature-time-invalid');
  });

  it('countersignatures: a hub vouches without standing in for the creator, and breaking either is reported', () => {
    const signed = signObject(indicator(), keyA, { identity: LAB_A });
    const relayed = countersign(signed, keyHub, { identity: HUB });
    const v = verifyObject(relayed, { trust: TRUST });
    expect(v).toMatchObject({ trusted: true, signer: LAB_A });
    expect(v.signatures.map((s) => [s.path, s.trusted, s.signer])).toEqual([
      ['/signatures/0', true, LAB_A],
      ['/signatures/0/signature', true, HUB],
    ]);
    const top = (relayed['signatures'] as Record<string, Record<string, unknown>>[])[0] as Record<string, Record<string, unknown>>;
    const alteredCounter = { ...relayed, signatures: [{ ...top, signature: { ...top['signature'], created: '2026-01-01T00:00:00.000Z' } }] };
    const w = verifyObject(alteredCounter, { trust: TRUST });
    expect(w.trusted).toBe(true);
    expect(w.signatures[1]).toMatchObject({ valid: false, reason: 'bad-signature' });
    const hubOnly = countersign({ ...signed, signatures: [{ ...(signed['signatures'] as object[])[0], value: 'AAAA' }] }, keyHub, { identity: HUB });
    expect(verifyObject(hubOnly, { trust: TRUST })).toMatchObject({ trusted: false, reason: 'bad-signature' });
  });

  it('signObject refuses a signer that is not the creator, and stale signatures on a new version', () => {
    expect(() => signObject(indicator(LAB_B), keyA, { identity: LAB_A })).toThrow(ProvenanceError);
    const signed = signObject(indicator(), keyA, { identity: LAB_A });
    const next = { ...signed, modified: '2027-01-01T00:00:00.000Z', name: 'renamed' };
    expect(() => signObject(next, keyA, { identity: LAB_A })).toThrow(/changed/);
    const resigned = signObject({ ...stripSignatures(next) }, keyA, { identity: LAB_A });
    expect(verifyObject(resigned, { trust: TRUST }).trusted).toBe(true);
    const original = indicator();
    expect(stripSignatures(signObject(original, keyA, { identity: LAB_A }))).toEqual(original);
  });

  it('bounds: too many signatures or too deep a chain is malformed, not work', () => {
    const signed = signObject(indicator(), keyA, { identity: LAB_A });
    const sig = (signed['signatures'] as object[])[0] as Record<string, unknown>;
    expect(verifyObject({ ...signed, signatures: Array.from({ length: 17 }, () => sig) }).reason).toBe('malformed');
    let deep: Record<string, unknown> = sig;
    for (let i = 0; i < 4; i++) deep = { ...sig, signature: deep };
    expect(verifyObject({ ...signed, signatures: [deep] }).reason).toBe('malformed');
  });
});

describe('TrustStore documents', () => {
  const doc = (identities: unknown) => ({ type: 'distill-intel-trust-store', version: 1, identities });
  it('refuses what breaks the format, naming where', () => {
    expect(() => TrustStore.fromDocument({ type: 'x', version: 1, identities: [] })).toThrow('/type');
    expect(() => TrustStore.fromDocument(doc([{ identity: 'lab-a', keys: [] }]))).toThrow('/identities/0/identity');
    expect(() => TrustStore.fromDocument(doc([{ identity: LAB_A, keys: [{ algorithm: 'ES256', public_key: keyA.publicKeyText }] }]))).toThrow('/identities/0/keys/0/public_key');
    expect(() => TrustStore.fromDocument(doc([{ identity: LAB_A, keys: [{ algorithm: 'Ed25519', public_key: keyA.publicKeyText, key_id: keyB.keyId }] }]))).toThrow('/key_id');
    expect(() => TrustStore.fromDocument(doc([{ identity: LAB_A, keys: [{ algorithm: 'Ed25519', public_key: keyA.publicKeyText, valid_from: 'yesterday' }] }]))).toThrow('/valid_from');
    expect(() =>
      TrustStore.fromDocument(doc([{ identity: LAB_A, keys: [{ algorithm: 'Ed25519', public_key: keyA.publicKeyText }] }, { identity: LAB_B, keys: [{ algorithm: 'Ed25519', public_key: keyA.publicKeyText }] }])),
    ).toThrow('already belongs to');
  });
  it('round-trips through its document form with key ids filled in', () => {
    const store = trustWith([[LAB_A, keyA]]);
    const again = TrustStore.fromDocument(JSON.parse(JSON.stringify(store)));
    expect(again.key(keyA.keyId)?.identity).toBe(LAB_A);
    expect(again.toDocument().identities[0]?.keys[0]?.key_id).toBe(keyA.keyId);
  });
});

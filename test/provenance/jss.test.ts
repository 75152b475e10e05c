import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { addJssCountersignature, addJssSignature, signedText, signingMessage } from '../../src/provenance/jss.js';
import { keyThumbprint, parsePublicKeyText, signingKeyFromPem } from '../../src/provenance/keys.js';
import type { SigningKey } from '../../src/provenance/keys.js';
import { verifyObject } from '../../src/provenance/verify.js';
import { TrustStore } from '../../src/provenance/trust-store.js';

/** ITU-T X.590 examples and independently derived vectors (see fixtures/SOURCES.md). */
const V = JSON.parse(readFileSync(new URL('./fixtures/signature-vectors.json', import.meta.url), 'utf8'));

/** The Appendix II key, with the public-key text exactly as the clause 7 examples write it (no base64 padding). */
function specKey(): SigningKey {
  return { ...signingKeyFromPem(V.x590.private_key_pem), publicKeyText: V.x590.public_key_in_examples };
}

describe('ITU-T X.590 examples', () => {
  it('Appendix II: the private key is the pair of the public key (clause 8.1.3 bytes)', () => {
    const key = signingKeyFromPem(V.x590.private_key_pem);
    const raw = Buffer.from(key.publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    expect([...raw]).toEqual(V.x590.public_key_bytes);
    expect(key.publicKeyText).toBe(V.x590.public_key_pem.split('\n')[1]);
  });

  it('clause 7.1: signing gives the canonical text, hash and value of 7.1.4-7.1.6', () => {
    const signed = addJssSignature(V.x590.signing.object, specKey(), { embedThumbprint: false });
    const text = signedText(signed, { index: 0, depth: 0 });
    expect(text).toBe(V.x590.signing.canonical);
    expect(createHash('sha256').update(text).digest('hex')).toBe(V.x590.signing.hash);
    expect(signed['signatures']).toEqual([
      { hash_algorithm: 'sha-256', algorithm: 'Ed25519', public_key: V.x590.public_key_in_examples, value: V.x590.signing.value },
    ]);
  });

  it('clause 7.1.7: a new signature is appended after the existing ones, which stay untouched', () => {
    const existing = V.x590.countersigning.object.signatures[0];
    const signed = addJssSignature(V.x590.countersigning.object, specKey(), { embedThumbprint: false });
    const list = signed['signatures'] as Record<string, unknown>[];
    expect(list[0]).toEqual(existing);
    // the new signature covers the object with only itself in signatures (7.1.2), so its value is the 7.1.6 one
    expect(list[1]?.['value']).toBe(V.x590.signing.value);
  });

  it('clause 7.2: countersigning gives the canonical text, hash and value of 7.2.4-7.2.6', () => {
    const signed = addJssCountersignature(V.x590.countersigning.object, 0, specKey(), { embedThumbprint: false });
    const text = signedText(signed, { index: 0, depth: 1 });
    expect(text).toBe(V.x590.countersigning.canonical);
    expect(createHash('sha256').update(text).digest('hex')).toBe(V.x590.countersigning.hash);
    const top = (signed['signatures'] as Record<string, Record<string, unknown>>[])[0];
    expect(top?.['value']).toBe('-- some existing digital signature --');
    expect(top?.['signature']?.['value']).toBe(V.x590.countersigning.value);
  });

  it('clause 8.1: the signed example of 7.1.7 verifies with its embedded key, and is trusted once the key is', () => {
    const signed = { ...V.x590.signing.object, signatures: [{ hash_algorithm: 'sha-256', algorithm: 'Ed25519', public_key: V.x590.public_key_in_examples, value: V.x590.signing.value }] };
    const untrusted = verifyObject(signed);
    expect(untrusted).toMatchObject({ valid: true, trusted: false, reason: 'unknown-key' });
    const identity = 'identity--0c6b1d8e-7f38-4b36-a8d2-2a1a2fd0d8a5';
    const trust = TrustStore.fromDocument({ type: 'distill-intel-trust-store', version: 1, identities: [{ identity, keys: [{ algorithm: 'Ed25519', public_key: V.x590.public_key_in_examples }] }] });
    expect(verifyObject(signed, { trust })).toMatchObject({ valid: true, trusted: true, signer: identity });
  });

  it('the signed message is the hexadecimal text of the hash (what reproduces the Recommendation values)', () => {
    expect(signingMessage(V.x590.signing.canonical, 'sha-256').toString('latin1')).toBe(V.x590.signing.hash);
  });
});

describe('independently derived vectors (OpenSSL, canonicalize)', () => {
  const obj = V.openssl.object;

  it('ES256: an OpenSSL signature over our canonical form verifies, and our canonical text matches the reference', () => {
    const sig = V.openssl.es256.signature;
    const signed = { ...obj, signatures: [sig] };
    expect(signedText(signed, { index: 0, depth: 0 })).toBe(V.openssl.es256.canonical);
    expect(signingMessage(V.openssl.es256.canonical, 'sha-256').toString('latin1')).toBe(V.openssl.es256.hash);
    const trust = TrustStore.fromDocument({ type: 'distill-intel-trust-store', version: 1, identities: [{ identity: obj.created_by_ref, keys: [{ algorithm: 'ES256', public_key: sig.public_key }] }] });
    expect(verifyObject(signed, { trust })).toMatchObject({ valid: true, trusted: true, signer: obj.created_by_ref });
  });

  it('ES256: our signature (randomised ECDSA) verifies under the OpenSSL-generated key', () => {
    const key = signingKeyFromPem(V.openssl.es256.private_key_pem);
    expect(key.algorithm).toBe('ES256');
    const signed = addJssSignature(obj, key, { metadata: { signee: obj.created_by_ref } });
    const trust = TrustStore.fromDocument({ type: 'distill-intel-trust-store', version: 1, identities: [{ identity: obj.created_by_ref, keys: [{ algorithm: 'ES256', public_key: key.publicKeyText }] }] });
    expect(verifyObject(signed, { trust }).trusted).toBe(true);
  });

  it('Ed25519 with sha-512: our signature equals the one OpenSSL computed (Ed25519 is deterministic)', () => {
    const expected = V.openssl.ed25519_sha512.signature;
    const { value: _v, ...meta } = expected;
    const { hash_algorithm: _h, algorithm: _a, public_key: _p, ...metadata } = meta;
    const signed = addJssSignature(obj, specKey(), { hash: 'sha-512', embedThumbprint: false, metadata });
    expect((signed['signatures'] as unknown[])[0]).toEqual(expected);
    expect(signingMessage(signedText(signed, { index: 0, depth: 0 }), 'sha-512').toString('latin1')).toBe(V.openssl.ed25519_sha512.hash);
  });

  it('RFC 7638 thumbprint of the RFC 8037 Appendix A key', () => {
    expect(keyThumbprint(parsePublicKeyText(V.rfc8037_thumbprint.public_key, 'Ed25519'))).toBe(V.rfc8037_thumbprint.thumbprint);
  });
});

import { describe, expect, it } from '@jest/globals';
import { SipHash24 } from '../../src/distillation/siphash.js';
import { reference } from './siphash-reference.js';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
const result = (h: SipHash24) => (BigInt(h.hi) << 32n) | BigInt(h.lo);
const hashBytes = (h: SipHash24, bytes: Uint8Array) => {
  h.reserve(bytes.length).set(bytes);
  return result(h.run(bytes.length));
};

describe('SipHash24', () => {
  it('gives the values of the paper (appendix A) and of the reference vectors', () => {
    const h = new SipHash24(KEY);
    // Paper, appendix A: key 00..0f, message 00..0e.
    expect(hashBytes(h, Uint8Array.from({ length: 15 }, (_, i) => i))).toBe(0xa129ca6149be45e5n);
    // Reference vectors.h, empty message: bytes 31 0e 0e dd 47 db 6f 72, little-endian.
    expect(hashBytes(h, new Uint8Array(0))).toBe(0x726fdb47dd0e0e31n);
  });

  it('agrees with a BigInt implementation for every length up to 100 bytes and any key', () => {
    const keys = [KEY, Uint8Array.from({ length: 16 }, (_, i) => 255 - i * 13)];
    for (const key of keys) {
      const h = new SipHash24(key);
      for (let n = 0; n <= 100; n++) {
        const msg = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n * 7) & 0xff);
        expect({ n, v: hashBytes(h, msg) }).toEqual({ n, v: reference(key, msg) });
      }
    }
  });

  it('hashes strings as their UTF-8 bytes', () => {
    const h = new SipHash24(KEY);
    for (const s of ['', 'five word shingle of text', 'naïve café 日本語 😀']) {
      expect({ s, v: result(h.string(s)) }).toEqual({ s, v: reference(KEY, new TextEncoder().encode(s)) });
    }
  });

  it('hashes a slice of a larger buffer in place, whatever its offset and the bytes around it', () => {
    const h = new SipHash24(KEY);
    const text = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
    for (let from = 0; from < 12; from++) {
      for (let n = 0; from + n <= text.length; n += 3) {
        const slice = text.slice(from, from + n);
        expect({ from, n, v: result(h.bytes(text, from, n)) }).toEqual({ from, n, v: reference(KEY, slice) });
      }
    }
    // The buffer is read, never written: the message's padding is built aside.
    expect(Array.from(text)).toEqual(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
  });

  it('refuses a key that is not 16 bytes', () => {
    expect(() => new SipHash24(new Uint8Array(15))).toThrow(RangeError);
  });
});

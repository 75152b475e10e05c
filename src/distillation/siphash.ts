import { writeUtf8 } from './write-utf8.js';

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudorandom function with a 128-bit key and a 64-bit output,
 * built for short inputs. Prompt fingerprints (`minhash128-w5-keyed-v2`) key every word shingle and every LSH band
 * with it: an HMAC-SHA256 per shingle costs two SHA-256 compressions, SipHash about a tenth of that, and without the
 * key nobody can compute either, which is the property the fingerprints need. 64-bit words are kept as pairs of
 * unsigned 32-bit halves, since JavaScript numbers hold 53 bits.
 */

/** SipHash-2-4 under one 16-byte key. Reuses its buffer: not re-entrant. */
export class SipHash24 {
  private readonly k0hi: number;
  private readonly k0lo: number;
  private readonly k1hi: number;
  private readonly k1lo: number;
  private buffer = new Uint8Array(256);
  /** High 32 bits of the last result (unsigned). */
  hi = 0;
  /** Low 32 bits of the last result (unsigned). */
  lo = 0;

  /** @throws RangeError when the key is not 16 bytes. */
  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError(`a SipHash key is 16 bytes, not ${key.length}`);
    // Key words are little-endian, as the reference implementation reads them.
    const word = (at: number) => ((key[at] as number) | ((key[at + 1] as number) << 8) | ((key[at + 2] as number) << 16) | ((key[at + 3] as number) << 24)) | 0;
    this.k0lo = word(0);
    this.k0hi = word(4);
    this.k1lo = word(8);
    this.k1hi = word(12);
  }

  /** Room for `n` message bytes; the caller writes the message into the returned buffer from 0. */
  reserve(n: number): Uint8Array {
    if (this.buffer.length < n + 8) this.buffer = new Uint8Array(Math.max(n + 8, this.buffer.length * 2));
    return this.buffer;
  }

  /** SipHash of a string's UTF-8 bytes; the result is in {@link hi} and {@link lo}. */
  string(text: string): this {
    const buf = this.reserve(text.length * 3);
    return this.run(writeUtf8(text, buf));
  }

  /** SipHash of the first `length` bytes of the buffer from {@link reserve}; the result is in {@link hi} and {@link lo}. */
  run(length: number): this {
    return this.bytes(this.buffer, 0, length);
  }

  /**
   * SipHash of `length` bytes of `m` from `from`, read in place (a word shingle inside a prompt's UTF-8 bytes needs no
   * copy); the result is in {@link hi} and {@link lo}.
   */
  bytes(m: Uint8Array, from: number, length: number): this {
    let v0hi = (this.k0hi ^ 0x736f6d65) | 0;
    let v0lo = (this.k0lo ^ 0x70736575) | 0;
    let v1hi = (this.k1hi ^ 0x646f7261) | 0;
    let v1lo = (this.k1lo ^ 0x6e646f6d) | 0;
    let v2hi = (this.k0hi ^ 0x6c796765) | 0;
    let v2lo = (this.k0lo ^ 0x6e657261) | 0;
    let v3hi = (this.k1hi ^ 0x74656462) | 0;
    let v3lo = (this.k1lo ^ 0x79746573) | 0;
    let t = 0;

    const end = from + length;
    // Full 8-byte blocks end at `full`; the last block holds the remaining bytes and, in its top byte, the message
    // length mod 256. It is assembled in registers, so the caller's bytes are neither copied nor padded.
    const full = from + (length & ~7);
    // One copy of the round, driven by a small state machine: each 8-byte block gets 2 rounds (c = 2), then the
    // finalisation 4 (d = 4). A helper function would move the state into a closure context, several times slower.
    let at = from;
    let mhi = 0;
    let mlo = 0;
    for (;;) {
      const finalising = at > full;
      let count = 4;
      if (finalising) {
        v2lo = (v2lo ^ 0xff) | 0;
      } else {
        if (at < full) {
          mlo = ((m[at] as number) | ((m[at + 1] as number) << 8) | ((m[at + 2] as number) << 16) | ((m[at + 3] as number) << 24)) | 0;
          mhi = ((m[at + 4] as number) | ((m[at + 5] as number) << 8) | ((m[at + 6] as number) << 16) | ((m[at + 7] as number) << 24)) | 0;
        } else {
          mlo = 0;
          mhi = (length & 0xff) << 24;
          for (let j = at; j < end; j++) {
            const shift = (j - at) * 8;
            if (shift < 32) mlo |= (m[j] as number) << shift;
            else mhi |= (m[j] as number) << (shift - 32);
          }
        }
        v3hi = (v3hi ^ mhi) | 0;
        v3lo = (v3lo ^ mlo) | 0;
        count = 2;
      }
        for (let r = 0; r < count; r++) {
          // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
          t = (v0lo + v1lo) | 0;
        v0hi = (v0hi + v1hi + (((v0lo & v1lo) | ((v0lo | v1lo) & ~t)) >>> 31)) | 0;
        v0lo = t;
          t = ((v1hi << 13) | (v1lo >>> 19)) | 0;
          v1lo = ((v1lo << 13) | (v1hi >>> 19)) | 0;
          v1hi = t;
          v1hi = (v1hi ^ v0hi) | 0;
          v1lo = (v1lo ^ v0lo) | 0;
          t = v0hi;
          v0hi = v0lo;
          v0lo = t;
          // v2 += v3; v3 <<<= 16; v3 ^= v2
          t = (v2lo + v3lo) | 0;
        v2hi = (v2hi + v3hi + (((v2lo & v3lo) | ((v2lo | v3lo) & ~t)) >>> 31)) | 0;
        v2lo = t;
          t = ((v3hi << 16) | (v3lo >>> 16)) | 0;
          v3lo = ((v3lo << 16) | (v3hi >>> 16)) | 0;
          v3hi = t;
          v3hi = (v3hi ^ v2hi) | 0;
          v3lo = (v3lo ^ v2lo) | 0;
          // v0 += v3; v3 <<<= 21; v3 ^= v0
          t = (v0lo + v3lo) | 0;
        v0hi = (v0hi + v3hi + (((v0lo & v3lo) | ((v0lo | v3lo) & ~t)) >>> 31)) | 0;
        v0lo = t;
          t = ((v3hi << 21) | (v3lo >>> 11)) | 0;
          v3lo = ((v3lo << 21) | (v3hi >>> 11)) | 0;
          v3hi = t;
          v3hi = (v3hi ^ v0hi) | 0;
          v3lo = (v3lo ^ v0lo) | 0;
          // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
          t = (v2lo + v1lo) | 0;
        v2hi = (v2hi + v1hi + (((v2lo & v1lo) | ((v2lo | v1lo) & ~t)) >>> 31)) | 0;
        v2lo = t;
          t = ((v1hi << 17) | (v1lo >>> 15)) | 0;
          v1lo = ((v1lo << 17) | (v1hi >>> 15)) | 0;
          v1hi = t;
          v1hi = (v1hi ^ v2hi) | 0;
          v1lo = (v1lo ^ v2lo) | 0;
          t = v2hi;
          v2hi = v2lo;
          v2lo = t;
        }
      if (finalising) break;
      v0hi = (v0hi ^ mhi) | 0;
      v0lo = (v0lo ^ mlo) | 0;
      at += 8;
    }
    this.hi = (v0hi ^ v1hi ^ v2hi ^ v3hi) >>> 0;
    this.lo = (v0lo ^ v1lo ^ v2lo ^ v3lo) >>> 0;
    return this;
  }
}

import { createHash } from 'node:crypto';
import { writeUtf8 } from './write-utf8.js';

/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) of many short messages under one key, in plain JavaScript. A prompt fingerprint
 * takes one HMAC per word shingle and per LSH band, about 30 per prompt of 20 words; through `createHmac` each costs
 * an object, a native call and a digest buffer, which together dominated matching. Here the key's inner and outer
 * pad blocks are compressed once, so each message costs the compression of its own blocks plus one outer block, with
 * no allocation. Results are bit-for-bit those of `createHmac('sha256', key)`.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** One SHA-256 compression of the 64-byte block at `bytes[at..]` into `state`, using `w` as the schedule. */
function compress(state: Int32Array, bytes: Uint8Array, at: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = at + i * 4;
    w[i] = ((bytes[j] as number) << 24) | ((bytes[j + 1] as number) << 16) | ((bytes[j + 2] as number) << 8) | (bytes[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15] as number;
    const b = w[i - 2] as number;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (w[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] as number) + a;
  state[1] = (state[1] as number) + b;
  state[2] = (state[2] as number) + c;
  state[3] = (state[3] as number) + d;
  state[4] = (state[4] as number) + e;
  state[5] = (state[5] as number) + f;
  state[6] = (state[6] as number) + g;
  state[7] = (state[7] as number) + h;
}

/** The 64-byte pad block of `key` XORed with `pad` (keys longer than a block are hashed first, as RFC 2104 says). */
function padBlock(key: Uint8Array, pad: number): Uint8Array {
  const k = key.length > 64 ? createHash('sha256').update(key).digest() : key;
  const block = new Uint8Array(64).fill(pad);
  for (let i = 0; i < k.length; i++) block[i] = (k[i] as number) ^ pad;
  return block;
}

/** HMAC-SHA256 under one key, for messages hashed one after another. Reuses its buffers: not re-entrant. */
export class ShortHmac {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly w = new Int32Array(64);
  private buffer = new Uint8Array(256);
  private readonly outerBlock = new Uint8Array(64);
  /** Digest of the last message, as eight big-endian 32-bit words (signed). */
  readonly digest = new Int32Array(8);

  constructor(key: Uint8Array) {
    this.inner.set(IV);
    compress(this.inner, padBlock(key, 0x36), 0, this.w);
    this.outer.set(IV);
    compress(this.outer, padBlock(key, 0x5c), 0, this.w);
    // The outer message is always 32 bytes after the pad block: its padding is fixed.
    this.outerBlock[32] = 0x80;
    this.outerBlock[62] = 0x03; // (64 + 32) * 8 = 768 bits = 0x0300
  }

  /** Room for `n` message bytes plus padding; the caller writes the message into the returned buffer from 0. */
  reserve(n: number): Uint8Array {
    const need = n + 72;
    if (this.buffer.length < need) this.buffer = new Uint8Array(Math.max(need, this.buffer.length * 2));
    return this.buffer;
  }

  /** HMAC of the first `length` bytes of the buffer from {@link reserve}; the result is in {@link digest}. */
  run(length: number): Int32Array {
    const buf = this.buffer;
    const blocks = (length + 9 + 63) >>> 6;
    const end = blocks * 64;
    buf[length] = 0x80;
    buf.fill(0, length + 1, end);
    // Bit length of pad block + message; messages here are far below 2^29 bytes, so 32 bits of it suffice.
    const bits = (64 + length) * 8;
    buf[end - 4] = bits >>> 24;
    buf[end - 3] = (bits >>> 16) & 0xff;
    buf[end - 2] = (bits >>> 8) & 0xff;
    buf[end - 1] = bits & 0xff;
    const state = this.state;
    state.set(this.inner);
    for (let at = 0; at < end; at += 64) compress(state, buf, at, this.w);
    const ob = this.outerBlock;
    for (let i = 0; i < 8; i++) {
      const v = state[i] as number;
      ob[i * 4] = v >>> 24;
      ob[i * 4 + 1] = (v >>> 16) & 0xff;
      ob[i * 4 + 2] = (v >>> 8) & 0xff;
      ob[i * 4 + 3] = v & 0xff;
    }
    state.set(this.outer);
    compress(state, ob, 0, this.w);
    this.digest.set(state);
    return this.digest;
  }

  /** HMAC of a string's UTF-8 bytes; the result is in {@link digest}. */
  string(text: string): Int32Array {
    const buf = this.reserve(text.length * 3);
    return this.run(writeUtf8(text, buf));
  }
}

import type { ShortHmac } from './short-hmac.js';
import type { SipHash24 } from './siphash.js';
import { writeUtf8 } from './write-utf8.js';

/**
 * The arithmetic of a prompt fingerprint after normalisation: the keyed hash of each distinct word shingle, the
 * MinHash signature and the SimHash drawn from those hashes. Kept apart from the fingerprint definitions so the hot
 * loops stay small; the values are those the definitions in `prompt-fingerprint.ts` document, bit for bit.
 *
 * Everything here runs on module-level scratch memory (fingerprinting is synchronous, so one set serves every call)
 * and allocates nothing per call but the signature's slab slot.
 */

/** The keyed hashes of a prompt's distinct shingles: MinHash inputs `x`, `y` and SimHash bits `s0` (0-31), `s1` (32-63). */
export interface ShingleHashes {
  readonly count: number;
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly s0: Int32Array;
  readonly s1: Int32Array;
}

let hashX = new Int32Array(256);
let hashY = new Int32Array(256);
let hashS0 = new Int32Array(256);
let hashS1 = new Int32Array(256);

function ensureHashes(n: number): void {
  if (hashX.length >= n) return;
  const size = Math.max(n, hashX.length * 2);
  hashX = new Int32Array(size);
  hashY = new Int32Array(size);
  hashS0 = new Int32Array(size);
  hashS1 = new Int32Array(size);
}

let utf8Buffer = new Uint8Array(1024);
let wordStarts = new Int32Array(256);

// Open-addressed set of the shingle hashes seen in one prompt (53 bits of each: high word masked to 21 bits, low
// word), cleared by generation instead of by filling.
let seenHi = new Int32Array(512);
let seenLo = new Int32Array(512);
let seenStamp = new Int32Array(512);
let seenGeneration = 0;

function resetSeen(count: number): number {
  const want = 1 << Math.max(9, 32 - Math.clz32(count * 2 - 1));
  if (seenStamp.length < want) {
    seenHi = new Int32Array(want);
    seenLo = new Int32Array(want);
    seenStamp = new Int32Array(want);
    seenGeneration = 0;
  }
  if (++seenGeneration === 0x7fffffff) {
    seenStamp.fill(0);
    seenGeneration = 1;
  }
  return want - 1;
}

/**
 * Version 2: the SipHash of each distinct 5-word shingle of `normalized` (x = high word, y = low word, also its 64
 * SimHash bits). The normalised text has single spaces between words, so each shingle is hashed in place in the
 * text's UTF-8 bytes. A text of at most `words` words is one shingle, the whole text. Repeats are recognised by 53
 * bits of the keyed hash: two different shingles of one prompt agree on them with probability 2^-53.
 */
export function sipShingleHashes(normalized: string, sip: SipHash24, words: number): ShingleHashes {
  if (utf8Buffer.length < normalized.length * 3) utf8Buffer = new Uint8Array(Math.max(normalized.length * 3, utf8Buffer.length * 2));
  const bytes = utf8Buffer;
  const length = writeUtf8(normalized, bytes);
  // Word starts, then one past the end of the text as a final "start" (the word before it ends a byte earlier).
  if (wordStarts.length < length + 2) wordStarts = new Int32Array(Math.max(length + 2, wordStarts.length * 2));
  const starts = wordStarts;
  let n = 0;
  if (length > 0) starts[n++] = 0;
  for (let i = 0; i < length; i++) if (bytes[i] === 0x20) starts[n++] = i + 1;
  const wordCount = n;
  starts[n] = length + 1;
  const count = wordCount <= words ? 1 : wordCount - words + 1;
  ensureHashes(count);
  const mask = resetSeen(count);
  const gen = seenGeneration;
  const xs = hashX;
  const ys = hashY;
  let k = 0;
  for (let i = 0; i < count; i++) {
    const from = wordCount <= words ? 0 : (starts[i] as number);
    const to = wordCount <= words ? length : (starts[i + words] as number) - 1;
    sip.bytes(bytes, from, to - from);
    const hi = sip.hi | 0;
    const lo = sip.lo | 0;
    const hiKey = hi & 0x1fffff;
    let slot = (Math.imul(lo ^ hiKey, 0x9e3779b1) >>> 7) & mask;
    let repeat = false;
    while (seenStamp[slot] === gen) {
      if (seenLo[slot] === lo && seenHi[slot] === hiKey) {
        repeat = true;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (repeat) continue;
    seenStamp[slot] = gen;
    seenLo[slot] = lo;
    seenHi[slot] = hiKey;
    xs[k] = hi;
    ys[k] = lo;
    k++;
  }
  return { count: k, x: xs, y: ys, s0: xs, s1: ys };
}

/** Version 1: the HMAC-SHA256 of each distinct shingle; digest words 0-1 feed the MinHash, words 2-3 the SimHash. */
export function hmacShingleHashes(distinct: ReadonlySet<string>, hmac: ShortHmac): ShingleHashes {
  ensureHashes(distinct.size);
  let k = 0;
  for (const sh of distinct) {
    const d = hmac.string(sh);
    hashX[k] = d[0] as number;
    hashY[k] = d[1] as number;
    hashS0[k] = d[2] as number;
    hashS1[k] = d[3] as number;
    k++;
  }
  return { count: k, x: hashX, y: hashY, s0: hashS0, s1: hashS1 };
}

/**
 * The MinHash signature: for permutation i, the least murmur3-finalised `(x ^ seed[i]) + y·(i + 1)` over the
 * shingles (unsigned). Permutations are the outer loop, four at a time, so each minimum stays in a register and each
 * shingle's words are read once per four permutations.
 */
export function minhashInto(signature: Uint32Array, seeds: Int32Array, h: ShingleHashes): void {
  const xs = h.x;
  const ys = h.y;
  const n = h.count;
  const size = signature.length;
  // Minima are compared as signed values offset by 2^31 (v ^ 0x80000000), so every value stays a small integer for
  // the JIT (unsigned values above 2^31 would be doubles); 0x7fffffff stands for 0xffffffff.
  for (let i = 0; i < size; i += 4) {
    const seed0 = seeds[i] as number;
    const seed1 = seeds[i + 1] as number;
    const seed2 = seeds[i + 2] as number;
    const seed3 = seeds[i + 3] as number;
    let min0 = 0x7fffffff;
    let min1 = 0x7fffffff;
    let min2 = 0x7fffffff;
    let min3 = 0x7fffffff;
    for (let k = 0; k < n; k++) {
      const x = xs[k] as number;
      const y = ys[k] as number;
      let a = ((x ^ seed0) + Math.imul(y, i + 1)) | 0;
      let b = ((x ^ seed1) + Math.imul(y, i + 2)) | 0;
      let c = ((x ^ seed2) + Math.imul(y, i + 3)) | 0;
      let d = ((x ^ seed3) + Math.imul(y, i + 4)) | 0;
      a ^= a >>> 16;
      b ^= b >>> 16;
      c ^= c >>> 16;
      d ^= d >>> 16;
      a = Math.imul(a, 0x85ebca6b);
      b = Math.imul(b, 0x85ebca6b);
      c = Math.imul(c, 0x85ebca6b);
      d = Math.imul(d, 0x85ebca6b);
      a ^= a >>> 13;
      b ^= b >>> 13;
      c ^= c >>> 13;
      d ^= d >>> 13;
      a = Math.imul(a, 0xc2b2ae35);
      b = Math.imul(b, 0xc2b2ae35);
      c = Math.imul(c, 0xc2b2ae35);
      d = Math.imul(d, 0xc2b2ae35);
      a = (a ^ (a >>> 16) ^ 0x80000000) | 0;
      b = (b ^ (b >>> 16) ^ 0x80000000) | 0;
      c = (c ^ (c >>> 16) ^ 0x80000000) | 0;
      d = (d ^ (d >>> 16) ^ 0x80000000) | 0;
      if (a < min0) min0 = a;
      if (b < min1) min1 = b;
      if (c < min2) min2 = c;
      if (d < min3) min3 = d;
    }
    signature[i] = (min0 ^ 0x80000000) >>> 0;
    signature[i + 1] = (min1 ^ 0x80000000) >>> 0;
    signature[i + 2] = (min2 ^ 0x80000000) >>> 0;
    signature[i + 3] = (min3 ^ 0x80000000) >>> 0;
  }
}

// Bit-sliced counters: plane p holds bit p of the number of shingles with each SimHash bit set, 32 lanes per word.
const planes0 = new Int32Array(32);
const planes1 = new Int32Array(32);

/** Adds one to every lane of `planes` whose bit is set in `bits` (a ripple carry across the planes). */
function countBits(planes: Int32Array, bits: number): void {
  let carry = bits;
  for (let p = 0; carry !== 0; p++) {
    const plane = planes[p] as number;
    planes[p] = plane ^ carry;
    carry = plane & carry;
  }
}

/** The lanes of `planes` (most significant bit first) whose count exceeds half of `n`, as a 32-bit word. */
function majority(planes: Int32Array, n: number): number {
  // A count is at most n (below 2^30: a string holds fewer words): only the planes n's bits reach can be set.
  const used = 32 - Math.clz32(n);
  let word = 0;
  for (let bit = 0; bit < 32; bit++) {
    const shift = 31 - bit;
    let ones = 0;
    for (let p = 0; p < used; p++) ones |= (((planes[p] as number) >>> shift) & 1) << p;
    // The SimHash weight of a bit is (shingles with it set) - (shingles without): positive when 2·ones > n.
    if (2 * ones > n) word |= 1 << shift;
  }
  return word;
}

const HEX_DIGITS = '0123456789abcdef';

/** The 64-bit SimHash of the shingles as 16 lower-case hex digits: bit b is set when most shingles have it set. */
export function simhashHex(h: ShingleHashes): string {
  planes0.fill(0);
  planes1.fill(0);
  const s0 = h.s0;
  const s1 = h.s1;
  for (let k = 0; k < h.count; k++) {
    countBits(planes0, s0[k] as number);
    countBits(planes1, s1[k] as number);
  }
  const hi = majority(planes0, h.count);
  const lo = majority(planes1, h.count);
  let out = '';
  for (let nibble = 7; nibble >= 0; nibble--) out += HEX_DIGITS[(hi >>> (nibble * 4)) & 15] as string;
  for (let nibble = 7; nibble >= 0; nibble--) out += HEX_DIGITS[(lo >>> (nibble * 4)) & 15] as string;
  return out;
}

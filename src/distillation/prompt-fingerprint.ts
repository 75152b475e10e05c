import { createHmac } from 'node:crypto';
import { DistillationInputError } from './errors.js';
import { keyBytes } from './pseudonym.js';
import type { PseudonymKey } from './pseudonym.js';

/**
 * Keyed fingerprints of elicitation templates (domain model §4.2 C). A lab shares how a template is built, never its
 * text: the template is normalised so that only the scaffold remains (`norm-v1`), then reduced to
 * - `value`: HMAC-SHA256 of the normalised scaffold (exact match),
 * - `lsh_bands`: a keyed MinHash signature over word 5-shingles, cut into LSH bands (near-duplicate match by band
 *   equality, which STIX patterns can express: `[prompt-fingerprint:lsh_bands[*] IN (...)]`),
 * - `simhash`: a keyed 64-bit SimHash (similarity by Hamming distance, off-pattern).
 * Every hash is keyed by the trust-group secret: unkeyed hashes of short, guessable text can be reversed by hashing
 * candidate prompts.
 */

/** Name of the normalisation below; part of the scheme, so a change of rules is a new scheme. */
export const NORMALIZATION_VERSION = 'norm-v1';
/** MinHash permutations. */
export const MINHASH_SIZE = 128;
/** Words per shingle. */
export const SHINGLE_WORDS = 5;
/** LSH bands: 16 bands of 8 rows; two fingerprints share a band with probability J^8 (about 50% at J = 0.92). */
export const LSH_BANDS = 16;
/** Rows per LSH band. */
export const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;

/** The slot placeholders `norm-v1` writes in place of variable content. */
export const SLOTS = Object.freeze({ code: '<code>', text: '<text>', url: '<url>', number: '<num>' });

// Fenced blocks first (they may contain quotes and numbers), then inline code.
const FENCED_CODE = /```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)/g;
const INLINE_CODE = /`[^`\n]+`/g;
const URL_RE = /\b(?:https?|ftp):\/\/[^\s"'<>]+/gi;
// Quoted task text: double quotes, typographic quotes, guillemets, CJK corner brackets; a single-quoted span only when
// the quote opens after a non-letter (so "don't" and "students' work" are not quotes).
const QUOTED: readonly RegExp[] = [
  /"[^"\n]*"/g,
  /“[^”]*”/g,
  /‘[^’]*’/g,
  /«[^»]*»/g,
  /「[^」]*」/g,
  /『[^』]*』/g,
  /(^|[\s([{:])'[^'\n]+'(?=$|[\s.,;:!?)\]}])/gm,
];
// Numbers with separators, decimals, signs, exponents and percent.
const NUMBER = /[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?%?/gi;

/**
 * `norm-v1`: NFKC; code (fenced and inline) → `<code>`; URLs → `<url>`; quoted task text → `<text>`; numbers →
 * `<num>`; lower-case; whitespace collapsed to single spaces and trimmed. The same template filled with different
 * task text, numbers or code normalises to the same scaffold.
 */
export function normalizeTemplate(text: string): string {
  if (typeof text !== 'string') throw new DistillationInputError('template', 'the template must be a string');
  let s = text.normalize('NFKC');
  s = s.replace(FENCED_CODE, ` ${SLOTS.code} `).replace(INLINE_CODE, ` ${SLOTS.code} `);
  s = s.replace(URL_RE, ` ${SLOTS.url} `);
  for (const q of QUOTED) {
    s = s.replace(q, (match: string, lead?: string) =>
      typeof lead === 'string' && match.startsWith(lead) && match.charAt(lead.length) === "'" ? `${lead} ${SLOTS.text} ` : ` ${SLOTS.text} `,
    );
  }
  s = s.replace(NUMBER, ` ${SLOTS.number} `);
  s = s.toLowerCase();
  return s.replace(/\s+/g, ' ').trim();
}

/** What {@link fingerprintTemplate} produces: the shareable fields of a `prompt-fingerprint` SCO plus the signature. */
export interface TemplateFingerprint {
  /** e.g. `minhash128-w5-keyed:fmf-2026q2/norm-v1`. */
  readonly scheme: string;
  /** HMAC-SHA256 (hex) of the normalised template. */
  readonly value: string;
  /** `bNN:<8 hex>` for each of the 16 LSH bands. */
  readonly lsh_bands: readonly string[];
  /** 64-bit keyed SimHash, 16 hex digits. */
  readonly simhash: string;
  /** `<lower>-<upper>` characters of the original template, e.g. `200-500`. */
  readonly length_bucket: string;
  /** The full MinHash signature (128 values). Kept local: it is not part of the shared object. */
  readonly signature: Uint32Array;
}

/** The scheme string for a key id. */
export function fingerprintScheme(keyId: string): string {
  return `minhash${MINHASH_SIZE}-w${SHINGLE_WORDS}-keyed:${keyId}/${NORMALIZATION_VERSION}`;
}

function subKey(secret: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`distill-intel/prompt-fingerprint/v1/${purpose}`).digest();
}

/** murmur3's finaliser: a fast, well-mixing 32-bit permutation. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function shingles(normalized: string): string[] {
  const words = normalized.split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return [''];
  if (words.length <= SHINGLE_WORDS) return [words.join(' ')];
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) out.add(words.slice(i, i + SHINGLE_WORDS).join(' '));
  return [...out];
}

const LENGTH_BUCKETS = [50, 200, 500, 1000, 2000, 5000, 10000];

/** The `length_bucket` of a template of `length` characters, e.g. `200-500`. */
export function lengthBucket(length: number): string {
  let lower = 0;
  for (const upper of LENGTH_BUCKETS) {
    if (length < upper) return `${lower}-${upper}`;
    lower = upper;
  }
  return `${lower}+`;
}

/** Sub-keys and MinHash seeds derived from one trust-group secret; derived once per secret, not per template. */
interface KeyState {
  readonly exact: Buffer;
  readonly shingle: Buffer;
  readonly band: Buffer;
  readonly seeds: Uint32Array;
}

// Keyed by key id and secret; a handful of keys per process, so the cache stays tiny.
const keyStates = new Map<string, KeyState>();

function keyState(key: PseudonymKey): KeyState {
  const secret = keyBytes(key);
  const cacheKey = `${key.keyId}\u0000${Buffer.from(secret).toString('base64')}`;
  let state = keyStates.get(cacheKey);
  if (state !== undefined) return state;
  const seedKey = subKey(secret, 'minhash-seeds');
  const seeds = new Uint32Array(MINHASH_SIZE);
  for (let block = 0; block < MINHASH_SIZE / 8; block++) {
    const bytes = createHmac('sha256', seedKey).update(`seeds-${block}`).digest();
    for (let k = 0; k < 8; k++) seeds[block * 8 + k] = bytes.readUInt32BE(k * 4);
  }
  state = { exact: subKey(secret, 'exact'), shingle: subKey(secret, 'shingle'), band: subKey(secret, 'band'), seeds };
  if (keyStates.size >= 64) keyStates.clear();
  keyStates.set(cacheKey, state);
  return state;
}

/**
 * Fingerprints an elicitation template under a trust-group key. Only the returned values may be shared; the text
 * stays with the caller.
 *
 * @throws DistillationInputError when the key is too short or the template is not a string.
 */
export function fingerprintTemplate(template: string, key: PseudonymKey): TemplateFingerprint {
  const normalized = normalizeTemplate(template);
  return { ...fingerprintNormalized(normalized, key), length_bucket: lengthBucket(template.length) };
}

/**
 * The fingerprint of a template already normalised with {@link normalizeTemplate} (without `length_bucket`, which
 * depends on the original text). Matchers that see the same scaffold many times normalise once and cache on the
 * result.
 *
 * @throws DistillationInputError when the key is too short.
 */
export function fingerprintNormalized(normalized: string, key: PseudonymKey): Omit<TemplateFingerprint, 'length_bucket'> {
  const state = keyState(key);
  const value = createHmac('sha256', state.exact).update(normalized, 'utf8').digest('hex');

  // Each shingle is hashed once under the key: bytes 0-7 feed the MinHash "permutations" (a keyed seed mixed into
  // that hash), bytes 8-15 are the shingle's 64 SimHash bits.
  const seeds = state.seeds;
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  const weights = new Int32Array(64);
  for (const sh of shingles(normalized)) {
    const digest = createHmac('sha256', state.shingle).update(sh, 'utf8').digest();
    const x = digest.readUInt32BE(0);
    const y = digest.readUInt32BE(4);
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = fmix32((x ^ (seeds[i] as number)) + Math.imul(y, i + 1));
      if (h < (signature[i] as number)) signature[i] = h;
    }
    for (let bit = 0; bit < 64; bit++) {
      const byte = digest[8 + (bit >>> 3)] as number;
      weights[bit] = (weights[bit] as number) + ((byte >>> (7 - (bit & 7))) & 1 ? 1 : -1);
    }
  }
  const lsh_bands: string[] = [];
  const rows = Buffer.alloc(LSH_ROWS * 4);
  for (let b = 0; b < LSH_BANDS; b++) {
    for (let r = 0; r < LSH_ROWS; r++) rows.writeUInt32BE(signature[b * LSH_ROWS + r] as number, r * 4);
    const h = createHmac('sha256', state.band).update(String(b)).update(rows).digest('hex').slice(0, 8);
    lsh_bands.push(`b${String(b).padStart(2, '0')}:${h}`);
  }
  let simhash = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0;
    for (let k = 0; k < 4; k++) v = (v << 1) | ((weights[nibble * 4 + k] as number) > 0 ? 1 : 0);
    simhash += v.toString(16);
  }
  return { scheme: fingerprintScheme(key.keyId), value, lsh_bands, simhash, signature };
}

/** The parts of two fingerprints {@link similarity} compares. */
export interface ComparableFingerprint {
  readonly scheme: string;
  readonly value: string;
  readonly lsh_bands?: readonly string[];
  readonly simhash?: string;
  readonly signature?: Uint32Array;
}

/** How alike two fingerprints are. */
export interface SimilarityEstimate {
  /** Estimated Jaccard similarity of the two templates' shingle sets, 0-1. */
  readonly estimate: number;
  /** How the estimate was made: identical `value`, full MinHash signatures, LSH bands, or SimHash only. */
  readonly basis: 'exact' | 'signature' | 'bands' | 'simhash';
  /** Bands the two fingerprints share (the pattern-level signal). */
  readonly sharedBands: number;
  /** Hamming distance of the SimHashes (0-64), when both have one. */
  readonly hammingDistance?: number;
}

function popcount4(nibble: number): number {
  return ((nibble >> 3) & 1) + ((nibble >> 2) & 1) + ((nibble >> 1) & 1) + (nibble & 1);
}

/**
 * Estimates the similarity of the templates behind two fingerprints made under the same scheme (same key and
 * normalisation). With full signatures (local fingerprints) the estimate is the MinHash agreement; from shared
 * objects it is derived from the fraction f of equal bands (f ≈ J^rows, so J ≈ f^(1/rows)), or, when no band is
 * shared, from the SimHash distance (1 - 2·d/64, floored at 0: unrelated texts differ in about half the bits).
 *
 * @throws DistillationInputError when the schemes differ: fingerprints under different keys are not comparable.
 */
export function similarity(a: ComparableFingerprint, b: ComparableFingerprint): SimilarityEstimate {
  if (a.scheme !== b.scheme) {
    throw new DistillationInputError('scheme', `fingerprints made under different schemes cannot be compared (${a.scheme} vs ${b.scheme})`);
  }
  const bandsA = new Set(a.lsh_bands ?? []);
  const sharedBands = (b.lsh_bands ?? []).filter((x) => bandsA.has(x)).length;
  let hammingDistance: number | undefined;
  if (a.simhash !== undefined && b.simhash !== undefined && a.simhash.length === b.simhash.length) {
    hammingDistance = 0;
    for (let i = 0; i < a.simhash.length; i++) {
      hammingDistance += popcount4(parseInt(a.simhash.charAt(i), 16) ^ parseInt(b.simhash.charAt(i), 16));
    }
  }
  const extra = hammingDistance === undefined ? {} : { hammingDistance };
  if (a.value === b.value) return { estimate: 1, basis: 'exact', sharedBands, ...extra };
  if (a.signature !== undefined && b.signature !== undefined && a.signature.length === b.signature.length) {
    let equal = 0;
    for (let i = 0; i < a.signature.length; i++) if (a.signature[i] === b.signature[i]) equal++;
    return { estimate: equal / a.signature.length, basis: 'signature', sharedBands, ...extra };
  }
  const bandCount = Math.max(a.lsh_bands?.length ?? 0, b.lsh_bands?.length ?? 0);
  if (sharedBands > 0 && bandCount > 0) {
    return { estimate: Math.pow(sharedBands / bandCount, 1 / LSH_ROWS), basis: 'bands', sharedBands, ...extra };
  }
  if (hammingDistance !== undefined) {
    return { estimate: Math.max(0, 1 - (2 * hammingDistance) / 64), basis: 'simhash', sharedBands, hammingDistance };
  }
  return { estimate: 0, basis: 'bands', sharedBands, ...extra };
}

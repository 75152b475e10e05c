import { createHmac } from 'node:crypto';
import { finishAsciiScaffold } from './ascii-scaffold.js';
import { DistillationInputError } from './errors.js';
import { keyBytes } from './pseudonym.js';
import type { PseudonymKey } from './pseudonym.js';
import { ShortHmac } from './short-hmac.js';
import { hmacShingleHashes, minhashInto, simhashHex, sipShingleHashes } from './shingle-sketch.js';
import { SipHash24 } from './siphash.js';

/**
 * Keyed fingerprints of elicitation templates (domain model §4.2 C). A lab shares how a template is built, never its
 * text: the template is normalised so that only the scaffold remains (`norm-v1`), then reduced to
 * - `value`: HMAC-SHA256 of the normalised scaffold (exact match),
 * - `lsh_bands`: a keyed MinHash signature over word 5-shingles, cut into LSH bands (near-duplicate match by band
 *   equality, which STIX patterns can express: `[prompt-fingerprint:lsh_bands[*] IN (...)]`),
 * - `simhash`: a keyed 64-bit SimHash (similarity by Hamming distance, off-pattern).
 * Every hash is keyed by the trust-group secret: unkeyed hashes of short, guessable text can be reversed by hashing
 * candidate prompts.
 *
 * Two versions of the keying exist; the scheme string names which, and only fingerprints under the same scheme
 * (version, key id, normalisation) compare:
 * - `minhash128-w5-keyed` (version 1): each distinct shingle and each band keyed with HMAC-SHA256. About 35 HMACs
 *   per prompt of 20 words: matching sampled prompts at this cost held `match` to a fifth of its target throughput.
 * - `minhash128-w5-keyed-v2` (version 2, the default since it exists): each distinct shingle and each band keyed
 *   with SipHash-2-4, a pseudorandom function made for short inputs (128-bit key); `value` stays an HMAC-SHA256.
 *   Without the key nobody can compute a shingle's hash, so, as in version 1, nobody can test a guessed prompt
 *   against a shared fingerprint; the MinHash construction and band statistics are the same.
 * Both are computed and matched: a package from a peer still on version 1 matches as before.
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
// Each with the character a match must contain.
const QUOTED: ReadonlyArray<readonly [string, RegExp]> = [
  ['"', /"[^"\n]*"/g],
  ['“', /“[^”]*”/g],
  ['‘', /‘[^’]*’/g],
  ['«', /«[^»]*»/g],
  ['「', /「[^」]*」/g],
  ['『', /『[^』]*』/g],
  ["'", /(^|[\s([{:])'[^'\n]+'(?=$|[\s.,;:!?)\]}])/gm],
];
// Numbers with separators, decimals, signs, exponents and percent.
const NUMBER = /[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?%?/gi;
const DIGIT = /\d/;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `norm-v1`: NFKC; code (fenced and inline) → `<code>`; URLs → `<url>`; quoted task text → `<text>`; numbers →
 * `<num>`; lower-case; whitespace collapsed to single spaces and trimmed. The same template filled with different
 * task text, numbers or code normalises to the same scaffold.
 */
export function normalizeTemplate(text: string): string {
  if (typeof text !== 'string') throw new DistillationInputError('template', 'the template must be a string');
  // NFKC leaves ASCII as it is; most prompts are ASCII and the normaliser would still copy them.
  const ascii = !NON_ASCII.test(text);
  let s = ascii ? text : text.normalize('NFKC');
  // Each rule runs only when the character it needs is present: most prompts have no code, URL or quotes, and a
  // replace scans the whole text even when nothing matches.
  if (s.includes('`') || s.includes('~~~')) s = s.replace(FENCED_CODE, ` ${SLOTS.code} `).replace(INLINE_CODE, ` ${SLOTS.code} `);
  if (s.includes('://')) s = s.replace(URL_RE, ` ${SLOTS.url} `);
  for (const [open, q] of QUOTED) {
    if (!s.includes(open)) continue;
    s = s.replace(q, (match: string, lead?: string) =>
      typeof lead === 'string' && match.startsWith(lead) && match.charAt(lead.length) === "'" ? `${lead} ${SLOTS.text} ` : ` ${SLOTS.text} `,
    );
  }
  // The rules above write only ASCII: ASCII text takes the one-pass scanner for the last three.
  if (ascii) return finishAsciiScaffold(s);
  if (DIGIT.test(s)) s = s.replace(NUMBER, ` ${SLOTS.number} `);
  s = s.toLowerCase();
  return s.replace(/\s+/g, ' ').trim();
}

/** What {@link fingerprintTemplate} produces: the shareable fields of a `prompt-fingerprint` SCO plus the signature. */
export interface TemplateFingerprint {
  /** e.g. `minhash128-w5-keyed-v2:fmf-2026q2/norm-v1`. */
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

/** Version of the keying (see the module comment); part of the scheme string. */
export type FingerprintVersion = 1 | 2;

/** The version new fingerprints are made with. */
export const FINGERPRINT_VERSION: FingerprintVersion = 2;

/** The scheme string for a key id, e.g. `minhash128-w5-keyed-v2:fmf-2026q2/norm-v1`. */
export function fingerprintScheme(keyId: string, version: FingerprintVersion = FINGERPRINT_VERSION): string {
  return `minhash${MINHASH_SIZE}-w${SHINGLE_WORDS}-keyed${version === 1 ? '' : `-v${version}`}:${keyId}/${NORMALIZATION_VERSION}`;
}

const SCHEME = new RegExp(`^minhash${MINHASH_SIZE}-w${SHINGLE_WORDS}-keyed(?:-v(2))?:([A-Za-z0-9._-]{1,64})/${NORMALIZATION_VERSION}$`);

/** The key id and version a scheme string names, or undefined when this library does not compute that scheme. */
export function parseFingerprintScheme(scheme: string): { readonly keyId: string; readonly version: FingerprintVersion } | undefined {
  const m = SCHEME.exec(scheme);
  return m === null ? undefined : { keyId: m[2] as string, version: m[1] === '2' ? 2 : 1 };
}

function subKey(secret: Uint8Array, purpose: string, version: FingerprintVersion): Buffer {
  return createHmac('sha256', secret).update(`distill-intel/prompt-fingerprint/v${version}/${purpose}`).digest();
}

// Hex text is written as ASCII bytes into scratch memory and decoded once: building it by string concatenation left
// several short-lived strings per word, and fingerprints of sampled prompts are made by the tens of thousands.
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const textScratch = Buffer.alloc(64);

/** Writes `w` (signed or not) as 8 lower-case hex digits at `at`. */
function writeHex32(out: Buffer, at: number, w: number): void {
  for (let i = 0; i < 8; i++) out[at + i] = HEX_DIGITS[(w >>> (28 - i * 4)) & 15] as number;
}

/** The first `words` words of a digest as lower-case hex. */
function hex(digest: Int32Array, words: number): string {
  for (let i = 0; i < words; i++) writeHex32(textScratch, i * 8, digest[i] as number);
  return textScratch.toString('latin1', 0, words * 8);
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Band b's value as `bNN:` and 8 hex digits of `w`, made in one step (no intermediate strings). */
function bandString(b: number, w: number): string {
  const hexAt = (shift: number) => HEX_CODES[(w >>> shift) & 15] as number;
  return String.fromCharCode(0x62, 0x30 + ((b / 10) | 0), 0x30 + (b % 10), 0x3a, hexAt(28), hexAt(24), hexAt(20), hexAt(16), hexAt(12), hexAt(8), hexAt(4), hexAt(0));
}

// Signatures are cut from shared slabs: a typed array of 512 bytes gets its own off-heap buffer, whose allocation and
// release by the garbage collector cost more than computing the signature. A slab lives while any of its signatures does.
const SLAB_SIGNATURES = 256;
let slab = new Uint32Array(0);
let slabNext = SLAB_SIGNATURES;
function signatureSlot(): Uint32Array {
  if (slabNext === SLAB_SIGNATURES) {
    slab = new Uint32Array(MINHASH_SIZE * SLAB_SIGNATURES);
    slabNext = 0;
  }
  return slab.subarray(MINHASH_SIZE * slabNext, MINHASH_SIZE * ++slabNext);
}

function shingles(normalized: string): Set<string> {
  const words = normalized.split(' ').filter((w) => w.length > 0);
  if (words.length <= SHINGLE_WORDS) return new Set([words.join(' ')]);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
    // SHINGLE_WORDS is 5; spelled out, the join costs a fifth of slice().join().
    out.add(`${words[i] as string} ${words[i + 1] as string} ${words[i + 2] as string} ${words[i + 3] as string} ${words[i + 4] as string}`);
  }
  return out;
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
  readonly version: FingerprintVersion;
  /** The scheme string of fingerprints under this key and version. */
  readonly scheme: string;
  readonly exact: ShortHmac;
  /** Version 1 keys shingles and bands with HMAC-SHA256, version 2 with SipHash-2-4. */
  readonly shingle: ShortHmac | SipHash24;
  readonly band: ShortHmac | SipHash24;
  readonly seeds: Int32Array;
}

// Keyed by version, key id and secret; a handful of keys per process, so the cache stays tiny.
const keyStates = new Map<string, KeyState>();

// The same key object is passed for every prompt of a run: found by identity first, it skips encoding the secret.
const byKeyObject = new WeakMap<PseudonymKey, { readonly secret: PseudonymKey['key']; readonly keyId: string; readonly states: KeyState[] }>();

function keyState(key: PseudonymKey, version: FingerprintVersion): KeyState {
  const known = byKeyObject.get(key);
  if (known !== undefined && known.secret === key.key && known.keyId === key.keyId) {
    const state = known.states[version];
    if (state !== undefined) return state;
  }
  const state = derivedKeyState(key, version);
  const entry = known !== undefined && known.secret === key.key && known.keyId === key.keyId ? known : { secret: key.key, keyId: key.keyId, states: [] };
  entry.states[version] = state;
  byKeyObject.set(key, entry);
  return state;
}

function derivedKeyState(key: PseudonymKey, version: FingerprintVersion): KeyState {
  const secret = keyBytes(key);
  const cacheKey = `${version}\u0000${key.keyId}\u0000${Buffer.from(secret).toString('base64')}`;
  let state = keyStates.get(cacheKey);
  if (state !== undefined) return state;
  const seedKey = subKey(secret, 'minhash-seeds', version);
  const seeds = new Int32Array(MINHASH_SIZE);
  for (let block = 0; block < MINHASH_SIZE / 8; block++) {
    const bytes = createHmac('sha256', seedKey).update(`seeds-${block}`).digest();
    for (let k = 0; k < 8; k++) seeds[block * 8 + k] = bytes.readInt32BE(k * 4);
  }
  // SipHash takes the first 16 bytes of its sub-key.
  const prf = (purpose: string) =>
    version === 1 ? new ShortHmac(subKey(secret, purpose, 1)) : new SipHash24(subKey(secret, purpose, version).subarray(0, 16));
  state = { version, scheme: fingerprintScheme(key.keyId, version), exact: new ShortHmac(subKey(secret, 'exact', version)), shingle: prf('shingle'), band: prf('band'), seeds };
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
export function fingerprintTemplate(template: string, key: PseudonymKey, version: FingerprintVersion = FINGERPRINT_VERSION): TemplateFingerprint {
  const normalized = normalizeTemplate(template);
  return { ...fingerprintNormalized(normalized, key, version), length_bucket: lengthBucket(template.length) };
}

/**
 * The fingerprint of a template already normalised with {@link normalizeTemplate} (without `length_bucket`, which
 * depends on the original text). Matchers that see the same scaffold many times normalise once and cache on the
 * result.
 *
 * @throws DistillationInputError when the key is too short.
 */
export function fingerprintNormalized(
  normalized: string,
  key: PseudonymKey,
  version: FingerprintVersion = FINGERPRINT_VERSION,
): Omit<TemplateFingerprint, 'length_bucket'> {
  const state = keyState(key, version);
  const value = hex(state.exact.string(normalized), 8);

  // Each distinct shingle is hashed once under the key. Version 1: HMAC bytes 0-7 feed the MinHash "permutations"
  // (a keyed seed mixed into that hash), bytes 8-15 are the shingle's 64 SimHash bits. Version 2: the 64-bit SipHash
  // (high word x, low word y) does both.
  const shingle = state.shingle;
  const hashes = shingle instanceof SipHash24 ? sipShingleHashes(normalized, shingle, SHINGLE_WORDS) : hmacShingleHashes(shingles(normalized), shingle);
  const signature = signatureSlot();
  minhashInto(signature, state.seeds, hashes);
  const simhash = simhashHex(hashes);
  // Band b is keyed over the ASCII digits of b followed by its rows as big-endian 32-bit words; its value is the
  // first 32 bits of the keyed hash (HMAC digest, or SipHash's high word).
  const lsh_bands: string[] = new Array<string>(LSH_BANDS);
  const band = state.band;
  for (let b = 0; b < LSH_BANDS; b++) {
    const label = String(b);
    const buf = band.reserve(label.length + LSH_ROWS * 4);
    let n = 0;
    for (let i = 0; i < label.length; i++) buf[n++] = label.charCodeAt(i);
    for (let r = 0; r < LSH_ROWS; r++) {
      const v = signature[b * LSH_ROWS + r] as number;
      buf[n++] = v >>> 24;
      buf[n++] = (v >>> 16) & 0xff;
      buf[n++] = (v >>> 8) & 0xff;
      buf[n++] = v & 0xff;
    }
    const word = band instanceof SipHash24 ? band.run(n).hi : (band.run(n)[0] as number);
    lsh_bands[b] = bandString(b, word);
  }
  return { scheme: state.scheme, value, lsh_bands, simhash, signature };
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

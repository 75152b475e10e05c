import { joinPointer } from '../diagnostic.js';
import { vocabSet } from './vocabulary-sets.js';
import type { RuleContext } from './rule.js';
import { isObject, reportError, reportWarning } from './rule.js';

/*
 * Hashes dictionaries (§2.7): each key names an algorithm (SHOULD come from hash-algorithm-ov) and "the value MUST be a
 * string in the appropriate format defined by the hash type indicated in the dictionary key"; hash-algorithm-ov
 * (§10.8) spells the format out for each of its algorithms ("MUST be a valid SHA-256 message digest...").
 */

const hex = (digits: number): RegExp => new RegExp(`^[0-9a-fA-F]{${digits}}$`);

/** How a value of each algorithm is written, keyed by the name upper-cased without `-` and `_` (`sha256` = `SHA-256`). */
const FORMATS: ReadonlyMap<string, { readonly name: string; readonly test: RegExp; readonly rule: string }> = new Map([
  ['MD5', { name: 'MD5', test: hex(32), rule: '32 hexadecimal digits (RFC 1321)' }],
  ['SHA1', { name: 'SHA-1', test: hex(40), rule: '40 hexadecimal digits (RFC 3174)' }],
  ['SHA256', { name: 'SHA-256', test: hex(64), rule: '64 hexadecimal digits (RFC 6234)' }],
  ['SHA512', { name: 'SHA-512', test: hex(128), rule: '128 hexadecimal digits (RFC 6234)' }],
  ['SHA3256', { name: 'SHA3-256', test: hex(64), rule: '64 hexadecimal digits (FIPS 202)' }],
  ['SHA3512', { name: 'SHA3-512', test: hex(128), rule: '128 hexadecimal digits (FIPS 202)' }],
  // Block size, then the two base64-alphabet signatures; both are empty for inputs too short to hash.
  ['SSDEEP', { name: 'SSDEEP', test: /^[0-9]+:[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/, rule: 'a piecewise hash blocksize:signature:signature' }],
  // 35 bytes in hex; TLSH 4.x writes its version tag `T1` in front of the same 70 digits.
  ['TLSH', { name: 'TLSH', test: /^(?:T1)?[0-9a-fA-F]{70}$/, rule: 'a 35-byte hash, 70 hexadecimal digits (optionally after the version tag T1)' }],
  // Outside the 2.1 vocabulary (2.0 had them), but their digests have one fixed length all the same.
  ['SHA224', { name: 'SHA-224', test: hex(56), rule: '56 hexadecimal digits (RFC 6234)' }],
  ['SHA384', { name: 'SHA-384', test: hex(96), rule: '96 hexadecimal digits (RFC 6234)' }],
  ['SHA3224', { name: 'SHA3-224', test: hex(56), rule: '56 hexadecimal digits (FIPS 202)' }],
  ['SHA3384', { name: 'SHA3-384', test: hex(96), rule: '96 hexadecimal digits (FIPS 202)' }],
  ['RIPEMD160', { name: 'RIPEMD-160', test: hex(40), rule: '40 hexadecimal digits' }],
  ['WHIRLPOOL', { name: 'WHIRLPOOL', test: hex(128), rule: '128 hexadecimal digits (ISO/IEC 10118-3)' }],
]);

const formatCache = new Map<string, string | null>();

/** The {@link FORMATS} key of an algorithm name, or null for algorithms whose format we do not know (custom ones). */
function formatKey(algorithm: string): string | null {
  let key = formatCache.get(algorithm);
  if (key === undefined) {
    const normal = algorithm.toUpperCase().replace(/[-_]/g, '');
    key = FORMATS.has(normal) ? normal : null;
    if (formatCache.size < 1_000) formatCache.set(algorithm, key);
  }
  return key;
}

/**
 * Checks one hashes dictionary at `path`: `hash-value-invalid` (error) for a value not in its algorithm's format,
 * `hash-algorithm-unknown` (warning) for a key outside hash-algorithm-ov.
 */
export function checkHashes(hashes: unknown, path: string, ctx: RuleContext): void {
  if (!isObject(hashes)) return;
  const vocabulary = vocabSet('hash-algorithm-ov');
  for (const algorithm in hashes) {
    const value = hashes[algorithm];
    const key = formatKey(algorithm);
    const format = key === null ? undefined : FORMATS.get(key);
    // A non-string value is the schema's finding.
    if (format !== undefined && typeof value === 'string' && !format.test.test(value)) {
      const shown = value.length > 72 ? `${value.slice(0, 69)}...` : value;
      reportError(
        ctx,
        'hash-value-invalid',
        joinPointer(path, algorithm),
        `'${shown}' is not a ${format.name} hash: the value must be ${format.rule} (§2.7, §10.8 hash-algorithm-ov: MUST)`,
      );
    }
    if (vocabulary !== undefined && !vocabulary.has(algorithm)) {
      reportWarning(ctx, 'hash-algorithm-unknown', joinPointer(path, algorithm), `hash algorithm '${algorithm}' is not in hash-algorithm-ov (§10, hash-algorithm-ov)`);
    }
  }
}

/** {@link checkHashes} on the `hashes` of each object of a list (external references, alternate data streams, PE sections). */
export function checkHashesInList(list: unknown, path: string, ctx: RuleContext): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (isObject(item) && item['hashes'] !== undefined) checkHashes(item['hashes'], joinPointer(path, i, 'hashes'), ctx);
  }
}

import { hash } from 'node:crypto';
import { DistillIntelError } from '../errors.js';

/**
 * RFC 4122 §4.3 name-based UUID (SHA-1, version 5), lowercase with dashes. The namespace is taken as its 16 bytes
 * whatever its variant bits: ATLAS's namespace ("atlas.mitre.org." read as a UUID) has none, yet hashes like any
 * other. Shared by deterministic SCO ids, the validator's id check and publishers' id schemes; one-shot
 * `crypto.hash` because the validator runs this for every SCO of a feed.
 *
 * @throws DistillIntelError (`UUID_NAMESPACE`) when `namespace` is not 32 hex digits (dashes allowed)
 */
export function uuidV5(name: string, namespace: string): string {
  const hex = sha1Hex(name, namespace);
  // Version nibble (hex digit 12) becomes 5; the variant nibble (digit 16) keeps its low two bits under 10xx.
  const variant = VARIANT_DIGITS[parseInt(hex.charAt(16), 16) & 0x3] as string;
  return (
    hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-5' + hex.slice(13, 16) + '-' + variant + hex.slice(17, 20) + '-' + hex.slice(20, 32)
  );
}

/**
 * Whether the 36 characters of `text` from `at` are, up to the case of their hex digits, the UUID {@link uuidV5}
 * returns for `name` in `namespace`: the validator's check of every deterministic SCO id, without building that
 * UUID's text (five slices joined, then copied flat to be compared: some 1% of the validate command).
 *
 * @throws DistillIntelError (`UUID_NAMESPACE`) when `namespace` is not 32 hex digits (dashes allowed)
 */
export function isUuidV5Of(text: string, at: number, name: string, namespace: string): boolean {
  if (text.length - at !== 36) return false;
  const hex = sha1Hex(name, namespace);
  if (text.charCodeAt(at + 8) !== 45 || text.charCodeAt(at + 13) !== 45 || text.charCodeAt(at + 18) !== 45 || text.charCodeAt(at + 23) !== 45) {
    return false;
  }
  if (text.charCodeAt(at + 14) !== 53 /* 5 */) return false;
  const variant = VARIANT_DIGITS[parseInt(hex.charAt(16), 16) & 0x3] as string;
  return (
    foldedHexCode(text.charCodeAt(at + 19)) === variant.charCodeAt(0) &&
    sameHex(text, at, hex, 0, 8) &&
    sameHex(text, at + 9, hex, 8, 4) &&
    sameHex(text, at + 15, hex, 13, 3) &&
    sameHex(text, at + 20, hex, 17, 3) &&
    sameHex(text, at + 24, hex, 20, 12)
  );
}

/** Whether `n` characters of `text` from `from` are the lowercase hex digits of `hex` from `hexFrom`, in any case. */
function sameHex(text: string, from: number, hex: string, hexFrom: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (foldedHexCode(text.charCodeAt(from + i)) !== hex.charCodeAt(hexFrom + i)) return false;
  return true;
}

/** `A`-`F` folded to `a`-`f`; any other code unit as it is (only letters fold: U+0001 must not pass for `!`). */
function foldedHexCode(c: number): number {
  return c >= 65 && c <= 70 ? c + 32 : c;
}

/** SHA-1 (lowercase hex) of the namespace's 16 bytes followed by `name` in UTF-8: RFC 4122 §4.3 steps 1-4. */
function sha1Hex(name: string, namespace: string): string {
  const ns = namespaceBytes(namespace);
  let data: Buffer;
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so a name this short always fits the scratch buffer: no Buffer per
  // call on the validator's path.
  if (name.length * 3 <= SCRATCH_NAME_BYTES) {
    ns.copy(scratch, 0);
    data = scratch.subarray(0, 16 + scratch.write(name, 16, 'utf8'));
  } else {
    data = Buffer.concat([ns, Buffer.from(name, 'utf8')]);
  }
  return hash('sha1', data, 'hex');
}

const VARIANT_DIGITS = ['8', '9', 'a', 'b'];
const SCRATCH_NAME_BYTES = 4096;
const scratch = Buffer.allocUnsafe(16 + SCRATCH_NAME_BYTES);

const namespaces = new Map<string, Buffer>();

function namespaceBytes(namespace: string): Buffer {
  let bytes = namespaces.get(namespace);
  if (bytes === undefined) {
    const hex = namespace.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new DistillIntelError('UUID_NAMESPACE', `'${namespace}' is not a UUID namespace (16 bytes)`);
    bytes = Buffer.from(hex, 'hex');
    if (namespaces.size < 64) namespaces.set(namespace, bytes);
  }
  return bytes;
}

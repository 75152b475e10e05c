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
  const hex = hash('sha1', data, 'hex');
  // Version nibble (hex digit 12) becomes 5; the variant nibble (digit 16) keeps its low two bits under 10xx.
  const variant = VARIANT_DIGITS[parseInt(hex.charAt(16), 16) & 0x3] as string;
  return (
    hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-5' + hex.slice(13, 16) + '-' + variant + hex.slice(17, 20) + '-' + hex.slice(20, 32)
  );
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

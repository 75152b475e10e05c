import { jsonTextOf } from '../../stix/source-text.js';
import { TaxiiClientUsageError, TaxiiObjectTooLargeError } from './errors.js';

/**
 * Splitting objects into envelopes that fit an API root's `max_content_length` (TAXII 2.1 §4.2.1: the largest body
 * the server accepts, in octets). Each object is serialised once; sizes are UTF-8 byte counts of the exact text sent.
 */

/** One object ready to send. */
export interface SerialisedObject {
  readonly json: string;
  readonly bytes: number;
  readonly id: string | undefined;
  readonly index: number;
}

const HEAD = '{"objects":[';
const TAIL = ']}';
/** Bytes of an envelope around no objects: `{"objects":[` + `]}`. */
export const ENVELOPE_OVERHEAD = HEAD.length + TAIL.length;

/** Objects or a STIX bundle, as `addObjects` accepts them. */
export type ObjectsInput =
  | Iterable<Readonly<Record<string, unknown>>>
  | { readonly type: 'bundle'; readonly id?: string; readonly objects?: readonly unknown[]; readonly [property: string]: unknown };

/**
 * Serialises the input objects. A bundle contributes its `objects` (the wire format is an envelope, never a bundle,
 * §3.7).
 *
 * @throws TaxiiClientUsageError when an entry is not a JSON object.
 */
export function serialiseObjects(input: ObjectsInput): SerialisedObject[] {
  let list: Iterable<unknown>;
  const maybeBundle = input as { type?: unknown; objects?: unknown };
  if (!(Symbol.iterator in Object(input)) && maybeBundle.type === 'bundle') {
    list = Array.isArray(maybeBundle.objects) ? (maybeBundle.objects as unknown[]) : [];
  } else if (Symbol.iterator in Object(input)) {
    list = input as Iterable<unknown>;
  } else {
    throw new TaxiiClientUsageError('objects', 'expected an array (or iterable) of STIX objects or a STIX bundle');
  }
  const out: SerialisedObject[] = [];
  let index = 0;
  for (const o of list) {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      throw new TaxiiClientUsageError(`objects[${index}]`, 'is not a JSON object');
    }
    // The text the object was read from when there is one: the server receives the producer's exact bytes.
    const json = jsonTextOf(o);
    const id = (o as { id?: unknown }).id;
    out.push({ json, bytes: Buffer.byteLength(json, 'utf8'), id: typeof id === 'string' ? id : undefined, index });
    index++;
  }
  return out;
}

/** The envelope text for some serialised objects. */
export function envelopeText(objects: readonly SerialisedObject[]): string {
  return HEAD + objects.map((o) => o.json).join(',') + TAIL;
}

/** Size in bytes of {@link envelopeText} without building it. */
export function envelopeBytes(objects: readonly SerialisedObject[]): number {
  let n = ENVELOPE_OVERHEAD + Math.max(0, objects.length - 1);
  for (const o of objects) n += o.bytes;
  return n;
}

/**
 * Packs objects, in order, into as few envelopes as fit `maxBytes` each (and at most `maxObjects` objects each, when
 * given). Checks every object first, so an oversized one fails the call before anything is sent.
 *
 * @throws TaxiiObjectTooLargeError naming the first object that cannot fit on its own.
 */
export function splitIntoEnvelopes(objects: readonly SerialisedObject[], maxBytes: number, maxObjects = Infinity): SerialisedObject[][] {
  for (const o of objects) {
    const alone = ENVELOPE_OVERHEAD + o.bytes;
    if (alone > maxBytes) throw new TaxiiObjectTooLargeError({ objectId: o.id, index: o.index, bytes: alone, maxContentLength: maxBytes });
  }
  const chunks: SerialisedObject[][] = [];
  let current: SerialisedObject[] = [];
  let size = ENVELOPE_OVERHEAD;
  for (const o of objects) {
    const added = (current.length > 0 ? 1 : 0) + o.bytes;
    if (current.length > 0 && (size + added > maxBytes || current.length >= maxObjects)) {
      chunks.push(current);
      current = [];
      size = ENVELOPE_OVERHEAD;
    }
    size += (current.length > 0 ? 1 : 0) + o.bytes;
    current.push(o);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

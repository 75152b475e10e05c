import { randomFillSync } from 'node:crypto';
import type { TextSpan } from './input-checks.js';

/**
 * The ids an input has shown, each with where the text of its first version lies: the index `duplicate-version`
 * consults once per object. Most ids of a feed come once, so this is the common path of the check across an input,
 * and it keeps no string of the id or of `modified` (only a seeded 64-bit hash of the id, the span and the pointer):
 * a `Map` keyed by 100,000 ids cost the `validate` command some 6% of its time, mostly in cache misses on the map's
 * entries and on the id strings it kept alive, and in the collector moving those strings.
 *
 * An id whose hash matches an entry's is confirmed by the caller (reading the first version back, or asking where
 * the id was moved), so a hash collision costs a read-back and never merges two ids. The hash is seeded per table
 * from the system's random source and an id is placed at most {@link MAX_PROBE} slots from where its hash points, so
 * input built to collide (another lab's feed is hostile until verified) can cost at most that many probes an object:
 * an id that finds no free slot within them is refused ({@link add} returns -1) and the caller keeps it elsewhere.
 */
export class FirstVersions {
  /** Entry number + 1 per slot; 0 is a free slot. Capacity is a power of two, at most half full. */
  #slots = new Int32Array(1 << 12);
  #hashA = new Int32Array(1 << 11);
  #hashB = new Int32Array(1 << 11);
  #offset = new Float64Array(1 << 11);
  #length = new Float64Array(1 << 11);
  /** 1 for an entry whose versions the caller now keeps elsewhere (by exact id): its span no longer matters. */
  #moved = new Uint8Array(1 << 11);
  readonly #pointer: string[] = [];
  #count = 0;
  /** One more than the farthest any entry lies from the slot its hash points at: how far a lookup must look. */
  #reach = 0;
  readonly #seedA: number;
  readonly #seedB: number;
  // The hash of the id last looked up, which add() then inserts without hashing it again.
  #hashedId: string | undefined;
  #lastA = 0;
  #lastB = 0;

  readonly #maxProbe: number;

  /** @param options.maxProbe how far from its hash's slot an id may be placed (default {@link MAX_PROBE}). */
  constructor(options: { readonly maxProbe?: number } = {}) {
    this.#maxProbe = options.maxProbe ?? MAX_PROBE;
    const seeds = randomFillSync(new Int32Array(2));
    this.#seedA = seeds[0] as number;
    this.#seedB = seeds[1] as number;
  }

  /** Entries so far. */
  get size(): number {
    return this.#count;
  }

  /**
   * The entry of `id`: the first entry whose hash equals the id's and that `isId` confirms, or -1 when there is none.
   */
  find(id: string, isId: (entry: number) => boolean): number {
    this.#hash(id);
    const a = this.#lastA;
    const b = this.#lastB;
    const mask = this.#slots.length - 1;
    let slot = a & mask;
    for (let probe = 0; probe < this.#reach; probe++) {
      const taken = this.#slots[slot] as number;
      if (taken === 0) return -1;
      const entry = taken - 1;
      if (this.#hashA[entry] === a && this.#hashB[entry] === b && isId(entry)) return entry;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /**
   * Adds an entry for `id` (which {@link find} did not find), its first version at `span` (none when the caller keeps
   * its versions elsewhere from the start: the entry is then moved already). Returns the entry, or -1 when no slot
   * is free within the probe limit of where its hash points: the caller must keep this id elsewhere.
   */
  add(id: string, pointer: string, span: TextSpan | undefined): number {
    this.#hash(id);
    if (2 * (this.#count + 1) > this.#slots.length) this.#grow();
    const slot = this.#freeSlot(this.#lastA);
    if (slot < 0) return -1;
    const distance = (slot - this.#lastA) & (this.#slots.length - 1);
    if (distance >= this.#reach) this.#reach = distance + 1;
    const entry = this.#count++;
    if (entry === this.#hashA.length) this.#growEntries();
    this.#hashA[entry] = this.#lastA;
    this.#hashB[entry] = this.#lastB;
    if (span === undefined) this.#moved[entry] = 1;
    else {
      this.#offset[entry] = span.offset;
      this.#length[entry] = span.length;
    }
    this.#pointer.push(pointer);
    this.#slots[slot] = entry + 1;
    return entry;
  }

  /** Where the first version of `entry` lies (meaningless once moved). */
  span(entry: number): TextSpan {
    return { offset: this.#offset[entry] as number, length: this.#length[entry] as number };
  }

  /** The pointer of the first version of `entry`. */
  pointer(entry: number): string {
    return this.#pointer[entry] as string;
  }

  /** Whether the caller keeps the versions of `entry` elsewhere. */
  moved(entry: number): boolean {
    return this.#moved[entry] === 1;
  }

  /** Records that the caller now keeps the versions of `entry` elsewhere. */
  markMoved(entry: number): void {
    this.#moved[entry] = 1;
  }

  /**
   * Two independent 32-bit hashes of `s` from the table's seeds (multiply-xor rounds over its UTF-16 units, each
   * finished with an avalanche so that the low bits, which pick the slot, depend on every unit).
   */
  #hash(s: string): void {
    if (s === this.#hashedId) return;
    let a = this.#seedA;
    let b = this.#seedB;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.#lastA = avalanche(a ^ n);
    this.#lastB = avalanche(b + n);
    this.#hashedId = s;
  }

  #freeSlot(hashA: number): number {
    const mask = this.#slots.length - 1;
    let slot = hashA & mask;
    for (let probe = 0; probe < this.#maxProbe; probe++) {
      if (this.#slots[slot] === 0) return slot;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Doubles the slots and places every entry again, measuring the reach anew. */
  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    let reach = 0;
    for (let entry = 0; entry < this.#count; entry++) {
      const home = (this.#hashA[entry] as number) & mask;
      // At most half full, so a free slot always comes; the reach stays exact whatever the distance.
      let slot = home;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
      const distance = (slot - home) & mask;
      if (distance >= reach) reach = distance + 1;
    }
    this.#slots = slots;
    this.#reach = reach;
  }

  #growEntries(): void {
    const n = this.#hashA.length * 2;
    this.#hashA = copiedInto(new Int32Array(n), this.#hashA);
    this.#hashB = copiedInto(new Int32Array(n), this.#hashB);
    this.#offset = copiedInto(new Float64Array(n), this.#offset);
    this.#length = copiedInto(new Float64Array(n), this.#length);
    this.#moved = copiedInto(new Uint8Array(n), this.#moved);
  }
}

/**
 * How far from where its hash points an id may be placed: far beyond what random hashes at half load need (with
 * linear probing at load 1/2 the odds of a run this long are about 0.82^256, below 10^-21 an id), and the bound on the
 * slots one lookup reads.
 */
export const MAX_PROBE = 256;

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function copiedInto<T extends Int32Array | Float64Array | Uint8Array>(to: T, from: T): T {
  to.set(from);
  return to;
}

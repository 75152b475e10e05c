import { randomFillSync } from 'node:crypto';
import { copiedInto } from '../typed-arrays.js';
import type { TextSpan } from './input-checks.js';

/**
 * The ids an input has shown, each with where the text of its first version lies: the index `duplicate-version`
 * consults once per object. Most ids of a feed come once, so this is the common path of the check across an input,
 * and it keeps no string of the id or of `modified` (only a seeded 32-bit hash of the id, the span and the pointer):
 * a `Map` keyed by 100,000 ids cost the `validate` command some 6% of its time, mostly in cache misses on the map's
 * entries and on the id strings it kept alive, and in the collector moving those strings. Each slot holds its
 * entry's hash beside the entry number, so a lookup for a new id reads one place in memory.
 *
 * An id whose hash matches an entry's is confirmed by the caller (reading the first version back, or asking where
 * the id was moved), so a hash collision costs a read-back and never merges two ids. The hash is seeded from the
 * system's random source (once per process, so that validating one object stays cheap) and an id is placed at most {@link MAX_PROBE} slots from where its hash points, so
 * input built to collide (another lab's feed is hostile until verified) can cost at most that many probes an object:
 * an id that finds no free slot within them is refused ({@link add} returns -1) and the caller keeps it elsewhere.
 */
export class FirstVersions {
  /**
   * Two Int32 per slot: the entry number + 1 (0: a free slot) and the entry's hash. Slots are a power of two, at most
   * half of them taken.
   */
  // Small at first: validate() of one object makes a table too.
  #slots = new Int32Array(2 * 16);
  #offset = new Float64Array(8);
  #length = new Float64Array(8);
  /** 1 for an entry whose versions the caller now keeps elsewhere (by exact id): its span no longer matters. */
  #moved = new Uint8Array(8);
  readonly #pointer: string[] = [];
  #count = 0;
  /** One more than the farthest any entry lies from the slot its hash points at: how far a lookup must look. */
  #reach = 0;
  readonly #seed: number;
  readonly #maxProbe: number;
  // The hash of the id last looked up, which add() then inserts without hashing it again.
  #hashedId: string | undefined;
  #lastHash = 0;

  /** @param options.maxProbe how far from its hash's slot an id may be placed (default {@link MAX_PROBE}). */
  constructor(options: { readonly maxProbe?: number } = {}) {
    this.#maxProbe = options.maxProbe ?? MAX_PROBE;
    this.#seed = processSeed ??= randomFillSync(new Int32Array(1))[0] as number;
  }

  /** Entries so far. */
  get size(): number {
    return this.#count;
  }

  /**
   * The entry of `id`: the first entry whose hash equals the id's and that `isId` confirms, or -1 when there is none.
   */
  find(id: string, isId: (entry: number) => boolean): number {
    const h = this.#hash(id);
    const slots = this.#slots;
    const mask = (slots.length >> 1) - 1;
    let slot = h & mask;
    for (let probe = 0; probe < this.#reach; probe++) {
      const taken = slots[2 * slot] as number;
      if (taken === 0) return -1;
      if (slots[2 * slot + 1] === h && isId(taken - 1)) return taken - 1;
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
    const h = this.#hash(id);
    if (2 * (this.#count + 1) > this.#slots.length >> 1) this.#grow();
    const slots = this.#slots;
    const mask = (slots.length >> 1) - 1;
    let slot = h & mask;
    let distance = 0;
    while (slots[2 * slot] !== 0) {
      if (++distance >= this.#maxProbe) return -1;
      slot = (slot + 1) & mask;
    }
    if (distance >= this.#reach) this.#reach = distance + 1;
    const entry = this.#count++;
    if (entry === this.#offset.length) this.#growEntries();
    if (span === undefined) this.#moved[entry] = 1;
    else {
      this.#offset[entry] = span.offset;
      this.#length[entry] = span.length;
    }
    this.#pointer.push(pointer);
    slots[2 * slot] = entry + 1;
    slots[2 * slot + 1] = h;
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
   * A 32-bit hash of `s` from the table's seed: a multiply-xorshift round per UTF-16 unit, finished with an
   * avalanche so that the low bits, which pick the slot, depend on every unit.
   */
  #hash(s: string): number {
    if (s === this.#hashedId) return this.#lastHash;
    let h = this.#seed;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
      h ^= h >>> 15;
    }
    this.#lastHash = avalanche(h ^ n);
    this.#hashedId = s;
    return this.#lastHash;
  }

  /** Doubles the slots and places every entry again, measuring the reach anew. */
  #grow(): void {
    const old = this.#slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    let reach = 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      const h = old[i + 1] as number;
      const home = h & mask;
      // At most half full, so a free slot always comes; the reach stays exact whatever the distance.
      let slot = home;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[i] as number;
      slots[2 * slot + 1] = h;
      const distance = (slot - home) & mask;
      if (distance >= reach) reach = distance + 1;
    }
    this.#slots = slots;
    this.#reach = reach;
  }

  #growEntries(): void {
    const n = this.#offset.length * 2;
    this.#offset = copiedInto(new Float64Array(n), this.#offset);
    this.#length = copiedInto(new Float64Array(n), this.#length);
    this.#moved = copiedInto(new Uint8Array(n), this.#moved);
  }
}

/** The hash seed of every table of this process (or thread), drawn from the system's random source on first use. */
let processSeed: number | undefined;

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

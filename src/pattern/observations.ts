import { parseIpRange, timestampMillis } from './values.js';
import type { IpRange } from './values.js';

/** An SCO as plain JSON. */
export type ScoJson = Readonly<Record<string, unknown>>;

/**
 * A group of SCOs observed together, for callers that do not hold observed-data objects: `objects` is either a
 * dictionary keyed by local reference (the deprecated observed-data `objects` form, refs are the keys) or an array
 * of SCOs with ids (refs are the ids).
 */
export interface ObservationGroup {
  readonly id?: string;
  readonly first_observed: string;
  readonly last_observed: string;
  /** How many observations this group stands for (default 1); it may bind that many times. */
  readonly number_observed?: number;
  readonly objects: Readonly<Record<string, ScoJson>> | readonly ScoJson[];
}

/** One observation, ready for matching. */
export interface PreparedObservation {
  /** Position among the prepared observations (input order). */
  readonly index: number;
  /** The observed-data (or group) id, when it has one. */
  readonly id: string | undefined;
  /** first_observed / last_observed in epoch milliseconds. */
  readonly first: number;
  readonly last: number;
  /** number_observed: how many times this observation may bind. */
  readonly capacity: number;
  /** Referenceable objects: by id, or by local key for the deprecated `objects` dictionary. */
  readonly objects: ReadonlyMap<string, ScoJson>;
  /** Objects by SCO type. */
  readonly byType: ReadonlyMap<string, readonly ScoJson[]>;
}

/** Observations indexed for many patterns: built once, shared by every `CompiledPattern.match` call. */
export class ObservationSet {
  readonly observations: readonly PreparedObservation[];
  /** Input items that could not be used: not JSON objects, or observations with invalid or reversed timestamps. */
  readonly skipped: number;
  private readonly typeIndex = new Map<string, number[]>();
  private readonly valueIndexes = new Map<string, Map<string, number[]>>();
  private readonly rangeIndexes = new Map<string, RangeIndex>();

  constructor(observations: PreparedObservation[], skipped: number) {
    this.observations = observations;
    this.skipped = skipped;
    for (const o of observations) {
      for (const type of o.byType.keys()) {
        let list = this.typeIndex.get(type);
        if (list === undefined) this.typeIndex.set(type, (list = []));
        list.push(o.index);
      }
    }
  }

  /** Indexes of observations holding at least one SCO of `type`, ascending. */
  withType(type: string): readonly number[] {
    return this.typeIndex.get(type) ?? [];
  }

  /**
   * Observations whose SCO of `type` has a primitive at the property chain `names` (`*` = every list element),
   * grouped by value key (see `valueKey`). Built on first use per (type, chain) and kept, so many equality patterns on the same
   * property cost one pass over the data.
   */
  valueIndex(type: string, names: readonly string[]): ReadonlyMap<string, readonly number[]> {
    const cacheKey = type + '\u0000' + names.join('\u0001');
    let index = this.valueIndexes.get(cacheKey);
    if (index !== undefined) return index;
    index = new Map();
    for (const i of this.withType(type)) {
      const o = this.observations[i] as PreparedObservation;
      for (const sco of o.byType.get(type) ?? []) {
        const values = names.includes('*') ? readChainAll(sco, names) : [readChain(sco, names)];
        for (const v of values) {
          const key = valueKey(v);
          if (key === undefined) continue;
          let list = index.get(key);
          if (list === undefined) index.set(key, (list = []));
          if (list[list.length - 1] !== i) list.push(i);
        }
      }
    }
    this.valueIndexes.set(cacheKey, index);
    return index;
  }

  /**
   * Observations whose SCO of `type` has, at the plain property chain `names`, an IP address or CIDR block inside
   * `range` (ISSUBSET). Uses a per-(type, chain, family) index sorted by range start, built on first use.
   */
  withinRange(type: string, names: readonly string[], range: IpRange): readonly number[] {
    const cacheKey = `${type}\u0000${names.join('\u0001')}\u0000${range.family}`;
    let index = this.rangeIndexes.get(cacheKey);
    if (index === undefined) {
      const entries: Array<{ start: bigint; end: bigint; obs: number }> = [];
      for (const i of this.withType(type)) {
        const o = this.observations[i] as PreparedObservation;
        for (const sco of o.byType.get(type) ?? []) {
          const v = readChain(sco, names);
          if (typeof v !== 'string') continue;
          const r = parseIpRange(v);
          if (r !== undefined && r.family === range.family) entries.push({ start: r.start, end: r.end, obs: i });
        }
      }
      entries.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      index = { starts: entries.map((e) => e.start), ends: entries.map((e) => e.end), obs: entries.map((e) => e.obs) };
      this.rangeIndexes.set(cacheKey, index);
    }
    let lo = 0;
    let hi = index.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((index.starts[mid] as bigint) < range.start) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < index.starts.length && (index.starts[i] as bigint) <= range.end; i++) {
      if ((index.ends[i] as bigint) <= range.end) out.push(index.obs[i] as number);
    }
    out.sort((a, b) => a - b);
    return out.filter((v, i) => i === 0 || out[i - 1] !== v);
  }
}

interface RangeIndex {
  readonly starts: readonly bigint[];
  readonly ends: readonly bigint[];
  readonly obs: readonly number[];
}

/** Reads a property chain; `*` fans out over list elements. Returns every value reached. */
export function readChainAll(sco: ScoJson, names: readonly string[]): unknown[] {
  let frontier: unknown[] = [sco];
  for (const n of names) {
    const next: unknown[] = [];
    for (const v of frontier) {
      if (n === '*') {
        if (Array.isArray(v)) next.push(...(v as unknown[]));
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, n)) {
        next.push((v as Record<string, unknown>)[n]);
      }
    }
    frontier = next;
  }
  return frontier;
}

/** Reads a plain property chain (no `*`); undefined when a step is missing. */
export function readChain(sco: ScoJson, names: readonly string[]): unknown {
  let v: unknown = sco;
  for (const n of names) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, n)) return undefined;
    v = (v as Record<string, unknown>)[n];
  }
  return v;
}

/** Index key of a primitive JSON value; undefined for anything else. */
export function valueKey(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + String(v);
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      return undefined;
  }
}

/** What {@link prepareObservations} accepts. */
export type ObservationInput =
  | readonly unknown[]
  | { readonly objects: readonly unknown[] }
  | ObservationSet;

const cache = new WeakMap<object, ObservationSet>();

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns observed-data objects (with `object_refs` resolved against the SCOs in the same input, or the deprecated
 * `objects` dictionary) and {@link ObservationGroup}s into an indexed {@link ObservationSet}. Accepts an array, a
 * bundle, or an existing set. Arrays and bundles are prepared once and cached (weakly) for later calls.
 */
export function prepareObservations(input: ObservationInput): ObservationSet {
  if (input instanceof ObservationSet) return input;
  const cached = cache.get(input);
  if (cached !== undefined) return cached;
  const items: readonly unknown[] = Array.isArray(input) ? input : (input as { objects: readonly unknown[] }).objects;
  const byId = new Map<string, ScoJson>();
  for (const item of items) {
    if (isRecord(item) && typeof item['id'] === 'string' && item['type'] !== 'observed-data' && !('first_observed' in item)) {
      byId.set(item['id'], item);
    }
  }
  const out: PreparedObservation[] = [];
  let skipped = 0;
  for (const item of items) {
    if (!isRecord(item)) {
      skipped++;
      continue;
    }
    if (!('first_observed' in item)) continue;
    const first = timestampMillis(String(item['first_observed']));
    const last = timestampMillis(String(item['last_observed']));
    if (Number.isNaN(first) || Number.isNaN(last) || last < first) {
      skipped++;
      continue;
    }
    const objects = new Map<string, ScoJson>();
    const raw = item['objects'];
    if (Array.isArray(raw)) {
      for (const sco of raw) if (isRecord(sco) && typeof sco['id'] === 'string') objects.set(sco['id'], sco);
    } else if (isRecord(raw)) {
      for (const [k, sco] of Object.entries(raw)) if (isRecord(sco)) objects.set(k, sco);
    } else if (Array.isArray(item['object_refs'])) {
      // §9.7.4: only objects listed in object_refs may be followed.
      for (const ref of item['object_refs'] as unknown[]) {
        const sco = typeof ref === 'string' ? byId.get(ref) : undefined;
        if (sco !== undefined) objects.set(ref as string, sco);
      }
    }
    const byType = new Map<string, ScoJson[]>();
    for (const sco of objects.values()) {
      const t = sco['type'];
      if (typeof t !== 'string') continue;
      let list = byType.get(t);
      if (list === undefined) byType.set(t, (list = []));
      list.push(sco);
    }
    const n = item['number_observed'];
    out.push({
      index: out.length,
      id: typeof item['id'] === 'string' ? item['id'] : undefined,
      first,
      last,
      capacity: typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : 1,
      objects,
      byType,
    });
  }
  const set = new ObservationSet(out, skipped);
  cache.set(input, set);
  return set;
}

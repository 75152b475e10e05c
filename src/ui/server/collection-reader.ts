import type { CollectionRef, ManifestRow, ObjectRow, PagePosition, Store } from '../../taxii/store/store.js';

/** A stored object parsed for display. */
export type StixRecord = Readonly<Record<string, unknown>> & { readonly id: string; readonly type: string };

/** How much of a collection one view request may read. */
export interface ReadLimits {
  /** Rows fetched per store query. */
  readonly pageRows: number;
  /** Rows one scan may read before it stops and reports truncation. */
  readonly scanRows: number;
}

/** Result of a bounded scan. */
export interface ScanResult {
  readonly objects: readonly StixRecord[];
  /** True when the scan stopped at its limit with rows left unread. */
  readonly truncated: boolean;
}

function parse(row: ObjectRow): StixRecord | undefined {
  try {
    const value = JSON.parse(row.json) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return value as StixRecord;
  } catch {
    // The server stores only JSON it parsed; a row that does not parse is skipped rather than failing the page.
    return undefined;
  }
}

/** Largest `match[id]` list sent to the store in one query (the store's own IN-list cost grows with it). */
const ID_BATCH = 200;

/**
 * Bounded, read-only access to one collection's latest object versions for the analyst view. Every method reads at
 * most what its limits allow, so a view request costs the same whatever the collection holds.
 */
export class CollectionReader {
  readonly #store: Store;
  readonly #ref: CollectionRef;
  readonly #limits: ReadLimits;

  constructor(store: Store, ref: CollectionRef, limits: ReadLimits) {
    this.#store = store;
    this.#ref = ref;
    this.#limits = limits;
  }

  /** Latest versions of every object of the given types, in collection order, up to the scan limit. */
  async scan(types: readonly string[]): Promise<ScanResult> {
    const sorted = [...new Set(types)].sort();
    const out: StixRecord[] = [];
    let after: PagePosition | undefined;
    let read = 0;
    while (read < this.#limits.scanRows) {
      const limit = Math.min(this.#limits.pageRows, this.#limits.scanRows - read);
      const page = await this.#store.queryObjects(this.#ref, { versions: ['last'], types: sorted, ...(after ? { after } : {}) }, limit);
      for (const row of page.rows) {
        const obj = parse(row);
        if (obj !== undefined) out.push(obj);
      }
      read += page.rows.length;
      const last = page.rows[page.rows.length - 1];
      if (!page.more || last === undefined) return { objects: out, truncated: false };
      after = { dateAdded: last.dateAdded, seq: last.seq };
    }
    return { objects: out, truncated: true };
  }

  /** Latest versions of the given objects (those the collection holds), by id. */
  async byIds(ids: Iterable<string>): Promise<Map<string, StixRecord>> {
    const unique = [...new Set(ids)].sort();
    const found = new Map<string, StixRecord>();
    for (let i = 0; i < unique.length; i += ID_BATCH) {
      const batch = unique.slice(i, i + ID_BATCH);
      let after: PagePosition | undefined;
      for (;;) {
        const page = await this.#store.queryObjects(this.#ref, { versions: ['last'], ids: batch, ...(after ? { after } : {}) }, this.#limits.pageRows);
        for (const row of page.rows) {
          const obj = parse(row);
          if (obj !== undefined) found.set(obj.id, obj);
        }
        const last = page.rows[page.rows.length - 1];
        if (!page.more || last === undefined) break;
        after = { dateAdded: last.dateAdded, seq: last.seq };
      }
    }
    return found;
  }

  /** One page of latest versions, optionally of some types, after a position. */
  async page(types: readonly string[] | undefined, after: PagePosition | undefined, limit: number): Promise<{ rows: readonly ObjectRow[]; more: boolean }> {
    const sorted = types === undefined || types.length === 0 ? undefined : [...new Set(types)].sort();
    return this.#store.queryObjects(this.#ref, { versions: ['last'], ...(sorted ? { types: sorted } : {}), ...(after ? { after } : {}) }, limit);
  }

  /** Every stored version of one object (rows with their exact text), oldest first, at most `limit`. */
  async versions(id: string, limit: number): Promise<{ rows: readonly ObjectRow[]; more: boolean }> {
    return this.#store.queryObjects(this.#ref, { versions: ['all'], ids: [id] }, limit);
  }

  /** Manifest rows (no text) of one object's versions. */
  async manifest(id: string, limit: number): Promise<{ rows: readonly ManifestRow[]; more: boolean }> {
    return this.#store.queryManifest(this.#ref, { versions: ['all'], ids: [id] }, limit);
  }
}

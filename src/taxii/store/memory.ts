import { isStatusConsistent, type Status } from '../protocol/resources.js';
import { nowMicros, type Micros } from '../protocol/timestamps.js';
import { nextDateAdded, sealDateAdded } from './date-added.js';
import { StoreError } from './errors.js';
import { checkLineage, lineageOfText, type VersionLineage } from './lineage.js';
import type {
  AddResult,
  CollectionRef,
  DeleteFilter,
  JoinedPage,
  ManifestRow,
  NewObject,
  ObjectQuery,
  ObjectRow,
  Page,
  Store,
  StoreOptions,
  StoreStats,
} from './store.js';
import {
  computeFlags,
  lowerBound,
  selectRows,
  specKey,
  versionKey,
  versionSelection,
  type VersionSelection,
} from './versioning.js';

interface MemRow {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly versionKey: string;
  readonly specVersion: string;
  readonly specKey: number;
  readonly dateAdded: Micros;
  readonly json: string;
  readonly fingerprint: string | undefined;
  newestSpec: boolean;
  isFirst: boolean;
  isLast: boolean;
  /** Read from `json` the first time a later version needs it. */
  lineage: VersionLineage | undefined;
}

function lineageOfRow(r: MemRow): VersionLineage {
  r.lineage ??= { ...lineageOfText(r.json), versionKey: r.versionKey };
  return r.lineage;
}

interface MemCollection {
  /** Every live row, ascending by (dateAdded, seq) — appends keep it sorted. */
  rows: MemRow[];
  byId: Map<string, MemRow[]>;
  /** Largest dateAdded ever assigned here, deleted rows included. */
  lastDateAdded: Micros;
}

function collectionKey(target: CollectionRef): string {
  return `${target.apiRoot}\u0000${target.collectionId}`;
}

function after(row: MemRow, bound: { dateAdded: number; seq: number }): boolean {
  return row.dateAdded > bound.dateAdded || (row.dateAdded === bound.dateAdded && row.seq > bound.seq);
}

// Index of the first row strictly after `bound` (binary search; rows are sorted by (dateAdded, seq)).
function firstAfter(rows: readonly MemRow[], bound: { dateAdded: number; seq: number }): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(rows[mid] as MemRow, bound)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function refreshFlags(rows: readonly MemRow[]): void {
  const flags = computeFlags(rows);
  rows.forEach((row, i) => {
    const f = flags[i];
    if (f === undefined) return;
    row.newestSpec = f.newestSpec;
    row.isFirst = f.isFirst;
    row.isLast = f.isLast;
  });
}

function toManifestRow(r: MemRow): ManifestRow {
  return { id: r.id, type: r.type, version: r.version, specVersion: r.specVersion, dateAdded: r.dateAdded, seq: r.seq };
}

function toObjectRow(r: MemRow): ObjectRow {
  return { ...toManifestRow(r), json: r.json };
}

/**
 * A {@link Store} held in memory: for tests, examples and short-lived servers. Nothing survives the process.
 *
 * It keeps the same guarantees as the disk stores (strictly increasing `dateAdded`, keyset pages, exact text), so
 * the contract suite proves the semantics once for every implementation. Each call completes synchronously inside
 * its promise, so operations never interleave.
 */
export class MemoryStore implements Store {
  readonly #collections = new Map<string, MemCollection>();
  readonly #statuses = new Map<string, { json: string; updatedAt: number }>();
  readonly #clock: () => Micros;
  readonly #statusClock: () => number;
  #seq = 0;
  #closed = false;

  constructor(options: StoreOptions = {}) {
    this.#clock = options.clock ?? nowMicros;
    this.#statusClock = options.statusClock ?? Date.now;
  }

  #open(): void {
    if (this.#closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }

  #collection(target: CollectionRef, create: boolean): MemCollection | undefined {
    const key = collectionKey(target);
    let c = this.#collections.get(key);
    if (c === undefined && create) {
      c = { rows: [], byId: new Map(), lastDateAdded: 0 };
      this.#collections.set(key, c);
    }
    return c;
  }

  async ensureCollection(target: CollectionRef): Promise<void> {
    this.#open();
    this.#collection(target, true);
  }

  async addObjects(target: CollectionRef, objects: readonly NewObject[]): Promise<AddResult[]> {
    this.#open();
    const c = this.#collection(target, true) as MemCollection;
    const now = this.#clock();
    const results: AddResult[] = [];
    let lastAdded: number | undefined;
    for (const o of objects) {
      const vKey = versionKey(o.version);
      const existing = c.byId.get(o.id) ?? [];
      const same = existing.find((r) => r.versionKey === vKey);
      if (same !== undefined) {
        const duplicate =
          same.fingerprint !== undefined && o.fingerprint !== undefined
            ? same.fingerprint === o.fingerprint
            : same.json === o.json;
        results.push({ id: o.id, version: o.version, outcome: duplicate ? 'duplicate' : 'conflict', dateAdded: same.dateAdded });
        continue;
      }
      if (existing.length > 0) {
        const refusal = checkLineage(existing.map(lineageOfRow), { ...(o.lineage ?? lineageOfText(o.json)), versionKey: vKey });
        if (refusal !== undefined) {
          results.push({ id: o.id, version: o.version, outcome: 'refused', dateAdded: 0, refusal });
          continue;
        }
      }
      const dateAdded = nextDateAdded(now, c.lastDateAdded);
      c.lastDateAdded = dateAdded;
      const row: MemRow = {
        seq: ++this.#seq,
        id: o.id,
        type: o.type,
        version: o.version,
        versionKey: vKey,
        specVersion: o.specVersion,
        specKey: specKey(o.specVersion),
        dateAdded,
        json: o.json,
        fingerprint: o.fingerprint,
        newestSpec: true,
        isFirst: true,
        isLast: true,
        lineage: o.lineage === undefined ? undefined : { ...o.lineage, versionKey: vKey },
      };
      c.rows.push(row);
      existing.push(row);
      c.byId.set(o.id, existing);
      refreshFlags(existing);
      results.push({ id: o.id, version: o.version, outcome: 'added', dateAdded });
      lastAdded = results.length - 1;
    }
    if (lastAdded !== undefined) this.#seal(c, results, lastAdded);
    return results;
  }

  /** Moves the write's last row to a whole millisecond (see date-added.ts); it is the collection's last row. */
  #seal(c: MemCollection, results: AddResult[], index: number): void {
    const row = c.rows[c.rows.length - 1] as MemRow;
    const sealed: MemRow = { ...row, dateAdded: sealDateAdded(row.dateAdded) };
    c.rows[c.rows.length - 1] = sealed;
    const siblings = c.byId.get(row.id) as MemRow[];
    siblings[siblings.indexOf(row)] = sealed;
    c.lastDateAdded = sealed.dateAdded;
    results[index] = { ...(results[index] as AddResult), dateAdded: sealed.dateAdded };
  }

  #select(target: CollectionRef, query: ObjectQuery, limit: number): { rows: MemRow[]; more: boolean } {
    this.#open();
    if (!Number.isSafeInteger(limit) || limit <= 0) throw new StoreError('STORE_INVALID_ARGUMENT', `limit must be a positive integer, got ${limit}`);
    const c = this.#collection(target, false);
    if (c === undefined) return { rows: [], more: false };
    const bound = lowerBound(query.addedAfter, query.after);
    const selection = versionSelection(query.versions);
    const types = query.types === undefined ? undefined : new Set(query.types);

    // Candidates in (dateAdded, seq) order, from `start`: by id when ids are given, else the collection's tail.
    let candidates: readonly MemRow[];
    let start = 0;
    if (query.ids !== undefined) {
      const byIds: MemRow[] = [];
      for (const id of new Set(query.ids)) byIds.push(...(c.byId.get(id) ?? []));
      byIds.sort((a, b) => a.dateAdded - b.dateAdded || a.seq - b.seq);
      candidates = bound === undefined ? byIds : byIds.filter((r) => after(r, bound));
    } else {
      candidates = c.rows;
      if (bound !== undefined) start = firstAfter(c.rows, bound);
    }

    // Explicit spec lists decide first/last among the listed spec versions: computed per object, once.
    const explicitPick = new Map<string, Set<MemRow>>();
    const picked = (r: MemRow): boolean => {
      let set = explicitPick.get(r.id);
      if (set === undefined) {
        set = new Set(selectRows(c.byId.get(r.id) ?? [], selection, query.specVersions));
        explicitPick.set(r.id, set);
      }
      return set.has(r);
    };
    const matches = (r: MemRow): boolean => {
      if (types !== undefined && !types.has(r.type)) return false;
      if (query.specVersions !== undefined) return picked(r);
      return r.newestSpec && matchesDefaultSpec(r, selection);
    };

    const out: MemRow[] = [];
    for (let i = start; i < candidates.length; i++) {
      const r = candidates[i] as MemRow;
      if (!matches(r)) continue;
      if (out.length === limit) return { rows: out, more: true };
      out.push(r);
    }
    return { rows: out, more: false };
  }

  async queryObjects(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ObjectRow>> {
    const { rows, more } = this.#select(target, query, limit);
    return { rows: rows.map(toObjectRow), more };
  }

  async queryManifest(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ManifestRow>> {
    const { rows, more } = this.#select(target, query, limit);
    return { rows: rows.map(toManifestRow), more };
  }

  async queryObjectsJoined(target: CollectionRef, query: ObjectQuery, limit: number): Promise<JoinedPage> {
    const { rows, more } = this.#select(target, query, limit);
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first === undefined || last === undefined) return { json: '', count: 0, more };
    return {
      json: rows.map((r) => r.json).join(','),
      count: rows.length,
      first: { dateAdded: first.dateAdded, seq: first.seq },
      last: { dateAdded: last.dateAdded, seq: last.seq },
      more,
    };
  }

  async hasObject(target: CollectionRef, id: string): Promise<boolean> {
    this.#open();
    return (this.#collection(target, false)?.byId.get(id)?.length ?? 0) > 0;
  }

  async deleteObject(target: CollectionRef, id: string, filter: DeleteFilter = {}): Promise<number> {
    this.#open();
    const c = this.#collection(target, false);
    const rows = c?.byId.get(id);
    if (c === undefined || rows === undefined) return 0;
    const doomed = new Set(selectRows(rows, versionSelection(filter.versions ?? ['all']), filter.specVersions));
    if (doomed.size === 0) return 0;
    const kept = rows.filter((r) => !doomed.has(r));
    if (kept.length === 0) c.byId.delete(id);
    else {
      c.byId.set(id, kept);
      refreshFlags(kept);
    }
    c.rows = c.rows.filter((r) => !doomed.has(r));
    return doomed.size;
  }

  async putStatus(apiRoot: string, status: Status): Promise<void> {
    this.#open();
    if (!isStatusConsistent(status)) {
      throw new StoreError('STORE_INVALID_ARGUMENT', `status ${status.id}: success + failure + pending must equal total and lists match counts`);
    }
    // Stored as text so later mutation of the caller's object cannot change what was persisted.
    this.#statuses.set(`${apiRoot}\u0000${status.id}`, { json: JSON.stringify(status), updatedAt: this.#statusClock() });
  }

  async getStatus(apiRoot: string, id: string): Promise<Status | undefined> {
    this.#open();
    const entry = this.#statuses.get(`${apiRoot}\u0000${id}`);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as Status);
  }

  async purgeStatuses(olderThan: Date): Promise<number> {
    this.#open();
    const cutoff = olderThan.getTime();
    let removed = 0;
    for (const [key, entry] of this.#statuses) {
      if (entry.updatedAt < cutoff) {
        this.#statuses.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async checkReady(): Promise<void> {
    if (this.#closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }

  async stats(): Promise<StoreStats> {
    let objects = 0;
    for (const c of this.#collections.values()) objects += c.rows.length;
    return { objects, statuses: this.#statuses.size };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#collections.clear();
    this.#statuses.clear();
  }
}

// Default spec (newest per object): first/last flags are precomputed relative to the newest-spec rows.
function matchesDefaultSpec(r: MemRow, s: VersionSelection): boolean {
  if (s.all) return true;
  return (s.first && r.isFirst) || (s.last && r.isLast) || s.exactKeys.includes(r.versionKey);
}

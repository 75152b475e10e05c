import type { PagePosition } from '../protocol/cursor.js';
import type { TaxiiFilters, VersionMatch } from '../protocol/filters.js';
import type { Status } from '../protocol/resources.js';
import type { Micros } from '../protocol/timestamps.js';
import type { Lineage, LineageRefusal } from './lineage.js';

export type { PagePosition } from '../protocol/cursor.js';
export type { TaxiiFilters, VersionMatch } from '../protocol/filters.js';

/**
 * The storage contract of the TAXII server. Implementations: `MemoryStore` (tests, ephemeral), `SqliteStore`
 * (embedded default), later a PostgreSQL store shared by several stateless server instances. One contract test suite
 * (test/store/contract.ts) runs against all of them.
 *
 * Design points every implementation keeps:
 * - **Exact text.** Objects are stored as the exact JSON text received, beside indexed columns (id, type, version,
 *   spec version, date_added, seq). Pages return that text; serving never parses or re-serialises an object.
 * - **Keyset order.** Rows of a collection are ordered by `(dateAdded, seq)`. `dateAdded` is assigned by the store,
 *   strictly increasing per collection at microsecond precision (bumped by 1 µs when the clock has not moved), so
 *   clients paging by `added_after` never skip or repeat a row; `seq` is a store-wide increasing integer that breaks
 *   any remaining tie. A page is "the next `limit` rows after position P matching F", answered through an index at
 *   the same cost on the first and the millionth row.
 * - **Durable before acknowledged.** `addObjects` resolves only after the rows are committed (and, for stores on
 *   disk, synced), so a status that says `success` is never a lie.
 * - **Concurrency.** A page query sees a consistent snapshot; rows added while a client pages land after every
 *   existing row (larger `dateAdded`), so the client meets them on a later page: nothing is lost or repeated.
 * - All methods are async so that network-backed stores fit the same interface.
 *
 * Note for a store shared by several writers (PostgreSQL): `dateAdded` must be assigned *and committed* in order per
 * collection, or a reader could page past a value whose transaction commits later and never see that row. Take a
 * per-collection lock (e.g. `SELECT ... FOR UPDATE` on the collection's high-water-mark row) in the add transaction,
 * as SqliteStore gets for free from `BEGIN IMMEDIATE`.
 */

/** A collection, identified by the API root it lives in and its id (UUID, never the alias). */
export interface CollectionRef {
  /** The API root's path name as the server knows it (e.g. `api1`). */
  readonly apiRoot: string;
  readonly collectionId: string;
}

/** One object to add. The caller (the server) has parsed and validated it; the store never parses `json`. */
export interface NewObject {
  /** Exact JSON text of the object, as received or serialised once; served back byte for byte. */
  readonly json: string;
  /** STIX `id`. */
  readonly id: string;
  /** STIX `type`. */
  readonly type: string;
  /**
   * The version (TAXII §5.3.1): `modified`, else `created`, else a value the server keeps consistent for the object
   * (e.g. a fixed string for unversioned SCOs). Timestamps are compared as instants (`.000Z` = `Z`).
   */
  readonly version: string;
  /** STIX spec version of the object (`spec_version`, or what the server assumes when absent), e.g. `2.1`. */
  readonly specVersion: string;
  /**
   * Optional digest of the object's canonical form (e.g. SHA-256 of RFC 8785 JSON). When both the stored and the
   * new row have one, duplicates are decided by it, so the same object serialised with another key order is still a
   * duplicate; otherwise the exact JSON text is compared.
   */
  readonly fingerprint?: string;
  /**
   * Optional `created`, `created_by_ref` and `revoked` of the object, for a caller that has it parsed anyway (the
   * server): the store then need not parse `json` to apply the versioning rules. Must describe `json`.
   */
  readonly lineage?: Lineage;
}

/**
 * What happened to one submitted object:
 * - `added`: stored as a new version;
 * - `duplicate`: that id + version was already stored with the same content (not an error, TAXII §5.5);
 * - `conflict`: that id + version was already stored with *different* content; the first one is kept (STIX §3.6
 *   leaves this undefined; keeping the first makes re-submission idempotent);
 * - `refused`: a new version that breaks the versioning rules against the versions held (`created` or
 *   `created_by_ref` changed, or it would follow a revoked version; see lineage.ts). Nothing is stored.
 */
export type AddOutcome = 'added' | 'duplicate' | 'conflict' | 'refused';

/** Per-object result of {@link Store.addObjects}, in input order. */
export interface AddResult {
  readonly id: string;
  readonly version: string;
  readonly outcome: AddOutcome;
  /**
   * When this version entered the collection: now for `added`, the stored row's for `duplicate`/`conflict`, and
   * 0 for `refused`.
   */
  readonly dateAdded: Micros;
  /** Why, for `refused`. Its message names held values: show it only to principals that may read them. */
  readonly refusal?: LineageRefusal;
}

/**
 * A page query: the effective filters (see `TaxiiFilters`: `versions` default `last`, absent `specVersions` = the
 * newest spec version held for each object) plus the keyset position to start after.
 *
 * Semantics, in order, per object id:
 * 1. candidate rows: the collection's rows with the id in `ids` and type in `types` (when given);
 * 2. spec versions: rows whose spec version is in `specVersions`, or, when absent, rows of the newest spec version
 *    that object has in the collection;
 * 3. versions: among those, `first` = the earliest version, `last` = the latest (versions ordered as instants),
 *    timestamps = exact matches, `all` = every row;
 * 4. then rows with `dateAdded > addedAfter` and `(dateAdded, seq) > after`, ascending by `(dateAdded, seq)`.
 *
 * Steps 2-3 deliberately ignore `added_after` and the cursor: "latest version" means the latest the collection
 * holds, so a poller asking for what is new since T gets an object's current version if it was added after T, never
 * an older version that happened to arrive later. This also makes the matching set independent of where a page
 * starts, which keyset paging needs, and makes paging by `next` and paging by `added_after =
 * X-TAXII-Date-Added-Last` (TAXII §3.5) return the same rows.
 */
export interface ObjectQuery extends TaxiiFilters {
  /** Start strictly after this row. */
  readonly after?: PagePosition;
}

/** A stored row without its text (manifest and versions endpoints). */
export interface ManifestRow {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly specVersion: string;
  /** µs since the epoch; format with `formatTaxiiTimestamp`. */
  readonly dateAdded: Micros;
  readonly seq: number;
}

/** A stored row with its exact JSON text (objects endpoints). */
export interface ObjectRow extends ManifestRow {
  readonly json: string;
}

/** One page of rows. */
export interface Page<R> {
  /** At most `limit` rows, ascending by `(dateAdded, seq)`. */
  readonly rows: readonly R[];
  /** True exactly when at least one more matching row exists after the last one returned. */
  readonly more: boolean;
}

/**
 * A page of objects as one text: what {@link Store.queryObjectsJoined} returns. Equal, by definition, to
 * `rows.map((r) => r.json).join(',')` of the corresponding {@link Store.queryObjects} page, plus the positions the
 * server needs for the `X-TAXII-Date-Added-*` headers and the `next` cursor.
 */
export interface JoinedPage {
  /** The page's objects' exact texts joined with `,` (no brackets); `''` when the page is empty. */
  readonly json: string;
  /** Number of objects in `json`. */
  readonly count: number;
  /** Position of the first object (absent when empty). */
  readonly first?: PagePosition;
  /** Position of the last object (absent when empty). */
  readonly last?: PagePosition;
  /** As {@link Page.more}. */
  readonly more: boolean;
}

/**
 * Which versions {@link Store.deleteObject} removes. Unlike queries, absent fields mean *everything*: no
 * `versions` = every version, no `specVersions` = every spec version, so a plain DELETE removes the whole object
 * (TAXII §5.7: a later GET must be 404). `first`/`last` are taken among the rows of the selected spec versions.
 */
export interface DeleteFilter {
  readonly versions?: readonly VersionMatch[];
  readonly specVersions?: readonly string[];
}

/** The store contract; see the module documentation for the guarantees. */
/** What {@link Store.stats} reports. */
export interface StoreStats {
  /** Stored object versions (an estimate on PostgreSQL: the planner's row count). */
  readonly objects: number;
  /** Bytes the store occupies on disk, when it has a disk. */
  readonly bytes?: number;
  /** Status resources held (kept until purged after the retention period). */
  readonly statuses: number;
}

export interface Store {
  /** Creates the collection if needed (idempotent). `addObjects` also creates it on first use. */
  ensureCollection(target: CollectionRef): Promise<void>;

  /**
   * Adds objects in one transaction, committed (and durable, for disk stores) before the promise resolves. Each
   * added row gets a fresh `dateAdded`, strictly increasing in input order within the collection, even when many
   * rows are added in the same microsecond. Duplicates within the batch are judged against earlier batch members.
   * A new version of an object already held is first judged by the versioning rules of lineage.ts (against the
   * held versions and earlier batch members); a refused one gets outcome `refused` and is not stored.
   *
   * @returns one result per input object, in input order.
   */
  addObjects(target: CollectionRef, objects: readonly NewObject[]): Promise<AddResult[]>;

  /**
   * One page of objects (with their exact JSON text) matching `query`, ascending by `(dateAdded, seq)`.
   * An unknown collection is empty.
   *
   * @param limit - a positive integer: at most this many rows; `more` tells whether more exist.
   * @throws StoreError `STORE_INVALID_ARGUMENT` when `limit` is not a positive integer.
   */
  queryObjects(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ObjectRow>>;

  /** As {@link Store.queryObjects}, without the JSON text (for manifests and the versions endpoint). */
  queryManifest(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ManifestRow>>;

  /**
   * Optional fast path of {@link Store.queryObjects} for serving an envelope: the same page with the objects' texts
   * already joined by the database, in one result row instead of one row per object. Worth it where rows are costly
   * to transfer (a networked database: one `string_agg` row instead of `limit` rows). Servers use it when present
   * and fall back to `queryObjects` otherwise. SqliteStore deliberately omits it: with the order guaranteed
   * (`group_concat(... ORDER BY ...)`) it measured slower in-process than fetching raw rows.
   */
  queryObjectsJoined?(target: CollectionRef, query: ObjectQuery, limit: number): Promise<JoinedPage>;


  /** True when the collection holds at least one version of the object (for 404 on the object endpoints). */
  hasObject(target: CollectionRef, id: string): Promise<boolean>;

  /**
   * Deletes versions of one object (see {@link DeleteFilter}); deleted rows vanish from every later query.
   *
   * @returns the number of rows (versions) deleted; 0 when nothing matched.
   */
  deleteObject(target: CollectionRef, id: string, filter?: DeleteFilter): Promise<number>;

  /**
   * Stores a status resource (insert or replace), durably. The server writes a status after the objects it reports
   * are committed, so `success` entries are never ahead of the data.
   *
   * @throws StoreError `STORE_INVALID_ARGUMENT` when the status's counts are inconsistent (success + failure +
   *   pending ≠ total).
   */
  putStatus(apiRoot: string, status: Status): Promise<void>;

  /** The status with that id in that API root, or `undefined` (unknown or purged: the server answers 404). */
  getStatus(apiRoot: string, id: string): Promise<Status | undefined>;

  /**
   * Optional readiness probe for `/readyz`: resolves when the store answers and its schema is the one this code
   * reads; rejects with the reason otherwise. Cheap enough to call on every probe.
   */
  checkReady?(): Promise<void>;

  /** Optional figures for monitoring (`/metrics`); see {@link StoreStats}. */
  stats?(): Promise<StoreStats>;

  /**
   * Removes statuses last written before `olderThan`. TAXII §4.3: servers SHOULD keep statuses at least 24 hours
   * after completion; the server calls this with a cutoff no later than now − 24 h.
   *
   * @returns how many statuses were removed.
   */
  purgeStatuses(olderThan: Date): Promise<number>;

  /** Releases resources (closes the database). The store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * How long a status must stay readable after its last update: TAXII §4.3 says servers SHOULD accept status queries
 * for at least 24 hours after the request is processed. Pass `new Date(Date.now() - MIN_STATUS_RETENTION_MS)` (or an
 * earlier cutoff) to {@link Store.purgeStatuses}.
 */
export const MIN_STATUS_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Options shared by the store implementations. */
export interface StoreOptions {
  /**
   * Clock giving the current time in µs since the epoch, used for `dateAdded` (default: the wall clock). Tests
   * inject a frozen clock to prove that equal clock readings still yield strictly increasing `dateAdded`.
   */
  readonly clock?: () => Micros;
  /** Clock for status bookkeeping, in ms (default `Date.now`). */
  readonly statusClock?: () => number;
}

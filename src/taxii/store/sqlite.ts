import { closeSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { isStatusConsistent, type Status } from '../protocol/resources.js';
import { nowMicros, type Micros } from '../protocol/timestamps.js';
import { nextDateAdded, sealDateAdded } from './date-added.js';
import { StoreError } from './errors.js';
import type {
  AddResult,
  CollectionRef,
  DeleteFilter,
  ManifestRow,
  NewObject,
  ObjectQuery,
  ObjectRow,
  Page,
  Store,
  StoreOptions,
  StoreStats,
} from './store.js';
import { idHash } from './id-hash.js';
import { checkLineage, lineageOfText } from './lineage.js';
import { loadSqliteDriver } from './sqlite-driver.js';
import { computeFlags, lowerBound, selectRows, specKey, versionKey, versionSelection } from './versioning.js';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions extends StoreOptions {
  /** Database file path, or `:memory:` for a private in-memory database. Created if missing. */
  readonly filename: string;
  /**
   * SQLite `synchronous` level in WAL mode. `FULL` (default) syncs the WAL on every commit, so a committed batch
   * survives power loss: the "durable before acknowledged" promise behind a `success` status. `NORMAL` syncs only
   * at checkpoints; a crash of the *machine* may then lose the last commits (never corrupt the file). Choose
   * `NORMAL` only when losing acknowledged writes on power failure is acceptable.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Page cache in KiB (default 65,536 = 64 MiB). */
  readonly cacheKiB?: number;
}

const SCHEMA_VERSION = '2';

/**
 * Creates a new database file readable by its owner only (0600): it holds shared intelligence, often TLP:AMBER.
 * SQLite gives the -wal and -shm files the database file's permissions. An existing file keeps its mode.
 */
function createPrivately(filename: string): void {
  if (filename === '' || filename === ':memory:' || filename.startsWith('file:')) return;
  closeSync(openSync(filename, 'a', 0o600));
}

// Objects keep their exact JSON text (`json`) beside the indexed columns every query needs.
// `seq` is the rowid: free, increasing, and the keyset tie-breaker. The flags newest_spec/is_first/is_last are
// maintained per object on every add and delete (see versioning.ts), so the default query
// ("last version of the newest spec") is a range scan of the partial index objects_current.
// objects_by_type serves type filters one type at a time (see SqliteStore.#plan). Ids are looked up through
// objects_by_id on a 53-bit hash of the id (see id-hash.ts; the id text is always compared too). One version per
// (coll, id, version_key) is enforced by addObjects inside its write transaction, not by a unique index, which
// would have to be keyed by the random id text.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS collections (
  coll INTEGER PRIMARY KEY,
  api_root TEXT NOT NULL,
  collection_id TEXT NOT NULL,
  last_date_added INTEGER NOT NULL DEFAULT 0,
  UNIQUE (api_root, collection_id)
);
CREATE TABLE IF NOT EXISTS objects (
  seq INTEGER PRIMARY KEY,
  coll INTEGER NOT NULL,
  stix_id TEXT NOT NULL,
  id_hash INTEGER NOT NULL,
  type TEXT NOT NULL,
  version TEXT NOT NULL,
  version_key TEXT NOT NULL,
  spec_version TEXT NOT NULL,
  spec_key INTEGER NOT NULL,
  date_added INTEGER NOT NULL,
  newest_spec INTEGER NOT NULL,
  is_first INTEGER NOT NULL,
  is_last INTEGER NOT NULL,
  fingerprint TEXT,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_by_id ON objects (coll, id_hash);
CREATE INDEX IF NOT EXISTS objects_by_date ON objects (coll, date_added);
CREATE INDEX IF NOT EXISTS objects_current ON objects (coll, date_added) WHERE newest_spec = 1 AND is_last = 1;
CREATE INDEX IF NOT EXISTS objects_by_type ON objects (coll, type, date_added);
CREATE TABLE IF NOT EXISTS statuses (
  api_root TEXT NOT NULL,
  id TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (api_root, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS statuses_by_age ON statuses (updated_at);
`;

interface IdRow {
  seq: number;
  version_key: string;
  spec_key: number;
  spec_version: string;
  newest_spec: number;
  is_first: number;
  is_last: number;
  date_added: number;
  json: string;
}

interface Facts {
  seq: number;
  readonly versionKey: string;
  readonly specKey: number;
  readonly specVersion: string;
  newest: number;
  first: number;
  last: number;
}

function factsOf(r: IdRow): Facts {
  return {
    seq: r.seq,
    versionKey: r.version_key,
    specKey: r.spec_key,
    specVersion: r.spec_version,
    newest: r.newest_spec,
    first: r.is_first,
    last: r.is_last,
  };
}

// Column order of a raw page row: id, type, version, specVersion, dateAdded, seq[, json].
type RawRow = [string, string, string, string, number, number, string?];
const ROW_COLUMNS = 'o.stix_id, o.type, o.version, o.spec_version, o.date_added, o.seq';

/**
 * A {@link Store} in one SQLite file (better-sqlite3): the embedded default.
 *
 * - WAL journal, `synchronous=FULL` by default (see {@link SqliteStoreOptions.synchronous}): readers never block
 *   the writer, and a batch is on disk before `addObjects` resolves.
 * - Objects are stored as their exact JSON text plus indexed columns; pages select the stored text and hand it to
 *   the server to concatenate; no object is ever parsed or re-serialised here.
 * - Pages are keyset queries `date_added >= d AND (date_added > d OR seq > q) ORDER BY date_added, seq LIMIT n+1`
 *   over an index on `(coll, date_added)` (rowid = seq is implicit in it), so the last page of a million rows costs
 *   what the first does. Never OFFSET.
 * - Statements are prepared once per query shape and reused.
 *
 * better-sqlite3 is synchronous: each call runs to completion inside its promise. A 1,000-object batch holds the
 * event loop for a few milliseconds; the server should batch large POSTs rather than send one huge transaction.
 * Several processes may open the same file (WAL, `busy_timeout`); `dateAdded` stays strictly increasing because it
 * is read and advanced inside the write transaction (`BEGIN IMMEDIATE`).
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #clock: () => Micros;
  readonly #statusClock: () => number;
  readonly #collIds = new Map<string, number>();
  readonly #queries = new Map<string, Database.Statement>();
  readonly #stmt: {
    findColl: Database.Statement<[string, string], { coll: number }>;
    insertColl: Database.Statement<[string, string]>;
    lastDate: Database.Statement<[number], { last_date_added: number }>;
    setLastDate: Database.Statement<[number, number]>;
    setDateAdded: Database.Statement<[number, number]>;
    rowsOfId: Database.Statement<[number, number, string], IdRow>;
    contentOf: Database.Statement<[number], { json: string; fingerprint: string | null }>;
    insert: Database.Statement<unknown[]>;
    setFlags: Database.Statement<[number, number, number, number]>;
    deleteSeq: Database.Statement<[number]>;
    hasObject: Database.Statement<[number, number, string], { one: number }>;
    putStatus: Database.Statement<[string, string, number, string]>;
    getStatus: Database.Statement<[string, string], { json: string }>;
    purge: Database.Statement<[number]>;
  };

  readonly #addTx: (coll: number, objects: readonly NewObject[]) => AddResult[];
  readonly #deleteTx: (coll: number, id: string, filter: DeleteFilter) => number;

  constructor(options: SqliteStoreOptions) {
    this.#clock = options.clock ?? nowMicros;
    this.#statusClock = options.statusClock ?? Date.now;
    const Driver = loadSqliteDriver();
    createPrivately(options.filename);
    const db = new Driver(options.filename);
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${Math.max(1024, Math.floor(options.cacheKiB ?? 65_536))}`);
    db.pragma('temp_store = MEMORY');
    // Checkpoint every ~32 MiB of WAL instead of 4 MiB: fewer checkpoint stalls (and syncs) during bulk ingest.
    db.pragma('wal_autocheckpoint = 8192');
    db.exec(SCHEMA);
    const version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
    if (version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    else if (version.value !== SCHEMA_VERSION) {
      db.close();
      throw new StoreError('STORE_SCHEMA', `${options.filename} has store schema ${version.value}; this version reads ${SCHEMA_VERSION}`);
    }

    this.#stmt = {
      findColl: db.prepare('SELECT coll FROM collections WHERE api_root = ? AND collection_id = ?'),
      insertColl: db.prepare('INSERT OR IGNORE INTO collections (api_root, collection_id) VALUES (?, ?)'),
      lastDate: db.prepare('SELECT last_date_added FROM collections WHERE coll = ?'),
      setLastDate: db.prepare('UPDATE collections SET last_date_added = ? WHERE coll = ?'),
      setDateAdded: db.prepare('UPDATE objects SET date_added = ? WHERE seq = ?'),
      rowsOfId: db.prepare(
        'SELECT seq, version_key, spec_key, spec_version, newest_spec, is_first, is_last, date_added, json ' +
          'FROM objects WHERE coll = ? AND id_hash = ? AND stix_id = ?',
      ),
      contentOf: db.prepare('SELECT json, fingerprint FROM objects WHERE seq = ?'),
      insert: db.prepare(
        'INSERT INTO objects (coll, stix_id, id_hash, type, version, version_key, spec_version, spec_key, date_added, ' +
          'newest_spec, is_first, is_last, fingerprint, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      setFlags: db.prepare('UPDATE objects SET newest_spec = ?, is_first = ?, is_last = ? WHERE seq = ?'),
      deleteSeq: db.prepare('DELETE FROM objects WHERE seq = ?'),
      hasObject: db.prepare('SELECT 1 AS one FROM objects WHERE coll = ? AND id_hash = ? AND stix_id = ? LIMIT 1'),
      putStatus: db.prepare(
        'INSERT INTO statuses (api_root, id, updated_at, json) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (api_root, id) DO UPDATE SET updated_at = excluded.updated_at, json = excluded.json',
      ),
      getStatus: db.prepare('SELECT json FROM statuses WHERE api_root = ? AND id = ?'),
      purge: db.prepare('DELETE FROM statuses WHERE updated_at < ?'),
    };

    const add = db.transaction((coll: number, objects: readonly NewObject[]) => this.#add(coll, objects));
    this.#addTx = (coll, objects) => add.immediate(coll, objects);
    const del = db.transaction((coll: number, id: string, filter: DeleteFilter) => this.#delete(coll, id, filter));
    this.#deleteTx = (coll, id, filter) => del.immediate(coll, id, filter);

  }

  #collId(target: CollectionRef, create: boolean): number | undefined {
    this.#assertOpen();
    const key = `${target.apiRoot}\u0000${target.collectionId}`;
    const cached = this.#collIds.get(key);
    if (cached !== undefined) return cached;
    let row = this.#stmt.findColl.get(target.apiRoot, target.collectionId);
    if (row === undefined && create) {
      this.#stmt.insertColl.run(target.apiRoot, target.collectionId);
      row = this.#stmt.findColl.get(target.apiRoot, target.collectionId);
    }
    if (row !== undefined) this.#collIds.set(key, row.coll);
    return row?.coll;
  }

  #assertOpen(): void {
    if (!this.#db.open) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }

  // Recomputes the flags of one object's rows and writes the ones that changed.
  #writeFlags(facts: Facts[]): void {
    const flags = computeFlags(facts);
    facts.forEach((f, i) => {
      const want = flags[i];
      if (want === undefined) return;
      const n = want.newestSpec ? 1 : 0;
      const first = want.isFirst ? 1 : 0;
      const last = want.isLast ? 1 : 0;
      if (n !== f.newest || first !== f.first || last !== f.last) {
        this.#stmt.setFlags.run(n, first, last, f.seq);
        f.newest = n;
        f.first = first;
        f.last = last;
      }
    });
  }

  #add(coll: number, objects: readonly NewObject[]): AddResult[] {
    const now = this.#clock();
    let last = this.#stmt.lastDate.get(coll)?.last_date_added ?? 0;
    const results: AddResult[] = [];
    let lastAdded: { index: number; seq: number } | undefined;
    for (const o of objects) {
      const vKey = versionKey(o.version);
      const hash = idHash(o.id);
      const existing = this.#stmt.rowsOfId.all(coll, hash, o.id);
      const same = existing.find((r) => r.version_key === vKey);
      if (same !== undefined) {
        const stored = this.#stmt.contentOf.get(same.seq);
        const duplicate =
          stored !== undefined &&
          (stored.fingerprint !== null && o.fingerprint !== undefined
            ? stored.fingerprint === o.fingerprint
            : stored.json === o.json);
        results.push({ id: o.id, version: o.version, outcome: duplicate ? 'duplicate' : 'conflict', dateAdded: same.date_added });
        continue;
      }
      if (existing.length > 0) {
        // the held texts come with the rows (a new object has none, so it reads nothing more); parsed in JS, which
        // measured several times faster than json_extract
        const held = existing.map((r) => ({ ...lineageOfText(r.json), versionKey: r.version_key }));
        const refusal = checkLineage(held, { ...(o.lineage ?? lineageOfText(o.json)), versionKey: vKey });
        if (refusal !== undefined) {
          results.push({ id: o.id, version: o.version, outcome: 'refused', dateAdded: 0, refusal });
          continue;
        }
      }
      const dateAdded = nextDateAdded(now, last);
      last = dateAdded;
      const sKey = specKey(o.specVersion);
      const facts = existing.map(factsOf);
      // The new row's flags are computed with its siblings before the insert, so a new object costs one write;
      // siblings whose flags change (an older "last" version) are updated after it.
      const mine: Facts = { seq: 0, versionKey: vKey, specKey: sKey, specVersion: o.specVersion, newest: 1, first: 1, last: 1 };
      const all = [...facts, mine];
      const own = computeFlags(all)[facts.length] ?? { newestSpec: true, isFirst: true, isLast: true };
      mine.newest = own.newestSpec ? 1 : 0;
      mine.first = own.isFirst ? 1 : 0;
      mine.last = own.isLast ? 1 : 0;
      const info = this.#stmt.insert.run(
        coll,
        o.id,
        hash,
        o.type,
        o.version,
        vKey,
        o.specVersion,
        sKey,
        dateAdded,
        mine.newest,
        mine.first,
        mine.last,
        o.fingerprint ?? null,
        o.json,
      );
      mine.seq = Number(info.lastInsertRowid);
      if (facts.length > 0) this.#writeFlags(all);
      results.push({ id: o.id, version: o.version, outcome: 'added', dateAdded });
      lastAdded = { index: results.length - 1, seq: mine.seq };
    }
    if (lastAdded !== undefined) {
      // The write's last row moves to a whole millisecond (see date-added.ts).
      const sealed = sealDateAdded(last);
      if (sealed !== last) {
        this.#stmt.setDateAdded.run(sealed, lastAdded.seq);
        results[lastAdded.index] = { ...(results[lastAdded.index] as AddResult), dateAdded: sealed };
        last = sealed;
      }
    }
    this.#stmt.setLastDate.run(last, coll);
    return results;
  }

  #delete(coll: number, id: string, filter: DeleteFilter): number {
    const rows = this.#stmt.rowsOfId.all(coll, idHash(id), id);
    const facts = rows.map(factsOf);
    const doomed = new Set(selectRows(facts, versionSelection(filter.versions ?? ['all']), filter.specVersions));
    for (const f of doomed) this.#stmt.deleteSeq.run(f.seq);
    const kept = facts.filter((f) => !doomed.has(f));
    if (kept.length > 0) this.#writeFlags(kept);
    return doomed.size;
  }

  async ensureCollection(target: CollectionRef): Promise<void> {
    this.#collId(target, true);
  }

  async addObjects(target: CollectionRef, objects: readonly NewObject[]): Promise<AddResult[]> {
    const coll = this.#collId(target, true) as number;
    if (objects.length === 0) return [];
    return this.#addTx(coll, objects);
  }

  // Prepares (once per shape) the page statement for a query. Lists travel as one JSON parameter each (json_each),
  // so the statement text does not depend on how many ids or types a client sends.
  //
  // A type filter without ids runs one query per type through objects_by_type (each an index range that stops after
  // limit + 1 rows) and merges the results: SQLite would otherwise walk the date index and test every row's type,
  // which costs the whole collection when the type is rare.
  #plan(query: ObjectQuery, output: Output): Plan {
    const bound = lowerBound(query.addedAfter, query.after);
    const sel = versionSelection(query.versions);
    const explicitSpec = query.specVersions !== undefined;
    const spec: QuerySpec = {
      output,
      bounded: bound !== undefined,
      ids: query.ids !== undefined,
      types: query.types === undefined ? 'none' : query.ids === undefined ? 'one' : 'list',
      explicitSpec,
      sel,
    };
    const shape = [
      output,
      spec.bounded ? 'b' : '',
      spec.ids ? 'i' : '',
      spec.types === 'none' ? '' : spec.types === 'one' ? 'T' : 't',
      explicitSpec ? 's' : '',
      sel.all ? 'A' : '',
      sel.first ? 'F' : '',
      sel.last ? 'L' : '',
      sel.exactKeys.length > 0 ? 'X' : '',
    ].join('');
    let stmt = this.#queries.get(shape);
    if (stmt === undefined) {
      // Raw rows (arrays) are markedly cheaper to produce than objects keyed by column name; we build the objects.
      stmt = this.#db.prepare(buildQuery(spec)).raw(true);
      this.#queries.set(shape, stmt);
    }
    const params: Record<string, unknown> = {};
    if (bound !== undefined) {
      params['d'] = bound.dateAdded;
      params['q'] = bound.seq;
    }
    if (query.ids !== undefined) {
      params['ids'] = JSON.stringify(query.ids);
      params['idh'] = JSON.stringify(query.ids.map(idHash));
    }
    if (spec.types === 'list') params['types'] = JSON.stringify(query.types);
    if (explicitSpec) params['specs'] = JSON.stringify(query.specVersions);
    if (sel.exactKeys.length > 0) params['vkeys'] = JSON.stringify(sel.exactKeys);
    return { stmt, params, perType: spec.types === 'one' ? [...new Set(query.types)] : undefined };
  }

  // Runs a planned statement with `limit`, once per type when the plan is per type, merged in (dateAdded, seq) order.
  #run(plan: Plan, coll: number, limit: number): RawRow[] {
    const params = { ...plan.params, coll, limit };
    if (plan.perType === undefined) return plan.stmt.all(params) as RawRow[];
    const out: RawRow[] = [];
    for (const type of plan.perType) out.push(...(plan.stmt.all({ ...params, type }) as RawRow[]));
    // rows of different types never share a seq, so (dateAdded, seq) orders the merge totally
    if (plan.perType.length > 1) out.sort((a, b) => a[4] - b[4] || a[5] - b[5]);
    return out.length > limit ? out.slice(0, limit) : out;
  }

  #page<R>(target: CollectionRef, query: ObjectQuery, limit: number, withJson: boolean): { rows: R[]; more: boolean } {
    checkLimit(limit);
    const coll = this.#collId(target, false);
    if (coll === undefined) return { rows: [], more: false };
    const raw = this.#run(this.#plan(query, withJson ? 'rows+json' : 'rows'), coll, limit + 1);
    const more = raw.length > limit;
    const n = more ? limit : raw.length;
    const rows: R[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = raw[i] as RawRow;
      rows[i] = (
        withJson
          ? { id: r[0], type: r[1], version: r[2], specVersion: r[3], dateAdded: r[4], seq: r[5], json: r[6] }
          : { id: r[0], type: r[1], version: r[2], specVersion: r[3], dateAdded: r[4], seq: r[5] }
      ) as R;
    }
    return { rows, more };
  }

  async queryObjects(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ObjectRow>> {
    return this.#page<ObjectRow>(target, query, limit, true);
  }

  async queryManifest(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ManifestRow>> {
    return this.#page<ManifestRow>(target, query, limit, false);
  }

  async hasObject(target: CollectionRef, id: string): Promise<boolean> {
    const coll = this.#collId(target, false);
    return coll !== undefined && this.#stmt.hasObject.get(coll, idHash(id), id) !== undefined;
  }

  async deleteObject(target: CollectionRef, id: string, filter: DeleteFilter = {}): Promise<number> {
    const coll = this.#collId(target, false);
    if (coll === undefined) return 0;
    return this.#deleteTx(coll, id, filter);
  }

  async putStatus(apiRoot: string, status: Status): Promise<void> {
    this.#assertOpen();
    if (!isStatusConsistent(status)) {
      throw new StoreError('STORE_INVALID_ARGUMENT', `status ${status.id}: success + failure + pending must equal total and lists match counts`);
    }
    this.#stmt.putStatus.run(apiRoot, status.id, this.#statusClock(), JSON.stringify(status));
  }

  async getStatus(apiRoot: string, id: string): Promise<Status | undefined> {
    this.#assertOpen();
    const row = this.#stmt.getStatus.get(apiRoot, id);
    return row === undefined ? undefined : (JSON.parse(row.json) as Status);
  }

  async purgeStatuses(olderThan: Date): Promise<number> {
    this.#assertOpen();
    return this.#stmt.purge.run(olderThan.getTime()).changes;
  }

  async checkReady(): Promise<void> {
    this.#assertOpen();
    const version = this.#db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
    if (version?.value !== SCHEMA_VERSION) throw new StoreError('STORE_SCHEMA', `store schema is ${version?.value ?? 'missing'}; this version reads ${SCHEMA_VERSION}`);
  }

  async stats(): Promise<StoreStats> {
    this.#assertOpen();
    const one = (sql: string): number => (this.#db.prepare<[], { n: number }>(sql).get()?.n ?? 0);
    return {
      objects: one('SELECT count(*) AS n FROM objects'),
      bytes: one('SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()'),
      statuses: one('SELECT count(*) AS n FROM statuses'),
    };
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

/** What a page statement returns: full rows, or rows with their text. */
type Output = 'rows' | 'rows+json';

interface Plan {
  readonly stmt: Database.Statement;
  readonly params: Readonly<Record<string, unknown>>;
  /** Set when the statement takes one `@type` and must run once per listed type. */
  readonly perType: readonly string[] | undefined;
}

function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new StoreError('STORE_INVALID_ARGUMENT', `limit must be a positive integer, got ${limit}`);
  }
}

interface QuerySpec {
  readonly output: Output;
  readonly bounded: boolean;
  readonly ids: boolean;
  /** `one`: a single `@type` through objects_by_type (run once per type); `list`: `@types` as a JSON list. */
  readonly types: 'none' | 'one' | 'list';
  readonly explicitSpec: boolean;
  readonly sel: ReturnType<typeof versionSelection>;
}

function buildQuery(spec: QuerySpec): string {
  const { sel } = spec;
  const where = ['o.coll = @coll'];
  if (spec.bounded) where.push('o.date_added >= @d', '(o.date_added > @d OR o.seq > @q)');
  if (spec.ids) {
    where.push('o.id_hash IN (SELECT value FROM json_each(@idh))', 'o.stix_id IN (SELECT value FROM json_each(@ids))');
  }
  if (spec.types === 'one') where.push('o.type = @type');
  if (spec.types === 'list') where.push('o.type IN (SELECT value FROM json_each(@types))');
  if (!spec.explicitSpec) {
    if (sel.all) where.push('o.newest_spec = 1');
    else if (sel.last && !sel.first && sel.exactKeys.length === 0) where.push('o.newest_spec = 1 AND o.is_last = 1');
    else {
      const any: string[] = [];
      if (sel.first) any.push('o.is_first = 1');
      if (sel.last) any.push('o.is_last = 1');
      if (sel.exactKeys.length > 0) any.push('o.version_key IN (SELECT value FROM json_each(@vkeys))');
      where.push(`o.newest_spec = 1 AND (${any.join(' OR ')})`);
    }
  } else {
    const inSpecs = 'IN (SELECT value FROM json_each(@specs))';
    where.push(`o.spec_version ${inSpecs}`);
    if (!sel.all) {
      const sibling = (fn: string): string =>
        `o.version_key = (SELECT ${fn}(x.version_key) FROM objects x WHERE x.coll = o.coll AND x.id_hash = o.id_hash ` +
        `AND x.stix_id = o.stix_id AND x.spec_version ${inSpecs})`;
      const any: string[] = [];
      if (sel.first) any.push(sibling('MIN'));
      if (sel.last) any.push(sibling('MAX'));
      if (sel.exactKeys.length > 0) any.push('o.version_key IN (SELECT value FROM json_each(@vkeys))');
      where.push(`(${any.join(' OR ')})`);
    }
  }
  const columns = spec.output === 'rows+json' ? `${ROW_COLUMNS}, o.json` : ROW_COLUMNS;
  // Forced plans: left alone, SQLite prefers walking the date index (no sort needed) and filtering through a Bloom
  // filter, which reads the whole collection when the wanted ids or type are rare. An id list is a handful of index
  // probes plus a small sort; one type is one range of objects_by_type, already in date order.
  const from = spec.ids
    ? 'objects o INDEXED BY objects_by_id'
    : spec.types === 'one'
      ? 'objects o INDEXED BY objects_by_type'
      : 'objects o';
  return `SELECT ${columns} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY o.date_added, o.seq LIMIT @limit`;
}

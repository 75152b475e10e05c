import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { isStatusConsistent, type Status } from '../protocol/resources.js';
import type { Micros } from '../protocol/timestamps.js';
import { nextDateAdded, sealDateAdded } from './date-added.js';
import { StoreError } from './errors.js';
import { checkLineage, lineageOf, lineageOfText, type VersionLineage } from './lineage.js';
import { loadPgDriver } from './postgres-driver.js';
import { PostgresStoreError } from './postgres-errors.js';
import { assertPostgresSchemaCurrent, checkSchemaName, migratePostgres, postgresSchemaState, quoteIdent } from './postgres-migrations.js';
import { buildJoinedQuery, buildPageQuery, type PgRawRow } from './postgres-sql.js';
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
import { computeFlags, selectRows, specKey, versionKey, versionSelection } from './versioning.js';

/** Options of {@link PostgresStore.open} and {@link openPostgresStore}. */
export interface PostgresStoreOptions extends StoreOptions {
  /**
   * libpq-style URL, e.g. `postgres://user:password@db.internal:5432/taxii?sslmode=verify-full`. TLS to the database
   * is configured in the URL (`sslmode`, `sslrootcert`...), as `pg` reads it.
   */
  readonly connectionString: string;
  /**
   * PostgreSQL schema holding the tables (default `public`). Several independent stores can share one database
   * under different schemas.
   */
  readonly schema?: string;
  /** Largest number of connections this process opens (default 10). Size it so instances × poolSize < max_connections. */
  readonly poolSize?: number;
  /**
   * Apply pending schema migrations when opening (default true). Set false when the server's database role may not
   * change the schema: the store then refuses to open until `distill-intel migrate` has been run.
   */
  readonly migrate?: boolean;
  /** `application_name` shown in `pg_stat_activity` (default `distill-intel`). */
  readonly applicationName?: string;
  /** How long to wait for a connection, in ms (default 10,000); past it the operation fails instead of hanging. */
  readonly connectTimeoutMs?: number;
  /**
   * How long a write waits for another writer of the same collection, in ms (default 30,000); past it the write
   * fails (and is rolled back) rather than queueing forever behind a stuck transaction.
   */
  readonly lockTimeoutMs?: number;
  /** Called with errors of idle pooled connections (e.g. the database restarted); default: ignored, the pool reconnects. */
  readonly onConnectionError?: (err: Error) => void;
  /**
   * Instrumentation for tests: awaited inside every write transaction (add, delete) just before COMMIT, while the
   * transaction holds its collection lock. Never set it in production.
   */
  readonly beforeCommit?: (operation: 'add' | 'delete', target: CollectionRef) => Promise<void>;
}

interface IdRow {
  seq: string;
  stix_id: string;
  version_key: string;
  spec_key: number;
  spec_version: string;
  newest_spec: boolean;
  is_first: boolean;
  is_last: boolean;
  date_added: string;
  fingerprint: string | null;
  created: string | null;
  created_by_ref: string | null;
  revoked: string | null;
}

/** One row of an object during a write: stored (seq set) or new in this batch. */
interface WorkRow {
  readonly seq: string | undefined;
  readonly versionKey: string;
  readonly specKey: number;
  readonly specVersion: string;
  /** Mutable only for the write's last new row, which is sealed to a whole millisecond (date-added.ts). */
  dateAdded: Micros;
  readonly fingerprint: string | undefined;
  /** Text of a new row; stored rows' text is fetched only when a duplicate check needs it. */
  json: string | undefined;
  newest: boolean;
  first: boolean;
  last: boolean;
  readonly object?: NewObject;
  /** Versioning facts: read by the query for stored rows, from the text for new rows when a later one needs them. */
  lineage: VersionLineage | undefined;
}

function lineageOfWorkRow(r: WorkRow): VersionLineage {
  r.lineage ??= { ...(r.object?.lineage ?? lineageOfText(r.json ?? '')), versionKey: r.versionKey };
  return r.lineage;
}

// The database clock in µs. extract(epoch ...) is numeric since PostgreSQL 14, so the product is exact.
const NOW_MICROS = '(extract(epoch FROM clock_timestamp()) * 1000000)::bigint';

/**
 * A {@link Store} in PostgreSQL, shared by any number of stateless server instances (processes, machines).
 *
 * - **Exact text, indexed columns.** Objects are kept as their exact JSON text (`text`, never `jsonb`) beside the
 *   columns queries need; pages are keyset queries `(date_added, seq) > (d, q) ORDER BY date_added, seq LIMIT n+1`
 *   over partial/covering indexes, so a page costs the same at the first and the millionth row. Every query shape
 *   is a named prepared statement.
 * - **date_added across instances.** Each collection has a counter row (`collections.last_date_added`). Every write
 *   transaction first locks that row (`SELECT ... FOR UPDATE`), assigns `date_added = max(now, last + 1)` to its new
 *   rows, advances the counter and holds the lock until COMMIT. Writers of one collection therefore commit one after
 *   the other, in `date_added` order: a row that becomes visible never has a `date_added` below one that was
 *   already visible. Without the lock two concurrent transactions could take interleaved or equal values and the one
 *   with the *earlier* values could commit *later*: a client that had read up to the later value with `added_after`
 *   or a `next` cursor would never see those rows. A sequence or the clock alone cannot prevent that, because the
 *   order of assignment is not the order of commit. The row lock was chosen over an advisory lock because the row
 *   also persists the high-water mark (needed after deletes and when clocks go backwards) and because it is
 *   released by PostgreSQL itself on commit, rollback or a dropped connection. The cost is that writes to ONE
 *   collection are serial (one commit at a time, batches amortise it); writes to different collections and all
 *   reads proceed in parallel.
 * - **Concurrent POSTs of the same object** serialise on that lock too: the second transaction, once it has the
 *   lock, sees the first one's committed row and reports `duplicate` (a unique index backs this up).
 * - **Clock.** `now` is the *database server's* clock (read after the lock is taken) unless a `clock` option is
 *   given, so instances with skewed clocks agree; `max(now, last + 1)` keeps the order even if it steps back.
 * - **Durable before acknowledged.** `addObjects` resolves after COMMIT returns, which with PostgreSQL's default
 *   `synchronous_commit = on` means the WAL is flushed (and replicated, if synchronous replication is set up).
 * - Statuses and shared server settings live in the database, so any instance answers for any other.
 *
 * `pg` is an optional peer dependency, loaded by {@link PostgresStore.open} on first use.
 */
export class PostgresStore implements Store {
  readonly #pool: Pool;
  readonly #s: string;
  readonly #schema: string;
  readonly #tag: string;
  readonly #clock: (() => Micros) | undefined;
  readonly #statusClock: () => number;
  readonly #beforeCommit: PostgresStoreOptions['beforeCommit'];
  readonly #collIds = new Map<string, number>();
  /** Tail of each collection's queue of this process's writes (see #write). */
  readonly #writeQueues = new Map<number, Promise<void>>();
  #closed = false;

  private constructor(pool: Pool, schema: string, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#s = quoteIdent(schema);
    this.#schema = schema;
    // Prepared-statement names are per connection and must not collide between schemas.
    this.#tag = createHash('sha256').update(schema).digest('hex').slice(0, 10);
    this.#clock = options.clock;
    this.#statusClock = options.statusClock ?? Date.now;
    this.#beforeCommit = options.beforeCommit;
  }

  /**
   * Connects, migrates (unless `migrate: false`) and returns a ready store.
   *
   * @throws PostgresStoreError `STORE_DRIVER_MISSING` (pg not installed), `STORE_UNAVAILABLE` (cannot connect);
   *   StoreError `STORE_SCHEMA` (schema newer than this code, or behind with `migrate: false`).
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    checkSchemaName(schema);
    const pg = await loadPgDriver();
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'distill-intel',
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      lock_timeout: options.lockTimeoutMs ?? 30_000,
      // a transaction never waits for its client except in tests' beforeCommit; a stuck one must not hold the lock
      idle_in_transaction_session_timeout: 60_000,
      keepAlive: true,
    });
    pool.on('error', (err) => options.onConnectionError?.(err));
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new PostgresStoreError('STORE_UNAVAILABLE', `cannot connect to PostgreSQL at ${redactUrl(options.connectionString)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    try {
      const enc = await client.query<{ server_encoding: string }>('SHOW server_encoding');
      const encoding = enc.rows[0]?.server_encoding;
      if (encoding !== 'UTF8') {
        throw new StoreError('STORE_SCHEMA', `the database encoding is ${encoding ?? '?'}; the store needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')`);
      }
      if (options.migrate === false) await assertPostgresSchemaCurrent(client, schema);
      else await migratePostgres(client, schema);
      client.release();
    } catch (err) {
      client.release(true);
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, schema, options);
  }

  #open(): void {
    if (this.#closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }

  #named(key: string, text: string, values: unknown[], rowMode?: 'array'): QueryConfig {
    return { name: `di_${this.#tag}_${key}`, text, values, ...(rowMode === undefined ? {} : { rowMode }) };
  }

  async #collId(target: CollectionRef, create: boolean): Promise<number | undefined> {
    this.#open();
    const key = `${target.apiRoot}\u0000${target.collectionId}`;
    const cached = this.#collIds.get(key);
    if (cached !== undefined) return cached;
    const s = this.#s;
    const find = async (): Promise<number | undefined> =>
      (
        await this.#pool.query<{ coll: number }>(
          this.#named('coll', `SELECT coll FROM ${s}.collections WHERE api_root = $1 AND collection_id = $2`, [target.apiRoot, target.collectionId]),
        )
      ).rows[0]?.coll;
    // Look before inserting: an INSERT ... ON CONFLICT on an existing row would wait for any writer holding that
    // row's lock (a whole write transaction) just to learn that the collection exists.
    let coll = await find();
    if (coll === undefined && create) {
      await this.#pool.query(`INSERT INTO ${s}.collections (api_root, collection_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        target.apiRoot,
        target.collectionId,
      ]);
      // a new statement, so a new snapshot: it sees the row another instance committed while our INSERT waited on it
      coll = await find();
    }
    if (coll !== undefined) this.#collIds.set(key, coll);
    return coll;
  }

  // Runs `work` in a transaction that holds the collection's counter-row lock until COMMIT; see the class comment.
  // This process's writers of one collection also queue here first, so that they wait without holding pooled
  // connections: only one connection per collection and process ever waits on the row lock, and reads keep the rest.
  async #write<T>(
    operation: 'add' | 'delete',
    target: CollectionRef,
    coll: number,
    work: (client: PoolClient, last: Micros, now: Micros) => Promise<{ result: T; last: Micros }>,
  ): Promise<T> {
    const previous = this.#writeQueues.get(coll) ?? Promise.resolve();
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#writeQueues.set(coll, tail);
    await previous;
    try {
      return await this.#transaction(operation, target, coll, work);
    } finally {
      release();
      if (this.#writeQueues.get(coll) === tail) this.#writeQueues.delete(coll);
    }
  }

  async #transaction<T>(
    operation: 'add' | 'delete',
    target: CollectionRef,
    coll: number,
    work: (client: PoolClient, last: Micros, now: Micros) => Promise<{ result: T; last: Micros }>,
  ): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const head = await client.query<{ last: string; now: string }>(
        this.#named('lock', `SELECT last_date_added AS last, ${NOW_MICROS} AS now FROM ${this.#s}.collections WHERE coll = $1 FOR UPDATE`, [coll]),
      );
      const row = head.rows[0];
      if (row === undefined) throw new StoreError('STORE_SCHEMA', `collection row ${coll} vanished from the database`);
      const last = Number(row.last);
      const now = this.#clock?.() ?? Number(row.now);
      const out = await work(client, last, now);
      if (out.last !== last) {
        await client.query(this.#named('setlast', `UPDATE ${this.#s}.collections SET last_date_added = $2 WHERE coll = $1`, [coll, out.last]));
      }
      if (this.#beforeCommit !== undefined) await this.#beforeCommit(operation, target);
      await client.query('COMMIT');
      return out.result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async ensureCollection(target: CollectionRef): Promise<void> {
    await this.#collId(target, true);
  }

  async addObjects(target: CollectionRef, objects: readonly NewObject[]): Promise<AddResult[]> {
    const coll = (await this.#collId(target, true)) as number;
    if (objects.length === 0) return [];
    return this.#write('add', target, coll, (client, last, now) => this.#add(client, coll, objects, last, now));
  }

  async #add(
    client: PoolClient,
    coll: number,
    objects: readonly NewObject[],
    lastBefore: Micros,
    now: Micros,
  ): Promise<{ result: AddResult[]; last: Micros }> {
    const s = this.#s;
    const ids = [...new Set(objects.map((o) => o.id))];
    const stored = await client.query<IdRow>(
      this.#named(
        'rows_of_ids',
        // The versioning facts come out of the stored text (parsed once per row, as json: never jsonb, which would
        // reorder keys); new objects pay nothing, objects with versions pay one parse per held version.
        `SELECT seq, stix_id, version_key, spec_key, spec_version, newest_spec, is_first, is_last, date_added, fingerprint, ` +
          `j->>'created' AS created, j->>'created_by_ref' AS created_by_ref, j->>'revoked' AS revoked ` +
          `FROM ${s}.objects o, LATERAL (SELECT o.json::json AS j) x WHERE coll = $1 AND stix_id = ANY($2::text[])`,
        [coll, ids],
      ),
    );
    const byId = new Map<string, WorkRow[]>();
    for (const r of stored.rows) {
      const list = byId.get(r.stix_id) ?? [];
      list.push({
        seq: r.seq,
        versionKey: r.version_key,
        specKey: r.spec_key,
        specVersion: r.spec_version,
        dateAdded: Number(r.date_added),
        fingerprint: r.fingerprint ?? undefined,
        json: undefined,
        newest: r.newest_spec,
        first: r.is_first,
        last: r.is_last,
        lineage: { ...lineageOf(r.created ?? undefined, r.created_by_ref ?? undefined, r.revoked ?? undefined), versionKey: r.version_key },
      });
      byId.set(r.stix_id, list);
    }

    // Stored texts needed for duplicate checks (same id + version, and no fingerprint on both sides), in one query.
    const keys = objects.map((o) => versionKey(o.version));
    const needText = new Set<string>();
    objects.forEach((o, i) => {
      const same = byId.get(o.id)?.find((r) => r.seq !== undefined && r.versionKey === keys[i]);
      if (same?.seq !== undefined && (same.fingerprint === undefined || o.fingerprint === undefined)) needText.add(same.seq);
    });
    if (needText.size > 0) {
      const texts = await client.query<{ seq: string; json: string }>(
        this.#named('texts', `SELECT seq, json FROM ${s}.objects WHERE seq = ANY($1::bigint[])`, [[...needText]]),
      );
      const bySeq = new Map(texts.rows.map((t) => [t.seq, t.json]));
      for (const list of byId.values()) for (const r of list) if (r.seq !== undefined) r.json = bySeq.get(r.seq) ?? r.json;
    }

    let last = lastBefore;
    let lastAdded: number | undefined;
    const results: AddResult[] = [];
    const touched = new Set<string>();
    objects.forEach((o, i) => {
      const vKey = keys[i] as string;
      const list = byId.get(o.id) ?? [];
      const same = list.find((r) => r.versionKey === vKey);
      if (same !== undefined) {
        const duplicate = same.fingerprint !== undefined && o.fingerprint !== undefined ? same.fingerprint === o.fingerprint : same.json === o.json;
        results.push({ id: o.id, version: o.version, outcome: duplicate ? 'duplicate' : 'conflict', dateAdded: same.dateAdded });
        return;
      }
      let lineage: VersionLineage | undefined;
      if (list.length > 0) {
        lineage = { ...(o.lineage ?? lineageOfText(o.json)), versionKey: vKey };
        const refusal = checkLineage(list.map(lineageOfWorkRow), lineage);
        if (refusal !== undefined) {
          results.push({ id: o.id, version: o.version, outcome: 'refused', dateAdded: 0, refusal });
          return;
        }
      }
      const dateAdded = nextDateAdded(now, last);
      last = dateAdded;
      lastAdded = results.length;
      list.push({
        seq: undefined,
        versionKey: vKey,
        specKey: specKey(o.specVersion),
        specVersion: o.specVersion,
        dateAdded,
        fingerprint: o.fingerprint,
        json: o.json,
        newest: true,
        first: true,
        last: true,
        object: o,
        lineage,
      });
      byId.set(o.id, list);
      touched.add(o.id);
      results.push({ id: o.id, version: o.version, outcome: 'added', dateAdded });
    });
    if (touched.size === 0) return { result: results, last };
    // The write's last row moves to a whole millisecond before anything is inserted (see date-added.ts).
    const sealed = sealDateAdded(last);
    if (sealed !== last && lastAdded !== undefined) {
      const mine = results[lastAdded] as AddResult;
      const row = (byId.get(mine.id) as WorkRow[]).find((r) => r.seq === undefined && r.dateAdded === last) as WorkRow;
      row.dateAdded = sealed;
      results[lastAdded] = { ...mine, dateAdded: sealed };
      last = sealed;
    }

    // Final flags per touched object; new rows are inserted with them, stored rows updated only when they change.
    const ins = { id: [] as string[], type: [] as string[], version: [] as string[], vkey: [] as string[], spec: [] as string[] };
    const insMore = { skey: [] as number[], date: [] as number[], n: [] as boolean[], f: [] as boolean[], l: [] as boolean[] };
    const insText = { fp: [] as (string | null)[], json: [] as string[] };
    const upd = { seq: [] as string[], n: [] as boolean[], f: [] as boolean[], l: [] as boolean[] };
    for (const id of touched) {
      const list = byId.get(id) as WorkRow[];
      const flags = computeFlags(list);
      list.forEach((r, i) => {
        const want = flags[i];
        if (want === undefined) return;
        const changed = want.newestSpec !== r.newest || want.isFirst !== r.first || want.isLast !== r.last;
        if (r.seq !== undefined && changed) {
          upd.seq.push(r.seq);
          upd.n.push(want.newestSpec);
          upd.f.push(want.isFirst);
          upd.l.push(want.isLast);
        }
        r.newest = want.newestSpec;
        r.first = want.isFirst;
        r.last = want.isLast;
      });
    }
    const added: WorkRow[] = [];
    for (const list of byId.values()) for (const r of list) if (r.object !== undefined) added.push(r);
    added.sort((a, b) => a.dateAdded - b.dateAdded);
    for (const r of added) {
      const o = r.object as NewObject;
      ins.id.push(o.id);
      ins.type.push(o.type);
      ins.version.push(o.version);
      ins.vkey.push(r.versionKey);
      ins.spec.push(o.specVersion);
      insMore.skey.push(r.specKey);
      insMore.date.push(r.dateAdded);
      insMore.n.push(r.newest);
      insMore.f.push(r.first);
      insMore.l.push(r.last);
      insText.fp.push(o.fingerprint ?? null);
      insText.json.push(o.json);
    }
    await client.query(
      this.#named(
        'insert',
        `INSERT INTO ${s}.objects (coll, stix_id, type, version, version_key, spec_version, spec_key, date_added, ` +
          `newest_spec, is_first, is_last, fingerprint, json) ` +
          `SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], ` +
          `$9::bool[], $10::bool[], $11::bool[], $12::text[], $13::text[]) ` +
          `AS u(stix_id, type, version, version_key, spec_version, spec_key, date_added, newest_spec, is_first, is_last, fingerprint, json)`,
        [coll, ins.id, ins.type, ins.version, ins.vkey, ins.spec, insMore.skey, insMore.date, insMore.n, insMore.f, insMore.l, insText.fp, insText.json],
      ),
    );
    if (upd.seq.length > 0) await this.#updateFlags(client, upd);
    return { result: results, last };
  }

  async #updateFlags(client: PoolClient, upd: { seq: string[]; n: boolean[]; f: boolean[]; l: boolean[] }): Promise<void> {
    await client.query(
      this.#named(
        'flags',
        `UPDATE ${this.#s}.objects o SET newest_spec = u.n, is_first = u.f, is_last = u.l ` +
          `FROM unnest($1::bigint[], $2::bool[], $3::bool[], $4::bool[]) AS u(seq, n, f, l) WHERE o.seq = u.seq`,
        [upd.seq, upd.n, upd.f, upd.l],
      ),
    );
  }

  async #select(target: CollectionRef, query: ObjectQuery, limit: number, withJson: boolean): Promise<{ raw: PgRawRow[]; more: boolean }> {
    this.#open();
    if (!Number.isSafeInteger(limit) || limit <= 0) {
      throw new StoreError('STORE_INVALID_ARGUMENT', `limit must be a positive integer, got ${limit}`);
    }
    const coll = await this.#collId(target, false);
    if (coll === undefined) return { raw: [], more: false };
    const q = buildPageQuery(this.#s, coll, query, limit, withJson);
    const r = await this.#pool.query<PgRawRow>(this.#named(`page_${q.shape}`, q.text, q.values, 'array'));
    const raw = r.rows;
    const more = raw.length > limit;
    if (more) raw.length = limit;
    return { raw, more };
  }

  async queryObjects(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ObjectRow>> {
    const { raw, more } = await this.#select(target, query, limit, true);
    const rows = raw.map(
      (r): ObjectRow => ({ id: r[0], type: r[1], version: r[2], specVersion: r[3], dateAdded: Number(r[4]), seq: Number(r[5]), json: r[6] as string }),
    );
    return { rows, more };
  }

  async queryManifest(target: CollectionRef, query: ObjectQuery, limit: number): Promise<Page<ManifestRow>> {
    const { raw, more } = await this.#select(target, query, limit, false);
    const rows = raw.map((r): ManifestRow => ({ id: r[0], type: r[1], version: r[2], specVersion: r[3], dateAdded: Number(r[4]), seq: Number(r[5]) }));
    return { rows, more };
  }

  async queryObjectsJoined(target: CollectionRef, query: ObjectQuery, limit: number): Promise<JoinedPage> {
    this.#open();
    if (!Number.isSafeInteger(limit) || limit <= 0) {
      throw new StoreError('STORE_INVALID_ARGUMENT', `limit must be a positive integer, got ${limit}`);
    }
    const coll = await this.#collId(target, false);
    if (coll === undefined) return { json: '', count: 0, more: false };
    const q = buildJoinedQuery(this.#s, coll, query, limit);
    const r = await this.#pool.query<[string, number, boolean, string | null, string | null, string | null, string | null]>(
      this.#named(`page_${q.shape}`, q.text, q.values, 'array'),
    );
    const [json, count, more, fd, fs, ld, ls] = r.rows[0] ?? ['', 0, false, null, null, null, null];
    if (count === 0 || fd === null || fs === null || ld === null || ls === null) return { json: '', count: 0, more };
    return { json, count, first: { dateAdded: Number(fd), seq: Number(fs) }, last: { dateAdded: Number(ld), seq: Number(ls) }, more };
  }

  async hasObject(target: CollectionRef, id: string): Promise<boolean> {
    const coll = await this.#collId(target, false);
    if (coll === undefined) return false;
    const r = await this.#pool.query(this.#named('has', `SELECT 1 FROM ${this.#s}.objects WHERE coll = $1 AND stix_id = $2 LIMIT 1`, [coll, id]));
    return (r.rowCount ?? 0) > 0;
  }

  async deleteObject(target: CollectionRef, id: string, filter: DeleteFilter = {}): Promise<number> {
    const coll = await this.#collId(target, false);
    if (coll === undefined) return 0;
    // Deletes take the collection lock too: flags are recomputed from a stable set of rows.
    return this.#write('delete', target, coll, async (client, last) => {
      const s = this.#s;
      const r = await client.query<IdRow>(
        this.#named(
          'rows_of_id',
          `SELECT seq, stix_id, version_key, spec_key, spec_version, newest_spec, is_first, is_last, date_added, fingerprint ` +
            `FROM ${s}.objects WHERE coll = $1 AND stix_id = $2`,
          [coll, id],
        ),
      );
      const rows = r.rows.map((x) => ({ ...x, versionKey: x.version_key, specKey: x.spec_key, specVersion: x.spec_version }));
      const doomed = new Set(selectRows(rows, versionSelection(filter.versions ?? ['all']), filter.specVersions));
      if (doomed.size === 0) return { result: 0, last };
      await client.query(this.#named('delete', `DELETE FROM ${s}.objects WHERE seq = ANY($1::bigint[])`, [[...doomed].map((d) => d.seq)]));
      const kept = rows.filter((x) => !doomed.has(x));
      const flags = computeFlags(kept);
      const upd = { seq: [] as string[], n: [] as boolean[], f: [] as boolean[], l: [] as boolean[] };
      kept.forEach((x, i) => {
        const want = flags[i];
        if (want === undefined) return;
        if (want.newestSpec !== x.newest_spec || want.isFirst !== x.is_first || want.isLast !== x.is_last) {
          upd.seq.push(x.seq);
          upd.n.push(want.newestSpec);
          upd.f.push(want.isFirst);
          upd.l.push(want.isLast);
        }
      });
      if (upd.seq.length > 0) await this.#updateFlags(client, upd);
      return { result: doomed.size, last };
    });
  }

  async putStatus(apiRoot: string, status: Status): Promise<void> {
    this.#open();
    if (!isStatusConsistent(status)) {
      throw new StoreError('STORE_INVALID_ARGUMENT', `status ${status.id}: success + failure + pending must equal total and lists match counts`);
    }
    await this.#pool.query(
      this.#named(
        'put_status',
        `INSERT INTO ${this.#s}.statuses (api_root, id, updated_at, json) VALUES ($1, $2, $3, $4) ` +
          'ON CONFLICT (api_root, id) DO UPDATE SET updated_at = EXCLUDED.updated_at, json = EXCLUDED.json',
        [apiRoot, status.id, this.#statusClock(), JSON.stringify(status)],
      ),
    );
  }

  async getStatus(apiRoot: string, id: string): Promise<Status | undefined> {
    this.#open();
    const r = await this.#pool.query<{ json: string }>(
      this.#named('get_status', `SELECT json FROM ${this.#s}.statuses WHERE api_root = $1 AND id = $2`, [apiRoot, id]),
    );
    const json = r.rows[0]?.json;
    return json === undefined ? undefined : (JSON.parse(json) as Status);
  }

  async purgeStatuses(olderThan: Date): Promise<number> {
    this.#open();
    const r = await this.#pool.query(this.#named('purge', `DELETE FROM ${this.#s}.statuses WHERE updated_at < $1`, [olderThan.getTime()]));
    return r.rowCount ?? 0;
  }

  /**
   * A server-wide setting shared by every instance (e.g. the key that signs `next` cursors, which must be equal on
   * all instances). When absent, `initial` is stored and returned; when two instances race, both get the value that
   * won. `created` tells whether this call stored it.
   */
  async sharedSetting(key: string, initial: string): Promise<{ value: string; created: boolean }> {
    this.#open();
    const s = this.#s;
    const ins = await this.#pool.query(`INSERT INTO ${s}.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, initial]);
    if ((ins.rowCount ?? 0) > 0) return { value: initial, created: true };
    const r = await this.#pool.query<{ value: string }>(`SELECT value FROM ${s}.settings WHERE key = $1`, [key]);
    const value = r.rows[0]?.value;
    if (value === undefined) throw new StoreError('STORE_SCHEMA', `setting ${key} vanished while being read`);
    return { value, created: false };
  }

  /** Reads a shared setting (see {@link PostgresStore.sharedSetting}); `undefined` when absent. */
  async getSharedSetting(key: string): Promise<string | undefined> {
    this.#open();
    const r = await this.#pool.query<{ value: string }>(`SELECT value FROM ${this.#s}.settings WHERE key = $1`, [key]);
    return r.rows[0]?.value;
  }

  async checkReady(): Promise<void> {
    this.#open();
    const state = await postgresSchemaState(this.#pool, this.#schema);
    if (state.current !== state.latest) {
      throw new StoreError('STORE_SCHEMA', `database schema version ${state.current}, this version needs ${state.latest} (run distill-intel migrate)`);
    }
  }

  async stats(): Promise<StoreStats> {
    this.#open();
    // reltuples: the planner's estimate, so a scrape never counts millions of rows (-1 before the first ANALYZE)
    const r = await this.#pool.query<{ objects: string | null; bytes: string | null; statuses: string }>(
      `SELECT (SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)) AS objects,
              pg_total_relation_size(to_regclass($1)) + pg_total_relation_size(to_regclass($2)) AS bytes,
              (SELECT count(*) FROM ${this.#s}.statuses) AS statuses`,
      [`${this.#s}.objects`, `${this.#s}.statuses`],
    );
    const row = r.rows[0];
    return { objects: Math.max(0, Number(row?.objects ?? 0)), bytes: Number(row?.bytes ?? 0), statuses: Number(row?.statuses ?? 0) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/** Hides the password of a connection URL for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

/**
 * Opens a {@link PostgresStore} on `url` (what `distill-intel serve --store postgres --database-url <url>` calls).
 * Loads `pg` on first use and applies pending migrations unless `migrate: false`.
 */
export function openPostgresStore(url: string, options: Omit<PostgresStoreOptions, 'connectionString'> = {}): Promise<PostgresStore> {
  return PostgresStore.open({ ...options, connectionString: url });
}

export { PostgresStoreError } from './postgres-errors.js';
export type { PostgresStoreErrorCode } from './postgres-errors.js';
export { migratePostgres, postgresSchemaState, assertPostgresSchemaCurrent, POSTGRES_SCHEMA_VERSION } from './postgres-migrations.js';
export type { MigrationState, PostgresMigration, Queryable } from './postgres-migrations.js';
export { loadSharedServerState, claimAdminPasswordHash } from './postgres-server-state.js';
export type { SharedServerState } from './postgres-server-state.js';

import { StoreError } from './errors.js';

/**
 * Versioned schema migrations of the PostgreSQL store.
 *
 * Every migration runs once, in order, and is recorded in `<schema>.distill_intel_migrations`. All pending
 * migrations run in ONE transaction that first takes a transaction-scoped advisory lock, so several server instances
 * starting at the same moment (or `distill-intel migrate` racing a server) never apply a migration twice: the
 * second waits, then finds nothing to do. PostgreSQL DDL is transactional, so a failing migration leaves the schema
 * exactly as it was.
 *
 * Released migrations are never edited; a change to the schema is a new entry at the end of `POSTGRES_MIGRATIONS`.
 */
export interface PostgresMigration {
  /** 1, 2, 3... in order, without gaps. */
  readonly version: number;
  /** Short description, recorded beside the version. */
  readonly name: string;
  /** The DDL, given the quoted schema name to qualify every object with. */
  readonly sql: (schema: string) => string;
}

// Design notes for migration 1 (why each column and index exists):
// - objects.json keeps the exact text received (text, not jsonb: jsonb reorders keys and drops duplicates).
// - stix_id/type/version_key/spec_version use the "C" collation: versions are compared as byte strings (see
//   versionKey in versioning.ts), whatever locale the database was created with.
// - collections.last_date_added is the per-collection high-water mark of date_added. Writers lock that row
//   (SELECT ... FOR UPDATE) for their whole transaction; see PostgresStore for why.
// - newest_spec/is_first/is_last are per-object flags maintained on every add/delete, so the default query
//   ("last version of the newest spec") is a range scan of the partial index objects_current.
// - every page index ends with (date_added, seq), the keyset: pages are index ranges, never OFFSET.
const INITIAL = (s: string): string => `
CREATE TABLE ${s}.collections (
  coll integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  api_root text NOT NULL,
  collection_id text NOT NULL,
  last_date_added bigint NOT NULL DEFAULT 0,
  UNIQUE (api_root, collection_id)
);
CREATE TABLE ${s}.objects (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  coll integer NOT NULL REFERENCES ${s}.collections (coll),
  stix_id text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  version text NOT NULL,
  version_key text COLLATE "C" NOT NULL,
  spec_version text COLLATE "C" NOT NULL,
  spec_key integer NOT NULL,
  date_added bigint NOT NULL,
  newest_spec boolean NOT NULL,
  is_first boolean NOT NULL,
  is_last boolean NOT NULL,
  fingerprint text,
  json text NOT NULL
);
CREATE UNIQUE INDEX objects_by_version ON ${s}.objects (coll, stix_id, version_key);
CREATE INDEX objects_by_date ON ${s}.objects (coll, date_added, seq);
CREATE INDEX objects_current ON ${s}.objects (coll, date_added, seq) WHERE newest_spec AND is_last;
CREATE INDEX objects_by_type ON ${s}.objects (coll, type, date_added, seq);
CREATE TABLE ${s}.statuses (
  api_root text NOT NULL,
  id text NOT NULL,
  updated_at bigint NOT NULL,
  json text NOT NULL,
  PRIMARY KEY (api_root, id)
);
CREATE INDEX statuses_by_age ON ${s}.statuses (updated_at);
CREATE TABLE ${s}.settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
`;

/** Every migration, oldest first. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [{ version: 1, name: 'initial schema', sql: INITIAL }];

/** The schema version this code reads and writes. */
export const POSTGRES_SCHEMA_VERSION: number = POSTGRES_MIGRATIONS.length;

/** Key of the advisory lock that serialises migrations ('DINT' + a per-schema hash, see `migratePostgres`). */
const LOCK_CLASS = 0x44494e54;

/** Quotes a PostgreSQL identifier (`my"schema` → `"my""schema"`). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Checks a schema name: 1-63 bytes, no NUL. Anything else PostgreSQL would truncate or refuse. */
export function checkSchemaName(name: string): void {
  if (name.length === 0 || Buffer.byteLength(name) > 63 || name.includes('\u0000')) {
    throw new StoreError('STORE_INVALID_ARGUMENT', `invalid PostgreSQL schema name ${JSON.stringify(name)} (1-63 bytes)`);
  }
}

/**
 * The one method migrations need from a connection (a `pg` Client or PoolClient fits). Declared here so that this
 * module's types do not depend on `pg`'s, which users of other stores do not install.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** Where a schema stands. */
export interface MigrationState {
  /** Highest applied migration, 0 for an empty (or missing) schema. */
  readonly current: number;
  /** {@link POSTGRES_SCHEMA_VERSION}. */
  readonly latest: number;
  /** Migrations not applied yet, in order. */
  readonly pending: readonly { readonly version: number; readonly name: string }[];
}

/** Reads the schema version without changing anything (0 when the schema or its migrations table is missing). */
export async function postgresSchemaState(client: Queryable, schema: string): Promise<MigrationState> {
  checkSchemaName(schema);
  const table = await client.query<{ present: boolean }>(
    "SELECT to_regclass($1) IS NOT NULL AS present",
    [`${quoteIdent(schema)}.distill_intel_migrations`],
  );
  let current = 0;
  if (table.rows[0]?.present === true) {
    const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${quoteIdent(schema)}.distill_intel_migrations`);
    current = r.rows[0]?.v ?? 0;
  }
  return {
    current,
    latest: POSTGRES_SCHEMA_VERSION,
    pending: POSTGRES_MIGRATIONS.filter((m) => m.version > current).map((m) => ({ version: m.version, name: m.name })),
  };
}

function tooNew(schema: string, current: number): StoreError {
  return new StoreError(
    'STORE_SCHEMA',
    `PostgreSQL schema ${quoteIdent(schema)} is at version ${current}, written by a newer distill-intel; this version reads ${POSTGRES_SCHEMA_VERSION}`,
  );
}

/**
 * Brings `schema` up to {@link POSTGRES_SCHEMA_VERSION}: creates the schema if missing, then applies pending
 * migrations in one transaction under an advisory lock. Idempotent and safe to run from several processes at once.
 *
 * @param client - a dedicated connection (not a pool: the transaction must stay on one connection).
 * @returns the version before and after, and the versions applied.
 * @throws StoreError `STORE_SCHEMA` when the schema is newer than this code.
 */
export async function migratePostgres(
  client: Queryable,
  schema: string,
): Promise<{ from: number; to: number; applied: number[] }> {
  checkSchemaName(schema);
  const s = quoteIdent(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
    // CREATE SCHEMA needs the CREATE right on the database even with IF NOT EXISTS; skip it when the schema exists
    // so a role that merely owns an existing schema can migrate.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.distill_intel_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { current } = await postgresSchemaState(client, schema);
    if (current > POSTGRES_SCHEMA_VERSION) throw tooNew(schema, current);
    const applied: number[] = [];
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.sql(s));
      await client.query(`INSERT INTO ${s}.distill_intel_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return { from: current, to: Math.max(current, POSTGRES_SCHEMA_VERSION), applied };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Checks that `schema` is exactly at {@link POSTGRES_SCHEMA_VERSION} (for stores opened with `migrate: false`).
 *
 * @throws StoreError `STORE_SCHEMA` naming the command to run when it is behind, or when it is newer.
 */
export async function assertPostgresSchemaCurrent(client: Queryable, schema: string): Promise<void> {
  const { current } = await postgresSchemaState(client, schema);
  if (current > POSTGRES_SCHEMA_VERSION) throw tooNew(schema, current);
  if (current < POSTGRES_SCHEMA_VERSION) {
    throw new StoreError(
      'STORE_SCHEMA',
      `PostgreSQL schema ${quoteIdent(schema)} is at version ${current}, this version needs ${POSTGRES_SCHEMA_VERSION}: ` +
        'run `distill-intel migrate --database-url <url>` (or open the store with migrations enabled)',
    );
  }
}

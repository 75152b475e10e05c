/**
 * One stateless TAXII server instance on a shared PostgreSQL database, for the multi-instance tests and the
 * PostgreSQL benchmark. Run as a child process: `node --import ./bench/register.js test/scale/instance.ts`.
 *
 * Environment: DATABASE_URL, DB_SCHEMA (default public), COLLECTION_ID, POOL_SIZE (default 10); or STORE=sqlite with
 * SQLITE_FILE (the same server over the embedded store, so benchmarks compare like with like).
 * Prints one JSON line `{"url": "http://127.0.0.1:<port>"}` on stdout once listening; stops on SIGTERM.
 * Everything shared (objects, statuses, the cursor secret) comes from the database.
 */
import { createTaxiiServer } from '../../src/taxii/server/node.js';
import { loadSharedServerState } from '../../src/taxii/store/postgres-server-state.js';
import { openPostgresStore } from '../../src/taxii/store/postgres.js';
import { SqliteStore } from '../../src/taxii/store/sqlite.js';
import type { Store } from '../../src/taxii/store/store.js';

const url = process.env['DATABASE_URL'];
const collection = process.env['COLLECTION_ID'];
const sqliteFile = process.env['SQLITE_FILE'];
if (collection === undefined) throw new Error('COLLECTION_ID is required');

let store: Store;
let cursorSecret = 'sqlite-instance-cursor-secret';
if (process.env['STORE'] === 'sqlite') {
  if (sqliteFile === undefined) throw new Error('SQLITE_FILE is required with STORE=sqlite');
  store = new SqliteStore({ filename: sqliteFile });
} else {
  if (url === undefined) throw new Error('DATABASE_URL is required');
  const pgStore = await openPostgresStore(url, {
    schema: process.env['DB_SCHEMA'] ?? 'public',
    poolSize: Number(process.env['POOL_SIZE'] ?? 10),
    applicationName: `distill-intel instance ${process.pid}`,
  });
  cursorSecret = (await loadSharedServerState(pgStore)).cursorSecret;
  store = pgStore;
}
const server = createTaxiiServer({
  store,
  apiRoots: [{ path: 'api1', title: 'scale', maxContentLength: 64 * 1024 * 1024, collections: [{ id: collection, title: 'scale', alias: 'scale' }] }],
  auth: { anonymous: { canRead: ['*'], canWrite: ['*'] } },
  // Load tests and bench/server-postgres measure throughput from one principal, not the rate limiter.
  limits: { defaultPageSize: 100, maxPageSize: 1000, rateLimit: { enabled: false } },
  cursorSecret,
});
await server.handler.core.ready();
const { url: base } = await server.listen(0, '127.0.0.1');
process.stdout.write(JSON.stringify({ url: base, pid: process.pid }) + '\n');
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => store.close())
    .finally(() => process.exit(0));
});

import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';

/** The `better-sqlite3` constructor the SQLite store opens databases with. */
export type SqliteDriver = typeof BetterSqlite3;

let loaded: SqliteDriver | undefined;

/**
 * Loads `better-sqlite3` on first use. It is an optional peer dependency: it compiles native code on install, and
 * users of the STIX, pattern, client, convert or distillation subpaths never touch SQLite, so it must never be
 * imported statically. Loaded synchronously (it is CommonJS) because opening a SQLite store is synchronous.
 *
 * @throws StoreError `STORE_DRIVER_MISSING` when `better-sqlite3` is not installed or cannot load.
 */
export function loadSqliteDriver(): SqliteDriver {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('better-sqlite3') as SqliteDriver;
  } catch (err) {
    throw new StoreError(
      'STORE_DRIVER_MISSING',
      'the SQLite store needs the "better-sqlite3" package (an optional peer dependency of distill-intel): run ' +
        '`npm install better-sqlite3` (it needs Python 3, make and a C++ compiler where no prebuilt binary exists), ' +
        `or use --store postgres. Loading it failed: ${(err as Error).message.split('\n')[0]}`,
      { cause: err },
    );
  }
  return loaded;
}

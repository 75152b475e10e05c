import { DistillIntelError } from '../../errors.js';

/**
 * Stable codes of {@link StoreError}:
 * - `STORE_CLOSED`: the store was used after `close()`;
 * - `STORE_SCHEMA`: the database was written by an incompatible version of the store;
 * - `STORE_INVALID_ARGUMENT`: a caller broke the contract (a non-positive `limit`, a status whose counts do not add
 *   up). These are programming errors of the caller, never caused by client input the server has validated;
 * - `STORE_DRIVER_MISSING`: the optional peer dependency `better-sqlite3` is not installed (SQLite store only).
 */
export type StoreErrorCode = 'STORE_CLOSED' | 'STORE_SCHEMA' | 'STORE_INVALID_ARGUMENT' | 'STORE_DRIVER_MISSING';

/** An error raised by a `Store` implementation. */
export class StoreError extends DistillIntelError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

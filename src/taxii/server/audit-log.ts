import { closeSync, openSync, writeSync } from 'node:fs';
import type { TaxiiHooks } from './config.js';

/** How many written ids one audit record lists before it says how many more there were. */
const MAX_IDS = 10_000;

/**
 * The audit trail of a server: who read and wrote what, as JSON lines in its own file (separate from the access
 * log), created 0600. Records: `request` (every TAXII request: principal, address, endpoint, collection, status,
 * entries served, error code), `write` (every POST with a status: ids written, duplicates, each refused object with
 * its reason) and `security` (failed logins with the user name tried, throttling, rate limits). Long-lived (holds
 * the file), hence a class; {@link AuditLog.reopen} on SIGHUP lets logrotate move the file away.
 */
export class AuditLog {
  readonly #path: string;
  #fd: number | undefined;

  /** Opens (appends to, or creates 0600) the file at `path`. */
  constructor(path: string) {
    this.#path = path;
    this.#fd = openSync(path, 'a', 0o600);
  }

  /** Closes and reopens the file by name (after rotation). */
  reopen(): void {
    const old = this.#fd;
    this.#fd = openSync(this.#path, 'a', 0o600);
    if (old !== undefined) closeSync(old);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Writes one record (synchronously: a record is never half-written or lost to a crash after the response). */
  write(record: Readonly<Record<string, unknown>>): void {
    if (this.#fd === undefined) return;
    writeSync(this.#fd, JSON.stringify({ time: new Date().toISOString(), ...record }) + '\n');
  }

  /** The hooks that feed this log; combine them with others (`combineHooks`). */
  hooks(): TaxiiHooks {
    return {
      onRequestDone: (e) => {
        if (e.route === 'health') return;
        this.write({
          event: 'request',
          principal: e.principal ?? (e.anonymous ? 'anonymous' : null),
          remote: e.remoteAddress ?? null,
          method: e.method,
          endpoint: e.route,
          target: e.target,
          apiRoot: e.apiRoot ?? null,
          collection: e.collectionId ?? null,
          status: e.status,
          ...(e.items !== undefined ? { items: e.items } : {}),
          ...(e.errorCode !== undefined ? { errorCode: e.errorCode } : {}),
        });
      },
      onWriteResult: (e) => {
        this.write({
          event: 'write',
          principal: e.principal ?? 'anonymous',
          apiRoot: e.apiRoot,
          collection: e.collectionId,
          statusId: e.statusId,
          total: e.total,
          added: e.added.length,
          duplicates: e.duplicates,
          refused: e.refused.length,
          ids: e.added.slice(0, MAX_IDS).map((a) => `${a.id}@${a.version}`),
          ...(e.added.length > MAX_IDS ? { idsOmitted: e.added.length - MAX_IDS } : {}),
          refusals: e.refused.slice(0, MAX_IDS).map((r) => ({ id: r.id, version: r.version, reason: r.reason })),
        });
      },
      onSecurityEvent: (e) => {
        this.write({ event: 'security', ...e });
      },
    };
  }
}

import { AccountTable } from '../../src/detect/accounts.js';
import type { TelemetryRecord } from '../../src/telemetry/index.js';

/** Hand-built requests: everything defaults to a plain benign request at 2026-03-02T00:00:00Z. */
export const T0 = Date.UTC(2026, 2, 2);
export const HOUR = 3_600_000;

export function req(over: Partial<TelemetryRecord> & { account_id: string }): TelemetryRecord {
  return { timestamp: T0, client_ip: `10.0.0.${over.account_id.length}`, model: 'm-1', input_tokens: 10, output_tokens: 20, ...over };
}

/** Feeds records through a fresh account table and each `add` hook. */
export function feed(records: readonly TelemetryRecord[], ...hooks: Array<{ add(r: TelemetryRecord, a: ReturnType<AccountTable['add']>): void }>): AccountTable {
  const table = new AccountTable();
  for (const r of records) {
    const a = table.add(r);
    for (const h of hooks) h.add(r, a);
  }
  return table;
}

/** Account ids of a finding, sorted. */
export function ids(table: AccountTable, accounts: readonly number[]): string[] {
  return accounts.map((i) => table.get(i).id).sort();
}

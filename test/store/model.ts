import type { TaxiiFilters } from '../../src/taxii/protocol/filters.js';
import type { AddOutcome, DeleteFilter, NewObject, ObjectQuery } from '../../src/taxii/store/store.js';

/**
 * A deliberately naive reference model of the store semantics, written straight from TAXII 2.1 §3.3-§3.5 and
 * §3.4.1 and the Store documentation, with no flags, indexes or keyset tricks: every query recomputes everything from
 * the full list of rows. Property tests compare the real stores against it.
 */

interface ModelRow {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly instant: string;
  readonly specVersion: string;
  readonly json: string;
  readonly dateAdded: number;
  readonly seq: number;
}

// Instant of a STIX timestamp as a comparable string: seconds part plus 12 fraction digits (tests use ≤ 6).
function instant(ts: string): string {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(ts);
  if (m === null) throw new Error(`not a timestamp: ${ts}`);
  return `${m[1]}.${(m[2] ?? '').padEnd(12, '0')}`;
}

function specNumber(v: string): number {
  const [a, b] = v.split('.').map(Number);
  return (a ?? 0) * 10_000 + (b ?? 0);
}

export class StoreModel {
  rows: ModelRow[] = [];
  last = 0;
  seq = 0;

  add(objects: readonly NewObject[], now: number): { outcome: AddOutcome; dateAdded: number }[] {
    let lastAdded: { result: number; row: number } | undefined;
    const results = objects.map((o, i): { outcome: AddOutcome; dateAdded: number } => {
      const same = this.rows.find((r) => r.id === o.id && r.instant === instant(o.version));
      if (same !== undefined) return { outcome: same.json === o.json ? 'duplicate' : 'conflict', dateAdded: same.dateAdded };
      const dateAdded = Math.max(now, this.last + 1);
      this.last = dateAdded;
      this.rows.push({ ...o, instant: instant(o.version), dateAdded, seq: ++this.seq });
      lastAdded = { result: i, row: this.rows.length - 1 };
      return { outcome: 'added', dateAdded };
    });
    // The last row a write adds is moved up to the next whole millisecond (pollers that keep only milliseconds).
    if (lastAdded !== undefined) {
      const sealed = Math.ceil(this.last / 1000) * 1000;
      this.rows[lastAdded.row] = { ...(this.rows[lastAdded.row] as ModelRow), dateAdded: sealed };
      results[lastAdded.result] = { outcome: 'added', dateAdded: sealed };
      this.last = sealed;
    }
    return results;
  }

  // Rows of one object selected by a version selection among the given spec versions.
  #pick(rows: ModelRow[], versions: TaxiiFilters['versions']): ModelRow[] {
    if (versions.includes('all')) return rows;
    const sorted = [...rows].sort((a, b) => (a.instant < b.instant ? -1 : a.instant > b.instant ? 1 : 0));
    const chosen = new Set<ModelRow>();
    if (versions.includes('first') && sorted[0]) chosen.add(sorted[0]);
    const lastRow = sorted[sorted.length - 1];
    if (versions.includes('last') && lastRow) chosen.add(lastRow);
    for (const v of versions) {
      if (v === 'first' || v === 'last') continue;
      for (const r of rows) if (r.instant === instant(v)) chosen.add(r);
    }
    return rows.filter((r) => chosen.has(r));
  }

  delete(id: string, filter: DeleteFilter): number {
    const mine = this.rows.filter((r) => r.id === id);
    const pool = filter.specVersions === undefined ? mine : mine.filter((r) => filter.specVersions?.includes(r.specVersion));
    const doomed = new Set(this.#pick(pool, filter.versions ?? ['all']));
    this.rows = this.rows.filter((r) => !doomed.has(r));
    return doomed.size;
  }

  /** Every row matching the query (ignoring limit), in (dateAdded, seq) order. */
  query(q: ObjectQuery): ModelRow[] {
    const byId = new Map<string, ModelRow[]>();
    for (const r of this.rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
    const out: ModelRow[] = [];
    for (const [id, all] of byId) {
      if (q.ids !== undefined && !q.ids.includes(id)) continue;
      const typed = q.types === undefined ? all : all.filter((r) => q.types?.includes(r.type));
      if (typed.length === 0) continue;
      let pool: ModelRow[];
      if (q.specVersions !== undefined) pool = all.filter((r) => q.specVersions?.includes(r.specVersion));
      else {
        const newest = Math.max(...all.map((r) => specNumber(r.specVersion)));
        pool = all.filter((r) => specNumber(r.specVersion) === newest);
      }
      for (const r of this.#pick(pool, q.versions)) if (q.types === undefined || q.types.includes(r.type)) out.push(r);
    }
    return out
      .filter((r) => q.addedAfter === undefined || r.dateAdded > q.addedAfter)
      .filter((r) => q.after === undefined || r.dateAdded > q.after.dateAdded || (r.dateAdded === q.after.dateAdded && r.seq > q.after.seq))
      .sort((a, b) => a.dateAdded - b.dateAdded || a.seq - b.seq);
  }
}

import type { Micros } from '../protocol/timestamps.js';

/*
 * How stores assign `date_added`. Rows of a collection get strictly increasing values at microsecond precision, so
 * keyset cursors never lose or repeat a row. Some pollers keep less: OpenCTI reads `X-TAXII-Date-Added-Last` through
 * a millisecond date library and asks next time for `added_after=<that, truncated>`, which brings back every row of
 * the same millisecond after the truncated instant. So the last row of every write is moved up to a whole
 * millisecond ("sealed"), and the next write starts after it: a poller that has caught up stands on a whole
 * millisecond, loses nothing by truncating it, and is sent nothing twice.
 */

/** The `date_added` of the next row: the clock, or 1 µs after the previous row when the clock has not moved on. */
export function nextDateAdded(now: Micros, last: Micros): Micros {
  return Math.max(now, last + 1);
}

/**
 * Where the last row added by one write is moved: the next whole millisecond at or after its `date_added`. It only
 * grows (by less than 1 ms), so the order of the rows, the rows before it and cursors already issued are unaffected.
 */
export function sealDateAdded(last: Micros): Micros {
  return Math.ceil(last / 1000) * 1000;
}

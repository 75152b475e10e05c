// Per-function entry points: the package's index loads every date-fns module, a large part of a CLI run's start-up.
import { addMilliseconds } from 'date-fns/addMilliseconds';
import { isValid } from 'date-fns/isValid';
import { StixBuildError, StixParseError } from './errors.js';

/**
 * STIX 2.1 timestamps (§3.2 "timestamp"): `YYYY-MM-DDTHH:mm:ss[.s+]Z`, always UTC, any number of fraction digits.
 * `created` and `modified` need at least millisecond precision.
 *
 * A `Date` only holds milliseconds, so comparisons never go through `Date` alone: two timestamps that differ only in
 * the fourth fraction digit are different instants and must compare as such.
 */

/** How many fraction digits {@link formatTimestamp} writes: 0, 3 or 6. */
export type TimestampPrecision = 'second' | 'millisecond' | 'microsecond';

/** A STIX timestamp split into whole seconds and the exact fraction digits. */
export interface ParsedTimestamp {
  /** Whole seconds since 1970-01-01T00:00:00Z (a leap second `:60` counts as the next minute's `:00`). */
  readonly epochSeconds: number;
  /** The fraction digits exactly as written (`''` when there is none), so no precision is lost. */
  readonly fraction: string;
  /** The instant truncated to milliseconds, for callers that want date arithmetic. */
  readonly date: Date;
}

// Anchored, with the ranges the JSON schema uses; `:60` is allowed for leap seconds.
const TIMESTAMP_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.(\d+))?Z$/;

/**
 * Formats an instant as a STIX timestamp in UTC.
 *
 * date-fns formats in the local time zone (its UTC helpers live in a separate package), so the UTC rendering comes
 * from `Date.prototype.toISOString`, which is exactly the STIX form at millisecond precision.
 *
 * @param date - the instant (a `Date` or epoch milliseconds).
 * @param precision - fraction digits to write: `second` (none), `millisecond` (3, the default, the minimum for
 *   `created`/`modified`) or `microsecond` (6, as TAXII uses; the extra digits are zeros).
 * @throws StixBuildError when the date is invalid or outside years 0000-9999.
 */
export function formatTimestamp(date: Date | number, precision: TimestampPrecision = 'millisecond'): string {
  const d = typeof date === 'number' ? new Date(date) : date;
  if (!isValid(d)) {
    throw new StixBuildError('cannot format an invalid date as a STIX timestamp', [
      { code: 'timestamp-invalid', severity: 'error', path: '', message: 'the date is invalid (NaN)' },
    ]);
  }
  const iso = d.toISOString();
  // Years outside 0000-9999 come out as ±YYYYYY, which no STIX timestamp can carry.
  if (iso.length !== 24) {
    throw new StixBuildError('cannot format this date as a STIX timestamp', [
      { code: 'timestamp-out-of-range', severity: 'error', path: '', message: `year of ${iso} is outside 0000-9999` },
    ]);
  }
  const base = iso.slice(0, 19);
  if (precision === 'second') return `${base}Z`;
  const millis = iso.slice(20, 23);
  return precision === 'millisecond' ? `${base}.${millis}Z` : `${base}.${millis}000Z`;
}

/** The current time as a STIX timestamp with millisecond precision, UTC. */
export function now(): string {
  return formatTimestamp(Date.now(), 'millisecond');
}

/**
 * Parses a STIX timestamp, keeping every fraction digit.
 *
 * @returns the parsed instant, or `undefined` when `value` is not a well-formed STIX timestamp (wrong shape, a
 *   time zone other than `Z`, a bare `.`, or a day that does not exist such as February 30).
 */
export function parseTimestamp(value: string): ParsedTimestamp | undefined {
  const m = TIMESTAMP_RE.exec(value);
  if (m === null) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  d.setUTCHours(Number(hs), Number(mis), Number(ss), 0);
  const epochMs = d.getTime();
  const fraction = frac ?? '';
  const millis = fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return { epochSeconds: epochMs / 1000, fraction, date: new Date(epochMs + millis) };
}

/**
 * Whether `value` is a STIX timestamp.
 *
 * @param options.minFractionDigits - require at least this many fraction digits (3 for `created`/`modified`).
 */
export function isTimestamp(value: unknown, options: { minFractionDigits?: number } = {}): value is string {
  if (typeof value !== 'string') return false;
  const parsed = parseTimestamp(value);
  if (parsed === undefined) return false;
  return parsed.fraction.length >= (options.minFractionDigits ?? 0);
}

function parseOrThrow(value: string, name: string): ParsedTimestamp {
  const parsed = parseTimestamp(value);
  if (parsed === undefined) throw new StixParseError(`${name} is not a STIX timestamp: ${JSON.stringify(value)}`);
  return parsed;
}

/**
 * Compares two STIX timestamps as instants, with every fraction digit: `2020-01-01T00:00:00.0001Z` is after
 * `2020-01-01T00:00:00.000Z`, and `...00.1Z` equals `...00.100Z`.
 *
 * @returns a negative number when `a` is earlier, 0 when both are the same instant, positive when `a` is later.
 * @throws StixParseError when either value is not a STIX timestamp.
 */
export function compareTimestamps(a: string, b: string): number {
  const pa = parseOrThrow(a, 'first timestamp');
  const pb = parseOrThrow(b, 'second timestamp');
  if (pa.epochSeconds !== pb.epochSeconds) return pa.epochSeconds < pb.epochSeconds ? -1 : 1;
  // Right-padding with zeros makes equal-length digit strings, which compare like the numbers they denote.
  const width = Math.max(pa.fraction.length, pb.fraction.length);
  const fa = pa.fraction.padEnd(width, '0');
  const fb = pb.fraction.padEnd(width, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/**
 * The smallest millisecond-precision timestamp strictly after `value` (whatever `value`'s precision): the instant
 * truncated to the millisecond, plus one millisecond. Versioning uses it when the clock has not moved past the old
 * `modified`.
 *
 * @throws StixParseError when `value` is not a STIX timestamp.
 */
export function nextMillisecond(value: string): string {
  const parsed = parseOrThrow(value, 'timestamp');
  return formatTimestamp(addMilliseconds(parsed.date, 1), 'millisecond');
}

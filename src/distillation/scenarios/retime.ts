/**
 * Moves the example scenarios' fixed timeline to the present, for a demo seeded today.
 *
 * The scenarios are byte-reproducible (examples/ and tests compare them), so their timestamps are fixed in 2026. A demo
 * server seeded months later would serve indicators whose validity ended long ago: every consumer (firewall lists,
 * SIEM rows, `match`) then rightly skips them and the demo shows nothing. Retiming keeps the story and its intervals
 * and moves it so that it ends on the seed day.
 */

/** Options of {@link retimeScenarioObjects}. */
export interface RetimeOptions {
  /** The seed time the story's newest timestamp is moved up to (its time of day is kept). */
  readonly at: Date;
}

const DAY_MS = 86_400_000;
/** A STIX timestamp (or the RFC 3339 `date-time` of `release_date`): always UTC, `Z`, optional fraction. */
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;
/** A calendar date in free text ("released on 2026-04-14"), so prose stays consistent with the properties. */
const PROSE_DATE_RE = /\b(\d{4})-(\d{2})-(\d{2})\b(?!T)/g;
/**
 * Objects with a life of their own outside the story: TLP definitions are fixed by the spec, extension definitions
 * (and the identities that publish them) are published once; a moved copy would be a conflicting version.
 */
const UNTOUCHED_TYPES = new Set(['marking-definition', 'extension-definition']);

/** Ids of the objects left as they are: marking and extension definitions, and the publishers of the latter. */
function untouchedIds(objects: ReadonlyArray<Record<string, unknown>>): Set<string> {
  const ids = new Set<string>();
  for (const o of objects) {
    if (!UNTOUCHED_TYPES.has(String(o['type']))) continue;
    ids.add(String(o['id']));
    if (o['type'] === 'extension-definition' && typeof o['created_by_ref'] === 'string') ids.add(o['created_by_ref']);
  }
  return ids;
}
/** Free-text properties whose dates are shifted with the timeline. */
const PROSE_KEYS = new Set(['description', 'content', 'abstract', 'opinion_explanation', 'objective']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function shiftTimestamp(value: string, deltaMs: number): string {
  const m = TIMESTAMP_RE.exec(value);
  if (m === null) return value;
  const fraction = m[7] ?? '';
  const whole = Date.parse(`${value.slice(0, 19)}Z`);
  // Whole days keep the time of day and the fraction exactly as written (precision is part of the value's meaning).
  return `${new Date(whole + deltaMs).toISOString().slice(0, 19)}${fraction}Z`;
}

function shiftProse(text: string, deltaMs: number): string {
  return text.replace(PROSE_DATE_RE, (date) => new Date(Date.parse(`${date}T00:00:00Z`) + deltaMs).toISOString().slice(0, 10));
}

function shift(value: Json, deltaMs: number, key: string | undefined): Json {
  if (typeof value === 'string') {
    if (TIMESTAMP_RE.test(value)) return shiftTimestamp(value, deltaMs);
    return key !== undefined && PROSE_KEYS.has(key) ? shiftProse(value, deltaMs) : value;
  }
  if (Array.isArray(value)) return value.map((v) => shift(v, deltaMs, undefined));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[k] = shift(v, deltaMs, k);
    return out;
  }
  return value;
}

function instant(value: unknown): number | undefined {
  return typeof value === 'string' && TIMESTAMP_RE.test(value) ? Date.parse(value) : undefined;
}

/**
 * An indicator whose window closed before the seed time is renewed the way a producer renews a short-lived indicator
 * while the infrastructure stays active: a new version whose `valid_until` lies one original window length past the
 * last renewal, and whose `modified` is that renewal. The window length and `valid_from` stay as published.
 */
function renewWindow(obj: { [key: string]: Json }, atMs: number): { [key: string]: Json } {
  const from = instant(obj['valid_from']);
  const until = instant(obj['valid_until']);
  const modified = instant(obj['modified']);
  if (obj['type'] !== 'indicator' || from === undefined || until === undefined || modified === undefined || until > atMs) return obj;
  const length = until - from;
  if (length <= 0) return obj;
  const renewals = Math.floor((atMs - until) / length) + 1;
  const newUntil = until + renewals * length;
  const renewedAt = Math.max(newUntil - length, modified);
  const fraction = (v: Json | undefined): string => (typeof v === 'string' ? (TIMESTAMP_RE.exec(v)?.[7] ?? '') : '');
  const stamp = (ms: number, like: Json | undefined): string => `${new Date(ms).toISOString().slice(0, 19)}${fraction(like)}Z`;
  return { ...obj, modified: stamp(renewedAt, obj['modified']), valid_until: stamp(newUntil, obj['valid_until']) };
}

/**
 * The scenarios' objects moved by whole days so that their newest `created`/`modified` falls within the day before
 * `at`: every timestamp (at any depth, extensions included) and every calendar date in their prose moves by the same
 * number of days, so intervals, order and times of day are kept; indicators whose window would have closed before `at`
 * are renewed (see the module notes). Marking and extension definitions, and the identities publishing the latter,
 * are returned as they are. Ids are unchanged:
 * no ID-contributing property of the suite's SCOs is a timestamp. Pure: the input is not modified.
 */
export function retimeScenarioObjects(objects: readonly object[], options: RetimeOptions): object[] {
  const atMs = Math.floor(options.at.getTime() / 1000) * 1000;
  const untouched = untouchedIds(objects as ReadonlyArray<Record<string, unknown>>);
  let newest = Number.NEGATIVE_INFINITY;
  for (const o of objects as ReadonlyArray<Record<string, unknown>>) {
    if (untouched.has(String(o['id']))) continue;
    for (const k of ['created', 'modified']) newest = Math.max(newest, instant(o[k]) ?? Number.NEGATIVE_INFINITY);
  }
  if (!Number.isFinite(newest)) return objects.map((o) => structuredClone(o));
  const days = Math.floor((atMs - newest) / DAY_MS);
  const deltaMs = days * DAY_MS;
  return objects.map((o) => {
    const obj = o as { [key: string]: Json };
    if (untouched.has(String(obj['id']))) return structuredClone(o);
    return renewWindow(shift(obj, deltaMs, undefined) as { [key: string]: Json }, atMs);
  });
}

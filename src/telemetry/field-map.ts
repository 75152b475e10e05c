import { TelemetryInputError } from './errors.js';
import { TELEMETRY_FIELDS } from './record-from-object.js';
import type { EpochUnit, TelemetryField } from './record-from-object.js';

/**
 * How another telemetry schema maps onto the fixed field names (`--map FILE`). The file is JSON:
 *
 * ```json
 * { "fields": { "timestamp": "ts", "account_id": "user.id", "client_ip": "http.client_ip" }, "time_unit": "ms" }
 * ```
 *
 * Each source is a key of the input object; when no key has that exact name, dots descend into nested objects
 * (`user.id` is `{"user": {"id": ...}}`). Fields left out are read under their own names. For OTLP spans the
 * sources are attribute keys (span attributes first, then resource attributes). `time_unit` (`s`, `ms`, `ns`) lets
 * `timestamp` and `account_created` be epoch numbers; strings are always RFC 3339.
 */
export interface FieldMap {
  readonly fields: Readonly<Partial<Record<TelemetryField, string>>>;
  readonly timeUnit?: EpochUnit;
}

const UNITS: readonly string[] = ['s', 'ms', 'ns'];

/**
 * Parses and checks a field map (the text of a `--map` file).
 *
 * @throws TelemetryInputError naming the file and the entry at fault.
 */
export function parseFieldMap(text: string, name = 'field map'): FieldMap {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new TelemetryInputError(name, `not JSON: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new TelemetryInputError(name, 'expected a JSON object with "fields"');
  const { fields, time_unit: timeUnit, ...rest } = doc as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new TelemetryInputError(name, `unknown key "${extra[0]}" (expected "fields" and optionally "time_unit")`);
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new TelemetryInputError(name, '"fields" must be an object');
  const out: Partial<Record<TelemetryField, string>> = {};
  for (const [target, source] of Object.entries(fields)) {
    if (!(TELEMETRY_FIELDS as readonly string[]).includes(target)) {
      throw new TelemetryInputError(name, `fields.${target}: not a telemetry field (one of ${TELEMETRY_FIELDS.join(', ')})`);
    }
    if (typeof source !== 'string' || source.length === 0) throw new TelemetryInputError(name, `fields.${target}: the source must be a non-empty string`);
    out[target as TelemetryField] = source;
  }
  if (timeUnit !== undefined && (typeof timeUnit !== 'string' || !UNITS.includes(timeUnit))) {
    throw new TelemetryInputError(name, '"time_unit" must be "s", "ms" or "ns"');
  }
  return timeUnit === undefined ? { fields: out } : { fields: out, timeUnit: timeUnit as EpochUnit };
}

/** Reads `path` from `obj`: the exact key first, then dotted descent. */
export function lookup(obj: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The object with the fixed field names that `map` makes of `obj`. */
export function project(obj: Readonly<Record<string, unknown>>, map: FieldMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of TELEMETRY_FIELDS) {
    const source = map.fields[field];
    out[field] = source === undefined ? obj[field] : lookup(obj, source);
  }
  return out;
}

import { draftRecord } from './record.js';
import type { TelemetryRecord } from './record.js';

/** The fixed field names of the JSON Lines schema, in the order README lists them. */
export const TELEMETRY_FIELDS = [
  'timestamp',
  'account_id',
  'org_id',
  'client_ip',
  'client_host',
  'asn',
  'user_agent',
  'model',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'prompt',
  'payment_fingerprint',
  'signup_channel',
  'account_created',
  'status',
] as const;

/** One field of {@link TelemetryRecord}. */
export type TelemetryField = (typeof TELEMETRY_FIELDS)[number];

/** How a numeric time value is read: epoch seconds, milliseconds or nanoseconds. Strings are always RFC 3339. */
export type EpochUnit = 's' | 'ms' | 'ns';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const UNIT_MS: Readonly<Record<EpochUnit, number>> = { s: 1000, ms: 1, ns: 1e-6 };

// Fast path for the common `YYYY-MM-DDTHH:MM:SS[.fff]Z`: the fields are read by position and turned into epoch
// milliseconds by arithmetic (`Date.parse` costs about half a microsecond a call, and every line carries one or two
// times). Anything unusual (offsets, a day the month does not have, hour 24, a leap second) takes the full parser, so
// the result is always the one `Date.parse` gives.

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Days since the epoch of recently seen dates, direct-mapped on a day number (a 1,024-day window maps without
 * collisions): request times share a date with the line before, and account creation dates repeat per account, so
 * the calendar arithmetic runs about once per distinct date.
 */
const DATE_SLOTS = 1024;
const dateKeys = new Int32Array(DATE_SLOTS).fill(-1);
const dateDays = new Int32Array(DATE_SLOTS);

/** A decimal digit's value, or a value above 9 (or below 0) for any other character. */
function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

function fastUtc(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return undefined;
  }
  const y0 = digitAt(s, 0);
  const y1 = digitAt(s, 1);
  const y2 = digitAt(s, 2);
  const y3 = digitAt(s, 3);
  const m0 = digitAt(s, 5);
  const m1 = digitAt(s, 6);
  const d0 = digitAt(s, 8);
  const d1 = digitAt(s, 9);
  const h0 = digitAt(s, 11);
  const h1 = digitAt(s, 12);
  const i0 = digitAt(s, 14);
  const i1 = digitAt(s, 15);
  const s0 = digitAt(s, 17);
  const s1 = digitAt(s, 18);
  // `>>> 0` turns a negative difference into a large number: one unsigned test per digit.
  if (
    (y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 || (m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (d0 >>> 0) > 9 || (d1 >>> 0) > 9 ||
    (h0 >>> 0) > 9 || (h1 >>> 0) > 9 || (i0 >>> 0) > 9 || (i1 >>> 0) > 9 || (s0 >>> 0) > 9 || (s1 >>> 0) > 9
  ) {
    return undefined;
  }
  const hour = h0 * 10 + h1;
  const minutes = i0 * 10 + i1;
  const seconds = s0 * 10 + s1;
  if (hour > 23 || minutes > 59 || seconds > 59) return undefined;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  // Month 0-99 and day 0-99 make the key unique per (year, month, day) written.
  const key = (year * 100 + month) * 100 + day;
  const slot = (year * 372 + month * 31 + day) & (DATE_SLOTS - 1);
  let days: number;
  if (dateKeys[slot] === key) days = dateDays[slot] as number;
  else {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    days = daysFromCivil(year, month, day);
    dateKeys[slot] = key;
    dateDays[slot] = days;
  }
  let millis = 0;
  if (n === 24 && s.charCodeAt(19) === 46 /* . */) {
    const f0 = digitAt(s, 20);
    const f1 = digitAt(s, 21);
    const f2 = digitAt(s, 22);
    if ((f0 >>> 0) > 9 || (f1 >>> 0) > 9 || (f2 >>> 0) > 9) return undefined;
    millis = f0 * 100 + f1 * 10 + f2;
  } else if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */ || n === 21) return undefined;
    // Fractions beyond milliseconds are truncated, as Date.parse does.
    for (let i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
      const d = digitAt(s, i);
      if ((d >>> 0) > 9) return undefined;
      if (scale >= 1) millis += d * scale;
    }
  }
  return ((days * 24 + hour) * 60 + minutes) * 60_000 + seconds * 1000 + millis;
}

/**
 * Account creation times read lately, direct-mapped on their last second and millisecond digits. An account's
 * creation time comes again with each of its requests: a repeat costs one string comparison instead of a parse.
 * Only RFC 3339 strings read without an epoch unit are kept, whose reading depends on the text alone.
 */
const CREATED_SLOTS = 4096;
const createdTexts: Array<string | undefined> = new Array<string | undefined>(CREATED_SLOTS).fill(undefined);
const createdTimes = new Float64Array(CREATED_SLOTS);

function creationTime(value: string): number | string {
  const n = value.length;
  if (n < 20) return parseTime(value, undefined);
  const slot = (value.charCodeAt(n - 2) * 1000 + value.charCodeAt(n - 3) * 100 + value.charCodeAt(n - 4) * 10 + value.charCodeAt(n - 6)) & (CREATED_SLOTS - 1);
  if (createdTexts[slot] === value) return createdTimes[slot] as number;
  const time = parseTime(value, undefined);
  if (typeof time === 'number') {
    createdTexts[slot] = value;
    createdTimes[slot] = time;
  }
  return time;
}

/** A time value as epoch milliseconds, or a reason it is not one. */
export function parseTime(value: unknown, unit: EpochUnit | undefined): number | string {
  if (typeof value === 'string') {
    const fast = fastUtc(value);
    if (fast !== undefined) return fast;
    if (!RFC3339.test(value)) {
      if (unit !== undefined && /^\d+(?:\.\d+)?$/.test(value)) return Math.floor(Number(value) * UNIT_MS[unit]);
      return 'expected an RFC 3339 timestamp';
    }
    const ms = Date.parse(value.charAt(10) === ' ' ? `${value.slice(0, 10)}T${value.slice(11)}` : value);
    return Number.isFinite(ms) ? ms : 'expected an RFC 3339 timestamp';
  }
  if (typeof value === 'number' && unit !== undefined && Number.isFinite(value) && value >= 0) {
    return Math.floor(value * UNIT_MS[unit]);
  }
  return unit === undefined ? 'expected an RFC 3339 timestamp' : `expected an RFC 3339 timestamp or epoch ${unit}`;
}

function count(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  // OTLP JSON carries 64-bit integers as strings.
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function ident(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Output of {@link recordFromObject}: a record, or the reason there is none. */
export type RecordResult = { readonly record: TelemetryRecord; readonly error?: undefined } | { readonly record?: undefined; readonly error: string };

function fail(field: string, what: string): RecordResult {
  return { error: `${field}: ${what}` };
}

/** An optional string field: absent (or null) is undefined, anything but a string is an error. */
function optionalString(value: unknown): string | undefined | false {
  if (value == null) return undefined;
  return typeof value === 'string' ? value : false;
}

/**
 * Turns an object with the fixed field names into a {@link TelemetryRecord}, checking each field's type. Absent
 * optional fields (and `null`) are left out; a present field of the wrong type makes the whole line bad, since a
 * record half-read would skew every statistic built on it.
 */
export function recordFromObject(object: Readonly<Record<string, unknown>>, timeUnit?: EpochUnit): RecordResult {
  // The fixed fields are gathered in one pass over the keys, into locals (no object per line). Reading them by name
  // instead costs a megamorphic lookup per field: lines come in many key orders (optional fields present or not,
  // added at the end by one producer, sorted by another), so the parsed objects have many hidden classes.
  let timestampField: unknown;
  let accountIdField: unknown;
  let orgIdField: unknown;
  let clientIpField: unknown;
  let clientHostField: unknown;
  let asnField: unknown;
  let userAgentField: unknown;
  let modelField: unknown;
  let inputTokensField: unknown;
  let outputTokensField: unknown;
  let reasoningTokensField: unknown;
  let promptField: unknown;
  let paymentFingerprintField: unknown;
  let signupChannelField: unknown;
  let accountCreatedField: unknown;
  let statusField: unknown;
  for (const key in object) {
    switch (key) {
      case 'timestamp':
        timestampField = object[key];
        break;
      case 'account_id':
        accountIdField = object[key];
        break;
      case 'org_id':
        orgIdField = object[key];
        break;
      case 'client_ip':
        clientIpField = object[key];
        break;
      case 'client_host':
        clientHostField = object[key];
        break;
      case 'asn':
        asnField = object[key];
        break;
      case 'user_agent':
        userAgentField = object[key];
        break;
      case 'model':
        modelField = object[key];
        break;
      case 'input_tokens':
        inputTokensField = object[key];
        break;
      case 'output_tokens':
        outputTokensField = object[key];
        break;
      case 'reasoning_tokens':
        reasoningTokensField = object[key];
        break;
      case 'prompt':
        promptField = object[key];
        break;
      case 'payment_fingerprint':
        paymentFingerprintField = object[key];
        break;
      case 'signup_channel':
        signupChannelField = object[key];
        break;
      case 'account_created':
        accountCreatedField = object[key];
        break;
      case 'status':
        statusField = object[key];
        break;
    }
  }
  const ts = parseTime(timestampField, timeUnit);
  if (typeof ts === 'string') return fail('timestamp', timestampField === undefined ? 'missing' : ts);
  const account = ident(accountIdField);
  if (account === undefined) return fail('account_id', accountIdField === undefined ? 'missing' : 'expected a non-empty string');
  const ip = clientIpField;
  if (typeof ip !== 'string' || ip.length === 0) return fail('client_ip', ip === undefined ? 'missing' : 'expected a non-empty string');
  const model = modelField;
  if (typeof model !== 'string' || model.length === 0) return fail('model', model === undefined ? 'missing' : 'expected a non-empty string');
  const input = count(inputTokensField);
  if (input === undefined) return fail('input_tokens', inputTokensField === undefined ? 'missing' : 'expected a non-negative integer');
  const output = count(outputTokensField);
  if (output === undefined) return fail('output_tokens', outputTokensField === undefined ? 'missing' : 'expected a non-negative integer');

  const record = draftRecord(ts, account, ip, model, input, output);

  const org = orgIdField;
  if (org != null) {
    const v = ident(org);
    if (v === undefined) return fail('org_id', 'expected a non-empty string');
    record.org_id = v;
  }
  const asn = asnField;
  if (asn != null) {
    const v = ident(asn);
    if (v === undefined) return fail('asn', 'expected a string or number');
    record.asn = v;
  }
  const reasoning = reasoningTokensField;
  if (reasoning != null) {
    const v = count(reasoning);
    if (v === undefined) return fail('reasoning_tokens', 'expected a non-negative integer');
    record.reasoning_tokens = v;
  }
  const created = accountCreatedField;
  if (created != null) {
    const v = timeUnit === undefined && typeof created === 'string' ? creationTime(created) : parseTime(created, timeUnit);
    if (typeof v === 'string') return fail('account_created', v);
    record.account_created = v;
  }
  // OTLP carries HTTP header values (x-forwarded-host) as a list; the first is the outermost relay.
  const host = optionalString(Array.isArray(clientHostField) ? (clientHostField[0] as unknown) : clientHostField);
  if (host === false) return fail('client_host', 'expected a string');
  record.client_host = host;
  const agent = optionalString(userAgentField);
  if (agent === false) return fail('user_agent', 'expected a string');
  record.user_agent = agent;
  const prompt = optionalString(promptField);
  if (prompt === false) return fail('prompt', 'expected a string');
  record.prompt = prompt;
  const payment = optionalString(paymentFingerprintField);
  if (payment === false) return fail('payment_fingerprint', 'expected a string');
  record.payment_fingerprint = payment;
  const channel = optionalString(signupChannelField);
  if (channel === false) return fail('signup_channel', 'expected a string');
  record.signup_channel = channel;
  const status = optionalString(statusField);
  if (status === false) return fail('status', 'expected a string');
  record.status = status;
  return { record };
}

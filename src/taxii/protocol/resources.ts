import { TaxiiUsageError } from './errors.js';

/**
 * TAXII 2.1 resources (§3.6.1, §3.7, §4, §5) as TypeScript types, with the property names exactly as the spec spells
 * them (§3.8). Optional lists are omitted rather than empty (§2 "list": empty lists are prohibited).
 *
 * Timestamps are TAXII timestamps (strings with six fraction digits, see `timestamps.ts`); `version` values are STIX
 * `modified`/`created` timestamps as the objects carry them.
 */

/** Discovery resource (§4.1.1), served at `/taxii2/`. */
export interface Discovery {
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  /** Must be one of `api_roots`. */
  readonly default?: string;
  /** Absolute https URLs or relative URLs starting with one `/`; never a query component. */
  readonly api_roots?: readonly string[];
}

/** API Root resource (§4.2.1). */
export interface ApiRoot {
  readonly title: string;
  readonly description?: string;
  /** Must include `application/taxii+json;version=2.1`. */
  readonly versions: readonly string[];
  /** Largest request body in octets the server accepts; > 0. Smaller bodies must not get 413. */
  readonly max_content_length: number;
}

/** Collection resource (§5.2.1). */
export interface Collection {
  /** A UUIDv4. */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  /** Unique within the API root; may stand in for `id` in URLs. */
  readonly alias?: string;
  readonly can_read: boolean;
  readonly can_write: boolean;
  /** Absent means `["application/stix+json"]`; when present it must list every media type the collection stores. */
  readonly media_types?: readonly string[];
}

/** Collections resource (§5.1.1): `{}` when there are none. */
export interface Collections {
  readonly collections?: readonly Collection[];
}

/** Envelope (§3.7): the wrapper of every object list. `{}` when empty. */
export interface Envelope<T = Record<string, unknown>> {
  /** Absent means false. */
  readonly more?: boolean;
  /** Opaque continuation token; only with `more: true`. */
  readonly next?: string;
  readonly objects?: readonly T[];
}

/** One version of one object in a manifest (§5.3.1). */
export interface ManifestRecord {
  readonly id: string;
  /** TAXII timestamp: when this version was added to the collection. */
  readonly date_added: string;
  /** `modified`, else `created`, else a server-consistent value. */
  readonly version: string;
  /** Must be one of the collection's `media_types`. */
  readonly media_type?: string;
}

/** Manifest resource (§5.3.1). */
export interface Manifest {
  readonly more?: boolean;
  /** Not in the spec's manifest table, but allowed (§3.4 "next" applies to every paged endpoint); we send it. */
  readonly next?: string;
  readonly objects?: readonly ManifestRecord[];
}

/** Versions resource (§5.8.1). */
export interface Versions {
  readonly more?: boolean;
  /** As for {@link Manifest.next}. */
  readonly next?: string;
  readonly versions?: readonly string[];
}

/** One object's outcome inside a status (§4.3.1 "status-details"). */
export interface StatusDetails {
  /** The STIX id. */
  readonly id: string;
  /** The STIX `modified` (else `created`) of the object. */
  readonly version: string;
  readonly message?: string;
}

/** Status resource (§4.3.1). Invariant kept by `buildStatus`: success + failure + pending = total. */
export interface Status {
  /** A UUIDv4. */
  readonly id: string;
  readonly status: 'complete' | 'pending';
  /** TAXII timestamp of the request being monitored. */
  readonly request_timestamp?: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes?: readonly StatusDetails[];
  readonly failure_count: number;
  readonly failures?: readonly StatusDetails[];
  readonly pending_count: number;
  readonly pendings?: readonly StatusDetails[];
}

/** Error resource (§3.6.1). */
export interface TaxiiErrorResource {
  readonly title: string;
  readonly description?: string;
  readonly error_id?: string;
  readonly error_code?: string;
  /** The HTTP status as a string; must equal the response status. */
  readonly http_status?: string;
  /** URL with more information. */
  readonly external_details?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Input of `buildStatus`. */
export interface StatusInput {
  readonly id: string;
  readonly requestTimestamp?: string;
  readonly successes?: readonly StatusDetails[];
  readonly failures?: readonly StatusDetails[];
  readonly pendings?: readonly StatusDetails[];
  /**
   * Objects in the request; defaults to the sum of the three lists. When larger, the remainder counts as pending
   * (the server has not looked at them yet), so the sum invariant always holds.
   */
  readonly totalCount?: number;
  /** Successes counted, when more than `successes` lists (details omitted to keep the status bounded). */
  readonly successCount?: number;
  /** Failures counted, when more than `failures` lists. */
  readonly failureCount?: number;
}

/**
 * Builds a status resource whose counts agree with its lists: success + failure + pending = total (taxii2-client
 * rejects a status that breaks this). `status` is `complete` exactly when nothing is pending. Empty lists are
 * omitted (§2).
 *
 * @throws TaxiiUsageError when `totalCount` is smaller than the number of listed objects.
 */
export function buildStatus(input: StatusInput): Status {
  const successes = input.successes ?? [];
  const failures = input.failures ?? [];
  const pendings = input.pendings ?? [];
  const successCount = input.successCount ?? successes.length;
  const failureCount = input.failureCount ?? failures.length;
  if (successCount < successes.length || failureCount < failures.length) {
    throw new TaxiiUsageError('a count is smaller than the number of details listed for it');
  }
  const counted = successCount + failureCount + pendings.length;
  const total = input.totalCount ?? counted;
  if (!Number.isSafeInteger(total) || total < counted) {
    throw new TaxiiUsageError(`total_count ${total} is smaller than the ${counted} objects counted`);
  }
  const pendingCount = pendings.length + (total - counted);
  const status: {
    -readonly [K in keyof Status]: Status[K];
  } = {
    id: input.id,
    status: pendingCount === 0 ? 'complete' : 'pending',
    total_count: total,
    success_count: successCount,
    failure_count: failureCount,
    pending_count: pendingCount,
  };
  if (input.requestTimestamp !== undefined) status.request_timestamp = input.requestTimestamp;
  if (successes.length > 0) status.successes = successes;
  if (failures.length > 0) status.failures = failures;
  if (pendings.length > 0) status.pendings = pendings;
  return status;
}

/** True when the status's counts are non-negative integers and success + failure + pending = total. */
export function isStatusConsistent(status: Status): boolean {
  const counts = [status.total_count, status.success_count, status.failure_count, status.pending_count];
  if (!counts.every((c) => Number.isSafeInteger(c) && c >= 0)) return false;
  if (status.success_count + status.failure_count + status.pending_count !== status.total_count) return false;
  if (status.status === 'complete' && status.pending_count !== 0) return false;
  const listOk = (list: readonly StatusDetails[] | undefined, count: number): boolean =>
    list === undefined || (list.length > 0 && list.length <= count);
  return (
    listOk(status.successes, status.success_count) &&
    listOk(status.failures, status.failure_count) &&
    listOk(status.pendings, status.pending_count)
  );
}

/**
 * Serialises an envelope from objects that are already JSON text, by concatenation: stored objects are served
 * exactly as they were received, without a parse/stringify round trip per object. Gives `{}` for an empty final page
 * and omits `next` unless `more` is true (§3.7).
 *
 * @param objectsJson - each element one complete JSON object, as stored.
 */
export function serializeEnvelope(objectsJson: readonly string[], more = false, next?: string): string {
  let head = '{';
  if (more) {
    head += '"more":true';
    if (next !== undefined) head += ',"next":' + JSON.stringify(next);
  }
  if (objectsJson.length === 0) return head + '}';
  return head + (more ? ',' : '') + '"objects":[' + objectsJson.join(',') + ']}';
}

import { TaxiiError } from '../protocol/errors.js';
import { parseQuery, type EndpointKind } from '../protocol/filters.js';
import { formatTaxiiTimestamp, microsFromDate, parseTaxiiTimestamp } from '../protocol/timestamps.js';
import { TaxiiClientUsageError } from './errors.js';

/**
 * Typed filter options and their encoding into the TAXII 2.1 query syntax (§3.4): `added_after=<timestamp>`,
 * `limit=<n>`, `match[<field>]=<v1>,<v2>` (comma-separated, no spaces). Each encoded query is checked with the same
 * parser the server uses (`protocol/filters.ts`), so the client never sends what a conforming server must refuse.
 */

/** One value or several (OR-ed together by the server). */
export type OneOrMany<T> = T | readonly T[];

/** `match[version]` values: `first`, `last`, `all` (alone), or a STIX timestamp naming one version. */
export type VersionSelector = 'first' | 'last' | 'all' | (string & {});

/** The `match[...]` filters of the objects and manifest endpoints. */
export interface MatchFilters {
  /** `match[id]`: STIX ids. */
  readonly id?: OneOrMany<string>;
  /** `match[type]`: STIX type names. */
  readonly type?: OneOrMany<string>;
  /** `match[version]` (server default: `last`). */
  readonly version?: OneOrMany<VersionSelector>;
  /** `match[spec_version]`, e.g. `'2.1'` (server default: the newest spec version held for each object). */
  readonly specVersion?: OneOrMany<string>;
}

/** Filters of GET objects and GET manifest (§5.3, §5.4). */
export interface CollectionQuery {
  /** `added_after`: only what the server added strictly after this instant (its `date_added`, not STIX times). */
  readonly addedAfter?: string | Date;
  /** `limit`: page size asked for; the server may serve fewer. */
  readonly limit?: number;
  readonly match?: MatchFilters;
}

/** Filters of GET one object (§5.6): versions and spec versions only. */
export interface ObjectQuery {
  readonly addedAfter?: string | Date;
  readonly limit?: number;
  readonly match?: Pick<MatchFilters, 'version' | 'specVersion'>;
}

/** Filters of GET versions (§5.8). */
export interface VersionsQuery {
  readonly addedAfter?: string | Date;
  readonly limit?: number;
  readonly match?: Pick<MatchFilters, 'specVersion'>;
}

/** Filters of DELETE one object (§5.7). */
export interface DeleteQuery {
  readonly match?: Pick<MatchFilters, 'version' | 'specVersion'>;
}

/** Any of the query shapes above. */
export type AnyQuery = CollectionQuery | ObjectQuery | VersionsQuery | DeleteQuery;

/** Ordered query parameters, name first. */
export type QueryPairs = readonly (readonly [string, string])[];

const MATCH_FIELDS: readonly (readonly [keyof MatchFilters, string])[] = [
  ['id', 'match[id]'],
  ['type', 'match[type]'],
  ['version', 'match[version]'],
  ['specVersion', 'match[spec_version]'],
];

const ALLOWED: Readonly<Record<EndpointKind, ReadonlySet<keyof MatchFilters>>> = {
  objects: new Set(['id', 'type', 'version', 'specVersion']),
  manifest: new Set(['id', 'type', 'version', 'specVersion']),
  object: new Set(['version', 'specVersion']),
  versions: new Set(['specVersion']),
  delete: new Set(['version', 'specVersion']),
};

/**
 * Normalises an `added_after` option to a TAXII timestamp with six fraction digits. A `Date` is exact to the
 * millisecond; a string may have any fraction length.
 */
export function formatAddedAfter(value: string | Date, option = 'addedAfter'): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TaxiiClientUsageError(option, 'is an invalid Date');
    return formatTaxiiTimestamp(microsFromDate(value));
  }
  const micros = typeof value === 'string' ? parseTaxiiTimestamp(value) : undefined;
  if (micros === undefined) {
    throw new TaxiiClientUsageError(option, `"${String(value)}" is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS[.ssssss]Z)`);
  }
  return formatTaxiiTimestamp(micros);
}

function listValue(option: string, value: OneOrMany<string>): string {
  const list: readonly string[] = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    // Sending nothing would match everything: the opposite of what an empty list means to the caller.
    throw new TaxiiClientUsageError(option, 'must name at least one value');
  }
  for (const v of list) {
    if (typeof v !== 'string' || v === '' || v.includes(',')) {
      throw new TaxiiClientUsageError(option, `${JSON.stringify(v)} is not a single non-empty value`);
    }
  }
  return list.join(',');
}

/**
 * The `limit` sent with every page request when the caller gives none (TaxiiClientOptions `pageLimit`). Always sending
 * one matters: the OASIS reference server (medallion) answers the second page with HTTP 500 when the first request had
 * no `limit`, and taxii2-client, the most used client, always sends it. Servers serve fewer when their cap is lower.
 */
export const DEFAULT_PAGE_LIMIT = 1000;

/**
 * Encodes filters for one endpoint as ordered query pairs: `added_after`, `limit`, then `match[...]` fields. Throws
 * before anything is sent when a value is malformed, when a field does not apply to the endpoint (e.g. `match.type` on
 * one object), or when the shared parser would refuse the query.
 *
 * @throws TaxiiClientUsageError naming the option at fault.
 */
export function encodeQuery(kind: EndpointKind, query: AnyQuery | undefined): QueryPairs {
  if (query === undefined) return [];
  const pairs: [string, string][] = [];
  const q = query as CollectionQuery;
  if (q.addedAfter !== undefined) {
    if (kind === 'delete') throw new TaxiiClientUsageError('addedAfter', 'does not apply to DELETE');
    pairs.push(['added_after', formatAddedAfter(q.addedAfter)]);
  }
  if (q.limit !== undefined) {
    if (kind === 'delete') throw new TaxiiClientUsageError('limit', 'does not apply to DELETE');
    if (!Number.isSafeInteger(q.limit) || q.limit <= 0) throw new TaxiiClientUsageError('limit', `must be a positive integer, got ${q.limit}`);
    pairs.push(['limit', String(q.limit)]);
  }
  const match = q.match ?? {};
  for (const [field, param] of MATCH_FIELDS) {
    const value = match[field];
    if (value === undefined) continue;
    if (!ALLOWED[kind].has(field)) throw new TaxiiClientUsageError(`match.${field}`, `does not apply to the ${kind} endpoint`);
    pairs.push([param, listValue(`match.${field}`, value)]);
  }
  try {
    parseQuery(new URLSearchParams(pairs as [string, string][]), kind);
  } catch (err) {
    if (err instanceof TaxiiError) {
      const parameter = err.details?.['parameter'];
      throw new TaxiiClientUsageError(optionName(typeof parameter === 'string' ? parameter : 'query'), err.message, { cause: err });
    }
    throw err;
  }
  return pairs;
}

function optionName(parameter: string): string {
  switch (parameter) {
    case 'added_after':
      return 'addedAfter';
    case 'match[id]':
      return 'match.id';
    case 'match[type]':
      return 'match.type';
    case 'match[version]':
      return 'match.version';
    case 'match[spec_version]':
      return 'match.specVersion';
    default:
      return parameter;
  }
}

import { formatTaxiiTimestamp, parseTaxiiTimestamp } from '../protocol/timestamps.js';
import { TaxiiProtocolError } from './errors.js';
import type { QueryPairs } from './query.js';

/**
 * Pagination over the four paged endpoints (objects, manifest, one object, versions), TAXII 2.1 §3.4-§3.5.
 *
 * Each page is requested with the caller's filters and `limit` (the collection handle adds a default one). Then:
 * - `more: false` (or absent) ends the listing;
 * - `more: true` with `next`: the next request sends `next` **with the same filters** (including the original
 *   `added_after`: a cursor belongs to the query that produced it);
 * - `more: true` without `next`: the next request replaces `added_after` with the page's `X-TAXII-Date-Added-Last`
 *   (the `date_added` of its last item). `added_after` is exclusive, so with a server whose `date_added` values are
 *   strictly increasing (ours, and every good one) the boundary item is not sent again.
 *
 * Servers are not all good, so two defences keep the promise "never an item twice, never a skipped one, memory bounded
 * by one page":
 * - items of a page whose key (id + version + spec version) was in the previous non-empty page are dropped. An
 *   inclusive `added_after` (`>=`), a timestamp header truncated to milliseconds, or a server repeating the boundary
 *   item after a retry all show up exactly there. Only one page of keys is kept.
 * - items seen on an earlier page that ended at the same `X-TAXII-Date-Added-Last` are dropped too (a coarse header,
 *   or a server going round in circles);
 * - progress is judged by new objects, not by new requests: a page with `more: true` that brings no new item (empty,
 *   only repeats, or a `X-TAXII-Date-Added-Last` older than one already seen: pages come in `date_added` order)
 *   counts as stalled, and after `maxStalledPages` such pages in a row a `paging-stalled` error ends
 *   the loop rather than spinning forever. Identical requests are fine as long as each brings new objects: medallion
 *   (the OASIS reference server) hands back the same `next` token for every page while serving the next page each
 *   time.
 *   A non-empty page with `more: true` and neither `next` nor a date header cannot be continued without risking a
 *   skip: `missing-date-added-last`.
 */

/** What one HTTP page returned, before de-duplication. */
export interface RawPage<T> {
  readonly items: readonly T[];
  readonly more: boolean;
  readonly next: string | undefined;
  /** `X-TAXII-Date-Added-First` as sent, if any. */
  readonly dateAddedFirst: string | undefined;
  /** `X-TAXII-Date-Added-Last` as sent, if any. */
  readonly dateAddedLast: string | undefined;
  /** The URL that answered (for errors). */
  readonly url: string;
  readonly status: number;
}

/** One page as the caller sees it. */
export interface Page<T> {
  /** Items of the page, duplicates of the previous page removed, in server order (ascending `date_added`). */
  readonly items: readonly T[];
  /** The server has more after this page. */
  readonly more: boolean;
  /** The `next` token the server gave, if any. */
  readonly next: string | undefined;
  /** `X-TAXII-Date-Added-First`, normalised to a TAXII timestamp (µs), when the server sent a readable one. */
  readonly dateAddedFirst: string | undefined;
  /** `X-TAXII-Date-Added-Last`, normalised: the `date_added` of the page's last item. */
  readonly dateAddedLast: string | undefined;
  /** Items the server sent that were dropped as repeats of the previous page. */
  readonly duplicatesDropped: number;
  /** 0 for the first page. */
  readonly index: number;
  /** The URL that answered (no credentials). */
  readonly url: string;
}

/** Fetches one page for a query. */
export type PageFetcher<T> = (query: QueryPairs, signal: AbortSignal | undefined) => Promise<RawPage<T>>;

/** Options of {@link paginate}. */
export interface PaginateOptions<T> {
  readonly fetch: PageFetcher<T>;
  /** The first request's query (filters, `limit`, optional `added_after`). */
  readonly query: QueryPairs;
  /** Identity of an item for de-duplication across a page boundary. */
  readonly keyOf: (item: T) => string;
  /** Pages in a row with `more: true` and no new item tolerated before `paging-stalled` (default 3). */
  readonly maxStalledPages?: number | undefined;
  /** Request the next page while the caller works on the current one (default false). */
  readonly prefetch?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads a `X-TAXII-Date-Added-*` header as a TAXII timestamp with six digits. RFC 3339 with any fraction length is
 * exact; other date formats `Date.parse` understands (MITRE's server sends JavaScript `Date#toString` text) are taken
 * to the millisecond, which the boundary de-duplication makes safe.
 */
export function normaliseDateHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const micros = parseTaxiiTimestamp(text);
  if (micros !== undefined) return formatTaxiiTimestamp(micros);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  try {
    return formatTaxiiTimestamp(ms * 1000);
  } catch {
    return undefined;
  }
}

function laterOf(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  const ta = parseTaxiiTimestamp(a);
  const tb = parseTaxiiTimestamp(b);
  return ta !== undefined && tb !== undefined && tb <= ta ? a : b;
}

function buildQuery(base: QueryPairs, addedAfter: string | undefined, next: string | undefined): QueryPairs {
  const pairs: (readonly [string, string])[] = [];
  if (addedAfter !== undefined) pairs.push(['added_after', addedAfter]);
  for (const p of base) if (p[0] !== 'added_after' && p[0] !== 'next') pairs.push(p);
  if (next !== undefined) pairs.push(['next', next]);
  return pairs;
}

/**
 * Iterates the pages of one listing, following the rules above. Lazy: a page is requested when the caller asks for
 * it, or, with `prefetch`, as soon as the previous page has arrived (one request ahead; the caller may stop at any time
 * and the request ahead is cancelled).
 */
export async function* paginate<T>(options: PaginateOptions<T>): AsyncGenerator<Page<T>, void, undefined> {
  const maxStalled = options.maxStalledPages ?? 3;
  const base = options.query;
  // Requests made ahead are cancelled when the caller stops early; the caller's own signal cancels everything.
  const own = new AbortController();
  const outer = options.signal;
  const onAbort = (): void => own.abort(outer?.reason);
  if (outer?.aborted === true) own.abort(outer.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const start = (q: QueryPairs): Promise<RawPage<T>> => {
    const p = options.fetch(q, own.signal);
    p.catch(() => undefined); // a request ahead may fail unobserved if the caller stops; errors surface on await
    return p;
  };
  let addedAfter = base.find((p) => p[0] === 'added_after')?.[1];
  let next: string | undefined;
  let previousKeys = new Set<string>();
  let stalled = 0;
  // The latest X-TAXII-Date-Added-Last seen, and the keys of the items of pages that ended there.
  let latestAdded: number | undefined;
  let tieKeys = new Set<string>();
  let query = buildQuery(base, addedAfter, next);
  let pending: Promise<RawPage<T>> | undefined = start(query);
  try {
    for (let index = 0; ; index++) {
      const raw: RawPage<T> = await (pending ?? start(query));
      pending = undefined;
      const keys = raw.items.map(options.keyOf);
      const dateAddedLast = normaliseDateHeader(raw.dateAddedLast);
      const added = dateAddedLast === undefined ? undefined : parseTaxiiTimestamp(dateAddedLast);
      // Pages come in date_added order: a page ending before the latest one seen is going backwards (not progress,
      // though its items are still handed out: nothing is dropped on the strength of a header alone), and one ending
      // at it may repeat items of earlier pages ending there too, which are dropped by key.
      const behind = added !== undefined && latestAdded !== undefined && added < latestAdded;
      const level = added !== undefined && added === latestAdded;
      const items: T[] = [];
      raw.items.forEach((item, i) => {
        const key = keys[i] as string;
        if (!previousKeys.has(key) && !(level && tieKeys.has(key))) items.push(item);
      });
      // An empty page says nothing about the boundary; keep the last non-empty page's keys.
      if (raw.items.length > 0) previousKeys = new Set(keys);
      if (added !== undefined && (latestAdded === undefined || added > latestAdded)) {
        latestAdded = added;
        tieKeys = new Set(keys);
      } else if (level && tieKeys.size < MAX_TIE_KEYS) {
        for (const k of keys) tieKeys.add(k);
      }
      const page: Page<T> = {
        items,
        more: raw.more,
        next: raw.next,
        dateAddedFirst: normaliseDateHeader(raw.dateAddedFirst),
        dateAddedLast,
        duplicatesDropped: raw.items.length - items.length,
        index,
        url: raw.url,
      };
      if (!raw.more) {
        yield page;
        return;
      }
      // Work out the following request now, so it can start before this page is handed out.
      let problem: TaxiiProtocolError | undefined;
      if (raw.next !== undefined) {
        next = raw.next;
      } else {
        next = undefined;
        if (dateAddedLast !== undefined) {
          addedAfter = laterOf(addedAfter, dateAddedLast);
        } else if (raw.items.length > 0) {
          problem = new TaxiiProtocolError(
            'missing-date-added-last',
            'the page says more: true but gives neither next nor a readable X-TAXII-Date-Added-Last, so the rest cannot ' +
              'be requested without risking skipped or repeated objects',
            { url: raw.url, httpStatus: raw.status },
          );
        }
      }
      const following = buildQuery(base, addedAfter, next);
      const progressed = items.length > 0 && !behind;
      if (problem === undefined && !progressed) {
        stalled++;
        if (stalled > maxStalled) {
          problem = new TaxiiProtocolError(
            'paging-stalled',
            `the server answered ${stalled} pages in a row with more: true and no new object` +
              (sameQuery(query, following) ? ' (to the same request)' : ''),
            { url: raw.url, httpStatus: raw.status },
          );
        }
      } else {
        stalled = 0;
      }
      query = following;
      if (problem === undefined && options.prefetch === true) pending = start(query);
      // The page's own items are sound even when the listing cannot go on: hand them out, then report.
      yield page;
      if (problem !== undefined) throw problem;
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
    if (pending !== undefined) own.abort(new Error('listing closed'));
  }
}

/** Keys remembered for pages sharing one `X-TAXII-Date-Added-Last` (a coarse header); memory stays bounded past it. */
const MAX_TIE_KEYS = 100_000;

function sameQuery(a: QueryPairs, b: QueryPairs): boolean {
  return a.length === b.length && a.every((p, i) => p[0] === b[i]?.[0] && p[1] === b[i]?.[1]);
}

/**
 * A lazy listing: iterate it for items (`for await (const obj of pager)`), or call {@link Pager.pages} for pages.
 * Nothing is requested until iteration starts; each iteration starts from the first page again.
 */
export class Pager<T> implements AsyncIterable<T> {
  readonly #start: () => AsyncGenerator<Page<T>, void, undefined>;

  /** @internal */
  constructor(start: () => AsyncGenerator<Page<T>, void, undefined>) {
    this.#start = start;
  }

  /** The pages, one request each. Memory holds one page at a time. */
  pages(): AsyncGenerator<Page<T>, void, undefined> {
    return this.#start();
  }

  /**
   * The items, one by one. Hand-written rather than an async generator: handing out an item of a page already in
   * memory is a resolved promise, without generator machinery per item (it shows at a million objects).
   */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    const pages = this.#start();
    let items: readonly T[] = [];
    let at = 0;
    let finished = false;
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    const pull = async (): Promise<IteratorResult<T, undefined>> => {
      while (at >= items.length) {
        if (finished) return done;
        const r = await pages.next();
        if (r.done === true) {
          finished = true;
          return done;
        }
        items = r.value.items;
        at = 0;
      }
      return { done: false, value: items[at++] as T };
    };
    return {
      next: () => (at < items.length ? Promise.resolve({ done: false, value: items[at++] as T }) : pull()),
      return: async () => {
        finished = true;
        items = [];
        await pages.return(undefined);
        return done;
      },
    };
  }

  /** Every item in one array. Convenient for small listings; memory grows with the result. */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.#start()) all.push(...page.items);
    return all;
  }
}

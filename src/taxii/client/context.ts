import { TAXII_MEDIA_TYPE } from '../protocol/media-types.js';
import type { Transport, HttpResponse } from './transport.js';
import type { ValidationOptions } from './validation.js';
import type { QueryPairs } from './query.js';
import { displayUrl, withQuery } from './urls.js';
import { TaxiiProtocolError } from './errors.js';

/** Defaults of status polling (`waitForStatus`). */
export interface WaitOptions {
  /** Time between two status requests in ms (default 1 000). */
  readonly intervalMs?: number;
  /** Give up after this many ms with `TaxiiStatusTimeoutError` (default 60 000). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call (and any retry wait); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of the paged listings, beside the filters. */
export interface PageOptions extends CallOptions, ValidationOptions {
  /** Pages in a row that bring no new object before `paging-stalled` (default 3). */
  readonly maxStalledPages?: number;
  /**
   * Request the next page while the caller is still working on the current one (default: the client's `prefetch`,
   * itself false by default). Bulk pulls go faster, as the server works while the client parses; memory then holds up
   * to two pages instead of one.
   */
  readonly prefetch?: boolean;
}

/** @internal What every handle shares: the transport and the client-wide defaults. */
export interface ClientContext {
  readonly transport: Transport;
  readonly validation: ValidationOptions;
  readonly maxStalledPages: number;
  /** `limit` of page requests whose caller gave none. */
  readonly pageLimit: number;
  readonly prefetch: boolean;
  readonly wait: Required<Omit<WaitOptions, 'signal'>>;
}

/** @internal GET with the TAXII Accept header; any 2xx (200, and 206 some servers send for partial pages) is a success. */
export async function getResource(ctx: ClientContext, url: URL, query: QueryPairs, signal: AbortSignal | undefined): Promise<HttpResponse> {
  return ctx.transport.send({ method: 'GET', url: query.length > 0 ? withQuery(url, query) : url, accept: TAXII_MEDIA_TYPE, signal });
}

/** @internal A body that must be present. */
export function requireBody(res: HttpResponse): unknown {
  if (res.body === undefined) {
    throw new TaxiiProtocolError('unexpected-status', `HTTP ${res.status} without the resource the endpoint must return`, {
      url: displayUrl(res.url),
      httpStatus: res.status,
    });
  }
  return res.body;
}

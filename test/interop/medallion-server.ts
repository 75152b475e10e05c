import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { dateAdded, identity, sendJson, startFakeServer } from '../taxii/client/fake-server.js';
import type { FakeServer, Seen } from '../taxii/client/fake-server.js';

/**
 * A scripted TAXII 2.1 server that pages the way medallion (the OASIS reference server, memory backend) does, as
 * issue #20 measured it:
 * - a page holds at most `maxPageSize` objects (medallion's default 100), fewer if the request's `limit` is lower;
 * - the first request stores its query options under a `next` token; later requests with that token are served from
 *   the stored query, whose `limit` it reads: a first request without `limit` makes every later page fail with HTTP
 *   500 (medallion's `KeyError: 'limit'`), answered with Flask's HTML error page;
 * - the same `next` token comes back on every page while the server serves the following page each time.
 * `failPages` makes page requests fail with 500 (page number 1-based) as many times as its count says.
 */
export const MEDALLION_COLLECTION = '91a7b528-80eb-42ed-a74d-c6fbd5a26116';
export const OBJECTS_PATH = `/api1/collections/${MEDALLION_COLLECTION}/objects/`;

export interface MedallionOptions {
  readonly size: number;
  readonly maxPageSize?: number;
  /** Page number (1 = first page of a listing) → how many requests for it fail with 500 before it is served. */
  readonly failPages?: Map<number, number>;
}

export interface Medallion {
  readonly server: FakeServer;
  readonly apiRoot: string;
  /** The objects requests, as sent (path and query). */
  objectRequests(): string[];
}

const COLLECTION = {
  id: MEDALLION_COLLECTION,
  title: 'High Value Indicator Collection',
  can_read: true,
  can_write: false,
  media_types: ['application/stix+json;version=2.1'],
};

const FLASK_500 = '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n';

export async function startMedallion(options: MedallionOptions): Promise<Medallion> {
  const maxPage = options.maxPageSize ?? 100;
  const records = new Map<string, { query: URLSearchParams; offset: number; page: number }>();
  const all = Array.from({ length: options.size }, (_, i) => ({ object: identity(i), added: dateAdded(i) }));

  const page = (req: Seen, res: ServerResponse): void => {
    const token = req.query.get('next');
    let query = req.query;
    let offset = 0;
    let number = 1;
    if (token !== null) {
      const record = records.get(token);
      if (record === undefined) return sendJson(res, 400, { title: 'Unknown next token', http_status: '400' });
      // medallion reads `limit` from the stored query of the first request.
      if (record.query.get('limit') === null) return html500(res);
      query = record.query;
      offset = record.offset;
      number = record.page + 1;
    }
    const failing = options.failPages?.get(number) ?? 0;
    if (failing > 0) {
      options.failPages?.set(number, failing - 1);
      return html500(res);
    }
    const after = query.get('added_after');
    const matching = after === null ? all : all.filter((o) => Date.parse(o.added) > Date.parse(after));
    const size = Math.min(Number(query.get('limit') ?? maxPage), maxPage);
    const slice = matching.slice(offset, offset + size);
    const more = offset + slice.length < matching.length;
    const body: Record<string, unknown> = { more };
    if (more) {
      const next = token ?? randomUUID();
      records.set(next, { query, offset: offset + slice.length, page: number });
      body['next'] = next;
    } else if (token !== null) {
      records.delete(token);
    }
    if (slice.length > 0) body['objects'] = slice.map((o) => o.object);
    const headers: Record<string, string> =
      slice.length > 0 ? { 'X-TAXII-Date-Added-First': slice[0]?.added ?? '', 'X-TAXII-Date-Added-Last': slice[slice.length - 1]?.added ?? '' } : {};
    sendJson(res, 200, body, headers);
  };

  const server = await startFakeServer((req, res) => {
    if (req.path === '/api1/') return sendJson(res, 200, { title: 'Medallion', versions: ['application/taxii+json;version=2.1'], max_content_length: 9765625 });
    if (req.path === '/api1/collections/') return sendJson(res, 200, { collections: [COLLECTION] });
    if (req.path === `/api1/collections/${MEDALLION_COLLECTION}/`) return sendJson(res, 200, COLLECTION);
    if (req.path === OBJECTS_PATH) return page(req, res);
    return sendJson(res, 404, { title: 'Not Found', http_status: '404' });
  });
  return {
    server,
    apiRoot: server.url + 'api1/',
    objectRequests: () => server.seen.filter((s) => s.path === OBJECTS_PATH).map((s) => s.target),
  };
}

function html500(res: ServerResponse): void {
  res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(FLASK_500)) });
  res.end(FLASK_500);
}

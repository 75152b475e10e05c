import { decodeCursor } from '../../protocol/cursor.js';
import type { CursorScope, CursorSecret } from '../../protocol/cursor.js';
import type { EndpointKind, ParsedQuery } from '../../protocol/filters.js';
import { parseQuery } from '../../protocol/filters.js';
import { stixMediaType } from '../../protocol/media-types.js';
import { nextCursor, resolvePageRequest } from '../../protocol/paging.js';
import type { PageRequest } from '../../protocol/paging.js';
import { serializeEnvelope } from '../../protocol/resources.js';
import { formatTaxiiTimestamp } from '../../protocol/timestamps.js';
import type { Micros } from '../../protocol/timestamps.js';
import type { CollectionRef, ManifestRow, ObjectQuery } from '../../store/store.js';
import type { TaxiiResponse } from '../exchange.js';
import type { CollectionContext } from '../state.js';
import { dateAddedHeaders, forbidden, jsonText, notFound } from './respond.js';

interface Prepared {
  readonly target: CollectionRef;
  readonly scope: CursorScope;
  readonly page: PageRequest;
  readonly query: ObjectQuery;
  readonly limit: number;
}

function requireRead(ctx: CollectionContext): void {
  if (!ctx.rights.canRead) throw forbidden('you may write to this collection but not read from it');
}

/**
 * Some pollers advance `added_after` to the last `X-TAXII-Date-Added-Last` while still following `next`. Such an
 * `added_after` changes nothing: every row after the cursor's position was added strictly after that position's
 * `date_added` (it is strictly increasing per collection), hence after any earlier instant. So an `added_after` at
 * or before the cursor position is replaced by the cursor's own, instead of being refused as a filter mismatch. A
 * later one would skip rows, and stays a 400.
 */
function reconcileAddedAfter(parsed: ParsedQuery, secret: CursorSecret, scope: CursorScope): ParsedQuery {
  const stated = parsed.explicit.addedAfter;
  if (parsed.next === undefined || stated === undefined) return parsed;
  const cursor = decodeCursor(secret, parsed.next, scope);
  if (cursor.filters.addedAfter === stated || stated > cursor.position.dateAdded) return parsed;
  const { addedAfter: _dropped, ...rest } = parsed.explicit;
  const explicit = cursor.filters.addedAfter === undefined ? rest : { ...rest, addedAfter: cursor.filters.addedAfter };
  return { ...parsed, explicit };
}

/** Parses the query, resolves `next`, and works out the effective page size (client limit under the server cap). */
function prepare(ctx: CollectionContext, kind: EndpointKind): Prepared {
  const target: CollectionRef = { apiRoot: ctx.root.path, collectionId: ctx.collection.id };
  const objectId = ctx.match.objectId;
  const scope: CursorScope = {
    apiRoot: target.apiRoot,
    collectionId: target.collectionId,
    kind,
    ...(objectId !== undefined ? { objectId } : {}),
  };
  const parsed = reconcileAddedAfter(parseQuery(ctx.query, kind), ctx.state.cursorSecret, scope);
  const page = resolvePageRequest(parsed, ctx.state.cursorSecret, scope);
  const limit = Math.min(page.limit ?? ctx.state.defaultPageSize, ctx.state.maxPageSize);
  const query: ObjectQuery = {
    ...page.filters,
    ...(objectId !== undefined ? { ids: [objectId] } : {}),
    ...(page.after !== undefined ? { after: page.after } : {}),
  };
  return { target, scope, page, query, limit };
}

/** Key of a collection in the page cache's generation table. */
export function collectionKey(target: CollectionRef): string {
  return `${target.apiRoot}\u0000${target.collectionId}`;
}

/**
 * Serves a page from the cache, or parses the request, renders the page and remembers it. The key is the raw query
 * string plus what fixes the cursor scope (root, collection id, endpoint, object id) and the collection's write
 * generation: the same raw request always means the same page until the collection changes, so a hit skips query
 * parsing and cursor verification too. Rights were checked before; failures (400, 404) are never cached.
 */
async function cached(ctx: CollectionContext, kind: EndpointKind, render: (p: Prepared) => Promise<TaxiiResponse>): Promise<TaxiiResponse> {
  requireRead(ctx);
  const cache = ctx.state.pageCache;
  if (cache === undefined) return render(prepare(ctx, kind));
  const collection = collectionKey({ apiRoot: ctx.root.path, collectionId: ctx.collection.id });
  const key = `${kind}\u0000${collection}\u0000${ctx.match.objectId ?? ''}\u0000${cache.generation(collection)}\u0000${ctx.query}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  return cache.set(key, await render(prepare(ctx, kind)));
}

/** The `date_added` origin, for an empty first page of a query without `added_after`. */
const EPOCH: Micros = 0;

/**
 * `X-TAXII-Date-Added-First`/`-Last` (§3.2), sent on every 2xx of these endpoints. A page with rows gives its first
 * and last `date_added`. An empty page gives where the poller stands: the later of the request's `added_after` and
 * its cursor position (or the epoch on a first page without `added_after`). A poller that keeps `-Last` as its next
 * `added_after` (Elastic, OpenCTI) then asks again from the same place instead of falling back to its initial
 * look-back and fetching everything again.
 */
function pageHeaders(p: Prepared, rows: readonly ManifestRow[]): Record<string, string> {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first !== undefined && last !== undefined) return dateAddedHeaders(first.dateAdded, last.dateAdded);
  const stand = Math.max(p.page.filters.addedAfter ?? EPOCH, p.page.after?.dateAdded ?? EPOCH);
  return dateAddedHeaders(stand, stand);
}

function cursorFor(ctx: CollectionContext, p: Prepared, rows: readonly ManifestRow[], more: boolean): string | undefined {
  const last = rows[rows.length - 1];
  if (!more || last === undefined) return undefined;
  return nextCursor(ctx.state.cursorSecret, p.scope, p.page.filters, { dateAdded: last.dateAdded, seq: last.seq });
}

/** An object endpoint with nothing to show: 404 when the object does not exist at all in the collection (§5.6, §5.8). */
async function assertObjectExists(ctx: CollectionContext, p: Prepared): Promise<void> {
  const id = ctx.match.objectId as string;
  if (p.page.after === undefined && !(await ctx.state.store.hasObject(p.target, id))) throw notFound('the object');
}

/** GET .../objects/ (§5.4) and GET .../objects/{object-id}/ (§5.6): an envelope of stored JSON text. */
export async function getObjects(ctx: CollectionContext, kind: 'objects' | 'object'): Promise<TaxiiResponse> {
  return cached(ctx, kind, async (p) => {
    const { rows, more } = await ctx.state.store.queryObjects(p.target, p.query, p.limit);
    if (rows.length === 0 && kind === 'object' && p.page.after === undefined) {
      // GET of versions the collection does not hold (never did, or deleted: §5.7) is a 404; "nothing added after
      // T" of an object that exists is an empty page, and a later page of a cursor may be empty too.
      if (p.page.filters.addedAfter === undefined) throw notFound('the object (or the requested versions of it)');
      await assertObjectExists(ctx, p);
    }
    const texts = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) texts[i] = (rows[i] as { json: string }).json;
    return { ...jsonText(200, serializeEnvelope(texts, more, cursorFor(ctx, p, rows, more)), pageHeaders(p, rows)), items: rows.length };
  });
}

function pagedBody(listKey: string, items: readonly string[], more: boolean, next: string | undefined): string {
  let body = '{';
  if (more) body += '"more":true' + (next !== undefined ? ',"next":' + JSON.stringify(next) : '');
  if (items.length > 0) body += (more ? ',' : '') + `"${listKey}":[` + items.join(',') + ']';
  return body + '}';
}

/** GET .../manifest/ (§5.3): one manifest-record per stored version. */
export async function getManifest(ctx: CollectionContext): Promise<TaxiiResponse> {
  return cached(ctx, 'manifest', async (p) => {
    const { rows, more } = await ctx.state.store.queryManifest(p.target, p.query, p.limit);
    const records = rows.map((r) =>
      JSON.stringify({ id: r.id, date_added: formatTaxiiTimestamp(r.dateAdded), version: r.version, media_type: stixMediaType(r.specVersion) }),
    );
    return { ...jsonText(200, pagedBody('objects', records, more, cursorFor(ctx, p, rows, more)), pageHeaders(p, rows)), items: rows.length };
  });
}

/** GET .../objects/{object-id}/versions/ (§5.8). */
export async function getVersions(ctx: CollectionContext): Promise<TaxiiResponse> {
  return cached(ctx, 'versions', async (p) => {
    const { rows, more } = await ctx.state.store.queryManifest(p.target, p.query, p.limit);
    if (rows.length === 0) await assertObjectExists(ctx, p);
    const versions = rows.map((r) => JSON.stringify(r.version));
    return { ...jsonText(200, pagedBody('versions', versions, more, cursorFor(ctx, p, rows, more)), pageHeaders(p, rows)), items: rows.length };
  });
}

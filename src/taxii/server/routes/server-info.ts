import { TAXII_MEDIA_TYPE } from '../../protocol/media-types.js';
import type { ApiRoot, Collection, Collections, Discovery, Status } from '../../protocol/resources.js';
import { STATUS_COLLECTION, STATUS_OWNER } from './write.js';
import type { Principal } from '../auth.js';
import type { TaxiiRequest, TaxiiResponse } from '../exchange.js';
import { externalBase } from '../public-url.js';
import type { CollectionRights } from '../rights.js';
import type { ResolvedCollection, RouteContext, ServerState } from '../state.js';
import { json, notFound } from './respond.js';

/** GET /taxii2/ (§4.1): absolute API-root URLs built from the public URL. */
export function getDiscovery(state: ServerState, req: TaxiiRequest): TaxiiResponse {
  const base = externalBase(req, state.publicUrl, state.trustProxy, state.basePath);
  const url = (path: string): string => `${base}/${encodeURIComponent(path)}/`;
  const resource: { -readonly [K in keyof Discovery]: Discovery[K] } = { title: state.title };
  if (state.description !== undefined) resource.description = state.description;
  if (state.contact !== undefined) resource.contact = state.contact;
  resource.default = url(state.defaultRoot);
  resource.api_roots = state.rootOrder.map(url);
  return json(200, resource);
}

/** GET /{root}/ (§4.2). */
export function getApiRoot(ctx: RouteContext): TaxiiResponse {
  const { config, maxContentLength } = ctx.root;
  const resource: ApiRoot = {
    title: config.title,
    ...(config.description !== undefined ? { description: config.description } : {}),
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: maxContentLength,
  };
  return json(200, resource);
}

/** GET /{root}/status/{id}/ (§4.3). Unknown and purged statuses are 404. */
export async function getStatus(ctx: RouteContext): Promise<TaxiiResponse> {
  const id = ctx.match.statusId as string;
  const stored = await ctx.state.store.getStatus(ctx.root.path, id);
  if (stored === undefined) throw notFound('the status resource');
  const { [STATUS_OWNER]: owner, [STATUS_COLLECTION]: collection, ...status } = stored as Status & Record<string, unknown>;
  // A status names the objects of one request: only its author, or someone who may see that collection, reads it.
  const rights = typeof collection === 'string' ? ctx.state.rights.get(ctx.principal.name, ctx.root.path, collection) : undefined;
  // Write access alone is not enough: the status lists ids and versions of objects a write-only principal cannot read.
  const mayRead = owner === undefined || (owner === ctx.principal.name && !ctx.principal.anonymous) || rights?.canRead === true;
  if (!mayRead) throw notFound('the status resource');
  return json(200, status);
}

/** The collection resource as a principal sees it (§5.2.1). */
export function collectionResource(c: ResolvedCollection, rights: CollectionRights): Collection {
  return {
    id: c.id,
    title: c.config.title,
    ...(c.config.description !== undefined ? { description: c.config.description } : {}),
    ...(c.config.alias !== undefined ? { alias: c.config.alias } : {}),
    can_read: rights.canRead,
    can_write: rights.canWrite,
    media_types: c.mediaTypes,
  };
}

/** GET /{root}/collections/ (§5.1): only the collections the principal can read or write, in configured order. */
export function getCollections(ctx: RouteContext): TaxiiResponse {
  const principal: Principal = ctx.principal;
  const list: Collection[] = [];
  for (const c of ctx.root.collections) {
    const rights = ctx.state.rights.get(principal.name, ctx.root.path, c.id);
    if (rights.canRead || rights.canWrite) list.push(collectionResource(c, rights));
  }
  const resource: Collections = list.length === 0 ? {} : { collections: list };
  return json(200, resource);
}

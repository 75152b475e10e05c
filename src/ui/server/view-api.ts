import { TaxiiError } from '../../taxii/protocol/errors.js';
import { formatTaxiiTimestamp } from '../../taxii/protocol/timestamps.js';
import type { Principal } from '../../taxii/server/auth.js';
import type { ResolvedCollection, ServerState } from '../../taxii/server/state.js';
import type { PagePosition } from '../../taxii/store/store.js';
import type { CampaignView, CollectionSummary, MarkingView, ObjectList, ObjectListItem, ObjectView, ObjectVersionView } from '../view-model.js';
import { buildCampaignGraph, EDGE_TYPES, indexEdges, labelOf, nameOf, sightingsByLab, volumeTimeline } from './campaign-graph.js';
import type { StixRecord } from './collection-reader.js';
import { CollectionReader } from './collection-reader.js';
import { tlpOf, tlpOfMarking } from './tlp.js';
import { corroboration } from '../../match/corroboration.js';
import type { TrustStore } from '../../provenance/trust-store.js';
import { verifyObject } from '../../provenance/verify.js';
import type { CorroborationView, SignatureView } from '../view-model.js';

/** Limits of the view's data endpoints: every request reads a bounded part of a collection. */
export interface ViewLimits {
  /** Objects per list page (default 50, at most 500). */
  readonly pageSize: number;
  /** Relationships, sightings and containers one campaign graph may scan (default 100 000). */
  readonly scanRows: number;
  /** Nodes one campaign graph shows at most (default 10 000). */
  readonly maxNodes: number;
  /** Hops from the campaign (default 3). */
  readonly maxDepth: number;
  /** Versions an object page shows (newest first; default 50). */
  readonly maxVersions: number;
}

export const DEFAULT_VIEW_LIMITS: ViewLimits = Object.freeze({ pageSize: 50, scanRows: 100_000, maxNodes: 10_000, maxDepth: 3, maxVersions: 50 });

/** Rows per store query while scanning. */
const STORE_PAGE = 1_000;
const STIX_ID_RE = /^[a-z0-9][a-z0-9-]{0,249}--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TYPE_RE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const CURSOR_RE = /^(\d{1,16})\.(\d{1,16})$/;

function notFound(what: string): TaxiiError {
  return new TaxiiError(404, `${what} was not found, or you do not have access to it`, { errorCode: 'not-found' });
}

function badRequest(message: string): TaxiiError {
  return new TaxiiError(400, message, { errorCode: 'bad-request' });
}

/** The collections a principal may read, in configuration order. */
export function readableCollections(state: ServerState, principal: Principal): CollectionSummary[] {
  const out: CollectionSummary[] = [];
  for (const rootPath of state.rootOrder) {
    const root = state.roots.get(rootPath);
    if (root === undefined) continue;
    for (const c of root.collections) {
      const rights = state.rights.get(principal.name, root.path, c.id);
      if (!rights.canRead) continue;
      out.push({
        apiRoot: root.path,
        id: c.id,
        title: c.config.title,
        ...(c.config.description !== undefined ? { description: c.config.description } : {}),
        ...(c.config.alias !== undefined ? { alias: c.config.alias } : {}),
        canWrite: rights.canWrite,
      });
    }
  }
  return out;
}

/** The collection named in a view URL, if the principal may read it; otherwise 404 (hidden and missing look alike). */
function readableCollection(state: ServerState, principal: Principal, rootPath: string, key: string): ResolvedCollection {
  const collection = state.roots.get(rootPath)?.byKey.get(key);
  if (collection === undefined || !state.rights.get(principal.name, collection.apiRoot, collection.id).canRead) {
    throw notFound('the collection');
  }
  return collection;
}

function parseCursor(value: string | null): PagePosition | undefined {
  if (value === null || value === '') return undefined;
  const m = CURSOR_RE.exec(value);
  const dateAdded = m === null ? NaN : Number(m[1]);
  const seq = m === null ? NaN : Number(m[2]);
  if (!Number.isSafeInteger(dateAdded) || !Number.isSafeInteger(seq)) throw badRequest('after must be a position returned as "next" by this endpoint');
  return { dateAdded, seq };
}

function parseTypes(params: URLSearchParams): string[] | undefined {
  const types = params.getAll('type');
  if (types.length === 0) return undefined;
  if (types.length > 20 || !types.every((t) => TYPE_RE.test(t))) throw badRequest('type must be up to 20 STIX type names');
  return types;
}

function parseId(id: string, what: string): string {
  if (!STIX_ID_RE.test(id)) throw badRequest(`${what} must be a STIX identifier (type--uuid)`);
  return id;
}

/**
 * The analyst view's data endpoints: pure reads over the store, each bounded by {@link ViewLimits}, each checking that
 * the principal may read the collection it names.
 */
export class ViewApi {
  readonly #state: ServerState;
  readonly #limits: ViewLimits;
  readonly #trust: TrustStore | undefined;

  constructor(state: ServerState, limits: ViewLimits, trust?: TrustStore) {
    this.#state = state;
    this.#limits = limits;
    this.#trust = trust;
  }

  /** The verdict on an object's JSS signatures, if it carries any. */
  #signature(obj: StixRecord, names: ReadonlyMap<string, StixRecord>): SignatureView | undefined {
    if (!Array.isArray(obj['signatures'])) return undefined;
    const v = verifyObject(obj, this.#trust === undefined ? {} : { trust: this.#trust });
    const signerName = v.signer === undefined ? undefined : names.get(v.signer)?.['name'];
    return {
      valid: v.valid,
      trusted: v.trusted,
      ...(v.signer !== undefined ? { signer: v.signer } : {}),
      ...(typeof signerName === 'string' ? { signerName } : {}),
      ...(v.keyId !== undefined ? { keyId: v.keyId } : {}),
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      message: v.message,
      trustStore: this.#trust !== undefined,
    };
  }

  /**
   * Which shared objects other labs sighted, how often and how independently (the matching module's corroboration
   * report over the collection's sightings, the objects they sight, relationships and identities).
   */
  async corroboration(principal: Principal, rootPath: string, key: string): Promise<CorroborationView> {
    const c = readableCollection(this.#state, principal, rootPath, key);
    const reader = this.#reader(c);
    const scanned = await reader.scan(['sighting', 'relationship', 'identity']);
    const sighted = new Set<string>();
    for (const o of scanned.objects) if (o.type === 'sighting' && typeof o['sighting_of_ref'] === 'string') sighted.add(o['sighting_of_ref']);
    const targets = await reader.byIds(sighted);
    const report = corroboration([...scanned.objects, ...targets.values()], this.#trust === undefined ? {} : { trust: this.#trust });
    return {
      verified: report.verified,
      truncated: scanned.truncated,
      labNames: report.labNames,
      rows: report.rows.map((r) => ({
        object: r.object,
        type: r.type,
        name: r.name ?? labelOf(targets.get(r.object), r.object),
        ...(r.producer !== undefined ? { producer: r.producer } : {}),
        labs: r.labs,
        independentLabs: r.independentLabs,
        unverifiedLabs: r.unverifiedLabs,
        sightings: r.sightings,
        totalCount: r.totalCount,
        ...(r.firstSeen !== undefined ? { firstSeen: r.firstSeen } : {}),
        ...(r.lastSeen !== undefined ? { lastSeen: r.lastSeen } : {}),
        baseConfidence: r.baseConfidence,
        confidence: r.confidence,
      })),
    };
  }

  #reader(c: ResolvedCollection, scanRows = this.#limits.scanRows): CollectionReader {
    return new CollectionReader(this.#state.store, { apiRoot: c.apiRoot, collectionId: c.id }, { pageRows: STORE_PAGE, scanRows });
  }

  collections(principal: Principal): CollectionSummary[] {
    return readableCollections(this.#state, principal);
  }

  /** One page of a collection's objects (latest versions), optionally of some types. */
  async objects(principal: Principal, rootPath: string, key: string, params: URLSearchParams): Promise<ObjectList> {
    const c = readableCollection(this.#state, principal, rootPath, key);
    const after = parseCursor(params.get('after'));
    const types = parseTypes(params);
    const page = await this.#reader(c).page(types, after, this.#limits.pageSize);
    const items: ObjectListItem[] = [];
    for (const row of page.rows) {
      let obj: StixRecord | undefined;
      try {
        obj = JSON.parse(row.json) as StixRecord;
      } catch {
        obj = undefined;
      }
      const tlp = obj === undefined ? undefined : tlpOf(obj);
      items.push({
        id: row.id,
        type: row.type,
        name: labelOf(obj, row.id),
        version: row.version,
        dateAdded: formatTaxiiTimestamp(row.dateAdded),
        ...(tlp !== undefined ? { tlp } : {}),
      });
    }
    const last = page.rows[page.rows.length - 1];
    return { items, ...(page.more && last !== undefined ? { next: `${last.dateAdded}.${last.seq}` } : {}) };
  }

  /** A campaign with its graph, request-volume timeline and sightings by lab. */
  async campaign(principal: Principal, rootPath: string, key: string, rawId: string): Promise<CampaignView> {
    const c = readableCollection(this.#state, principal, rootPath, key);
    const id = parseId(rawId, 'the campaign id');
    const reader = this.#reader(c);
    const campaign = (await reader.byIds([id])).get(id);
    if (campaign === undefined || campaign.type !== 'campaign') throw notFound('the campaign');
    const scanned = await reader.scan(EDGE_TYPES);
    const { graph, objects } = await buildCampaignGraph(campaign, indexEdges(scanned.objects), (ids) => reader.byIds(ids), {
      maxDepth: this.#limits.maxDepth,
      maxNodes: this.#limits.maxNodes,
    });
    const nodeIds = graph.nodes.map((n) => n.id);
    const tlp = tlpOf(campaign);
    const description = typeof campaign['description'] === 'string' ? campaign['description'] : undefined;
    const firstSeen = typeof campaign['first_seen'] === 'string' ? campaign['first_seen'] : undefined;
    const lastSeen = typeof campaign['last_seen'] === 'string' ? campaign['last_seen'] : undefined;
    return {
      id,
      name: nameOf(campaign, id),
      ...(description !== undefined ? { description } : {}),
      ...(tlp !== undefined ? { tlp } : {}),
      ...(firstSeen !== undefined ? { firstSeen } : {}),
      ...(lastSeen !== undefined ? { lastSeen } : {}),
      graph: scanned.truncated ? { ...graph, truncated: true } : graph,
      timeline: volumeTimeline(objects, nodeIds),
      labs: sightingsByLab(objects, nodeIds),
    };
  }

  /** One object: its newest versions' exact text and its markings. */
  async object(principal: Principal, rootPath: string, key: string, rawId: string): Promise<ObjectView> {
    const c = readableCollection(this.#state, principal, rootPath, key);
    const id = parseId(rawId, 'the object id');
    const reader = this.#reader(c);
    // Versions come oldest first; keep the newest `maxVersions` of them without holding every version's text.
    const keep = this.#limits.maxVersions;
    const newest: ObjectVersionView[] = [];
    let total = 0;
    let after: PagePosition | undefined;
    for (;;) {
      const page = await this.#state.store.queryObjects({ apiRoot: c.apiRoot, collectionId: c.id }, { versions: ['all'], ids: [id], ...(after ? { after } : {}) }, STORE_PAGE);
      for (const row of page.rows) {
        total++;
        newest.push({ version: row.version, dateAdded: formatTaxiiTimestamp(row.dateAdded), json: row.json });
        if (newest.length > keep) newest.shift();
      }
      const last = page.rows[page.rows.length - 1];
      if (!page.more || last === undefined) break;
      after = { dateAdded: last.dateAdded, seq: last.seq };
    }
    if (total === 0) throw notFound('the object');
    newest.sort((a, b) => Date.parse(b.version) - Date.parse(a.version) || (b.dateAdded < a.dateAdded ? -1 : 1));
    const latest = JSON.parse((newest[0] as ObjectVersionView).json) as StixRecord;
    const markingIds = Array.isArray(latest['object_marking_refs']) ? (latest['object_marking_refs'] as unknown[]).filter((m): m is string => typeof m === 'string') : [];
    const signer = typeof latest['created_by_ref'] === 'string' ? [latest['created_by_ref']] : [];
    const definitions = await reader.byIds([...markingIds, ...signer]);
    const markings: MarkingView[] = markingIds.map((mid) => {
      const def = definitions.get(mid);
      const tlp = tlpOfMarking(mid);
      const statementDef = def?.['definition'];
      const statement =
        statementDef !== null && typeof statementDef === 'object' && typeof (statementDef as Record<string, unknown>)['statement'] === 'string'
          ? ((statementDef as Record<string, unknown>)['statement'] as string)
          : undefined;
      return {
        id: mid,
        name: tlp !== undefined ? `TLP:${tlp.toUpperCase()}` : labelOf(def, mid),
        ...(tlp !== undefined ? { tlp } : {}),
        ...(statement !== undefined ? { statement } : {}),
      };
    });
    const tlp = tlpOf(latest);
    const signature = this.#signature(latest, definitions);
    return {
      id,
      type: latest.type,
      name: nameOf(latest, id),
      ...(tlp !== undefined ? { tlp } : {}),
      markings,
      ...(signature !== undefined ? { signature } : {}),
      versions: newest,
      moreVersions: total > newest.length,
    };
  }
}

import type { CampaignGraph, GraphEdge, GraphNode, LabSightings, NodeKind, VolumePoint } from '../view-model.js';
import type { StixRecord } from './collection-reader.js';
import { tlpOf } from './tlp.js';

/** Bounds of one graph. */
export interface GraphLimits {
  /** Hops from the campaign. */
  readonly maxDepth: number;
  /** Nodes shown at most; the rest is reported as truncation. */
  readonly maxNodes: number;
}

const KIND_BY_TYPE: Readonly<Record<string, NodeKind>> = {
  campaign: 'campaign',
  'ai-service-account': 'account',
  'user-account': 'account',
  infrastructure: 'infrastructure',
  'ipv4-addr': 'infrastructure',
  'ipv6-addr': 'infrastructure',
  'domain-name': 'infrastructure',
  'autonomous-system': 'infrastructure',
  url: 'infrastructure',
  'network-traffic': 'infrastructure',
  indicator: 'indicator',
  'prompt-fingerprint': 'fingerprint',
  'ai-model': 'model',
  'attack-pattern': 'technique',
  'course-of-action': 'technique',
  'intrusion-set': 'actor',
  'threat-actor': 'actor',
  identity: 'lab',
  sighting: 'sighting',
  'observed-data': 'evidence',
  grouping: 'evidence',
  note: 'evidence',
  opinion: 'evidence',
  report: 'evidence',
};

/** Objects that carry lists of references, and the label of the edge to each. */
const CONTAINER_LABEL: Readonly<Record<string, string>> = {
  'observed-data': 'contains',
  grouping: 'refers-to',
  note: 'refers-to',
  opinion: 'refers-to',
  report: 'refers-to',
};

/** Types the graph shows but never walks through: shared by many campaigns, walking them would pull those in. */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  'identity',
  'marking-definition',
  'extension-definition',
  'language-content',
  'report',
  'note',
  'opinion',
  'campaign',
]);

/** Types whose referrers are not followed (hubs: many unrelated objects point at a model or a technique). */
const NO_REVERSE_TYPES: ReadonlySet<string> = new Set(['ai-model', 'attack-pattern', 'course-of-action', 'threat-actor']);

/** Reference properties that say who wrote or marked an object, not what it is about. */
const IGNORED_REFS: ReadonlySet<string> = new Set(['created_by_ref', 'object_marking_refs', 'granular_markings']);

/** The types the graph's edges come from; scanned once per graph. */
export const EDGE_TYPES: readonly string[] = ['relationship', 'sighting', ...Object.keys(CONTAINER_LABEL)];

/** The kind a node of this type is drawn as. */
export function kindOf(type: string): NodeKind {
  return KIND_BY_TYPE[type] ?? 'other';
}

function typeOfId(id: string): string {
  const i = id.indexOf('--');
  return i > 0 ? id.slice(0, i) : 'unknown';
}

const MAX_LABEL = 80;

function clip(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The full display name of an object (unclipped: page headings show all of it). */
export function nameOf(obj: StixRecord | undefined, id: string): string {
  const name = obj === undefined ? undefined : (str(obj['name']) ?? str(obj['value']) ?? str(obj['abstract']));
  return name ?? labelOf(obj, id);
}

/** A short human label for an object: its name, value or pseudonym, else its type and the start of its id. */
export function labelOf(obj: StixRecord | undefined, id: string): string {
  if (obj !== undefined) {
    const named =
      str(obj['name']) ??
      str(obj['value']) ??
      str(obj['abstract']) ??
      (obj['number'] !== undefined ? `AS${String(obj['number'])}` : undefined) ??
      str(obj['account_pseudonym'])?.replace(/^(.*:)?([0-9a-f]{10})[0-9a-f]+$/, 'account $2…') ??
      str(obj['user_id'])?.replace(/^(.*:)?([0-9a-f]{10})[0-9a-f]+$/, 'account $2…');
    if (named !== undefined) return clip(named);
    if (obj.type === 'sighting' && typeof obj['count'] === 'number') return `sighting ×${obj['count']}`;
  }
  const type = typeOfId(id);
  return `${type} ${id.slice(type.length + 2, type.length + 10)}`;
}

interface Link {
  readonly other: string;
  readonly label: string;
  /** Edge direction as drawn: true when `other` is the source. */
  readonly otherIsSource: boolean;
}

/**
 * Who refers to whom, from the collection's relationships, sightings and containers. `forward` holds what an object
 * points at (containers' lists, a sighting's targets); `reverse` what points at an object.
 */
export interface EdgeIndex {
  readonly forward: ReadonlyMap<string, readonly Link[]>;
  readonly reverse: ReadonlyMap<string, readonly Link[]>;
}

function push(map: Map<string, Link[]>, key: string, link: Link): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [link]);
  else list.push(link);
}

function refList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Builds the reference index from scanned relationships, sightings and containers. */
export function indexEdges(objects: readonly StixRecord[]): EdgeIndex {
  const forward = new Map<string, Link[]>();
  const reverse = new Map<string, Link[]>();
  const link = (from: string, to: string, label: string): void => {
    push(forward, from, { other: to, label, otherIsSource: false });
    push(reverse, to, { other: from, label, otherIsSource: true });
  };
  for (const o of objects) {
    if (o.type === 'relationship') {
      const source = str(o['source_ref']);
      const target = str(o['target_ref']);
      if (source !== undefined && target !== undefined) link(source, target, str(o['relationship_type']) ?? 'related-to');
    } else if (o.type === 'sighting') {
      for (const ref of refList(o['sighting_of_ref'])) link(o.id, ref, 'sighting-of');
      for (const ref of refList(o['where_sighted_refs'])) link(o.id, ref, 'sighted-by');
      for (const ref of refList(o['observed_data_refs'])) link(o.id, ref, 'observed');
    } else {
      const label = CONTAINER_LABEL[o.type];
      if (label !== undefined) for (const ref of refList(o['object_refs'])) link(o.id, ref, label);
    }
  }
  return { forward, reverse };
}

/** References an object makes in its own properties and extensions (e.g. a campaign's `target_model_refs`). */
function embeddedRefs(obj: StixRecord): Link[] {
  const out: Link[] = [];
  const collect = (record: Readonly<Record<string, unknown>>): void => {
    for (const [key, value] of Object.entries(record)) {
      if (IGNORED_REFS.has(key)) continue;
      if (key === 'object_refs' || key === 'sighting_of_ref' || key === 'where_sighted_refs' || key === 'observed_data_refs') continue;
      if (key === 'source_ref' || key === 'target_ref') continue;
      if (key.endsWith('_ref') || key.endsWith('_refs')) {
        const label = key.replace(/_refs?$/, '').replace(/_/g, '-');
        for (const ref of refList(value)) if (ref.includes('--')) out.push({ other: ref, label, otherIsSource: false });
      }
    }
  };
  collect(obj);
  const ext = obj['extensions'];
  if (ext !== null && typeof ext === 'object' && !Array.isArray(ext)) {
    for (const body of Object.values(ext as Record<string, unknown>)) {
      if (body !== null && typeof body === 'object' && !Array.isArray(body)) collect(body as Record<string, unknown>);
    }
  }
  return out;
}

/** Fetches objects by id (the latest versions the collection holds). */
export type ObjectFetcher = (ids: readonly string[]) => Promise<ReadonlyMap<string, StixRecord>>;

/**
 * The neighbourhood of a campaign, walked breadth first from it: relationships in both directions, sightings (and
 * the labs that made them), containers' references and references embedded in objects. Hubs (identities, models,
 * techniques, other campaigns, reports) are shown but not walked through, so one campaign's graph does not pull in
 * every other campaign that targets the same model. Stops at `maxNodes` and says so.
 */
export async function buildCampaignGraph(
  campaign: StixRecord,
  index: EdgeIndex,
  fetch: ObjectFetcher,
  limits: GraphLimits,
): Promise<{ graph: CampaignGraph; objects: ReadonlyMap<string, StixRecord> }> {
  const depthOf = new Map<string, number>([[campaign.id, 0]]);
  const objects = new Map<string, StixRecord>([[campaign.id, campaign]]);
  const edges: GraphEdge[] = [];
  const edgeKeys = new Set<string>();
  let truncated = false;
  let frontier: string[] = [campaign.id];

  const addEdge = (source: string, target: string, label: string): void => {
    const key = `${source}\u0000${target}\u0000${label}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push({ source, target, label });
  };

  for (let depth = 0; depth < limits.maxDepth && frontier.length > 0 && !truncated; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      const obj = objects.get(id);
      const type = obj?.type ?? typeOfId(id);
      if (id !== campaign.id && LEAF_TYPES.has(type)) continue;
      const links = [...(index.forward.get(id) ?? []), ...(obj !== undefined ? embeddedRefs(obj) : [])];
      if (!NO_REVERSE_TYPES.has(type) || id === campaign.id) links.push(...(index.reverse.get(id) ?? []));
      for (const l of links) {
        if (!depthOf.has(l.other)) {
          if (depthOf.size >= limits.maxNodes) {
            truncated = true;
            continue;
          }
          depthOf.set(l.other, depth + 1);
          next.push(l.other);
        }
        if (l.otherIsSource) addEdge(l.other, id, l.label);
        else addEdge(id, l.other, l.label);
      }
    }
    if (next.length > 0) for (const [k, v] of await fetch(next)) objects.set(k, v);
    frontier = next;
  }

  const nodes: GraphNode[] = [];
  const counts: Partial<Record<NodeKind, number>> = {};
  for (const [id, depth] of depthOf) {
    const obj = objects.get(id);
    const type = obj?.type ?? typeOfId(id);
    const kind = kindOf(type);
    counts[kind] = (counts[kind] ?? 0) + 1;
    const tlp = obj === undefined ? undefined : tlpOf(obj);
    nodes.push({ id, type, kind, label: labelOf(obj, id), depth, ...(tlp !== undefined ? { tlp } : {}) });
  }
  // Edges to nodes cut by the limit are dropped with them.
  const kept = truncated ? edges.filter((e) => depthOf.has(e.source) && depthOf.has(e.target)) : edges;
  return { graph: { nodes, edges: kept, truncated, counts }, objects };
}

/** The request-volume extension's properties this view reads (see the distillation suite's sighting extension). */
function volumeExtension(sighting: StixRecord): Readonly<Record<string, unknown>> | undefined {
  const ext = sighting['extensions'];
  if (ext === null || typeof ext !== 'object' || Array.isArray(ext)) return undefined;
  for (const body of Object.values(ext as Record<string, unknown>)) {
    if (body !== null && typeof body === 'object' && typeof (body as Record<string, unknown>)['request_count'] === 'number') {
      return body as Record<string, unknown>;
    }
  }
  return undefined;
}

function labName(objects: ReadonlyMap<string, StixRecord>, id: string | undefined): string {
  if (id === undefined) return 'unknown lab';
  return str(objects.get(id)?.['name']) ?? id;
}

/** Request-volume intervals of the graph's sightings, oldest first. */
export function volumeTimeline(objects: ReadonlyMap<string, StixRecord>, nodeIds: Iterable<string>): VolumePoint[] {
  const points: VolumePoint[] = [];
  for (const id of nodeIds) {
    const s = objects.get(id);
    if (s?.type !== 'sighting') continue;
    const ext = volumeExtension(s);
    const start = str(s['first_seen']);
    if (ext === undefined || start === undefined) continue;
    const lab = refList(s['where_sighted_refs'])[0];
    const accounts = ext['account_count'];
    const interval = str(ext['aggregation_interval']);
    points.push({
      sighting: s.id,
      lab: labName(objects, lab ?? str(s['created_by_ref'])),
      start,
      end: str(s['last_seen']) ?? start,
      requests: ext['request_count'] as number,
      ...(typeof accounts === 'number' ? { accounts } : {}),
      ...(interval !== undefined ? { interval } : {}),
    });
  }
  return points.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** Sightings in the graph grouped by the lab that made them (`where_sighted_refs`, else the creator). */
export function sightingsByLab(objects: ReadonlyMap<string, StixRecord>, nodeIds: Iterable<string>): LabSightings[] {
  const byLab = new Map<string, { sightings: number; count: number; first?: string; last?: string }>();
  for (const id of nodeIds) {
    const s = objects.get(id);
    if (s?.type !== 'sighting') continue;
    const labs = refList(s['where_sighted_refs']);
    const creator = str(s['created_by_ref']);
    for (const lab of labs.length > 0 ? labs : creator !== undefined ? [creator] : []) {
      const entry = byLab.get(lab) ?? { sightings: 0, count: 0 };
      entry.sightings++;
      entry.count += typeof s['count'] === 'number' ? (s['count'] as number) : 1;
      const first = str(s['first_seen']);
      const last = str(s['last_seen']) ?? first;
      if (first !== undefined && (entry.first === undefined || Date.parse(first) < Date.parse(entry.first))) entry.first = first;
      if (last !== undefined && (entry.last === undefined || Date.parse(last) > Date.parse(entry.last))) entry.last = last;
      byLab.set(lab, entry);
    }
  }
  return [...byLab].map(([labId, e]) => ({
    lab: labName(objects, labId),
    labId,
    sightings: e.sightings,
    count: e.count,
    ...(e.first !== undefined ? { firstSeen: e.first } : {}),
    ...(e.last !== undefined ? { lastSeen: e.last } : {}),
  }));
}

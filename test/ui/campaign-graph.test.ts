import { describe, expect, it } from '@jest/globals';
import type { StixRecord } from '../../src/ui/server/collection-reader.js';
import { buildCampaignGraph, indexEdges, sightingsByLab, volumeTimeline } from '../../src/ui/server/campaign-graph.js';

/** Hand-built neighbourhoods whose graph follows from the walk's definition (breadth first, hubs not walked back). */

const id = (type: string, n: number): string => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const C = id('campaign', 1);
const C2 = id('campaign', 2);
const AP = id('attack-pattern', 3);
const LAB = id('identity', 4);
const S = id('sighting', 5);
const OD = id('observed-data', 6);
const A1 = id('ai-service-account', 7);
const A2 = id('ai-service-account', 8);
const M = id('ai-model', 9);
const IND = id('indicator', 10);
const IP = id('ipv4-addr', 11);

function rel(n: number, type: string, source: string, target: string): StixRecord {
  return { type: 'relationship', id: id('relationship', 100 + n), relationship_type: type, source_ref: source, target_ref: target };
}

const objects: Record<string, StixRecord> = {
  [C]: { type: 'campaign', id: C, name: 'Op One', extensions: { 'extension-definition--x': { extension_type: 'property-extension', target_model_refs: [M] } } },
  [C2]: { type: 'campaign', id: C2, name: 'Op Two' },
  [AP]: { type: 'attack-pattern', id: AP, name: 'Extract AI Model' },
  [LAB]: { type: 'identity', id: LAB, name: 'Lab B' },
  [S]: {
    type: 'sighting',
    id: S,
    sighting_of_ref: C,
    where_sighted_refs: [LAB],
    observed_data_refs: [OD],
    count: 3,
    first_seen: '2026-04-14T18:00:00.000Z',
    last_seen: '2026-04-15T18:00:00.000Z',
    extensions: { 'extension-definition--v': { extension_type: 'property-extension', request_count: 410000, account_count: 2, aggregation_interval: 'PT1H' } },
  },
  [OD]: { type: 'observed-data', id: OD, object_refs: [A1, A2] },
  [A1]: { type: 'ai-service-account', id: A1, account_pseudonym: 'hmac-sha256:k:0123456789abcdef0123' },
  [A2]: { type: 'ai-service-account', id: A2, account_pseudonym: 'hmac-sha256:k:fedcba9876543210fedc' },
  [M]: { type: 'ai-model', id: M, name: 'Atlas-Reasoner 3' },
  [IND]: { type: 'indicator', id: IND, name: 'Relay egress' },
  [IP]: { type: 'ipv4-addr', id: IP, value: '203.0.113.5' },
};
const edges = [rel(1, 'uses', C, AP), rel(2, 'uses', C2, AP), rel(3, 'indicates', IND, C), rel(4, 'related-to', IND, IP), rel(5, 'targets', C2, M), objects[S] as StixRecord, objects[OD] as StixRecord];

async function fetchIds(ids: readonly string[]): Promise<Map<string, StixRecord>> {
  return new Map(ids.filter((i) => objects[i] !== undefined).map((i) => [i, objects[i] as StixRecord]));
}

describe('campaign graph', () => {
  it('walks relationships, sightings, containers and embedded references breadth first', async () => {
    const { graph } = await buildCampaignGraph(objects[C] as StixRecord, indexEdges(edges), fetchIds, { maxDepth: 3, maxNodes: 100 });
    const depth = Object.fromEntries(graph.nodes.map((n) => [n.id, n.depth]));
    // Depth 1: what the campaign uses, what indicates it, its sighting, the model in its extension.
    // Depth 2: the sighting's lab and observed data, the indicator's address. Depth 3: the observed accounts.
    expect(depth).toEqual({ [C]: 0, [AP]: 1, [IND]: 1, [S]: 1, [M]: 1, [LAB]: 2, [OD]: 2, [IP]: 2, [A1]: 3, [A2]: 3 });
    expect(graph.truncated).toBe(false);
    expect(graph.counts).toEqual({ campaign: 1, technique: 1, indicator: 1, sighting: 1, model: 1, lab: 1, evidence: 1, infrastructure: 1, account: 2 });
    const labelled = graph.edges.map((e) => `${e.source} ${e.label} ${e.target}`).sort();
    expect(labelled).toEqual(
      [`${C} uses ${AP}`, `${IND} indicates ${C}`, `${S} sighting-of ${C}`, `${C} target-model ${M}`, `${S} sighted-by ${LAB}`, `${S} observed ${OD}`, `${IND} related-to ${IP}`, `${OD} contains ${A1}`, `${OD} contains ${A2}`].sort(),
    );
  });

  it('does not walk back from hubs: another campaign that uses the same technique or targets the same model stays out', async () => {
    const { graph } = await buildCampaignGraph(objects[C] as StixRecord, indexEdges(edges), fetchIds, { maxDepth: 3, maxNodes: 100 });
    expect(graph.nodes.map((n) => n.id)).not.toContain(C2);
  });

  it('stops at the depth and node limits and says it was cut', async () => {
    const shallow = await buildCampaignGraph(objects[C] as StixRecord, indexEdges(edges), fetchIds, { maxDepth: 1, maxNodes: 100 });
    expect(shallow.graph.nodes.map((n) => n.id).sort()).toEqual([C, AP, IND, S, M].sort());
    const small = await buildCampaignGraph(objects[C] as StixRecord, indexEdges(edges), fetchIds, { maxDepth: 3, maxNodes: 3 });
    expect(small.graph.nodes).toHaveLength(3);
    expect(small.graph.truncated).toBe(true);
    const kept = new Set(small.graph.nodes.map((n) => n.id));
    expect(small.graph.edges.every((e) => kept.has(e.source) && kept.has(e.target))).toBe(true);
  });

  it('labels accounts by the start of their pseudonym, never more', async () => {
    const { graph } = await buildCampaignGraph(objects[C] as StixRecord, indexEdges(edges), fetchIds, { maxDepth: 3, maxNodes: 100 });
    expect(graph.nodes.find((n) => n.id === A1)?.label).toBe('account 0123456789…');
  });

  it('reads the request-volume timeline and the sightings by lab from the sightings', async () => {
    const { graph, objects: seen } = await buildCampaignGraph(objects[C] as StixRecord, indexEdges(edges), fetchIds, { maxDepth: 3, maxNodes: 100 });
    const ids = graph.nodes.map((n) => n.id);
    expect(volumeTimeline(seen, ids)).toEqual([
      { sighting: S, lab: 'Lab B', start: '2026-04-14T18:00:00.000Z', end: '2026-04-15T18:00:00.000Z', requests: 410000, accounts: 2, interval: 'PT1H' },
    ]);
    expect(sightingsByLab(seen, ids)).toEqual([{ lab: 'Lab B', labId: LAB, sightings: 1, count: 3, firstSeen: '2026-04-14T18:00:00.000Z', lastSeen: '2026-04-15T18:00:00.000Z' }]);
  });
});

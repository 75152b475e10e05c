import type { CampaignView, CollectionSummary, GraphNode, NodeKind } from '../../view-model.js';
import { apiPath, getJson } from '../api.js';
import { kindBadge, tlpBadge } from '../badges.js';
import { h, link } from '../dom.js';
import { drawGraph } from '../graph.js';
import type { PageFrame } from '../page.js';
import { count, itemTrail, showPage, when } from '../page.js';
import { timelineChart } from '../timeline.js';

const KIND_NAMES: Readonly<Record<NodeKind, string>> = {
  campaign: 'Campaign',
  account: 'Pseudonymous accounts',
  infrastructure: 'Infrastructure',
  indicator: 'Indicators',
  fingerprint: 'Prompt fingerprints',
  model: 'Targeted AI models',
  technique: 'ATLAS techniques and mitigations',
  actor: 'Intrusion sets and actors',
  lab: 'Labs',
  sighting: 'Sightings',
  evidence: 'Evidence and reports',
  other: 'Other objects',
};

/** Rows listed per kind in the text alternative to the graph. */
const LIST_LIMIT = 200;

/** The graph's content as lists per kind: what a keyboard or screen-reader user reads instead of the canvas. */
function nodeLists(root: string, key: string, nodes: readonly GraphNode[]): HTMLElement {
  const byKind = new Map<NodeKind, GraphNode[]>();
  for (const n of nodes) {
    const list = byKind.get(n.kind) ?? [];
    list.push(n);
    byKind.set(n.kind, list);
  }
  const sections = [...byKind].map(([kind, list]) =>
    h(
      'details',
      { class: 'kind-list' },
      h('summary', {}, kindBadge(kind), ` ${KIND_NAMES[kind]} (${count(list.length)})`),
      h(
        'ul',
        {},
        ...list.slice(0, LIST_LIMIT).map((n) => h('li', {}, n.kind === 'campaign' ? link(n.label, 'c', root, key, 'campaign', n.id) : link(n.label, 'c', root, key, 'object', n.id), ' ', tlpBadge(n.tlp))),
        list.length > LIST_LIMIT ? h('li', {}, `… and ${count(list.length - LIST_LIMIT)} more`) : null,
      ),
    ),
  );
  return h('div', { class: 'node-lists' }, ...sections);
}

/** A campaign: its graph, request-volume timeline and the labs that sighted it. */
export async function campaignPage(frame: PageFrame, root: string, key: string, id: string): Promise<void> {
  const [view, collections] = await Promise.all([getJson<CampaignView>(`collections/${apiPath(root, key, 'campaigns', id)}`), getJson<CollectionSummary[]>('collections')]);
  const c = collections.find((x) => x.apiRoot === root && (x.id === key || x.alias === key));
  const graphBox = h('div', { class: 'graph', id: 'campaign-graph', role: 'img', 'aria-label': `Graph of ${view.graph.nodes.length} objects linked to the campaign; the same objects are listed below it` });
  const counts = Object.entries(view.graph.counts)
    .filter(([kind]) => kind !== 'campaign')
    .map(([kind, n]) => h('li', {}, kindBadge(kind), ` ${KIND_NAMES[kind as NodeKind]}: ${count(n ?? 0)}`));
  const labs =
    view.labs.length === 0
      ? h('p', {}, 'No lab has reported a sighting of this campaign yet.')
      : h(
          'table',
          { class: 'grid', id: 'labs-table' },
          h('caption', {}, `Sighted by ${view.labs.length} lab${view.labs.length === 1 ? '' : 's'}`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Lab'), h('th', { scope: 'col' }, 'Sightings'), h('th', { scope: 'col' }, 'Times seen'), h('th', { scope: 'col' }, 'First seen'), h('th', { scope: 'col' }, 'Last seen'))),
          h('tbody', {}, ...view.labs.map((l) => h('tr', {}, h('td', {}, link(l.lab, 'c', root, key, 'object', l.labId)), h('td', { class: 'num' }, count(l.sightings)), h('td', { class: 'num' }, count(l.count)), h('td', {}, when(l.firstSeen)), h('td', {}, when(l.lastSeen))))),
        );
  showPage(
    frame,
    view.name,
    itemTrail(c?.title ?? key, root, key, view.name),
    h('h1', {}, view.name, view.tlp !== undefined ? ' ' : null, tlpBadge(view.tlp)),
    h('p', { class: 'meta' }, `First seen ${when(view.firstSeen)}`, view.lastSeen !== undefined ? ` · last seen ${when(view.lastSeen)}` : '', ' · ', link('campaign object', 'c', root, key, 'object', view.id)),
    view.description !== undefined ? h('p', { class: 'lead' }, view.description) : null,
    h('section', { 'aria-labelledby': 'graph-h' }, h('h2', { id: 'graph-h' }, 'Campaign graph'), h('ul', { class: 'counts' }, ...counts), view.graph.truncated ? h('p', { class: 'warning', role: 'note' }, 'The graph is cut short: this campaign links to more objects than the view shows at once.') : null, view.graph.nodes.length > 400 ? h('p', { class: 'status', role: 'note' }, 'A large graph: accounts are drawn as the outer rings without their labels and edges; they are listed below.') : null, graphBox, nodeLists(root, key, view.graph.nodes)),
    h('section', { 'aria-labelledby': 'timeline-h' }, h('h2', { id: 'timeline-h' }, 'Request volume'), timelineChart(view.timeline)),
    h('section', { 'aria-labelledby': 'labs-h' }, h('h2', { id: 'labs-h' }, 'Corroboration'), labs),
  );
  const ms = await drawGraph(graphBox, view.graph, (nodeId, type) => {
    location.hash = type === 'campaign' ? `#/c/${encodeURIComponent(root)}/${encodeURIComponent(key)}/campaign/${encodeURIComponent(nodeId)}` : `#/c/${encodeURIComponent(root)}/${encodeURIComponent(key)}/object/${encodeURIComponent(nodeId)}`;
  });
  // Read by the browser tests and the render benchmark.
  graphBox.setAttribute('data-render-ms', ms.toFixed(0));
  graphBox.setAttribute('data-nodes', String(view.graph.nodes.length));
}

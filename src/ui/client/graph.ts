import cytoscape from 'cytoscape';
import type { CampaignGraph, GraphNode, NodeKind } from '../view-model.js';

/** Node colours by kind; chosen for contrast on the white canvas and told apart by shape too (colour is not enough). */
const KIND_STYLE: Readonly<Record<NodeKind, { color: string; shape: cytoscape.Css.NodeShape }>> = {
  campaign: { color: '#b3001b', shape: 'star' },
  account: { color: '#5c6bc0', shape: 'ellipse' },
  infrastructure: { color: '#00796b', shape: 'diamond' },
  indicator: { color: '#ef6c00', shape: 'triangle' },
  fingerprint: { color: '#8e24aa', shape: 'hexagon' },
  model: { color: '#1565c0', shape: 'round-rectangle' },
  technique: { color: '#6d4c41', shape: 'vee' },
  actor: { color: '#c62828', shape: 'octagon' },
  lab: { color: '#2e7d32', shape: 'rectangle' },
  sighting: { color: '#f9a825', shape: 'pentagon' },
  evidence: { color: '#546e7a', shape: 'tag' },
  other: { color: '#757575', shape: 'ellipse' },
};

/** Above this many nodes, account labels and edges into accounts are left out (thousands of them cost seconds). */
const LABEL_LIMIT = 400;

/** Space between neighbours on a ring, in graph units (labels need room; thousands of unlabelled accounts do not). */
const SPACING = 46;
const SPACING_DENSE = 9;

/**
 * Positions on concentric rings, one ring per hop from the campaign, neighbours of one kind side by side. Computed
 * here in one pass (O(n)) rather than by a layout algorithm: thousands of accounts must be placed in milliseconds.
 * A ring with more nodes than fit on it spirals outwards.
 */
function ringPositions(graph: CampaignGraph, big: boolean): Map<string, { x: number; y: number }> {
  const byDepth = new Map<number, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = byDepth.get(n.depth) ?? [];
    list.push(n);
    byDepth.set(n.depth, list);
  }
  const out = new Map<string, { x: number; y: number }>();
  let radius = 0;
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    const ring = (byDepth.get(depth) as GraphNode[]).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
    if (depth === 0) {
      ring.forEach((n, i) => out.set(n.id, { x: i * SPACING, y: 0 }));
      radius = SPACING * 2;
      continue;
    }
    const spacing = big && ring.length > 200 ? SPACING_DENSE : SPACING;
    // Spiral: each turn holds as many nodes as fit on its circumference, and the next turn starts further out.
    let placed = 0;
    while (placed < ring.length) {
      const fits = Math.max(6, Math.floor((2 * Math.PI * radius) / spacing));
      const count = Math.min(fits, ring.length - placed);
      for (let i = 0; i < count; i++) {
        const angle = (2 * Math.PI * i) / count - Math.PI / 2;
        out.set((ring[placed + i] as GraphNode).id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
      }
      placed += count;
      radius += spacing;
    }
    radius += SPACING * 2;
  }
  return out;
}

/**
 * Draws the campaign graph: the campaign in the centre, each ring one hop further out. Activating a node opens its object page.
 * Resolves once the first frame is drawn, with the milliseconds it took.
 */
export function drawGraph(container: HTMLElement, graph: CampaignGraph, open: (id: string, type: string) => void): Promise<number> {
  const started = performance.now();
  const big = graph.nodes.length > LABEL_LIMIT;
  const positions = ringPositions(graph, big);
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of graph.nodes) {
    const labelled = !big || n.kind !== 'account';
    elements.push({ group: 'nodes', data: { id: n.id, label: n.label, kind: n.kind, type: n.type }, position: positions.get(n.id) ?? { x: 0, y: 0 }, ...(labelled ? { classes: 'labelled' } : {}) });
  }
  let i = 0;
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  for (const e of graph.edges) {
    // In a big graph the thousands of edges into account leaves double the drawing time and show nothing a ring of
    // accounts does not: they are left out (the accounts stay on their ring and in the lists under the graph).
    if (big && kinds.get(e.target) === 'account') continue;
    elements.push({ group: 'edges', data: { id: `e${i++}`, source: e.source, target: e.target, label: e.label } });
  }
  const style: cytoscape.StylesheetJson = [
    { selector: 'node', style: { width: 18, height: 18 } },
    {
      // Labels cost text measurement per node: only nodes worth reading get one (not thousands of pseudonyms).
      selector: 'node.labelled',
      style: {
        label: 'data(label)',
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': '140px',
        'min-zoomed-font-size': 7,
      },
    },
    ...(Object.entries(KIND_STYLE) as [NodeKind, { color: string; shape: cytoscape.Css.NodeShape }][]).map(([kind, s]) => ({
      selector: `node[kind = "${kind}"]`,
      style: { 'background-color': s.color, shape: s.shape },
    })),
    { selector: 'node[kind = "campaign"]', style: { width: 40, height: 40, 'font-size': 13, 'font-weight': 'bold' } },
    { selector: 'edge', style: { width: 1, 'line-color': '#9e9e9e', 'curve-style': big ? 'haystack' : 'bezier', 'target-arrow-shape': big ? 'none' : 'triangle', 'target-arrow-color': '#9e9e9e', 'arrow-scale': 0.7 } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#000' } },
  ];
  return new Promise((resolve) => {
    const cy = cytoscape({
      container,
      elements,
      style,
      layout: { name: 'preset', fit: true, padding: 20 },
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      pixelRatio: big ? 1 : 'auto',
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'node', (evt) => open(evt.target.id() as string, evt.target.data('type') as string));
    cy.one('render', () => resolve(performance.now() - started));
  });
}

import cytoscape from 'cytoscape';
import type { CampaignGraph, NodeKind } from '../view-model.js';

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

/** Above this many nodes, account labels are hidden (they are pseudonyms, and thousands of labels cost seconds). */
const LABEL_LIMIT = 400;

/**
 * Draws the campaign graph: the campaign in the centre, each ring one hop further out (a concentric layout costs
 * O(n), which keeps thousands of accounts under the render budget). Activating a node opens its object page.
 * Resolves once the first frame is drawn, with the milliseconds it took.
 */
export function drawGraph(container: HTMLElement, graph: CampaignGraph, open: (id: string, type: string) => void): Promise<number> {
  const started = performance.now();
  const big = graph.nodes.length > LABEL_LIMIT;
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of graph.nodes) {
    elements.push({ group: 'nodes', data: { id: n.id, label: big && n.kind === 'account' ? '' : n.label, kind: n.kind, type: n.type, depth: n.depth } });
  }
  let i = 0;
  for (const e of graph.edges) elements.push({ group: 'edges', data: { id: `e${i++}`, source: e.source, target: e.target, label: e.label } });
  const style: cytoscape.StylesheetJson = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': '140px',
        width: 18,
        height: 18,
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
      layout: {
        name: 'concentric',
        concentric: (node: cytoscape.NodeSingular) => 10 - Number(node.data('depth')),
        levelWidth: () => 1,
        minNodeSpacing: big ? 2 : 18,
        animate: false,
      },
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      pixelRatio: big ? 1 : 'auto',
      wheelSensitivity: 0.3,
    });
    cy.on('tap', 'node', (evt) => open(evt.target.id() as string, evt.target.data('type') as string));
    cy.one('render', () => resolve(performance.now() - started));
  });
}

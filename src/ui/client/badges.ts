import type { TlpBadge } from '../view-model.js';
import { h } from './dom.js';

/** A TLP badge in the FIRST TLP 2.0 colours (coloured text on black), with the level spelt out for screen readers. */
export function tlpBadge(tlp: TlpBadge | undefined): HTMLElement | null {
  if (tlp === undefined) return null;
  const cls = `tlp tlp-${tlp.replace('+', '-')}`;
  return h('span', { class: cls, title: `Traffic Light Protocol: ${tlp.toUpperCase()}` }, `TLP:${tlp.toUpperCase()}`);
}

/** A small label naming a node kind, coloured like the kind's nodes in the graph. */
export function kindBadge(kind: string): HTMLElement {
  return h('span', { class: `kind kind-${kind}` }, kind);
}

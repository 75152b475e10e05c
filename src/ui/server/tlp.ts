import { TLP1, TLP2 } from '../../stix/markings.js';
import type { TlpBadge } from '../view-model.js';

/** TLP marking-definition ids (1.0 and 2.0) to the badge shown; TLP 1.0 WHITE is shown as its 2.0 name, CLEAR. */
const TLP_BY_ID: ReadonlyMap<string, TlpBadge> = new Map<string, TlpBadge>([
  [TLP1.white.id, 'clear'],
  [TLP1.green.id, 'green'],
  [TLP1.amber.id, 'amber'],
  [TLP1.red.id, 'red'],
  [TLP2.clear.id, 'clear'],
  [TLP2.green.id, 'green'],
  [TLP2.amber.id, 'amber'],
  [TLP2['amber+strict'].id, 'amber+strict'],
  [TLP2.red.id, 'red'],
]);

/** Most restrictive first: an object carrying two TLP markings is shown with the stricter one. */
const ORDER: readonly TlpBadge[] = ['red', 'amber+strict', 'amber', 'green', 'clear'];

/** The TLP level of a marking-definition id, if it is one of the standard TLP markings. */
export function tlpOfMarking(id: string): TlpBadge | undefined {
  return TLP_BY_ID.get(id);
}

/** The strictest TLP level among an object's `object_marking_refs`. */
export function tlpOf(object: Readonly<Record<string, unknown>>): TlpBadge | undefined {
  const refs = object['object_marking_refs'];
  if (!Array.isArray(refs)) return undefined;
  let best: number | undefined;
  for (const ref of refs) {
    const level = typeof ref === 'string' ? TLP_BY_ID.get(ref) : undefined;
    if (level === undefined) continue;
    const rank = ORDER.indexOf(level);
    if (best === undefined || rank < best) best = rank;
  }
  return best === undefined ? undefined : ORDER[best];
}

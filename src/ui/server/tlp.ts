import { tlpLevelOf, tlpLevelOfMarking } from '../../distillation/tlp-policy.js';
import type { TlpBadge } from '../view-model.js';

/**
 * The TLP level of a marking-definition id, if it is one of the standard TLP markings. TLP 1.0 WHITE is shown as its
 * 2.0 name, CLEAR; the mapping is the distillation TLP policy's, so the view and the share policy never disagree.
 */
export function tlpOfMarking(id: string): TlpBadge | undefined {
  return tlpLevelOfMarking(id);
}

/** The strictest TLP level among an object's `object_marking_refs`: an object carrying two is shown with the stricter. */
export function tlpOf(object: Readonly<Record<string, unknown>>): TlpBadge | undefined {
  const refs = object['object_marking_refs'];
  return Array.isArray(refs) ? tlpLevelOf(refs) : undefined;
}

import { joinPointer } from '../diagnostic.js';
import { resolveSelector, TLP1 } from '../markings.js';
import { PRESENT } from './presence.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportError } from './rule.js';

const TLP1_BY_ID: ReadonlyMap<string, Readonly<Record<string, unknown>>> = new Map(
  Object.values(TLP1).map((m) => [m.id, m as Readonly<Record<string, unknown>>]),
);
const TLP1_KEYS = Object.keys(TLP1.white);

/** True when `obj` is property for property one of the four TLP 1.0 marking definitions of §7.2.1.4. */
function isCanonicalTlp1(obj: JsonObject): boolean {
  const id = obj['id'];
  const canonical = typeof id === 'string' ? TLP1_BY_ID.get(id) : undefined;
  if (canonical === undefined) return false;
  let count = 0;
  for (const key in obj) {
    count++;
    if (key === 'definition') continue;
    if (obj[key] !== canonical[key]) return false;
  }
  if (count !== TLP1_KEYS.length) return false;
  const def = obj['definition'];
  const want = canonical['definition'] as { tlp: string };
  if (!isObject(def) || def['tlp'] !== want.tlp) return false;
  return Object.keys(def).length === 1;
}

/**
 * §7.2.1.4: a `tlp` marking definition must be one of the four the spec publishes, exactly; no other TLP 1.0
 * marking may exist.
 */
export function checkMarkingDefinition(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  if (obj['definition_type'] === 'tlp' && !isCanonicalTlp1(obj)) {
    reportError(
      ctx,
      'tlp-marking-invalid',
      pointer,
      'a TLP 1.0 marking definition must be exactly one of the four defined in §7.2.1.4 (fixed id, created, name and definition)',
    );
  }
}

/**
 * §7.2.2-7.2.3 for any object: a marking definition does not mark itself, and each granular-marking selector selects
 * content that exists in the object.
 */
export function checkMarkingUse(obj: JsonObject, type: string, pointer: string, ctx: RuleContext, present: number): void {
  const selfId = type === 'marking-definition' ? obj['id'] : undefined;
  if (selfId !== undefined) {
    const refs = obj['object_marking_refs'];
    if (Array.isArray(refs)) {
      for (let i = 0; i < refs.length; i++) {
        if (refs[i] === selfId) {
          const path = joinPointer(pointer, 'object_marking_refs', i);
          reportError(ctx, 'marking-circular-ref', path, 'a marking definition must not mark itself (§7.2.2)');
        }
      }
    }
  }
  if ((present & PRESENT.granular_markings) === 0) return;
  const granular = obj['granular_markings'];
  if (!Array.isArray(granular)) return;
  for (let i = 0; i < granular.length; i++) {
    const gm: unknown = granular[i];
    if (!isObject(gm)) continue;
    if (selfId !== undefined && gm['marking_ref'] === selfId) {
      const path = joinPointer(pointer, 'granular_markings', i, 'marking_ref');
      reportError(ctx, 'marking-circular-ref', path, 'a marking definition must not mark itself (§7.2.3)');
    }
    const selectors = gm['selectors'];
    if (!Array.isArray(selectors)) continue;
    for (let j = 0; j < selectors.length; j++) {
      const sel: unknown = selectors[j];
      if (typeof sel === 'string' && !resolveSelector(obj, sel)) {
        reportError(
          ctx,
          'marking-selector-unresolved',
          joinPointer(pointer, 'granular_markings', i, 'selectors', j),
          `selector '${sel}' does not select any content of this object (§7.2.3.1)`,
        );
      }
    }
  }
}

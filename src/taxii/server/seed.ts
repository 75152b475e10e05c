import { validate } from '../../stix/validate.js';
import { formatLocation } from '../../stix/location.js';
import type { CollectionRef, Store } from '../store/store.js';
import { toNewObject } from './new-object.js';

/** Outcome of {@link seedCollection}. */
export interface SeedResult {
  /** False when the collection already held objects and nothing was attempted. */
  readonly seeded: boolean;
  readonly added: number;
  /** Seed objects refused by the validator, with the reason. */
  readonly rejected: readonly { readonly id: string; readonly message: string }[];
}

/**
 * Fills an empty collection with seed objects (validated like POSTed ones; invalid ones are reported, not stored).
 * A collection that already holds anything is left alone, so seeding happens on first start only.
 */
export async function seedCollection(store: Store, target: CollectionRef, objects: readonly object[]): Promise<SeedResult> {
  await store.ensureCollection(target);
  const probe = await store.queryManifest(target, { versions: ['all'] }, 1);
  if (probe.rows.length > 0) return { seeded: false, added: 0, rejected: [] };
  const rejected: { id: string; message: string }[] = [];
  const rows = [];
  for (const value of objects) {
    const obj = value as Record<string, unknown>;
    const errors = validate(obj).filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      rejected.push({ id: String(obj['id']), message: errors.map((d) => `${d.code} at ${formatLocation({ pointer: d.path })}: ${d.message}`).join('; ') });
    } else rows.push(toNewObject(obj));
  }
  const results = rows.length === 0 ? [] : await store.addObjects(target, rows);
  return { seeded: true, added: results.filter((r) => r.outcome === 'added').length, rejected };
}

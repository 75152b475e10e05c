import { canonicalStixTimestamp } from '../protocol/timestamps.js';

/**
 * The versioning rules of STIX 2.1 §3.6 that a store enforces on every add, inside its write transaction (so two
 * writers racing on one object cannot both pass a check made before either commits):
 * - a new version keeps `created` of the versions already held (compared as instants);
 * - a new version keeps `created_by_ref` (absent stays absent): only the creator versions an object;
 * - nothing follows a revoked version: no version later than a revoked one is accepted, and a revoked version is
 *   accepted only as the latest one.
 *
 * The reference for `created`/`created_by_ref` is the earliest version held: in a store that enforced these rules
 * from the start every version agrees, and in data written before they were enforced the earliest version is the
 * one least likely to be a shadowing copy.
 */

/** The facts of one version the rules look at. */
export interface Lineage {
  readonly created: string | undefined;
  readonly createdByRef: string | undefined;
  readonly revoked: boolean;
}

/** A version as a store holds it: its lineage and its sortable version key (see versioning.ts). */
export interface VersionLineage extends Lineage {
  readonly versionKey: string;
}

/** Codes of the refusals; each is a per-object failure and leaves the store unchanged. */
export type LineageCode = 'version-created-changed' | 'version-creator-changed' | 'version-after-revoked';

/** Why a version was refused. `message` may name held values: show it only to principals that may read them. */
export interface LineageRefusal {
  readonly code: LineageCode;
  readonly message: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Lineage from raw property values, as a database's JSON functions return them: `revoked` is true for JSON `true`
 * (SQLite's `json_extract` gives 1, PostgreSQL's `->>` gives `'true'`).
 */
export function lineageOf(created: unknown, createdByRef: unknown, revoked: unknown): Lineage {
  return { created: str(created), createdByRef: str(createdByRef), revoked: revoked === true || revoked === 1 || revoked === 'true' };
}

/** Lineage of an object's JSON text (all absent when the text is not a JSON object). */
export function lineageOfText(json: string): Lineage {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return lineageOf(undefined, undefined, undefined);
  const o = value as Record<string, unknown>;
  return lineageOf(o['created'], o['created_by_ref'], o['revoked']);
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (canonicalStixTimestamp(a) ?? a) === (canonicalStixTimestamp(b) ?? b);
}

const show = (v: string | undefined): string => (v === undefined ? 'none' : v);

/**
 * Judges a new version against the versions held for the same object (never the same version: that is a duplicate
 * or a conflict, decided before).
 *
 * @returns the refusal, or `undefined` when the version may be stored.
 */
export function checkLineage(held: readonly VersionLineage[], incoming: VersionLineage): LineageRefusal | undefined {
  let first: VersionLineage | undefined;
  for (const h of held) if (first === undefined || h.versionKey < first.versionKey) first = h;
  if (first === undefined) return undefined;
  if (!sameInstant(first.created, incoming.created)) {
    return {
      code: 'version-created-changed',
      message: `created is ${show(incoming.created)} but the versions held were created ${show(first.created)}; a new version keeps created (STIX 2.1 §3.6)`,
    };
  }
  if (first.createdByRef !== incoming.createdByRef) {
    return {
      code: 'version-creator-changed',
      message:
        `created_by_ref is ${show(incoming.createdByRef)} but the versions held were created by ${show(first.createdByRef)}; ` +
        'only the creator makes new versions of an object, under the same created_by_ref (STIX 2.1 §3.6)',
    };
  }
  for (const h of held) {
    if (h.revoked && h.versionKey < incoming.versionKey) {
      return {
        code: 'version-after-revoked',
        message: 'a version of this object held here is revoked and earlier than this one; nothing follows a revoked version (STIX 2.1 §3.6)',
      };
    }
    if (incoming.revoked && h.versionKey > incoming.versionKey) {
      return {
        code: 'version-after-revoked',
        message: 'this revoked version is earlier than a version held here; a revoked version must be the latest (STIX 2.1 §3.6)',
      };
    }
  }
  return undefined;
}

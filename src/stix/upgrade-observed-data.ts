import { createHash } from 'node:crypto';
import type { Diagnostic } from './diagnostic.js';
import { joinPointer } from './diagnostic.js';
import { deterministicScoId } from './ids.js';
import { HASH_NAME_RENAMES, STIX20_DROPPED_PROPERTIES, scoPropertyName } from './upgrade-renames.js';

type Json = Record<string, unknown>;

/** What one 2.0 observed-data's `objects` dictionary becomes in 2.1. */
export interface ObservedDataUpgrade {
  /** The SCOs, in dictionary order, with 2.1 ids and references rewritten to those ids. */
  readonly scos: Json[];
  /** The ids for `object_refs`, in dictionary order. */
  readonly objectRefs: string[];
  /** Granular markings left on the observed-data once those about one SCO moved to it. */
  readonly granularMarkings: unknown[] | undefined;
}

/**
 * Turns the `objects` dictionary of a STIX 2.0 observed-data (2.0 Part 4 §2: cyber observables that refer to each
 * other by dictionary key) into 2.1 SCOs (§6) referenced from `object_refs`.
 *
 * - Ids are deterministic (§2.9, UUIDv5 over the ID-contributing properties, references already rewritten). Types
 *   with no contributing property present (`process`, custom observables) get a UUIDv4 whose bits come from a hash
 *   of the observed-data id and the dictionary key, so upgrading the same input twice gives the same ids.
 * - Every `*_ref` / `*_refs` value naming a dictionary key, at any depth (extensions, MIME parts), becomes that SCO's
 *   id; a key that is not in the dictionary is an error (2.0 Part 3 §2.3 requires it to be there).
 * - The observed-data's `object_marking_refs` carry over to each SCO (in 2.0 they covered the observables, and a 2.1
 *   SCO without them would be shared unmarked); granular markings selecting `objects.<key>...` move to that SCO.
 *
 * @param observed - the 2.0 observed-data (read only).
 * @param pointer - its JSON pointer in the input, for diagnostics.
 * @param out - diagnostics are appended here.
 */
export function upgradeObservedObjects(observed: Json, pointer: string, out: Diagnostic[]): ObservedDataUpgrade {
  const dictionary = observed['objects'] as Json;
  const keys = Object.keys(dictionary);
  const base = joinPointer(pointer, 'objects');
  const converted = new Map<string, Json>();
  for (const key of keys) {
    const value = dictionary[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as Json)['type'] !== 'string') {
      out.push(error('upgrade-observable-invalid', joinPointer(base, key), `objects['${key}'] is not a cyber observable object with a type`));
      continue;
    }
    converted.set(key, convertObservable(value as Json, joinPointer(base, key), out));
  }

  const ids = new Map<string, string>();
  const visiting = new Set<string>();
  const idOf = (key: string): string | undefined => {
    const known = ids.get(key);
    if (known !== undefined) return known;
    const sco = converted.get(key);
    if (sco === undefined) return undefined;
    if (visiting.has(key)) {
      out.push(error('upgrade-reference-cycle', joinPointer(base, key), `objects['${key}'] takes part in a cycle of ID-contributing references`));
      return undefined;
    }
    visiting.add(key);
    // References contribute to the id (file.parent_directory_ref, network-traffic.src_ref...), so resolve first.
    const resolved = rewriteReferences(sco, (k) => idOf(k));
    visiting.delete(key);
    const id = deterministicScoId(resolved as { type: string }) ?? derivedUuidV4Id(resolved['type'] as string, observed['id'], key);
    ids.set(key, id);
    return id;
  };

  const scos: Json[] = [];
  const objectRefs: string[] = [];
  for (const [key, sco] of converted) {
    const id = idOf(key);
    if (id === undefined) continue;
    const final = rewriteReferences(sco, (k) => {
      const target = idOf(k);
      if (target === undefined && !converted.has(k)) {
        out.push(error('upgrade-dangling-reference', joinPointer(base, key), `objects['${key}'] refers to '${k}', which is not a key of this objects dictionary`));
      }
      return target;
    });
    const { type, ...rest } = final;
    const withId: Json = { type, spec_version: '2.1', id, ...rest };
    const marks = observed['object_marking_refs'];
    if (Array.isArray(marks) && marks.length > 0) withId['object_marking_refs'] = [...(marks as unknown[])];
    scos.push(withId);
    objectRefs.push(id);
  }
  const granularMarkings = moveGranularMarkings(observed, scos, keys, ids);
  return { scos, objectRefs, granularMarkings };
}

/** A 2.0 cyber observable with 2.1 property names (references still dictionary keys). */
function convertObservable(obs: Json, pointer: string, out: Diagnostic[]): Json {
  const type = obs['type'] as string;
  const dropped = new Set([...(STIX20_DROPPED_PROPERTIES['*'] ?? []), ...(STIX20_DROPPED_PROPERTIES[type] ?? [])]);
  const sco: Json = {};
  for (const [name, value] of Object.entries(obs)) {
    if (dropped.has(name)) {
      out.push(note('upgrade-property-kept', joinPointer(pointer, name), `${type}.${name} has no STIX 2.1 counterpart; kept as a custom property`));
    }
    sco[scoPropertyName(type, name)] = name === 'hashes' ? renameHashes(value) : renameNestedHashes(value);
  }
  return sco;
}

function renameHashes(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Json = {};
  for (const [algo, digest] of Object.entries(value as Json)) out[HASH_NAME_RENAMES[algo] ?? algo] = digest;
  return out;
}

/** Hash dictionaries inside extensions (PE sections, NTFS alternate data streams) get the 2.1 names too. */
function renameNestedHashes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameNestedHashes);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) out[k] = k === 'hashes' ? renameHashes(v) : renameNestedHashes(v);
  return out;
}

/** A copy of `value` with every `*_ref`/`*_refs` string mapped through `resolve` (unresolved values stay). */
function rewriteReferences(value: Json, resolve: (key: string) => string | undefined): Json {
  const walk = (v: unknown, name: string | undefined): unknown => {
    const isRef = name !== undefined && (name.endsWith('_ref') || name.endsWith('_refs'));
    if (typeof v === 'string') return isRef ? (resolve(v) ?? v) : v;
    if (Array.isArray(v)) return v.map((item) => walk(item, isRef ? name : undefined));
    if (v === null || typeof v !== 'object') return v;
    const copy: Json = {};
    for (const [k, item] of Object.entries(v as Json)) copy[k] = walk(item, k);
    return copy;
  };
  return walk(value, undefined) as Json;
}

/**
 * A UUIDv4-shaped id from SHA-256 of the observed-data id and the dictionary key: version and variant bits as RFC 4122
 * §4.4 sets them, the rest hash bits instead of random ones, so a re-run reproduces it.
 */
function derivedUuidV4Id(type: string, observedId: unknown, key: string): string {
  const bytes = createHash('sha256').update(`${String(observedId)}\n${key}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${type}--${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Moves granular markings that select inside `objects.<key>` to that SCO (selector re-rooted at the SCO, with its 2.1
 * property name); a selector of `objects` or `objects.<key>` as a whole marks the SCO itself. What is left stays on
 * the observed-data; `undefined` when nothing is left.
 */
function moveGranularMarkings(observed: Json, scos: Json[], keys: string[], ids: Map<string, string>): unknown[] | undefined {
  const markings = observed['granular_markings'];
  if (!Array.isArray(markings)) return undefined;
  const byId = new Map(scos.map((s) => [s['id'] as string, s]));
  const remaining: unknown[] = [];
  for (const entry of markings as unknown[]) {
    if (entry === null || typeof entry !== 'object' || !Array.isArray((entry as Json)['selectors'])) {
      remaining.push(entry);
      continue;
    }
    const { selectors, ...target } = entry as Json;
    const kept: unknown[] = [];
    for (const selector of selectors as unknown[]) {
      if (typeof selector !== 'string' || (selector !== 'objects' && !selector.startsWith('objects.'))) {
        kept.push(selector);
        continue;
      }
      const rest = selector === 'objects' ? '' : selector.slice('objects.'.length);
      const dot = rest.indexOf('.');
      const keyPart = dot === -1 ? rest : rest.slice(0, dot);
      const targets = rest === '' ? keys : [keyPart];
      for (const key of targets) {
        const sco = byId.get(ids.get(key) ?? '');
        if (sco === undefined) continue;
        if (dot === -1) markWhole(sco, target);
        else markPart(sco, target, rest.slice(dot + 1));
      }
    }
    if (kept.length > 0) remaining.push({ ...target, selectors: kept });
  }
  return remaining.length > 0 ? remaining : undefined;
}

function markWhole(sco: Json, target: Json): void {
  const ref = target['marking_ref'];
  if (typeof ref === 'string') {
    const refs = (sco['object_marking_refs'] as string[] | undefined) ?? [];
    if (!refs.includes(ref)) sco['object_marking_refs'] = [...refs, ref];
    return;
  }
  // A lang marking has no object-level form: select every top-level property instead.
  const selectors = Object.keys(sco).filter((k) => k !== 'type' && k !== 'id' && k !== 'spec_version' && k !== 'granular_markings');
  markSelectors(sco, target, selectors);
}

function markPart(sco: Json, target: Json, selector: string): void {
  const dot = selector.indexOf('.');
  const head = dot === -1 ? selector : selector.slice(0, dot);
  markSelectors(sco, target, [scoPropertyName(sco['type'] as string, head) + (dot === -1 ? '' : selector.slice(dot))]);
}

function markSelectors(sco: Json, target: Json, selectors: string[]): void {
  const list = (sco['granular_markings'] as Json[] | undefined) ?? [];
  list.push({ ...target, selectors });
  sco['granular_markings'] = list;
}

function error(code: string, path: string, message: string): Diagnostic {
  return { code, severity: 'error', path, message };
}

function note(code: string, path: string, message: string): Diagnostic {
  return { code, severity: 'warning', path, message };
}

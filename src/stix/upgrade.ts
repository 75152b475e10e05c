import type { Diagnostic } from './diagnostic.js';
import { joinPointer } from './diagnostic.js';
import { TLP1 } from './markings.js';
import { SCO_TYPES } from './types/index.js';
import { parseTimestamp } from './timestamps.js';
import { canonicalJson } from './canonical-json.js';
import { upgradeObservedObjects } from './upgrade-observed-data.js';
import { upgradePatternPaths } from './upgrade-pattern.js';
import { LABELS_TO_TYPES } from './upgrade-renames.js';

type Json = Record<string, unknown>;

/** What {@link upgrade} made of its input. */
export interface UpgradeResult {
  /**
   * The content as STIX 2.1 objects, in input order, with the SCOs taken out of each observed-data placed just before
   * it (one copy of each SCO id). Objects that already were 2.1 are the input objects themselves, unchanged.
   */
  readonly objects: Json[];
  /** The id of the input bundle, when the input was one (to keep it on the 2.1 bundle). */
  readonly bundleId?: string;
  /** How many input objects were STIX 2.0 and were converted. */
  readonly upgraded: number;
  /**
   * Findings, with paths into the input: errors where the 2.0 input breaks a 2.0 rule the upgrade depends on (a
   * reference to a missing dictionary key), warnings where 2.0 content was kept without a 2.1 counterpart.
   */
  readonly diagnostics: Diagnostic[];
}

/**
 * Converts STIX 2.0 content to STIX 2.1 (§3.2 says an object without `spec_version` is 2.0):
 *
 * - every 2.0 object gets `spec_version: "2.1"`; the TLP 1.0 marking definitions become their 2.1 form (§7.2.1.4); a 2.0 bundle loses its `spec_version` (2.1 bundles have none, §8);
 * - `created` / `modified` with fewer than three fraction digits are written with milliseconds (the same instant);
 * - indicators get `pattern_type: "stix"`, and their pattern's object paths use the 2.1 property names;
 * - `labels` of indicator, malware, report, threat-actor and tool become `indicator_types`, `malware_types`, ... (2.0
 *   used `labels` for the kind of object; 2.1 has a property for it), and granular-marking selectors follow;
 * - malware gets `is_family: true` (required in 2.1; a 2.0 malware always had a `name`, which 2.1 ties to families);
 * - observed-data `objects` dictionaries become SCOs with deterministic ids, listed in `object_refs`, references
 *   between them rewritten to those ids and the observed-data's markings carried over to them;
 * - cyber-observable properties renamed in 2.1 (`file.created` → `ctime`, `process.binary_ref` → `image_ref`, hash
 *   name `ssdeep` → `SSDEEP`...) take their new names; those 2.1 dropped (`process.name`, `file.is_encrypted`...)
 *   are kept and reported as warnings, since a 2.1 validator will call them custom properties.
 *
 * Objects that already carry `spec_version` 2.1, and top-level SCOs (which 2.0 did not have), pass through unchanged,
 * so mixed input and repeated upgrades are safe.
 *
 * @param input - parsed JSON: a bundle, a TAXII envelope, an array of objects, or one object.
 */
export function upgrade(input: unknown): UpgradeResult {
  const diagnostics: Diagnostic[] = [];
  const { items, base, bundleId } = unwrapInput(input);
  const objects: Json[] = [];
  const scoIndex = new Map<string, number>();
  let upgraded = 0;
  items.forEach((item, i) => {
    const pointer = base === undefined ? '' : joinPointer(base, i);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      diagnostics.push({ code: 'upgrade-not-object', severity: 'error', path: pointer, message: 'not a JSON object; left out' });
      return;
    }
    const obj = item as Json;
    if (!isStix20Object(obj)) {
      objects.push(obj);
      return;
    }
    upgraded++;
    const { object, scos } = upgradeObject(obj, pointer, diagnostics);
    for (const sco of scos) addSco(sco, objects, scoIndex, pointer, diagnostics);
    objects.push(object);
  });
  const result: UpgradeResult = { objects, upgraded, diagnostics };
  return bundleId === undefined ? result : { ...result, bundleId };
}

/**
 * Whether an object is STIX 2.0: `spec_version` is `"2.0"`, or it is absent on an object type 2.0 had at top level
 * (anything but an SCO: §3.2 reads a missing `spec_version` on an SDO, SRO or marking as 2.0).
 */
export function isStix20Object(obj: Readonly<Record<string, unknown>>): boolean {
  const version = obj['spec_version'];
  if (version === '2.0') return true;
  if (version !== undefined) return false;
  const type = obj['type'];
  return typeof type === 'string' && type !== 'bundle' && !SCO_TYPE_SET.has(type);
}

const TLP_BY_ID: ReadonlyMap<string, (typeof TLP1)[keyof typeof TLP1]> = new Map(Object.values(TLP1).map((m) => [m.id, m]));

const SCO_TYPE_SET: ReadonlySet<string> = new Set<string>(SCO_TYPES);

function unwrapInput(input: unknown): { items: unknown[]; base: string | undefined; bundleId?: string } {
  if (Array.isArray(input)) return { items: input as unknown[], base: '' };
  if (input !== null && typeof input === 'object' && (input as Json)['type'] === 'bundle') {
    const b = input as Json;
    const items = Array.isArray(b['objects']) ? (b['objects'] as unknown[]) : [];
    const id = b['id'];
    return typeof id === 'string' ? { items, base: '/objects', bundleId: id } : { items, base: '/objects' };
  }
  // A TAXII envelope ({"objects": [...]} with no type), as `pull` and TAXII 2.1 servers deliver content.
  if (input !== null && typeof input === 'object' && (input as Json)['type'] === undefined && Array.isArray((input as Json)['objects'])) {
    return { items: (input as Json)['objects'] as unknown[], base: '/objects' };
  }
  return { items: [input], base: undefined };
}

function upgradeObject(obj: Json, pointer: string, out: Diagnostic[]): { object: Json; scos: Json[] } {
  const type = obj['type'] as string;
  // 2.1 added `name` to the four TLP 1.0 definitions and requires them exactly as §7.2.1.4 prints them.
  const tlp = type === 'marking-definition' ? TLP_BY_ID.get(obj['id'] as string) : undefined;
  const level = (obj['definition'] as { tlp?: unknown } | undefined)?.tlp;
  if (tlp !== undefined && level === tlp.definition.tlp) return { object: structuredClone(tlp) as Json, scos: [] };
  const upgradedObj: Json = { type, spec_version: '2.1' };
  const typesProperty = LABELS_TO_TYPES[type];
  for (const [name, value] of Object.entries(obj)) {
    if (name === 'type' || name === 'spec_version') continue;
    if (name === 'created' || name === 'modified') upgradedObj[name] = withMilliseconds(value);
    else if (name === 'pattern' && type === 'indicator') {
      if (obj['pattern_type'] === undefined) upgradedObj['pattern_type'] = 'stix';
      upgradedObj[name] = typeof value === 'string' ? upgradePatternPaths(value) : value;
    } else if (name === 'labels' && typesProperty !== undefined) upgradedObj[typesProperty] = value;
    else if (name === 'granular_markings' && typesProperty !== undefined) upgradedObj[name] = renameSelectors(value, 'labels', typesProperty);
    else upgradedObj[name] = value;
  }
  let scos: Json[] = [];
  if (type === 'malware') {
    upgradedObj['is_family'] ??= true;
  } else if (type === 'observed-data') {
    const dictionary = obj['objects'];
    if (dictionary !== null && typeof dictionary === 'object' && !Array.isArray(dictionary)) {
      const result = upgradeObservedObjects(obj, pointer, out);
      scos = result.scos;
      delete upgradedObj['objects'];
      if (result.objectRefs.length > 0) upgradedObj['object_refs'] = result.objectRefs;
      if (result.granularMarkings === undefined) delete upgradedObj['granular_markings'];
      else upgradedObj['granular_markings'] = result.granularMarkings;
    }
  }
  return { object: upgradedObj, scos };
}

/** A timestamp with at least three fraction digits (zeros appended), or the value unchanged when not a timestamp. */
function withMilliseconds(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseTimestamp(value);
  if (parsed === undefined || parsed.fraction.length >= 3) return value;
  return `${value.slice(0, 19)}.${parsed.fraction.padEnd(3, '0')}Z`;
}

function renameSelectors(markings: unknown, from: string, to: string): unknown {
  if (!Array.isArray(markings)) return markings;
  return (markings as unknown[]).map((m) => {
    if (m === null || typeof m !== 'object' || !Array.isArray((m as Json)['selectors'])) return m;
    const selectors = ((m as Json)['selectors'] as unknown[]).map((s) =>
      typeof s === 'string' && (s === from || s.startsWith(from + '.')) ? to + s.slice(from.length) : s,
    );
    return { ...(m as Json), selectors };
  });
}

/**
 * Adds an SCO once per id. The same observable seen by several observed-data objects has one deterministic id; when
 * the copies differ (more references, other markings), properties missing from the first are added, reference and
 * marking lists are merged, and a value that truly disagrees keeps the first copy's and is reported.
 */
function addSco(sco: Json, objects: Json[], index: Map<string, number>, pointer: string, out: Diagnostic[]): void {
  const id = sco['id'] as string;
  const at = index.get(id);
  if (at === undefined) {
    index.set(id, objects.length);
    objects.push(sco);
    return;
  }
  const first = objects[at] as Json;
  if (canonicalJson(first) === canonicalJson(sco)) return;
  const merged: Json = { ...first };
  for (const [name, value] of Object.entries(sco)) {
    const mine = merged[name];
    if (mine === undefined) merged[name] = value;
    else if (Array.isArray(mine) && Array.isArray(value) && (name.endsWith('_refs') || name === 'granular_markings')) {
      merged[name] = unionBy([...(mine as unknown[]), ...(value as unknown[])]);
    } else if (canonicalJson(mine) !== canonicalJson(value)) {
      out.push({
        code: 'upgrade-sco-conflict',
        severity: 'warning',
        path: joinPointer(pointer, 'objects'),
        message: `${id} appears in several observed-data objects with different ${name}; the first value is kept`,
      });
    }
  }
  objects[at] = merged;
}

function unionBy(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = canonicalJson(item) ?? '';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

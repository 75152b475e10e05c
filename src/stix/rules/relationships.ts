import { joinPointer } from '../diagnostic.js';
import { STANDARD_KINDS } from './object-kinds.js';
import { refType } from './object-kinds.js';
import type { JsonObject, RuleContext } from './rule.js';
import { reportWarning } from './rule.js';

const AP = 'attack-pattern';
const CA = 'campaign';
const COA = 'course-of-action';
const ID = 'identity';
const IND = 'indicator';
const INF = 'infrastructure';
const IS = 'intrusion-set';
const LOC = 'location';
const MAL = 'malware';
const MA = 'malware-analysis';
const OD = 'observed-data';
const TA = 'threat-actor';
const TOOL = 'tool';
const VU = 'vulnerability';
const NET = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url'];
const ANY_SCO = [...STANDARD_KINDS].filter(([, k]) => k === 'sco').map(([t]) => t);

/** The relationships of §4-§6 (source types, relationship_type, target types); the SDO sections win over App. B. */
const SPEC_RELATIONSHIPS: ReadonlyArray<readonly [readonly string[], string, readonly string[]]> = [
  [[CA, IS, TA, MAL], 'uses', [AP, INF, MAL, TOOL]],
  [[AP], 'uses', [MAL, TOOL]],
  [[INF, TOOL], 'uses', [INF]],
  [[AP, CA, IS, TA], 'targets', [ID, LOC, VU]],
  [[MAL, TOOL], 'targets', [ID, INF, LOC, VU]],
  [[IND], 'indicates', [AP, CA, INF, IS, MAL, TA, TOOL]],
  [[IND], 'based-on', [OD]],
  [[CA], 'attributed-to', [IS, TA]],
  [[IS], 'attributed-to', [TA]],
  [[TA], 'attributed-to', [ID]],
  [[CA, IS, TA], 'compromises', [INF]],
  [[IS, TA], 'hosts', [INF]],
  [[INF], 'hosts', [TOOL, MAL]],
  [[IS, TA], 'owns', [INF]],
  [[CA, IS, MAL], 'originates-from', [LOC]],
  [[ID, INF, TA], 'located-at', [LOC]],
  [[COA], 'mitigates', [AP, IND, MAL, TOOL, VU]],
  [[COA], 'remediates', [MAL, VU]],
  [[COA], 'investigates', [IND]],
  [[AP, INF, TOOL], 'delivers', [MAL]],
  [[TOOL], 'drops', [MAL]],
  [[MAL], 'drops', [MAL, TOOL, 'file']],
  [[MAL], 'downloads', [MAL, TOOL, 'file']],
  [[MAL], 'exploits', [VU]],
  [[INF, TOOL], 'has', [VU]],
  [[MAL], 'authored-by', [TA, IS]],
  [[MAL], 'variant-of', [MAL]],
  [[MAL], 'controls', [MAL]],
  [[INF], 'controls', [INF, MAL]],
  [[MAL], 'beacons-to', [INF]],
  [[MAL], 'exfiltrates-to', [INF]],
  [[MAL], 'communicates-with', NET],
  [[INF], 'communicates-with', [...NET, INF]],
  [[INF], 'consists-of', [INF, OD, ...ANY_SCO]],
  [[TA], 'impersonates', [ID]],
  [[MA], 'characterizes', [MAL]],
  [[MA], 'av-analysis-of', [MAL]],
  [[MA], 'static-analysis-of', [MAL]],
  [[MA], 'dynamic-analysis-of', [MAL]],
  [['domain-name'], 'resolves-to', ['domain-name', 'ipv4-addr', 'ipv6-addr']],
  [['ipv4-addr', 'ipv6-addr'], 'resolves-to', ['mac-addr']],
  [['ipv4-addr', 'ipv6-addr'], 'belongs-to', ['autonomous-system']],
];

/** source type → relationship_type → target types. Nested rather than keyed by a joined string: no key to build. */
const ALLOWED = new Map<string, Map<string, Set<string>>>();
for (const [sources, rel, targets] of SPEC_RELATIONSHIPS) {
  for (const s of sources) {
    let byRel = ALLOWED.get(s);
    if (byRel === undefined) ALLOWED.set(s, (byRel = new Map()));
    let set = byRel.get(rel);
    if (set === undefined) byRel.set(rel, (set = new Set()));
    for (const t of targets) set.add(t);
  }
}

/**
 * §5.1: relationship_type SHOULD be one the spec defines for the source and target types (`related-to` always;
 * `derived-from` and `duplicate-of` between objects of one type). Ends of custom types are not judged.
 */
export function checkRelationshipType(obj: JsonObject, pointer: string, ctx: RuleContext): void {
  const rel = obj['relationship_type'];
  const src = obj['source_ref'];
  const dst = obj['target_ref'];
  if (typeof rel !== 'string' || typeof src !== 'string' || typeof dst !== 'string') return;
  if (rel === 'related-to') return;
  const s = refType(src);
  const t = refType(dst);
  if (!STANDARD_KINDS.has(s) || !STANDARD_KINDS.has(t)) return;
  if (rel === 'derived-from' || rel === 'duplicate-of') {
    if (s === t) return;
  } else if (ALLOWED.get(s)?.get(rel)?.has(t) === true) {
    return;
  }
  reportWarning(
    ctx,
    'relationship-type-unknown',
    joinPointer(pointer, 'relationship_type'),
    `'${rel}' from ${s} to ${t} is not a relationship the spec defines; use a defined one or related-to (§5.1)`,
  );
}

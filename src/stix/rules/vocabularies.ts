import { joinPointer } from '../diagnostic.js';
import { checkHashes, checkHashesInList } from './hashes.js';
import { PRESENT } from './presence.js';
import type { JsonObject, RuleContext } from './rule.js';
import { isObject, reportWarning } from './rule.js';
import { vocabSet } from './vocabulary-sets.js';

/** Which property of which type draws from which open vocabulary (§10). */
const VOCAB_PROPS: ReadonlyMap<string, ReadonlyArray<readonly [string, string]>> = new Map<
  string,
  ReadonlyArray<readonly [string, string]>
>([
  [
    'indicator',
    [
      ['indicator_types', 'indicator-type-ov'],
      ['pattern_type', 'pattern-type-ov'],
    ],
  ],
  [
    'malware',
    [
      ['malware_types', 'malware-type-ov'],
      ['capabilities', 'malware-capabilities-ov'],
      ['architecture_execution_envs', 'processor-architecture-ov'],
      ['implementation_languages', 'implementation-language-ov'],
    ],
  ],
  [
    'threat-actor',
    [
      ['threat_actor_types', 'threat-actor-type-ov'],
      ['roles', 'threat-actor-role-ov'],
      ['sophistication', 'threat-actor-sophistication-ov'],
      ['resource_level', 'attack-resource-level-ov'],
      ['primary_motivation', 'attack-motivation-ov'],
      ['secondary_motivations', 'attack-motivation-ov'],
      ['personal_motivations', 'attack-motivation-ov'],
    ],
  ],
  [
    'intrusion-set',
    [
      ['resource_level', 'attack-resource-level-ov'],
      ['primary_motivation', 'attack-motivation-ov'],
      ['secondary_motivations', 'attack-motivation-ov'],
    ],
  ],
  ['tool', [['tool_types', 'tool-type-ov']]],
  ['infrastructure', [['infrastructure_types', 'infrastructure-type-ov']]],
  ['report', [['report_types', 'report-type-ov']]],
  [
    'identity',
    [
      ['identity_class', 'identity-class-ov'],
      ['sectors', 'industry-sector-ov'],
    ],
  ],
  ['grouping', [['context', 'grouping-context-ov']]],
  ['malware-analysis', [['result', 'malware-result-ov']]],
  ['location', [['region', 'region-ov']]],
  ['user-account', [['account_type', 'account-type-ov']]],
]);

function offVocabulary(value: unknown, vocab: string): boolean {
  const set = vocabSet(vocab);
  return set !== undefined && typeof value === 'string' && !set.has(value);
}

function reportOffVocabulary(value: unknown, vocab: string, prop: string, path: string, ctx: RuleContext): void {
  reportWarning(ctx, 'vocabulary-value', path, `${prop} value '${String(value)}' is not in ${vocab}; open-vocabulary values should come from the vocabulary (§10)`);
}

function checkValue(value: unknown, vocab: string, prop: string, path: string, ctx: RuleContext): void {
  if (offVocabulary(value, vocab)) reportOffVocabulary(value, vocab, prop, path, ctx);
}

/** §10: values of open-vocabulary properties should come from their vocabulary. */
export function checkVocabularies(obj: JsonObject, type: string, pointer: string, ctx: RuleContext, present: number): void {
  const props = VOCAB_PROPS.get(type);
  if (props !== undefined) {
    for (const [prop, vocab] of props) {
      const value = obj[prop];
      if (value === undefined) continue;
      // Pointers are built only for findings: this runs on every object of a feed.
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (offVocabulary(value[i], vocab)) reportOffVocabulary(value[i], vocab, prop, joinPointer(pointer, prop, i), ctx);
        }
      } else if (offVocabulary(value, vocab)) {
        reportOffVocabulary(value, vocab, prop, joinPointer(pointer, prop), ctx);
      }
    }
  }
  checkNestedVocabularies(obj, pointer, ctx, present);
}

/**
 * Every hashes dictionary of the object (algorithm names from hash-algorithm-ov; values in their algorithm's format),
 * and the PE type of windows-pebinary-ext.
 */
function checkNestedVocabularies(obj: JsonObject, pointer: string, ctx: RuleContext, present: number): void {
  if ((present & PRESENT.hashes) !== 0 && obj['hashes'] !== undefined) checkHashes(obj['hashes'], joinPointer(pointer, 'hashes'), ctx);
  const refs = (present & PRESENT.external_references) === 0 ? undefined : obj['external_references'];
  if (Array.isArray(refs) && refs.some((r) => isObject(r) && r['hashes'] !== undefined)) {
    checkHashesInList(refs, joinPointer(pointer, 'external_references'), ctx);
  }
  if ((present & PRESENT.extensions) === 0) return;
  const ext = obj['extensions'];
  if (!isObject(ext)) return;
  const ntfs = ext['ntfs-ext'];
  if (isObject(ntfs)) checkHashesInList(ntfs['alternate_data_streams'], joinPointer(pointer, 'extensions', 'ntfs-ext', 'alternate_data_streams'), ctx);
  const pe = ext['windows-pebinary-ext'];
  if (isObject(pe)) {
    const base = joinPointer(pointer, 'extensions', 'windows-pebinary-ext');
    if (pe['pe_type'] !== undefined) checkValue(pe['pe_type'], 'windows-pebinary-type-ov', 'pe_type', joinPointer(base, 'pe_type'), ctx);
    if (pe['file_header_hashes'] !== undefined) checkHashes(pe['file_header_hashes'], joinPointer(base, 'file_header_hashes'), ctx);
    const opt = pe['optional_header'];
    if (isObject(opt) && opt['hashes'] !== undefined) checkHashes(opt['hashes'], joinPointer(base, 'optional_header', 'hashes'), ctx);
    checkHashesInList(pe['sections'], joinPointer(base, 'sections'), ctx);
  }
}

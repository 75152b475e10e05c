import { create } from '../stix/create.js';
import type { AttackPattern, CourseOfAction, ExternalReference, Identifier, KillChainPhase } from '../stix/types/index.js';
import { ATLAS_SOURCE_NAME, atlasExternalReference, atlasStixId } from './atlas-ids.js';
import { DistillationInputError } from './errors.js';
import { tlpMarkingRefs } from './tlp-policy.js';
import type { TlpChoice } from './tlp-policy.js';

/**
 * MITRE ATLAS references for distillation campaigns: the techniques, tactics and mitigations that matter, and
 * attack-pattern / course-of-action builders carrying ATLAS's own STIX ids (see atlas-ids.ts).
 *
 * Checked against mitre-atlas/atlas-data v5.6.1 (2026-05-05, ATLAS.yaml 5.6.0): ids, names and tactics of the table,
 * the STIX ids of stix-atlas.json (recomputed in test/distillation/atlas.test.ts), and the procedure of case study
 * AML.CS0056 (data/case-studies/AML.CS0056.yaml), which gives the default mapping.
 */

/** The ATLAS release the table was checked against. */
export const ATLAS_VERSION_CHECKED = '5.6.1';
/**
 * `created`/`modified` of the reference copies built here: the release date of the ATLAS data checked. A consumer
 * that also loads ATLAS keeps whichever version is newer, normally ATLAS's own.
 */
export const ATLAS_REFERENCE_TIMESTAMP = '2026-05-05T00:00:00.000Z';

/** An ATLAS tactic. */
export interface AtlasTactic {
  readonly id: string;
  readonly name: string;
  /** The kill-chain `phase_name`: the name lower-cased and hyphenated. */
  readonly phase: string;
}

/** An ATLAS technique or sub-technique. */
export interface AtlasTechnique {
  readonly id: string;
  readonly name: string;
  /** Kill-chain phase names of its tactics (sub-techniques have their parent's). */
  readonly phases: readonly string[];
  readonly parent?: string;
  /** Why it matters for distillation. */
  readonly note: string;
}

/** An ATLAS mitigation. */
export interface AtlasMitigation {
  readonly id: string;
  readonly name: string;
  /** Techniques it `mitigates` in ATLAS (among those in {@link ATLAS_TECHNIQUES}). */
  readonly mitigates: readonly string[];
}

/** Tactics of the techniques below. */
export const ATLAS_TACTICS: readonly AtlasTactic[] = Object.freeze([
  { id: 'AML.TA0000', name: 'AI Model Access', phase: 'ai-model-access' },
  { id: 'AML.TA0001', name: 'AI Attack Staging', phase: 'ai-attack-staging' },
  { id: 'AML.TA0003', name: 'Resource Development', phase: 'resource-development' },
  { id: 'AML.TA0004', name: 'Initial Access', phase: 'initial-access' },
  { id: 'AML.TA0007', name: 'Defense Evasion', phase: 'defense-evasion' },
  { id: 'AML.TA0010', name: 'Exfiltration', phase: 'exfiltration' },
  { id: 'AML.TA0011', name: 'Impact', phase: 'impact' },
]);

/** Techniques relevant to distillation campaigns. */
export const ATLAS_TECHNIQUES: readonly AtlasTechnique[] = Object.freeze([
  { id: 'AML.T0008', name: 'Acquire Infrastructure', phases: ['resource-development'], note: 'parent of AI Service Proxies' },
  {
    id: 'AML.T0008.005',
    name: 'AI Service Proxies',
    phases: ['resource-development'],
    parent: 'AML.T0008',
    note: 'commercial proxies reselling frontier-model API access (hydra clusters)',
  },
  { id: 'AML.T0021', name: 'Establish Accounts', phases: ['resource-development'], note: 'fraudulent accounts, programme sign-up abuse' },
  { id: 'AML.T0065', name: 'LLM Prompt Crafting', phases: ['resource-development'], note: 'elicitation templates' },
  { id: 'AML.T0012', name: 'Valid Accounts', phases: ['initial-access', 'privilege-escalation'], note: 'accounts and API keys' },
  { id: 'AML.T0040', name: 'AI Model Inference API Access', phases: ['ai-model-access'], note: 'the querying itself' },
  { id: 'AML.T0047', name: 'AI-Enabled Product or Service', phases: ['ai-model-access'], note: 'access through consumer apps' },
  { id: 'AML.T0005', name: 'Create Proxy AI Model', phases: ['ai-attack-staging'], note: 'parent of Train Proxy via Replication' },
  {
    id: 'AML.T0005.001',
    name: 'Train Proxy via Replication',
    phases: ['ai-attack-staging'],
    parent: 'AML.T0005',
    note: 'training the student on harvested outputs',
  },
  { id: 'AML.T0024', name: 'Exfiltration via AI Inference API', phases: ['exfiltration'], note: 'parent of Extract AI Model' },
  {
    id: 'AML.T0024.002',
    name: 'Extract AI Model',
    phases: ['exfiltration'],
    parent: 'AML.T0024',
    note: 'collecting outputs to replicate the model',
  },
  { id: 'AML.T0034', name: 'Cost Harvesting', phases: ['impact'], note: 'excessive queries at the victim’s expense' },
  { id: 'AML.T0048', name: 'External Harms', phases: ['impact'], note: 'parent of the harms below' },
  { id: 'AML.T0048.002', name: 'Societal Harm', phases: ['impact'], parent: 'AML.T0048', note: 'distilled models without safeguards' },
  { id: 'AML.T0048.003', name: 'User Harm', phases: ['impact'], parent: 'AML.T0048', note: 'users exposed to unsafe outputs' },
  {
    id: 'AML.T0048.004',
    name: 'AI Intellectual Property Theft',
    phases: ['impact'],
    parent: 'AML.T0048',
    note: 'capabilities acquired at a fraction of their cost',
  },
]);

/** Mitigations relevant to distillation campaigns. */
export const ATLAS_MITIGATIONS: readonly AtlasMitigation[] = Object.freeze([
  { id: 'AML.M0002', name: 'Passive AI Output Obfuscation', mitigates: ['AML.T0024.002'] },
  { id: 'AML.M0004', name: 'Restrict Number of AI Model Queries', mitigates: ['AML.T0024.002'] },
  { id: 'AML.M0019', name: 'Control Access to AI Models and Data in Production', mitigates: [] },
  { id: 'AML.M0024', name: 'AI Telemetry Logging', mitigates: ['AML.T0024.002'] },
]);

/**
 * The default ATLAS mapping of a distillation campaign: the procedure of case study AML.CS0056 ("Model Distillation
 * Campaigns Targeting Anthropic Claude") up to the intellectual-property impact. Add AML.T0021 and AML.T0005.001
 * when the evidence supports them.
 */
export const DISTILLATION_ATLAS_MAPPING = Object.freeze([
  'AML.T0008.005',
  'AML.T0065',
  'AML.T0040',
  'AML.T0024.002',
  'AML.T0048.004',
] as const);

/** The public ATLAS case study closest to a distillation campaign. */
export const ATLAS_DISTILLATION_CASE_STUDY = Object.freeze({
  id: 'AML.CS0056',
  name: 'Model Distillation Campaigns Targeting Anthropic Claude',
});

const TECHNIQUES = new Map(ATLAS_TECHNIQUES.map((t) => [t.id, t]));
const MITIGATIONS = new Map(ATLAS_MITIGATIONS.map((m) => [m.id, m]));

/** The technique with this ATLAS id, if it is in the table. */
export function atlasTechnique(id: string): AtlasTechnique | undefined {
  return TECHNIQUES.get(id);
}

/** The mitigation with this ATLAS id, if it is in the table. */
export function atlasMitigation(id: string): AtlasMitigation | undefined {
  return MITIGATIONS.get(id);
}

/** Options of the ATLAS builders. */
export interface AtlasBuildOptions {
  /** Put the ATLAS web page in the external reference (see `atlasExternalReference`); default false. */
  readonly withUrl?: boolean;
  /** Default {@link ATLAS_REFERENCE_TIMESTAMP}. */
  readonly created?: string;
  /** Default TLP:CLEAR (public reference data). */
  readonly tlp?: TlpChoice;
  readonly strict?: boolean;
}

/**
 * An attack-pattern referencing an ATLAS technique: ATLAS's STIX id, name, `mitre-atlas` kill-chain phases and
 * external reference. It carries no `created_by_ref`: ATLAS, not the sharing lab, is the author of the technique.
 *
 * @throws DistillationInputError when the technique is not in {@link ATLAS_TECHNIQUES}.
 */
export function atlasAttackPattern(atlasId: string, options: AtlasBuildOptions = {}): AttackPattern {
  const t = TECHNIQUES.get(atlasId);
  if (t === undefined) {
    throw new DistillationInputError('atlasId', `${atlasId} is not one of the ATLAS techniques this library knows (see ATLAS_TECHNIQUES)`);
  }
  const phases: KillChainPhase[] = t.phases.map((phase_name) => ({ kill_chain_name: ATLAS_SOURCE_NAME, phase_name }));
  return create(
    'attack-pattern',
    { ...atlasCommon(atlasId, options), id: atlasStixId(atlasId) as AttackPattern['id'], name: t.name, kill_chain_phases: phases },
    buildOptions(options),
  );
}

/** What every object built from an ATLAS entry carries: fixed timestamps, the ATLAS reference, TLP markings. */
function atlasCommon(atlasId: string, options: AtlasBuildOptions): {
  created: string;
  modified: string;
  external_references: ExternalReference[];
  object_marking_refs?: Array<Identifier<'marking-definition'>>;
} {
  const created = options.created ?? ATLAS_REFERENCE_TIMESTAMP;
  const markings = tlpMarkingRefs(options.tlp ?? 'clear');
  return {
    created,
    modified: created,
    external_references: [atlasExternalReference(atlasId, { withUrl: options.withUrl === true })],
    ...(markings === undefined ? {} : { object_marking_refs: markings }),
  };
}

function buildOptions(options: AtlasBuildOptions): { strict?: boolean } {
  return options.strict === undefined ? {} : { strict: options.strict };
}

/**
 * A course-of-action referencing an ATLAS mitigation (ATLAS's STIX id, name and external reference).
 *
 * @throws DistillationInputError when the mitigation is not in {@link ATLAS_MITIGATIONS}.
 */
export function atlasCourseOfAction(atlasId: string, options: AtlasBuildOptions = {}): CourseOfAction {
  const m = MITIGATIONS.get(atlasId);
  if (m === undefined) {
    throw new DistillationInputError('atlasId', `${atlasId} is not one of the ATLAS mitigations this library knows (see ATLAS_MITIGATIONS)`);
  }
  return create(
    'course-of-action',
    { ...atlasCommon(atlasId, options), id: atlasStixId(atlasId) as CourseOfAction['id'], name: m.name },
    buildOptions(options),
  );
}

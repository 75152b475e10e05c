import { bundle } from '../stix/bundle.js';
import type { Diagnostic } from '../stix/diagnostic.js';
import { StixBuildError } from '../stix/errors.js';
import { validate } from '../stix/validate.js';
import { create } from '../stix/create.js';
import { TLP2 } from '../stix/markings.js';
import type { Tlp2Level } from '../stix/markings.js';
import type { Bundle, Campaign, Identity, Indicator, Infrastructure, IntrusionSet, Relationship } from '../stix/types/index.js';
import { aiModel, softwareMirror } from './ai-model.js';
import type { AiModel, AiModelProps } from './ai-model.js';
import { atlasAttackPattern, atlasCourseOfAction, atlasMitigation, DISTILLATION_ATLAS_MAPPING } from './atlas.js';
import { isAtlasObject } from './atlas-ids.js';
import { defined, jsonCopy } from './build-options.js';
import type { DistillBuildOptions } from './build-options.js';
import { campaignSummaryNote, distillationCampaign } from './campaign.js';
import type { CampaignProps, DistillationCampaignProps } from './campaign.js';
import { extensionDefinitions, PROJECT_IDENTITY, registerDistillationExtensions } from './definitions.js';
import { organizationIdentity } from './identity.js';
import type { IdFactory } from './deterministic-ids.js';
import { DistillationPrivacyError } from './errors.js';
import { DISTILLATION_EXTENSION_IDS, PROJECT_IDENTITY_ID } from './extension-ids.js';
import { networkIndicator } from './indicators.js';
import type { NetworkTargets } from './indicators.js';
import { privacyFindings } from './privacy.js';
import { relate } from './relationships.js';
import { distillationSighting } from './sighting.js';
import type { RequestVolumeStats, SightingProps } from './sighting.js';
import { defaultTlp, stricterTlp, tlpLevelOf, tlpLevelOfMarking, withTlp } from './tlp-policy.js';

type Obj = Readonly<Record<string, unknown>> & { readonly type: string; readonly id: string };

/** Options of {@link assemblePackage}. */
export interface PackageOptions {
  /** Bundle id; default a fresh one. */
  readonly id?: string;
  /**
   * Raise every object this lab authored to at least this level (e.g. `'amber+strict'` for a whole package).
   * Objects owned by others (ATLAS references, the suite's definitions) keep their marking: the same id must not
   * travel with different content at the same `modified`.
   */
  readonly tlpFloor?: Tlp2Level;
  /** Level per object type, replacing the default policy (e.g. `{ indicator: 'green' }`). */
  readonly tlpOverrides?: Readonly<Record<string, Tlp2Level>>;
  /** Embed the project identity and the suite's extension definitions the objects use (default true). */
  readonly includeDefinitions?: boolean;
  /** Refuse validator warnings too (default true: what leaves the lab is clean). */
  readonly strict?: boolean;
  /**
   * The sharing lab. Objects created by another identity (forwarded from a partner) keep their markings: only their
   * creator may issue a version with different content (§3.6).
   */
  readonly producerRef?: string;
}

function isForeign(obj: Obj, producerRef: string | undefined): boolean {
  const author = obj['created_by_ref'];
  return (
    obj.type === 'marking-definition' ||
    obj.type === 'extension-definition' ||
    obj.id === PROJECT_IDENTITY_ID ||
    isAtlasObject(obj) ||
    (producerRef !== undefined && typeof author === 'string' && author !== producerRef)
  );
}

const SUITE_IDS = new Set<string>(Object.values(DISTILLATION_EXTENSION_IDS));

function usedSuiteExtensions(objects: readonly Obj[]): Set<string> {
  const used = new Set<string>();
  for (const o of objects) {
    const ext = o['extensions'];
    if (ext !== null && typeof ext === 'object') for (const key of Object.keys(ext)) if (SUITE_IDS.has(key)) used.add(key);
  }
  return used;
}

function markingIdsIn(obj: Obj): string[] {
  const out: string[] = [];
  const refs = obj['object_marking_refs'];
  if (Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.push(r);
  const granular = obj['granular_markings'];
  if (Array.isArray(granular)) {
    for (const g of granular) {
      const ref = (g as Record<string, unknown> | null)?.['marking_ref'];
      if (typeof ref === 'string') out.push(ref);
    }
  }
  return out;
}

const ORDER: Readonly<Record<string, number>> = { identity: 0, 'marking-definition': 1, 'extension-definition': 2 };

/**
 * Assembles a shareable bundle: de-duplicates objects by id (the latest `modified` wins), applies the TLP policy
 * (defaults per kind, overrides, floor), runs the privacy guards on every object, embeds the TLP 2.0 marking
 * definitions referenced (STIX 2.1 does not predefine them) and, by default, the suite's extension definitions and
 * project identity, and validates the bundle (strict by default).
 *
 * Markings are set without bumping `modified`: assemble objects before they are first shared.
 *
 * @throws DistillationPrivacyError (paths `/objects/<i>/...`) when an object could identify a customer or person;
 *   StixBuildError when the bundle does not validate.
 */
export function assemblePackage(objects: Iterable<{ readonly type: string; readonly id: string }>, options: PackageOptions = {}): Bundle {
  const byId = new Map<string, Obj>();
  for (const raw of objects) {
    const o = raw as Obj;
    const prev = byId.get(o.id);
    if (prev === undefined || String(o['modified'] ?? '') > String(prev['modified'] ?? '')) byId.set(o.id, o);
  }
  let list = [...byId.values()].map((o) => {
    if (isForeign(o, options.producerRef)) return o;
    const override = options.tlpOverrides?.[o.type];
    let level = override ?? tlpLevelOf(o['object_marking_refs'] as unknown[] | undefined) ?? defaultTlp(o);
    if (options.tlpFloor !== undefined) level = stricterTlp(level, options.tlpFloor);
    return tlpLevelOf(o['object_marking_refs'] as unknown[] | undefined) === level ? o : withTlp(o, level);
  });

  const findings = list.flatMap((o, i) => privacyFindings(o, `/objects/${i}`));
  if (findings.length > 0) throw new DistillationPrivacyError('cannot assemble package', findings);

  if (options.includeDefinitions !== false) {
    const used = usedSuiteExtensions(list);
    if (used.size > 0) {
      const defs = extensionDefinitions().filter((d) => used.has(d.id)) as unknown as Obj[];
      list = [PROJECT_IDENTITY as unknown as Obj, ...defs, ...list.filter((o) => o.id !== PROJECT_IDENTITY_ID && !used.has(o.id))];
    }
  }
  const present = new Set(list.map((o) => o.id));
  const markings: Obj[] = [];
  for (const o of list) {
    for (const id of markingIdsIn(o)) {
      const level = tlpLevelOfMarking(id);
      const tlp2 = level === undefined ? undefined : (TLP2 as Record<string, Obj | undefined>)[level];
      if (tlp2 !== undefined && tlp2.id === id && !present.has(id)) {
        present.add(id);
        markings.push(jsonCopy(tlp2));
      }
    }
  }
  const ordered = [...markings, ...list].map((o, i) => ({ o, i })).sort((a, b) => (ORDER[a.o.type] ?? 9) - (ORDER[b.o.type] ?? 9) || a.i - b.i);
  const b = bundle(
    ordered.map((x) => x.o),
    options.id !== undefined ? { id: options.id } : {},
  );
  if (options.strict ?? true) {
    const remaining = strictDiagnostics(b);
    if (remaining.length > 0) throw new StixBuildError('cannot assemble package (strict)', remaining);
  }
  return b;
}

/**
 * Strict validation of a bundle: every MUST and SHOULD of STIX 2.1 as an error. ATLAS references keep ATLAS's own
 * UUIDv5 ids through the identifier scheme the suite registers with the validator.
 */
export function strictDiagnostics(b: Bundle): Diagnostic[] {
  registerDistillationExtensions();
  return validate(b, { strict: true });
}

/** A piece of infrastructure (a relay, a reseller cluster) and the observables it consists of. */
export interface InfrastructureSpec {
  readonly name: string;
  readonly description?: string;
  readonly first_seen?: string;
  readonly observables: NetworkTargets;
  /** The indicator for its observables (default: one, valid 14 days); `false` for none. */
  readonly indicator?:
    | false
    | {
        readonly name?: string;
        readonly validDays?: number;
        readonly description?: string;
        /** What the pattern matches; default all `observables`. */
        readonly targets?: NetworkTargets;
      };
}

/** A sighting of the campaign by the producer (or `where_sighted_refs`). */
export interface CampaignSightingSpec extends Omit<SightingProps, 'sighting_of_ref'> {
  readonly stats?: RequestVolumeStats;
}

/** What {@link campaignPackage} assembles. */
export interface CampaignPackageSpec {
  /** The sharing lab (an identity object is built, `identity_class: organization`). */
  readonly producer: { readonly name: string; readonly description?: string; readonly contact_information?: string } | Identity;
  readonly campaign: CampaignProps & { readonly distillation?: DistillationCampaignProps };
  /** Models the campaign targeted: ai-model objects, `targets` relationships, software mirrors and a summary note. */
  readonly targetModels?: ReadonlyArray<AiModelProps & { readonly vendor?: string }>;
  /** The cluster the campaign belongs to (`campaign attributed-to intrusion-set`). */
  readonly intrusionSet?: { readonly name: string; readonly description?: string; readonly aliases?: readonly string[]; readonly first_seen?: string };
  readonly infrastructure?: readonly InfrastructureSpec[];
  /** ATLAS techniques the campaign `uses`; default {@link DISTILLATION_ATLAS_MAPPING}; `[]` for none. */
  readonly atlasTechniques?: readonly string[];
  /** ATLAS mitigations to include, with their `mitigates` relationships to techniques present. */
  readonly atlasMitigations?: readonly string[];
  readonly sightings?: readonly CampaignSightingSpec[];
  /**
   * Further indicators of this campaign (prompt-template bands, payment fingerprints...): each ships with an
   * `indicates` relationship to the campaign, so a consumer that matches one knows which campaign it saw.
   */
  readonly campaignIndicators?: readonly Indicator[];
  /** Anything else to ship in the same package (notes, opinions...), without relationships. */
  readonly extraObjects?: ReadonlyArray<{ readonly type: string; readonly id: string }>;
  /** `created` of every object built (default now). */
  readonly created?: string;
  /** Id source; default fresh random ids. Pass `seededIds(seed)` for reproducible output. */
  readonly ids?: IdFactory;
  readonly packageOptions?: PackageOptions;
}

/** What {@link campaignPackage} returns: the bundle and the main objects, for further linking. */
export interface CampaignPackage {
  readonly bundle: Bundle;
  readonly producer: Identity;
  readonly campaign: Campaign;
  readonly models: readonly AiModel[];
  readonly intrusionSet?: IntrusionSet;
  readonly infrastructure: readonly Infrastructure[];
  readonly indicators: readonly Indicator[];
  readonly relationships: readonly Relationship[];
}

/**
 * Builds a complete shareable package for one distillation campaign: producer identity, campaign with its
 * extension, targeted ai-models (+ software mirrors and a summary note in standard STIX), intrusion-set,
 * infrastructure `consists-of` its observables, indicators, ATLAS attack-patterns (and mitigations) the campaign
 * `uses`, sightings, relationships and TLP 2.0 markings, then {@link assemblePackage}s them.
 */
export function campaignPackage(spec: CampaignPackageSpec): CampaignPackage {
  const ids = spec.ids ?? ((type: string) => `${type}--${crypto.randomUUID()}`);
  const created = spec.created ?? new Date().toISOString();
  const opts = (type: string, name: string, extra: DistillBuildOptions = {}): DistillBuildOptions => ({
    id: ids(type, name),
    created,
    ...extra,
  });
  const objects: Obj[] = [];
  const relationships: Relationship[] = [];
  const producer: Identity =
    'type' in spec.producer
      ? spec.producer
      : organizationIdentity(spec.producer, { id: ids('identity', spec.producer.name), created });
  const by = (type: string, name: string, extra: DistillBuildOptions = {}) => opts(type, name, { createdByRef: producer.id, ...extra });
  const link = (source: Obj, type: string, target: Obj, extra: { confidence?: number; description?: string } = {}) => {
    const r = relate(source, type, target, { ...by('relationship', `${source.id} ${type} ${target.id}`), ...extra });
    relationships.push(r);
    return r;
  };
  objects.push(producer as unknown as Obj);

  const models = (spec.targetModels ?? []).map(({ vendor, ...m }) => ({
    model: aiModel(m, by('ai-model', m.name)),
    mirror: softwareMirror(m, vendor !== undefined ? { vendor } : {}),
  }));
  const { distillation, ...campaignProps } = spec.campaign;
  const ext: DistillationCampaignProps = {
    ...(models.length > 0 ? { target_model_refs: models.map((m) => m.model.id) } : {}),
    ...(distillation ?? {}),
  };
  const campaign = distillationCampaign(campaignProps, ext, by('campaign', campaignProps.name));
  objects.push(campaign as unknown as Obj);
  for (const { model, mirror } of models) {
    objects.push(model as unknown as Obj, mirror as unknown as Obj);
    link(campaign as Obj, 'targets', model as unknown as Obj);
  }
  objects.push(
    campaignSummaryNote(
      campaign,
      models.map((m) => m.model.name),
      models.map((m) => m.mirror.id),
      by('note', `summary ${campaign.id}`),
    ) as unknown as Obj,
  );

  let intrusionSet: IntrusionSet | undefined;
  if (spec.intrusionSet !== undefined) {
    intrusionSet = create(
      'intrusion-set',
      {
        id: ids('intrusion-set', spec.intrusionSet.name) as IntrusionSet['id'],
        created,
        modified: created,
        created_by_ref: producer.id,
        name: spec.intrusionSet.name,
        ...defined({
          description: spec.intrusionSet.description,
          aliases: spec.intrusionSet.aliases === undefined ? undefined : [...spec.intrusionSet.aliases],
          first_seen: spec.intrusionSet.first_seen,
        }),
      },
      { strict: true },
    );
    objects.push(intrusionSet as unknown as Obj);
    link(campaign as Obj, 'attributed-to', intrusionSet as Obj);
  }

  const infrastructure: Infrastructure[] = [];
  const indicators: Indicator[] = [];
  for (const infra of spec.infrastructure ?? []) {
    const inf = create(
      'infrastructure',
      {
        id: ids('infrastructure', infra.name) as Infrastructure['id'],
        created,
        modified: created,
        created_by_ref: producer.id,
        name: infra.name,
        infrastructure_types: ['anonymization'],
        labels: ['ai-access-reseller'],
        ...defined({ description: infra.description, first_seen: infra.first_seen }),
      },
      { strict: true },
    );
    infrastructure.push(inf);
    objects.push(inf as unknown as Obj);
    link(campaign as Obj, 'uses', inf as Obj);
    if (intrusionSet !== undefined) link(intrusionSet as Obj, 'uses', inf as Obj);
    const t = infra.observables;
    const scos: Obj[] = [
      ...(t.ipv4 ?? []).map((value) => create('ipv4-addr', { value } as never) as Obj),
      ...(t.ipv6 ?? []).map((value) => create('ipv6-addr', { value } as never) as Obj),
      ...(t.asns ?? []).map((number) => create('autonomous-system', { number } as never) as Obj),
      ...(t.domains ?? []).map((value) => create('domain-name', { value } as never) as Obj),
      ...(t.urls ?? []).map((value) => create('url', { value } as never) as Obj),
    ];
    for (const sco of scos) {
      objects.push(sco);
      link(inf as Obj, 'consists-of', sco);
    }
    if (infra.indicator !== false) {
      const ind = networkIndicator(infra.indicator?.targets ?? t, {
        ...by('indicator', `network ${infra.name}`),
        name: infra.indicator?.name ?? `${infra.name} network infrastructure`,
        valid_from: created,
        description:
          infra.indicator?.description ??
          `Network observables of ${infra.name}, infrastructure of distillation campaign ${campaign.name}. Proxy addresses churn and may belong to bystanders: match, do not block on sight.`,
        ...defined({ validDays: infra.indicator?.validDays }),
      });
      indicators.push(ind);
      objects.push(ind as unknown as Obj);
      link(ind as Obj, 'indicates', campaign as Obj);
      link(ind as Obj, 'indicates', inf as Obj);
    }
  }

  for (const ind of spec.campaignIndicators ?? []) {
    indicators.push(ind);
    objects.push(ind as unknown as Obj);
    link(ind as unknown as Obj, 'indicates', campaign as Obj);
  }

  const techniques = spec.atlasTechniques ?? DISTILLATION_ATLAS_MAPPING;
  const patterns = new Map<string, Obj>();
  for (const t of techniques) {
    const ap = atlasAttackPattern(t) as unknown as Obj;
    patterns.set(t, ap);
    objects.push(ap);
    link(campaign as Obj, 'uses', ap);
  }
  for (const m of spec.atlasMitigations ?? []) {
    const coa = atlasCourseOfAction(m) as unknown as Obj;
    objects.push(coa);
    for (const t of atlasMitigation(m)?.mitigates ?? []) {
      const ap = patterns.get(t);
      if (ap !== undefined) link(coa, 'mitigates', ap);
    }
  }

  for (const [i, s] of (spec.sightings ?? []).entries()) {
    const { stats, ...props } = s;
    objects.push(
      distillationSighting(
        { ...props, sighting_of_ref: campaign.id, where_sighted_refs: props.where_sighted_refs ?? [producer.id] },
        stats,
        by('sighting', `sighting ${i} ${campaign.id}`),
      ) as unknown as Obj,
    );
  }
  objects.push(...relationships.map((r) => r as unknown as Obj));
  objects.push(...((spec.extraObjects ?? []) as Obj[]));

  const b = assemblePackage(objects, { producerRef: producer.id, ...(spec.packageOptions ?? {}) });
  return {
    bundle: b,
    producer,
    campaign,
    models: models.map((m) => m.model),
    ...(intrusionSet !== undefined ? { intrusionSet } : {}),
    infrastructure,
    indicators,
    relationships,
  };
}


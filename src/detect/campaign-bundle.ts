import { aiServiceAccountFromRaw } from '../distillation/ai-service-account.js';
import { fingerprintBandIndicator, paymentFingerprintIndicator } from '../distillation/indicators.js';
import { promptFingerprint } from '../distillation/fingerprint-object.js';
import type { ShareableFingerprint } from '../distillation/fingerprint-object.js';
import { assemblePackage, campaignPackage } from '../distillation/package.js';
import type { PackageOptions } from '../distillation/package.js';
import { paymentPseudonym } from '../distillation/pseudonym.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import { seededIds } from '../distillation/deterministic-ids.js';
import type { DistillationCampaignProps } from '../distillation/campaign.js';
import type { Bundle, Identifier, Identity, Indicator } from '../stix/types/index.js';
import { create } from '../stix/create.js';
import type { DetectionResult } from './campaign-detector.js';
import type { DetectedCampaign } from './campaigns.js';
import type { SignalName } from './signals.js';

/**
 * The shareable package of detected campaigns, built with the distillation package builders: per campaign the
 * campaign object with its extension, the targeted models, the infrastructure its accounts shared (addresses used
 * only by campaign accounts), pseudonymous `ai-service-account`s keyed with the lab's key, keyed
 * `prompt-fingerprint`s with band indicators, payment-fingerprint indicators, a sighting with request-volume
 * statistics and the ATLAS techniques; TLP defaults, strict validation and the privacy guards of `assemblePackage`.
 *
 * What never leaves: account ids (pseudonyms instead), customers' addresses (an address also used by any account
 * outside the campaign is not shared), prompt text (fingerprints instead), payment data (keyed pseudonyms), org ids
 * and user agents.
 */
export interface CampaignBundleOptions {
  /** The sharing lab. */
  readonly producer: Identity;
  /** The lab's API host, e.g. `api.lab-a.example.com` (the `provider` of every shared account). */
  readonly provider: string;
  /** The key for account pseudonyms. */
  readonly key: PseudonymKey;
  /** The sharing group's key for values correlated across labs (payment instruments); default `key`. */
  readonly groupKey?: PseudonymKey;
  /** `created` of every object (default now). */
  readonly created?: string;
  /** Seed for reproducible object ids (default random ids). */
  readonly idSeed?: string;
  readonly packageOptions?: PackageOptions;
}

const DETECTION_METHOD: Readonly<Partial<Record<SignalName, string>>> = {
  'shared-ip': 'ip-correlation',
  'shared-payment': 'payment-correlation',
  'synchronised-timing': 'timing-synchrony',
  'template-reuse': 'behavioral-fingerprint',
  'cot-elicitation': 'classifier',
  'release-pivot': 'behavioral-fingerprint',
  'signup-burst': 'metadata-correlation',
  volume: 'volume-anomaly',
  'shared-asn': 'metadata-correlation',
};

const CHANNEL_VECTOR: Readonly<Record<string, string>> = { education: 'education-program', 'research-program': 'research-program', startup: 'startup-program' };
const CHANNEL_CATEGORY: Readonly<Record<string, string>> = {
  education: 'education-program',
  'research-program': 'research-program',
  startup: 'startup-program',
  enterprise: 'organization',
  'self-serve': 'individual',
};

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

function extensionOf(c: DetectedCampaign, maxPerProxy: number): DistillationCampaignProps {
  const names = new Set(c.signals.map((s) => s.name));
  const pivot = c.signals.find((s) => s.name === 'release-pivot')?.evidence;
  const vectors = unique([
    ...(c.shared_ips.length > 0 ? ['reseller-proxy'] : ['direct-api']),
    ...Object.entries(c.channels)
      .filter(([ch, n]) => CHANNEL_VECTOR[ch] !== undefined && n >= c.accounts.length / 2)
      .map(([ch]) => CHANNEL_VECTOR[ch] as string),
  ]);
  return {
    exchange_count: c.requests,
    exchange_count_qualifier: 'exact',
    account_count: c.accounts.length,
    account_count_qualifier: 'exact',
    ...(maxPerProxy > 0 ? { max_accounts_per_proxy: maxPerProxy } : {}),
    access_vectors: vectors,
    detection_methods: unique(c.signals.map((s) => DETECTION_METHOD[s.name]).filter((m): m is string => m !== undefined)),
    ...(names.has('cot-elicitation') ? { capability_areas: ['chain-of-thought', 'reasoning'], elicitation_techniques: ['cot-elicitation'] } : {}),
    ...(pivot !== undefined
      ? { release_pivot_hours: pivot['median_hours_to_pivot'] as number, elicitation_techniques: unique([...(names.has('cot-elicitation') ? ['cot-elicitation'] : []), 'release-pivot']) }
      : {}),
    activity_status: 'ongoing',
  };
}

/** Builds one strict-valid bundle for all campaigns of a detection run. */
export function campaignBundle(result: DetectionResult, options: CampaignBundleOptions): Bundle {
  const created = options.created ?? new Date().toISOString();
  const ids = options.idSeed === undefined ? undefined : seededIds(options.idSeed);
  const groupKey = options.groupKey ?? options.key;
  const objects: Array<{ readonly type: string; readonly id: string }> = [];
  for (const c of result.campaigns) {
    const name = `DETECTED-${c.first_seen.slice(0, 10)}-${c.id}`;
    const ipEvidence = c.signals.find((s) => s.name === 'shared-ip')?.evidence['details'] as ReadonlyArray<Record<string, unknown>> | undefined;
    const maxPerProxy = Math.max(0, ...(ipEvidence ?? []).filter((e) => c.shared_ips.includes(e['ip'] as string)).map((e) => e['accounts'] as number));
    const asnSignal = c.signals.find((s) => s.name === 'shared-asn')?.evidence;
    const asns = asnSignal === undefined ? [] : [Number(asnSignal['value'])].filter((n) => Number.isInteger(n) && n > 0);
    const templates = c.templates as ReadonlyArray<ShareableFingerprint>;
    const cot = c.signals.some((s) => s.name === 'cot-elicitation');
    const extra: Array<{ readonly type: string; readonly id: string }> = [];
    // Indicators a peer can match (template bands, shared payment instruments): each `indicates` this campaign.
    const campaignIndicators: Indicator[] = [];
    const accountRefs: Identifier[] = [];
    for (const id of c.accounts) {
      const a = result.accounts.get(id);
      if (a === undefined) continue;
      const account = aiServiceAccountFromRaw(
        {
          provider: options.provider,
          accountId: a.id,
          ...(a.channel !== undefined && CHANNEL_CATEGORY[a.channel] !== undefined ? { account_category: CHANNEL_CATEGORY[a.channel] as string } : {}),
          ...(a.payment !== undefined && c.shared_payments.includes(a.payment) ? { paymentInstruments: [a.payment] } : {}),
          first_activity: new Date(a.first).toISOString(),
          last_activity: new Date(a.last).toISOString(),
        },
        options.key,
        { groupKey },
      );
      accountRefs.push(account.id);
      extra.push(account);
    }
    // The accounts are the sighting's observed data: that is what ties them to the campaign for every consumer
    // (graph views, OpenCTI) instead of leaving them as free-floating observables in the bundle.
    const observed =
      accountRefs.length === 0
        ? undefined
        : create(
            'observed-data',
            {
              created_by_ref: options.producer.id,
              created,
              modified: created,
              first_observed: c.first_seen,
              last_observed: c.last_seen,
              number_observed: 1,
              object_refs: accountRefs,
              ...(ids === undefined ? {} : { id: ids('observed-data', `${name} accounts`) as Identifier<'observed-data'> }),
            },
          );
    if (observed !== undefined) extra.push(observed);
    for (const fp of templates) {
      extra.push(promptFingerprint(fp, cot ? { elicitation_technique: 'cot-elicitation', capability_area: 'chain-of-thought' } : {}));
      if (fp.lsh_bands !== undefined && fp.lsh_bands.length > 0) {
        campaignIndicators.push(
          fingerprintBandIndicator(fp.lsh_bands, {
            name: `${name} prompt template`,
            description: `Prompt template reused across ${c.customers} customers in campaign ${name}: match by LSH band equality under scheme ${fp.scheme}.`,
            createdByRef: options.producer.id,
            created,
            ...(ids === undefined ? {} : { id: ids('indicator', `${name} template ${fp.value}`) }),
          }),
        );
      }
    }
    for (const raw of c.shared_payments) {
      campaignIndicators.push(
        paymentFingerprintIndicator(paymentPseudonym(raw, groupKey), {
          name: `${name} shared payment instrument`,
          description: `A payment instrument behind accounts of several customers in campaign ${name}.`,
          createdByRef: options.producer.id,
          created,
          ...(ids === undefined ? {} : { id: ids('indicator', `${name} payment ${raw}`) }),
        }),
      );
    }
    const models = Object.entries(c.models).sort((a, b) => b[1] - a[1]);
    const pkg = campaignPackage({
      producer: options.producer,
      campaign: {
        name,
        description: `Distillation campaign detected in ${options.producer.name}'s API telemetry: ${c.accounts.length} accounts of ${c.customers} customers, ${c.requests} requests. Signals: ${c.signals.map((s) => s.name).join(', ')}.`,
        first_seen: c.first_seen,
        last_seen: c.last_seen,
        confidence: Math.round(c.score * 100),
        distillation: extensionOf(c, maxPerProxy),
      },
      targetModels: models.map(([m]) => ({ name: m })),
      ...(c.shared_ips.length > 0 || asns.length > 0
        ? { infrastructure: [{ name: `${name} egress`, first_seen: c.first_seen, observables: { ipv4: c.shared_ips.filter((ip) => !ip.includes(':')), ipv6: c.shared_ips.filter((ip) => ip.includes(':')), asns } }] }
        : {}),
      ...(c.signals.some((s) => s.name === 'signup-burst' || s.name === 'shared-payment') ? { atlasTechniques: ['AML.T0008.005', 'AML.T0021', 'AML.T0065', 'AML.T0040', 'AML.T0024.002'] } : {}),
      sightings: [
        {
          first_seen: c.first_seen,
          last_seen: c.last_seen,
          ...(observed !== undefined ? { observed_data_refs: [observed.id] } : {}),
          count: Math.min(c.requests, 999_999_999),
          stats: {
            request_count: c.requests,
            account_count: c.accounts.length,
            input_tokens: c.tokens.input,
            output_tokens: c.tokens.output,
            model_mix: Object.fromEntries(models.map(([m, n]) => [m, Math.round((n / c.requests) * 1000) / 1000])),
            ...(templates.length > 0 ? { template_reuse_ratio: Math.min(1, templateRatio(c)) } : {}),
          },
        },
      ],
      campaignIndicators,
      extraObjects: extra,
      created,
      ...(ids === undefined ? {} : { ids }),
      packageOptions: { producerRef: options.producer.id, ...(options.packageOptions ?? {}) },
    });
    objects.push(...(pkg.bundle.objects as unknown as Array<{ type: string; id: string }>));
  }
  return assemblePackage(objects, { producerRef: options.producer.id, ...(options.packageOptions ?? {}), ...(ids === undefined ? {} : { id: ids('bundle', 'detect') }) });
}

function templateRatio(c: DetectedCampaign): number {
  const details = c.signals.find((s) => s.name === 'template-reuse')?.evidence['details'] as ReadonlyArray<Record<string, unknown>> | undefined;
  const ratios = (details ?? []).map((d) => d['template_reuse_ratio'] as number).filter((x) => typeof x === 'number');
  return ratios.length === 0 ? 0 : Math.max(...ratios);
}

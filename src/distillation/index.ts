/**
 * `distill-intel/distillation`: the STIX 2.1 extension suite for sharing intelligence about adversarial-distillation
 * campaigns against AI labs. New objects (`ai-model`, `ai-service-account`, `prompt-fingerprint`), property
 * extensions on `campaign` and `sighting`, privacy-preserving builders (keyed pseudonyms, template fingerprints,
 * refusal of raw identifiers), MITRE ATLAS references, TLP 2.0 defaults, a share audit and a standard-only view.
 *
 * Importing this module registers the suite with the validator and the pattern checker (through `defineExtension`,
 * like any third-party extension); {@link registerDistillationExtensions} does it explicitly and is idempotent.
 * @packageDocumentation
 */
import { registerDistillationExtensions } from './definitions.js';

export {
  AI_MODEL_EXTENSION_ID,
  AI_SERVICE_ACCOUNT_EXTENSION_ID,
  PROMPT_FINGERPRINT_EXTENSION_ID,
  DISTILLATION_CAMPAIGN_EXTENSION_ID,
  REQUEST_VOLUME_STATS_EXTENSION_ID,
  DISTILLATION_EXTENSION_IDS,
  DISTILLATION_OBJECT_TYPES,
  DISTILLATION_SCHEMA_BASE_URL,
  DISTILLATION_SUITE_VERSION,
  PROJECT_IDENTITY_ID,
} from './extension-ids.js';
export type { DistillationExtensionName } from './extension-ids.js';
export {
  DEFINITIONS_BUNDLE_ID,
  PROJECT_IDENTITY,
  definitions,
  extensionDefinition,
  extensionDefinitions,
  registerDistillationExtensions,
} from './definitions.js';
export { distillationSchemaUrl, loadDistillationSchema } from './schema-files.js';
export { DistillationInputError, DistillationPrivacyError } from './errors.js';
export * from './vocab.js';

export { MIN_KEY_BYTES, isPseudonym, parsePseudonym, paymentPseudonym, pseudonymize } from './pseudonym.js';
export type { ParsedPseudonym, PseudonymKey, PseudonymizeOptions } from './pseudonym.js';
export {
  SHORT_SUMMARY_MAX,
  assertPrivacy,
  checkDomainValue,
  checkFreeText,
  checkPseudonymValue,
  isDomainName,
  looksLikePrompt,
  privacyFindings,
} from './privacy.js';
export {
  LSH_BANDS,
  LSH_ROWS,
  MINHASH_SIZE,
  NORMALIZATION_VERSION,
  SHINGLE_WORDS,
  SLOTS,
  fingerprintScheme,
  FINGERPRINT_VERSION,
  parseFingerprintScheme,
  fingerprintNormalized,
  fingerprintTemplate,
  lengthBucket,
  normalizeTemplate,
  similarity,
} from './prompt-fingerprint.js';
export type { ComparableFingerprint, FingerprintVersion, SimilarityEstimate, TemplateFingerprint } from './prompt-fingerprint.js';

export {
  ATLAS_IDENTIFIER_SCHEME,
  ATLAS_SOURCE_NAME,
  ATLAS_STIX_NAMESPACE,
  atlasExternalReference,
  atlasStixId,
  atlasUrl,
  isAtlasObject,
  registerAtlasIdentifierScheme,
} from './atlas-ids.js';
export { uuidV5 } from '../stix/uuid-v5.js';
export {
  ATLAS_DISTILLATION_CASE_STUDY,
  ATLAS_MITIGATIONS,
  ATLAS_REFERENCE_TIMESTAMP,
  ATLAS_TACTICS,
  ATLAS_TECHNIQUES,
  ATLAS_VERSION_CHECKED,
  DISTILLATION_ATLAS_MAPPING,
  atlasAttackPattern,
  atlasCourseOfAction,
  atlasMitigation,
  atlasTechnique,
} from './atlas.js';
export type { AtlasBuildOptions, AtlasMitigation, AtlasTactic, AtlasTechnique } from './atlas.js';

export { TLP_ORDER, defaultTlp, stricterTlp, tlpLevelOf, tlpLevelOfMarking, tlpMarkingRefs, withTlp } from './tlp-policy.js';
export type { TlpChoice } from './tlp-policy.js';
export { seededIds } from './deterministic-ids.js';
export type { IdFactory } from './deterministic-ids.js';
export type { DistillBuildOptions } from './build-options.js';

export { organizationIdentity } from './identity.js';
export type { OrganizationProps } from './identity.js';
export { aiModel, softwareMirror } from './ai-model.js';
export type { AiModel, AiModelProps, SoftwareMirrorOptions } from './ai-model.js';
export { aiServiceAccount, aiServiceAccountFromRaw, userAccountMirror } from './ai-service-account.js';
export type { AiServiceAccount, AiServiceAccountProps, FromRawOptions, RawServiceAccount } from './ai-service-account.js';
export { promptFingerprint, promptFingerprintFromTemplate } from './fingerprint-object.js';
export type { FingerprintContext, PromptFingerprintObject, ShareableFingerprint } from './fingerprint-object.js';
export { campaignSummaryNote, campaignSummaryText, distillationCampaign, getDistillationCampaign } from './campaign.js';
export type { CampaignProps, DistillationCampaignProps } from './campaign.js';
export { distillationSighting, getRequestVolumeStats, requestVolumeText } from './sighting.js';
export type { RequestVolumeStats, SightingProps } from './sighting.js';
export { distilledFrom, relate } from './relationships.js';
export type { RelateOptions } from './relationships.js';
export {
  fingerprintBandIndicator,
  networkIndicator,
  networkPattern,
  patternIndicator,
  patternString,
  paymentFingerprintIndicator,
} from './indicators.js';
export type { IndicatorOptions, NetworkTargets } from './indicators.js';
export { assemblePackage, campaignPackage, strictDiagnostics } from './package.js';
export type { CampaignPackage, CampaignPackageSpec, CampaignSightingSpec, InfrastructureSpec, PackageOptions } from './package.js';

export { auditShare, formatAuditReport } from './audit-share.js';
export type { AuditCategory, AuditItem, AuditProblem, AuditReport } from './audit-share.js';
export { standardOnlyView, toStandardOnly } from './standard-only.js';
export type { DroppedObject, StandardOnlyView } from './standard-only.js';

export { DEMO_KEY } from './scenarios/context.js';
export type { ScenarioOptions } from './scenarios/context.js';
export { EXAMPLE_SCENARIOS, exampleBundles } from './scenarios/index.js';
export type { ExampleScenarioName } from './scenarios/index.js';
export { retimeScenarioObjects } from './scenarios/retime.js';
export type { RetimeOptions } from './scenarios/retime.js';

registerDistillationExtensions();

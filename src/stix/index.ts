/**
 * `distill-intel/stix`: the STIX 2.1 object model, builders, validation, versioning, markings and extensions.
 *
 * @packageDocumentation
 */
export type * from './types/index.js';
export { SDO_TYPES, SRO_TYPES, SCO_TYPES, SMO_TYPES, isSdoType, isScoType, isSroType, isSmoType } from './types/index.js';
export * from './vocab.js';

export type { Diagnostic, Severity } from './diagnostic.js';
export { hasErrors, joinPointer, escapePointerToken } from './diagnostic.js';
export { StixBuildError, StixValidationError, StixParseError, StixVersioningError } from './errors.js';
export type { StixParseLocation } from './errors.js';
export { DistillIntelError } from '../errors.js';

export { validate, validateOrThrow, validateObjectInto, isEnvelope } from './validate.js';
export type { ValidateOptions } from './validate.js';
export { parse, parseOrThrow } from './parse.js';
export { validateStream } from './validate-stream.js';
export type { StreamSummary, TextChunks, ValidateStreamOptions } from './validate-stream.js';
export { judgeRecords } from './record-verdict.js';
export type { RecordBatch, RecordJudge, RecordJudging, RecordVerdict } from './record-verdict.js';
export { InputChecks } from './input-checks.js';
export type { ReadBack, TextSpan } from './input-checks.js';
export type { ParseOptions, ParseResult, ParseDiagnostic } from './parse.js';
export { schemaDiagnostics, hasSchemaForType } from './schemas.js';

export { create, createExtensionObject } from './create.js';
export type { BuildOptions, CreateProps, FilledProperty } from './create.js';
export {
  STIX_SCO_NAMESPACE,
  ID_CONTRIBUTING_PROPERTIES,
  parseIdentifier,
  isTypeName,
  newIdentifier,
  idContributingProperties,
  deterministicScoId,
  scoIdentifier,
  scoIdName,
} from './ids.js';
export type { ParsedIdentifier } from './ids.js';
export { uuidV5 } from './uuid-v5.js';
export { formatTimestamp, now, parseTimestamp, isTimestamp, compareTimestamps, nextMillisecond } from './timestamps.js';
export type { TimestampPrecision, ParsedTimestamp } from './timestamps.js';
export { newVersion, revoke, isNewerVersion, latest } from './versioning.js';
export type { Versionable, VersionChanges } from './versioning.js';
export { bundle, bundleObjects } from './bundle.js';
export { upgrade, isStix20Object } from './upgrade.js';
export { jsonTextOf, sourceText, rememberSourceText } from './source-text.js';
export type { UpgradeResult } from './upgrade.js';
export type { BundleOptions } from './bundle.js';

export {
  TLP_WHITE,
  TLP_GREEN,
  TLP_AMBER,
  TLP_RED,
  TLP1,
  TLP2_EXTENSION_ID,
  TLP2_EXTENSION_DEFINITION,
  TLP2_EXTENSION_SCHEMA,
  TLP2_CLEAR,
  TLP2_GREEN,
  TLP2_AMBER,
  TLP2_AMBER_STRICT,
  TLP2_RED,
  TLP2,
  tlp,
  registerTlp2Extension,
  statementMarking,
  parseSelector,
  resolveSelector,
  selectorToPointer,
  getObjectMarkings,
  addObjectMarking,
  removeObjectMarking,
  getGranularMarkings,
  addGranularMarking,
  removeGranularMarking,
  getMarkingsForSelector,
} from './markings.js';
export type {
  Tlp1Level,
  Tlp2Level,
  StatementMarkingOptions,
  StatementMarking,
  SelectorStep,
  GranularMarkingEntry,
  Markable,
  MarkingRef,
  GranularTarget,
} from './markings.js';

export { defineExtension, getPropertyExtension, setPropertyExtension, removeExtension } from './extensions.js';
export type { ExtensionSpec, ExtensionDefinitionObject, Extensible } from './extensions.js';
export { getExtension, getExtensionForObjectType, listExtensions, unregisterExtension } from './extension-registry.js';
export type { ExtensionType, JsonSchema, RegisteredExtension } from './extension-registry.js';
export { registerIdentifierScheme, unregisterIdentifierScheme, identifierSchemeOf } from './identifier-schemes.js';
export type { IdentifierScheme } from './identifier-schemes.js';

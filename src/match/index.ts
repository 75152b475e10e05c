/**
 * `distill-intel/match`: act on a peer's shared intelligence. Match its indicators, prompt fingerprints and
 * pseudonymous identifiers against the lab's own request telemetry, send sightings back, and read the corroboration
 * a hub holds.
 * @packageDocumentation
 */
export { KeyRing } from './key-ring.js';
export { RequestViewer, asnNumber } from './request-view.js';
export type { RequestFingerprint, RequestViewOptions } from './request-view.js';
export { PatternCostError, PatternIndex } from './pattern-index.js';
export type { PatternIndexOptions, PatternRejection, PatternSource, RequestHits } from './pattern-index.js';
export { FingerprintIndex, schemeKeyId } from './fingerprint-index.js';
export type { FingerprintHit, FingerprintIndexOptions, PeerFingerprint } from './fingerprint-index.js';
export { IntelLimitError, readIntel } from './intel.js';
export type { Intel, IntelItem, IntelSetAside, ReadIntelOptions } from './intel.js';
export { IntelMatcher } from './matcher.js';
export type { IntelMatcherOptions, ItemTally, MatchOutcome, MatchStats } from './matcher.js';
export { DEFAULT_MIN_ACCOUNTS, buildSightings, isoDuration } from './sightings.js';
export type { SightingOptions, SightingSet, WithheldSighting } from './sightings.js';
export { matchReport } from './report.js';
export type { MatchReport, ReportInput, ReportMatch } from './report.js';
export { matchTelemetry } from './match-telemetry.js';
export type { MatchTelemetryOptions, MatchTelemetryResult } from './match-telemetry.js';
export { corroboration } from './corroboration.js';
export type { CorroborationOptions, CorroborationReport, CorroborationRow } from './corroboration.js';
export { corroborationHtml, corroborationMarkdown, escapeHtml, escapeMarkdownCell } from './corroboration-format.js';
export { clusterMatches } from './clusters.js';
export type { MatchedCluster } from './clusters.js';

/**
 * `distill-intel/detect`: finds distillation campaigns in a lab's own model-API telemetry. Streaming: records in
 * (from the telemetry readers or the lab's own pipeline), campaigns out. Each detector is a small module with its
 * definition in its TSDoc; campaigns are groups of accounts joined by their signals.
 * @packageDocumentation
 */
export { CampaignDetector, detectCampaigns } from './campaign-detector.js';
export type { DetectOptions, DetectionResult, DetectionStats } from './campaign-detector.js';
export { SIGNAL_WEIGHTS, buildCampaigns } from './campaigns.js';
export type { CampaignContext, CampaignOptions, CampaignSignal, DetectedCampaign } from './campaigns.js';
export { LINKING_SIGNALS, QUALIFYING_SIGNALS } from './signals.js';
export type { Detector, Evidence, Finding, SignalName } from './signals.js';
export { AccountState, AccountTable, entityCount } from './accounts.js';
export { VOLUME_Z, VolumeDetector, robustCentre } from './volume.js';
export { FanOutDetector } from './fan-out.js';
export type { FanOutOptions } from './fan-out.js';
export { TIMING_SHARE, TimingDetector } from './timing.js';
export { MIN_SCAFFOLD_WORDS, TemplateReuseDetector, VARIANT_SIMILARITY } from './template-reuse.js';
export type { SharedTemplate } from './template-reuse.js';
export { COT_MIN_SAMPLES, COT_PATTERN, COT_SHARE, CotElicitationDetector, elicitsReasoning } from './cot-elicitation.js';
export { PIVOT_RATIO, PIVOT_SHARE, PIVOT_WINDOW_HOURS, ReleasePivotDetector } from './release-pivot.js';
export { BURST_MIN_ACCOUNTS, BURST_RATIO, BURST_WINDOW_HOURS, SignupBurstDetector } from './signup-burst.js';
export { SAMPLE_EVERY, SAMPLE_FIRST, hash53, sampled } from './prompt-sample.js';
export { UnionFind } from './union-find.js';
export { campaignBundle } from './campaign-bundle.js';
export type { CampaignBundleOptions } from './campaign-bundle.js';
export type { CampaignAccount } from './campaign-detector.js';

/**
 * The analyst view: a web application mounted in the TAXII server that shows campaigns, their infrastructure and
 * corroborating sightings. `distill-intel serve` mounts it at `/ui/` unless started with `--no-ui`.
 *
 * @packageDocumentation
 */
export { createAnalystView, VIEW_CSP } from './server/analyst-view.js';
export type { AnalystViewOptions } from './server/analyst-view.js';
export { DEFAULT_VIEW_LIMITS } from './server/view-api.js';
export type { ViewLimits } from './server/view-api.js';
export { ViewAssetsMissingError, loadViewAssets } from './server/assets.js';
export type { ViewAssets, Asset } from './server/assets.js';
export type * from './view-model.js';

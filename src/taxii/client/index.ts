/**
 * `distill-intel/client`: a TAXII 2.1 client.
 *
 * @packageDocumentation
 */
export { TaxiiClient } from './taxii-client.js';
export type { TaxiiClientOptions, DiscoveryInfo } from './taxii-client.js';
export { TaxiiApiRoot } from './api-root.js';
export { TaxiiCollection } from './collection.js';
export type { AddObjectsOptions } from './collection.js';
export type { CallOptions, PageOptions, WaitOptions } from './context.js';
export { Pager } from './paging.js';
export type { Page } from './paging.js';
export { SyncRun } from './sync.js';
export type { SyncCheckpoint, SyncOptions, SyncPage } from './sync.js';
export type { MergedStatus } from './status.js';
export type { ObjectsInput } from './envelopes.js';
export type { CollectionQuery, DeleteQuery, MatchFilters, ObjectQuery, OneOrMany, VersionSelector, VersionsQuery } from './query.js';
export { DEFAULT_PAGE_LIMIT } from './query.js';
export type { TaxiiAuth, TaxiiTlsOptions } from './auth.js';
export type { RetryOptions } from './retry.js';
export type { ClientEvent, TimeoutOptions } from './transport.js';
export type { ValidateMode, ValidationOptions } from './validation.js';
export {
  TaxiiClientUsageError,
  TaxiiHttpError,
  TaxiiInvalidObjectError,
  TaxiiNetworkError,
  TaxiiObjectTooLargeError,
  TaxiiProtocolError,
  TaxiiStatusTimeoutError,
} from './errors.js';
export type { NetworkFailure, ProtocolViolation } from './errors.js';
export { TaxiiError } from '../protocol/errors.js';
export type { TaxiiErrorOptions } from '../protocol/errors.js';
export type {
  ApiRoot,
  Collection,
  Discovery,
  ManifestRecord,
  Status,
  StatusDetails,
  TaxiiErrorResource,
} from '../protocol/resources.js';
export { CLIENT_VERSION } from './version.js';

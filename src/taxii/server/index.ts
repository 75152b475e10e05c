/**
 * `distill-intel/server`: an embeddable TAXII 2.1 server. A Web-standard handler (`createTaxiiHandler`), a node:http
 * adapter (`toNodeListener`), a ready HTTP(S) server (`createTaxiiServer`), and the helpers to configure them.
 *
 * @packageDocumentation
 */
export { createTaxiiHandler } from './handler.js';
export type { TaxiiHandler } from './handler.js';
export { createTaxiiServer, DEFAULT_TIMEOUTS, toNodeListener } from './node.js';
export type { CreateTaxiiServerOptions, NodeListener, TaxiiNodeServer, TaxiiServerTimeouts, TaxiiTlsOptions } from './node.js';
export { RateLimiter } from './rate-limit.js';
export type { RateLimitConfig, RateVerdict } from './rate-limit.js';
export { storageFailure, STORAGE_RETRY_AFTER_SECONDS } from './storage-errors.js';
export type { StorageFailure } from './storage-errors.js';
export { TaxiiCore } from './core.js';
export type { TaxiiRequest, TaxiiRequestContext, TaxiiResponse } from './exchange.js';
export { checkServerOptions, DEFAULTS, isTaxiiIdentifier, ProblemList, STIX_MEDIA_TYPE } from './config.js';
export type {
  AnonymousConfig,
  ApiRootConfig,
  AuthConfig,
  CollectionConfig,
  CollectionSelector,
  LimitsConfig,
  ObjectsAddedEvent,
  PrincipalConfig,
  RefusedObject,
  RequestDoneEvent,
  SecurityEvent,
  WriteResultEvent,
  TaxiiHooks,
  TaxiiServerOptions,
  ValidationConfig,
} from './config.js';
export { parseServeConfig } from './config-file.js';
export { combineHooks } from './hooks.js';
export { createServerMetrics } from './metrics.js';
export type { ServerMetrics, ServerMetricsOptions } from './metrics.js';
export { startMetricsServer } from './metrics-server.js';
export type { MetricsServer, MetricsServerOptions } from './metrics-server.js';
export { AuditLog } from './audit-log.js';
export type { ServeConfigFile } from './config-file.js';
export { ServerConfigError } from './errors.js';
export type { ConfigProblem } from './errors.js';
export { hashSecret, hashSecretSync, isSecretHash, verifySecret } from './secrets.js';
export type { ScryptParams } from './secrets.js';
export { Authenticator } from './auth.js';
export type { AuthOutcome, ClientCertificateInfo, Principal, RequestCredentials } from './auth.js';
export { TaxiiError } from '../protocol/errors.js';
export type { TaxiiErrorOptions } from '../protocol/errors.js';
export { jsonLineLogger, silentLogger } from './logger.js';
export type { LogEntry, ServerLogger } from './logger.js';
export type { PageCacheConfig } from './page-cache.js';
export { seedCollection } from './seed.js';
export type { SeedResult } from './seed.js';
export { DEMO_API_ROOTS, DEMO_COLLECTION_ID, demoSeedObjects } from './demo.js';

import type { CursorSecret } from '../protocol/cursor.js';
import type { Store } from '../store/store.js';
import type { Authenticator, Principal } from './auth.js';
import type { ApiRootConfig, CollectionConfig, TaxiiHooks, ValidationConfig } from './config.js';
import type { TaxiiRequest } from './exchange.js';
import type { ServerLogger } from './logger.js';
import type { CollectionRights, RightsTable } from './rights.js';
import type { RouteMatch } from './router.js';
import type { PageCache } from './page-cache.js';
import type { RateLimiter } from './rate-limit.js';
import type { VerifyPool } from '../../provenance/verify-pool.js';
import type { CollectionWritePolicy, ProducerBinding } from './write-policy.js';

/** A configured collection with its defaults filled in. */
export interface ResolvedCollection {
  readonly apiRoot: string;
  readonly id: string;
  readonly config: CollectionConfig;
  readonly mediaTypes: readonly string[];
  readonly acceptTypes: ReadonlySet<string> | undefined;
  readonly writePolicy: CollectionWritePolicy;
}

/** A configured API root with its collections indexed by id and alias. */
export interface ResolvedApiRoot {
  readonly path: string;
  readonly config: ApiRootConfig;
  readonly maxContentLength: number;
  readonly collections: readonly ResolvedCollection[];
  readonly byKey: ReadonlyMap<string, ResolvedCollection>;
}

/** Everything the routes share, worked out once when the handler is created. */
export interface ServerState {
  readonly store: Store;
  readonly title: string;
  readonly description: string | undefined;
  readonly contact: string | undefined;
  readonly roots: ReadonlyMap<string, ResolvedApiRoot>;
  readonly rootOrder: readonly string[];
  readonly defaultRoot: string;
  readonly authenticator: Authenticator;
  readonly rights: RightsTable;
  /** Producer identities of each principal, by name (absent: bound to none). */
  readonly producers: ReadonlyMap<string, ProducerBinding>;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** Most objects one POST may carry (`limits.maxObjectsPerEnvelope`). */
  readonly maxObjectsPerEnvelope: number;
  /** Most failures listed in one status (`limits.maxStatusFailures`). */
  readonly maxStatusFailures: number;
  readonly publicUrl: string | undefined;
  readonly trustProxy: boolean;
  readonly basePath: string;
  readonly cursorSecret: CursorSecret;
  readonly logger: ServerLogger;
  readonly hooks: TaxiiHooks;
  readonly validation: ValidationConfig;
  readonly pageCache: PageCache | undefined;
  /** Per-principal (anonymous: per address) request limiter, unless `limits.rateLimit.enabled` is false. */
  readonly rateLimiter: RateLimiter | undefined;
  /** Threads verifying signatures for `requireSignatures` collections (absent: verified on the request thread). */
  readonly verifyPool: VerifyPool | undefined;
}

/** One request after routing and authentication. */
export interface RouteContext {
  readonly state: ServerState;
  readonly req: TaxiiRequest;
  readonly match: RouteMatch;
  /** Query string without the leading `?` (may be empty). */
  readonly query: string;
  readonly principal: Principal;
  readonly root: ResolvedApiRoot;
}

/** A request addressed to one collection the principal can see. */
export interface CollectionContext extends RouteContext {
  readonly collection: ResolvedCollection;
  readonly rights: CollectionRights;
}

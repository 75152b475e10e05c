import type { ServerMount } from './mount.js';
import type { RegisteredExtension } from '../../stix/extension-registry.js';
import type { Diagnostic } from '../../stix/diagnostic.js';
import type { Store } from '../store/store.js';
import type { ServerLogger } from './logger.js';
import type { ConfigProblem } from './errors.js';
import type { PageCacheConfig } from './page-cache.js';
import type { LoginLimitsConfig } from './login-gate.js';
import type { RateLimitConfig } from './rate-limit.js';
import { ServerConfigError } from './errors.js';
import { isSecretHash } from './secrets.js';
import type { UnattributedPolicy } from './write-policy.js';
import type { TrustStore } from '../../provenance/trust-store.js';

/** Media type of STIX 2.1 content, the default (and usual only) entry of a collection's `media_types`. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** One collection of an API root. */
export interface CollectionConfig {
  /** TAXII identifier: a bare UUIDv4. */
  readonly id: string;
  /** Human-readable title; TAXII clients such as XSOAR select collections by it, so keep titles unique. */
  readonly title: string;
  readonly description?: string;
  /** Unique within the API root; may stand in for the id in URLs (`/api1/collections/demo/objects/`). */
  readonly alias?: string;
  /** `media_types` of the collection resource (default `["application/stix+json;version=2.1"]`). */
  readonly mediaTypes?: readonly string[];
  /** When set, POSTed objects whose `type` is not listed become failures. */
  readonly acceptTypes?: readonly string[];
  /**
   * Objects must name their producer: `created_by_ref` must be one of the writing principal's `identities` (or an
   * identity it relays for), so no member can publish or version objects in another member's name. Default false.
   */
  readonly requireProducer?: boolean;
  /**
   * Under `requireProducer`, what happens to objects without `created_by_ref`: `allow-scos` (default: SCOs, which
   * have no such property and are identified by their content, pass; anything else is refused), `refuse` (everything
   * must be attributed) or `allow`.
   */
  readonly unattributed?: UnattributedPolicy;
  /**
   * Every object must carry an ITU-T X.590 signature by its producer (`created_by_ref`) with a key the server's
   * `trustStore` binds to that identity, and the writing principal must be bound to the signer (`identities`) or relay
   * for it (`relayFor`). Unsigned, invalid or untrusted objects become per-object failures. Needs `trustStore`.
   */
  readonly requireSignatures?: boolean;
}

/** One API root, served at `/{path}/`. */
export interface ApiRootConfig {
  /** One URL path segment (letters, digits, `-._~`), not `taxii2`. */
  readonly path: string;
  readonly title: string;
  readonly description?: string;
  /** Largest accepted request body in bytes (default: `limits.maxContentLength`). */
  readonly maxContentLength?: number;
  readonly collections: readonly CollectionConfig[];
}

/**
 * A collection selector in `canRead` / `canWrite`: `*` (every collection), `<root>/*` (every collection of a root),
 * `<root>/<id or alias>`, or `<id or alias>` (that collection in any root).
 */
export type CollectionSelector = string;

/** Someone who can authenticate, and what they may do. */
export interface PrincipalConfig {
  /** User name for HTTP Basic and the name shown in logs. */
  readonly name: string;
  /** scrypt hash of the Basic password (see `hashSecret`); no password means Basic is refused for this principal. */
  readonly passwordHash?: string;
  /** scrypt hashes of API keys accepted as `Bearer`, `Token` or the configured API-key header. */
  readonly apiKeyHashes?: readonly string[];
  /** SHA-256 fingerprints (hex, colons optional) of TLS client certificates that identify this principal. */
  readonly certificateFingerprints?: readonly string[];
  readonly canRead?: readonly CollectionSelector[];
  readonly canWrite?: readonly CollectionSelector[];
  /** Producer identities (`identity--<uuid>`) this principal publishes as; enforced where `requireProducer` is set. */
  readonly identities?: readonly string[];
  /**
   * Relay role: identities whose objects this principal may re-publish in `requireProducer` collections (a hub
   * forwarding members' objects), or `["*"]` for every producer. Give it only to a relay you trust to forward
   * faithfully, or pair it with signature checks.
   */
  readonly relayFor?: readonly string[];
}

/** Rights of requests that carry no credentials. */
export interface AnonymousConfig {
  readonly canRead?: readonly CollectionSelector[];
  readonly canWrite?: readonly CollectionSelector[];
}

export interface AuthConfig {
  readonly principals?: readonly PrincipalConfig[];
  /** When present, requests without credentials are served with these rights instead of getting 401. */
  readonly anonymous?: AnonymousConfig;
  /** Name of an extra header carrying a raw API key, e.g. `X-API-Key`. */
  readonly apiKeyHeader?: string;
  /** Realm announced in `WWW-Authenticate` (default `distill-intel`). */
  readonly realm?: string;
  /** Accepted `Authorization` schemes (all on by default). */
  readonly schemes?: { readonly basic?: boolean; readonly bearer?: boolean; readonly token?: boolean };
}

export interface LimitsConfig {
  /** Page size when a request has no `limit` (default 100). */
  readonly defaultPageSize?: number;
  /** Largest page served whatever `limit` asks for (default 1000). */
  readonly maxPageSize?: number;
  /** Default `max_content_length` of API roots, in bytes (default 10 MiB). */
  readonly maxContentLength?: number;
  /**
   * Most objects one POST may carry (default 10 000). A larger envelope is refused whole with 413 before any object
   * is parsed, so the work and the status of one request stay bounded whatever `max_content_length` allows.
   */
  readonly maxObjectsPerEnvelope?: number;
  /**
   * Most failures listed in one status resource (default 1 000); `failure_count` stays exact. Failures are what a
   * caller can produce from a few bytes each (`{}` is one), so their details are capped; successes are not (each is
   * a stored object). taxii2-client checks that lists match counts, so it refuses a status whose list was cut.
   */
  readonly maxStatusFailures?: number;
  /**
   * Per-principal request rate limit (token bucket; anonymous requests and failed logins are counted per client
   * address). Past it requests get 429 with `Retry-After`. On by default (100 requests/s, burst 200, 2 failed logins
   * per address per second); `{ enabled: false }` turns it off.
   */
  readonly rateLimit?: RateLimitConfig;
  /** Admission control for password and API-key verification (see `LoginLimitsConfig`); always on. */
  readonly logins?: LoginLimitsConfig;
}

/** What {@link TaxiiHooks.onObjectsAdded} receives after a POST has been committed. */
export interface ObjectsAddedEvent {
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly statusId: string;
  /** Name of the principal that posted, `undefined` for anonymous writes. */
  readonly principal: string | undefined;
  /** Newly stored objects (duplicates excluded), parsed. */
  readonly objects: readonly Record<string, unknown>[];
}

/**
 * A refusal or failure worth counting (metrics, alerting). `login-throttled`: credentials not checked because the
 * user name or address failed too often or has too many checks under way (429); `login-busy`: every verification
 * slot and the queue were taken (503); `auth-failed`: credentials checked and refused (401); `rate-limited`: an
 * authenticated principal (or anonymous address) went past its request rate (429).
 */
export type SecurityEvent =
  | {
      readonly kind: 'login-throttled' | 'login-busy';
      readonly reason: 'user-failures' | 'address-failures' | 'address-busy' | 'user-busy' | 'busy';
      readonly remoteAddress: string;
      /** The Basic user name tried; absent for API keys. */
      readonly user: string | undefined;
      readonly retryAfterSeconds: number;
    }
  | { readonly kind: 'auth-failed'; readonly remoteAddress: string; readonly user: string | undefined }
  | { readonly kind: 'rate-limited'; readonly remoteAddress: string; readonly principal: string | undefined; readonly retryAfterSeconds: number };

/** What {@link TaxiiHooks.onRequestDone} receives once a response is ready (metrics, audit). */
export interface RequestDoneEvent {
  readonly method: string;
  /**
   * Endpoint kind: `discovery`, `api-root`, `collections`, `collection`, `objects`, `object`, `manifest`, `versions`,
   * `status`, `health`, or `unmatched` (a path that names no endpoint).
   */
  readonly route: string;
  /** Request target as received (path and query). */
  readonly target: string;
  readonly status: number;
  /** Time from receiving the request to the response being ready. */
  readonly seconds: number;
  /** Authenticated principal; `undefined` when the request was not authenticated (refused first, or anonymous). */
  readonly principal: string | undefined;
  readonly anonymous: boolean;
  readonly remoteAddress: string | undefined;
  readonly apiRoot: string | undefined;
  /** Collection id (aliases resolved), when the request named a collection the principal may see. */
  readonly collectionId: string | undefined;
  /** Entries in the page served (objects, manifest records or versions), for reads. */
  readonly items: number | undefined;
  /** `error_code` of a TAXII error response. */
  readonly errorCode: string | undefined;
}

/** One refused object of a POST, with the rule that refused it. */
export interface RefusedObject {
  readonly id: string;
  readonly version: string;
  /** The diagnostic or policy code that decided (`schema-required`, `producer-not-bound`...), or `refused`. */
  readonly reason: string;
  readonly message: string;
}

/** What {@link TaxiiHooks.onWriteResult} receives after every POST that produced a status. */
export interface WriteResultEvent {
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly statusId: string;
  readonly principal: string | undefined;
  readonly total: number;
  /** Object versions newly stored. */
  readonly added: readonly { readonly id: string; readonly version: string }[];
  /** Exact duplicates of versions already held (success without a write). */
  readonly duplicates: number;
  readonly refused: readonly RefusedObject[];
}

export interface TaxiiHooks {
  /** Called synchronously for every request once its response is ready; keep it cheap. Errors are logged. */
  readonly onRequestDone?: (event: RequestDoneEvent) => void;
  /** Called synchronously after every POST that produced a status (before the 202). Errors are logged. */
  readonly onWriteResult?: (event: WriteResultEvent) => void;
  /** Called synchronously for every {@link SecurityEvent}; keep it cheap (increment a counter). Errors are logged. */
  readonly onSecurityEvent?: (event: SecurityEvent) => void;
  /**
   * Called after newly added objects are durably committed and before the 202 is sent. Errors are logged and never
   * fail the request.
   */
  readonly onObjectsAdded?: (event: ObjectsAddedEvent) => void | Promise<void>;
}

export interface ValidationConfig {
  /** Validate incoming objects in strict mode (default lenient: unknown custom content is a warning). */
  readonly strict?: boolean;
  /** Extension definitions to register with the validator before the first request. */
  readonly extensions?: readonly RegisteredExtension[];
  /** Extra checks run on every incoming object after the STIX validator; errors make the object a failure. */
  readonly check?: (object: Record<string, unknown>) => readonly Diagnostic[];
}

/** Everything `createTaxiiHandler` needs. */
export interface TaxiiServerOptions {
  readonly store: Store;
  /** Discovery `title` (default `distill-intel TAXII server`). */
  readonly title?: string;
  readonly description?: string;
  readonly contact?: string;
  readonly apiRoots: readonly ApiRootConfig[];
  /** Path of the discovery `default` root (default: the first). */
  readonly defaultApiRoot?: string;
  readonly auth?: AuthConfig;
  readonly limits?: LimitsConfig;
  /**
   * External URL under which `/taxii2/` is served, e.g. `https://intel.example.com` (include any proxy prefix).
   * Discovery lists absolute API-root URLs built from it.
   */
  readonly publicUrl?: string;
  /** Build discovery URLs from `X-Forwarded-Proto`/`-Host`/`-Prefix` (only behind a proxy that sets them). */
  readonly trustProxy?: boolean;
  /** Path prefix under which the handler is mounted and which it strips, e.g. `/intel`. */
  readonly basePath?: string;
  /**
   * Key that signs `next` cursors. Keep it stable across restarts (and equal across instances sharing a store) so
   * cursors never expire; a random key is used when absent.
   */
  readonly cursorSecret?: string | Uint8Array;
  /** How long status resources are kept, in hours (default 48, at least 24). */
  readonly statusRetentionHours?: number;
  readonly logger?: ServerLogger;
  readonly hooks?: TaxiiHooks;
  readonly validation?: ValidationConfig;
  /**
   * In-memory cache of rendered pages (off by default; `{}` = 1 s TTL, 32 MiB). This server's writes invalidate it at
   * once; writes by other processes sharing the store show only after the TTL, so leave it off when several
   * instances share one database (see `PageCache`). `distill-intel serve` turns it on.
   */
  readonly pageCache?: PageCacheConfig | false;
  /**
   * Handlers mounted beside the TAXII tree under their own path prefixes (below `basePath`), such as the analyst
   * view (`distill-intel/ui`'s `createAnalystView`). They authenticate through the server's own principals.
   */
  readonly mounts?: readonly ServerMount[];
  /** Producer keys for collections with `requireSignatures` (see `loadTrustStore`; `trustStore` in the config file). */
  readonly trustStore?: TrustStore;
  /**
   * Worker threads that verify signatures for `requireSignatures` collections, so verification runs on the other
   * cores while the request thread validates and commits (see `VerifyPool`). Default: one per available core, at
   * most 8 (`defaultVerifyThreads()`); `0` verifies on the request thread. Threads start with the server, only when
   * some collection requires signatures, and end with `close()`. Verdicts are the same either way.
   */
  readonly verifyThreads?: number;
}

/** Most signature-verification threads a server may run (more than the cores only adds switching). */
const MAX_VERIFY_THREADS = 64;
const UUID4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SEGMENT_RE = /^[A-Za-z0-9._~-]+$/;
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FINGERPRINT_RE = /^(?:[0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/;
const IDENTITY_RE = /^identity--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNATTRIBUTED: readonly UnattributedPolicy[] = ['refuse', 'allow-scos', 'allow'];
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'accept', 'host', 'content-length', 'cookie']);

/** True for a TAXII identifier (UUIDv4, lower case). */
export function isTaxiiIdentifier(value: string): boolean {
  return UUID4_RE.test(value);
}

/** Normalises a certificate fingerprint to upper-case hex without colons. */
export function normaliseFingerprint(value: string): string {
  return value.replace(/:/g, '').toUpperCase();
}

/** Collects problems with their JSON pointer paths. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];
  add(path: string, message: string): void {
    this.items.push({ path, message });
  }
  throwIfAny(source?: string): void {
    if (this.items.length > 0) throw new ServerConfigError(this.items, source);
  }
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function checkPositiveInt(problems: ProblemList, path: string, v: unknown, what: string): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) problems.add(path, `${what} must be a positive integer`);
}

function checkIdentities(problems: ProblemList, path: string, list: readonly string[] | undefined, wildcard: boolean): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.add(path, 'must be a list of identity ids');
    return;
  }
  list.forEach((v, k) => {
    if (wildcard && v === '*') return;
    if (typeof v !== 'string' || !IDENTITY_RE.test(v)) {
      problems.add(`${path}/${k}`, `must be an identity id ("identity--" and a lower-case UUID)${wildcard ? ' or "*"' : ''}`);
    }
  });
}

/** A mount's prefix is one or more path segments between slashes, and it must not shadow discovery or an API root. */
function checkMounts(mounts: readonly ServerMount[] | undefined, roots: readonly ApiRootConfig[], problems: ProblemList): void {
  const seen = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const prefix = m.prefix;
    const segments = typeof prefix === 'string' && prefix.startsWith('/') && prefix.endsWith('/') ? prefix.slice(1, -1).split('/') : [];
    if (segments.length === 0 || !segments.every((seg) => SEGMENT_RE.test(seg) && seg !== '.' && seg !== '..')) {
      problems.add(`/mounts/${i}/prefix`, 'prefix must be path segments between slashes, e.g. "/ui/"');
      return;
    }
    const first = segments[0] as string;
    if (first === 'taxii2' || roots.some((r) => r.path === first)) {
      problems.add(`/mounts/${i}/prefix`, `prefix "${prefix}" would hide the TAXII endpoint "/${first}/"`);
    } else if (seen.has(prefix)) problems.add(`/mounts/${i}/prefix`, `duplicate mount prefix "${prefix}"`);
    seen.add(prefix);
  });
}

/** Checks the parts of the options that are pure data (everything except the store, logger, hooks). */
export function checkServerOptions(options: TaxiiServerOptions, problems: ProblemList = new ProblemList()): ProblemList {
  const roots = options.apiRoots;
  if (!Array.isArray(roots) || roots.length === 0) {
    problems.add('/apiRoots', 'at least one API root is required');
  }
  const rootPaths = new Set<string>();
  const collectionsByKey = new Map<string, Set<string>>(); // id/alias -> roots holding it
  const rootHasKey = new Set<string>(); // `${root}/${key}`
  checkMounts(options.mounts, roots ?? [], problems);
  (roots ?? []).forEach((root, i) => {
    const rp = `/apiRoots/${i}`;
    if (!isNonEmptyString(root.path) || !SEGMENT_RE.test(root.path)) {
      problems.add(`${rp}/path`, 'path must be one URL segment of letters, digits, "-", ".", "_" or "~"');
    } else if (root.path === 'taxii2') {
      problems.add(`${rp}/path`, '"taxii2" is the discovery endpoint and cannot be an API root');
    } else if (root.path === '.' || root.path === '..') {
      problems.add(`${rp}/path`, 'path cannot be "." or ".."');
    } else if (rootPaths.has(root.path)) {
      problems.add(`${rp}/path`, `duplicate API root path "${root.path}"`);
    } else rootPaths.add(root.path);
    if (!isNonEmptyString(root.title)) problems.add(`${rp}/title`, 'title is required');
    checkPositiveInt(problems, `${rp}/maxContentLength`, root.maxContentLength, 'maxContentLength');
    if (!Array.isArray(root.collections)) {
      problems.add(`${rp}/collections`, 'collections must be a list (it may be empty)');
      return;
    }
    const ids = new Set<string>();
    const aliases = new Set<string>();
    (root.collections as readonly CollectionConfig[]).forEach((c: CollectionConfig, j: number) => {
      const cp = `${rp}/collections/${j}`;
      if (typeof c.id !== 'string' || !isTaxiiIdentifier(c.id)) {
        problems.add(`${cp}/id`, 'id must be a lower-case UUIDv4 (TAXII identifier)');
      } else if (ids.has(c.id)) problems.add(`${cp}/id`, `duplicate collection id "${c.id}" in this API root`);
      else ids.add(c.id);
      if (!isNonEmptyString(c.title)) problems.add(`${cp}/title`, 'title is required');
      if (c.alias !== undefined) {
        if (!isNonEmptyString(c.alias) || !SEGMENT_RE.test(c.alias)) {
          problems.add(`${cp}/alias`, 'alias must be one URL segment of letters, digits, "-", ".", "_" or "~"');
        } else if (isTaxiiIdentifier(c.alias)) {
          problems.add(`${cp}/alias`, 'alias cannot look like a collection id');
        } else if (aliases.has(c.alias)) problems.add(`${cp}/alias`, `duplicate alias "${c.alias}" in this API root`);
        else aliases.add(c.alias);
      }
      if (c.mediaTypes !== undefined && (!Array.isArray(c.mediaTypes) || c.mediaTypes.length === 0 || !c.mediaTypes.every(isNonEmptyString))) {
        problems.add(`${cp}/mediaTypes`, 'mediaTypes must be a non-empty list of media types');
      }
      if (c.acceptTypes !== undefined && (!Array.isArray(c.acceptTypes) || c.acceptTypes.length === 0 || !c.acceptTypes.every(isNonEmptyString))) {
        problems.add(`${cp}/acceptTypes`, 'acceptTypes must be a non-empty list of STIX object types');
      }
      if (c.requireProducer !== undefined && typeof c.requireProducer !== 'boolean') problems.add(`${cp}/requireProducer`, 'requireProducer must be true or false');
      if (c.requireSignatures !== undefined && typeof c.requireSignatures !== 'boolean') problems.add(`${cp}/requireSignatures`, 'requireSignatures must be true or false');
      if (c.requireSignatures === true && options.trustStore === undefined) {
        problems.add(`${cp}/requireSignatures`, 'requireSignatures needs a trust store (trustStore in the config file) holding the producers\' keys');
      }
      if (c.unattributed !== undefined && !UNATTRIBUTED.includes(c.unattributed)) {
        problems.add(`${cp}/unattributed`, `unattributed must be one of ${UNATTRIBUTED.map((u) => `"${u}"`).join(', ')}`);
      }
      for (const key of [c.id, c.alias]) {
        if (typeof key !== 'string') continue;
        const set = collectionsByKey.get(key) ?? new Set<string>();
        set.add(root.path);
        collectionsByKey.set(key, set);
        rootHasKey.add(`${root.path}/${key}`);
      }
    });
  });
  if (options.defaultApiRoot !== undefined && !rootPaths.has(options.defaultApiRoot)) {
    problems.add('/defaultApiRoot', `"${options.defaultApiRoot}" is not the path of a configured API root`);
  }
  const limits = options.limits ?? {};
  checkPositiveInt(problems, '/limits/defaultPageSize', limits.defaultPageSize, 'defaultPageSize');
  checkPositiveInt(problems, '/limits/maxPageSize', limits.maxPageSize, 'maxPageSize');
  checkPositiveInt(problems, '/limits/maxContentLength', limits.maxContentLength, 'maxContentLength');
  checkPositiveInt(problems, '/limits/maxObjectsPerEnvelope', limits.maxObjectsPerEnvelope, 'maxObjectsPerEnvelope');
  checkPositiveInt(problems, '/limits/maxStatusFailures', limits.maxStatusFailures, 'maxStatusFailures');
  if (limits.rateLimit !== undefined) {
    const rl = limits.rateLimit as Partial<RateLimitConfig> | null;
    const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
    if (rl === null || typeof rl !== 'object') problems.add('/limits/rateLimit', 'rateLimit must be an object { enabled?, requestsPerSecond?, burst?, failedAuthPerSecond? }');
    else {
      if (rl.enabled !== undefined && typeof rl.enabled !== 'boolean') problems.add('/limits/rateLimit/enabled', 'enabled must be true or false');
      if (rl.requestsPerSecond !== undefined && !positive(rl.requestsPerSecond)) problems.add('/limits/rateLimit/requestsPerSecond', 'requestsPerSecond must be a positive number');
      if (rl.burst !== undefined && !(positive(rl.burst) && rl.burst >= 1)) problems.add('/limits/rateLimit/burst', 'burst must be a number of at least 1');
      if (rl.failedAuthPerSecond !== undefined && !positive(rl.failedAuthPerSecond)) {
        problems.add('/limits/rateLimit/failedAuthPerSecond', 'failedAuthPerSecond must be a positive number');
      }
    }
  }
  const logins = limits.logins ?? {};
  checkPositiveInt(problems, '/limits/logins/concurrent', logins.concurrent, 'concurrent');
  checkPositiveInt(problems, '/limits/logins/queued', logins.queued, 'queued');
  checkPositiveInt(problems, '/limits/logins/queueTimeoutMs', logins.queueTimeoutMs, 'queueTimeoutMs');
  checkPositiveInt(problems, '/limits/logins/perAddress', logins.perAddress, 'perAddress');
  checkPositiveInt(problems, '/limits/logins/perUser', logins.perUser, 'perUser');
  checkPositiveInt(problems, '/limits/logins/userFailureBurst', logins.userFailureBurst, 'userFailureBurst');
  if (logins.userFailuresPerMinute !== undefined && !(typeof logins.userFailuresPerMinute === 'number' && logins.userFailuresPerMinute > 0)) {
    problems.add('/limits/logins/userFailuresPerMinute', 'userFailuresPerMinute must be a positive number');
  }
  if (limits.defaultPageSize !== undefined && limits.maxPageSize !== undefined && limits.defaultPageSize > limits.maxPageSize) {
    problems.add('/limits/defaultPageSize', 'defaultPageSize cannot exceed maxPageSize');
  }
  if (options.verifyThreads !== undefined && !(Number.isSafeInteger(options.verifyThreads) && options.verifyThreads >= 0 && options.verifyThreads <= MAX_VERIFY_THREADS)) {
    problems.add('/verifyThreads', `verifyThreads must be a whole number from 0 (verify on the request thread) to ${MAX_VERIFY_THREADS}`);
  }
  if (options.statusRetentionHours !== undefined && (typeof options.statusRetentionHours !== 'number' || !(options.statusRetentionHours >= 24))) {
    problems.add('/statusRetentionHours', 'statusRetentionHours must be a number of at least 24 (TAXII §4.3)');
  }
  if (options.publicUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(options.publicUrl);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '';
    } catch {
      ok = false;
    }
    if (!ok) problems.add('/publicUrl', 'publicUrl must be an absolute http(s) URL without query or fragment');
  }
  if (options.basePath !== undefined && options.basePath !== '' && !/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(options.basePath)) {
    problems.add('/basePath', 'basePath must look like "/prefix" (segments of letters, digits, "-", ".", "_" or "~")');
  }

  const checkSelectors = (path: string, list: readonly string[] | undefined): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.add(path, 'must be a list of collection selectors');
      return;
    }
    list.forEach((sel, k) => {
      if (typeof sel !== 'string' || sel === '') {
        problems.add(`${path}/${k}`, 'a selector must be a non-empty string');
        return;
      }
      if (sel === '*') return;
      const slash = sel.indexOf('/');
      if (slash === -1) {
        if (!collectionsByKey.has(sel)) problems.add(`${path}/${k}`, `"${sel}" names no configured collection id or alias`);
        return;
      }
      const root = sel.slice(0, slash);
      const key = sel.slice(slash + 1);
      if (!rootPaths.has(root)) problems.add(`${path}/${k}`, `"${root}" is not a configured API root`);
      else if (key !== '*' && !rootHasKey.has(`${root}/${key}`)) {
        problems.add(`${path}/${k}`, `API root "${root}" has no collection with id or alias "${key}"`);
      }
    });
  };

  const auth = options.auth ?? {};
  const names = new Set<string>();
  const fingerprints = new Set<string>();
  (auth.principals ?? []).forEach((p, i) => {
    const pp = `/auth/principals/${i}`;
    if (!isNonEmptyString(p.name) || p.name.includes(':')) problems.add(`${pp}/name`, 'name must be a non-empty string without ":"');
    else if (names.has(p.name)) problems.add(`${pp}/name`, `duplicate principal name "${p.name}"`);
    else names.add(p.name);
    if (p.passwordHash !== undefined && (typeof p.passwordHash !== 'string' || !isSecretHash(p.passwordHash))) {
      problems.add(`${pp}/passwordHash`, 'passwordHash must be a scrypt hash ("scrypt$N$r$p$salt$hash"); make one with `distill-intel serve --hash-secret`');
    }
    (p.apiKeyHashes ?? []).forEach((h, k) => {
      if (typeof h !== 'string' || !isSecretHash(h)) problems.add(`${pp}/apiKeyHashes/${k}`, 'each API key must be stored as a scrypt hash ("scrypt$N$r$p$salt$hash")');
    });
    (p.certificateFingerprints ?? []).forEach((f, k) => {
      if (typeof f !== 'string' || !FINGERPRINT_RE.test(f)) {
        problems.add(`${pp}/certificateFingerprints/${k}`, 'a certificate fingerprint must be a SHA-256 digest in hex (64 digits, colons allowed)');
      } else if (fingerprints.has(normaliseFingerprint(f))) {
        problems.add(`${pp}/certificateFingerprints/${k}`, 'this certificate already identifies another principal');
      } else fingerprints.add(normaliseFingerprint(f));
    });
    if (p.passwordHash === undefined && (p.apiKeyHashes ?? []).length === 0 && (p.certificateFingerprints ?? []).length === 0) {
      problems.add(pp, 'a principal needs at least one of passwordHash, apiKeyHashes, certificateFingerprints');
    }
    checkSelectors(`${pp}/canRead`, p.canRead);
    checkSelectors(`${pp}/canWrite`, p.canWrite);
    checkIdentities(problems, `${pp}/identities`, p.identities, false);
    checkIdentities(problems, `${pp}/relayFor`, p.relayFor, true);
  });
  if (auth.anonymous !== undefined) {
    checkSelectors('/auth/anonymous/canRead', auth.anonymous.canRead);
    checkSelectors('/auth/anonymous/canWrite', auth.anonymous.canWrite);
  }
  if (auth.apiKeyHeader !== undefined) {
    if (typeof auth.apiKeyHeader !== 'string' || !HEADER_NAME_RE.test(auth.apiKeyHeader)) {
      problems.add('/auth/apiKeyHeader', 'apiKeyHeader must be an HTTP header name');
    } else if (RESERVED_HEADERS.has(auth.apiKeyHeader.toLowerCase())) {
      problems.add('/auth/apiKeyHeader', `"${auth.apiKeyHeader}" is a standard header and cannot carry an API key`);
    }
  }
  if (auth.realm !== undefined && (typeof auth.realm !== 'string' || /["\\\r\n]/.test(auth.realm))) {
    problems.add('/auth/realm', 'realm must be a string without quotes, backslashes or line breaks');
  }
  return problems;
}

/** Resolved defaults used by the handler. */
export const DEFAULTS = {
  title: 'distill-intel TAXII server',
  defaultPageSize: 100,
  maxPageSize: 1000,
  maxContentLength: 10 * 1024 * 1024,
  maxObjectsPerEnvelope: 10_000,
  maxStatusFailures: 1_000,
  statusRetentionHours: 48,
  realm: 'distill-intel',
} as const;

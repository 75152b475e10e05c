import { randomBytes } from 'node:crypto';
import { TaxiiError } from '../protocol/errors.js';
import { negotiateAccept } from '../protocol/media-types.js';
import { nowMicros } from '../protocol/timestamps.js';
import { registerExtension } from '../../stix/extension-registry.js';
import type { Principal } from './auth.js';
import { Authenticator } from './auth.js';
import type { SecurityEvent, TaxiiServerOptions } from './config.js';
import { checkServerOptions, DEFAULTS, STIX_MEDIA_TYPE } from './config.js';
import type { TaxiiRequest, TaxiiResponse } from './exchange.js';
import { silentLogger } from './logger.js';
import { PageCache } from './page-cache.js';
import { LoginGate } from './login-gate.js';
import { RATE_LIMIT_DEFAULTS, RateLimiter } from './rate-limit.js';
import { RightsTable } from './rights.js';
import { bindingOf, writePolicyOf } from './write-policy.js';
import { registerSignaturesExtension } from '../../provenance/definition.js';
import { defaultVerifyThreads, VerifyPool } from '../../provenance/verify-pool.js';
import { storageFailure } from './storage-errors.js';
import { ALLOWED_METHODS, matchRoute } from './router.js';
import type { RouteMatch } from './router.js';
import { errorResponse, json, notFound } from './routes/respond.js';
import { getManifest, getObjects, getVersions } from './routes/read.js';
import { collectionResource, getApiRoot, getCollections, getDiscovery, getStatus } from './routes/server-info.js';
import { deleteObject, postObjects } from './routes/write.js';
import type { CollectionContext, ResolvedApiRoot, ResolvedCollection, RouteContext, ServerState } from './state.js';
import type { ServerMount } from './mount.js';

const HOUR_MS = 3_600_000;

/** What the core learns about a request while handling it, for `hooks.onRequestDone`. */
interface RequestNote {
  route: string;
  principal?: Principal;
  apiRoot?: string | undefined;
  collectionId?: string;
}

/** A permanent redirect that keeps the method (used for a mount's prefix requested without its slash). */
function redirect(location: string): TaxiiResponse {
  return { status: 308, headers: { location } };
}
/** How often expired statuses are purged. */
const PURGE_INTERVAL_MS = HOUR_MS;

function resolveState(options: TaxiiServerOptions): ServerState {
  checkServerOptions(options).throwIfAny('TAXII server options');
  // signed objects are validated against the signatures extension's schema (bounded lists, well-formed entries)
  registerSignaturesExtension();
  const limits = options.limits ?? {};
  const defaultMax = limits.maxContentLength ?? DEFAULTS.maxContentLength;
  const roots = new Map<string, ResolvedApiRoot>();
  for (const root of options.apiRoots) {
    const collections: ResolvedCollection[] = root.collections.map((c) => ({
      apiRoot: root.path,
      id: c.id,
      config: c,
      mediaTypes: c.mediaTypes ?? [STIX_MEDIA_TYPE],
      acceptTypes: c.acceptTypes === undefined ? undefined : new Set(c.acceptTypes),
      writePolicy: writePolicyOf(c, options.trustStore),
    }));
    const byKey = new Map<string, ResolvedCollection>();
    for (const c of collections) {
      byKey.set(c.id, c);
      if (c.config.alias !== undefined) byKey.set(c.config.alias, c);
    }
    roots.set(root.path, { path: root.path, config: root, maxContentLength: root.maxContentLength ?? defaultMax, collections, byKey });
  }
  const auth = options.auth ?? {};
  const grants = new Map<string, { canRead?: readonly string[] | undefined; canWrite?: readonly string[] | undefined }>();
  for (const p of auth.principals ?? []) grants.set(p.name, { canRead: p.canRead, canWrite: p.canWrite });
  if (auth.anonymous !== undefined) grants.set('', auth.anonymous);
  const maxPageSize = limits.maxPageSize ?? Math.max(DEFAULTS.maxPageSize, limits.defaultPageSize ?? 0);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const rl = limits.rateLimit ?? {};
  const limited = rl.enabled !== false;
  const rps = rl.requestsPerSecond ?? RATE_LIMIT_DEFAULTS.requestsPerSecond;
  const failedPerSecond = rl.failedAuthPerSecond ?? RATE_LIMIT_DEFAULTS.failedAuthPerSecond;
  const addressFailures = limited ? new RateLimiter(failedPerSecond, Math.max(1, 10 * failedPerSecond)) : undefined;
  return {
    store: options.store,
    title: options.title ?? DEFAULTS.title,
    description: options.description,
    contact: options.contact,
    roots,
    rootOrder: options.apiRoots.map((r) => r.path),
    defaultRoot: options.defaultApiRoot ?? (options.apiRoots[0] as { path: string }).path,
    authenticator: new Authenticator(auth, new LoginGate(limits.logins, addressFailures)),
    rights: new RightsTable(options.apiRoots, grants),
    producers: new Map((auth.principals ?? []).map((p) => [p.name, bindingOf(p)])),
    defaultPageSize: Math.min(limits.defaultPageSize ?? DEFAULTS.defaultPageSize, maxPageSize),
    maxPageSize,
    maxObjectsPerEnvelope: limits.maxObjectsPerEnvelope ?? DEFAULTS.maxObjectsPerEnvelope,
    maxStatusFailures: limits.maxStatusFailures ?? DEFAULTS.maxStatusFailures,
    publicUrl: options.publicUrl,
    trustProxy: options.trustProxy === true,
    basePath,
    cursorSecret: options.cursorSecret ?? randomBytes(32),
    logger: options.logger ?? silentLogger,
    hooks: options.hooks ?? {},
    validation: options.validation ?? {},
    pageCache: options.pageCache === undefined || options.pageCache === false ? undefined : new PageCache(options.pageCache),
    rateLimiter: limited ? new RateLimiter(rps, rl.burst ?? Math.max(1, 2 * rps)) : undefined,
    verifyPool: startVerifyPool(options, roots),
  };
}

/** The signature-verification threads, when some collection requires signatures and `verifyThreads` is not 0. */
function startVerifyPool(options: TaxiiServerOptions, roots: ReadonlyMap<string, ResolvedApiRoot>): VerifyPool | undefined {
  const trust = options.trustStore;
  const threads = options.verifyThreads ?? defaultVerifyThreads();
  const needed = [...roots.values()].some((r) => r.collections.some((c) => c.writePolicy.signatures !== undefined));
  if (trust === undefined || threads === 0 || !needed) return undefined;
  const logger = options.logger ?? silentLogger;
  return new VerifyPool({
    trust,
    threads,
    onThreadFailure: ({ error, degraded }) =>
      logger.error({
        msg: degraded
          ? 'signature verification threads cannot run; verifying on the request thread from now on'
          : 'a signature verification thread failed; its work was handed on and the thread replaced',
        error,
      }),
  });
}

/**
 * The transport-neutral TAXII 2.1 server: routing, negotiation, authentication, authorisation and the endpoints.
 * Long-lived (holds the store, the credential cache and the status purge timer), hence a class.
 */
export class TaxiiCore {
  /** @internal Resolved configuration and shared services (store, logger, authenticator, cursor secret, rights). */
  readonly state: ServerState;
  readonly #statusRetentionMs: number;
  readonly #ready: Promise<void>;
  #readyDone = false;
  #inFlight = 0;
  #idle: (() => void)[] = [];
  #purgeTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  readonly #acceptMemo = new Map<string, ReturnType<typeof negotiateAccept>>();
  readonly #mounts: readonly ServerMount[];

  constructor(options: TaxiiServerOptions) {
    this.state = resolveState(options);
    this.#mounts = options.mounts ?? [];
    this.#statusRetentionMs = (options.statusRetentionHours ?? DEFAULTS.statusRetentionHours) * HOUR_MS;
    for (const ext of options.validation?.extensions ?? []) registerExtension(ext);
    this.#ready = this.#prepareStore();
    // A failed preparation is reported by the first request; avoid an unhandled rejection meanwhile.
    this.#ready.catch(() => undefined);
    this.#purgeTimer = setInterval(() => void this.purgeStatuses(), PURGE_INTERVAL_MS);
    this.#purgeTimer.unref();
  }

  async #prepareStore(): Promise<void> {
    for (const root of this.state.roots.values()) {
      for (const c of root.collections) await this.state.store.ensureCollection({ apiRoot: root.path, collectionId: c.id });
    }
    this.#readyDone = true;
  }

  /** Resolves once every configured collection exists in the store. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Removes statuses older than the retention period (at least 24 h); runs hourly on its own. */
  async purgeStatuses(): Promise<number> {
    try {
      return await this.state.store.purgeStatuses(new Date(Date.now() - this.#statusRetentionMs));
    } catch (err) {
      this.state.logger.error({ msg: 'status purge failed', error: String(err) });
      return 0;
    }
  }

  /** Number of requests being handled right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  drain(timeoutMs = 10_000): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#idle.push(done);
    });
  }

  /**
   * Waits for in-flight requests, stops the purge timer and ends the signature-verification threads. New requests
   * get 503 afterwards.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#purgeTimer !== undefined) clearInterval(this.#purgeTimer);
    this.#purgeTimer = undefined;
    await this.drain();
    await this.state.verifyPool?.close();
  }

  /** A 500 in TAXII form, for adapters that catch what should never escape `handle`. */
  internalError(err: unknown): TaxiiResponse {
    this.state.logger.error({ msg: 'unhandled error', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return errorResponse(new TaxiiError(500, 'the server failed to process the request', { errorCode: 'internal' }));
  }

  /** Handles one request. Never rejects: every failure becomes a TAXII error resource. */
  async handle(req: TaxiiRequest): Promise<TaxiiResponse> {
    const started = performance.now();
    const time = nowMicros();
    this.#inFlight++;
    const note: RequestNote = { route: 'unmatched' };
    let response: TaxiiResponse;
    try {
      const health = this.#healthPath(req);
      if (health !== undefined) {
        note.route = 'health';
        response = await this.#health(req, health);
      } else {
        if (this.#closed) throw new TaxiiError(503, 'the server is shutting down', { errorCode: 'shutting-down' });
        if (!this.#readyDone) await this.#ready;
        response = await this.#dispatch(req, time, note);
      }
    } catch (err) {
      response = err instanceof TaxiiError ? this.#taxiiError(err) : this.#failure(err);
    } finally {
      if (--this.#inFlight === 0 && this.#idle.length > 0) {
        const waiters = this.#idle;
        this.#idle = [];
        for (const w of waiters) w();
      }
    }
    this.#access(req, response, note.principal, started);
    this.#done(req, response, note, started);
    return response;
  }

  /** `/healthz` or `/readyz` (under the base path, outside the TAXII tree), else `undefined`. */
  #healthPath(req: TaxiiRequest): 'healthz' | 'readyz' | undefined {
    const target = req.target;
    // Every request passes here: a TAXII path never ends in either name, so most are told apart without slicing.
    if (!target.includes('/healthz') && !target.includes('/readyz')) return undefined;
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const base = this.state.basePath;
    if (path === `${base}/healthz`) return 'healthz';
    if (path === `${base}/readyz`) return 'readyz';
    return undefined;
  }

  /**
   * Probes for load balancers and orchestrators, unauthenticated and outside the TAXII tree. `healthz`: the process
   * answers. `readyz`: the configured collections exist in the store, the store answers and its schema is current,
   * and the server is not shutting down. They say nothing about the data held.
   */
  async #health(req: TaxiiRequest, which: 'healthz' | 'readyz'): Promise<TaxiiResponse> {
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { status: 405, headers: { ...headers, allow: 'GET, HEAD' }, body: '{"status":"method not allowed"}' };
    }
    if (which === 'healthz') return { status: 200, headers, body: '{"status":"ok"}' };
    let problem: string | undefined;
    if (this.#closed) problem = 'shutting down';
    else {
      try {
        await this.#ready;
        await this.state.store.checkReady?.();
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
    }
    if (problem === undefined) return { status: 200, headers, body: '{"status":"ready"}' };
    this.state.logger.warn({ msg: 'not ready', reason: problem });
    return { status: 503, headers, body: JSON.stringify({ status: 'not ready', reason: problem }) };
  }

  /** Hands the finished request to `hooks.onRequestDone` (metrics, audit); a throwing hook is logged, never fatal. */
  #done(req: TaxiiRequest, res: TaxiiResponse, note: RequestNote, started: number): void {
    const hook = this.state.hooks.onRequestDone;
    if (hook === undefined) return;
    let errorCode: string | undefined;
    if (res.status >= 400 && note.route !== 'health' && res.body !== undefined) {
      const text = typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('utf8');
      errorCode = /"error_code":"([^"]*)"/.exec(text)?.[1];
    }
    try {
      hook({
        method: req.method,
        route: note.route,
        target: req.target,
        status: res.status,
        seconds: (performance.now() - started) / 1000,
        principal: note.principal === undefined || note.principal.anonymous ? undefined : note.principal.name,
        anonymous: note.principal?.anonymous === true,
        remoteAddress: req.remoteAddress,
        apiRoot: note.apiRoot,
        collectionId: note.collectionId,
        items: res.items,
        errorCode,
      });
    } catch (err) {
      this.state.logger.error({ msg: 'onRequestDone hook failed', error: String(err) });
    }
  }

  /** A store failure the client can do nothing about but wait (disk full, read-only, database down) is a 503. */
  #failure(err: unknown): TaxiiResponse {
    const storage = storageFailure(err);
    if (storage === undefined) return this.internalError(err);
    this.state.logger.error({ msg: 'storage failure', errorCode: storage.errorCode, error: err instanceof Error ? err.message : String(err) });
    return this.#taxiiError(storage);
  }

  #taxiiError(err: TaxiiError): TaxiiResponse {
    const retryAfter = err.details?.['retry_after'];
    if ((err.httpStatus === 429 || err.httpStatus === 503) && typeof retryAfter === 'number') {
      return errorResponse(err, { 'retry-after': String(retryAfter) });
    }
    if (err.httpStatus === 401) return errorResponse(err, { 'www-authenticate': this.state.authenticator.challenge });
    if (err.httpStatus === 405) {
      const allow = (err.details?.['allow'] as string | undefined) ?? 'GET';
      return errorResponse(err, { allow });
    }
    return errorResponse(err);
  }

  #access(req: TaxiiRequest, res: TaxiiResponse, principal: Principal | undefined, started: number): void {
    const logger = this.state.logger;
    if (logger === silentLogger) return;
    logger.info({
      msg: 'request',
      method: req.method,
      path: req.target,
      status: res.status,
      ms: Math.round((performance.now() - started) * 1000) / 1000,
      bytes: res.body === undefined ? 0 : Buffer.byteLength(res.body),
      principal: principal === undefined ? null : principal.anonymous ? 'anonymous' : principal.name,
      remote: req.remoteAddress ?? null,
      userAgent: req.header('user-agent'),
    });
  }

  /** Accept negotiation, memoised: clients send the same few Accept headers on every request. */
  #negotiate(accept: string | null): ReturnType<typeof negotiateAccept> {
    const key = accept ?? '';
    let result = this.#acceptMemo.get(key);
    if (result === undefined) {
      result = negotiateAccept(accept);
      if (this.#acceptMemo.size >= 256) this.#acceptMemo.clear();
      this.#acceptMemo.set(key, result);
    }
    return result;
  }

  #rateLimited(seconds: number, what = 'too many requests'): TaxiiError {
    return new TaxiiError(429, `${what}; retry after ${seconds} s`, { errorCode: 'rate-limited', details: { retry_after: seconds } });
  }

  /** Hands a security event to `hooks.onSecurityEvent` (metrics, alerting); a throwing hook is logged, never fatal. */
  #notify(event: SecurityEvent): void {
    const hook = this.state.hooks.onSecurityEvent;
    if (hook === undefined) return;
    try {
      hook(event);
    } catch (err) {
      this.state.logger.error({ msg: 'onSecurityEvent hook failed', error: String(err) });
    }
  }

  #unauthorized(description = 'authentication is required'): TaxiiError {
    return new TaxiiError(401, description, { errorCode: 'unauthorized' });
  }

  /** Authenticates and rate-limits one request; throws 401/429 as `TaxiiError`. */
  async #authenticate(req: TaxiiRequest): Promise<Principal> {
    const state = this.state;
    const remote = req.remoteAddress ?? '';
    const outcome = await state.authenticator.authenticate(
      {
        authorization: req.header('authorization'),
        apiKey: state.authenticator.apiKeyHeader === undefined ? null : req.header(state.authenticator.apiKeyHeader),
        clientCertificate: req.clientCertificate,
      },
      remote,
    );
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        const { reason, retryAfterSeconds } = outcome.refusal;
        this.#notify({ kind: reason === 'busy' ? 'login-busy' : 'login-throttled', reason, remoteAddress: remote, user: outcome.user, retryAfterSeconds });
        if (reason === 'busy') {
          throw new TaxiiError(503, `the server is busy checking other credentials; retry after ${retryAfterSeconds} s`, {
            errorCode: 'login-busy',
            details: { retry_after: retryAfterSeconds },
          });
        }
        throw this.#rateLimited(retryAfterSeconds, 'too many failed logins');
      }
      if (outcome.reason === 'invalid') {
        // the user name tried is what an operator needs to tell a forgotten password from a guessing attack
        state.logger.warn({ msg: 'authentication failed', user: outcome.user ?? null, remote });
        this.#notify({ kind: 'auth-failed', remoteAddress: remote, user: outcome.user });
      }
      throw this.#unauthorized(outcome.reason === 'missing' ? 'authentication is required' : 'the credentials were not accepted');
    }
    const principal = outcome.principal;
    const verdict = state.rateLimiter?.take(principal.anonymous ? `a\u0000${remote}` : `p\u0000${principal.name}`);
    if (verdict !== undefined && !verdict.ok) {
      this.#notify({ kind: 'rate-limited', remoteAddress: remote, principal: principal.anonymous ? undefined : principal.name, retryAfterSeconds: verdict.retryAfterSeconds });
      throw this.#rateLimited(verdict.retryAfterSeconds);
    }
    return principal;
  }

  async #dispatch(req: TaxiiRequest, time: number, note: RequestNote): Promise<TaxiiResponse> {
    const state = this.state;
    const q = req.target.indexOf('?');
    let path = q === -1 ? req.target : req.target.slice(0, q);
    const query = q === -1 ? '' : req.target.slice(q + 1);
    if (state.basePath !== '') {
      if (path !== state.basePath && !path.startsWith(state.basePath + '/')) throw notFound();
      path = path.slice(state.basePath.length) || '/';
    }
    for (const mount of this.#mounts) {
      if (path === mount.prefix.slice(0, -1)) return redirect(`${state.basePath}${mount.prefix}${q === -1 ? '' : req.target.slice(q)}`);
      if (path.startsWith(mount.prefix)) {
        note.route = 'mount';
        return mount.handle(req, {
          state,
          path: path.slice(mount.prefix.length),
          query,
          authenticate: async () => {
            const p = await this.#authenticate(req);
            note.principal = p;
            return p;
          },
        });
      }
    }
    const match = matchRoute(path);
    if (match === undefined) throw new TaxiiError(404, 'no TAXII endpoint at this path; discovery is at /taxii2/', { errorCode: 'not-found' });
    note.route = match.kind;
    note.apiRoot = match.apiRoot;
    const allowed = ALLOWED_METHODS[match.kind];
    if (!allowed.includes(req.method)) {
      throw new TaxiiError(405, `${req.method} is not supported here; use ${allowed.join(', ')}`, {
        errorCode: 'method-not-allowed',
        details: { allow: allowed.join(', ') },
      });
    }
    const negotiation = this.#negotiate(req.header('accept'));
    if (!negotiation.acceptable) {
      throw new TaxiiError(406, negotiation.reason, { errorCode: 'not-acceptable', details: { accept: req.header('accept') ?? '' } });
    }

    const principal = await this.#authenticate(req);
    note.principal = principal;

    if (match.kind === 'discovery') return getDiscovery(state, req);
    const root = state.roots.get(match.apiRoot as string);
    if (root === undefined) {
      if (principal.anonymous) throw this.#unauthorized();
      throw notFound('the API root');
    }
    const ctx: RouteContext = { state, req, match, query, principal, root };
    switch (match.kind) {
      case 'api-root':
        return getApiRoot(ctx);
      case 'status':
        return getStatus(ctx);
      case 'collections':
        return getCollections(ctx);
      default:
        return this.#collectionRoute(ctx, match, time, note);
    }
  }

  async #collectionRoute(ctx: RouteContext, match: RouteMatch, time: number, note: RequestNote): Promise<TaxiiResponse> {
    const collection = ctx.root.byKey.get(match.collection as string);
    const rights =
      collection === undefined
        ? { canRead: false, canWrite: false }
        : ctx.state.rights.get(ctx.principal.name, ctx.root.path, collection.id);
    if (collection === undefined || !(rights.canRead || rights.canWrite)) {
      // Hidden and missing collections look the same. Anonymous callers are invited to authenticate instead.
      if (ctx.principal.anonymous) throw this.#unauthorized();
      throw notFound('the collection');
    }
    note.collectionId = collection.id;
    const cctx: CollectionContext = { ...ctx, collection, rights };
    switch (match.kind) {
      case 'collection':
        return json(200, collectionResource(collection, rights));
      case 'manifest':
        return getManifest(cctx);
      case 'objects':
        return ctx.req.method === 'POST' ? postObjects(cctx, time) : getObjects(cctx, 'objects');
      case 'object':
        return ctx.req.method === 'DELETE' ? deleteObject(cctx) : getObjects(cctx, 'object');
      case 'versions':
        return getVersions(cctx);
      default:
        throw notFound();
    }
  }
}

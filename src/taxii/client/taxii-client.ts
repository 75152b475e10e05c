import type { Dispatcher } from 'undici';
import type { ApiRoot, Collection, Discovery, Status } from '../protocol/resources.js';
import { TaxiiApiRoot } from './api-root.js';
import { resolveAuth, splitUrlCredentials } from './auth.js';
import type { TaxiiAuth, TaxiiTlsOptions } from './auth.js';
import type { TaxiiCollection } from './collection.js';
import type { CallOptions, ClientContext, WaitOptions } from './context.js';
import { getResource, requireBody } from './context.js';
import { TaxiiClientUsageError } from './errors.js';
import { checkDiscovery } from './responses.js';
import { DEFAULT_PAGE_LIMIT } from './query.js';
import { retryPolicy } from './retry.js';
import type { RetryOptions } from './retry.js';
import type { SyncOptions, SyncRun } from './sync.js';
import { Transport } from './transport.js';
import type { ClientEvent, TimeoutOptions } from './transport.js';
import { displayUrl, isDiscoveryUrl, parseBaseUrl, resolveApiRootUrl } from './urls.js';
import type { ValidationOptions } from './validation.js';
import { DEFAULT_USER_AGENT } from './version.js';

/** Options of {@link TaxiiClient}. Give `url` (an API root), `discoveryUrl`, or both. */
export interface TaxiiClientOptions extends ValidationOptions {
  /**
   * The API root to work with, e.g. `https://intel.example.org/api1/` (the trailing slash may be omitted). A URL whose
   * last segment is `taxii2` is taken as a discovery URL. Credentials in the URL become Basic auth and are removed.
   */
  readonly url?: string | URL;
  /** The discovery endpoint, e.g. `https://intel.example.org/taxii2/`; its `default` API root is used when `url` is absent. */
  readonly discoveryUrl?: string | URL;
  /** Credentials: one scheme, or a certificate plus one header scheme. */
  readonly auth?: TaxiiAuth | readonly TaxiiAuth[];
  readonly tls?: TaxiiTlsOptions;
  /** Extra headers sent with every request (not for credentials: use `auth`, which is never logged). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `distill-intel/<version>`. */
  readonly userAgent?: string;
  readonly timeouts?: TimeoutOptions;
  /** Retry policy, or `false` for none. */
  readonly retry?: RetryOptions | false;
  /** Keep-alive connections per origin (default 4). */
  readonly connections?: number;
  /** Idle keep-alive socket lifetime in ms (default 4 000). */
  readonly keepAliveTimeoutMs?: number;
  /** Largest response body accepted, in bytes (default 64 MiB). */
  readonly maxResponseBytes?: number;
  /** Your own undici dispatcher (e.g. a `ProxyAgent`); `tls`, `connections` and `timeouts.connectMs` then do not apply. */
  readonly dispatcher?: Dispatcher;
  /** Receives request, response and retry events (never credentials or bodies). */
  readonly onEvent?: (event: ClientEvent) => void;
  /** Pages in a row that bring no new object before `paging-stalled` (default 3). */
  readonly maxStalledPages?: number;
  /**
   * `limit` sent with every page request whose caller gave none (default {@link DEFAULT_PAGE_LIMIT}, 1000). A limit is
   * always sent, on the first request and with every `next`, since some servers (medallion) fail without one.
   */
  readonly pageLimit?: number;
  /** Default of `PageOptions.prefetch`: fetch one page ahead during listings (default false: one page in memory). */
  readonly prefetch?: boolean;
  /** Defaults of `waitForStatus` and `addObjects` polling. */
  readonly statusPolling?: Omit<WaitOptions, 'signal'>;
}

/** The discovery resource with its API root URLs resolved. */
export interface DiscoveryInfo extends Discovery {
  /** `api_roots` as absolute URLs (relative entries resolved against the server), trailing slash ensured. */
  readonly apiRootUrls: readonly URL[];
  /** `default` as an absolute URL, when present. */
  readonly defaultApiRootUrl: URL | undefined;
}

/**
 * A TAXII 2.1 client on undici: discovery, API roots, collections, paged listings as async iterables, add objects with
 * envelope splitting and status polling, resumable sync. Methods not taking an API root work on the default one
 * (`url`, else discovery's `default`).
 *
 * ```ts
 * const client = new TaxiiClient({ url: 'https://hub.example.org/api1/', auth: { type: 'basic', username, password } });
 * for await (const obj of client.collection('shared-indicators').objects({ match: { type: 'indicator' } })) use(obj);
 * await client.close();
 * ```
 */
export class TaxiiClient {
  readonly #ctx: ClientContext;
  readonly #transport: Transport;
  readonly #discoveryUrl: URL | undefined;
  readonly #rootUrl: URL | undefined;
  readonly #defaultRoot: TaxiiApiRoot;
  #discovery: Promise<DiscoveryInfo> | undefined;

  constructor(options: TaxiiClientOptions) {
    let rootUrl = options.url === undefined ? undefined : parseBaseUrl('url', options.url);
    let discoveryUrl = options.discoveryUrl === undefined ? undefined : parseBaseUrl('discoveryUrl', options.discoveryUrl);
    if (rootUrl !== undefined && isDiscoveryUrl(rootUrl) && discoveryUrl === undefined) {
      discoveryUrl = rootUrl;
      rootUrl = undefined;
    }
    if (rootUrl === undefined && discoveryUrl === undefined) {
      throw new TaxiiClientUsageError('url', 'give the API root url, the discoveryUrl, or both');
    }
    let urlAuth: TaxiiAuth | undefined;
    if (rootUrl !== undefined) {
      const split = splitUrlCredentials(rootUrl);
      rootUrl = split.url;
      urlAuth = split.auth;
    }
    if (discoveryUrl !== undefined) {
      const split = splitUrlCredentials(discoveryUrl);
      discoveryUrl = split.url;
      urlAuth ??= split.auth;
    }
    const auth = resolveAuth(options.auth ?? urlAuth);
    this.#transport = new Transport({
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      auth,
      tls: options.tls,
      headers: options.headers,
      timeouts: options.timeouts,
      retry: retryPolicy(options.retry),
      connections: options.connections,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      dispatcher: options.dispatcher,
      onEvent: options.onEvent,
    });
    if (rootUrl !== undefined) this.#transport.trust(rootUrl);
    if (discoveryUrl !== undefined) this.#transport.trust(discoveryUrl);
    this.#rootUrl = rootUrl;
    this.#discoveryUrl = discoveryUrl;
    this.#ctx = {
      transport: this.#transport,
      validation: {
        ...(options.validate !== undefined ? { validate: options.validate } : {}),
        ...(options.onInvalid !== undefined ? { onInvalid: options.onInvalid } : {}),
        ...(options.onDiagnostics !== undefined ? { onDiagnostics: options.onDiagnostics } : {}),
      },
      maxStalledPages: options.maxStalledPages ?? 3,
      pageLimit: pageLimitOf(options.pageLimit),
      prefetch: options.prefetch ?? false,
      wait: { intervalMs: options.statusPolling?.intervalMs ?? 1_000, timeoutMs: options.statusPolling?.timeoutMs ?? 60_000 },
    };
    this.#defaultRoot = new TaxiiApiRoot(this.#ctx, rootUrl ?? (() => this.#defaultRootUrl()));
  }

  /**
   * The discovery resource (§4.1), cached after the first success.
   *
   * @throws TaxiiClientUsageError when the client has no discovery URL.
   */
  discover(options: CallOptions & { readonly refresh?: boolean } = {}): Promise<DiscoveryInfo> {
    if (this.#discovery === undefined || options.refresh === true) {
      const pending = this.#fetchDiscovery(options.signal);
      this.#discovery = pending;
      pending.catch(() => {
        if (this.#discovery === pending) this.#discovery = undefined;
      });
    }
    return this.#discovery;
  }

  async #fetchDiscovery(signal: AbortSignal | undefined): Promise<DiscoveryInfo> {
    const url = this.#discoveryUrl;
    if (url === undefined) throw new TaxiiClientUsageError('discoveryUrl', 'discovery needs a discoveryUrl (or a url ending in /taxii2/)');
    const res = await getResource(this.#ctx, url, [], signal);
    const discovery = checkDiscovery({ url: displayUrl(res.url), status: res.status }, requireBody(res));
    const apiRootUrls = (discovery.api_roots ?? []).map((entry) => resolveApiRootUrl(res.url, entry));
    const defaultApiRootUrl = discovery.default === undefined ? undefined : resolveApiRootUrl(res.url, discovery.default);
    // The discovery server vouches for its API roots: credentials may go there (and nowhere else).
    for (const u of apiRootUrls) this.#transport.trust(u);
    if (defaultApiRootUrl !== undefined) this.#transport.trust(defaultApiRootUrl);
    return { ...discovery, apiRootUrls, defaultApiRootUrl };
  }

  async #defaultRootUrl(): Promise<URL> {
    const d = await this.discover();
    if (d.defaultApiRootUrl !== undefined) return d.defaultApiRootUrl;
    if (d.apiRootUrls.length === 1) return d.apiRootUrls[0] as URL;
    throw new TaxiiClientUsageError(
      'url',
      `discovery lists ${d.apiRootUrls.length} API roots and no default: pass url, or pick one with apiRoot(url) / apiRoots()`,
    );
  }

  /** Handles on every API root discovery lists. */
  async apiRoots(options: CallOptions = {}): Promise<TaxiiApiRoot[]> {
    const d = await this.discover(options);
    return d.apiRootUrls.map((u) => new TaxiiApiRoot(this.#ctx, u));
  }

  /**
   * A handle on an API root: the default one, or the one at `url` (absolute, or relative to the discovery server).
   * Credentials are sent to a root on another origin only if discovery listed it.
   */
  apiRoot(url?: string | URL): TaxiiApiRoot {
    if (url === undefined) return this.#defaultRoot;
    const base = this.#discoveryUrl ?? this.#rootUrl;
    const resolved = typeof url === 'string' && base !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? resolveApiRootUrl(base, url) : parseBaseUrl('url', url);
    return new TaxiiApiRoot(this.#ctx, resolved);
  }

  /** The default API root's information (§4.2): `versions`, `max_content_length`... */
  information(options: CallOptions & { readonly refresh?: boolean } = {}): Promise<ApiRoot> {
    return this.#defaultRoot.information(options);
  }

  /** Collections of the default API root. */
  collections(options: CallOptions = {}): Promise<Collection[]> {
    return this.#defaultRoot.collections(options);
  }

  /** A collection of the default API root, by id or alias. */
  collection(idOrAlias: string): TaxiiCollection {
    return this.#defaultRoot.collection(idOrAlias);
  }

  /** A status resource of the default API root. */
  status(statusId: string, options: CallOptions = {}): Promise<Status> {
    return this.#defaultRoot.status(statusId, options);
  }

  /** Polls a status of the default API root until complete. */
  waitForStatus(status: Status | string, options: WaitOptions = {}): Promise<Status> {
    return this.#defaultRoot.waitForStatus(status, options);
  }

  /** Resumable sync of a collection (a handle, or an id/alias of the default root). See `SyncRun`. */
  sync(collection: TaxiiCollection | string, options: SyncOptions = {}): SyncRun {
    const c = typeof collection === 'string' ? this.collection(collection) : collection;
    return c.sync(options);
  }

  /** Closes keep-alive connections. The client cannot be used afterwards. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  /** Shown by `console.log`: never the credentials. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `TaxiiClient { url: ${this.#rootUrl?.href ?? '(from discovery)'}, discoveryUrl: ${this.#discoveryUrl?.href ?? '(none)'} }`;
  }

  toJSON(): Record<string, string | undefined> {
    return { url: this.#rootUrl?.href, discoveryUrl: this.#discoveryUrl?.href };
  }
}

function pageLimitOf(value: number | undefined): number {
  if (value === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TaxiiClientUsageError('pageLimit', `must be a positive integer, got ${value}`);
  return value;
}

import { Agent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import { parseMediaType } from '../protocol/media-types.js';
import type { TaxiiErrorResource } from '../protocol/resources.js';
import type { ResolvedAuth, TaxiiTlsOptions } from './auth.js';
import { TaxiiHttpError, TaxiiNetworkError, TaxiiProtocolError } from './errors.js';
import type { NetworkFailure } from './errors.js';
import { delayAfterStatus, backoffDelay, parseRetryAfter, sleep } from './retry.js';
import type { RetryPolicy } from './retry.js';
import { displayUrl } from './urls.js';

/** Timeouts of one request, in milliseconds. */
export interface TimeoutOptions {
  /** Opening the TCP/TLS connection (default 10 000). */
  readonly connectMs?: number;
  /** From sending the request to receiving all response headers (default 60 000). */
  readonly headersMs?: number;
  /** Longest silence between two chunks of a response body (default 60 000): catches stalled bodies. */
  readonly bodyMs?: number;
}

/** Something the client did, for logs and metrics. Never carries credentials or bodies. */
export type ClientEvent =
  | { readonly type: 'request'; readonly method: string; readonly url: string; readonly attempt: number }
  | {
      readonly type: 'response';
      readonly method: string;
      readonly url: string;
      readonly attempt: number;
      readonly status: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'retry';
      readonly method: string;
      readonly url: string;
      /** The attempt that failed (1 = first). */
      readonly attempt: number;
      readonly delayMs: number;
      /** `HTTP 503`, `ECONNRESET`, `UND_ERR_BODY_TIMEOUT`... */
      readonly reason: string;
    };

/** Settings of {@link Transport}. */
export interface TransportSettings {
  readonly userAgent: string;
  readonly auth: ResolvedAuth;
  readonly tls?: TaxiiTlsOptions | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly timeouts?: TimeoutOptions | undefined;
  readonly retry: RetryPolicy;
  /** Connections per origin (default 4). */
  readonly connections?: number | undefined;
  /** How long an idle keep-alive socket is kept (default 4 000 ms, under common server timeouts of 5 s). */
  readonly keepAliveTimeoutMs?: number | undefined;
  /** Largest response body read (default 64 MiB); a page larger than this is an error, not an out-of-memory crash. */
  readonly maxResponseBytes?: number | undefined;
  /** Bring your own undici dispatcher (proxy agents, mocks); `tls`, `connections` and `timeouts.connectMs` then do not apply. */
  readonly dispatcher?: Dispatcher | undefined;
  readonly onEvent?: ((event: ClientEvent) => void) | undefined;
}

/** One HTTP exchange the client wants. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly accept: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal | undefined;
  /** Per-call override of `retry.retryPost`. */
  readonly retryPost?: boolean | undefined;
}

/** A successful (2xx) response with its JSON body parsed. */
export interface HttpResponse {
  readonly status: number;
  /** The URL finally answered (after same-origin redirects). */
  readonly url: URL;
  header(name: string): string | undefined;
  /** Parsed JSON body; `undefined` when the body was empty. */
  readonly body: unknown;
  /** The body as received (UTF-8 decoded); `''` when it was empty. */
  readonly text: string;
}

const DEFAULT_MAX_RESPONSE = 64 * 1024 * 1024;
const MAX_ERROR_BODY = 256 * 1024;
const MAX_REDIRECTS = 5;

/** Failures where the request certainly never reached the server, so even a POST may be sent again. */
const NOT_SENT: ReadonlySet<NetworkFailure> = new Set(['connect', 'connect-timeout']);

/**
 * Bytes a socket had read when it failed, for errors the socket emitted itself (ECONNRESET, EPIPE), which carry no
 * socket details; undici's own SocketError carries them in `socket`.
 */
const readBeforeError = new WeakMap<object, number>();

/**
 * A failure that rejected the request before its response head arrived (the dispatcher had not resolved), with what
 * the connection had read by then.
 */
class BeforeResponse {
  constructor(readonly cause: unknown) {}

  /**
   * Whether the connection had carried an earlier exchange: it had read bytes before this request's response began.
   * That is the keep-alive race: the server closed a pooled connection as idle while the request was on its way,
   * and answered it with a reset or a close instead of a response.
   */
  get onReusedConnection(): boolean {
    const cause = this.cause;
    if (cause === null || typeof cause !== 'object') return false;
    const known = readBeforeError.get(cause);
    if (known !== undefined) return known > 0;
    const socket = (cause as { socket?: { bytesRead?: unknown } }).socket;
    return typeof socket?.bytesRead === 'number' && socket.bytesRead > 0;
  }
}
const RETRYABLE: ReadonlySet<NetworkFailure> = new Set(['connect', 'connect-timeout', 'headers-timeout', 'body-timeout', 'connection-lost']);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies a network-level error. */
export function classifyNetworkError(err: unknown): NetworkFailure {
  const code = errorCode(err) ?? '';
  switch (code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
      return 'connect';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect-timeout';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'headers-timeout';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'body-timeout';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'connection-lost';
  }
  if (/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|UNABLE_TO|SELF_SIGNED|ERR_OSSL)/.test(code)) return 'tls';
  return 'other';
}

/** True for `application/taxii+json` (or its deprecated `vnd.oasis` alias) with version 2.1 or none, and plain JSON. */
export function isTaxiiJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return true; // tolerated: the body is still checked as JSON and as a resource
  const mt = parseMediaType(contentType);
  if (mt === undefined || mt.type !== 'application') return false;
  if (mt.subtype === 'taxii+json' || mt.subtype === 'vnd.oasis.taxii+json') {
    const v = mt.params['version'];
    return v === undefined || v === '2.1';
  }
  return mt.subtype === 'json';
}

type Headers = Record<string, string | string[] | undefined>;

function headerOf(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

async function readBody(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

function toErrorResource(value: unknown): TaxiiErrorResource | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v['title'] !== 'string') return undefined;
  return v as unknown as TaxiiErrorResource;
}

class RetryableStatus {
  constructor(readonly error: TaxiiHttpError) {}
}

/**
 * HTTP on undici: a keep-alive `Agent` (one `Pool` per origin), timeouts, `AbortSignal`, bounded bodies, retries with
 * backoff, same-origin redirects, and mapping of every failure to a typed error. Credentials are sent only to the
 * origins the client was configured with or that its discovery resource listed.
 */
export class Transport {
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #settings: TransportSettings;
  readonly #baseHeaders: Readonly<Record<string, string>>;
  // Kept apart from #baseHeaders so it is added only for trusted origins and never appears anywhere else.
  readonly #authHeader: { readonly name: string; readonly value: string } | undefined;
  readonly #trustedOrigins = new Set<string>();
  readonly #maxResponseBytes: number;

  constructor(settings: TransportSettings) {
    this.#settings = settings;
    this.#authHeader = settings.auth.header;
    this.#maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(settings.headers ?? {})) headers[k.toLowerCase()] = v;
    headers['user-agent'] = settings.userAgent;
    this.#baseHeaders = headers;
    if (settings.dispatcher !== undefined) {
      this.#dispatcher = settings.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const tls = settings.tls ?? {};
      const cert = settings.auth.certificate;
      const t = settings.timeouts ?? {};
      const connect = buildConnector({
        timeout: t.connectMs ?? 10_000,
        minVersion: tls.minVersion ?? 'TLSv1.2',
        ...(tls.ca !== undefined ? { ca: tls.ca as string | Buffer | (string | Buffer)[] } : {}),
        ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
        ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
        ...(cert !== undefined ? { cert: cert.cert, key: cert.key, ...(cert.passphrase !== undefined ? { passphrase: cert.passphrase } : {}) } : {}),
      });
      this.#dispatcher = new Agent({
        connections: settings.connections ?? 4,
        keepAliveTimeout: settings.keepAliveTimeoutMs ?? 4_000,
        headersTimeout: t.headersMs ?? 60_000,
        bodyTimeout: t.bodyMs ?? 60_000,
        connect: (options, callback) =>
          connect(options, (err, socket) => {
            // Registered before undici's own listener, so the error is marked before undici hands it to the request.
            socket?.on('error', (e: unknown) => {
              if (e !== null && typeof e === 'object') readBeforeError.set(e, socket.bytesRead);
            });
            if (err === null) callback(null, socket as NonNullable<typeof socket>);
            else callback(err, null);
          }),
      });
      this.#ownsDispatcher = true;
    }
  }

  /** Allows credentials to be sent to `url`'s origin. */
  trust(url: URL): void {
    this.#trustedOrigins.add(url.origin);
  }

  /** Closes idle connections and the agent (only when the transport created it). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #emit(event: ClientEvent): void {
    const listener = this.#settings.onEvent;
    if (listener === undefined) return;
    try {
      listener(event);
    } catch {
      // A faulty logger must not break a pull.
    }
  }

  #headersFor(req: HttpRequest, url: URL): Record<string, string> {
    const headers: Record<string, string> = { ...this.#baseHeaders, accept: req.accept };
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    if (this.#authHeader !== undefined && this.#trustedOrigins.has(url.origin)) headers[this.#authHeader.name] = this.#authHeader.value;
    return headers;
  }

  /**
   * Sends a request, retrying as the policy allows, and returns the 2xx response with its JSON body parsed.
   *
   * @throws TaxiiHttpError for 4xx/5xx (after retries), TaxiiNetworkError when the network failed after retries,
   *   TaxiiProtocolError when a 2xx body is not TAXII JSON, or the signal's reason when it aborts.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const policy = this.#settings.retry;
    const isPost = req.method === 'POST';
    const retryPost = req.retryPost ?? policy.retryPost;
    let attempt = 0;
    for (;;) {
      attempt++;
      req.signal?.throwIfAborted();
      try {
        return await this.#once(req, attempt);
      } catch (err) {
        if (req.signal?.aborted === true) throw req.signal.reason;
        const shown = displayUrl(req.url);
        if (err instanceof RetryableStatus) {
          const delay = !isPost || retryPost ? delayAfterStatus(attempt, err.error.retryAfterMs, policy) : undefined;
          if (delay === undefined) throw err.error;
          this.#emit({ type: 'retry', method: req.method, url: shown, attempt, delayMs: delay, reason: `HTTP ${err.error.httpStatus}` });
          await sleep(delay, req.signal);
          continue;
        }
        if (err instanceof TaxiiHttpError || err instanceof TaxiiProtocolError) throw err;
        const early = err instanceof BeforeResponse ? err : undefined;
        const cause = early === undefined ? err : early.cause;
        const failure = classifyNetworkError(cause);
        // A POST is sent again without retryPost only when it cannot have been processed twice to any effect: the
        // connection never opened, or a pooled connection was closed by the server before any of the response came
        // (the keep-alive race). The POSTs this client makes are envelopes of STIX objects, which the server keeps by
        // id and version: a re-sent object already stored is reported as success, never stored twice (TAXII 2.1 §5.5).
        const raceLost = failure === 'connection-lost' && early?.onReusedConnection === true;
        const allowed = RETRYABLE.has(failure) && (!isPost || retryPost || NOT_SENT.has(failure) || raceLost);
        if (!allowed || attempt > policy.retries) {
          throw new TaxiiNetworkError(failure, { method: req.method, url: shown, attempts: attempt, cause });
        }
        const delay = raceLost ? 0 : backoffDelay(attempt, policy);
        this.#emit({ type: 'retry', method: req.method, url: shown, attempt, delayMs: delay, reason: errorCode(cause) ?? failure });
        await sleep(delay, req.signal);
      }
    }
  }

  async #once(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    let url = req.url;
    for (let redirects = 0; ; redirects++) {
      const shown = displayUrl(url);
      this.#emit({ type: 'request', method: req.method, url: shown, attempt });
      const started = performance.now();
      const t = this.#settings.timeouts ?? {};
      let res: Dispatcher.ResponseData;
      try {
        res = await this.#dispatcher.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: req.method,
          headers: this.#headersFor(req, url),
          ...(req.body !== undefined ? { body: req.body } : {}),
          ...(req.signal !== undefined ? { signal: req.signal } : {}),
          headersTimeout: t.headersMs ?? 60_000,
          bodyTimeout: t.bodyMs ?? 60_000,
        });
      } catch (err) {
        throw new BeforeResponse(err);
      }
      const status = res.statusCode;
      const headers = res.headers as Headers;
      const location = headerOf(headers, 'location');
      if (status >= 300 && status < 400 && [301, 302, 303, 307, 308].includes(status) && location !== undefined) {
        await res.body.dump();
        const target = new URL(location, url);
        // Only same-origin GETs are followed: credentials must not travel to a host the user did not name, and a
        // redirected POST would need its body re-sent under rules servers disagree on.
        if (req.method !== 'GET' || target.origin !== url.origin || redirects >= MAX_REDIRECTS) {
          throw new TaxiiHttpError(status, { method: req.method, url: shown });
        }
        url = target;
        continue;
      }
      const limit = status >= 200 && status < 300 ? this.#maxResponseBytes : MAX_ERROR_BODY;
      const raw = await readBody(res.body, limit);
      this.#emit({ type: 'response', method: req.method, url: shown, attempt, status, durationMs: performance.now() - started });
      if (status < 200 || status >= 300) throw this.#httpError(req, shown, status, headers, raw);
      if (raw === undefined) {
        throw new TaxiiProtocolError('response-too-large', `response body larger than maxResponseBytes (${limit})`, {
          url: shown,
          httpStatus: status,
        });
      }
      const contentType = headerOf(headers, 'content-type');
      if (raw.length > 0 && !isTaxiiJson(contentType)) {
        throw new TaxiiProtocolError(
          'unexpected-content-type',
          `expected application/taxii+json;version=2.1 but the server answered ${status} with Content-Type "${contentType ?? ''}"`,
          { url: shown, httpStatus: status },
        );
      }
      let body: unknown;
      const text = raw.toString('utf8');
      if (raw.length > 0) {
        try {
          body = JSON.parse(text);
        } catch (err) {
          throw new TaxiiProtocolError('invalid-json', `the ${status} response body is not JSON`, { url: shown, httpStatus: status, cause: err });
        }
      }
      return { status, url, header: (name) => headerOf(headers, name), body, text };
    }
  }

  #httpError(req: HttpRequest, shown: string, status: number, headers: Headers, raw: Buffer | undefined): TaxiiHttpError | RetryableStatus {
    let resource: TaxiiErrorResource | undefined;
    if (raw !== undefined && raw.length > 0) {
      try {
        resource = toErrorResource(JSON.parse(raw.toString('utf8')));
      } catch {
        // HTML or text error pages carry no TAXII error resource.
      }
    }
    const retryAfterMs = parseRetryAfter(headerOf(headers, 'retry-after'));
    const error = new TaxiiHttpError(status, { method: req.method, url: shown, resource, retryAfterMs });
    return this.#settings.retry.statuses.includes(status) ? new RetryableStatus(error) : error;
  }
}

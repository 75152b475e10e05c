import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { TAXII_MEDIA_TYPE } from '../protocol/media-types.js';
import type { TLSSocket } from 'node:tls';
import type { ClientCertificateInfo } from './auth.js';
import type { TaxiiServerOptions } from './config.js';
import type { TaxiiRequest, TaxiiResponse } from './exchange.js';
import type { TaxiiHandler } from './handler.js';
import { createTaxiiHandler } from './handler.js';
import { ServerConfigError } from './errors.js';

/** A node:http request listener; also usable as Connect/Express middleware (it never calls `next`). */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

function isTls(req: IncomingMessage): boolean {
  return (req.socket as Partial<TLSSocket>).encrypted === true;
}

function peerCertificate(req: IncomingMessage): ClientCertificateInfo | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  // Only a certificate the TLS layer verified against the configured CAs identifies anyone.
  if (socket.encrypted !== true || socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (cert === null || typeof cert !== 'object' || typeof cert.fingerprint256 !== 'string') return undefined;
  const cn = cert.subject?.CN;
  return { fingerprint256: cert.fingerprint256, ...(typeof cn === 'string' ? { subject: cn } : {}) };
}

/**
 * Wraps a node request as the core's {@link TaxiiRequest}. The body iterator does not destroy the socket when the
 * core stops early, so a 413 can still be written; the unread rest is discarded and the connection closed after it.
 */
function toTaxiiRequest(req: IncomingMessage, res: ServerResponse): TaxiiRequest {
  // Express rewrites `req.url` under a mount point; `originalUrl` keeps what the client sent, which `basePath` expects.
  const target = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  // The origin is where the request actually arrived (the socket's local address), never the client's Host header:
  // it ends up in discovery URLs when neither a public URL nor a trusted proxy says otherwise.
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    target,
    // Only discovery and redirects read it: worked out on demand rather than on every request.
    get origin(): string {
      const local = req.socket.localAddress ?? '127.0.0.1';
      const host = `${local.includes(':') ? `[${local}]` : local}:${req.socket.localPort ?? 80}`;
      return `${isTls(req) ? 'https' : 'http'}://${host}`;
    },
    header(name: string): string | null {
      const v = req.headers[name];
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join(', ') : v;
    },
    body: () => req.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>,
    abandonBody(): void {
      res.setHeader('connection', 'close');
      req.resume();
    },
    clientCertificate: peerCertificate(req),
    remoteAddress: req.socket.remoteAddress,
  };
}

function writeResponse(req: IncomingMessage, res: ServerResponse, r: TaxiiResponse): void {
  const body = r.body;
  // An explicit length spares the chunked encoding (cheaper for both ends); HEAD announces the GET body's length.
  // All headers go through one writeHead call: Node writes such headers straight out, whereas headers set before
  // writeHead are validated and stored one by one first (measurable on a page served from the cache).
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (res.getHeaderNames().length === 0) res.writeHead(r.status, { ...r.headers, 'content-length': String(length) });
  else {
    res.setHeader('content-length', length);
    res.writeHead(r.status, r.headers as Record<string, string>);
  }
  if (body === undefined || req.method === 'HEAD') res.end();
  else res.end(body);
}

/**
 * The node:http adapter: runs the same core as the Web handler but skips building `Request`/`Response` objects and
 * writes the page text straight to the socket, which is what makes large pages cheap to serve.
 */
export function toNodeListener(handler: TaxiiHandler): NodeListener {
  const core = handler.core;
  const send = responseBatcher();
  return (req, res) => {
    core.handle(toTaxiiRequest(req, res)).then(
      (r) => send(req, res, r),
      (err: unknown) => {
        // core.handle answers every failure itself; reaching this means a bug, still answer in TAXII form.
        if (!res.headersSent) writeResponse(req, res, core.internalError(err));
        else res.destroy();
      },
    );
  };
}

/**
 * Holds the responses finished during one turn of the event loop and writes them together right after it (on
 * `setImmediate`, the same turn's check phase: no timer, no added poll). Each socket write wakes the client it goes
 * to; on a machine where clients and server share cores, writing as each answer is ready lets those clients preempt
 * the server between one request and the next, and the server resumes on cold caches. Batched, the server handles
 * every request that arrived in the turn first, then sends: measured here (bench/server.ts) about a third less CPU per
 * cached page, and higher throughput; no response waits for more than the rest of its own turn.
 */
function responseBatcher(): (req: IncomingMessage, res: ServerResponse, r: TaxiiResponse) => void {
  let queue: { req: IncomingMessage; res: ServerResponse; r: TaxiiResponse }[] = [];
  const flush = (): void => {
    const ready = queue;
    queue = [];
    for (const { req, res, r } of ready) {
      try {
        writeResponse(req, res, r);
      } catch {
        // A response that cannot be written (its socket already failed) must not keep the others from going out.
        res.destroy();
      }
    }
  };
  return (req, res, r) => {
    if (queue.push({ req, res, r }) === 1) setImmediate(flush);
  };
}

/** Node's parser and timeout errors, as the HTTP status and TAXII error code they are answered with. */
function clientErrorStatus(code: string | undefined): { status: number; title: string; errorCode: string; description: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, title: 'Request Header Fields Too Large', errorCode: 'headers-too-large', description: 'the request headers exceed the size this server accepts' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, title: 'Request Timeout', errorCode: 'request-timeout', description: 'the request was not received in time' };
  }
  return { status: 400, title: 'Bad Request', errorCode: 'bad-request', description: 'the request is not well-formed HTTP/1.1' };
}

/**
 * Answers errors Node detects before any handler runs (oversized headers, bad framing, timeouts) with a TAXII error
 * resource and the TAXII media type (§3.1), instead of Node's bodiless default, then closes the connection.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, title, errorCode, description } = clientErrorStatus(err.code);
  const body = JSON.stringify({ title, description, error_code: errorCode, http_status: String(status) });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\ncontent-type: ${TAXII_MEDIA_TYPE}\r\ncache-control: no-store\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** TLS settings of {@link createTaxiiServer}; PEM strings or buffers as node:tls takes them. */
export interface TaxiiTlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CAs that sign acceptable client certificates. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /**
   * `off` (default): no client certificates. `optional`: ask for one; a verified certificate identifies a principal,
   * requests without one authenticate otherwise. `required`: refuse TLS connections without a verified certificate.
   */
  readonly clientCertificates?: 'off' | 'optional' | 'required';
}

/**
 * Connection timeouts of {@link createTaxiiServer}: they bound how long a slow or stalled client (headers sent a
 * byte at a time, a body that trickles, a chunked body that never ends) can hold a connection. Node answers such a
 * client with 408 and closes the connection; nothing of its request reaches the store.
 */
export interface TaxiiServerTimeouts {
  /** Time allowed to receive the request headers (default 20 000 ms). */
  readonly headersMs?: number;
  /** Time allowed to receive the whole request, body included (default 120 000 ms; at least `headersMs`). */
  readonly requestMs?: number;
  /** How long an idle keep-alive connection is kept (default 5 000 ms). */
  readonly keepAliveMs?: number;
}

/** Defaults of {@link TaxiiServerTimeouts}. */
export const DEFAULT_TIMEOUTS: Required<TaxiiServerTimeouts> = Object.freeze({ headersMs: 20_000, requestMs: 120_000, keepAliveMs: 5_000 });

function resolveTimeouts(t: TaxiiServerTimeouts | undefined): Required<TaxiiServerTimeouts> & { checkMs: number } {
  const pick = (v: number | undefined, fallback: number, name: string): number => {
    if (v === undefined) return fallback;
    if (!Number.isSafeInteger(v) || v <= 0) throw new ServerConfigError([{ path: `/timeouts/${name}`, message: `${name} must be a positive integer (ms)` }]);
    return v;
  };
  const headersMs = pick(t?.headersMs, DEFAULT_TIMEOUTS.headersMs, 'headersMs');
  const requestMs = Math.max(headersMs, pick(t?.requestMs, DEFAULT_TIMEOUTS.requestMs, 'requestMs'));
  const keepAliveMs = pick(t?.keepAliveMs, DEFAULT_TIMEOUTS.keepAliveMs, 'keepAliveMs');
  // Node checks for expired requests on an interval (30 s by default), which would stretch short timeouts.
  const checkMs = Math.min(30_000, Math.max(100, Math.floor(headersMs / 4)));
  return { headersMs, requestMs, keepAliveMs, checkMs };
}

export interface CreateTaxiiServerOptions extends TaxiiServerOptions {
  readonly tls?: TaxiiTlsOptions;
  /** Connection timeouts against slow and stalled clients (see {@link TaxiiServerTimeouts}). */
  readonly timeouts?: TaxiiServerTimeouts;
  /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
  readonly shutdownTimeoutMs?: number;
}

/** A running (or ready-to-run) TAXII server on node:http or node:https. */
export interface TaxiiNodeServer {
  readonly server: Server;
  readonly handler: TaxiiHandler;
  /** Starts listening (port 0 = any free port); resolves with the base URL, e.g. `http://127.0.0.1:8021`. */
  listen(port?: number, host?: string): Promise<{ readonly url: string; readonly port: number; readonly host: string }>;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests (writes included) finish, closes idle
   * keep-alive connections, then stops the handler's timers. The store is the caller's to close.
   */
  close(): Promise<void>;
}

/** Creates an HTTP(S) server around {@link createTaxiiHandler}. */
export function createTaxiiServer(options: CreateTaxiiServerOptions): TaxiiNodeServer {
  const handler = createTaxiiHandler(options);
  const listener = toNodeListener(handler);
  const tls = options.tls;
  const timeouts = resolveTimeouts(options.timeouts);
  const http = { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkMs };
  let server: Server;
  if (tls !== undefined) {
    const mode = tls.clientCertificates ?? 'off';
    server = createHttpsServer(
      {
        ...http,
        key: tls.key,
        cert: tls.cert,
        ...(tls.ca !== undefined ? { ca: tls.ca as string | Buffer | (string | Buffer)[] } : {}),
        minVersion: 'TLSv1.2',
        requestCert: mode !== 'off',
        rejectUnauthorized: mode === 'required',
      },
      listener,
    ) as unknown as Server;
  } else {
    server = createHttpServer(http, listener);
  }
  server.on('clientError', answerClientError);
  // Keep-alive sockets outliving a benchmark or a test would hold the process open.
  server.keepAliveTimeout = timeouts.keepAliveMs;
  const scheme = tls !== undefined ? 'https' : 'http';
  let closing: Promise<void> | undefined;
  return {
    server,
    handler,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const addr = server.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve({ url: `${scheme}://${shownHost}:${addr.port}`, port: addr.port, host: addr.address });
        });
      });
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timeout = options.shutdownTimeoutMs ?? 10_000;
        await handler.core.drain(timeout);
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), 1_000);
        await stopped;
        clearTimeout(timer);
        await handler.close();
      })();
      return closing;
    },
  };
}

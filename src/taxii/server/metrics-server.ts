import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { verifySecret } from './secrets.js';

/** Where and how {@link startMetricsServer} serves `/metrics`. */
export interface MetricsServerOptions {
  readonly port: number;
  /** Interface (default 127.0.0.1: scrapers on the host or through a tunnel). */
  readonly host?: string;
  /** scrypt hash of a bearer token scrapers must send (`Authorization: Bearer <token>`); none: no authentication. */
  readonly tokenHash?: string;
}

/** A running metrics listener. */
export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the registry at `GET /metrics` on its own port, apart from the TAXII listener, so it can stay on a private
 * interface (and, with `tokenHash`, behind a token). Verified tokens are remembered for the process's life: a scraper
 * sends the same one every few seconds and scrypt is slow on purpose.
 */
export async function startMetricsServer(registry: Registry, options: MetricsServerOptions): Promise<MetricsServer> {
  const verified = new Set<string>();
  const allowed = async (authorization: string | undefined): Promise<boolean> => {
    if (options.tokenHash === undefined) return true;
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return false;
    if (verified.has(token)) return true;
    const ok = await verifySecret(token, options.tokenHash);
    if (ok) verified.add(token);
    return ok;
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics is served here\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('use GET\n');
      return;
    }
    allowed(req.headers.authorization)
      .then(async (ok) => {
        if (!ok) {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="distill-intel metrics"', 'content-type': 'text/plain' }).end('a bearer token is required\n');
          return;
        }
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

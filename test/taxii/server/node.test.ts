import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent, fetch as undiciFetch } from 'undici';
import { createTaxiiServer } from '../../../src/taxii/server/node.js';
import type { TaxiiNodeServer } from '../../../src/taxii/server/node.js';
import { MemoryStore } from '../../../src/taxii/store/memory.js';
import { AS, TAXII, fixtureOptions, hash, indicator, makeHandler } from './fixture.js';

function rawRequest(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('node:http adapter', () => {
  let server: TaxiiNodeServer;
  let url: string;
  beforeAll(async () => {
    server = createTaxiiServer(fixtureOptions(new MemoryStore()));
    ({ url } = await server.listen(0, '127.0.0.1'));
  });
  afterAll(async () => {
    await server.close();
  });

  it('behaves exactly like the Web handler (status, headers, bytes)', async () => {
    const objects = [indicator(), indicator()];
    const posted = await fetch(`${url}/api1/collections/rw/objects/`, {
      method: 'POST',
      headers: { accept: TAXII, 'content-type': TAXII, authorization: AS.alice },
      body: JSON.stringify({ objects }),
    });
    expect(posted.status).toBe(202);
    const viaNode = await fetch(`${url}/api1/collections/rw/objects/?limit=1`, { headers: { accept: TAXII, authorization: AS.alice } });
    const web = server.handler;
    const viaWeb = await web(new Request(`${url}/api1/collections/rw/objects/?limit=1`, { headers: { accept: TAXII, authorization: AS.alice } }));
    expect(viaNode.status).toBe(viaWeb.status);
    for (const h of ['content-type', 'x-taxii-date-added-first', 'x-taxii-date-added-last', 'cache-control']) {
      expect([h, viaNode.headers.get(h)]).toEqual([h, viaWeb.headers.get(h)]);
    }
    expect(await viaNode.text()).toBe(await viaWeb.text());
    const discovery = (await (await fetch(`${url}/taxii2/`, { headers: { authorization: AS.alice } })).json()) as Record<string, unknown>;
    expect(discovery['default']).toBe(`${url}/api1/`);
  });

  it('keeps headers an outer middleware set before the TAXII listener, and sends the exact body length', async () => {
    const { createServer } = await import('node:http');
    const { toNodeListener } = await import('../../../src/taxii/server/node.js');
    const listener = toNodeListener(server.handler);
    const outer = createServer((req, res) => {
      res.setHeader('x-frame-options', 'DENY');
      listener(req, res);
    });
    await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
    try {
      const port = (outer.address() as { port: number }).port;
      const res = await rawRequest(`http://127.0.0.1:${port}/api1/collections/rw/objects/?limit=1`, 'GET', { accept: TAXII, authorization: AS.alice });
      expect(res.status).toBe(200);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-type']).toBe(TAXII);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
      const bare = await rawRequest(`${url}/api1/collections/rw/objects/?limit=1`, 'GET', { accept: TAXII, authorization: AS.alice });
      expect(bare.headers['x-frame-options']).toBeUndefined();
      expect(Number(bare.headers['content-length'])).toBe(Buffer.byteLength(bare.body));
      expect(bare.body).toBe(res.body);
    } finally {
      await new Promise((resolve) => outer.close(resolve));
    }
  });

  it('builds discovery URLs from the listen address, never from the Host header', async () => {
    const res = await rawRequest(`${url}/taxii2/`, 'GET', { accept: TAXII, authorization: AS.alice, host: 'evil.example' });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { api_roots: string[] }).api_roots).toEqual([`${url}/api1/`, `${url}/api2/`]);
    expect(res.body).not.toContain('evil.example');
    // Forwarded headers count only with trustProxy.
    const fwd = await rawRequest(`${url}/taxii2/`, 'GET', { accept: TAXII, authorization: AS.alice, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect((JSON.parse(fwd.body) as { default: string }).default).toBe(`${url}/api1/`);
  });

  it('answers HEAD without a body', async () => {
    const res = await rawRequest(`${url}/api1/`, 'HEAD', { authorization: AS.alice });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(res.body).toBe('');
  });

  it('answers 413 from the declared Content-Length without reading the body', async () => {
    const body = Buffer.alloc(10_000, 32);
    const res = await rawRequest(`${url}/api1/collections/rw/objects/`, 'POST', { authorization: AS.alice, 'content-type': TAXII, 'content-length': String(body.length) }, body);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(JSON.parse(res.body)).toMatchObject({ http_status: '413' });
  });

  it('answers 413 to a chunked body once it passes the limit', async () => {
    const res = await rawRequest(`${url}/api1/collections/rw/objects/`, 'POST', { authorization: AS.alice, 'content-type': TAXII, 'transfer-encoding': 'chunked' }, Buffer.alloc(10_000, 32));
    expect(res.status).toBe(413);
  });

  it('writes every response with the TAXII content type, errors included', async () => {
    for (const [path, auth] of [['/nowhere/', AS.alice], ['/taxii2/', 'Basic eDp5'], ['/api1/collections/rw/objects/?limit=0', AS.alice]] as const) {
      const res = await fetch(url + path, { headers: { authorization: auth } });
      expect([path, res.headers.get('content-type')]).toEqual([path, TAXII]);
    }
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight write finish, then stops accepting connections', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => undefined;
    const inHook = new Promise<void>((r) => (entered = r));
    const store = new MemoryStore();
    const server = createTaxiiServer(
      fixtureOptions(store, {
        hooks: {
          onObjectsAdded: async () => {
            entered();
            await gate;
          },
        },
      }),
    );
    const { url } = await server.listen(0, '127.0.0.1');
    const pending = fetch(`${url}/api1/collections/rw/objects/`, {
      method: 'POST',
      headers: { accept: TAXII, 'content-type': TAXII, authorization: AS.alice, connection: 'close' },
      body: JSON.stringify({ objects: [indicator()] }),
    });
    await inHook;
    const closing = server.close();
    release();
    const res = await pending;
    expect(res.status).toBe(202);
    await closing;
    await expect(fetch(`${url}/taxii2/`)).rejects.toThrow();
    // The write was committed before the answer.
    const page = await store.queryObjects({ apiRoot: 'api1', collectionId: '2f1e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b' }, { versions: ['last'] }, 10);
    expect(page.rows).toHaveLength(1);
  });

  it('answers 503 to requests the core receives after close()', async () => {
    const h = makeHandler();
    await h.close();
    const res = await h(new Request('http://x/taxii2/', { headers: { authorization: AS.alice } }));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe(TAXII);
  });
});

describe('TLS with client certificates', () => {
  let dir: string;
  const pem = (name: string): string => readFileSync(join(dir, name), 'utf8');
  let fingerprint: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'taxii-tls-'));
    const ssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 20_000 });
    };
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=sensor-1');
    ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2');
    const out = execFileSync('openssl', ['x509', '-in', 'client.crt', '-noout', '-fingerprint', '-sha256'], { cwd: dir, encoding: 'utf8' });
    fingerprint = out.trim().split('=')[1] as string;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(mode: 'optional' | 'required'): Promise<{ server: TaxiiNodeServer; url: string }> {
    const server = createTaxiiServer({
      ...fixtureOptions(new MemoryStore(), {
        auth: {
          principals: [
            { name: 'sensor', certificateFingerprints: [fingerprint], canRead: ['*'] },
            { name: 'alice', passwordHash: hash('pw'), canRead: ['*'] },
          ],
        },
      }),
      tls: { key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), clientCertificates: mode },
    });
    const { url } = await server.listen(0, '127.0.0.1');
    return { server, url };
  }

  it('identifies a principal by its certificate; others authenticate as usual', async () => {
    const { server, url } = await start('optional');
    try {
      expect(url.startsWith('https://')).toBe(true);
      const withCert = new Agent({ connect: { ca: pem('ca.crt'), cert: pem('client.crt'), key: pem('client.key') } });
      const noCert = new Agent({ connect: { ca: pem('ca.crt') } });
      const a = await undiciFetch(`${url}/api1/collections/rw/objects/`, { dispatcher: withCert, headers: { accept: TAXII } });
      expect(a.status).toBe(200);
      const b = await undiciFetch(`${url}/api1/collections/rw/objects/`, { dispatcher: noCert, headers: { accept: TAXII } });
      expect(b.status).toBe(401);
      const c = await undiciFetch(`${url}/api1/collections/rw/objects/`, { dispatcher: noCert, headers: { accept: TAXII, authorization: 'Basic ' + Buffer.from('alice:pw').toString('base64') } });
      expect(c.status).toBe(200);
      await withCert.close();
      await noCert.close();
    } finally {
      await server.close();
    }
  });

  it('refuses connections without a certificate when certificates are required', async () => {
    const { server, url } = await start('required');
    try {
      const noCert = new Agent({ connect: { ca: pem('ca.crt') } });
      await expect(undiciFetch(`${url}/taxii2/`, { dispatcher: noCert })).rejects.toThrow();
      await noCert.close();
    } finally {
      await server.close();
    }
  });
});

describe('node:http adapter: responses of one event-loop turn go out together', () => {
  it('a response that cannot be written (here: a header Node refuses) closes its own connection and no other', async () => {
    const { createServer } = await import('node:http');
    const { toNodeListener } = await import('../../../src/taxii/server/node.js');
    const release: (() => void)[] = [];
    // A core whose answers are held until both requests have arrived, so both finish in the same turn.
    const core = {
      handle: (req: { target: string }) =>
        new Promise((resolve) => {
          release.push(() =>
            resolve(req.target === '/bad' ? { status: 200, headers: { 'x-bad': 'a\nb' }, body: 'bad' } : { status: 200, headers: { 'content-type': 'text/plain' }, body: 'good' }),
          );
          if (release.length === 2) for (const r of release) r();
        }),
      internalError: () => ({ status: 500, headers: {}, body: '' }),
    };
    const http = createServer(toNodeListener({ core } as unknown as Parameters<typeof toNodeListener>[0]));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const port = (http.address() as { port: number }).port;
    try {
      const bad = rawRequest(`http://127.0.0.1:${port}/bad`, 'GET', {}).then(
        () => 'answered',
        (err: Error & { code?: string }) => err.code ?? err.message,
      );
      const good = rawRequest(`http://127.0.0.1:${port}/good`, 'GET', {});
      expect(await good).toMatchObject({ status: 200, body: 'good' });
      expect(await bad).toBe('ECONNRESET');
    } finally {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});

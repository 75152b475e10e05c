import { execFileSync } from 'node:child_process';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, runBuilt } from './built-cli.js';

let dir = '';
const servers: Server[] = [];
const listen = async (s: Server): Promise<number> => {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-hints-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'ignore', timeout: 30_000 });
}, 300_000);

afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('network failures say what to do, in the user\'s terms', () => {
  it('https:// to a plain-HTTP server: use http://, not OpenSSL\'s record-layer text', async () => {
    const port = await listen(createHttp((_req, res) => res.end('plain')));
    const r = await runBuilt(['pull', '--url', `https://127.0.0.1:${port}/api1/`, '--collection', 'demo', '--user', 'u:p']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the server answers plain HTTP at this address: use http:// in --url');
  }, 60_000);

  it('a certificate from an unknown CA: pass the CA with --ca', async () => {
    const port = await listen(createHttps({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (_req, res) => res.end('{}')));
    const r = await runBuilt(['pull', '--url', `https://127.0.0.1:${port}/api1/`, '--collection', 'demo', '--user', 'u:p']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("pass that CA's PEM file with --ca <file>");
  }, 60_000);
});

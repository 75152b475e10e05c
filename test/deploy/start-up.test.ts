import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent, fetch as undiciFetch } from 'undici';
import { parseServeConfig, type ServeConfigFile } from '../../src/taxii/server/config-file.js';
import { hashSecretSync } from '../../src/taxii/server/secrets.js';
import { startPgCluster, type PgCluster } from '../store/pg-cluster.js';
import { ensureBuilt } from '../cli/built-cli.js';

// No container engine runs here, so the deployment kit is verified by running the image's start-up sequence itself
// (deploy/start.sh: migrate, then serve the example production configuration) with the built CLI against a real
// PostgreSQL server from Debian's package, and by checking the Dockerfile, compose file and systemd unit use the
// same sequence and probes.
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const DEPLOY = join(ROOT, 'deploy');
const example = JSON.parse(readFileSync(join(DEPLOY, 'server.example.json'), 'utf8')) as ServeConfigFile & Record<string, unknown>;
const TAXII = 'application/taxii+json;version=2.1';

let cluster: PgCluster | undefined;
let dir = '';
let child: ChildProcess | undefined;
let stderr = '';
let url = '';
let agent: Agent;

beforeAll(async () => {
  await ensureBuilt();
  cluster = await startPgCluster();
  dir = mkdtempSync(join(tmpdir(), 'di-deploy-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.crt', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'ignore', timeout: 30_000 });
  agent = new Agent({ connect: { ca: readFileSync(join(dir, 'server.crt'), 'utf8') } });
  // The example as shipped, except what a test must change: loopback and free ports, files in the temp folder, and
  // secrets whose plain text the test knows (the shipped hashes are of secrets nobody has).
  const principals = (example.auth?.principals ?? []).map((p) =>
    p.name === 'partner-lab' ? { ...p, passwordHash: hashSecretSync('partner-pw') } : p.name === 'ingest-pipeline' ? { ...p, apiKeyHashes: [hashSecretSync('ingest-key')] } : p,
  );
  const config = {
    ...example,
    host: '127.0.0.1',
    port: 0,
    tls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') },
    auditLog: join(dir, 'audit.log'),
    metrics: { ...example.metrics, port: 0, tokenHash: hashSecretSync('scrape') },
    auth: { ...example.auth, principals },
  };
  writeFileSync(join(dir, 'server.json'), JSON.stringify(config));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'distill-intel'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/cli/main.js')}" "$@"\n`);
  chmodSync(join(bin, 'distill-intel'), 0o755);
  child = spawn('sh', [join(DEPLOY, 'start.sh')], {
    env: { ...process.env, NODE_OPTIONS: '', PATH: `${bin}:${process.env['PATH'] ?? ''}`, DISTILL_INTEL_CONFIG: join(dir, 'server.json'), DISTILL_INTEL_DATABASE_URL: cluster.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // both streams in one log, in arrival order: migrate reports on stdout, serve on stderr
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const deadline = Date.now() + 60_000;
  while (!/listening on (https:\/\/\S+)/.test(stderr)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`start.sh did not start the server: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  url = /listening on (https:\/\/\S+)/.exec(stderr)?.[1] ?? '';
}, 240_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    child.kill('SIGKILL');
  }
  await cluster?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('deployment kit', () => {
  it('the example configuration is a production one: TLS, PostgreSQL migrated beforehand, hashed secrets, API keys, rate limits, no demo', () => {
    const parsed = parseServeConfig(example);
    expect(parsed.tls).toBeDefined();
    expect(parsed.store).toBe('postgres');
    expect(parsed.migrate).toBe(false);
    expect(parsed.seedDemo).toBe(false);
    expect(parsed.apiRoots?.length).toBeGreaterThan(0);
    expect(parsed.limits?.rateLimit?.requestsPerSecond).toBeGreaterThan(0);
    expect(parsed.auth?.principals?.some((p) => (p.apiKeyHashes ?? []).length > 0)).toBe(true);
    expect(JSON.stringify(example)).not.toMatch(/password"\s*:|databaseUrl/);
  });

  it('start.sh migrated the database before serving, and the server is ready over TLS', async () => {
    const migrated = stderr.search(/: migrated from version 0 to \d+/);
    expect(migrated).toBeGreaterThanOrEqual(0);
    expect(stderr.indexOf('listening on')).toBeGreaterThan(migrated);
    expect(stderr).not.toContain('Seeded');
    const ready = await undiciFetch(`${url}/readyz`, { dispatcher: agent });
    expect(ready.status).toBe(200);
  });

  it('serves the configured collection to the partner by password and takes writes by API key', async () => {
    const basic = `Basic ${Buffer.from('partner-lab:partner-pw').toString('base64')}`;
    const list = await undiciFetch(`${url}/taxii2/`, { dispatcher: agent, headers: { accept: TAXII, authorization: basic } });
    expect(list.status).toBe(200);
    const coll = await undiciFetch(`${url}/distillation/collections/campaigns/`, { dispatcher: agent, headers: { accept: TAXII, authorization: 'Bearer ingest-key' } });
    expect(coll.status).toBe(200);
    expect(await coll.json()).toMatchObject({ can_read: true, can_write: true });
  });

  it('exposes metrics on the separate listener (token required) and writes the audit log', async () => {
    const metricsUrl = /Metrics: (\S+)/.exec(stderr)?.[1] ?? '';
    expect((await fetch(metricsUrl)).status).toBe(401);
    const text = await (await fetch(metricsUrl, { headers: { authorization: 'Bearer scrape' } })).text();
    expect(text).toContain('distill_intel_http_requests_total');
    expect(readFileSync(join(dir, 'audit.log'), 'utf8')).toContain('"principal":"partner-lab"');
  });

  it('stops gracefully on SIGTERM (exec: the server, not the shell, gets the signal)', async () => {
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopped.');
  }, 30_000);

  it('the Dockerfile, compose file and systemd unit run the same sequence and probe /readyz', () => {
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY deploy\/start\.sh \/usr\/local\/bin\/distill-intel-start/);
    expect(dockerfile).toMatch(/CMD \["distill-intel-start"\]/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
    expect(dockerfile).toMatch(/npm ci/);
    const compose = readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8');
    expect(compose).toMatch(/dockerfile: deploy\/Dockerfile/);
    expect(compose).toMatch(/\/readyz/);
    expect(compose).toMatch(/pg_isready/);
    expect(compose).toMatch(/condition: service_healthy/);
    const unit = readFileSync(join(DEPLOY, 'distill-intel.service'), 'utf8');
    expect(unit).toMatch(/^ExecStartPre=\S+ migrate$/m);
    expect(unit).toMatch(/^ExecStart=\S+ serve --config \/etc\/distill-intel\/server\.json$/m);
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    expect(readFileSync(join(DEPLOY, 'start.sh'), 'utf8')).toMatch(/distill-intel migrate[\s\S]*exec distill-intel serve/);
  });
});

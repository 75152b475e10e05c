import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, fetch as undiciFetch } from 'undici';
import { exampleCampaignSeed, runServe, SERVE_HELP } from '../../../src/cli/serve.js';
import { isLoopbackHost } from '../../../src/cli/serve-checks.js';
import { verifySecret } from '../../../src/taxii/server/secrets.js';
import { TAXII, basic, hash } from './fixture.js';

interface Run {
  code: Promise<number>;
  stdout: () => string;
  stderr: () => string;
  ready: Promise<{ url: string; discoveryUrl: string }>;
  stop: () => Promise<number>;
}

function start(argv: string[], extras: Parameters<typeof runServe>[2] = {}, stdin = ''): Run {
  let out = '';
  let err = '';
  const ac = new AbortController();
  let resolveReady: (v: { url: string; discoveryUrl: string }) => void = () => undefined;
  const ready = new Promise<{ url: string; discoveryUrl: string }>((r) => (resolveReady = r));
  const code = runServe(
    argv,
    {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env: {},
      stdin: Readable.from([Buffer.from(stdin)]),
      signal: ac.signal,
      onListening: (info) => resolveReady(info),
    },
    extras,
  );
  const readyOrExit = Promise.race([ready, code.then((c) => Promise.reject(new Error(`exited ${c}: ${err}`)))]);
  // Runs that exit at once (--help, mistakes) never become ready; that is not an unhandled failure.
  readyOrExit.catch(() => undefined);
  return {
    code,
    stdout: () => out,
    stderr: () => err,
    ready: readyOrExit,
    stop: async () => {
      ac.abort();
      return code;
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'serve-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('distill-intel serve: arguments', () => {
  it('documents every option in --help', async () => {
    const r = start(['--help']);
    expect(await r.code).toBe(0);
    for (const opt of ['--config', '--port', '--host', '--db', '--user', '--public-url', '--no-access-log', '--hash-secret', '--help']) {
      expect(r.stdout()).toContain(opt);
    }
    expect(r.stdout()).toBe(SERVE_HELP + '\n');
  });

  it('prints a scrypt hash for --hash-secret of the first line of stdin, never taking the secret as an argument', async () => {
    const r = start(['--hash-secret'], {}, 's3cret pass\nsecond line\n');
    expect(await r.code).toBe(0);
    const h = r.stdout().trim();
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifySecret('s3cret pass', h)).toBe(true);
    const inline = start(['--hash-secret=s3cret']);
    expect(await inline.code).toBe(2);
    expect(inline.stderr()).toContain('--hash-secret takes no value');
    expect(inline.stdout()).toBe('');
    const empty = start(['--hash-secret'], {}, '\n');
    expect(await empty.code).toBe(2);
    expect(empty.stderr()).toContain('the secret is empty');
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'], [['--hots', 'x'], 'unknown option --hots; did you mean --host?'],
    [['--port', 'http'], '--port must be an integer'],
    [['--port', '70000'], '--port must be an integer'],
    [['--user', 'nopassword'], '--user must be name:password'],
    [['--db'], '--db needs a value'],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const r = start(argv);
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain(message);
  });

  it('reports every mistake of a config file with its location, and exits 2', async () => {
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        prot: 8021,
        port: 'eighty',
        apiRoots: [{ path: 'api1', title: 'A', collections: [{ id: 'not-a-uuid', title: 'C', alias: 'c' }] }],
        auth: { principals: [{ name: 'x', passwordHash: 'plain-text', canRead: ['api1/nope'] }] },
      }),
    );
    const r = start(['--config', file]);
    expect(await r.code).toBe(2);
    const err = r.stderr();
    expect(err).toContain('/prot: unknown property "prot"; did you mean "port"?');
    expect(err).toContain('/port: must be an integer, found a string');
    const r2File = join(dir, 'config2.json');
    writeFileSync(
      r2File,
      JSON.stringify({
        apiRoots: [{ path: 'api1', title: 'A', collections: [{ id: 'not-a-uuid', title: 'C', alias: 'c' }] }],
        auth: { principals: [{ name: 'x', passwordHash: 'plain-text', canRead: ['api1/nope'] }] },
      }),
    );
    const r2 = start(['--config', r2File]);
    expect(await r2.code).toBe(2);
    expect(r2.stderr()).toContain('/apiRoots/0/collections/0/id: id must be a lower-case UUIDv4');
    expect(r2.stderr()).toContain('/auth/principals/0/passwordHash: passwordHash must be a scrypt hash');
    expect(r2.stderr()).toContain('/auth/principals/0/canRead/0: API root "api1" has no collection with id or alias "nope"');
  });

  it('reports a config file that is not JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "port": 1,');
    const r = start(['--config', file]);
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain('not valid JSON');
  });
});

describe('distill-intel serve: running', () => {
  it('generates an admin password once, seeds the demo collection once, and shuts down cleanly', async () => {
    const db = join(dir, 'intel.db');
    const r1 = start(['--db', db, '--port', '0']);
    const { url, discoveryUrl } = await r1.ready;
    expect(discoveryUrl).toBe(`${url}/taxii2/`);
    const password = /password: (\S+)/.exec(r1.stderr())?.[1] as string;
    expect(password).toBeDefined();
    expect(r1.stderr()).toContain(discoveryUrl);
    expect((await fetch(discoveryUrl)).status).toBe(401);
    const headers = { accept: TAXII, authorization: basic('admin', password) };
    const discovery = (await (await fetch(discoveryUrl, { headers })).json()) as { default: string };
    expect(discovery.default).toBe(`${url}/api1/`);
    const objects: { type: string; id: string }[] = [];
    for (let next: string | undefined = '', pages = 0; next !== undefined && pages < 20; pages++) {
      const query = next === '' ? '' : `?next=${encodeURIComponent(next)}`;
      const page = (await (await fetch(`${url}/api1/collections/demo/objects/${query}`, { headers })).json()) as {
        objects: { type: string; id: string }[];
        more?: boolean;
        next?: string;
      };
      objects.push(...page.objects);
      next = page.more === true ? page.next : undefined;
    }
    // The seed is the distillation suite's definitions plus the five example scenarios, every object accepted.
    expect(objects).toHaveLength(exampleCampaignSeed().length);
    const types = new Set(objects.map((o) => o.type));
    for (const t of ['extension-definition', 'campaign', 'indicator', 'ai-model', 'ai-service-account', 'prompt-fingerprint', 'sighting']) {
      expect(types).toContain(t);
    }
    // Access logs are JSON lines on stdout.
    const logs = r1.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.some((l) => l['msg'] === 'request' && l['status'] === 401 && l['path'] === '/taxii2/')).toBe(true);
    expect(await r1.stop()).toBe(0);
    expect(r1.stderr()).toContain('Stopped.');

    // Only a hash is stored, readable by the owner only; the database (shared intelligence) too.
    const stateFile = `${db}.server.json`;
    expect(readFileSync(stateFile, 'utf8')).not.toContain(password);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(statSync(db).mode & 0o777).toBe(0o600);

    const r2 = start(['--db', db, '--port', '0', '--no-access-log']);
    const second = await r2.ready;
    expect(r2.stderr()).not.toContain('password:');
    expect(r2.stderr()).toContain(`Lost it? stop the server and run: distill-intel users reset admin --db ${db}`);
    expect(r2.stderr()).not.toContain('Seeded');
    const again = await fetch(`${second.url}/api1/collections/demo/objects/?limit=100`, { headers: { accept: TAXII, authorization: basic('admin', password) } });
    // Not seeded twice: the first page is still the first 100 of the same objects.
    const firstPage = ((await again.json()) as { objects: Array<{ id: string }> }).objects;
    expect(firstPage.map((o) => o.id)).toEqual(objects.slice(0, 100).map((o) => o.id));
    expect(r2.stdout()).toBe('');
    expect(await r2.stop()).toBe(0);
  });

  it('adds --user principals with read and write everywhere, and generates no admin', async () => {
    const r = start(['--db', ':memory:', '--port', '0', '--user', 'alice:wonderland', '--user', 'bob:builder'], { seed: () => [] });
    const { url } = await r.ready;
    expect(r.stderr()).not.toContain('password:');
    for (const [u, p] of [['alice', 'wonderland'], ['bob', 'builder']] as const) {
      const res = await fetch(`${url}/api1/collections/demo/`, { headers: { accept: TAXII, authorization: basic(u, p) } });
      expect(((await res.json()) as Record<string, unknown>)).toMatchObject({ can_read: true, can_write: true });
    }
    expect((await fetch(`${url}/taxii2/`, { headers: { authorization: basic('admin', 'x') } })).status).toBe(401);
    expect(await r.stop()).toBe(0);
  });

  it('serves what a config file describes', async () => {
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 0,
        db: 'from-config.db',
        title: 'Configured',
        publicUrl: 'https://intel.example.com',
        limits: { maxContentLength: 2048 },
        apiRoots: [{ path: 'shared', title: 'Shared', collections: [{ id: 'b7c6d5e4-f3a2-4b1c-9d0e-8f7a6b5c4d3e', title: 'Partners', alias: 'partners' }] }],
        auth: {
          principals: [{ name: 'partner', passwordHash: hash('pw'), canRead: ['partners'] }],
          anonymous: {},
        },
      }),
    );
    const r = start(['--config', file]);
    const { url, discoveryUrl } = await r.ready;
    expect(discoveryUrl).toBe('https://intel.example.com/taxii2/');
    const headers = { accept: TAXII, authorization: basic('partner', 'pw') };
    const discovery = (await (await fetch(`${url}/taxii2/`, { headers })).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ title: 'Configured', api_roots: ['https://intel.example.com/shared/'] });
    expect(((await (await fetch(`${url}/shared/`, { headers })).json()) as Record<string, unknown>)['max_content_length']).toBe(2048);
    const list = (await (await fetch(`${url}/shared/collections/`, { headers })).json()) as { collections: Record<string, unknown>[] };
    expect(list.collections.map((c) => [c['alias'], c['can_read'], c['can_write']])).toEqual([['partners', true, false]]);
    // The db path is relative to the config file.
    expect(statSync(join(dir, 'from-config.db')).isFile()).toBe(true);
    expect(await r.stop()).toBe(0);
  });

  it('serves HTTPS from the TLS files named in the config file', async () => {
    const ssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 20_000 });
    };
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.crt', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
    const file = join(dir, 'tls.json');
    writeFileSync(file, JSON.stringify({ port: 0, db: ':memory:', tls: { certFile: 'tls.crt', keyFile: 'tls.key' } }));
    const r = start(['--config', file, '--user', 'u:p'], { seed: () => [] });
    const { url } = await r.ready;
    expect(url.startsWith('https://127.0.0.1:')).toBe(true);
    const agent = new Agent({ connect: { ca: readFileSync(join(dir, 'tls.crt'), 'utf8') } });
    const res = await undiciFetch(`${url}/taxii2/`, { dispatcher: agent, headers: { authorization: basic('u', 'p') } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TAXII);
    await agent.close();
    expect(await r.stop()).toBe(0);
  });
});

describe('distill-intel serve: first start', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    if (blocker !== undefined) await new Promise<void>((r) => blocker?.close(() => r()));
    blocker = undefined;
  });

  it('writes nothing when the port is taken: no database, no state file, no password; exit 1', async () => {
    blocker = createServer();
    const port = await new Promise<number>((r) => blocker?.listen(0, '127.0.0.1', () => r((blocker?.address() as { port: number }).port)));
    const db = join(dir, 'intel.db');
    const r = start(['--db', db, '--port', String(port)]);
    expect(await r.code).toBe(1);
    expect(r.stderr()).toContain(`cannot listen on 127.0.0.1:${port}: another process is listening on it`);
    expect(r.stderr()).not.toContain('password');
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.server.json`)).toBe(false);
  });

  it('seeds the demo only on the default demo start or with --demo, never when principals are configured', async () => {
    const seed = (): object[] => exampleCampaignSeed().slice(0, 3);
    const withUser = start(['--db', join(dir, 'a.db'), '--port', '0', '--user', 'u:p', '--no-access-log'], { seed });
    await withUser.ready;
    expect(withUser.stderr()).not.toContain('Seeded');
    expect(await withUser.stop()).toBe(0);
    const asked = start(['--db', join(dir, 'b.db'), '--port', '0', '--user', 'u:p', '--demo', '--no-access-log'], { seed });
    await asked.ready;
    expect(asked.stderr()).toContain('Seeded collection "demo" with 3 objects.');
    expect(await asked.stop()).toBe(0);
  });

  it('warns when the state file sits in a git work tree that does not ignore it', async () => {
    execFileSync('git', ['init', '-q', dir]);
    const r1 = start(['--db', join(dir, 'intel.db'), '--port', '0', '--no-access-log'], { seed: () => [] });
    await r1.ready;
    expect(r1.stderr()).toContain(`WARNING: ${join(dir, 'intel.db.server.json')} holds secret hashes`);
    expect(await r1.stop()).toBe(0);
    writeFileSync(join(dir, '.gitignore'), '*.server.json\n');
    const r2 = start(['--db', join(dir, 'intel.db'), '--port', '0', '--no-access-log'], { seed: () => [] });
    await r2.ready;
    expect(r2.stderr()).not.toContain('WARNING');
    expect(await r2.stop()).toBe(0);
  });

  it('reports a missing TLS file as a configuration error naming it, exit 2, before anything is written', async () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ db: 'intel.db', tls: { certFile: 'absent-cert.pem', keyFile: 'absent-key.pem' } }));
    const r = start(['--config', file, '--port', '0']);
    expect(await r.code).toBe(2);
    expect(r.stderr()).toContain('/tls/certFile');
    expect(r.stderr()).toContain(`cannot read ${join(dir, 'absent-cert.pem')}: no such file`);
    expect(existsSync(join(dir, 'intel.db'))).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['intel.example.com', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

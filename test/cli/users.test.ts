import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runServe } from '../../src/cli/serve.js';
import { ensureBuilt, runBuilt } from './built-cli.js';

const TAXII = 'application/taxii+json;version=2.1';
const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

let dir = '';
let db = '';
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-users-'));
  db = join(dir, 'intel.db');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `serve` on `db` in-process, runs `probe` against it, stops it. */
async function withServer(probe: (url: string, stderr: string) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  let err = '';
  let ready: (url: string) => void = () => undefined;
  const listening = new Promise<string>((r) => (ready = r));
  const code = runServe(['--db', db, '--port', '0', '--no-access-log'], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    signal: ac.signal,
    onListening: (info) => ready(info.url),
  });
  const url = await Promise.race([listening, code.then((c) => Promise.reject(new Error(`serve exited ${c}: ${err}`)))]);
  try {
    await probe(url, err);
  } finally {
    ac.abort();
    await code;
  }
}

async function status(url: string, authorization: string): Promise<number> {
  return (await fetch(`${url}/api1/collections/demo/`, { headers: { accept: TAXII, authorization } })).status;
}

describe('distill-intel users (built CLI)', () => {
  let alicePassword = '';
  let key = '';
  let keyId = '';

  it('adds a principal with a generated password printed once, stored as a hash in a 0600 state file', async () => {
    const r = await runBuilt(['users', 'add', 'alice', '--db', db, '--read', '*', '--write', 'api1/demo']);
    expect(r.code).toBe(0);
    alicePassword = /password: (\S+)/.exec(r.stdout)?.[1] ?? '';
    expect(alicePassword.length).toBeGreaterThanOrEqual(20);
    const state = readFileSync(`${db}.server.json`, 'utf8');
    expect(state).not.toContain(alicePassword);
    expect(statSync(`${db}.server.json`).mode & 0o777).toBe(0o600);
    const again = await runBuilt(['users', 'add', 'alice', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('"alice" already exists');
  }, 60_000);

  it('creates an API key printed once and lists it by id', async () => {
    const r = await runBuilt(['users', 'add-key', 'alice', '--db', db]);
    expect(r.code).toBe(0);
    [, keyId = '', key = ''] = /API key (\S+) for "alice"[^\n]*\n {2}(\S+)/.exec(r.stdout) ?? [];
    expect(key).toMatch(/^dik_/);
    const list = await runBuilt(['users', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`alice  read *  write api1/demo  password, API keys ${keyId}`);
    expect(list.stdout).not.toContain(key);
  }, 60_000);

  it('serve accepts the state file\'s principals by password and by API key, and generates no admin', async () => {
    await withServer(async (url, stderr) => {
      expect(stderr).not.toContain('password:');
      expect(await status(url, basic('alice', alicePassword))).toBe(200);
      expect(await status(url, `Bearer ${key}`)).toBe(200);
      expect(await status(url, basic('alice', 'wrong'))).toBe(401);
      expect(await status(url, basic('admin', 'x'))).toBe(401);
    });
  }, 60_000);

  it('resets a password from stdin, revokes a key, and removes a principal', async () => {
    const reset = await runBuilt(['users', 'reset', 'alice', '--password-stdin', '--db', db], { stdin: 'n3w-passw0rd\n' });
    expect(reset.code).toBe(0);
    expect(reset.stdout).not.toContain('n3w-passw0rd');
    const revoke = await runBuilt(['users', 'remove-key', 'alice', keyId, '--db', db]);
    expect(revoke.code).toBe(0);
    await withServer(async (url) => {
      expect(await status(url, basic('alice', alicePassword))).toBe(401);
      expect(await status(url, basic('alice', 'n3w-passw0rd'))).toBe(200);
      expect(await status(url, `Bearer ${key}`)).toBe(401);
    });
    const removed = await runBuilt(['users', 'remove', 'alice', '--db', db]);
    expect(removed.code).toBe(0);
    const gone = await runBuilt(['users', 'remove', 'alice', '--db', db]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no principal "alice"');
  }, 120_000);

  it('resets the generated admin password', async () => {
    let first = '';
    await withServer(async (_url, stderr) => {
      first = /password: (\S+)/.exec(stderr)?.[1] ?? '';
      expect(first).not.toBe('');
    });
    const reset = await runBuilt(['users', 'reset', 'admin', '--db', db]);
    expect(reset.code).toBe(0);
    const fresh = /password: (\S+)/.exec(reset.stdout)?.[1] ?? '';
    await withServer(async (url, stderr) => {
      expect(stderr).toContain('distill-intel users reset admin');
      expect(await status(url, basic('admin', first))).toBe(401);
      expect(await status(url, basic('admin', fresh))).toBe(200);
    });
  }, 120_000);

  it.each([
    [['users'], 'an action is needed'],
    [['users', 'rename', 'x'], 'unknown action "rename"'],
    [['users', 'add', 'bad:name'], 'user name "bad:name" must be'],
    [['users', 'remove-key', 'alice'], 'remove-key needs a name and a key id'],
    [['users', 'list', '--read', '*'], '--read and --write go with add'],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await runBuilt([...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  }, 60_000);
});

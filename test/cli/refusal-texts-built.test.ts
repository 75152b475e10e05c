import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, freeLoopbackPort, runBuilt, startBuilt } from './built-cli.js';
import type { BuiltProcess } from './built-cli.js';

/**
 * What a user reads when the server says no, through the built CLI against a built `serve` with a read-only principal:
 * one line each, no contradiction between the server's reason and the hint, no summary of work that never happened.
 */

const READABLE = '0b9f3c1e-7a2d-4e5f-9c8b-1a2b3c4d5e6f';
const HIDDEN = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
const PASSWORD = 'r3ader-pass-long';

let dir = '';
let server: BuiltProcess | undefined;
let apiRoot = '';

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-refusals-'));
  const hashed = await runBuilt(['serve', '--hash-secret'], { cwd: dir, stdin: `${PASSWORD}\n` });
  const hash = hashed.stdout.trim().split('\n').at(-1) ?? '';
  expect(hash).toMatch(/^scrypt\$/);
  const port = await freeLoopbackPort();
  writeFileSync(
    join(dir, 'server.json'),
    JSON.stringify({
      port,
      db: 'refusals.db',
      apiRoots: [{ path: 'api1', title: 't', collections: [{ id: READABLE, alias: 'ind', title: 'Indicators' }, { id: HIDDEN, alias: 'other', title: 'Other' }] }],
      auth: { principals: [{ name: 'reader', passwordHash: hash, canRead: ['ind'] }] },
    }),
  );
  writeFileSync(
    join(dir, 'identity.json'),
    JSON.stringify({ type: 'identity', spec_version: '2.1', id: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'x', identity_class: 'organization' }),
  );
  server = await startBuilt(['serve', '--config', 'server.json', '--no-access-log'], dir, (out) => out.includes('listening on'));
  apiRoot = `http://127.0.0.1:${port}/api1/`;
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('refusals, as the built CLI prints them', () => {
  it('403: may read but not write, said once, with what to do', async () => {
    const r = await runBuilt(['push', '--url', apiRoot, '--collection', 'ind', '--user', `reader:${PASSWORD}`, 'identity.json'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `distill-intel push: POST ${apiRoot}collections/${READABLE}/objects/ answered HTTP 403: you may read this collection but not write to it (ask the server operator for the rights this needs)\n`,
    );
    expect(r.stdout).toBe('');
  }, 60_000);

  it('404: one reason, and no "0 objects were written" after a pull that read nothing', async () => {
    const r = await runBuilt(['pull', '--url', apiRoot, '--collection', HIDDEN, '--user', `reader:${PASSWORD}`, '--out', 'x.ndjson'], { cwd: dir });
    expect(r.code).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('answered HTTP 404: the collection was not found, or you do not have access to it (check --url');
    expect(r.stderr).not.toContain('were written before it');
  }, 60_000);

  it('401 with refused credentials: the hint does not claim none were given, and push prints no summary', async () => {
    const r = await runBuilt(['push', '--url', apiRoot, '--collection', 'ind', '--user', 'reader:wrong-password', 'identity.json'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `distill-intel push: GET ${apiRoot}collections/ answered HTTP 401: the credentials were not accepted ` +
        '(check the credentials: --user, --token, --header, DISTILL_INTEL_USER / DISTILL_INTEL_TOKEN or --credentials)\n',
    );
    expect(r.stdout).toBe('');
    expect(r.stderr + r.stdout).not.toContain('wrong-password');
  }, 60_000);
});

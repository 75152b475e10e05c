import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { findCollection, parseConnectionArgs } from '../../src/cli/connection-options.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from './run-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';
import type { TestServer } from './serve-fixture.js';

const FEED = readFileSync(new URL('../convert/fixtures/distillation-feed.json', import.meta.url), 'utf8');

let server: TestServer;
let small: TestServer;
let dir = '';
beforeAll(async () => {
  server = await startServer();
  // An API root that takes at most 4 KiB per request, so pushes must be cut into several envelopes.
  small = await startServer({ limits: { maxContentLength: 4096 } });
  dir = mkdtempSync(join(tmpdir(), 'di-push-'));
  writeFileSync(join(dir, 'feed.json'), FEED);
});
afterAll(async () => {
  await server.stop();
  await small.stop();
  rmSync(dir, { recursive: true, force: true });
});

const auth = ['--user', `${USER}:${PASSWORD}`];

function note(i: number): Record<string, unknown> {
  const n = String(i).padStart(12, '0');
  return {
    type: 'note',
    spec_version: '2.1',
    id: `note--6f0c1d2e-3a4b-4c5d-8e6f-${n}`,
    created: '2026-04-01T00:00:00.000Z',
    modified: '2026-04-01T00:00:00.000Z',
    content: `Observation ${i}: ${'x'.repeat(300)}`,
    object_refs: ['campaign--c106100c-d277-43a2-945e-6945cd18f4e9'],
  };
}

describe('distill-intel push', () => {
  it('documents itself, connection options and exit codes included', async () => {
    const r = await runCli(['push', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--collection <c>');
    expect(r.stdout).toContain('DISTILL_INTEL_USER');
    expect(r.stdout).toContain('Exit codes:');
  });

  it('sends a bundle to a collection named by alias through the discovery URL', async () => {
    const r = await runCli(['push', '--url', server.discovery, '--collection', 'demo', ...auth, 'feed.json'], '', dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pushed: 14 read, 14 sent in 1 request: 14 succeeded, 0 failed, 0 pending\n');
    expect(r.code).toBe(0);
  });

  it('reads NDJSON on stdin, names the collection by title, takes credentials from the environment', async () => {
    const ndjson = [note(1), note(2)].map((o) => JSON.stringify(o)).join('\n') + '\n';
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'Distillation demo', '-'], ndjson, dir, {
      DISTILL_INTEL_USER: `${USER}:${PASSWORD}`,
    });
    expect(r.stdout).toBe('pushed: 2 read, 2 sent in 1 request: 2 succeeded, 0 failed, 0 pending\n');
    expect(r.code).toBe(0);
  });

  it('cuts the objects into envelopes that fit max_content_length', async () => {
    const notes = Array.from({ length: 40 }, (_, i) => note(100 + i));
    writeFileSync(join(dir, 'notes.json'), JSON.stringify({ type: 'bundle', id: 'bundle--7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', objects: notes }));
    const r = await runCli(['push', '--url', small.apiRoot, '--collection', 'demo', ...auth, '--format', 'json', 'notes.json'], '', dir);
    const report = JSON.parse(r.stdout) as { read: number; sent: number; requests: number; success_count: number; failure_count: number };
    expect(report.read).toBe(40);
    expect(report.success_count).toBe(40);
    expect(report.failure_count).toBe(0);
    // Every request body holds at most 4096 bytes, so at least total/4096 requests were needed.
    const total = notes.reduce((n, o) => n + Buffer.byteLength(JSON.stringify(o)) + 1, 0);
    expect(report.requests).toBeGreaterThanOrEqual(Math.ceil(total / 4096));
    expect(report.requests).toBeGreaterThan(1);
    expect(r.code).toBe(0);
  });

  it('refuses an object the validator finds invalid, with its code, sends the rest and exits 1', async () => {
    // "not-a-uuid" is no RFC 4122 UUID: §2.7 makes such an id invalid, so the client never sends it.
    const bad = { ...note(900), id: 'note--not-a-uuid' };
    const text = JSON.stringify([note(901), bad]);
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', ...auth, '-'], text, dir);
    expect(r.code).toBe(1);
    const [summary, failure] = r.stdout.trimEnd().split('\n');
    expect(summary).toBe('pushed: 2 read, 1 sent in 1 request: 1 succeeded, 1 failed, 0 pending');
    // Named where the bad id is in the input: the second element's "id" key on the one line.
    const column = text.indexOf('"id":"note--not-a-uuid"') + 1;
    expect(failure).toBe(
      `failed note--not-a-uuid 2026-04-01T00:00:00.000Z: -:1:${column} /1/id: not sent: invalid (schema-format): id must be a STIX identifier (<object-type>--<RFC 4122 UUID>) (got "note--not-a-uuid")`,
    );
  });

  it('refuses a broken pattern and a duplicate version before sending, and stops there with --stop-on-invalid', async () => {
    const indicator = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--6f0c1d2e-3a4b-4c5d-8e6f-000000000777',
      created: '2026-04-01T00:00:00.000Z',
      modified: '2026-04-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '203.0.113.5' = ]",
      pattern_type: 'stix',
      valid_from: '2026-04-01T00:00:00Z',
    };
    // The second note shares id and modified with the first but not its content (§3.6).
    const lines = [note(960), indicator, note(961), { ...note(960), content: 'other' }, note(962)].map((o) => JSON.stringify(o)).join('\n');
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', ...auth, '-'], lines + '\n', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pushed: 5 read, 3 sent in 1 request: 3 succeeded, 2 failed, 0 pending');
    // NDJSON: each refusal names its line and points into that line's object (the pattern of line 2, the
    // modified of line 4), never /1 or /3.
    const col = (i: number, key: string): number => (lines.split('\n')[i] ?? '').indexOf(`"${key}":`) + 1;
    expect(r.stdout).toContain(`failed indicator--6f0c1d2e-3a4b-4c5d-8e6f-000000000777 2026-04-01T00:00:00.000Z: -:2:${col(1, 'pattern')} /pattern: not sent: invalid (pattern-syntax)`);
    expect(r.stdout).toContain(`failed note--6f0c1d2e-3a4b-4c5d-8e6f-000000000960 2026-04-01T00:00:00.000Z: -:4:${col(3, 'modified')} /modified: not sent: invalid (duplicate-version)`);
    // Stopping: the note before the indicator is sent, nothing after it.
    const stop = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', ...auth, '--stop-on-invalid', '-'], lines + '\n', dir);
    expect(stop.code).toBe(1);
    expect(stop.stdout).toContain('pushed: 2 read, 1 sent in 1 request: 1 succeeded, 1 failed, 0 pending');
  });

  it('counts input that is not JSON as a problem but still sends the rest', async () => {
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', ...auth, '-'], `${JSON.stringify(note(950))}\nnot json\n`, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 succeeded, 0 failed');
    // The bad text is the second line: named by its line (the record number stays out of it).
    expect(r.stdout).toMatch(/unreadable -:2:1: json-syntax: not valid JSON: .* at line 2, column 1/);
  });

  it('exits 3 on bad credentials, with a hint, and never prints the password', async () => {
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', '--user', `${USER}:wrong-${PASSWORD}`, 'feed.json'], '', dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('401');
    expect(r.stderr).toContain('--user, --token');
    // nothing ran: no summary that reads as if it had
    expect(r.stdout).toBe('');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('exits 3 for an unknown collection, listing the ones there are', async () => {
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'nope', ...auth, 'feed.json'], '', dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no collection with id, alias or title "nope"');
    expect(r.stderr).toContain('(alias demo) "Distillation demo"');
  });

  it('exits 3 when the server cannot be reached', async () => {
    const r = await runCli(['push', '--url', 'http://127.0.0.1:9/api1/', '--collection', 'demo', ...auth, '--timeout', '2', 'feed.json'], '', dir);
    expect(r.code).toBe(3);
  });

  it('exits 2 for usage mistakes, without echoing credentials', async () => {
    expect((await runCli(['push', '--collection', 'demo', 'feed.json'], '', dir)).code).toBe(2);
    expect((await runCli(['push', '--url', server.apiRoot, 'feed.json'], '', dir)).code).toBe(2);
    const both = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', '--user', 'a:hunter2', '--token', 'tok-hunter3', 'f'], '', dir);
    expect(both.code).toBe(2);
    expect(both.stderr).not.toMatch(/hunter/);
    const badUrl = await runCli(['push', '--url', 'ftp://a:hunter4@x/', '--collection', 'demo', 'f'], '', dir);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).not.toContain('hunter4');
  });

  it('exits 3 for a missing input file', async () => {
    const r = await runCli(['push', '--url', server.apiRoot, '--collection', 'demo', ...auth, 'missing.json'], '', dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('missing.json: cannot read: no such file');
  });
});

describe('validate reads what push reads', () => {
  it('accepts a TAXII envelope, NDJSON and a bundle, and points into the envelope', async () => {
    const envelope = JSON.stringify({ more: false, objects: [note(1), { ...note(2), id: 'note--bad' }] });
    const r = await runCli(['validate', '-'], envelope, dir);
    expect(r.code).toBe(1);
    // One line of JSON: the second object's id is where its "id" key is.
    const column = envelope.indexOf('"id":', envelope.indexOf('note--bad') - 10) + 1;
    expect(envelope.slice(column - 1, column + 14)).toBe('"id":"note--bad');
    expect(r.stdout).toMatch(new RegExp(`^-:1:${column} /objects/1/id: error `, 'm'));
    expect(r.stdout).toContain('1 input, 1 valid object: 1 error');
    const ndjson = [note(3), note(4)].map((o) => JSON.stringify(o)).join('\n') + '\n';
    expect((await runCli(['validate', '-'], ndjson, dir)).stdout).toContain('2 valid objects: 0 errors');
    expect((await runCli(['validate', 'feed.json'], '', dir)).code).toBe(0);
  });
});

describe('connection options', () => {
  const io = (env: Record<string, string> = {}): CliIo => ({
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    env,
    cwd: dir,
  });
  const base = { url: 'https://hub.example.org/api1/', collection: 'demo' };

  it('takes credentials from flags first, then the environment, then a credentials file', () => {
    writeFileSync(join(dir, 'creds.json'), JSON.stringify({ token: 'file-token' }), { mode: 0o600 });
    const env = { DISTILL_INTEL_USER: 'envuser:env:pass' };
    expect(parseConnectionArgs({ ...base, user: 'flag:pw' }, io(env)).auth).toEqual({ type: 'basic', username: 'flag', password: 'pw' });
    expect(parseConnectionArgs({ ...base, credentials: 'creds.json' }, io(env)).auth).toEqual({ type: 'basic', username: 'envuser', password: 'env:pass' });
    expect(parseConnectionArgs({ ...base, credentials: 'creds.json' }, io()).auth).toEqual({ type: 'bearer', token: 'file-token' });
    expect(parseConnectionArgs({ ...base }, io({ DISTILL_INTEL_TOKEN: 't0k' })).auth).toEqual({ type: 'bearer', token: 't0k' });
    expect(parseConnectionArgs({ ...base, token: 't0k', 'token-scheme': 'token' }, io()).auth).toEqual({ type: 'token', token: 't0k' });
    expect(parseConnectionArgs({ ...base, header: 'X-Api-Key: k3y' }, io()).auth).toEqual({ type: 'header', name: 'X-Api-Key', value: 'k3y' });
    expect(parseConnectionArgs({ ...base }, io()).auth).toBeUndefined();
  });

  it('refuses two kinds of credentials at one level and malformed ones, without echoing them', () => {
    expect(() => parseConnectionArgs({ ...base, user: 'a:secret1', token: 'secret2' }, io())).toThrow('not several');
    expect(() => parseConnectionArgs({ ...base }, io({ DISTILL_INTEL_USER: 'a:b', DISTILL_INTEL_TOKEN: 'c' }))).toThrow('not several');
    let message = '';
    try {
      parseConnectionArgs({ ...base, user: 'secret-without-colon' }, io());
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('--user must be name:password');
    expect(() => parseConnectionArgs({ ...base, 'token-scheme': 'basic', token: 'x' }, io())).toThrow('--token-scheme');
    expect(() => parseConnectionArgs({ collection: 'demo' }, io())).toThrow('--url is required');
    expect(() => parseConnectionArgs({ url: base.url }, io())).toThrow('--collection is required');
  });

  it('warns about a credentials file other users can read', () => {
    writeFileSync(join(dir, 'open.json'), JSON.stringify({ user: 'a:b' }), { mode: 0o644 });
    let err = '';
    parseConnectionArgs({ ...base, credentials: 'open.json' }, { ...io(), stderr: { write: (s: string) => (err += s) } });
    expect(err).toContain('readable by other users');
  });

  it('finds a collection by id, alias, then title (exact, then any case), and says when a title is ambiguous', () => {
    const c = (id: string, title: string, alias?: string): { id: string; title: string; alias?: string; can_read: boolean; can_write: boolean } => ({
      id,
      title,
      ...(alias === undefined ? {} : { alias }),
      can_read: true,
      can_write: true,
    });
    const list = [c('id-1', 'Indicators', 'ind'), c('id-2', 'indicators'), c('id-3', 'Shared'), c('id-4', 'Shared')];
    expect(findCollection(list, 'id-2')).toMatchObject({ id: 'id-2' });
    expect(findCollection(list, 'ind')).toMatchObject({ id: 'id-1' });
    expect(findCollection(list, 'indicators')).toMatchObject({ id: 'id-2' });
    expect(findCollection(list, 'INDICATORS')).toEqual({ ambiguous: [list[0], list[1]] });
    expect(findCollection(list, 'Shared')).toEqual({ ambiguous: [list[2], list[3]] });
    expect(findCollection(list, 'none')).toBeUndefined();
  });
});

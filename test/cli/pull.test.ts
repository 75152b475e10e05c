import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseInterval, parseMatches, runPull } from '../../src/cli/pull.js';
import { runCli } from './run-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';
import type { TestServer } from './serve-fixture.js';

const FEED = readFileSync(new URL('../convert/fixtures/distillation-feed.json', import.meta.url), 'utf8');
const FEED_OBJECTS = (JSON.parse(FEED) as { objects: Array<Record<string, unknown>> }).objects;

let server: TestServer;
let dir = '';
const auth = ['--user', `${USER}:${PASSWORD}`];
let conn: string[] = [];

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'di-pull-'));
  conn = ['--url', server.apiRoot, '--collection', 'demo', ...auth];
  writeFileSync(join(dir, 'feed.json'), FEED);
  const r = await runCli(['push', ...conn, 'feed.json'], '', dir);
  if (r.code !== 0) throw new Error(`push failed: ${r.stdout} ${r.stderr} ${server.log()}`);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function note(i: number, modified = '2026-04-01T00:00:00.000Z'): Record<string, unknown> {
  return {
    type: 'note',
    spec_version: '2.1',
    id: `note--5e0c1d2e-3a4b-4c5d-8e6f-${String(i).padStart(12, '0')}`,
    created: '2026-04-01T00:00:00.000Z',
    modified,
    content: `note ${i}`,
    object_refs: ['campaign--c106100c-d277-43a2-945e-6945cd18f4e9'],
  };
}

function indicator(i: number): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--7e0c1d2e-3a4b-4c5d-8e6f-${String(i).padStart(12, '0')}`,
    created: '2026-04-01T00:00:00.000Z',
    modified: '2026-04-01T00:00:00.000Z',
    name: `proxy ${i}`,
    description: 'proxy exit',
    pattern: `[ipv4-addr:value = '198.51.100.${i}']`,
    pattern_type: 'stix',
    valid_from: '2026-04-01T00:00:00Z',
  };
}

async function push(objects: Array<Record<string, unknown>>): Promise<void> {
  const r = await runCli(['push', ...conn, '-'], objects.map((o) => JSON.stringify(o)).join('\n') + '\n', dir);
  expect(r.stdout).toContain(`${objects.length} succeeded`);
}

const ndjsonIds = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { id: string }).id);

describe('distill-intel pull: selection and formats', () => {
  it('writes every object as NDJSON by default, page after page', async () => {
    const r = await runCli(['pull', ...conn, '--limit', '4'], '', dir);
    expect(r.code).toBe(0);
    expect(ndjsonIds(r.stdout).sort()).toEqual(FEED_OBJECTS.map((o) => o['id'] as string).sort());
    expect(r.stderr).toMatch(/^pulled: 14 objects in [45] pages, checkpoint \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  });

  it('maps --match type=... to match[type]', async () => {
    const r = await runCli(['pull', ...conn, '--match', 'type=campaign,relationship'], '', dir);
    expect(ndjsonIds(r.stdout).sort()).toEqual(['campaign--c106100c-d277-43a2-945e-6945cd18f4e9', 'relationship--bf29ac7c-84b1-4bef-990f-02443eca482f']);
  });

  it('maps --match version=all to every version, and the default is the latest only', async () => {
    await push([note(1, '2026-04-01T00:00:00.000Z'), note(1, '2026-04-02T00:00:00.000Z')]);
    const id = note(1)['id'] as string;
    const all = await runCli(['pull', ...conn, '--match', `id=${id}`, '--match', 'version=all'], '', dir);
    expect(ndjsonIds(all.stdout)).toEqual([id, id]);
    const last = await runCli(['pull', ...conn, '--match', `id=${id}`], '', dir);
    expect(last.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { modified: string }).modified)).toEqual(['2026-04-02T00:00:00.000Z']);
  });

  it('writes one STIX bundle with --format stix', async () => {
    const r = await runCli(['pull', ...conn, '--match', 'type=campaign', '--format', 'stix'], '', dir);
    const bundle = JSON.parse(r.stdout) as { type: string; id: string; objects: Array<{ id: string }> };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(bundle.objects.map((o) => o.id)).toEqual(['campaign--c106100c-d277-43a2-945e-6945cd18f4e9']);
  });

  it('converts to ECS on the way, reporting unflattenable patterns', async () => {
    const r = await runCli(['pull', ...conn, '--match', 'type=indicator', '--format', 'ecs', '--feed-name', 'FMF hub', '--verbose'], '', dir);
    expect(r.code).toBe(0);
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { threat: { feed: { name: string } }; stix: { id: string } });
    expect(docs).toHaveLength(11);
    expect(docs.every((d) => d.threat.feed.name === 'FMF hub')).toBe(true);
    expect(r.stderr).toContain('qualifier:');
    expect(r.stderr).toContain('pattern-type:');
    expect(r.stderr).toMatch(/^converted: 11 objects read, 11 documents written to stdout( \(\d inactive, marked so\))?, 2 skipped \(2 reasons\)$/m);
  });

  it('honours --since (objects the server added after that instant)', async () => {
    const r = await runCli(['pull', ...conn, '--since', '2999-01-01T00:00:00Z'], '', dir);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pulled: 0 objects/);
  });

  it('checks objects with --validate, leaving invalid ones out and exiting 1', async () => {
    const lenient = await runCli(['pull', ...conn, '--match', 'type=indicator', '--validate', 'lenient'], '', dir);
    expect(lenient.code).toBe(0);
    // Strict mode makes SHOULD findings errors: 10 of the 11 feed indicators have no description, and the 11th has
    // an external reference with a url but no hashes.
    const strict = await runCli(['pull', ...conn, '--match', 'type=indicator', '--validate', 'strict'], '', dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('left out invalid indicator--cd009267-87ac-459b-b5b5-16f8ea112206: ');
    expect(strict.stderr).toContain('left out invalid indicator--4bebdd0c-0f6a-486f-9cc1-37ba5b3389dc: /external_references/0');
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toContain('11 invalid objects were left out');
  });

  it('exits 2 for usage mistakes', async () => {
    expect((await runCli(['pull', ...conn, '--validate', 'maybe'], '', dir)).code).toBe(2);
    expect((await runCli(['pull', ...conn, '--format', 'stix', '--follow'], '', dir)).code).toBe(2);
    expect((await runCli(['pull', ...conn, '--match', 'colour=red'], '', dir)).code).toBe(2);
    expect((await runCli(['pull', ...conn, '--interval', '5m'], '', dir)).code).toBe(2);
    expect((await runCli(['pull', ...conn, '--format', 'xml'], '', dir)).code).toBe(2);
    expect((await runCli(['pull', ...conn, '--since', 'last week'], '', dir)).code).toBe(2);
  });

  it('parses match flags and intervals', () => {
    expect(parseMatches(['type=indicator,campaign', 'version=all', 'type=note', 'spec_version=2.1'])).toEqual({
      type: ['indicator', 'campaign', 'note'],
      version: ['all'],
      specVersion: ['2.1'],
    });
    expect(parseMatches(['match[id]=x--1'])).toEqual({ id: ['x--1'] });
    expect(() => parseMatches(['type='])).toThrow('at least one value');
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('5m')).toBe(300_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('250ms')).toBe(250);
    expect(parseInterval('2')).toBe(2000);
    expect(() => parseInterval('soon')).toThrow('--interval');
  });
});

describe('distill-intel pull: checkpoints', () => {
  it('resumes after the last page and appends only what is new', async () => {
    const args = ['pull', ...conn, '--match', 'type=note', '--limit', '2', '--out', 'notes.ndjson', '--checkpoint', 'notes.ckpt'];
    await push([note(10), note(11), note(12)]);
    const first = await runCli(args, '', dir);
    expect(first.code).toBe(0);
    const before = ndjsonIds(readFileSync(join(dir, 'notes.ndjson'), 'utf8'));
    expect(before).toEqual(expect.arrayContaining([note(10)['id'], note(11)['id'], note(12)['id']]));

    const again = await runCli(args, '', dir);
    expect(again.stderr).toMatch(/^pulled: 0 objects/);
    expect(ndjsonIds(readFileSync(join(dir, 'notes.ndjson'), 'utf8'))).toEqual(before);

    await push([note(13)]);
    await runCli(args, '', dir);
    expect(ndjsonIds(readFileSync(join(dir, 'notes.ndjson'), 'utf8'))).toEqual([...before, note(13)['id']]);

    const saved = JSON.parse(readFileSync(join(dir, 'notes.ckpt'), 'utf8')) as { checkpoint: string; out: { path: string; bytes: number } };
    expect(saved.out).toEqual({ path: join(dir, 'notes.ndjson'), bytes: Buffer.byteLength(readFileSync(join(dir, 'notes.ndjson'))) });
    expect(saved.checkpoint).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('cuts off output a killed run wrote after its last checkpoint', async () => {
    const args = ['pull', ...conn, '--match', 'type=campaign', '--out', 'cut.ndjson', '--checkpoint', 'cut.ckpt'];
    await runCli(args, '', dir);
    const good = readFileSync(join(dir, 'cut.ndjson'), 'utf8');
    appendFileSync(join(dir, 'cut.ndjson'), '{"type":"note","id":"half-written');
    await runCli(args, '', dir);
    expect(readFileSync(join(dir, 'cut.ndjson'), 'utf8')).toBe(good);
  });

  it('refuses a checkpoint made for other filters or another format', async () => {
    await runCli(['pull', ...conn, '--match', 'type=campaign', '--checkpoint', 'other.ckpt'], '', dir);
    const r = await runCli(['pull', ...conn, '--match', 'type=note', '--checkpoint', 'other.ckpt'], '', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('belongs to a pull with other filters or format');
    writeFileSync(join(dir, 'junk.ckpt'), 'not json');
    expect((await runCli(['pull', ...conn, '--checkpoint', 'junk.ckpt'], '', dir)).code).toBe(2);
  });

  it('keeps polling with --follow until stopped, writing what arrives', async () => {
    const controller = new AbortController();
    let out = '';
    let err = '';
    const pages: number[] = [];
    const running = runPull(
      [...conn, '--match', 'type=indicator', '--follow', '--interval', '50ms'],
      {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
        stdin: Readable.from([]),
        env: {},
        cwd: dir,
      },
      { signal: controller.signal, onPage: (p) => pages.push(p.objects) },
    );
    const deadline = Date.now() + 10_000;
    while (pages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await push([indicator(1), indicator(2)]);
    while (!out.includes(indicator(2)['id'] as string) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await running).toBe(0);
    const ids = ndjsonIds(out);
    expect(ids.filter((i) => i === indicator(1)['id'])).toHaveLength(1);
    expect(ids.filter((i) => i === indicator(2)['id'])).toHaveLength(1);
    expect(err).toMatch(/pulled: \d+ objects/);
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { runCli } from './run-cli.js';

/**
 * `--url http://host:port` (a server, no path): discovery at /taxii2/ first (TAXII 2.1 §4.1), else the URL as an API
 * root (§4.2), else an error naming both. Fake servers answer just the resources each case needs.
 */

const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION_ID = '3c2b6a8e-4f7d-4d1e-9a55-0f3e8f2b9c11';
const INDICATOR = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'relay',
  description: 'test relay',
  pattern: "[ipv4-addr:value = '192.0.2.7']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00.000Z',
};

type Routes = Record<string, unknown>;

function answer(res: ServerResponse, status: number, body: unknown): void {
  // A page of objects carries its date_added range (§5.4), which pull stores as its checkpoint.
  const range = body === objectsEnvelope ? { 'x-taxii-date-added-first': '2026-01-02T00:00:00.000000Z', 'x-taxii-date-added-last': '2026-01-02T00:00:00.000000Z' } : {};
  res.writeHead(status, { 'content-type': TAXII, ...range });
  res.end(JSON.stringify(body));
}

/** A server answering GETs from a path → resource table (404 with a TAXII error elsewhere), logging what was asked. */
function fakeServer(routes: Routes, seen: string[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    seen.push(`${req.method ?? ''} ${path}`);
    const body = routes[path];
    if (body === undefined) answer(res, 404, { title: 'not found' });
    else answer(res, 200, body);
  });
}

const apiRootInfo = { title: 'root', versions: [TAXII], max_content_length: 10_000_000 };
const collectionsAt = { collections: [{ id: COLLECTION_ID, title: 'Feed', alias: 'feed', can_read: true, can_write: true, media_types: [TAXII] }] };
const objectsEnvelope = { more: false, objects: [INDICATOR] };

function apiRootRoutes(prefix: string): Routes {
  return {
    [`${prefix}`]: apiRootInfo,
    [`${prefix}collections/`]: collectionsAt,
    [`${prefix}collections/${COLLECTION_ID}/objects/`]: objectsEnvelope,
  };
}

let dir = '';
const servers: Server[] = [];
async function listen(s: Server): Promise<string> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-server-url-'));
}, 300_000);

afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('--url naming a server only', () => {
  it('uses the only API root discovery lists (no default), through the built CLI', async () => {
    const seen: string[] = [];
    const base = await listen(fakeServer({ '/taxii2/': { title: 'disc', api_roots: ['/only/'] }, ...apiRootRoutes('/only/') }, seen));
    const out = join(dir, 'only.ndjson');
    const r = await runBuilt(['pull', '--url', base, '--collection', 'feed', '--out', out, '--user', 'u:p']);
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('pulled: 1 objects')]);
    expect(JSON.parse(readFileSync(out, 'utf8').trim())).toEqual(INDICATOR);
    expect(seen[0]).toBe('GET /taxii2/');
    expect(seen).toContain(`GET /only/collections/${COLLECTION_ID}/objects/`);
  }, 60_000);

  it("uses discovery's default API root when it names one", async () => {
    const seen: string[] = [];
    const base = await listen(fakeServer({ '/taxii2/': { title: 'disc', default: '/b/', api_roots: ['/a/', '/b/'] }, ...apiRootRoutes('/b/') }, seen));
    const r = await runCli(['pull', '--url', `${base}/`, '--collection', 'feed', '--out', join(dir, 'default.ndjson'), '--user', 'u:p']);
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('pulled: 1 objects')]);
    expect(seen.some((s) => s.startsWith('GET /a/'))).toBe(false);
  });

  it('treats the server as an API root when /taxii2/ holds no discovery resource', async () => {
    const seen: string[] = [];
    const base = await listen(fakeServer(apiRootRoutes('/'), seen));
    const r = await runCli(['pull', '--url', base, '--collection', 'feed', '--out', join(dir, 'root.ndjson'), '--user', 'u:p']);
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('pulled: 1 objects')]);
    expect(seen.slice(0, 2)).toEqual(['GET /taxii2/', 'GET /']);
  });

  it('says what it tried when neither discovery nor an API root answers (exit 3)', async () => {
    const base = await listen(fakeServer({}, []));
    const r = await runBuilt(['pull', '--url', base, '--collection', 'feed', '--out', join(dir, 'none.ndjson'), '--user', 'u:p']);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `distill-intel pull: no TAXII server found at ${base}: no discovery resource at ${base}/taxii2/ (HTTP 404) and no API root at ${base}/ (HTTP 404); ` +
        `give the API-root URL (e.g. ${base}/api1/) or the discovery URL`,
    );
  }, 60_000);

  describe('several API roots and no default: an error listing them, from every command that takes --url', () => {
    let base = '';
    const seen: string[] = [];
    beforeAll(async () => {
      base = await listen(fakeServer({ '/taxii2/': { title: 'disc', api_roots: ['/a/', 'https://other.example/b/'] }, ...apiRootRoutes('/a/') }, seen));
      writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ type: 'bundle', id: 'bundle--0b7f0a38-7a1e-4d8a-9f4e-1c2d3e4f5a6b', objects: [INDICATOR] }));
      writeFileSync(join(dir, 'logs.jsonl'), '');
    });
    const listed = (): string => `lists 2 API roots and names no default: give one with --url (${base}/a/, https://other.example/b/)`;

    it.each([
      ['pull', (): string[] => ['pull', '--url', base, '--collection', 'feed', '--out', join(dir, 'x.ndjson')]],
      ['push', (): string[] => ['push', '--url', base, '--collection', 'feed', join(dir, 'bundle.json')]],
      ['report', (): string[] => ['report', '--url', base, '--collection', 'feed']],
      ['match', (): string[] => ['match', '--url', base, '--collection', 'feed', '--key', 'k1:0123456789abcdef0123', '--lab', 'Lab T', join(dir, 'logs.jsonl')]],
    ])('%s', async (_name, args) => {
      const before = seen.length;
      const r = await runCli([...args(), '--user', 'u:p'], '', dir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(listed());
      // Nothing but discovery was asked: no API root was guessed.
      expect(seen.slice(before)).toEqual(['GET /taxii2/']);
      expect(r.stdout).toBe('');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { runCli } from './run-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';

/** A feed as real ones are: one address defanged for human readers, one URL with a defanged scheme. */
const FEED = [
  {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--6a1f2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: 'Proxy exits',
    pattern: "[ipv4-addr:value = '59.188.12[.]123' OR ipv4-addr:value = '203.0.113.5'] OR [url:value = 'hxxp://evil.example/v1']",
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
  },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'defanged-'));
  writeFileSync(join(dir, 'feed.ndjson'), FEED + '\n');
  await ensureBuilt();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('convert never exports defanged values (built CLI)', () => {
  it('values: only the real address is listed; the defanged ones are reported with the reason', async () => {
    const run = await runBuilt(['convert', '--to', 'values', '--list', 'ipv4-addr', '--verbose', '--now', '2026-02-01T00:00:00Z', 'feed.ndjson'], { cwd: dir });
    expect(run.stdout).toBe('203.0.113.5\n');
    expect(run.stderr).toContain("the ipv4-addr value '59.188.12[.]123' is defanged; it is not exported");
    expect(run.stderr).toContain("the url value 'hxxp://evil.example/v1' is defanged");
    expect(run.code).toBe(0);
  });

  it('--refang restores them, on request only', async () => {
    const run = await runBuilt(['convert', '--to', 'values', '--list', 'ipv4-addr,url', '--refang', '--now', '2026-02-01T00:00:00Z', 'feed.ndjson'], { cwd: dir });
    expect(run.stdout.split('\n').filter((l) => l !== '').sort()).toEqual(['203.0.113.5', '59.188.12.123', 'http://evil.example/v1']);
  });

  it('--fail-on-issues makes a defanged value fail the run', async () => {
    const run = await runBuilt(['convert', '--to', 'ecs', '--fail-on-issues', 'feed.ndjson'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('[.]');
  });
});

describe('pull checks values the same way (in-process server)', () => {
  it('rows without --refang leave the defanged address out; with --refang it is restored', async () => {
    const server = await startServer();
    try {
      const conn = ['--url', server.discovery, '--collection', 'demo', '--user', `${USER}:${PASSWORD}`];
      const pushed = await runCli(['push', ...conn, 'feed.ndjson'], '', dir);
      expect(pushed.code).toBe(0);
      const values = (stdout: string): string[] => stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { value: string }).value).sort();
      const plain = await runCli(['pull', ...conn, '--format', 'rows', '--no-progress', '--verbose'], '', dir);
      expect(values(plain.stdout)).toEqual(['203.0.113.5']);
      expect(plain.stderr).toContain("value-defanged: the ipv4-addr value '59.188.12[.]123' is defanged");
      const refanged = await runCli(['pull', ...conn, '--format', 'rows', '--refang', '--no-progress'], '', dir);
      expect(values(refanged.stdout)).toEqual(['203.0.113.5', '59.188.12.123', 'http://evil.example/v1']);
    } finally {
      await server.stop();
    }
  });
});

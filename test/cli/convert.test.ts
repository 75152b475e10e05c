import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Progress, progressLine } from '../../src/cli/progress.js';
import { runCli } from './run-cli.js';

const FEED = readFileSync(new URL('../convert/fixtures/distillation-feed.json', import.meta.url), 'utf8');
const NOW = ['--now', '2026-06-01T00:00:00Z'];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'di-convert-'));
  writeFileSync(join(dir, 'feed.json'), FEED);
  writeFileSync(join(dir, 'broken.ndjson'), '{"type":"indicator","id":"indicator--1a0b8c1e-2b7b-4d0f-8b0a-6a1f1f7e4c11","pattern":"[url:value = \'https://a.example/\']","pattern_type":"stix"}\n{"type": oops}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill-intel convert', () => {
  it('documents itself', async () => {
    const r = await runCli(['convert', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--to <format>');
    expect(r.stdout).toContain('Exit codes:');
  });

  // A value is first matched against the lists asked for, then its status: the revoked URL is "another list" here.
  // The feed (test/convert/fixtures/distillation-feed.json): 14 objects; 3 are not indicators; the 11 indicators give
  // 2 active IPv4 values, 1 expired IPv6 value, 8 values of other lists (lsh_bands twice) and 2 unflattenable patterns.
  const LEFT_OUT = [
    ['not-indicator:campaign', 1],
    ['not-indicator:identity', 1],
    ['not-indicator:relationship', 1],
    ['pattern-type', 1],
    ['qualifier', 1],
    ['values-expired', 1],
    ['values-other-list:ai-service-account.account_pseudonym', 1],
    ['values-other-list:ai-service-account.payment_fingerprints', 1],
    ['values-other-list:autonomous-system', 1],
    ['values-other-list:domain-name', 1],
    ['values-other-list:file.hashes.SHA-256', 1],
    ['values-other-list:prompt-fingerprint.lsh_bands', 2],
    ['values-other-list:url', 1],
  ] as const;

  it('writes a firewall list from a file and ends with one readable summary line', async () => {
    const r = await runCli(['convert', '--to', 'values', '--list', 'ip', ...NOW, 'feed.json'], '', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('203.0.113.17\n203.0.113.18\n');
    const total = LEFT_OUT.reduce((n, [, k]) => n + k, 0);
    expect(r.stderr).toBe(`convert: 14 objects read, 2 values written to stdout, ${total} skipped (${LEFT_OUT.length} reasons; --verbose for details)\n`);
  });

  it('names each unflattenable pattern and counts what was left out by reason with --verbose', async () => {
    const r = await runCli(['convert', '--to', 'values', '--list', 'ip', '--verbose', ...NOW, 'feed.json'], '', dir);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    // Each is named where its object opens in the pretty-printed bundle: the "{" line before the object's "type".
    const opening = (id: string): number => {
      const text = FEED.split('\n');
      const idLine = text.findIndex((l) => l.includes(`"id": "${id}"`));
      let i = idLine;
      while (i > 0 && text[i]?.trim() !== '{') i--;
      return i + 1;
    };
    expect(lines[0]).toMatch(new RegExp(`^feed\\.json:${opening('indicator--fccbc230-6fbc-4b97-8af6-1d01965b284f')}:5 /objects/9: indicator--fccbc230-6fbc-4b97-8af6-1d01965b284f qualifier: `));
    expect(lines[1]).toMatch(new RegExp(`^feed\\.json:${opening('indicator--9d54839e-2663-45d8-ae91-d453b93e33bd')}:5 /objects/11: indicator--9d54839e-2663-45d8-ae91-d453b93e33bd pattern-type: `));
    expect(lines[2]).toBe(`skipped: ${LEFT_OUT.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
    expect(lines[3]).toBe(`convert: 14 objects read, 2 values written to stdout, ${LEFT_OUT.reduce((n, [, k]) => n + k, 0)} skipped (${LEFT_OUT.length} reasons)`);
  });

  it('reads standard input and reports issues as JSON lines on request', async () => {
    const r = await runCli(['convert', '--to', 'csv', '--columns', 'value,status', '--issues', 'json', ...NOW, '-'], FEED, dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')).toContain('2001:db8::17,expired');
    const issues = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { input: string; code: string });
    expect(issues.map((i) => [i.input, i.code])).toEqual([
      ['-', 'qualifier'],
      ['-', 'pattern-type'],
    ]);
  });

  it('writes one file per list with --out-dir, each value once with --unique', async () => {
    const twice = join(dir, 'twice.ndjson');
    const objects = (JSON.parse(FEED) as { objects: unknown[] }).objects;
    writeFileSync(twice, [...objects, ...objects].map((o) => JSON.stringify(o)).join('\n') + '\n');
    mkdirSync(join(dir, 'lists'), { recursive: true });
    // Yesterday's URL list: its only URL has since been revoked, so today's list must be empty, not stale.
    writeFileSync(join(dir, 'lists', 'url.txt'), 'https://router.example.net/v1/chat/completions\n');
    const r = await runCli(['convert', '--to', 'values', '--out-dir', 'lists', '--unique', ...NOW, 'twice.ndjson'], '', dir);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'lists')).sort()).toEqual([
      'ai-service-account.account_pseudonym.txt',
      'ai-service-account.payment_fingerprints.txt',
      'autonomous-system.txt',
      'domain-name.txt',
      'email-addr.txt',
      'file.hashes.SHA-256.txt',
      'ipv4-addr.txt',
      'ipv6-addr.txt',
      'prompt-fingerprint.lsh_bands.txt',
      'url.txt',
    ]);
    expect(readFileSync(join(dir, 'lists', 'ipv4-addr.txt'), 'utf8')).toBe('203.0.113.17\n203.0.113.18\n');
    expect(readFileSync(join(dir, 'lists', 'prompt-fingerprint.lsh_bands.txt'), 'utf8')).toBe('b03:5e2a91c0\nb11:0d7f33aa\n');
    expect(readFileSync(join(dir, 'lists', 'url.txt'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'lists', 'ipv6-addr.txt'), 'utf8')).toBe('');
  });

  it('writes --out atomically and bulk-ready ECS', async () => {
    const r = await runCli(['convert', '--to', 'ecs', '--bulk-index', 'ti', '--feed-name', 'FMF hub', '--out', 'ecs.ndjson', ...NOW, 'feed.json'], '', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const out = readFileSync(join(dir, 'ecs.ndjson'), 'utf8').trimEnd().split('\n');
    expect(out).toHaveLength(20);
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({ index: { _index: 'ti' } });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exits 1 when some input is not JSON, after converting the rest', async () => {
    const r = await runCli(['convert', '--to', 'values', '--list', 'url', 'broken.ndjson'], '', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('https://a.example/\n');
    // The second line of the file is not JSON: named by its line (and column), not by a record number.
    expect(r.stderr).toContain('broken.ndjson:2:1: unreadable: not valid JSON');
  });

  it('exits 1 with --fail-on-issues when a pattern could not be flattened', async () => {
    expect((await runCli(['convert', '--to', 'rows', '--fail-on-issues', 'feed.json'], '', dir)).code).toBe(1);
    expect((await runCli(['convert', '--to', 'rows', 'feed.json'], '', dir)).code).toBe(0);
  });

  it('exits 3 for a missing file and writes nothing', async () => {
    const r = await runCli(['convert', '--to', 'ecs', '--out', 'never.ndjson', 'feed.json', 'missing.json'], '', dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('missing.json: cannot read: no such file');
    expect(readdirSync(dir)).not.toContain('never.ndjson');
  });

  it('exits 2 for usage mistakes', async () => {
    expect((await runCli(['convert', 'feed.json'], '', dir)).code).toBe(2);
    expect((await runCli(['convert', '--to', 'xml', 'feed.json'], '', dir)).code).toBe(2);
    expect((await runCli(['convert', '--to', 'values', 'feed.json'], '', dir)).stderr).toContain('--to values needs --list');
    expect((await runCli(['convert', '--to', 'sentinel', '--batch-size', '500', 'feed.json'], '', dir)).code).toBe(2);
    expect((await runCli(['convert', '--to', 'csv', '--bulk-index', 'x', 'feed.json'], '', dir)).stderr).toContain('--bulk-index applies to --to ecs');
    expect((await runCli(['convert', '--to', 'csv', '--columns', 'nope', 'feed.json'], '', dir)).code).toBe(2);
    expect((await runCli(['convert', '--to', 'csv', '--now', 'yesterday', 'feed.json'], '', dir)).code).toBe(2);
  });

  it('stays quiet on a non-terminal stderr: no progress line, only the summary', async () => {
    const r = await runCli(['convert', '--to', 'rows', '--out', 'rows.ndjson', ...NOW, 'feed.json'], '', dir);
    // Rows keep inactive values (marked): 11 rows, of which the expired IPv6 address and the revoked URL are inactive.
    expect(r.stderr).toBe('convert: 14 objects read, 11 rows written to rows.ndjson (2 inactive, marked so), 5 skipped (5 reasons; --verbose for details)\n');
    expect(r.stderr).not.toContain('\r');
  });

  it('draws progress when asked to, even on a pipe', async () => {
    const r = await runCli(['convert', '--to', 'rows', '--issues', 'none', '--progress', 'feed.json'], '', dir);
    expect(r.stderr).toContain('objects/s');
  });
});

describe('progress', () => {
  it('shows counts and rate, and a bar when the total is known', () => {
    expect(progressLine({ unit: 'objects', count: 5000 }, 2000)).toBe('5,000 objects  2,500 objects/s');
    expect(progressLine({ unit: 'objects', count: 10, done: 250, total: 1000, extra: { rows: 12 } }, 1000)).toBe(
      '[######..................]  25%  10 objects  10 objects/s  rows 12',
    );
  });

  it('draws nothing on a stream that is not a terminal', () => {
    let written = '';
    const p = new Progress({ write: (s: string) => (written += s) }, 'objects');
    p.update({ count: 1 });
    p.clear();
    expect(p.active).toBe(false);
    expect(written).toBe('');
    const tty = new Progress({ write: (s: string) => (written += s), isTTY: true }, 'objects');
    tty.update({ count: 1 });
    tty.clear();
    expect(written).toContain('1 objects');
    expect(written.endsWith('\r\x1b[2K')).toBe(true);
  });
});

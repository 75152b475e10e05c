import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { runCli } from './run-cli.js';

const FIXTURE = readFileSync(new URL('../stix/fixtures/stix20-spec-examples.json', import.meta.url), 'utf8');

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upgrade-cli-'));
  writeFileSync(join(dir, 'feed-2.0.json'), FIXTURE);
  await ensureBuilt();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill-intel upgrade (built CLI, as README shows it)', () => {
  it('writes a 2.1 bundle that validate --strict accepts', async () => {
    const up = await runBuilt(['upgrade', 'feed-2.0.json', '--out', 'feed-2.1.json'], { cwd: dir });
    expect(up.stderr).toBe('17 objects written, 12 upgraded from STIX 2.0: 0 errors\n');
    expect(up.code).toBe(0);
    const bundle = JSON.parse(readFileSync(join(dir, 'feed-2.1.json'), 'utf8')) as { type: string; id: string; objects: unknown[] };
    expect(bundle.type).toBe('bundle');
    // One input bundle: its id is kept; a 2.1 bundle has no spec_version (§8).
    expect(bundle.id).toBe('bundle--5d0092c5-5f74-4287-9642-33f4c354e56d');
    expect(bundle).not.toHaveProperty('spec_version');
    const check = await runBuilt(['validate', '--strict', 'feed-2.1.json'], { cwd: dir });
    expect(check.stdout).toBe('1 input, 17 valid objects: 0 errors, 0 warnings\n');
    expect(check.code).toBe(0);
  });

  it('reads standard input and writes NDJSON with --format ndjson', async () => {
    const up = await runBuilt(['upgrade', '--format', 'ndjson'], { stdin: FIXTURE });
    expect(up.code).toBe(0);
    const lines = up.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { spec_version: string });
    expect(lines).toHaveLength(17);
    expect(lines.every((o) => o.spec_version === '2.1')).toBe(true);
  });
});

describe('distill-intel upgrade: problems', () => {
  it('exits 1 and names the dangling reference, still writing the output', async () => {
    const broken = {
      type: 'observed-data',
      id: 'observed-data--6b2ad1e1-0d3c-4c1b-9f3d-3f7a0f9d8b11',
      created: '2017-02-01T00:00:00.000Z',
      modified: '2017-02-01T00:00:00.000Z',
      first_observed: '2017-02-01T00:00:00Z',
      last_observed: '2017-02-01T00:00:00Z',
      number_observed: 1,
      objects: { '0': { type: 'network-traffic', src_ref: '3', protocols: ['tcp'] } },
    };
    const run = await runCli(['upgrade', '-'], JSON.stringify(broken));
    expect(run.code).toBe(1);
    // Placed at the "0" entry of the objects dictionary in the one-line input.
    const text = JSON.stringify(broken);
    const column = text.indexOf('"0":') + 1;
    expect(run.stderr).toContain(`-:1:${column} /objects/0: error upgrade-dangling-reference: objects['0'] refers to '3'`);
    expect(JSON.parse(run.stdout)).toHaveProperty('objects');
  });

  it('exits 1 on text that is not JSON, with line and column', async () => {
    const run = await runCli(['upgrade', '-'], '{"type": "indicator",\n "id": }');
    expect(run.code).toBe(1);
    // The value after "id": is missing: the "}" at line 2, column 8.
    expect(run.stderr).toMatch(/^-:2:8: error json-syntax: /m);
  });

  it('refuses an unknown --format as a usage error', async () => {
    const run = await runCli(['upgrade', '--format', 'xml', '-'], '{}');
    expect(run.code).toBe(2);
  });
});

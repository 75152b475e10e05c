import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, runBuilt } from './built-cli.js';

// The built `validate` runs from dist/cli/validate-command.cjs with the V8 code cache the build made for it
// (src/cli/load-cached-bundle.ts). The cache may only make it start sooner: these tests run the built CLI with the
// cache, without it, and without the bundle at all, on copies of the package, and compare what each printed.
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const T = '2026-01-01T00:00:00.000Z';
const indicator = (id: string, pattern: string): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: T,
  modified: T,
  name: 'Proxy egress',
  description: 'Egress of a reseller proxy',
  indicator_types: ['malicious-activity'],
  pattern,
  pattern_type: 'stix',
  valid_from: T,
});
const OBJECTS = [
  indicator('indicator--0f6b1a3c-2d4e-4f5a-8b6c-7d8e9f0a1b2c', "[ipv4-addr:value = '203.0.113.5']"),
  // pattern-syntax: the stray `= ]` (§9)
  indicator('indicator--1f6b1a3c-2d4e-4f5a-8b6c-7d8e9f0a1b2c', "[ipv4-addr:value = '203.0.113.5' = ]"),
  // pattern-root-type: one observation whose AND joins two object types
  indicator('indicator--2f6b1a3c-2d4e-4f5a-8b6c-7d8e9f0a1b2c', "[ipv4-addr:value = '203.0.113.5' AND url:value = 'https://x.example/']"),
  // schema-required: malware needs is_family (§4.11)
  { type: 'malware', spec_version: '2.1', id: 'malware--3f6b1a3c-2d4e-4f5a-8b6c-7d8e9f0a1b2c', created: T, modified: T, name: 'Scraper' },
  { type: 'identity', spec_version: '2.1', id: 'identity--4f6b1a3c-2d4e-4f5a-8b6c-7d8e9f0a1b2c', created: T, modified: T, name: 'Lab', identity_class: 'organization' },
];

let work = '';

/** A copy of the package (dist/ copied; schemas, node_modules and package.json as the package has them) under `name`. */
function packageCopy(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'schemas'), join(dir, 'schemas'), 'dir');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** `distill-intel validate <args>` run from the package at `pkg`, in `work`. */
function validateFrom(pkg: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(pkg, 'dist/cli/main.js'), 'validate', ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'di-validate-cache-'));
  writeFileSync(join(work, 'feed.ndjson'), OBJECTS.map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(work, 'feed.json'), JSON.stringify({ type: 'bundle', id: 'bundle--5f6b1a3c-2d4e-4f5a-8b6c-7d8e9f0a1b2c', objects: OBJECTS }, null, 2));
}, 300_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('validate with the code cache (built CLI)', () => {
  it('the build writes the bundle and a cache this Node takes', () => {
    const bundle = join(ROOT, 'dist/cli/validate-command.cjs');
    expect(existsSync(bundle)).toBe(true);
    const script = `
      import * as io from ${JSON.stringify(join(ROOT, 'dist/cli/io.js'))};
      import { loadCachedBundle } from ${JSON.stringify(join(ROOT, 'dist/cli/load-cached-bundle.js'))};
      const loaded = loadCachedBundle(${JSON.stringify(bundle)}, { provided: { './io.js': io } });
      console.log(loaded.cache, typeof loaded.exports.runValidate);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('used function\n');
  });

  it('reports the same with the cache, without it, and from the unbundled modules', () => {
    const noCache = packageCopy('no-cache');
    rmSync(join(noCache, 'dist/cli/validate-command.cjs.cache'));
    const noBundle = packageCopy('no-bundle');
    rmSync(join(noBundle, 'dist/cli/validate-command.cjs'));
    for (const args of [['feed.ndjson'], ['--format', 'json', 'feed.ndjson', 'feed.json'], ['--summary', '--strict', 'feed.json']]) {
      const cached = validateFrom(ROOT, args);
      expect(cached.code).toBe(1);
      for (const code of ['pattern-syntax', 'pattern-root-type', 'schema-required']) expect(cached.stdout).toContain(code);
      expect(validateFrom(noCache, args)).toEqual(cached);
      expect(validateFrom(noBundle, args)).toEqual(cached);
    }
  }, 120_000);

  it('ignores a cache made from another bundle of the same length', () => {
    // The bundle edited without a new cache: a message changed to one of the same length, which V8's own check
    // (the source's length) cannot tell apart.
    const edited = packageCopy('edited');
    const file = join(edited, 'dist/cli/validate-command.cjs');
    const source = readFileSync(file, 'utf8');
    expect(source).toContain("missing required property '");
    writeFileSync(file, source.replace("missing required property '", "MISSING REQUIRED PROPERTY '"));
    expect(readFileSync(file).length).toBe(Buffer.byteLength(source));
    const r = validateFrom(edited, ['feed.ndjson']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("error schema-required: MISSING REQUIRED PROPERTY 'is_family'");
  }, 60_000);

  it('a usage error still exits 2 and a broken pattern 1, through the bundle', async () => {
    const usage = await runBuilt(['validate', '--max-per-code', 'many', '-'], { stdin: '{}' });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^distill-intel validate: .*many/);
    expect(usage.stderr).toContain("Run 'distill-intel validate --help' for the options.\n");
    const pattern = await runBuilt(['validate', '-'], { stdin: JSON.stringify(OBJECTS[1]) });
    expect(pattern.code).toBe(1);
    expect(pattern.stdout).toContain('error pattern-syntax');
  }, 60_000);
});

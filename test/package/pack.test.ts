import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BAD_PATTERN_INDICATOR, entryPointScript } from './entry-point-scripts.js';

// What users install is what we test: pack a copy of the sources that has no dist/ (as a fresh clone or a git
// install has), so the tarball's dist/ can only come from the `prepare` script; install the tarball into an empty
// project, then import every public subpath and run the bin from there. No SQLite driver gets installed there: a
// library user must not compile native code they never use.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports).filter((p) => p !== './package.json');

let work = '';
let project = '';
let installLog = '';

function run(cmd: string, args: string[], cwd: string, input?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
}

describe('the packed package', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'distill-intel-pack-'));
    const source = join(work, 'source');
    mkdirSync(source);
    for (const f of ['src', 'schemas', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE']) {
      cpSync(join(root, f), join(source, f), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
    run('npm', ['pack', '--pack-destination', work, '--silent'], source);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack produced no tarball');
    project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', join(work, tarball)], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    installLog = `${install.stdout}\n${install.stderr}`;
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${installLog}`);
  }, 600_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('ships dist (built on pack), schemas, README, LICENSE and the package metadata, nothing else', () => {
    const installed = join(project, 'node_modules', pkg.name);
    const top = readdirSync(installed).sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'schemas']);
    expect(existsSync(join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it('ships the validate bundle with a code cache, made on pack, that the installed bin uses', () => {
    const cli = join(project, 'node_modules', pkg.name, 'dist', 'cli');
    const script = `
      import * as io from ${JSON.stringify(join(cli, 'io.js'))};
      import { loadCachedBundle } from ${JSON.stringify(join(cli, 'load-cached-bundle.js'))};
      console.log(loadCachedBundle(${JSON.stringify(join(cli, 'validate-command.cjs'))}, { provided: { './io.js': io } }).cache);`;
    expect(run('node', ['--input-type=module', '-e', script], project)).toBe('used\n');
  });

  it('installs no native SQLite driver and warns about no engine', () => {
    expect(existsSync(join(project, 'node_modules', 'better-sqlite3'))).toBe(false);
    expect(installLog).not.toMatch(/EBADENGINE/);
  });

  it.each(subpaths)('imports the public subpath %s', (subpath) => {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const script = `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length);`;
    const out = run('node', ['--input-type=module', '-e', script], project);
    expect(Number(out.trim())).toBeGreaterThan(0);
  });

  it('opening a SQLite store without the driver names the package to install', () => {
    const script =
      `import { SqliteStore } from '${pkg.name}/store/sqlite';` +
      `try { new SqliteStore({ filename: ':memory:' }); console.log('opened'); } catch (e) { console.log(e.code, e.message); }`;
    const out = run('node', ['--input-type=module', '-e', script], project);
    expect(out).toMatch(/^STORE_DRIVER_MISSING .*npm install better-sqlite3/);
  });

  it('serve on the SQLite store without the driver says what to install, and exits 1', () => {
    const r = spawnSync(join(project, 'node_modules', '.bin', 'distill-intel'), ['serve', '--db', ':memory:', '--port', '0'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/npm install better-sqlite3/);
  });

  it('runs the distill-intel bin', () => {
    const help = run(join(project, 'node_modules', '.bin', 'distill-intel'), ['--help'], project);
    expect(help).toContain('Usage: distill-intel <command>');
    const indicator = {
      type: 'ipv4-addr',
      id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
      value: '198.51.100.3',
    };
    const out = run(join(project, 'node_modules', '.bin', 'distill-intel'), ['validate', '-'], project, JSON.stringify(indicator));
    expect(out).toMatch(/0 errors/);
  });

  it.each(subpaths)('validates patterns when only %s is imported, in a fresh process', (subpath) => {
    const out = run('node', ['--input-type=module', '-e', entryPointScript(pkg.name, subpath)], project);
    expect(JSON.parse(out.trim().split('\n').pop() ?? '[]')).toContain('pattern-syntax');
  });

  // Each pattern breaks one rule of §9; the code is the one the checker gives for that rule.
  const badPatterns: ReadonlyArray<readonly [string, string, string]> = [
    ['a syntax error', "[ipv4-addr:value = '203.0.113.5' = ]", 'pattern-syntax'],
    ['an object type that is no type name', "[ipv4_addr:value = '203.0.113.5']", 'pattern-invalid-object-type'],
    ['AND across object types in one observation', "[ipv4-addr:value = '203.0.113.5' AND domain-name:value = 'example.com']", 'pattern-root-type'],
    ['a START timestamp in month 13', "[ipv4-addr:value = '203.0.113.5'] START t'2026-13-01T00:00:00Z' STOP t'2027-01-01T00:00:00Z'", 'pattern-invalid-timestamp'],
    ['STOP before START', "[ipv4-addr:value = '203.0.113.5'] START t'2026-02-01T00:00:00Z' STOP t'2026-01-01T00:00:00Z'", 'pattern-start-stop-order'],
  ];
  const bins = (): ReadonlyArray<readonly [string, string[], string]> => [
    // `npm pack` built the copied sources' dist/ (the prepare script): the CLI as a clone builds it.
    ['the built dist/ CLI', ['node', join(work, 'source', 'dist', 'cli', 'main.js')], join(work, 'source')],
    ['the installed tarball bin', [join(project, 'node_modules', '.bin', 'distill-intel')], project],
  ];
  describe.each(badPatterns)('an indicator with %s', (_what, pattern, code) => {
    it('makes `validate` exit 1 with the pattern code, run from dist/ and from the tarball', () => {
      const file = join(work, `${code}.json`);
      writeFileSync(file, JSON.stringify({ ...BAD_PATTERN_INDICATOR, pattern }));
      for (const [, [cmd, ...pre], cwd] of bins()) {
        const r = spawnSync(cmd as string, [...pre, 'validate', file], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
        expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: expect.stringContaining(`/pattern: error ${code}:`) });
      }
    });
  });

  it('makes an unknown (well-formed) object type an error under --strict only', () => {
    const file = join(work, 'unknown-type.json');
    writeFileSync(file, JSON.stringify({ ...BAD_PATTERN_INDICATOR, pattern: "[ipvv4-addr:value = '203.0.113.5']" }));
    for (const [, [cmd, ...pre], cwd] of bins()) {
      const env = { ...process.env, NODE_OPTIONS: '' };
      const lenient = spawnSync(cmd as string, [...pre, 'validate', file], { cwd, encoding: 'utf8', env });
      expect({ status: lenient.status, stdout: lenient.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('warning pattern-unknown-object-type:') });
      const strict = spawnSync(cmd as string, [...pre, 'validate', '--strict', file], { cwd, encoding: 'utf8', env });
      expect({ status: strict.status, stdout: strict.stdout }).toEqual({ status: 1, stdout: expect.stringContaining('error pattern-unknown-object-type:') });
    }
  });
});

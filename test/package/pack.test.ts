import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    for (const f of ['src', 'schemas', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE']) {
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
});

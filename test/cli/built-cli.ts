import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the CLI the way users run it: `node dist/cli/main.js`, the package's bin. `dist/` is built (tsc with
 * tsconfig.build.json, then the validate command's bundle and code cache as `npm run build` makes them) when it is
 * missing or older than any file under src/ or scripts/; a lock directory keeps test files running in parallel from
 * building it twice at once.
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');
/** Written last by the build: the validate command's code cache (scripts/bundle-validate.mjs). */
const LAST_BUILT = join(ROOT, 'dist/cli/validate-command.cjs.cache');
const LOCK = join(ROOT, '.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  if (!existsSync(MAIN) || !existsSync(LAST_BUILT)) return false;
  const newest = Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'scripts')));
  return statSync(MAIN).mtimeMs >= newest && statSync(LAST_BUILT).mtimeMs >= newest;
}

/** Builds dist/ unless it is up to date (waits for another test file's build when one is running). */
export async function ensureBuilt(): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // A lock left by a test run that was killed mid-build is older than any build takes: take it over.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 180_000) rmdirSync(LOCK);
      if (Date.now() > deadline) throw new Error('timed out waiting for another build of dist/');
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
        execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-validate.mjs')], { cwd: ROOT, stdio: 'pipe' });
      }
      return;
    } finally {
      rmdirSync(LOCK);
    }
  }
}

/** What one run of the built CLI did. */
export interface BuiltRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `distill-intel <args>` from dist/ in `cwd`, with `stdin` as its standard input. */
export function runBuilt(args: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<BuiltRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`distill-intel ${args.join(' ')} did not finish: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** A free TCP port on loopback (taken and released at once; a test server binds it right after). */
export async function freeLoopbackPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const address = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** A long-running `distill-intel <args>` from dist/ (a server), resolved once `ready(output so far)` holds. */
export interface BuiltProcess {
  readonly child: ChildProcess;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `distill-intel <args>` in `cwd` and waits (up to 60 s) until its output satisfies `ready`. */
export async function startBuilt(args: string[], cwd: string, ready: (output: string) => boolean): Promise<BuiltProcess> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`distill-intel ${args.join(' ')} did not get ready: ${output}`)), 60_000);
    const onData = (d: Buffer): void => {
      output += d.toString('utf8');
      if (ready(output)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(new Error(`distill-intel ${args.join(' ')} exited with ${String(code)}: ${output}`)));
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

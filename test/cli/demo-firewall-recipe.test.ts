import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, freeLoopbackPort, runBuilt, startBuilt } from './built-cli.js';
import type { BuiltProcess } from './built-cli.js';

/**
 * README's firewall recipe, as a newcomer follows it right after `npm ci && npm start`: the demo server (built CLI,
 * nothing configured, a temporary port instead of 8021 and a temporary folder), then the recipe's commands with the
 * printed password. The demo's 14-day network indicator must be in force whatever day the test runs.
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const RELAY_RANGE = '198.51.100.0/25'; // the relay's egress range in src/distillation/scenarios/hydra-proxy-cluster.ts

/** The sh block that follows README's "Try it on the demo server" sentence, continuation lines joined. */
function recipeLines(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('Try it on the demo server');
  expect(at).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block).not.toBeNull();
  return (block?.[1] ?? '').replace(/\\\n\s*/g, ' ').split('\n').filter((l) => l.trim() !== '');
}

/** Splits a command line on spaces, honouring single quotes (all the recipe uses). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

let dir = '';
let server: BuiltProcess | undefined;
let port = 0;
let password = '';

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-demo-recipe-'));
  port = await freeLoopbackPort();
  server = await startBuilt(['serve', '--port', String(port), '--no-access-log'], dir, (out) => /password: \S+/.test(out) && out.includes('listening on'));
  password = /password: (\S+)/.exec(server.output())?.[1] ?? '';
  expect(server.output()).toContain('Seeded collection "demo"');
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("README's firewall recipe on the demo server", () => {
  it('prints the demo relay range', async () => {
    const env: Record<string, string> = {};
    let last = { code: null as number | null, stdout: '', stderr: '' };
    for (const line of recipeLines()) {
      const concrete = line.replaceAll('<printed password>', password).replaceAll('127.0.0.1:8021', `127.0.0.1:${port}`).replaceAll('/tmp/', `${dir}/`);
      const exported = /^export (\w+)=(.*)$/.exec(concrete);
      if (exported !== null) {
        env[exported[1] as string] = words(exported[2] as string).join(' ');
        continue;
      }
      for (const command of concrete.split('&&').map((c) => c.trim()).filter((c) => c !== '')) {
        const argv = words(command);
        expect(argv.slice(0, 2)).toEqual(['npx', 'distill-intel']);
        last = await runBuilt(argv.slice(2), { cwd: dir, env });
        expect([command, last.code, last.stderr]).toEqual([command, 0, expect.any(String)]);
      }
    }
    expect(last.stdout.trim().split('\n')).toEqual([RELAY_RANGE]);
    // The demo's three indicators: the relay's (its range, and a domain of another list), the template's two LSH bands
    // and the shared payment fingerprint: one value written, four of other lists left out for three reasons.
    expect(last.stderr).toBe('convert: 3 objects read, 1 value written to stdout, 4 skipped (3 reasons; --verbose for details)\n');
  }, 120_000);
});

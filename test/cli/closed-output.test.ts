import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './built-cli.js';

const MAIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closed-output-'));
  // 20,000 addresses whose ids are UUIDv4 where §2.9 asks for the UUIDv5 of the value: one warning line each on
  // standard output, far more than a pipe holds.
  const lines: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const id = `ipv4-addr--${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    lines.push(JSON.stringify({ type: 'ipv4-addr', spec_version: '2.1', id, value: `198.51.100.${i % 256}` }));
  }
  writeFileSync(join(dir, 'many.ndjson'), lines.join('\n') + '\n');
  await ensureBuilt();
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built CLI when the reader of its output goes away (validate … | head -1)', () => {
  it('stops at once with one line on standard error and exit 3, not an unhandled-error trace', async () => {
    const child = spawn(process.execPath, [MAIN, 'validate', 'many.ndjson'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    let first = '';
    child.stdout.setEncoding('utf8').once('data', (s: string) => {
      first = s;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(first.startsWith('many.ndjson:1:')).toBe(true);
    expect(first).toContain('uuid-version');
    expect(stderr).toBe('distill-intel: stopped: its reader closed standard output (EPIPE)\n');
    expect(code).toBe(3);
  }, 60_000);
});

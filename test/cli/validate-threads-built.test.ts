import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { indicatorLine as indicator } from '../stix/indicator-line.js';
import { corpusLines } from '../stix/corpus-lines.js';

/**
 * `distill-intel validate --threads N` judges NDJSON records on worker threads once 10,000 have been read. The built
 * CLI reads every object of the fixture corpus as NDJSON (more than 10,000 records, so threads take over), then lines
 * whose findings are known, and must print byte for byte what it prints on one thread, in every report form.
 */

const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');

let dir = '';
let file = '';
let known = 0;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-validate-threads-'));
  const once = corpusLines(FIXTURES);
  let lines = once;
  while (lines.length < 10_500) lines = [...lines, ...once];
  known = lines.length + 1;
  lines.push(indicator(), indicator({ description: 'other content' }), '{"type": not json');
  file = join(dir, 'corpus.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill-intel validate --threads', () => {
  it.each([
    ['2', []],
    ['2', ['--format', 'json']],
    ['1', ['--summary']],
    ['1', ['--max-per-code', '0', '--strict']],
  ])('prints the same report on %s threads as on one thread: %j', async (threads: string, args: string[]) => {
    const one = await runBuilt(['validate', '--threads', '0', ...args, file], { timeoutMs: 240_000 });
    const two = await runBuilt(['validate', '--threads', threads, ...args, file], { timeoutMs: 240_000 });
    expect(one.stderr).toBe('');
    expect(two.stderr).toBe('');
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    // The lines after the corpus, read by the threads: a version written twice with other content, then not JSON.
    expect(one.code).toBe(1);
    if (args[0] === '--format') {
      const report = JSON.parse(one.stdout) as { inputs: Array<{ diagnostics: Array<{ code: string; line: number; message: string }> }> };
      const ds = report.inputs[0]?.diagnostics ?? [];
      const duplicate = ds.find((d) => d.code === 'duplicate-version' && d.line === known + 1);
      expect(duplicate?.message).toContain(`also occurs at line ${known}`);
      expect(ds.find((d) => d.code === 'json-syntax')?.line).toBe(known + 2);
    }
  }, 600_000);

  it.each(['many', '65', '-1'])('refuses --threads %s', async (n) => {
    const r = await runBuilt(['validate', '--threads', n, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--threads takes a whole number of threads from 0 to 64, not '${n}'`);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, runBuilt } from './built-cli.js';

/**
 * `distill-intel validate FILE` keeps each NDJSON object version as where it lies in the file and reads two back when
 * they share id and modified; from standard input it hashes every text instead. Both must report the same. The file
 * is larger than the 1 MiB the command reads at a time, so that most of it is read as bytes.
 */

const identity = (i: number, name = `Lab ${i}`): string =>
  JSON.stringify({
    type: 'identity',
    spec_version: '2.1',
    id: `identity--311b2d2d-f010-4473-83ec-${String(i).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name,
    description: 'x'.repeat(400),
  });

let dir = '';
let text = '';
const lines: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-validate-read-back-'));
  for (let i = 0; i < 4000; i++) lines.push(identity(i));
  // Past the first MiB: the same version again (no finding), and other content for the same id and modified.
  lines.push(identity(3000), identity(3001, 'Other name'), identity(3002) + '\r', identity(3003, 'Zürich 研究所'));
  text = lines.join('\n') + '\n';
  writeFileSync(join(dir, 'feed.ndjson'), text);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill-intel validate on a file it can read back', () => {
  it('reports the duplicate versions it reports from standard input', async () => {
    const fromFile = await runBuilt(['validate', '--format', 'json', '--threads', '0', 'feed.ndjson'], { cwd: dir, timeoutMs: 120_000 });
    const fromStdin = await runBuilt(['validate', '--format', 'json', '--threads', '0', '-'], { cwd: dir, stdin: text, timeoutMs: 120_000 });
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(1);
    const report = JSON.parse(fromFile.stdout) as { inputs: Array<{ objects: number; diagnostics: Array<{ code: string; line: number; message: string }> }> };
    const duplicates = report.inputs[0]?.diagnostics.filter((d) => d.code === 'duplicate-version') ?? [];
    // Lines 4002 and 4004 repeat the objects of lines 3002 and 3004 with another name.
    expect(duplicates.map((d) => [d.line, d.message.split(' with ')[0]])).toEqual([
      [4002, 'identity--311b2d2d-f010-4473-83ec-000000003001 version 2026-01-01T00:00:00.000Z also occurs at line 3002'],
      [4004, 'identity--311b2d2d-f010-4473-83ec-000000003003 version 2026-01-01T00:00:00.000Z also occurs at line 3004'],
    ]);
    expect(report.inputs[0]?.objects).toBe(4002);
    expect(fromStdin.stdout.replace('"input": "-"', '"input": "feed.ndjson"')).toBe(fromFile.stdout);
  }, 300_000);
});

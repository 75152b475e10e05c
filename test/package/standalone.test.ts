import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// A fresh clone must pass on its own: nothing the repository ships may read the team's shared folder or a path of
// one machine. Fixtures are data copied in (test/fixtures/README.md), so they are not scanned.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['src', 'test', 'bench', 'examples', 'docs', 'package.json', 'README.md', '.ci'];
const SKIPPED = new Set([join(root, 'test', 'fixtures'), join(root, 'docs', 'api')]);
const OUTSIDE = /(^|[^.a-zA-Z])\/(work|root|home)\/|\.\.\/shared\//;

function files(path: string): string[] {
  if (SKIPPED.has(path)) return [];
  if (!statSync(path, { throwIfNoEntry: false })) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

describe('the repository stands alone', () => {
  it('no file refers to ../shared or to an absolute home, root or work path', () => {
    const offenders: string[] = [];
    for (const file of SCANNED.flatMap((p) => files(join(root, p)))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (OUTSIDE.test(line)) offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('the fixtures README names a source and licence for every fixture folder', () => {
    const readme = readFileSync(join(root, 'test', 'fixtures', 'README.md'), 'utf8');
    for (const entry of readdirSync(join(root, 'test', 'fixtures'))) {
      if (entry === 'README.md') continue;
      expect(readme).toContain(`\`${entry}/`);
    }
    expect(readme).toMatch(/BSD-3-Clause/);
  });
});

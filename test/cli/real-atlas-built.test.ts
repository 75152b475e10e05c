import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, runBuilt } from './built-cli.js';

/**
 * Real data: an unmodified excerpt of MITRE ATLAS's published STIX bundle (test/fixtures/real/atlas/README.md), in which
 * two `mitigates` relationships share one id and one `modified` but point at different techniques. A collection keeps
 * one object per id + modified (§3.6), so one of the two would be lost: `validate` must say so, and where.
 */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const FIXTURE = 'test/fixtures/real/atlas/stix-atlas-duplicate-mitigates.json';
const DUPLICATED = 'relationship--0ceb5f22-a528-592a-a1d5-576b12049efe';

beforeAll(async () => {
  await ensureBuilt();
}, 400_000);

/** 1-based column of the `"modified"` key of the n-th (0-based) occurrence of the duplicated id in the one-line file. */
function modifiedColumn(text: string, occurrence: number): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(`"id": "${DUPLICATED}"`, at + 1);
  return text.indexOf('"modified"', at) + 1;
}

describe('validate on the real ATLAS excerpt (built CLI)', () => {
  it('reports the second mitigates relationship of one id + modified as duplicate-version at its place', async () => {
    const text = readFileSync(join(ROOT, FIXTURE), 'utf8');
    // The excerpt is one line, as published: the five objects are attack-pattern, attack-pattern, course-of-action and
    // the two relationships, so the second relationship is /objects/4 and the first /objects/3.
    expect(text.includes('\n')).toBe(false);
    const r = await runBuilt(['validate', FIXTURE], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${FIXTURE}:1:${modifiedColumn(text, 1)} /objects/4/modified: error duplicate-version: ${DUPLICATED} version 2025-11-06T00:00:00.000Z also occurs at /objects/3 `,
    );
    // Exactly one such finding: the first of the two is the version a receiver keeps.
    expect(r.stdout.match(/duplicate-version/g)).toHaveLength(1);
  }, 120_000);

  it('reports it in the JSON report too, with its pointer and line', async () => {
    const r = await runBuilt(['validate', '--format', 'json', FIXTURE], { cwd: ROOT });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as unknown;
    const found = JSON.stringify(report);
    expect(found).toContain('"code":"duplicate-version"');
    expect(found).toContain('"path":"/objects/4/modified"');
  }, 120_000);
});

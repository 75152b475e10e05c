import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, runBuilt } from './built-cli.js';

/**
 * Real data: an unmodified excerpt of MITRE ATLAS's published STIX bundle (test/fixtures/real/atlas/README.md), in which
 * three pairs of `mitigates` relationships each share one id and one `modified` but point at different techniques. A
 * collection keeps one object per id + modified (§3.6), so one of each pair would be lost: `validate` must say so, and
 * where.
 */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const FIXTURE = 'test/fixtures/real/atlas/stix-atlas-duplicate-mitigates.json';

/** The duplicated relationships, their shared version, and their places in the excerpt (source order). */
const PAIRS = [
  { id: 'relationship--78cd7808-1e7b-5ec3-abbc-fe428d47842d', modified: '2025-11-05T00:00:00.000Z', first: 7, second: 8 },
  { id: 'relationship--ccf1970e-3154-55dd-82e5-2a13a76cd806', modified: '2025-11-05T00:00:00.000Z', first: 9, second: 10 },
  { id: 'relationship--0ceb5f22-a528-592a-a1d5-576b12049efe', modified: '2025-11-06T00:00:00.000Z', first: 11, second: 12 },
];

beforeAll(async () => {
  await ensureBuilt();
}, 400_000);

/** 1-based column of the `"modified"` key of the second occurrence of `id` in the one-line file. */
function secondModifiedColumn(text: string, id: string): number {
  const first = text.indexOf(`"id": "${id}"`);
  const second = text.indexOf(`"id": "${id}"`, first + 1);
  return text.indexOf('"modified"', second) + 1;
}

describe('validate on the real ATLAS excerpt (built CLI)', () => {
  it('reports the second relationship of each id + modified pair as duplicate-version at its place', async () => {
    const text = readFileSync(join(ROOT, FIXTURE), 'utf8');
    const objects = (JSON.parse(text) as { objects: Array<{ id: string }> }).objects;
    // The places below are read off the excerpt itself: four techniques, three mitigations, then the six relationships.
    for (const p of PAIRS) expect([objects[p.first]?.id, objects[p.second]?.id]).toEqual([p.id, p.id]);
    expect(text.includes('\n')).toBe(false);
    const r = await runBuilt(['validate', FIXTURE], { cwd: ROOT });
    expect(r.code).toBe(1);
    for (const p of PAIRS) {
      expect(r.stdout).toContain(
        `${FIXTURE}:1:${secondModifiedColumn(text, p.id)} /objects/${p.second}/modified: error duplicate-version: ${p.id} version ${p.modified} also occurs at /objects/${p.first} `,
      );
    }
    // One finding per pair: the first of each is the version a receiver keeps.
    expect(r.stdout.match(/duplicate-version:/g)).toHaveLength(PAIRS.length);
  }, 120_000);

  it('reports them in the JSON report too, with their pointers', async () => {
    const r = await runBuilt(['validate', '--format', 'json', FIXTURE], { cwd: ROOT });
    expect(r.code).toBe(1);
    const found = JSON.stringify(JSON.parse(r.stdout) as unknown);
    for (const p of PAIRS) expect(found).toContain(`"path":"/objects/${p.second}/modified"`);
    expect(found.match(/"code":"duplicate-version"/g)).toHaveLength(PAIRS.length);
  }, 120_000);
});

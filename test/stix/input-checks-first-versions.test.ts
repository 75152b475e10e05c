import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../src/stix/diagnostic.js';
import { FirstVersions } from '../../src/stix/first-versions.js';
import { InputChecks } from '../../src/stix/input-checks.js';
import type { TextSpan } from '../../src/stix/input-checks.js';

/**
 * InputChecks keeps the first version of each id in a hashed table and moves an id into a map when it comes again.
 * Whatever the table does (takes the id, or refuses it because its slots are full near the hash), the findings must
 * be those §3.6 and §7.1 call for.
 */

const A = '2026-01-01T00:00:00.000Z';
const B = '2026-02-01T00:00:00.000Z';
const idOf = (i: number): string => `identity--311b2d2d-f010-4473-83ec-${String(i).padStart(12, '0')}`;
const identity = (i: number, modified: string, name: string): string => JSON.stringify({ type: 'identity', spec_version: '2.1', id: idOf(i), created: A, modified, name });

/** Feeds `lines` to one InputChecks as NDJSON records of a file that can be read back; returns findings and read-backs. */
function run(lines: string[], firsts: FirstVersions, extra?: (checks: InputChecks, out: Diagnostic[]) => void): { codes: string[]; messages: string[]; readBacks: number } {
  const input = Buffer.from(lines.join('\n') + '\n');
  let readBacks = 0;
  const checks = new InputChecks(
    undefined,
    (span: TextSpan) => {
      readBacks++;
      return input.toString('utf8', span.offset, span.offset + span.length);
    },
    firsts,
  );
  checks.describe = (pointer) => `line ${Number(pointer.slice(1)) + 1}`;
  const out: Diagnostic[] = [];
  let offset = 0;
  lines.forEach((text, i) => {
    checks.recordText(text, { offset, length: Buffer.byteLength(text) });
    offset += Buffer.byteLength(text) + 1;
    checks.add(JSON.parse(text) as Record<string, unknown>, `/${i}`, out);
  });
  extra?.(checks, out);
  checks.finish(out);
  return { codes: out.map((d) => d.code), messages: out.map((d) => `${d.path} ${d.message}`), readBacks };
}

describe('InputChecks with its table of first versions', () => {
  const n = 3000;
  // Every id once, then each again: the same text (no finding), other content (a finding), and a second version.
  const lines = [
    ...Array.from({ length: n }, (_, i) => identity(i, A, `lab ${i}`)),
    ...Array.from({ length: n }, (_, i) => identity(i, A, `lab ${i}`)),
    ...Array.from({ length: n }, (_, i) => identity(i, A, `renamed ${i}`)),
    ...Array.from({ length: n }, (_, i) => identity(i, B, `lab ${i}`)),
  ];
  const expected = Array.from(
    { length: n },
    (_, i) => `/${2 * n + i}/modified ${idOf(i)} version ${A} also occurs at line ${i + 1} with other content: id and modified name one version (§3.6), so a receiver keeps only one of them`,
  );

  it('reports each later version with other content, naming the first, when the table takes every id', () => {
    const r = run(lines, new FirstVersions());
    expect(r.messages).toEqual(expected);
    // One read-back when an id comes again (confirming it and moving it), one for each later comparison of version A.
    expect(r.readBacks).toBe(2 * n);
  });

  it('reports the same when the table refuses ids (one slot per hash: most of 3,000 ids collide with another)', () => {
    const firsts = new FirstVersions({ maxProbe: 1 });
    const r = run(lines, firsts);
    expect(firsts.size).toBeLessThan(n);
    expect(r.messages).toEqual(expected);
  });

  it('knows the versions of taken and refused ids for language-content at the end (§7.1)', () => {
    let translations = 0;
    const translation = (i: number, objectModified: string): string =>
      JSON.stringify({
        type: 'language-content',
        spec_version: '2.1',
        id: `language-content--0c2a6e4a-6a1f-4e8b-9c55-${String(translations++).padStart(12, '0')}`,
        created: A,
        modified: A,
        object_ref: idOf(i),
        object_modified: objectModified,
        contents: { de: { name: 'Labor' } },
      });
    const few = 200;
    const input = [
      ...Array.from({ length: few }, (_, i) => identity(i, A, `lab ${i}`)),
      ...Array.from({ length: few }, (_, i) => translation(i, A)), // names a version present
      ...Array.from({ length: few }, (_, i) => translation(few + i, A)), // names an object absent: not judged
      ...Array.from({ length: few }, (_, i) => translation(i, B)), // names no version present
    ];
    for (const firsts of [new FirstVersions(), new FirstVersions({ maxProbe: 1 })]) {
      const r = run(input, firsts);
      expect(r.codes).toEqual(Array.from({ length: few }, () => 'language-content-modified-mismatch'));
      expect(r.messages[7]).toBe(`/${3 * few + 7}/object_modified object_modified ${B} matches no version of ${idOf(7)} in this content (modified ${A}) (§7.1)`);
    }
  });
});

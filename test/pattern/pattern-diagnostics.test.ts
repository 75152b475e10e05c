import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPattern, nodePosition, parsePattern } from '../../src/pattern/index.js';
import { patternDiagnostics } from '../../src/pattern/check.js';
import { parsePatternText } from '../../src/pattern/parser.js';

describe('validate() uses the pattern checker', () => {
  const indicator = (pattern: string): Record<string, unknown> => ({
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2026-03-01T00:00:00.000Z',
    modified: '2026-03-01T00:00:00.000Z',
    name: 'Reseller proxy egress',
    description: 'Egress range of a reseller proxy used for distillation traffic',
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-03-01T00:00:00Z',
  });
  it('reports pattern errors at /pattern', async () => {
    const { validate } = await import('../../src/stix/validate.js');
    const ok = validate(indicator("[ipv4-addr:value ISSUBSET '203.0.113.0/24']"));
    expect(ok.filter((d) => d.code.startsWith('pattern-'))).toEqual([]);
    const bad = validate(indicator("[ipv4-addr:value ISSUBSET '203.0.113.0/24'"));
    expect(bad).toContainEqual(expect.objectContaining({ code: 'pattern-syntax', severity: 'error', path: '/pattern' }));
  });
});

describe('the validator\'s checker (patternDiagnostics) skips source positions until it has something to say', () => {
  const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/corpus/patterns');
  const vectors = ['valid.txt', 'invalid.txt'].flatMap((f) =>
    readFileSync(resolve(corpus, f), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== ''),
  );
  const extra = [
    "[file:nmae = 'a']",
    "[file:name = 'a' AND process:pid = 1]",
    "[network-traffic:protocols = 'tcp']\n  AND [file:size = '12'] WITHIN 5 SECONDS WITHIN 6 SECONDS",
    "([file:name = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES)",
  ];
  it.each([...vectors, ...extra])('same findings, same line:column, as checkPattern: %s', (text) => {
    expect(patternDiagnostics(text)).toEqual(checkPattern(text).diagnostics);
  });
  it('a tree parsed without positions has none; parsePattern records them', () => {
    const text = "[file:name = 'a']\nOR [file:size = 3]";
    const quick = parsePatternText(text, false);
    const full = parsePattern(text);
    if (!quick.ok || !full.ok) throw new Error('does not parse');
    expect(quick.ast).toEqual(full.ast);
    expect(nodePosition(quick.ast)).toBeUndefined();
    expect(nodePosition(full.ast)).toEqual({ line: 1, column: 1, offset: 0 });
    if (full.ast.kind !== 'operation') throw new Error('expected OR of two observations');
    expect(nodePosition(full.ast.right)).toEqual({ line: 2, column: 4, offset: 21 });
  });
});

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { checkPattern, parsePattern, printPattern } from '../../src/pattern/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = resolve(repoRoot, 'test/fixtures/corpus/patterns');
const lines = (name: string): string[] =>
  readFileSync(resolve(corpus, name), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');

describe('pattern corpus (test/fixtures/corpus/patterns)', () => {
  const valid = lines('valid.txt');
  const invalid = lines('invalid.txt');

  it('has vectors', () => {
    expect(valid.length).toBeGreaterThan(40);
    expect(invalid.length).toBeGreaterThan(30);
  });

  it.each(valid)('valid: %s', (line) => {
    const parsed = parsePattern(line);
    expect(parsed.ok).toBe(true);
    const result = checkPattern(line);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
    // Canonical print re-parses to the same tree.
    if (parsed.ok) {
      const again = parsePattern(printPattern(parsed.ast));
      expect(again.ok && again.ast).toEqual(parsed.ast);
    }
  });

  it.each(invalid)('invalid: %s', (line) => {
    const result = checkPattern(line);
    expect(result.valid).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // Every error says where (line:column) when the pattern came from text.
    for (const e of errors) expect(e.message).toMatch(/^\d+:\d+: /);
  });
});

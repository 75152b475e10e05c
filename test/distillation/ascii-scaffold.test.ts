import { describe, expect, it } from '@jest/globals';
import { finishAsciiScaffold } from '../../src/distillation/ascii-scaffold.js';
import { normalizeTemplate } from '../../src/distillation/prompt-fingerprint.js';

/** The last steps of norm-v1 as the module documentation defines them, with regular expressions. */
const NUMBER = /[-+]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?%?/gi;
const byDefinition = (s: string) => s.replace(NUMBER, ' <num> ').toLowerCase().replace(/\s+/g, ' ').trim();

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('finishAsciiScaffold', () => {
  it('gives the documented result on hand-picked numbers, signs, exponents and whitespace', () => {
    const cases: Array<[string, string]> = [
      ['Solve 2+2 in 3 steps', 'solve <num> <num> in <num> steps'],
      ['Ratio 1,250.5 or -3e4%', 'ratio <num> or <num>'],
      ['w123 and 3. and .5 and -.5 and 1e and 1e+ and 1E-7 and 10%%', 'w <num> and <num> . and <num> and <num> and <num> e and <num> e+ and <num> and <num> %'],
      ['\t  Leading\r\n\vand\ftrailing  \n', 'leading and trailing'],
      ['1-2+3', '<num> <num> <num>'],
      ['', ''],
      ['   ', ''],
      ['--5 ++5 +-5 1_000_000 1,,2 1__', '- <num> + <num> + <num> <num> <num> <num>'],
    ];
    for (const [input, expected] of cases) {
      expect({ input, got: finishAsciiScaffold(input) }).toEqual({ input, got: expected });
      expect({ input, got: finishAsciiScaffold(input) }).toEqual({ input, got: byDefinition(input) });
    }
  });

  it('agrees with the regular expressions on 20,000 random ASCII texts made of the characters that matter', () => {
    const alphabet = ['0', '1', '9', '.', ',', '_', '-', '+', 'e', 'E', '%', 'a', 'Z', 'x', ' ', '  ', '\t', '\n', '\r', '\v', '\f', '\x1c', '!', '<'];
    const next = random(18);
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      const length = Math.floor(next() * 24);
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)] as string;
      const got = finishAsciiScaffold(s);
      if (got !== byDefinition(s)) expect({ s, got }).toEqual({ s, got: byDefinition(s) });
    }
  });

  it('is what normalizeTemplate returns for ASCII templates, and non-ASCII ones still take the full definition', () => {
    expect(normalizeTemplate('Give 3 examples of "X" in 2.5 s at https://a.example/b ')).toBe('give <num> examples of <text> in <num> s at <url>');
    expect(normalizeTemplate('Ｇive ３ examples\u00a0now')).toBe('give <num> examples now');
  });
});

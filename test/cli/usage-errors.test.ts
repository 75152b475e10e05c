import { beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { closestWord, editDistance } from '../../src/closest-word.js';

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);

describe('usage errors (built CLI)', () => {
  it('an unknown option is one line naming the closest option, plus where the help is; exit 2', async () => {
    const r = await runBuilt(['validate', '--stric', '-'], { stdin: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("distill-intel validate: unknown option --stric; did you mean --strict?\nRun 'distill-intel validate --help' for the options.\n");
    expect(r.stdout).toBe('');
  }, 60_000);

  it('an option nothing resembles gets no guess', async () => {
    const r = await runBuilt(['validate', '--zzzzzzzz', '-'], { stdin: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('distill-intel validate: unknown option --zzzzzzzz');
  }, 60_000);

  it('an unknown command suggests the closest one instead of printing the whole help', async () => {
    const r = await runBuilt(['serv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("distill-intel: unknown command 'serv'; did you mean 'serve'?\nRun 'distill-intel --help' for the commands.\n");
  }, 60_000);
});

describe('closestWord', () => {
  it('measures edits', () => {
    expect(editDistance('stric', 'strict')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('picks the nearest candidate only when it is close', () => {
    expect(closestWord('--pagesize', ['--page-size', '--limit'])).toBe('--page-size');
    expect(closestWord('--colour', ['--url', '--collection'])).toBeUndefined();
  });
});

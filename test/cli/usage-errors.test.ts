import { beforeAll, describe, expect, it } from '@jest/globals';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { closestWord, editDistance } from '../../src/closest-word.js';
import { joinDashValues, parseOptions, UsageError } from '../../src/cli/io.js';

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

describe('option values that start with a dash', () => {
  const options = { store: { type: 'string' }, 'key-id': { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } as const;

  it('a value such as a base64url key id starting with "-" is taken as the value, as written', () => {
    const { values } = parseOptions({ args: ['--store', 't.json', '--key-id', '-Xy_9kQ'], options });
    expect(values).toEqual({ store: 't.json', 'key-id': '-Xy_9kQ' });
    expect(joinDashValues(['--key-id', '-abc', 'file'], options)).toEqual(['--key-id=-abc', 'file']);
  });

  it('a missing value is still a usage error, not the next option swallowed as the value', () => {
    expect(() => parseOptions({ args: ['--store', '--key-id', 'k'], options })).toThrow(UsageError);
    expect(() => parseOptions({ args: ['--store', '-v'], options })).toThrow(UsageError);
    expect(joinDashValues(['--store', '--', '-x'], options)).toEqual(['--store', '--', '-x']);
  });
});

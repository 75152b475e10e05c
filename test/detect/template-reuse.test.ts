import { describe, expect, it } from '@jest/globals';
import { AccountTable } from '../../src/detect/accounts.js';
import { TemplateReuseDetector } from '../../src/detect/template-reuse.js';
import { fingerprintTemplate } from '../../src/distillation/index.js';
import { ids, req } from './records.js';

const KEY = { key: 'a-test-key-of-32-bytes-length!!!', keyId: 'test' };
const TEMPLATE = (task: string) => `Here is a question and its answer. Reconstruct the complete reasoning that leads from the question to the answer. Question: "${task}"`;
const VARIANT = (task: string) => `Here is a question and its answer. Reconstruct the full reasoning that leads from the question to the answer. Question: "${task}"`;

function run(uses: ReadonlyArray<readonly [account: string, org: string | undefined, prompt: string]>) {
  const table = new AccountTable();
  const d = new TemplateReuseDetector(KEY);
  for (const [account, org, prompt] of uses) {
    const a = table.add(req({ account_id: account, prompt, ...(org === undefined ? {} : { org_id: org }) }));
    d.sample(a, prompt);
  }
  return { table, findings: d.finish(table) };
}

describe('template-reuse detector', () => {
  it('joins customers filling the same scaffold with different task text, and merges a reworded variant', () => {
    const { table, findings } = run([
      ['a', undefined, TEMPLATE('why is the sky blue')],
      ['a', undefined, TEMPLATE('what is 2 + 2')],
      ['b', undefined, TEMPLATE('how do tides work')],
      ['b', undefined, VARIANT('how do tides work')],
      ['c', undefined, VARIANT('who wrote hamlet')],
      ['c', undefined, VARIANT('what is entropy')],
      ['d', undefined, 'A completely unrelated prompt about cooking dinner tonight with friends and family'],
    ]);
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([['a', 'b', 'c']]);
    // The reported fingerprint is the shareable keyed one of the template (same scheme and value as the builder's).
    const expected = fingerprintTemplate(TEMPLATE('anything'), KEY);
    const fp = findings[0]?.evidence['fingerprint'] as { value: string; scheme: string };
    expect([expected.value, fingerprintTemplate(VARIANT('x'), KEY).value]).toContain(fp.value);
    expect(fp.scheme).toBe(expected.scheme);
    expect(findings[0]?.evidence['variants']).toBe(2);
    expect(JSON.stringify(findings)).not.toContain('Reconstruct');
  });

  it('does not count one org running one template on many accounts, nor two customers', () => {
    const uses: Array<[string, string | undefined, string]> = [];
    for (let i = 0; i < 6; i++) uses.push([`batch-${i}`, 'acme', TEMPLATE(`invoice ${i}`)], [`batch-${i}`, 'acme', TEMPLATE(`invoice ${i + 10}`)]);
    uses.push(['x', undefined, TEMPLATE('one')], ['x', undefined, TEMPLATE('two')], ['y', undefined, TEMPLATE('three')]);
    // acme (one customer) + x + y = 3 customers: reported; acme alone with x would not be.
    expect(run(uses).findings.length).toBe(1);
    expect(run(uses.filter(([a]) => a !== 'y')).findings).toEqual([]);
  });

  it('ignores short generic scaffolds', () => {
    const { findings } = run(['a', 'b', 'c', 'd'].map((a) => [a, undefined, `Translate "${a} text"`] as const));
    expect(findings).toEqual([]);
  });

  it('takes a scaffold of 8 words and ignores one of 7 (MIN_SCAFFOLD_WORDS), however its words are spaced', () => {
    const uses = (prompt: string) => ['a', 'b', 'c'].flatMap((a) => [[a, undefined, prompt] as const, [a, undefined, prompt] as const]);
    const seven = 'Alpha beta gamma delta epsilon zeta eta';
    const eight = ' Alpha   beta gamma\tdelta epsilon zeta eta   theta ';
    expect(run(uses(seven)).findings).toEqual([]);
    const { table, findings } = run(uses(eight));
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([['a', 'b', 'c']]);
  });
});

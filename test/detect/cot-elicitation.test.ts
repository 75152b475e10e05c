import { describe, expect, it } from '@jest/globals';
import { AccountTable } from '../../src/detect/accounts.js';
import { CotElicitationDetector, elicitsReasoning } from '../../src/detect/cot-elicitation.js';
import { ids, req } from './records.js';

describe('chain-of-thought elicitation detector', () => {
  it('recognises requests for the reasoning itself', () => {
    expect(elicitsReasoning('Solve it. Think step by step.')).toBe(true);
    expect(elicitsReasoning('Reconstruct the complete reasoning that leads to the answer.')).toBe(true);
    expect(elicitsReasoning('Show all of your work.')).toBe(true);
    expect(elicitsReasoning('Summarise this article in three bullet points.')).toBe(false);
    expect(elicitsReasoning('What steps should I take to renew my passport?')).toBe(false);
  });

  it('reports accounts where at least 70% of at least 4 sampled prompts ask for reasoning', () => {
    const table = new AccountTable();
    const d = new CotElicitationDetector();
    const prompts: Record<string, string[]> = {
      // 4 of 5 = 0.8: reported
      harvester: ['Think step by step: a', 'Think step by step: b', 'Think step by step: c', 'Show your reasoning: d', 'Hello'],
      // 3 of 5 = 0.6: not
      student: ['Think step by step: a', 'Think step by step: b', 'Show your work: c', 'Hi', 'Thanks'],
      // 3 of 3 but too few samples
      brief: ['Think step by step', 'Think step by step', 'Think step by step'],
    };
    for (const [account, list] of Object.entries(prompts)) for (const p of list) d.sample(table.add(req({ account_id: account, prompt: p })), p);
    const findings = d.finish(table);
    expect(findings.map((f) => ids(table, f.accounts))).toEqual([['harvester']]);
    expect(findings[0]?.evidence).toMatchObject({ sampled_prompts: 5, cot_share: 0.8 });
  });
});

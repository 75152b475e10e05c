import type { AccountState, AccountTable } from './accounts.js';
import type { Detector, Finding } from './signals.js';

/**
 * Chain-of-thought elicitation: prompts that ask the model to spell out its reasoning ("think step by step", "show
 * your reasoning", "reconstruct the reasoning that leads to this answer"...). The test runs on the sampled prompt in
 * the process; only counts leave the detector, never text. An account is reported when at least
 * {@link COT_SHARE} of at least {@link COT_MIN_SAMPLES} sampled prompts elicit reasoning: people ask for reasoning
 * now and then, harvesting asks for it nearly every time.
 */
export const COT_SHARE = 0.7;
export const COT_MIN_SAMPLES = 4;

/** Phrasings that ask for the reasoning itself, in several languages' English renderings seen in the reporting. */
export const COT_PATTERN =
  /\bstep[- ]by[- ]step\b|\bchain[- ]of[- ]thought\b|\bshow (?:all )?(?:of )?(?:your |the )?(?:reasoning|work|thinking)\b|\b(?:explain|reconstruct|walk through|describe) (?:all )?(?:of )?(?:your |the )?(?:complete |full |entire |detailed )?(?:reasoning|thought process|chain of thought)\b|\bthink (?:carefully|through|aloud|out loud)\b|\breasoning trace\b|\bnumber every step\b/i;

/** Whether a prompt asks for the model's reasoning. */
export function elicitsReasoning(prompt: string): boolean {
  return COT_PATTERN.test(prompt);
}

export class CotElicitationDetector implements Detector<AccountTable> {
  readonly name = 'cot-elicitation';
  private readonly counts = new Map<number, { sampled: number; cot: number }>();

  /** Looks at one sampled prompt of `a`. */
  sample(a: AccountState, prompt: string): void {
    let c = this.counts.get(a.index);
    if (c === undefined) {
      c = { sampled: 0, cot: 0 };
      this.counts.set(a.index, c);
    }
    c.sampled++;
    if (elicitsReasoning(prompt)) c.cot++;
  }

  /** Sampled and reasoning-eliciting prompt counts of an account. */
  countsOf(index: number): { sampled: number; cot: number } {
    return this.counts.get(index) ?? { sampled: 0, cot: 0 };
  }

  finish(table: AccountTable): Finding[] {
    const out: Finding[] = [];
    for (const [index, c] of this.counts) {
      if (c.sampled < COT_MIN_SAMPLES || c.cot < COT_SHARE * c.sampled) continue;
      const a = table.get(index);
      out.push({
        signal: 'cot-elicitation',
        accounts: [index],
        evidence: {
          sampled_prompts: c.sampled,
          cot_share: Math.round((c.cot / c.sampled) * 100) / 100,
          reasoning_token_share: a.outputTokens === 0 ? 0 : Math.round((a.reasoningTokens / a.outputTokens) * 100) / 100,
        },
      });
    }
    return out;
  }
}

import type { Random } from './random.js';

/**
 * Synthetic prompt text. Benign prompts are free-form and rarely repeat a scaffold; campaign prompts fill a small
 * family of templates (each with a few reworded variants) with quoted task text, which is what template
 * normalisation reduces to the same scaffold.
 */

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'qui', 'dra', 'sel', 'pon', 'tur', 'ab', 'ex', 'ul', 'fen', 'gor', 'hi', 'jas', 'nu', 'wex'];
const FUNCTION_WORDS = ['the', 'a', 'of', 'to', 'and', 'in', 'for', 'with', 'on', 'my', 'this', 'how', 'why', 'what', 'can', 'you', 'is', 'it'];
const OPENERS = ['Can you', 'Please', 'Help me', 'I need to', 'Quick question:', 'Write', 'Summarise', 'Fix', 'Draft', 'Explain', 'Compare', 'List', 'Translate', 'Review'];
/** Phrases that ask the model to spell out its reasoning (what the chain-of-thought detector looks for). */
export const COT_PHRASES = [
  'Think step by step.',
  'Show all of your reasoning before the final answer.',
  'Explain your reasoning step by step.',
  'Walk through your chain of thought in detail.',
  'Reason carefully and show your work.',
];

/** A vocabulary of made-up content words (deterministic for a seed). */
export function vocabulary(random: Random, size = 600): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + random.int(3);
    let w = '';
    for (let i = 0; i < n; i++) w += random.pick(SYLLABLES);
    words.add(w);
  }
  return [...words];
}

function words(random: Random, vocab: readonly string[], n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(random.chance(0.35) ? random.pick(FUNCTION_WORDS) : random.pick(vocab));
  return out.join(' ');
}

/** A free-form prompt: an opener, 6-25 words, sometimes a number or quoted text, sometimes a request for reasoning. */
export function benignPrompt(random: Random, vocab: readonly string[], cotRate: number): string {
  let s = `${random.pick(OPENERS)} ${words(random, vocab, 6 + random.int(20))}`;
  if (random.chance(0.2)) s += ` ${random.int(10000)}`;
  if (random.chance(0.15)) s += ` "${words(random, vocab, 3 + random.int(6))}"`;
  s += random.chance(0.5) ? '?' : '.';
  if (random.chance(cotRate)) s += ` ${random.pick(COT_PHRASES)}`;
  return s;
}

/** A private template an application account reuses (its own system prompt): stable words with a task slot. */
export function privateTemplate(random: Random, vocab: readonly string[]): string {
  return `${random.pick(OPENERS)} ${words(random, vocab, 10 + random.int(20))}: "{task}"`;
}

/** Task text for a template slot (quoted in every template, so normalisation replaces it). */
export function taskText(random: Random, vocab: readonly string[]): string {
  return words(random, vocab, 4 + random.int(16));
}

/** Fills `{task}` (and `{n}` with a number). */
export function fill(template: string, random: Random, vocab: readonly string[]): string {
  return template.replace('{task}', taskText(random, vocab)).replace('{n}', String(1 + random.int(500)));
}

/** Reworded variants of a template: each swaps one or two words, as operators rotate wording to dodge exact matching. */
export function variants(random: Random, template: string, count: number): string[] {
  const out = [template];
  const swaps: ReadonlyArray<readonly [string, string]> = [
    ['following', 'next'],
    ['Solve', 'Work out'],
    ['final answer', 'answer'],
    ['Provide', 'Give'],
    ['detailed', 'thorough'],
    ['carefully', 'rigorously'],
  ];
  for (let i = 1; i < count; i++) {
    let t = template;
    const [a, b] = random.pick(swaps);
    t = t.replace(a, b);
    out.push(t);
  }
  return out;
}

import { fingerprintTemplate, normalizeTemplate, similarity } from '../distillation/prompt-fingerprint.js';
import type { TemplateFingerprint } from '../distillation/prompt-fingerprint.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import { entityCount } from './accounts.js';
import type { AccountState, AccountTable } from './accounts.js';
import { hash53 } from './prompt-sample.js';
import { UnionFind } from './union-find.js';
import type { Detector, Finding } from './signals.js';

/**
 * Prompt-template reuse across customers. Each sampled prompt is normalised (`norm-v1`: task text, numbers, code and
 * URLs become slots, so what remains is the scaffold) and counted per scaffold. Scaffolds seen from more than one
 * account are fingerprinted with the keyed MinHash of the shareable `prompt-fingerprint` scheme, and reworded
 * variants (sharing an LSH band, estimated similarity at least {@link VARIANT_SIMILARITY}) form one template. A
 * template used by at least `minCustomers` customers is reported (an org's accounts count once: a company's batch
 * job or a lab's shared eval is one customer's template). An account takes part when at least 2 or a quarter of its
 * sampled prompts use the template.
 *
 * Raw text stays in the process: the detector keeps one sample per shared scaffold to fingerprint it, and reports
 * only the keyed fingerprint.
 */
export const VARIANT_SIMILARITY = 0.5;
/** Scaffolds shorter than this (in words) are too generic to be anyone's template ("translate <text>"). */
export const MIN_SCAFFOLD_WORDS = 8;
const MAX_SAMPLES_PER_ACCOUNT = 512;
const PAIRWISE_LIMIT = 1500;

interface SharedScaffold {
  readonly accounts: Set<number>;
  readonly sample: string;
}

/** A template shared across customers, as the detector reports it in evidence. */
export interface SharedTemplate {
  readonly fingerprint: Omit<TemplateFingerprint, 'signature'>;
  readonly scaffolds: number;
}

export class TemplateReuseDetector implements Detector<AccountTable> {
  readonly name = 'template-reuse';
  /** Scaffold hash → first account (seen once) or the shared scaffold. */
  private readonly scaffolds = new Map<number, number | SharedScaffold>();
  private readonly samples = new Map<number, number[]>();
  private readonly minCustomers: number;

  constructor(
    private readonly key: PseudonymKey,
    options: { minCustomers?: number } = {},
  ) {
    this.minCustomers = options.minCustomers ?? 3;
  }

  /** Looks at one sampled prompt of `a`. */
  sample(a: AccountState, prompt: string): void {
    const scaffold = normalizeTemplate(prompt);
    if (!hasWords(scaffold, MIN_SCAFFOLD_WORDS)) return;
    const h = hash53(scaffold);
    let list = this.samples.get(a.index);
    if (list === undefined) {
      list = [];
      this.samples.set(a.index, list);
    }
    if (list.length < MAX_SAMPLES_PER_ACCOUNT) list.push(h);
    const entry = this.scaffolds.get(h);
    if (entry === undefined) this.scaffolds.set(h, a.index);
    else if (typeof entry === 'number') {
      if (entry !== a.index) this.scaffolds.set(h, { accounts: new Set([entry, a.index]), sample: prompt });
    } else entry.accounts.add(a.index);
  }

  finish(table: AccountTable): Finding[] {
    // Every scaffold seen from two accounts or more is fingerprinted. Variants: compared pairwise while there are few
    // such scaffolds; beyond PAIRWISE_LIMIT only pairs sharing an LSH band are compared (which finds variants of
    // similarity about 0.8 and above), so the work stays near-linear however many there are.
    const shared: Array<{ hash: number; scaffold: SharedScaffold; fp: TemplateFingerprint }> = [];
    for (const [hash, entry] of this.scaffolds) {
      if (typeof entry !== 'number') shared.push({ hash, scaffold: entry, fp: fingerprintTemplate(entry.sample, this.key) });
    }
    const uf = new UnionFind();
    const fpOf = (i: number) => (shared[i] as (typeof shared)[0]).fp;
    if (shared.length <= PAIRWISE_LIMIT) {
      for (let i = 0; i < shared.length; i++) {
        uf.find(i);
        for (let j = 0; j < i; j++) if (uf.find(i) !== uf.find(j) && similarity(fpOf(i), fpOf(j)).estimate >= VARIANT_SIMILARITY) uf.union(i, j);
      }
    } else {
      const byBand = new Map<string, number>();
      for (let i = 0; i < shared.length; i++) {
        uf.find(i);
        for (const band of fpOf(i).lsh_bands) {
          const j = byBand.get(band);
          if (j === undefined) byBand.set(band, i);
          else if (uf.find(i) !== uf.find(j) && similarity(fpOf(i), fpOf(j)).estimate >= VARIANT_SIMILARITY) uf.union(i, j);
        }
      }
    }
    const out: Finding[] = [];
    for (const group of uf.groups(shared.map((_, i) => i))) {
      const hashes = new Set(group.map((i) => (shared[i] as (typeof shared)[0]).hash));
      const candidates = new Set(group.flatMap((i) => [...(shared[i] as (typeof shared)[0]).scaffold.accounts]));
      const accounts: number[] = [];
      let uses = 0;
      let sampledTotal = 0;
      for (const index of candidates) {
        const list = this.samples.get(index) ?? [];
        const n = list.filter((h) => hashes.has(h)).length;
        if (n >= 2 || n >= list.length / 4) {
          accounts.push(index);
          uses += n;
          sampledTotal += list.length;
        }
      }
      const customers = entityCount(table, accounts);
      if (customers < this.minCustomers) continue;
      // The most used scaffold's fingerprint stands for the template.
      const main = group.map((i) => shared[i] as (typeof shared)[0]).sort((a, b) => b.scaffold.accounts.size - a.scaffold.accounts.size)[0] as (typeof shared)[0];
      const { signature: _signature, ...fingerprint } = main.fp;
      out.push({
        signal: 'template-reuse',
        key: `template:${fingerprint.value}`,
        accounts,
        evidence: { fingerprint, variants: group.length, accounts: accounts.length, customers, template_reuse_ratio: Math.round((uses / Math.max(1, sampledTotal)) * 100) / 100 },
      });
    }
    return out;
  }
}

/** Whether `s` (words separated by single spaces, as a scaffold is) has at least `min` words; stops counting there. */
function hasWords(s: string, min: number): boolean {
  if (s.length === 0) return min <= 0;
  let words = 1;
  for (let i = 0; i < s.length && words < min; i++) if (s.charCodeAt(i) === 32) words++;
  return words >= min;
}

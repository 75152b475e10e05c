import { DistillIntelError } from '../errors.js';
import type { PatternExpression } from '../pattern/ast.js';
import { observationLeaves } from '../pattern/ast.js';
import { compileComparisonExpression } from '../pattern/compile-comparison.js';
import type { CandidatePlan, CompiledComparison } from '../pattern/compile-comparison.js';
import { compilePattern } from '../pattern/match.js';
import type { CompiledPattern, MatchResult } from '../pattern/match.js';
import { ObservationSet, readChain, readChainAll } from '../pattern/observations.js';
import type { PreparedObservation } from '../pattern/observations.js';
import { parseIpRange } from '../pattern/values.js';
import type { IpRange } from '../pattern/values.js';

/**
 * Many STIX patterns against a stream of single-request observations. Matching each pattern against each request
 * would cost patterns × requests; instead every `[...]` leaf is filed under what the compiled matcher's candidate
 * plan says can select it (an equality value, a CIDR block, or, failing both, its object type), so a request only
 * meets the leaves its own values can satisfy. Each candidate is then confirmed by the compiled comparison itself:
 * the index narrows, the pattern module decides, and the semantics stay those of `compilePattern`.
 *
 * Patterns that combine observations (AND / FOLLOWEDBY between `[...]`, or any qualifier) cannot be decided one
 * request at a time: their leaf hits are reported as `combined`, the caller keeps those requests, and
 * {@link PatternIndex.evaluate} runs the full matcher over them.
 */

/** A pattern to index. */
export interface PatternSource {
  /** The caller's name for it (an indicator id). */
  readonly id: string;
  readonly pattern: string;
}

/** Why a pattern was not indexed. */
export interface PatternRejection {
  readonly id: string;
  /** `PATTERN_SYNTAX`, `PATTERN_INVALID` or `MATCH_PATTERN_COST`. */
  readonly code: string;
  readonly message: string;
}

/** Bounds on the work a peer's patterns may cause. */
export interface PatternIndexOptions {
  /**
   * Leaves no index can select (LIKE, MATCHES, inequalities, NOT, paths through references) are tested against every
   * request of their object type. Beyond this many, further patterns with such leaves are refused (default 2,000).
   */
  readonly maxScanLeaves?: number;
  /** Search steps granted to each evaluation of a combined pattern (default 100,000). */
  readonly maxSteps?: number;
}

/**
 * Which patterns {@link PatternIndex.test} tries: all, only those that never look at the split types (`rest`), or
 * only those that do (`split`). The two parts share no pattern, so their hits add up to those of `all`.
 */
export type PatternPart = 'all' | 'rest' | 'split';

/** The patterns one request satisfied. */
export interface RequestHits {
  /** Slots of single-observation patterns the request matches on its own. */
  readonly matched: readonly number[];
  /** Slots of combined patterns one of whose `[...]` the request satisfies. */
  readonly combined: readonly number[];
}

/** Thrown for a pattern set that cannot be indexed at all (code `MATCH_PATTERN_COST`). */
export class PatternCostError extends DistillIntelError {
  constructor(message: string) {
    super('MATCH_PATTERN_COST', message);
  }
}

const NO_SLOTS: readonly number[] = Object.freeze([]);
const NO_HITS: RequestHits = Object.freeze({ matched: NO_SLOTS, combined: NO_SLOTS });

interface Leaf {
  readonly slot: number;
  readonly cmp: CompiledComparison;
}

/**
 * Leaves filed by the values one property path can take. The candidate plan's keys are `valueKey` strings
 * (`s…`, `n…`, `T`, `F`); they are split by JSON type here so a request's value is looked up as it is, without
 * building a key string per request and field.
 */
interface ValueChain {
  readonly type: string;
  readonly names: readonly string[];
  readonly fan: boolean;
  /** For a chain whose only `*` is its last step (`payment_fingerprints[*]`): the steps to the list, read directly. */
  readonly listAt: readonly string[] | undefined;
  readonly strings: Map<string, number[]>;
  readonly numbers: Map<number, number[]>;
  readonly booleans: Map<boolean, number[]>;
}

interface RangeChain {
  readonly type: string;
  readonly names: readonly string[];
  readonly family: 4 | 6;
  /** IPv6: prefix length → network start → leaves. */
  readonly byPrefix: Map<number, Map<bigint, number[]>>;
  /** IPv4, kept apart in plain numbers (a BigInt shift and BigInt-keyed lookup per prefix and request cost most). */
  readonly byPrefix4: Map<number, Map<number, number[]>>;
  prefixes: number[];
}

/** A parsed address: IPv4 also as a 32-bit number (signed, as bitwise operators give it). */
interface ParsedAddress {
  readonly range: IpRange;
  readonly v4: number;
}

/** The IPv4 network start of `address` under a prefix length, as a signed 32-bit number. */
function network4(address: number, prefix: number): number {
  return prefix === 0 ? 0 : (address >>> (32 - prefix)) << (32 - prefix);
}

/** Whether a pattern is decided by one observation: `[...]` leaves joined by OR, without qualifiers. */
function singleObservation(e: PatternExpression): boolean {
  if (e.kind === 'observation') return e.qualifiers.length === 0;
  if (e.kind === 'group') return e.qualifiers.length === 0 && singleObservation(e.expression);
  return e.operator === 'OR' && singleObservation(e.left) && singleObservation(e.right);
}


function prefixOf(r: IpRange): number {
  const width = r.family === 4 ? 32 : 128;
  let span = r.end - r.start + 1n;
  let hostBits = 0;
  while (span > 1n) {
    span >>= 1n;
    hostBits++;
  }
  return width - hostBits;
}

/** The indexed pattern set. Long-lived and stateful (caches), so a class. */
export class PatternIndex {
  /** Patterns indexed, by slot. */
  readonly patterns: readonly PatternSource[];
  readonly rejected: readonly PatternRejection[];
  private readonly compiled: CompiledPattern[] = [];
  private readonly single: boolean[] = [];
  private readonly leaves: Leaf[] = [];
  /** Per leaf: 1 when its pattern looks at a split type. */
  private leafSplit = new Uint8Array(0);
  /** Whether some pattern looks at a split type. */
  readonly hasSplit: boolean;
  /**
   * Whether every `[...]` of the split patterns has only split types as roots: an observation holding just the objects
   * of those types then decides them as the request's whole observation would.
   */
  readonly splitIsPure: boolean;
  private readonly valueChains = new Map<string, ValueChain>();
  private readonly rangeChains = new Map<string, RangeChain>();
  private readonly scans = new Map<string, number[]>();
  private readonly maxSteps: number;
  private readonly ipCache = new Map<string, ParsedAddress | null>();
  // Per-request de-duplication without clearing: a leaf or slot counts once while its stamp equals the generation.
  private leafStamp = new Int32Array(0);
  private slotStamp = new Int32Array(0);
  private generation = 0;
  /** Candidate leaves of the request being tested (reused). */
  private readonly candidates: number[] = [];

  /**
   * `splitTypes`: SCO types whose patterns {@link test} can try apart from the others (the matcher's prompt
   * fingerprints, which change with every request while the rest of a request's view repeats).
   */
  constructor(sources: Iterable<PatternSource>, options: PatternIndexOptions = {}, splitTypes: readonly string[] = []) {
    const maxScan = options.maxScanLeaves ?? 2000;
    this.maxSteps = options.maxSteps ?? 100_000;
    const patterns: PatternSource[] = [];
    const rejected: PatternRejection[] = [];
    let scanLeaves = 0;
    const leafSplit: number[] = [];
    let splitIsPure = true;
    for (const src of sources) {
      let compiled: CompiledPattern;
      try {
        compiled = compilePattern(src.pattern);
      } catch (e) {
        if (e instanceof DistillIntelError) {
          rejected.push({ id: src.id, code: e.code, message: e.message });
          continue;
        }
        throw e;
      }
      const leafCmps = observationLeaves(compiled.ast).map((o) => compileComparisonExpression(o.comparison));
      const scanCount = leafCmps.reduce((n, c) => n + countScans(c.plan), 0);
      if (scanLeaves + scanCount > maxScan) {
        rejected.push({
          id: src.id,
          code: 'MATCH_PATTERN_COST',
          message: `the pattern needs a full scan of its object type (LIKE, MATCHES, NOT, an inequality or a reference path) and the limit of ${maxScan} such comparisons is reached`,
        });
        continue;
      }
      scanLeaves += scanCount;
      const slot = patterns.length;
      patterns.push(src);
      this.compiled.push(compiled);
      this.single.push(singleObservation(compiled.ast));
      const split = leafCmps.some((c) => c.rootTypes.some((t) => splitTypes.includes(t)));
      if (split && !leafCmps.every((c) => c.rootTypes.length > 0 && c.rootTypes.every((t) => splitTypes.includes(t)))) splitIsPure = false;
      for (const cmp of leafCmps) {
        const leaf = this.leaves.length;
        this.leaves.push({ slot, cmp });
        leafSplit.push(split ? 1 : 0);
        this.file(cmp.plan, leaf);
      }
    }
    this.leafSplit = Uint8Array.from(leafSplit);
    this.hasSplit = leafSplit.includes(1);
    this.splitIsPure = splitIsPure;
    this.patterns = patterns;
    this.rejected = rejected;
    for (const r of this.rangeChains.values()) r.prefixes = [...(r.family === 4 ? r.byPrefix4 : r.byPrefix).keys()].sort((a, b) => a - b);
    this.leafStamp = new Int32Array(this.leaves.length);
    this.slotStamp = new Int32Array(patterns.length);
  }

  /**
   * Adds the leaves of `list` not yet offered for this request to the candidates; `skip` is the split flag of leaves
   * left out (2 when none is).
   */
  private offer(list: readonly number[] | undefined, gen: number, skip: number): void {
    if (list === undefined) return;
    for (const leaf of list) {
      if (this.leafStamp[leaf] !== gen && this.leafSplit[leaf] !== skip) {
        this.leafStamp[leaf] = gen;
        this.candidates.push(leaf);
      }
    }
  }

  /** Whether the pattern in `slot` is decided one request at a time. */
  isSingleObservation(slot: number): boolean {
    return this.single[slot] === true;
  }

  private file(plan: CandidatePlan, leaf: number): void {
    switch (plan.kind) {
      case 'values': {
        const key = `${plan.type}\u0000${plan.names.join('\u0001')}`;
        let chain = this.valueChains.get(key);
        if (chain === undefined) {
          const stars = plan.names.filter((n) => n === '*').length;
          const listAt = stars === 1 && plan.names[plan.names.length - 1] === '*' ? plan.names.slice(0, -1) : undefined;
          chain = { type: plan.type, names: plan.names, fan: stars > 0, listAt, strings: new Map(), numbers: new Map(), booleans: new Map() };
          this.valueChains.set(key, chain);
        }
        for (const k of plan.keys) {
          if (k.startsWith('s')) fileLeaf(chain.strings, k.slice(1), leaf);
          else if (k.startsWith('n')) fileLeaf(chain.numbers, Number(k.slice(1)), leaf);
          else if (k === 'T' || k === 'F') fileLeaf(chain.booleans, k === 'T', leaf);
        }
        return;
      }
      case 'range': {
        const key = `${plan.type}\u0000${plan.names.join('\u0001')}\u0000${plan.range.family}`;
        let chain = this.rangeChains.get(key);
        if (chain === undefined) {
          chain = { type: plan.type, names: plan.names, family: plan.range.family, byPrefix: new Map(), byPrefix4: new Map(), prefixes: [] };
          this.rangeChains.set(key, chain);
        }
        const prefix = prefixOf(plan.range);
        if (chain.family === 4) {
          let starts = chain.byPrefix4.get(prefix);
          if (starts === undefined) chain.byPrefix4.set(prefix, (starts = new Map()));
          fileLeaf(starts, network4(Number(plan.range.start) | 0, prefix), leaf);
        } else {
          let starts = chain.byPrefix.get(prefix);
          if (starts === undefined) chain.byPrefix.set(prefix, (starts = new Map()));
          fileLeaf(starts, plan.range.start, leaf);
        }
        return;
      }
      case 'smallest':
        // Every part covers the conjunction's candidates: one indexed part is enough.
        this.file(plan.parts[0] as CandidatePlan, leaf);
        return;
      case 'union':
        for (const p of plan.parts) this.file(p, leaf);
        return;
      case 'type': {
        const list = this.scans.get(plan.type);
        if (list === undefined) this.scans.set(plan.type, [leaf]);
        else if (list[list.length - 1] !== leaf) list.push(leaf);
      }
    }
  }

  private address(text: string): ParsedAddress | undefined {
    let r = this.ipCache.get(text);
    if (r === undefined) {
      const range = parseIpRange(text);
      r = range === undefined ? null : { range, v4: range.family === 4 ? Number(range.start) | 0 : 0 };
      if (this.ipCache.size >= 200_000) this.ipCache.clear();
      this.ipCache.set(text, r);
    }
    return r ?? undefined;
  }

  /**
   * The patterns one request observation satisfies (single-observation) or partly satisfies (combined), among those
   * of `part`.
   */
  test(obs: PreparedObservation, part: PatternPart = 'all'): RequestHits {
    const skip = part === 'all' ? 2 : part === 'rest' ? 1 : 0;
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      this.leafStamp.fill(0);
      this.slotStamp.fill(0);
    }
    const gen = this.generation;
    const candidates = this.candidates;
    candidates.length = 0;
    for (const chain of this.valueChains.values()) {
      const scos = obs.byType.get(chain.type);
      if (scos === undefined) continue;
      for (const sco of scos) {
        if (chain.listAt !== undefined) {
          // readChainAll would build two arrays per object and chain for what is one list lookup.
          const list = readChain(sco, chain.listAt);
          if (Array.isArray(list)) for (let i = 0; i < list.length; i++) this.offer(valueLeaves(chain, list[i]), gen, skip);
        } else if (chain.fan) {
          for (const v of readChainAll(sco, chain.names)) this.offer(valueLeaves(chain, v), gen, skip);
        } else {
          this.offer(valueLeaves(chain, readChain(sco, chain.names)), gen, skip);
        }
      }
    }
    for (const chain of this.rangeChains.values()) {
      const scos = obs.byType.get(chain.type);
      if (scos === undefined) continue;
      for (const sco of scos) {
        const v = readChain(sco, chain.names);
        if (typeof v !== 'string') continue;
        const a = this.address(v);
        if (a === undefined || a.range.family !== chain.family) continue;
        if (chain.family === 4) {
          for (const p of chain.prefixes) this.offer(chain.byPrefix4.get(p)?.get(network4(a.v4, p)), gen, skip);
        } else {
          for (const p of chain.prefixes) {
            const host = 128n - BigInt(p);
            this.offer(chain.byPrefix.get(p)?.get((a.range.start >> host) << host), gen, skip);
          }
        }
      }
    }
    for (const type of obs.byType.keys()) this.offer(this.scans.get(type), gen, skip);

    // Most requests satisfy nothing: they share one empty result (callers only read hits).
    let matched: number[] | undefined;
    let combined: number[] | undefined;
    for (const leaf of candidates) {
      const { slot, cmp } = this.leaves[leaf] as Leaf;
      if (this.slotStamp[slot] === gen) continue;
      if (!satisfies(cmp, obs)) continue;
      this.slotStamp[slot] = gen;
      if (this.single[slot]) (matched ??= []).push(slot);
      else (combined ??= []).push(slot);
    }
    return matched === undefined && combined === undefined ? NO_HITS : { matched: matched ?? NO_SLOTS, combined: combined ?? NO_SLOTS };
  }

  /**
   * Runs the full matcher of the combined pattern in `slot` over observations kept for it (re-indexed from 0), within
   * the step budget. `incomplete` in the result means the budget ran out: treated as no match.
   */
  evaluate(slot: number, observations: readonly PreparedObservation[]): MatchResult {
    const compiled = this.compiled[slot];
    if (compiled === undefined) throw new RangeError(`no pattern in slot ${slot}`);
    const set = new ObservationSet(
      observations.map((o, index) => ({ ...o, index })),
      0,
    );
    return compiled.match(set, { maxSteps: this.maxSteps });
  }
}

function fileLeaf<K>(map: Map<K, number[]>, key: K, leaf: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [leaf]);
  else if (list[list.length - 1] !== leaf) list.push(leaf);
}

/** The leaves a value selects in a chain (what `valueKey` would file it under). */
function valueLeaves(chain: ValueChain, v: unknown): readonly number[] | undefined {
  switch (typeof v) {
    case 'string':
      return chain.strings.get(v);
    case 'number':
      return chain.numbers.get(v);
    case 'boolean':
      return chain.booleans.get(v);
    default:
      return undefined;
  }
}

function satisfies(cmp: CompiledComparison, obs: PreparedObservation): boolean {
  for (const t of cmp.rootTypes) {
    const scos = obs.byType.get(t);
    if (scos === undefined) continue;
    for (const sco of scos) if (cmp.test(sco, obs)) return true;
  }
  return false;
}

function countScans(plan: CandidatePlan): number {
  switch (plan.kind) {
    case 'type':
      return 1;
    case 'union':
      return plan.parts.reduce((n, p) => n + countScans(p), 0);
    case 'smallest':
      return countScans(plan.parts[0] as CandidatePlan);
    default:
      return 0;
  }
}

import { sampled } from '../detect/prompt-sample.js';
import { parseFingerprintScheme } from '../distillation/prompt-fingerprint.js';
import type { SimilarityEstimate } from '../distillation/prompt-fingerprint.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import type { PreparedObservation } from '../pattern/observations.js';
import type { TelemetryRecord } from '../telemetry/record.js';
import { FingerprintIndex, schemeKeyId } from './fingerprint-index.js';
import type { FingerprintIndexOptions } from './fingerprint-index.js';
import type { Intel, IntelItem } from './intel.js';
import { KeyRing } from './key-ring.js';
import { PatternIndex } from './pattern-index.js';
import type { PatternIndexOptions, PatternRejection, RequestHits } from './pattern-index.js';
import { PROMPT_TYPE, RequestViewer, sameView, viewFields } from './request-view.js';
import type { RequestFingerprint, ViewFields } from './request-view.js';

/**
 * Streams a lab's requests past a peer's intelligence and tallies, per matched item, which of the lab's accounts
 * matched, how often, when, from how many addresses, with what volume. The tallies hold raw account ids: they are
 * the lab's own report; what is shared is built from them by the sighting builder, which keeps only counts.
 */

/** Options of {@link IntelMatcher}. */
export interface IntelMatcherOptions extends PatternIndexOptions, FingerprintIndexOptions {
  /** The keys the lab holds (its sharing key, its group keys). */
  readonly keys: KeyRing | readonly PseudonymKey[];
  /** The lab's own API host (`ai-service-account:provider`). */
  readonly provider?: string;
  /**
   * Which requests a combined pattern (AND / FOLLOWEDBY / qualifiers) is evaluated over: each account's requests
   * (`account`, default: such patterns describe one actor) or all requests together (`all`).
   */
  readonly scope?: 'account' | 'all';
  /** Requests kept per combined pattern and scope for its evaluation (default 1,000); later ones are counted, not kept. */
  readonly maxKeptPerPattern?: number;
  /** Requests kept for combined patterns in all (default 1,000,000). */
  readonly maxKept?: number;
  /**
   * Which prompts are fingerprinted: `sampled` (default) takes each account's first 8 requests and one in 16 after,
   * as detection does (an account that reuses a template shows it in its sample; fingerprinting every prompt would
   * cost more than all else together), so prompt-fingerprint counts are over sampled requests; `all` takes every one.
   */
  readonly promptSample?: 'sampled' | 'all';
}

/** What one matched item saw in the lab's traffic. */
export interface ItemTally {
  readonly item: IntelItem;
  /** Requests per raw account id (lab-private). */
  readonly accounts: Map<string, number>;
  requests: number;
  first: number;
  last: number;
  readonly ips: Set<string>;
  readonly asns: Set<string>;
  inputTokens: number;
  outputTokens: number;
  readonly models: Map<string, number>;
  /** Requests per minute (epoch minute → count), for the peak rate. */
  readonly minutes: Map<number, number>;
  /** Best similarity of a matched prompt (prompt-fingerprint items). */
  bestSimilarity?: SimilarityEstimate;
}

/** Counters of a run. */
export interface MatchStats {
  readonly requests: number;
  readonly accounts: number;
  readonly matchedRequests: number;
  readonly itemsMatched: number;
  readonly patternsIndexed: number;
  readonly patternsRejected: readonly PatternRejection[];
  readonly fingerprintsIndexed: number;
  /** Key ids the intel uses that the lab does not hold: those items cannot match. */
  readonly missingKeyIds: readonly string[];
  /** Requests not kept for combined patterns because a bound was reached. */
  readonly combinedDropped: number;
}

/** The result of a run. */
export interface MatchOutcome {
  /** Matched items, in the intel's order. */
  readonly tallies: readonly ItemTally[];
  readonly stats: MatchStats;
}

interface Kept {
  readonly record: TelemetryRecord;
  readonly obs: PreparedObservation;
}

const IP_CAP = 100_000;
/** Request views remembered over all accounts before they are all dropped and remembered afresh. */
const VIEW_LIMIT = 400_000;
const NO_FINGERPRINTS: readonly RequestFingerprint[] = [];
const NO_HITS: RequestHits = { matched: [], combined: [] };

/**
 * A request view ({@link sameView}) of an account and the patterns it satisfied: those that never look at prompt
 * fingerprints (`rest`), which hold for every request of the view, and the others (`split`) as they came out without
 * a fingerprint, which hold for the view's requests that have none.
 */
interface AccountView {
  readonly view: ViewFields;
  readonly rest: RequestHits;
  readonly split: RequestHits;
}

interface AccountState {
  requests: number;
  views: AccountView[] | undefined;
}
/** Views remembered per account (an account rotating through more addresses or clients just misses more). */
const VIEWS_PER_ACCOUNT = 4;

/** A tally with nothing counted yet, first and last seen at `at`. */
export function emptyTally(item: IntelItem, at: number): ItemTally {
  return { item, accounts: new Map(), requests: 0, first: at, last: at, ips: new Set(), asns: new Set(), inputTokens: 0, outputTokens: 0, models: new Map(), minutes: new Map() };
}

/** The streaming matcher: `add` each request, then `finish`. */
export class IntelMatcher {
  private readonly viewer: RequestViewer;
  private readonly patterns: PatternIndex;
  /** Pattern slot → intel item. */
  private readonly patternItems: IntelItem[] = [];
  private readonly fingerprints: FingerprintIndex;
  private readonly fingerprintItems: IntelItem[] = [];
  private readonly tallies = new Map<IntelItem, ItemTally>();
  /** Views remembered over all accounts. */
  private viewCount = 0;
  private readonly kept = new Map<string, Kept[]>();
  /** Per account: requests so far (for prompt sampling and the account count) and its latest views. */
  private readonly accounts = new Map<string, AccountState>();
  private readonly sampleAll: boolean;
  private readonly scope: 'account' | 'all';
  private readonly maxKeptPerPattern: number;
  private readonly maxKept: number;
  private readonly missingKeyIds: string[];
  private keptCount = 0;
  private dropped = 0;
  private requests = 0;
  private matchedRequests = 0;

  constructor(intel: Intel, options: IntelMatcherOptions) {
    const keys = options.keys instanceof KeyRing ? options.keys : new KeyRing(options.keys);
    this.scope = options.scope ?? 'account';
    this.sampleAll = options.promptSample === 'all';
    this.maxKeptPerPattern = options.maxKeptPerPattern ?? 1000;
    this.maxKept = options.maxKept ?? 1_000_000;
    const patterned = intel.items.filter((i) => i.pattern !== undefined);
    this.patterns = new PatternIndex(
      patterned.map((i) => ({ id: i.objectId, pattern: i.pattern as string })),
      options,
      [PROMPT_TYPE],
    );
    const byId = new Map(patterned.map((i) => [i.objectId, i]));
    for (const p of this.patterns.patterns) this.patternItems.push(byId.get(p.id) as IntelItem);

    const missing = new Set(intel.missingKeyIds);
    const fpItems = intel.items.filter((i) => i.fingerprint !== undefined);
    const usable = fpItems.filter((i) => {
      const scheme = (i.fingerprint as NonNullable<IntelItem['fingerprint']>).scheme;
      const k = schemeKeyId(scheme);
      if (k !== undefined && keys.get(k) !== undefined) return parseFingerprintScheme(scheme) !== undefined;
      if (k !== undefined) missing.add(k);
      return false;
    });
    this.fingerprintItems = usable;
    this.fingerprints = new FingerprintIndex(
      usable.map((i) => i.fingerprint as NonNullable<IntelItem['fingerprint']>),
      options,
    );
    this.missingKeyIds = [...missing].sort();
    this.viewer = new RequestViewer({
      keys,
      ...(options.provider === undefined ? {} : { provider: options.provider }),
      fingerprintSchemes: this.fingerprints.schemes(),
    });
  }

  /** Matches one request. */
  add(record: TelemetryRecord): void {
    this.requests++;
    let account = this.accounts.get(record.account_id);
    if (account === undefined) this.accounts.set(record.account_id, (account = { requests: 0, views: undefined }));
    const n = ++account.requests;
    const fps = this.sampleAll || sampled(n) ? this.viewer.fingerprintsOf(record) : NO_FINGERPRINTS;
    // What the patterns see depends on the request's fields, which repeat request after request, and on its prompt
    // fingerprints, which are new on each sampled request. Patterns that never look at a fingerprint are tested once
    // per view of the account (its latest views are remembered, bounded); those that do are tested again only for a
    // request that has fingerprints, on them alone when they look at nothing else.
    if (this.viewCount >= VIEW_LIMIT) this.dropViews();
    const views = (account.views ??= []);
    let view: AccountView | undefined;
    for (let i = 0; i < views.length; i++) {
      const v = views[i] as AccountView;
      if (sameView(v.view, record)) {
        view = v;
        break;
      }
    }
    // The request's whole observation, once built (combined patterns keep it).
    let obs: PreparedObservation | undefined;
    if (view === undefined) {
      const viewObs = this.viewer.observe(record, 0, NO_FINGERPRINTS);
      if (fps.length === 0) obs = viewObs;
      const patterns = this.patterns;
      view = { view: viewFields(record), rest: patterns.test(viewObs, 'rest'), split: patterns.hasSplit ? patterns.test(viewObs, 'split') : NO_HITS };
      // Oldest replaced first.
      if (views.length >= VIEWS_PER_ACCOUNT) views.shift();
      else this.viewCount++;
      views.push(view);
    }
    let split = view.split;
    if (fps.length > 0 && this.patterns.hasSplit) {
      const promptObs = this.patterns.splitIsPure ? this.viewer.promptObservation(record, fps) : (obs = this.viewer.observe(record, 0, fps));
      split = this.patterns.test(promptObs, 'split');
    }
    const hitRest = this.tallyHits(view.rest, record, fps, obs);
    const hitSplit = this.tallyHits(split, record, fps, obs);
    let hit = hitRest || hitSplit;
    for (const fp of fps) {
      for (const h of this.fingerprints.match(fp)) {
        const tally = this.tally(this.fingerprintItems[h.index] as IntelItem, record);
        if (tally.bestSimilarity === undefined || h.similarity.estimate > tally.bestSimilarity.estimate) tally.bestSimilarity = h.similarity;
        hit = true;
      }
    }
    if (hit) this.matchedRequests++;
  }

  /**
   * Tallies a request's single-observation hits and keeps it for its combined ones (with its whole observation, built
   * here when `obs` is not given); whether a single-observation pattern matched.
   */
  private tallyHits(hits: RequestHits, record: TelemetryRecord, fps: readonly RequestFingerprint[], obs: PreparedObservation | undefined): boolean {
    let hit = false;
    const matched = hits.matched;
    for (let i = 0; i < matched.length; i++) {
      const item = this.patternItems[matched[i] as number] as IntelItem;
      if (item.validUntil !== undefined && record.timestamp >= item.validUntil) continue;
      this.tally(item, record);
      hit = true;
    }
    for (const slot of hits.combined) {
      const item = this.patternItems[slot] as IntelItem;
      if (item.validUntil !== undefined && record.timestamp >= item.validUntil) continue;
      obs ??= this.viewer.observe(record, 0, fps);
      this.keep(slot, record, obs);
    }
    return hit;
  }

  private dropViews(): void {
    for (const a of this.accounts.values()) a.views = undefined;
    this.viewCount = 0;
  }

  private keep(slot: number, record: TelemetryRecord, obs: PreparedObservation): void {
    const key = this.scope === 'account' ? `${slot}\u0000${record.account_id}` : String(slot);
    let list = this.kept.get(key);
    if (list === undefined) this.kept.set(key, (list = []));
    if (list.length >= this.maxKeptPerPattern || this.keptCount >= this.maxKept) {
      this.dropped++;
      return;
    }
    list.push({ record, obs });
    this.keptCount++;
  }

  private tally(item: IntelItem, r: TelemetryRecord): ItemTally {
    let t = this.tallies.get(item);
    if (t === undefined) {
      t = emptyTally(item, r.timestamp);
      this.tallies.set(item, t);
    }
    t.accounts.set(r.account_id, (t.accounts.get(r.account_id) ?? 0) + 1);
    t.requests++;
    if (r.timestamp < t.first) t.first = r.timestamp;
    if (r.timestamp > t.last) t.last = r.timestamp;
    if (t.ips.size < IP_CAP) t.ips.add(r.client_ip);
    if (r.asn !== undefined && t.asns.size < IP_CAP) t.asns.add(r.asn);
    t.inputTokens += r.input_tokens;
    t.outputTokens += r.output_tokens;
    t.models.set(r.model, (t.models.get(r.model) ?? 0) + 1);
    const minute = Math.floor(r.timestamp / 60_000);
    t.minutes.set(minute, (t.minutes.get(minute) ?? 0) + 1);
    return t;
  }

  /** Evaluates the combined patterns over the requests kept for them and returns every tally. */
  finish(): MatchOutcome {
    for (const [key, list] of this.kept) {
      const slot = Number(key.split('\u0000')[0]);
      const result = this.patterns.evaluate(
        slot,
        list.map((k) => k.obs),
      );
      if (!result.matched) continue;
      const item = this.patternItems[slot] as IntelItem;
      const bound = new Set(result.bindings.flatMap((b) => b.observations.map((o) => o.index)));
      for (const i of bound) this.tally(item, (list[i] as Kept).record);
    }
    this.kept.clear();
    const order = new Map<IntelItem, number>();
    [...this.patternItems, ...this.fingerprintItems].forEach((it, i) => order.set(it, i));
    const tallies = [...this.tallies.values()].sort((a, b) => (order.get(a.item) ?? 0) - (order.get(b.item) ?? 0));
    return {
      tallies,
      stats: {
        requests: this.requests,
        accounts: this.accounts.size,
        matchedRequests: this.matchedRequests,
        itemsMatched: tallies.length,
        patternsIndexed: this.patterns.patterns.length,
        patternsRejected: this.patterns.rejected,
        fingerprintsIndexed: this.fingerprintItems.length,
        missingKeyIds: this.missingKeyIds,
        combinedDropped: this.dropped,
      },
    };
  }
}

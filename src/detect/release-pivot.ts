import type { TelemetryRecord } from '../telemetry/record.js';
import type { AccountState } from './accounts.js';
import type { Evidence } from './signals.js';

/**
 * Release-day pivots: a group moving a large share of its traffic to a newly seen model within
 * {@link PIVOT_WINDOW_HOURS} hours of its first request. A model is *new* when first seen more than a day after the
 * telemetry starts (before that, "first seen" only means the log began). For each new model and account the
 * detector counts requests in the window after release, and how many went to the new model.
 *
 * The test is on groups, not accounts: early adopters exist, so one account trying the new model says nothing; a
 * group already joined by other signals whose window share on the new model is at least {@link PIVOT_SHARE} and
 * {@link PIVOT_RATIO} times the rest of the population's is a pivot.
 */
export const PIVOT_WINDOW_HOURS = 24;
export const PIVOT_SHARE = 0.3;
export const PIVOT_RATIO = 3;
const WARMUP_MS = 24 * 3_600_000;

interface Release {
  readonly model: string;
  readonly at: number;
  readonly window: Map<number, { total: number; onNew: number; firstOnNew: number }>;
}

export class ReleasePivotDetector {
  readonly name = 'release-pivot';
  private start = Number.POSITIVE_INFINITY;
  private readonly firstSeen = new Map<string, number>();
  private readonly releases = new Map<string, Release>();
  /** The same releases as a list (walked on every request) and the model of the previous request. */
  private readonly releaseList: Release[] = [];
  private lastModel = '';

  add(r: TelemetryRecord, a: AccountState): void {
    if (r.timestamp < this.start) this.start = r.timestamp;
    if (r.model !== this.lastModel) {
      this.lastModel = r.model;
      if (!this.firstSeen.has(r.model)) {
        this.firstSeen.set(r.model, r.timestamp);
        if (r.timestamp - this.start > WARMUP_MS) {
          const release = { model: r.model, at: r.timestamp, window: new Map() };
          this.releases.set(r.model, release);
          this.releaseList.push(release);
        }
      }
    }
    for (const rel of this.releaseList) {
      const model = rel.model;
      if (r.timestamp < rel.at || r.timestamp >= rel.at + PIVOT_WINDOW_HOURS * 3_600_000) continue;
      let w = rel.window.get(a.index);
      if (w === undefined) {
        w = { total: 0, onNew: 0, firstOnNew: Number.POSITIVE_INFINITY };
        rel.window.set(a.index, w);
      }
      w.total++;
      if (r.model === model) {
        w.onNew++;
        if (r.timestamp < w.firstOnNew) w.firstOnNew = r.timestamp;
      }
    }
  }

  /** Models first seen after the warm-up, with their first-seen time. */
  get newModels(): ReadonlyMap<string, number> {
    return new Map([...this.releases].map(([m, r]) => [m, r.at]));
  }

  /** Whether `accounts` pivoted to a new model, with the evidence; undefined when they did not. */
  groupPivot(accounts: readonly number[]): Evidence | undefined {
    let best: Evidence | undefined;
    for (const [model, rel] of this.releases) {
      let total = 0;
      let onNew = 0;
      const delays: number[] = [];
      const members = new Set(accounts);
      for (const i of accounts) {
        const w = rel.window.get(i);
        if (w === undefined) continue;
        total += w.total;
        onNew += w.onNew;
        if (w.onNew > 0) delays.push((w.firstOnNew - rel.at) / 3_600_000);
      }
      let popTotal = 0;
      let popNew = 0;
      for (const [i, w] of rel.window) {
        if (members.has(i)) continue;
        popTotal += w.total;
        popNew += w.onNew;
      }
      if (total < 10) continue;
      const share = onNew / total;
      const popShare = popTotal === 0 ? 0 : popNew / popTotal;
      if (share < PIVOT_SHARE || share < PIVOT_RATIO * popShare) continue;
      delays.sort((a, b) => a - b);
      const evidence = {
        model,
        first_seen: new Date(rel.at).toISOString(),
        window_hours: PIVOT_WINDOW_HOURS,
        share_on_new_model: Math.round(share * 100) / 100,
        population_share_on_new_model: Math.round(popShare * 1000) / 1000,
        median_hours_to_pivot: Math.round((delays[Math.floor(delays.length / 2)] ?? 0) * 10) / 10,
        pivoting_accounts: delays.length,
      };
      if (best === undefined || share > (best['share_on_new_model'] as number)) best = evidence;
    }
    return best;
  }
}

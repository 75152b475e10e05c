import type { TelemetryRecord } from '../telemetry/record.js';
import { entityCount } from './accounts.js';
import type { AccountState, AccountTable } from './accounts.js';
import { UnionFind } from './union-find.js';
import type { Detector, Finding } from './signals.js';

/**
 * Synchronised timing across accounts, two ways:
 * - **Shared schedule**: a scheduler firing many accounts at the same second of the hour. The hour is cut into
 *   10-second phases; each phase counts the (account, hour) pairs active in it. A phase is *hot* when its count is
 *   far above the median phase (+6 Poisson standard deviations); an account is on that schedule when at least
 *   {@link TIMING_SHARE} of its active hours fall in one hot phase (or its neighbour).
 * - **Co-active minutes**: coordinated bursts. Each minute counts the accounts active in it; a minute is hot when
 *   far above the median for its hour of day. Accounts with at least {@link TIMING_SHARE} of their active minutes
 *   hot are joined through the hot minutes they share.
 * A lone account on a cron job, or people working office hours, never reaches either: it takes many accounts
 * moving together to make a phase or a minute hot.
 */

/** Share of an account's activity that must fall in hot phases or minutes. */
export const TIMING_SHARE = 0.6;
const PHASES = 360;
const PHASE_MS = 10_000;
/** Active minutes remembered per account; busier accounts are not synchronised in this sense anyway. */
const MAX_MINUTES = 256;

interface TimingState {
  phases: Uint16Array;
  hours: number;
  lastHourPhase: number;
  minutes: number[];
  lastMinute: number;
}

function hotThreshold(median: number): number {
  return median + 6 * Math.sqrt(median) + 8;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export class TimingDetector implements Detector<AccountTable> {
  readonly name = 'timing';
  private readonly state: Array<TimingState | undefined> = [];
  private readonly phaseCounts = new Float64Array(PHASES);
  private readonly minuteCounts = new Map<number, number>();
  /**
   * The minute counted last and the count not yet added to {@link minuteCounts}: requests come in time order, so
   * dozens of accounts in a row open the same minute, and one map update per run replaces one per request.
   */
  private runMinute = Number.NaN;
  private runCount = 0;
  private readonly minCustomers: number;

  constructor(options: { minCustomers?: number } = {}) {
    this.minCustomers = options.minCustomers ?? 3;
  }

  add(r: TelemetryRecord, a: AccountState): void {
    let s = this.state[a.index];
    if (s === undefined) {
      s = { phases: new Uint16Array(PHASES), hours: 0, lastHourPhase: -1, minutes: [], lastMinute: -1 };
      this.state[a.index] = s;
    }
    const hour = Math.floor(r.timestamp / 3_600_000);
    const phase = Math.floor((r.timestamp - hour * 3_600_000) / PHASE_MS);
    const hourPhase = hour * PHASES + phase;
    if (hourPhase !== s.lastHourPhase) {
      if (Math.floor(s.lastHourPhase / PHASES) !== hour) s.hours++;
      s.lastHourPhase = hourPhase;
      this.phaseCounts[phase] = (this.phaseCounts[phase] as number) + 1;
      if ((s.phases[phase] as number) < 65535) s.phases[phase] = (s.phases[phase] as number) + 1;
    }
    const minute = Math.floor(r.timestamp / 60_000);
    if (minute !== s.lastMinute) {
      s.lastMinute = minute;
      if (minute === this.runMinute) this.runCount++;
      else {
        this.flushMinute();
        this.runMinute = minute;
        this.runCount = 1;
      }
      if (s.minutes.length <= MAX_MINUTES) s.minutes.push(minute);
    }
  }

  private flushMinute(): void {
    if (this.runCount === 0) return;
    this.minuteCounts.set(this.runMinute, (this.minuteCounts.get(this.runMinute) ?? 0) + this.runCount);
    this.runCount = 0;
  }

  finish(table: AccountTable): Finding[] {
    this.flushMinute();
    return [...this.schedules(table), ...this.bursts(table)];
  }

  private schedules(table: AccountTable): Finding[] {
    const m = median([...this.phaseCounts]);
    const limit = hotThreshold(m);
    const groups = new Map<number, number[]>();
    // The hot phases are the same for every account: listed once, in order.
    const hotPhases: number[] = [];
    for (let p = 0; p < PHASES; p++) if ((this.phaseCounts[p] as number) >= limit) hotPhases.push(p);
    for (const [index, s] of this.state.entries()) {
      if (s === undefined || s.hours < 3) continue;
      let best = -1;
      let bestCount = 0;
      for (const p of hotPhases) {
        const c = (s.phases[p] as number) + (s.phases[(p + 1) % PHASES] as number);
        if (c > bestCount) {
          bestCount = c;
          best = p;
        }
      }
      if (best < 0 || bestCount < TIMING_SHARE * s.hours) continue;
      // Grouped on the hot phase (a pair counted with its neighbour, so jitter across a boundary still joins).
      const list = groups.get(best);
      if (list === undefined) groups.set(best, [index]);
      else list.push(index);
    }
    const out: Finding[] = [];
    for (const [phase, accounts] of groups) {
      const customers = entityCount(table, accounts);
      if (customers < this.minCustomers) continue;
      out.push({
        signal: 'synchronised-timing',
        key: `phase:${phase}`,
        accounts,
        evidence: { kind: 'shared-schedule', second_of_hour: phase * 10, accounts: accounts.length, customers, phase_count: this.phaseCounts[phase], median_phase_count: m },
      });
    }
    return out;
  }

  private bursts(table: AccountTable): Finding[] {
    const byHour: number[][] = Array.from({ length: 24 }, () => []);
    for (const [minute, c] of this.minuteCounts) (byHour[Math.floor(minute / 60) % 24] as number[]).push(c);
    const limits = byHour.map((list) => hotThreshold(median(list)));
    const hot = (minute: number) => (this.minuteCounts.get(minute) ?? 0) >= (limits[Math.floor(minute / 60) % 24] as number);
    const uf = new UnionFind();
    const firstAt = new Map<number, number>();
    const synced: number[] = [];
    for (const [index, s] of this.state.entries()) {
      if (s === undefined || s.minutes.length < 4 || s.minutes.length > MAX_MINUTES) continue;
      const hotMinutes = s.minutes.filter(hot);
      if (hotMinutes.length < TIMING_SHARE * s.minutes.length) continue;
      synced.push(index);
      for (const minute of hotMinutes) {
        const first = firstAt.get(minute);
        if (first === undefined) firstAt.set(minute, index);
        else uf.union(first, index);
      }
    }
    const out: Finding[] = [];
    for (const accounts of uf.groups(synced)) {
      const customers = entityCount(table, accounts);
      if (customers < this.minCustomers) continue;
      const minutes = new Set(accounts.flatMap((i) => (this.state[i] as TimingState).minutes.filter(hot)));
      out.push({
        signal: 'synchronised-timing',
        key: `minutes:${Math.min(...minutes)}`,
        accounts,
        evidence: { kind: 'co-active-minutes', hot_minutes: minutes.size, accounts: accounts.length, customers },
      });
    }
    return out;
  }
}

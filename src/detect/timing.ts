import type { TelemetryRecord } from '../telemetry/record.js';
import { entityCount } from './accounts.js';
import type { AccountState, AccountTable } from './accounts.js';
import { UnionFind } from './union-find.js';
import type { Detector, Finding } from './signals.js';
import { copiedInto } from '../typed-arrays.js';

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
  /**
   * Per account, by index, in arrays rather than an object each: every request touches its account's entries, and a
   * typed array's slot is one memory access where an object holding a typed array was three (the object, the array,
   * its storage), each a likely cache miss once parsing has run between two batches. `phases` holds
   * {@link PHASES} counters per account (requests of distinct (hour, phase) pairs), `hours` the active hours,
   * `lastHourPhase` and `lastMinute` what was counted last (-1 before the first request), `minutes` the active
   * minutes (at most {@link MAX_MINUTES} + 1).
   */
  private capacity = 0;
  private phases = new Uint16Array(0);
  private hours = new Int32Array(0);
  private lastHourPhase = new Float64Array(0);
  private lastMinute = new Float64Array(0);
  private readonly minutes: Array<number[] | undefined> = [];
  /** One past the highest account index seen. */
  private accounts = 0;
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
    const i = a.index;
    if (i >= this.capacity) this.grow(i + 1);
    if (i >= this.accounts) this.accounts = i + 1;
    const hour = Math.floor(r.timestamp / 3_600_000);
    const phase = Math.floor((r.timestamp - hour * 3_600_000) / PHASE_MS);
    const hourPhase = hour * PHASES + phase;
    const last = this.lastHourPhase[i] as number;
    if (hourPhase !== last) {
      if (Math.floor(last / PHASES) !== hour) this.hours[i] = (this.hours[i] as number) + 1;
      this.lastHourPhase[i] = hourPhase;
      this.phaseCounts[phase] = (this.phaseCounts[phase] as number) + 1;
      const slot = i * PHASES + phase;
      if ((this.phases[slot] as number) < 65535) this.phases[slot] = (this.phases[slot] as number) + 1;
    }
    const minute = Math.floor(r.timestamp / 60_000);
    if (minute !== this.lastMinute[i]) {
      this.lastMinute[i] = minute;
      if (minute === this.runMinute) this.runCount++;
      else {
        this.flushMinute();
        this.runMinute = minute;
        this.runCount = 1;
      }
      let list = this.minutes[i];
      if (list === undefined) {
        list = [];
        this.minutes[i] = list;
      }
      if (list.length <= MAX_MINUTES) list.push(minute);
    }
  }

  /** Makes room for accounts below `needed` (doubling, so growing costs a copy per doubling). */
  private grow(needed: number): void {
    const capacity = Math.max(needed, 2 * this.capacity, 64);
    this.phases = copiedInto(new Uint16Array(capacity * PHASES), this.phases);
    this.hours = copiedInto(new Int32Array(capacity), this.hours);
    this.lastHourPhase = copiedInto(new Float64Array(capacity).fill(-1), this.lastHourPhase);
    this.lastMinute = copiedInto(new Float64Array(capacity).fill(-1), this.lastMinute);
    this.capacity = capacity;
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
    const phases = this.phases;
    for (let index = 0; index < this.accounts; index++) {
      const hours = this.hours[index] as number;
      if (hours < 3) continue;
      const base = index * PHASES;
      let best = -1;
      let bestCount = 0;
      for (const p of hotPhases) {
        const c = (phases[base + p] as number) + (phases[base + ((p + 1) % PHASES)] as number);
        if (c > bestCount) {
          bestCount = c;
          best = p;
        }
      }
      if (best < 0 || bestCount < TIMING_SHARE * hours) continue;
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
    for (let index = 0; index < this.accounts; index++) {
      const active = this.minutes[index];
      if (active === undefined || active.length < 4 || active.length > MAX_MINUTES) continue;
      const hotMinutes = active.filter(hot);
      if (hotMinutes.length < TIMING_SHARE * active.length) continue;
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
      const minutes = new Set(accounts.flatMap((i) => (this.minutes[i] as number[]).filter(hot)));
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

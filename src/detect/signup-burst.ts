import { entityCount } from './accounts.js';
import type { AccountTable } from './accounts.js';
import type { Detector, Finding } from './signals.js';

/**
 * New-account bursts through a sign-up channel: many accounts of one channel (`education`, `research-program`,
 * `startup`...) created within one {@link BURST_WINDOW_HOURS}-hour window, against that channel's usual rate of
 * sign-ups per window over the whole period seen. A burst needs at least {@link BURST_MIN_ACCOUNTS} customers
 * (accounts of one org count once: a research group signing up together is one customer) and
 * {@link BURST_RATIO} times the usual rate. The accounts of a burst are joined by it.
 */
export const BURST_WINDOW_HOURS = 6;
export const BURST_MIN_ACCOUNTS = 5;
export const BURST_RATIO = 10;

export class SignupBurstDetector implements Detector<AccountTable> {
  readonly name = 'signup-burst';

  finish(table: AccountTable): Finding[] {
    const windowMs = BURST_WINDOW_HOURS * 3_600_000;
    const byChannel = new Map<string, { min: number; max: number; windows: Map<number, number[]> }>();
    for (const a of table.list) {
      if (a.created === undefined || a.channel === undefined) continue;
      let c = byChannel.get(a.channel);
      if (c === undefined) {
        c = { min: a.created, max: a.created, windows: new Map() };
        byChannel.set(a.channel, c);
      }
      c.min = Math.min(c.min, a.created);
      c.max = Math.max(c.max, a.created);
      const w = Math.floor(a.created / windowMs);
      const list = c.windows.get(w);
      if (list === undefined) c.windows.set(w, [a.index]);
      else list.push(a.index);
    }
    const out: Finding[] = [];
    for (const [channel, c] of byChannel) {
      const windows = Math.max(1, (c.max - c.min) / windowMs);
      const total = [...c.windows.values()].reduce((n, l) => n + l.length, 0);
      const usual = total / windows;
      for (const [w, accounts] of c.windows) {
        const customers = entityCount(table, accounts);
        if (customers < BURST_MIN_ACCOUNTS || customers < BURST_RATIO * usual) continue;
        out.push({
          signal: 'signup-burst',
          key: `signup:${channel}:${w}`,
          accounts,
          evidence: {
            channel,
            window_start: new Date(w * windowMs).toISOString(),
            window_hours: BURST_WINDOW_HOURS,
            accounts: accounts.length,
            customers,
            usual_per_window: Math.round(usual * 100) / 100,
          },
        });
      }
    }
    return out;
  }
}

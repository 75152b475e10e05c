import type { AccountTable } from './accounts.js';
import type { Detector, Finding } from './signals.js';

/**
 * Volume against the population. Requests and tokens per account (and per org) are compared on a log scale with the
 * median and the median absolute deviation, which a few heavy users cannot drag (a mean and standard deviation
 * would rise with them and hide the next one). An account is flagged at a robust z of {@link VOLUME_Z} or more.
 *
 * Volume is context, never enough on its own: heavy benign users are normal, so it only adds to the score of
 * accounts that other signals already join into a campaign.
 */

/** Robust z-score at which an account's volume is reported. */
export const VOLUME_Z = 3.5;

/** Median and scaled MAD of a list (scaled so it estimates a standard deviation for normal data). */
export function robustCentre(values: readonly number[]): { median: number; scale: number } {
  if (values.length === 0) return { median: 0, scale: 1 };
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const dev = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const mad = dev[Math.floor(dev.length / 2)] as number;
  return { median, scale: Math.max(1.4826 * mad, 0.1) };
}

/** The volume detector (stateless while reading: the account table keeps the totals). */
export class VolumeDetector implements Detector<AccountTable> {
  readonly name = 'volume';

  finish(table: AccountTable): Finding[] {
    const logReq = table.list.map((a) => Math.log10(a.requests));
    const logTok = table.list.map((a) => Math.log10(1 + a.inputTokens + a.outputTokens));
    const req = robustCentre(logReq);
    const tok = robustCentre(logTok);
    const out: Finding[] = [];
    for (const a of table.list) {
      const zr = ((logReq[a.index] as number) - req.median) / req.scale;
      const zt = ((logTok[a.index] as number) - tok.median) / tok.scale;
      const z = Math.max(zr, zt);
      if (z < VOLUME_Z) continue;
      out.push({
        signal: 'volume',
        accounts: [a.index],
        evidence: {
          requests: a.requests,
          tokens: a.inputTokens + a.outputTokens,
          robust_z: Math.round(z * 10) / 10,
          population_median_requests: Math.round(10 ** req.median),
        },
      });
    }
    return out;
  }
}

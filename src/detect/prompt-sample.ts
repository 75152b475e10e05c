/**
 * Which prompts the prompt detectors look at: an account's first {@link SAMPLE_FIRST}, then one in
 * {@link SAMPLE_EVERY}. Normalising and fingerprinting every prompt would cost more than everything else together;
 * a template an account reuses shows up in its sample, and the sample bounds the work a single very busy account
 * can cause.
 */
export const SAMPLE_FIRST = 8;
export const SAMPLE_EVERY = 16;

/** Whether the `n`-th request (1-based) of an account is sampled. */
export function sampled(n: number): boolean {
  return n <= SAMPLE_FIRST || n % SAMPLE_EVERY === 0;
}

/** cyrb53: a fast 53-bit string hash (local bookkeeping only; nothing hashed with it leaves the process). */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

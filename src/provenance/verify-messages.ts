import type { ObjectVerdict } from './signature-verdict.js';
import type { TrustStoreDocument } from './trust-store.js';

/** What a verification thread starts with (`workerData`). */
export interface VerifyThreadData {
  readonly trust: TrustStoreDocument;
}

/** A batch of objects to verify: each one's JSON text, and the instant that counts as "now". */
export interface VerifyJob {
  readonly id: number;
  readonly texts: readonly string[];
  readonly nowMs: number;
}

/**
 * A thread's answer: `ready` once it has loaded and can take jobs; then one reply per job, with a verdict per text
 * in order, or the error that stopped the batch (the pool then verifies that batch on its own thread).
 */
export type VerifyThreadMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'verdicts'; readonly id: number; readonly verdicts: readonly ObjectVerdict[] }
  | { readonly kind: 'failed'; readonly id: number; readonly error: string };

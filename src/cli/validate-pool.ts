import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { judgeRecords } from '../stix/record-verdict.js';
import type { RecordBatch, RecordJudge, RecordJudging, RecordVerdict } from '../stix/record-verdict.js';

/**
 * Worker threads that judge NDJSON records for `distill-intel validate` while the command's thread reads, applies
 * the checks across records and reports (see `ValidateStreamOptions.judge`).
 *
 * - Threads start only when the first batch comes, which the stream validator sends only after `after` records: a
 *   small input never pays for their start-up.
 * - Each batch goes to the thread with the fewest batches; verdicts come back per batch and the stream validator
 *   applies them in input order.
 * - A thread that fails (cannot start, crashes, throws) is dropped and its batches are judged on the calling thread
 *   with the same code: slower, never different. `close()` ends every thread.
 */

/** One batch sent to a thread. */
export interface ValidateJob {
  readonly id: number;
  readonly batch: RecordBatch;
  readonly judging: RecordJudging;
}

/** A thread's answer to one batch. */
export type ValidateReply = { readonly id: number; readonly verdicts: RecordVerdict[] } | { readonly id: number; readonly error: string };

/** How a pool is built. */
export interface ValidatePoolOptions {
  /** Worker threads to run; at least 1. */
  readonly threads: number;
  /** Records read before threads start (default 10,000). */
  readonly after?: number;
  /** Records per batch (default 256). */
  readonly batchSize?: number;
}

/** Most threads the default gives: past this the reading thread is the limit. */
const MAX_DEFAULT_THREADS = 4;

/**
 * Worker threads `validate` uses by default: one per available core beyond the one that reads and reports, at most
 * 4, from three cores up. On one or two cores it is 0 (validate on the calling thread): one worker does the work
 * the calling thread would, plus passing every record and verdict between threads, while the calling thread waits
 * (measured slower, bench/validate-command.ts).
 */
export function defaultValidateThreads(cores: number = availableParallelism()): number {
  return cores < 3 ? 0 : Math.min(MAX_DEFAULT_THREADS, cores - 1);
}

/** The worker script beside this module (the `.ts` sibling when run from the sources under a TypeScript loader). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './validate-worker.ts' : './validate-worker.js', import.meta.url);

interface Pending {
  readonly job: ValidateJob;
  readonly resolve: (verdicts: RecordVerdict[]) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly jobs: Map<number, Pending>;
}

/** A set of validation threads for one command run (see the module comment). */
export class ValidatePool implements RecordJudge {
  readonly after: number;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly #size: number;
  readonly #threads = new Set<Thread>();
  #started = false;
  #nextId = 1;

  constructor(options: ValidatePoolOptions) {
    if (!Number.isSafeInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a positive integer, not ${String(options.threads)}`);
    this.#size = options.threads;
    // A thread's start (loading the validator, about 0.45 s of CPU measured) costs as much as judging some 15,000
    // records here: an input shorter than this never pays for it.
    this.after = options.after ?? 10_000;
    this.batchSize = options.batchSize ?? 256;
    // Enough to keep every thread busy while the reader splits the next chunk, few enough to bound memory.
    this.maxInFlight = 4 * options.threads;
  }

  /** Judges one batch on the least busy thread (on this thread when none runs). */
  judge(batch: RecordBatch, judging: RecordJudging): Promise<RecordVerdict[]> {
    if (!this.#started) this.#start();
    let best: Thread | undefined;
    for (const t of this.#threads) if (best === undefined || t.jobs.size < best.jobs.size) best = t;
    const job: ValidateJob = { id: this.#nextId++, batch, judging };
    if (best === undefined) return new Promise((resolve) => resolve(judgeRecords(batch, judging)));
    const thread = best;
    return new Promise((resolve) => {
      thread.jobs.set(job.id, { job, resolve });
      thread.worker.postMessage(job);
    });
  }

  /** Ends every thread; batches still with them are judged here. */
  async close(): Promise<void> {
    const threads = [...this.#threads];
    for (const t of threads) this.#drop(t);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  #start(): void {
    this.#started = true;
    for (let i = 0; i < this.#size; i++) {
      const thread: Thread = { worker: new Worker(WORKER_URL), jobs: new Map() };
      this.#threads.add(thread);
      thread.worker.on('message', (reply: ValidateReply) => {
        const pending = thread.jobs.get(reply.id);
        if (pending === undefined) return;
        thread.jobs.delete(reply.id);
        if ('verdicts' in reply) pending.resolve(reply.verdicts);
        else pending.resolve(judgeRecords(pending.job.batch, pending.job.judging));
      });
      thread.worker.on('error', () => this.#drop(thread));
      thread.worker.on('exit', () => this.#drop(thread));
    }
  }

  /** Takes a thread out of service, judging its unanswered batches on this thread. */
  #drop(thread: Thread): void {
    if (!this.#threads.delete(thread)) return;
    for (const pending of thread.jobs.values()) pending.resolve(judgeRecords(pending.job.batch, pending.job.judging));
    thread.jobs.clear();
  }
}

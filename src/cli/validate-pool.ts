import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { judgeRecords } from '../stix/record-verdict.js';
import type { RecordBatch, RecordJudge, RecordJudging, RecordVerdict } from '../stix/record-verdict.js';
import { packBatch, unpackVerdicts } from './validate-messages.js';
import type { PackedBatch, PackedVerdicts } from './validate-messages.js';

/**
 * Worker threads that judge NDJSON records for `distill-intel validate` while the command's thread reads, applies
 * the checks across records and reports (see `ValidateStreamOptions.judge`).
 *
 * - Threads start only when the first batch comes, which the stream validator sends only after `after` records: a
 *   small input never pays for their start-up.
 * - Each batch goes to the thread with the fewest batches still to judge, unless every thread already has
 *   `queueDepth` of them: then the calling thread judges it itself, between reading chunks. Threads count the
 *   batches they finish in shared memory, so the calling thread sees their progress without waiting for their
 *   replies (which it reads only between chunks); the threads never idle while it works, and it never idles while
 *   they do. Verdicts come back per batch and the stream validator applies them in input order.
 * - A thread that fails (cannot start, crashes, throws) is dropped and its batches are judged on the calling thread
 *   with the same code: slower, never different. `close()` ends every thread.
 */

/** One batch sent to a thread. */
export interface ValidateJob {
  readonly id: number;
  readonly batch: PackedBatch;
  readonly judging: RecordJudging;
}

/** A thread's answer to one batch. */
export type ValidateReply = { readonly id: number; readonly verdicts: PackedVerdicts } | { readonly id: number; readonly error: string };

/** How a pool is built. */
export interface ValidatePoolOptions {
  /** Worker threads to run; at least 1. */
  readonly threads: number;
  /** Records read before threads start (default 10,000). */
  readonly after?: number;
  /** Records per batch (default 256). */
  readonly batchSize?: number;
  /**
   * Batches a thread may hold (sent, not yet finished) before the calling thread judges the next batch itself
   * (default 2: one being judged, one waiting, so a thread finishing a batch starts the next at once).
   */
  readonly queueDepth?: number;
}

/** Most threads the default gives: past this the reading thread is the limit. */
const MAX_DEFAULT_THREADS = 4;

/**
 * Worker threads `validate` uses by default: one per available core beyond the first, at most 4, from three cores
 * up. On one or two cores it is 0 (validate on the calling thread): one thread beside the calling one then competes
 * with V8's own garbage-collection and compiler threads for the second core, starts its own copy of the validator
 * (about 0.3-0.45 s of CPU) and adds the passing of records and verdicts; measured on two cores it was no faster, and
 * slower whenever anything else ran (bench/validate-command.ts).
 */
export function defaultValidateThreads(cores: number = availableParallelism()): number {
  return cores < 3 ? 0 : Math.min(MAX_DEFAULT_THREADS, cores - 1);
}

/** The worker script beside this module (the `.ts` sibling when run from the sources under a TypeScript loader). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './validate-worker.ts' : './validate-worker.js', import.meta.url);

interface Pending {
  readonly batch: RecordBatch;
  readonly judging: RecordJudging;
  readonly resolve: (verdicts: RecordVerdict[]) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly jobs: Map<number, Pending>;
  /** Batches sent to the thread. */
  sent: number;
  /** Slot 0: batches the thread has finished judging, written by the thread as it finishes each. */
  readonly finished: Int32Array;
}

/** What a validation thread is started with (its `workerData`). */
export interface ValidateWorkerData {
  /** One Int32 the thread adds 1 to as it finishes each batch, before replying. */
  readonly finished: SharedArrayBuffer;
}

/** A set of validation threads for one command run (see the module comment). */
export class ValidatePool implements RecordJudge {
  readonly after: number;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly #size: number;
  readonly #queueDepth: number;
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
    this.#queueDepth = options.queueDepth ?? 2;
    if (!Number.isSafeInteger(this.#queueDepth) || this.#queueDepth < 1) throw new RangeError(`queueDepth must be a positive integer, not ${String(options.queueDepth)}`);
    // Enough to keep every thread busy while the reader splits the next chunk, few enough to bound memory.
    this.maxInFlight = 16 * options.threads;
  }

  /**
   * Judges one batch on the thread with the fewest unfinished batches, or here when every thread holds `queueDepth`
   * of them (or none runs).
   */
  judge(batch: RecordBatch, judging: RecordJudging): Promise<RecordVerdict[]> {
    if (!this.#started) this.#start();
    let best: Thread | undefined;
    let bestBacklog = Infinity;
    for (const t of this.#threads) {
      const backlog = t.sent - Atomics.load(t.finished, 0);
      if (backlog < bestBacklog) {
        best = t;
        bestBacklog = backlog;
      }
    }
    // Judged now, synchronously (the executor runs at once): the reader resumes once the batch is done.
    if (best === undefined || bestBacklog >= this.#queueDepth) return new Promise((resolve) => resolve(judgeRecords(batch, judging)));
    const job: ValidateJob = { id: this.#nextId++, batch: packBatch(batch), judging };
    const thread = best;
    thread.sent++;
    return new Promise((resolve) => {
      thread.jobs.set(job.id, { batch, judging, resolve });
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
      const finished = new SharedArrayBuffer(4);
      const workerData: ValidateWorkerData = { finished };
      const thread: Thread = { worker: new Worker(WORKER_URL, { workerData }), jobs: new Map(), sent: 0, finished: new Int32Array(finished) };
      this.#threads.add(thread);
      thread.worker.on('message', (reply: ValidateReply) => {
        const pending = thread.jobs.get(reply.id);
        if (pending === undefined) return;
        thread.jobs.delete(reply.id);
        if ('verdicts' in reply) pending.resolve(unpackVerdicts(reply.verdicts));
        else pending.resolve(judgeRecords(pending.batch, pending.judging));
      });
      thread.worker.on('error', () => this.#drop(thread));
      thread.worker.on('exit', () => this.#drop(thread));
    }
  }

  /** Takes a thread out of service, judging its unanswered batches on this thread. */
  #drop(thread: Thread): void {
    if (!this.#threads.delete(thread)) return;
    for (const pending of thread.jobs.values()) pending.resolve(judgeRecords(pending.batch, pending.judging));
    thread.jobs.clear();
  }
}

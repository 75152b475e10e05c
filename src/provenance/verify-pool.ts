import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { signatureVerdict } from './signature-verdict.js';
import type { ObjectVerdict } from './signature-verdict.js';
import type { TrustStore } from './trust-store.js';
import type { VerifyJob, VerifyThreadData, VerifyThreadMessage } from './verify-messages.js';

/**
 * A bounded pool of worker threads that verify X.590 signatures off the calling thread. One Ed25519 verification in
 * OpenSSL costs about as much CPU as a server spends storing an object, so a TAXII server that requires signatures
 * hands them to the other cores while its request thread validates and commits.
 *
 * - Verdicts are those of `signatureVerdict` on `JSON.parse` of each text, with the trust store copied into every
 *   thread and the caller's "now": exactly what the calling thread would compute.
 * - Work is sent in batches (one message per slice of a call, not per object), to the least busy thread; each thread
 *   holds at most `maxJobsPerThread` batches and the rest wait in first-come order (back-pressure: a caller's promise
 *   settles later, nothing is dropped).
 * - A thread that dies (crash, out of memory) is replaced and its batches go to another thread; a batch that has
 *   taken down two threads, or that a thread could not verify, is verified on the calling thread instead. When threads
 *   cannot be started at all (no worker support, the worker script missing, resource limits), the pool says so once
 *   through `onThreadFailure` and verifies on the calling thread from then on: slower, never different.
 * - Idle threads do not keep the process alive; `close()` waits for the batches in flight and ends every thread.
 */

/** How a pool is built. */
export interface VerifyPoolOptions {
  /** Keys the threads verify against (copied into each thread as a trust-store document). */
  readonly trust: TrustStore;
  /** Threads to run (default {@link defaultVerifyThreads}); at least 1. */
  readonly threads?: number;
  /** Batches one thread holds at a time; further batches wait (default 8). */
  readonly maxJobsPerThread?: number;
  /** Told when a thread fails; `degraded` when the pool has given up on threads and verifies in the caller's thread. */
  readonly onThreadFailure?: (failure: { readonly error: string; readonly degraded: boolean }) => void;
}

/** Most threads the default gives (a pool per server; more rarely pays on the hosts this runs on). */
const MAX_DEFAULT_THREADS = 8;
/** Smallest slice a call is split into: below this a message costs a noticeable share of the work. */
const MIN_SLICE = 64;
/** Threads in a row that may die before becoming ready before the pool gives up on threads. */
const MAX_START_FAILURES = 3;
/** Threads a batch may take down before it is verified on the calling thread. */
const MAX_ATTEMPTS = 2;

/** Threads a pool runs by default: one per available core, at most 8. */
export function defaultVerifyThreads(): number {
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, availableParallelism()));
}

/**
 * The worker script beside this module. Run from the TypeScript sources (benchmarks under a TypeScript loader, which
 * threads inherit through `execArgv`), the sibling is the `.ts` file.
 */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './verify-worker.ts' : './verify-worker.js', import.meta.url);

interface Job extends VerifyJob {
  attempts: number;
  readonly resolve: (verdicts: readonly ObjectVerdict[]) => void;
  readonly reject: (err: unknown) => void;
}

interface Thread {
  readonly worker: Worker;
  ready: boolean;
  readonly jobs: Map<number, Job>;
}

/** A long-lived pool of verification threads (see the module comment). */
export class VerifyPool {
  readonly #trust: TrustStore;
  readonly #data: VerifyThreadData;
  readonly #size: number;
  readonly #perThread: number;
  readonly #onFailure: VerifyPoolOptions['onThreadFailure'];
  readonly #threads = new Set<Thread>();
  readonly #waiting: Job[] = [];
  #nextId = 1;
  #everReady = false;
  #startFailures = 0;
  #degraded = false;
  #closed = false;
  #terminating = false;
  #closing: Promise<void> | undefined;
  #idle: (() => void)[] = [];

  constructor(options: VerifyPoolOptions) {
    const threads = options.threads ?? defaultVerifyThreads();
    if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, not ${String(threads)}`);
    const perThread = options.maxJobsPerThread ?? 8;
    if (!Number.isSafeInteger(perThread) || perThread < 1) throw new RangeError(`maxJobsPerThread must be a positive integer, not ${String(perThread)}`);
    this.#trust = options.trust;
    this.#data = { trust: options.trust.toDocument() };
    this.#size = threads;
    this.#perThread = perThread;
    this.#onFailure = options.onThreadFailure;
    for (let i = 0; i < threads; i++) this.#start();
  }

  /** The trust store the threads verify against. */
  get trust(): TrustStore {
    return this.#trust;
  }

  /** Threads running now (starting ones included). */
  get threads(): number {
    return this.#threads.size;
  }

  /** True once the pool has given up on threads and verifies on the calling thread. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** Objects handed over and not yet answered, waiting ones included. */
  get pending(): number {
    let n = 0;
    for (const job of this.#waiting) n += job.texts.length;
    for (const t of this.#threads) for (const job of t.jobs.values()) n += job.texts.length;
    return n;
  }

  /**
   * Verifies objects given as their JSON texts; the verdicts come back in the same order. `nowMs` is the instant
   * future-dated signatures are judged against (default the clock). After `close()`, or once degraded, the objects
   * are verified on the calling thread.
   */
  verify(texts: readonly string[], nowMs: number = Date.now()): Promise<ObjectVerdict[]> {
    if (texts.length === 0) return Promise.resolve([]);
    if (this.#closed || this.#degraded) return new Promise((resolve) => resolve(this.#verifyHere(texts, nowMs)));
    const parts = Math.min(this.#size, Math.ceil(texts.length / MIN_SLICE));
    const per = Math.ceil(texts.length / parts);
    const slices: Promise<readonly ObjectVerdict[]>[] = [];
    for (let start = 0; start < texts.length; start += per) {
      const slice = texts.slice(start, start + per);
      slices.push(new Promise((resolve, reject) => this.#waiting.push({ id: this.#nextId++, texts: slice, nowMs, attempts: 0, resolve, reject })));
    }
    this.#pump();
    return Promise.all(slices).then((answers) => answers.flat());
  }

  /**
   * Stops taking work for the threads, lets the batches in flight finish, and ends every thread. Idempotent.
   * Later calls to `verify` run on the calling thread.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      if (this.pending > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
      await this.#terminateAll();
    })();
    return this.#closing;
  }

  #start(): void {
    const worker = new Worker(WORKER_URL, { workerData: this.#data });
    const thread: Thread = { worker, ready: false, jobs: new Map() };
    this.#threads.add(thread);
    worker.unref();
    let failure = 'the thread stopped';
    worker.on('message', (message: VerifyThreadMessage) => this.#receive(thread, message));
    worker.on('error', (err) => {
      failure = err.message;
    });
    worker.on('messageerror', (err) => {
      failure = `a reply could not be read: ${err.message}`;
      void worker.terminate();
    });
    worker.on('exit', (code) => this.#exited(thread, code === 0 ? failure : `${failure} (exit code ${code})`));
  }

  #receive(thread: Thread, message: VerifyThreadMessage): void {
    if (message.kind === 'ready') {
      thread.ready = true;
      this.#everReady = true;
      this.#startFailures = 0;
      this.#pump();
      return;
    }
    const job = thread.jobs.get(message.id);
    if (job === undefined) return;
    thread.jobs.delete(message.id);
    if (message.kind === 'verdicts') job.resolve(message.verdicts);
    else this.#settleHere(job);
    this.#pump();
  }

  #exited(thread: Thread, error: string): void {
    this.#threads.delete(thread);
    const orphans = [...thread.jobs.values()];
    thread.jobs.clear();
    if (!this.#terminating) {
      if (!thread.ready && (!this.#everReady || ++this.#startFailures >= MAX_START_FAILURES)) this.#degraded = true;
      this.#onFailure?.({ error, degraded: this.#degraded });
      if (this.#degraded) this.#terminateAll();
      else if (!this.#closed) this.#start();
    }
    for (const job of orphans) {
      job.attempts++;
      if (job.attempts >= MAX_ATTEMPTS) this.#settleHere(job);
      else this.#waiting.unshift(job);
    }
    this.#pump();
  }

  /** Ends every thread on purpose (closing, or giving up on threads): their exits are not failures. */
  #terminateAll(): Promise<unknown> {
    this.#terminating = true;
    // an unreferenced thread's exit would not keep the process alive long enough to be awaited
    return Promise.all(
      [...this.#threads].map((t) => {
        t.worker.ref();
        return t.worker.terminate();
      }),
    );
  }

  /** Hands waiting batches to the least busy ready threads (or, degraded, verifies them here). */
  #pump(): void {
    if (this.#degraded || this.#terminating || (this.#closed && this.#threads.size === 0)) {
      while (this.#waiting.length > 0) this.#settleHere(this.#waiting.shift() as Job);
    }
    while (this.#waiting.length > 0) {
      let best: Thread | undefined;
      for (const t of this.#threads) {
        if (t.ready && t.jobs.size < this.#perThread && (best === undefined || t.jobs.size < best.jobs.size)) best = t;
      }
      if (best === undefined) break;
      const job = this.#waiting.shift() as Job;
      best.jobs.set(job.id, job);
      best.worker.postMessage({ id: job.id, texts: job.texts, nowMs: job.nowMs } satisfies VerifyJob);
    }
    this.#holdProcess();
  }

  /** Threads keep the process alive only while some batch waits for them. */
  #holdProcess(): void {
    const busy = this.#waiting.length > 0 || [...this.#threads].some((t) => t.jobs.size > 0);
    // threads being ended stay referenced, or the process could stop before `close()` has seen them go
    if (!this.#terminating) {
      for (const t of this.#threads) {
        if (busy) t.worker.ref();
        else t.worker.unref();
      }
    }
    if (!busy && this.#idle.length > 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const w of waiters) w();
    }
  }

  #settleHere(job: Job): void {
    try {
      job.resolve(this.#verifyHere(job.texts, job.nowMs));
    } catch (err) {
      job.reject(err);
    }
  }

  #verifyHere(texts: readonly string[], nowMs: number): ObjectVerdict[] {
    const now = new Date(nowMs);
    return texts.map((text) => signatureVerdict(JSON.parse(text) as Record<string, unknown>, { trust: this.#trust, now }));
  }
}

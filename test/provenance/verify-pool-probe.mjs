// Runs a VerifyPool from the built package (dist/) in a process of its own, the way a server runs it: worker threads
// load dist/provenance/verify-worker.js. Reads one job as JSON on stdin and prints what happened as JSON on stdout.
// The process must end by itself: a pool left open or a thread left running would keep it alive, and the test that
// spawned it would time out.
//
// Job: { trust, texts, nowMs, threads, maxJobsPerThread?, calls?, fault?, close? }
//   calls  split `texts` into that many concurrent verify() calls (default 1)
//   fault  'kill-first-thread': the first thread that receives a batch is terminated as it gets it (a crash);
//          'no-threads': threads cannot start (their script is missing)
//   close  call pool.close() at the end (default true)
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const threads = require('node:worker_threads');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// What the threads were sent: batches per thread, and the most any thread held unanswered at once.
const seen = { batches: 0, mostHeld: 0, killed: 0 };
const RealWorker = threads.Worker;
class ProbedWorker extends RealWorker {
  constructor(url, options) {
    super(job.fault === 'no-threads' ? new URL('./no-such-verify-worker.js', url) : url, options);
    this.held = 0;
    this.on('message', (m) => {
      if (m.kind !== 'ready') this.held--;
    });
  }
  postMessage(message) {
    seen.batches++;
    this.held++;
    seen.mostHeld = Math.max(seen.mostHeld, this.held);
    if (job.fault === 'kill-first-thread' && seen.killed === 0) {
      seen.killed++;
      super.postMessage(message);
      void this.terminate();
      return;
    }
    super.postMessage(message);
  }
}
threads.Worker = ProbedWorker;
syncBuiltinESMExports();

const { VerifyPool } = await import('../../dist/provenance/verify-pool.js');
const { TrustStore } = await import('../../dist/provenance/trust-store.js');

const failures = [];
const pool = new VerifyPool({
  trust: TrustStore.fromDocument(job.trust),
  threads: job.threads,
  ...(job.maxJobsPerThread !== undefined ? { maxJobsPerThread: job.maxJobsPerThread } : {}),
  onThreadFailure: (f) => failures.push(f),
});
const calls = job.calls ?? 1;
const per = Math.ceil(job.texts.length / calls);
const parts = [];
for (let i = 0; i < job.texts.length; i += per) parts.push(pool.verify(job.texts.slice(i, i + per), job.nowMs));
const verdicts = (await Promise.all(parts)).flat();
const result = { verdicts, failures, degraded: pool.degraded, pendingAfter: pool.pending, seen };
if (job.close !== false) {
  await pool.close();
  result.threadsAfterClose = pool.threads;
  result.afterClose = await pool.verify(job.texts.slice(0, 1), job.nowMs);
}
process.stdout.write(JSON.stringify(result));

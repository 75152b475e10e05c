/**
 * Entry point of a validation thread (see validate-pool.ts). A program, not a library module: it runs only as a
 * worker thread's main script, which is why it acts on being loaded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { registerDistillationExtensions } from '../distillation/definitions.js';
import { judgeRecords } from '../stix/record-verdict.js';
import { packVerdicts, unpackBatch } from './validate-messages.js';
import type { ValidateJob, ValidateReply, ValidateWorkerData } from './validate-pool.js';

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('validate-worker runs as a worker thread of a ValidatePool, not on its own');
  // The same registry as the command's thread: the suite's objects are judged by their schemas there too.
  registerDistillationExtensions();
  const finished = new Int32Array((workerData as ValidateWorkerData).finished);
  port.on('message', (job: ValidateJob) => {
    let reply: ValidateReply;
    try {
      reply = { id: job.id, verdicts: packVerdicts(judgeRecords(unpackBatch(job.batch), job.judging)) };
    } catch (err) {
      reply = { id: job.id, error: err instanceof Error ? err.message : String(err) };
    }
    // Counted before the reply: the pool reads this count to decide where the next batch goes.
    Atomics.add(finished, 0, 1);
    port.postMessage(reply);
  });
}

serve();

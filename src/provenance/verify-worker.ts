/**
 * Entry point of a signature-verification thread (see verify-pool.ts). A program, not a library module: it runs
 * only as a worker thread's main script, which is why it acts on being loaded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { signatureVerdict } from './signature-verdict.js';
import { TrustStore } from './trust-store.js';
import type { VerifyJob, VerifyThreadData, VerifyThreadMessage } from './verify-messages.js';

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('verify-worker runs as a worker thread of a VerifyPool, not on its own');
  const trust = TrustStore.fromDocument((workerData as VerifyThreadData).trust);
  port.on('message', (job: VerifyJob) => {
    let reply: VerifyThreadMessage;
    try {
      const now = new Date(job.nowMs);
      // The texts are what the request thread parsed and validated; JSON.parse gives it the same values back.
      const verdicts = job.texts.map((text) => signatureVerdict(JSON.parse(text) as Record<string, unknown>, { trust, now }));
      reply = { kind: 'verdicts', id: job.id, verdicts };
    } catch (err) {
      reply = { kind: 'failed', id: job.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ kind: 'ready' } satisfies VerifyThreadMessage);
}

serve();

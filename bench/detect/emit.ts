/**
 * Writes simulated telemetry as JSON Lines to standard output and its ground truth to a file, for the `--pipe` run of
 * bench/detect/detect.ts (the detection process then reads it from a pipe, as `distill-intel detect -` would).
 * Unlike `distill-intel simulate`, any number of requests is allowed (the memory target is at 20M and more).
 *
 *   node --import ./bench/register.js bench/detect/emit.ts <requests> <accounts> <seed> <days> <truth.json>
 */
import { writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { recordLine, simulate } from '../../src/simulate/index.js';

const [requests, accounts, seed, days, truthFile] = process.argv.slice(2);
if (truthFile === undefined) throw new Error('usage: emit.ts <requests> <accounts> <seed> <days> <truth.json>');
const sim = simulate({ seed: seed ?? 'bench-detect', requests: Number(requests), accounts: Number(accounts), days: Number(days) });
for (const batch of sim.batches()) {
  let text = '';
  for (const r of batch) text += recordLine(r) + '\n';
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
writeFileSync(truthFile, JSON.stringify(sim.truth));

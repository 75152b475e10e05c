/**
 * bench/validate: validates a mixed stream of STIX objects built from the conformance corpus's shapes with varied
 * values, and prints objects/s for full validation beside JSON.parse of the same bytes.
 *
 *   node --import ./bench/register.js bench/validate.ts [count]
 *
 * Target (issue 2): full validation costs at most 3x the JSON.parse time of the same input.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { validate } from '../src/stix/validate.js';
import { hasErrors } from '../src/stix/diagnostic.js';
import { schemaCompilationCount } from '../src/stix/schemas.js';
import { corpusShapedObjects } from './corpus-shapes.js';

const count = Number(process.argv[2] ?? 100_000);

type Obj = Record<string, unknown>;

const { shapes, objects } = corpusShapedObjects(count);
const text = '[' + objects.map((o) => JSON.stringify(o)).join(',') + ']';
const bytes = Buffer.byteLength(text);

// Parse and validate rounds alternate, so a burst of load from elsewhere on the machine hits both alike; the figures
// are medians over the rounds, and the ratio is the median of the per-round ratios. Each timed phase starts from a
// collected heap: otherwise whichever phase happens to trigger the major collection of the previous round's 46 MB of
// objects pays for it, which swung single rounds between 1.6x and 4.6x. The validate phase still pays for every
// collection its own allocations cause, including moving the freshly parsed objects out of the young generation.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const ROUNDS = 15;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const compilationsBefore = schemaCompilationCount();
const parseTimes: number[] = [];
const validateTimes: number[] = [];
const ratios: number[] = [];
let errors = 0;
for (let r = 0; r < ROUNDS; r++) {
  gc();
  let t0 = process.hrtime.bigint();
  const parsed = JSON.parse(text) as Obj[];
  const p = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  errors = 0;
  for (const o of parsed) if (hasErrors(validate(o))) errors++;
  const v = Number(process.hrtime.bigint() - t0) / 1e6;
  parseTimes.push(p);
  validateTimes.push(v);
  ratios.push(v / p);
}
const parseMs = median(parseTimes);
const validateMs = median(validateTimes);

const perSec = (ms: number): string => Math.round((count / ms) * 1000).toLocaleString('en-US');
console.log(`bench/validate: ${count.toLocaleString('en-US')} objects from ${shapes} corpus shapes, ${(bytes / 1e6).toFixed(1)} MB`);
console.log(`  JSON.parse           ${parseMs.toFixed(0).padStart(6)} ms  ${perSec(parseMs).padStart(11)} objects/s`);
console.log(`  validate (full)      ${validateMs.toFixed(0).padStart(6)} ms  ${perSec(validateMs).padStart(11)} objects/s`);
console.log(`  ratio validate/parse ${median(ratios).toFixed(2)}x median of ${ROUNDS} rounds (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}; target <= 3x)`);
console.log(`  objects with errors  ${errors} (expected 0)`);
console.log(`  schema compilations during the timed rounds: ${schemaCompilationCount() - compilationsBefore} (expected 0)`);

import { setStixPatternChecker } from '../stix/pattern-hook.js';
import type { StixPatternChecker } from '../stix/pattern-hook.js';
import { patternDiagnostics } from './check.js';

/**
 * The checker the STIX validator runs on every `pattern_type: 'stix'` indicator. Diagnostics have path `''` (the
 * validator re-roots them at `/pattern`); `strict` is applied by the validator, which turns warnings into errors.
 */
export const stixPatternChecker: StixPatternChecker = (pattern) => patternDiagnostics(pattern);

/** Gives the validator its pattern checker. Called when `distill-intel/pattern` is loaded; idempotent. */
export function installPatternChecker(): void {
  setStixPatternChecker(stixPatternChecker);
}

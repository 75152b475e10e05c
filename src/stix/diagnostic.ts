/** How bad a finding is: errors break the spec's MUST rules, warnings its SHOULD rules. */
export type Severity = 'error' | 'warning';

/**
 * One finding about a STIX value. Diagnostics are data, never thrown: a validator returns all of them at once so a
 * user can fix every problem in one pass.
 */
export interface Diagnostic {
  /** Stable kebab-case rule code, e.g. `timestamp-order`, `schema-required`; see README's diagnostic table. */
  readonly code: string;
  readonly severity: Severity;
  /** RFC 6901 JSON pointer to the offending value, relative to the validated input (`''` is the whole input). */
  readonly path: string;
  /** A sentence a person can act on, naming the property and the rule. */
  readonly message: string;
}

/** Escapes one reference token for a JSON pointer (RFC 6901 §3). */
export function escapePointerToken(token: string | number): string {
  if (typeof token === 'number') return String(token);
  // Most tokens are plain property names: no regex pass for them.
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends tokens to a JSON pointer. */
export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  let out = base;
  for (const t of tokens) out += '/' + escapePointerToken(t);
  return out;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

import { DistillIntelError } from '../errors.js';
import { formatLocation } from './location.js';
import type { Diagnostic } from './diagnostic.js';

/** Renders diagnostics as one line each, errors first, for an error message a person can act on. */
function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const ordered = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return ordered.map((d) => `  ${d.severity} ${d.code} at ${formatLocation({ pointer: d.path })}: ${d.message}`).join('\n');
}

/**
 * A builder (`create`, `newVersion`, `defineExtension`, `bundle`, marking helpers...) refused to produce an object
 * the spec forbids. `diagnostics` holds every finding, so a caller can fix everything at once.
 */
export class StixBuildError extends DistillIntelError {
  /** Every finding that made the builder refuse (errors, plus any warnings reported alongside them). */
  readonly diagnostics: readonly Diagnostic[];

  /**
   * @param summary - what was being built, e.g. `cannot build indicator`.
   * @param diagnostics - the findings; they are listed in the message.
   */
  constructor(summary: string, diagnostics: readonly Diagnostic[], options?: { cause?: unknown }) {
    super('STIX_BUILD', diagnostics.length > 0 ? `${summary}:\n${describeDiagnostics(diagnostics)}` : summary, options);
    this.diagnostics = diagnostics;
  }
}

/** Validation found errors (thrown only by the `...OrThrow` variants; `validate()` returns diagnostics). */
export class StixValidationError extends DistillIntelError {
  /** Every finding of the validation run. */
  readonly diagnostics: readonly Diagnostic[];

  /**
   * @param summary - what was validated, e.g. `invalid STIX content`.
   * @param diagnostics - the findings; they are listed in the message.
   */
  constructor(summary: string, diagnostics: readonly Diagnostic[], options?: { cause?: unknown }) {
    super('STIX_INVALID', diagnostics.length > 0 ? `${summary}:\n${describeDiagnostics(diagnostics)}` : summary, options);
    this.diagnostics = diagnostics;
  }
}

/** Where in the input a parse failure happened. All fields are optional: not every input has lines. */
export interface StixParseLocation {
  /** 1-based line of the offending character in the JSON text. */
  readonly line?: number;
  /** 1-based column of the offending character in the JSON text. */
  readonly column?: number;
  /** JSON pointer to the offending value, when the text parsed but a value could not be read. */
  readonly path?: string;
}

/** Input could not be read as STIX: malformed JSON, a malformed timestamp or identifier, unsafe content. */
export class StixParseError extends DistillIntelError {
  /** 1-based line in the JSON text, when the input was text. */
  readonly line: number | undefined;
  /** 1-based column in the JSON text, when the input was text. */
  readonly column: number | undefined;
  /** JSON pointer to the offending value, when known. */
  readonly path: string | undefined;

  /**
   * @param message - what could not be read, e.g. `unexpected token } in JSON`.
   * @param location - where, as far as it is known.
   */
  constructor(message: string, location: StixParseLocation = {}, options?: { cause?: unknown }) {
    super('STIX_PARSE', message, options);
    this.line = location.line;
    this.column = location.column;
    this.path = location.path;
  }
}

/** A versioning rule of STIX 2.1 §3.6 was broken (revoked object, unversionable object, immutable property...). */
export class StixVersioningError extends DistillIntelError {
  /** @param message - which object and which rule, e.g. `cannot make a new version of campaign--...: it is revoked`. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('STIX_VERSIONING', message, options);
  }
}

import { DistillIntelError } from '../errors.js';
import { formatLocation } from '../stix/location.js';
import type { Diagnostic } from '../stix/diagnostic.js';

/**
 * A distillation builder refused a value that could identify a customer or a person (a plain e-mail address, a raw
 * account id, prompt text...). `field` names the offending property; `diagnostics` lists every such finding.
 */
export class DistillationPrivacyError extends DistillIntelError {
  /** The first offending property, as a JSON pointer into the object being built. */
  readonly field: string;
  /** Every privacy finding of the refused input. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(summary: string, diagnostics: readonly Diagnostic[]) {
    super(
      'DISTILL_PRIVACY',
      `${summary}:\n${diagnostics.map((d) => `  ${d.code} at ${formatLocation({ pointer: d.path })}: ${d.message}`).join('\n')}`,
    );
    this.field = diagnostics[0]?.path ?? '';
    this.diagnostics = diagnostics;
  }
}

/** An argument of a distillation helper is malformed (a key too short, an unknown ATLAS id, ...). */
export class DistillationInputError extends DistillIntelError {
  /** The offending argument or property. */
  readonly field: string;

  constructor(field: string, message: string) {
    super('DISTILL_INPUT', `${field}: ${message}`);
    this.field = field;
  }
}

import { DistillIntelError } from '../errors.js';

/**
 * A telemetry input could not be read at all (missing file, unreadable gzip, a field map that is not one). Bad
 * *lines* are not errors: readers count and report them and carry on.
 */
export class TelemetryInputError extends DistillIntelError {
  /** The input (file name, `-` for standard input) or option at fault. */
  readonly input: string;

  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super('TELEMETRY_INPUT', `${input}: ${message}`, options);
    this.input = input;
  }
}

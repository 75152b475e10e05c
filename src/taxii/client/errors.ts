import { DistillIntelError } from '../../errors.js';
import { formatLocation } from '../../stix/location.js';
import { TaxiiError } from '../protocol/errors.js';
import type { Status, TaxiiErrorResource } from '../protocol/resources.js';
import type { Diagnostic } from '../../stix/diagnostic.js';

/**
 * A TAXII server answered with an HTTP error status (4xx/5xx, or a 3xx the client would not follow). `code` is
 * `TAXII_HTTP_<status>`, the same catalogue the server uses, so one `switch` handles both sides. `resource` is the
 * TAXII error resource (§3.6.1) when the server sent one; servers that answer errors in HTML (medallion's 401) leave it
 * undefined.
 */
export class TaxiiHttpError extends TaxiiError {
  /** The error resource the server sent, if its body was one. */
  readonly resource: TaxiiErrorResource | undefined;
  /** Request method. */
  readonly method: string;
  /** Request URL (never carries credentials). */
  readonly url: string;
  /** Delay the server asked for in `Retry-After`, in milliseconds, when present and parseable. */
  readonly retryAfterMs: number | undefined;

  constructor(
    httpStatus: number,
    init: { method: string; url: string; resource?: TaxiiErrorResource | undefined; retryAfterMs?: number | undefined },
  ) {
    const r = init.resource;
    const what = r?.description ?? r?.title;
    super(httpStatus, `${init.method} ${init.url} answered HTTP ${httpStatus}${what !== undefined ? `: ${what}` : ''}`, {
      ...(r?.title !== undefined ? { title: r.title } : {}),
      ...(r?.error_code !== undefined ? { errorCode: r.error_code } : {}),
      ...(r?.details !== undefined ? { details: r.details } : {}),
    });
    this.resource = r;
    this.method = init.method;
    this.url = init.url;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Kinds of {@link TaxiiProtocolError}: what about the server's answer broke the TAXII 2.1 spec (or made it impossible
 * to continue safely).
 */
export type ProtocolViolation =
  /** The body is not JSON. */
  | 'invalid-json'
  /** The response media type is not TAXII 2.1 (HTML login pages, TAXII 2.0 servers...). */
  | 'unexpected-content-type'
  /** A resource lacks a property the spec requires, or has one of the wrong type. */
  | 'invalid-resource'
  /** A status resource's counts do not add up (success + failure + pending must equal total). */
  | 'inconsistent-status'
  /** A page said `more: true` without `next` and without a usable `X-TAXII-Date-Added-Last`. */
  | 'missing-date-added-last'
  /** Paging repeated the same request without progress; continuing would loop forever. */
  | 'paging-stalled'
  /** The response body exceeded the client's `maxResponseBytes`. */
  | 'response-too-large'
  /** An unexpected success status (e.g. 204 where a resource is required). */
  | 'unexpected-status';

/**
 * The server's answer violates what TAXII 2.1 requires, so the client refuses to guess. `violation` says what,
 * `path` (a JSON pointer into the body) says where, when that applies.
 */
export class TaxiiProtocolError extends DistillIntelError {
  readonly violation: ProtocolViolation;
  readonly url: string;
  readonly httpStatus: number | undefined;
  /** JSON pointer into the response body, when the violation is about one value. */
  readonly path: string | undefined;

  constructor(
    violation: ProtocolViolation,
    message: string,
    init: { url: string; httpStatus?: number | undefined; path?: string | undefined; cause?: unknown },
  ) {
    super('TAXII_PROTOCOL', `${message} (${init.url})`, init.cause === undefined ? undefined : { cause: init.cause });
    this.violation = violation;
    this.url = init.url;
    this.httpStatus = init.httpStatus;
    this.path = init.path;
  }
}

/** What failed below HTTP. */
export type NetworkFailure = 'connect' | 'connect-timeout' | 'headers-timeout' | 'body-timeout' | 'connection-lost' | 'tls' | 'other';

/** The request could not be completed at the network level after every allowed attempt (`TAXII_NETWORK`). */
export class TaxiiNetworkError extends DistillIntelError {
  readonly failure: NetworkFailure;
  readonly method: string;
  readonly url: string;
  /** Attempts made, the first included. */
  readonly attempts: number;

  constructor(failure: NetworkFailure, init: { method: string; url: string; attempts: number; cause: unknown }) {
    const causeMessage = init.cause instanceof Error ? init.cause.message : String(init.cause);
    super(
      'TAXII_NETWORK',
      `${init.method} ${init.url} failed (${failure}) after ${init.attempts} attempt(s): ${causeMessage}`,
      { cause: init.cause },
    );
    this.failure = failure;
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts;
  }
}

/** One object cannot fit in any envelope under the API root's `max_content_length` (`TAXII_OBJECT_TOO_LARGE`). */
export class TaxiiObjectTooLargeError extends DistillIntelError {
  readonly objectId: string | undefined;
  /** Index of the object in the input. */
  readonly index: number;
  /** Size in bytes of the smallest envelope holding the object alone. */
  readonly bytes: number;
  /** The limit it exceeds. */
  readonly maxContentLength: number;

  constructor(init: { objectId: string | undefined; index: number; bytes: number; maxContentLength: number }) {
    super(
      'TAXII_OBJECT_TOO_LARGE',
      `object ${init.objectId ?? `#${init.index}`} needs a ${init.bytes}-byte envelope, more than the API root's ` +
        `max_content_length of ${init.maxContentLength} bytes; nothing was sent`,
    );
    this.objectId = init.objectId;
    this.index = init.index;
    this.bytes = init.bytes;
    this.maxContentLength = init.maxContentLength;
  }
}

/** A status did not reach `complete` within the time allowed (`TAXII_STATUS_TIMEOUT`). */
export class TaxiiStatusTimeoutError extends DistillIntelError {
  /** The last status seen (merged, when several envelopes were posted). */
  readonly status: Status;

  constructor(status: Status, timeoutMs: number) {
    super(
      'TAXII_STATUS_TIMEOUT',
      `status ${status.id} still pending after ${timeoutMs} ms (${status.pending_count} of ${status.total_count} pending)`,
    );
    this.status = status;
  }
}

/** An object received from a server failed validation under `validate: 'lenient' | 'strict'` (`TAXII_INVALID_OBJECT`). */
export class TaxiiInvalidObjectError extends DistillIntelError {
  readonly objectId: string | undefined;
  readonly url: string;
  readonly diagnostics: readonly Diagnostic[];

  constructor(init: { objectId: string | undefined; url: string; diagnostics: readonly Diagnostic[] }) {
    const errors = init.diagnostics.filter((d) => d.severity === 'error');
    super(
      'TAXII_INVALID_OBJECT',
      `object ${init.objectId ?? '(no id)'} from ${init.url} is not valid STIX 2.1:\n` +
        errors.map((d) => `  ${d.code} at ${formatLocation({ pointer: d.path })}: ${d.message}`).join('\n'),
    );
    this.objectId = init.objectId;
    this.url = init.url;
    this.diagnostics = init.diagnostics;
  }
}

/** The caller passed options or arguments the client cannot use (`TAXII_CLIENT_USAGE`); nothing was sent. */
export class TaxiiClientUsageError extends DistillIntelError {
  /** The option or argument at fault, e.g. `match.version`, `auth.name`. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('TAXII_CLIENT_USAGE', `${option}: ${message}`, options);
    this.option = option;
  }
}

/**
 * One model-API request as the detection and matching pipelines see it. Field names are fixed; readers map other
 * telemetry schemas (OTLP GenAI spans, a lab's own JSON Lines via `--map`) onto this shape.
 *
 * Raw identifiers (account, address, payment fingerprint) and prompt text stay inside the lab's process: nothing
 * that is shared may carry them, only keyed pseudonyms and fingerprints derived from them.
 */
export interface TelemetryRecord {
  /** Request time, epoch milliseconds (parsed from RFC 3339 by the reader). */
  readonly timestamp: number;
  readonly account_id: string;
  readonly org_id?: string | undefined;
  readonly client_ip: string;
  /**
   * Host name the request is attributed to, when the lab records one: the relay or router host named in the request
   * (a forwarded-host or origin header) or the reverse-DNS name of `client_ip`. Matched as a `domain-name`.
   */
  readonly client_host?: string | undefined;
  readonly asn?: string | undefined;
  readonly user_agent?: string | undefined;
  readonly model: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_tokens?: number | undefined;
  /** Prompt text; never leaves the process. */
  readonly prompt?: string | undefined;
  readonly payment_fingerprint?: string | undefined;
  /** e.g. `education`, `research-program`, `startup`, `self-serve`, `enterprise`. */
  readonly signup_channel?: string | undefined;
  /** Account creation time, epoch milliseconds. */
  readonly account_created?: number | undefined;
  readonly status?: string | undefined;
}

/** A {@link TelemetryRecord} being filled in by a reader. */
export type RecordDraft = { -readonly [K in keyof TelemetryRecord]: TelemetryRecord[K] };

/**
 * A record with its required fields set and every optional field present but `undefined`. Readers build every record
 * through this, so all records share one object shape and the property reads of each detector stay monomorphic (a
 * dozen shapes, one per combination of optional fields, made them several times slower).
 */
export function draftRecord(timestamp: number, account_id: string, client_ip: string, model: string, input_tokens: number, output_tokens: number): RecordDraft {
  return {
    timestamp,
    account_id,
    org_id: undefined,
    client_ip,
    client_host: undefined,
    asn: undefined,
    user_agent: undefined,
    model,
    input_tokens,
    output_tokens,
    reasoning_tokens: undefined,
    prompt: undefined,
    payment_fingerprint: undefined,
    signup_channel: undefined,
    account_created: undefined,
    status: undefined,
  };
}

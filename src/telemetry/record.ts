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
  readonly org_id?: string;
  readonly client_ip: string;
  /**
   * Host name the request is attributed to, when the lab records one: the relay or router host named in the request
   * (a forwarded-host or origin header) or the reverse-DNS name of `client_ip`. Matched as a `domain-name`.
   */
  readonly client_host?: string;
  readonly asn?: string;
  readonly user_agent?: string;
  readonly model: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly reasoning_tokens?: number;
  /** Prompt text; never leaves the process. */
  readonly prompt?: string;
  readonly payment_fingerprint?: string;
  /** e.g. `education`, `research-program`, `startup`, `self-serve`, `enterprise`. */
  readonly signup_channel?: string;
  /** Account creation time, epoch milliseconds. */
  readonly account_created?: number;
  readonly status?: string;
}

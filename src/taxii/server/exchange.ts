import type { ClientCertificateInfo } from './auth.js';

/**
 * The transport-neutral request the core handles. The Web (`Request`) and node:http adapters each build one without
 * copying the body, so both paths run exactly the same TAXII logic.
 */
export interface TaxiiRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path and query exactly as received (still percent-encoded), e.g. `/api1/collections/x/objects/?limit=5`. */
  readonly target: string;
  /** Scheme and authority the request reached, e.g. `http://127.0.0.1:8021` (used when no public URL is set). */
  readonly origin: string;
  /** A request header by lower-case name; repeated headers joined with `, `. */
  header(name: string): string | null;
  /** The request body as a byte stream (read at most once). */
  body(): AsyncIterable<Uint8Array>;
  /** Called when the core stops reading a body early (413), so the adapter can drop the rest. */
  abandonBody?(): void;
  readonly clientCertificate?: ClientCertificateInfo | undefined;
  readonly remoteAddress?: string | undefined;
}

/**
 * The core's answer. `body` is the exact JSON to send, as text or as UTF-8 bytes (cached pages are kept encoded so
 * the node adapter writes them without re-encoding); absent for bodiless answers.
 */
export interface TaxiiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Entries in a served page (objects, manifest records, versions): for metrics and audit, never sent. */
  readonly items?: number;
}

/** Transport details an embedding app may hand to the Web handler alongside the `Request`. */
export interface TaxiiRequestContext {
  /** A client certificate the TLS layer verified. */
  readonly clientCertificate?: ClientCertificateInfo;
  readonly remoteAddress?: string;
}

import type { Principal } from './auth.js';
import type { TaxiiRequest, TaxiiResponse } from './exchange.js';
import type { ServerState } from './state.js';

/**
 * What the server lends a mounted handler: its resolved state (store, rights, API roots, logger) and its
 * authentication, so a mount answers the same principals with the same rights and limits as the TAXII tree.
 */
export interface MountContext {
  readonly state: ServerState;
  /** The request path below the mount's prefix, without the query (e.g. `api/collections` for `/ui/api/collections`). */
  readonly path: string;
  /** Query string without the leading `?` (may be empty). */
  readonly query: string;
  /**
   * Authenticates the request exactly as a TAXII request would be (same credentials, rate limits, failure
   * throttling). Throws a `TaxiiError` (401, 429) that the server turns into a response with the right headers.
   */
  authenticate(): Promise<Principal>;
}

/**
 * A request handler mounted beside the TAXII tree under a path prefix (below `basePath`), such as the analyst view
 * at `/ui/`. The server routes every request whose path starts with the prefix to it; a `TaxiiError` it throws
 * becomes an error response like any other.
 */
export interface ServerMount {
  /** Path prefix starting and ending with `/`, e.g. `/ui/`. A request for the prefix without its slash is redirected. */
  readonly prefix: string;
  handle(req: TaxiiRequest, context: MountContext): Promise<TaxiiResponse>;
}

import type { TaxiiServerOptions } from './config.js';
import type { TaxiiRequest, TaxiiRequestContext } from './exchange.js';
import { TaxiiCore } from './core.js';

/**
 * A Web-standard TAXII 2.1 request handler: `(request) => Promise<Response>`. Mount it in anything that speaks the
 * Fetch API (Hono, Next.js route handlers, Bun, Deno, service workers) or in node:http through `toNodeListener`.
 */
export interface TaxiiHandler {
  (request: Request, context?: TaxiiRequestContext): Promise<Response>;
  /** The transport-neutral core (the node adapter calls it directly). */
  readonly core: TaxiiCore;
  /**
   * Waits for in-flight requests, stops background timers and ends the signature-verification threads; the store
   * stays open (it is the caller's).
   */
  close(): Promise<void>;
}

const NO_BODY: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
};

function fromRequest(request: Request, context: TaxiiRequestContext | undefined): TaxiiRequest {
  const url = new URL(request.url);
  const body = request.body;
  return {
    method: request.method.toUpperCase(),
    target: url.pathname + url.search,
    origin: url.origin,
    header: (name) => request.headers.get(name),
    body: () => (body === null ? NO_BODY : (body as unknown as AsyncIterable<Uint8Array>)),
    clientCertificate: context?.clientCertificate,
    remoteAddress: context?.remoteAddress,
  };
}

/**
 * Creates the handler. Options are checked at once: a mistake throws `ServerConfigError` listing every problem.
 *
 * @example
 * ```ts
 * const handler = createTaxiiHandler({ store: new MemoryStore(), apiRoots: [...] });
 * const response = await handler(new Request('http://localhost/taxii2/'));
 * ```
 */
export function createTaxiiHandler(options: TaxiiServerOptions): TaxiiHandler {
  const core = new TaxiiCore(options);
  const handler = async (request: Request, context?: TaxiiRequestContext): Promise<Response> => {
    const r = await core.handle(fromRequest(request, context));
    const body = r.body === undefined || request.method === 'HEAD' ? null : (r.body as string | Uint8Array<ArrayBuffer>);
    return new Response(body, { status: r.status, headers: r.headers });
  };
  return Object.assign(handler, { core, close: () => core.close() });
}

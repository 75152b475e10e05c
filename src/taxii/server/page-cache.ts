import type { TaxiiResponse } from './exchange.js';

/** Settings of the server's page cache (`PageCache`). */
export interface PageCacheConfig {
  /** How long a page may be served from memory, in ms (default 1000). Bounds staleness for writers in other processes. */
  readonly ttlMs?: number;
  /** Memory budget for cached bodies, in bytes (default 32 MiB). */
  readonly maxBytes?: number;
}

interface Entry {
  readonly response: TaxiiResponse;
  readonly expires: number;
  readonly size: number;
}

/**
 * A bounded, first-in-first-out cache of rendered pages (objects, manifest, object, versions), keyed by collection, endpoint, effective
 * filters, keyset position and page size.
 *
 * Why it is safe: every write this server makes to a collection bumps the collection's generation, which is part of
 * the key, so a page is never served from before a local write. Writes by *other* processes sharing the database
 * (several instances on one SQLite file or PostgreSQL) are seen once the entry expires (`ttlMs`). A page that is stale
 * by that much is still a consistent snapshot: `date_added` is strictly increasing, so rows added meanwhile land after
 * every row the page covers and the client meets them on a later page or poll; nothing is lost or repeated. It is
 * off by default because instances sharing a database must see each other's writes and deletions at once; turn it on
 * for a single server process (`distill-intel serve` does).
 *
 * Why it exists: pollers (every SIEM reading a feed) request the same pages again and again; serving them from memory
 * keeps page throughput close to what Node can send.
 */
export class PageCache {
  readonly #ttl: number;
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();
  readonly #generations = new Map<string, number>();
  #bytes = 0;

  constructor(config: PageCacheConfig = {}) {
    this.#ttl = config.ttlMs ?? 1000;
    this.#max = config.maxBytes ?? 32 * 1024 * 1024;
  }

  /** The write generation of a collection (part of every key). */
  generation(collectionKey: string): number {
    return this.#generations.get(collectionKey) ?? 0;
  }

  /** Marks a collection as written: pages cached before are never served again. */
  invalidate(collectionKey: string): void {
    this.#generations.set(collectionKey, this.generation(collectionKey) + 1);
  }

  get(key: string): TaxiiResponse | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (e.expires <= Date.now()) {
      this.#drop(key, e);
      return undefined;
    }
    return e.response;
  }

  /** Remembers a page; returns the response to send (with its body encoded once, as the cache keeps it). */
  set(key: string, response: TaxiiResponse): TaxiiResponse {
    if (this.#ttl <= 0) return response;
    const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    const size = (body?.byteLength ?? 0) + key.length * 2 + 256;
    if (size > this.#max / 4) return response;
    const stored: TaxiiResponse = body === undefined ? response : { ...response, body };
    const old = this.#entries.get(key);
    if (old !== undefined) this.#drop(key, old);
    this.#entries.set(key, { response: stored, expires: Date.now() + this.#ttl, size });
    this.#bytes += size;
    // Map iteration order is insertion order: the first entries are the oldest.
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.#max) break;
      this.#drop(k, e);
    }
    return stored;
  }

  #drop(key: string, e: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= e.size;
  }
}

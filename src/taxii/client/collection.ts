import { rememberEnvelopeTexts } from './object-texts.js';
import { TAXII_MEDIA_TYPE } from '../protocol/media-types.js';
import type { Collection, ManifestRecord, Status } from '../protocol/resources.js';
import type { StixObject } from '../../stix/types/index.js';
import type { TaxiiApiRoot } from './api-root.js';
import type { CallOptions, ClientContext, PageOptions, WaitOptions } from './context.js';
import { getResource, requireBody } from './context.js';
import { envelopeText, serialiseObjects, splitIntoEnvelopes } from './envelopes.js';
import type { ObjectsInput, SerialisedObject } from './envelopes.js';
import { TaxiiHttpError, TaxiiStatusTimeoutError } from './errors.js';
import { Pager, paginate } from './paging.js';
import type { Page, RawPage } from './paging.js';
import { encodeQuery } from './query.js';
import type { CollectionQuery, DeleteQuery, ObjectQuery, QueryPairs, VersionsQuery } from './query.js';
import { checkCollection, checkCollections, checkEnvelope, checkManifest, checkStatus, checkVersions } from './responses.js';
import type { PagedBody } from './responses.js';
import { mergeStatuses, mergedAsStatus } from './status.js';
import type { MergedStatus } from './status.js';
import { SyncRun } from './sync.js';
import type { SyncOptions } from './sync.js';
import { child, displayUrl, withQuery } from './urls.js';
import { validatePage } from './validation.js';

/** Options of {@link TaxiiCollection.addObjects}. */
export interface AddObjectsOptions extends CallOptions {
  /**
   * Poll each status until complete before returning (default `true`). `false` returns the statuses as the POSTs
   * answered them (often `pending`). An object (`{ intervalMs, timeoutMs }`) waits with those settings.
   */
  readonly wait?: boolean | Omit<WaitOptions, 'signal'>;
  /** Override the API root's `max_content_length` (e.g. a proxy in front of the server accepts less). */
  readonly maxContentLength?: number;
  /** At most this many objects per envelope (some servers cap it below what the byte limit allows). */
  readonly maxObjectsPerEnvelope?: number;
  /** Retry the POST after 429/503 or a connection lost mid-request; safe for TAXII objects (see `RetryOptions.retryPost`). */
  readonly retryPost?: boolean;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Version of a STIX object as TAXII uses it: `modified`, else `created`, else none (SCOs). */
function objectKey(o: Readonly<Record<string, unknown>>): string {
  // `id` is checked to be a string; the rest are strings in valid STIX and only need to tell versions apart.
  return (o['id'] as string) + '\u0000' + String(o['modified'] ?? o['created'] ?? '') + '\u0000' + String(o['spec_version'] ?? '');
}

function manifestKey(r: ManifestRecord): string {
  return `${r.id}\u0000${r.version}\u0000${r.date_added}\u0000${r.media_type ?? ''}`;
}

/**
 * One collection of an API root (TAXII 2.1 §5): listings as lazy async iterables, single-object calls, and
 * `addObjects`. Get one from `apiRoot.collection(idOrAlias)` or `client.collection(idOrAlias)`.
 */
export class TaxiiCollection {
  readonly #ctx: ClientContext;
  /** The API root this collection belongs to. */
  readonly apiRoot: TaxiiApiRoot;
  /** The id or alias the handle was made with. */
  readonly key: string;
  #id: Promise<string> | undefined;

  /** @internal */
  constructor(ctx: ClientContext, apiRoot: TaxiiApiRoot, key: string) {
    this.#ctx = ctx;
    this.apiRoot = apiRoot;
    this.key = key;
  }

  /**
   * The collection's id. For an alias, the server is asked once: `GET collections/{alias}/` (the spec lets servers
   * accept aliases in URLs), else the collections list is searched for the alias.
   */
  id(options: CallOptions = {}): Promise<string> {
    if (UUID_RE.test(this.key)) return Promise.resolve(this.key);
    if (this.#id === undefined) {
      const pending = this.#resolveAlias(options.signal);
      this.#id = pending;
      pending.catch(() => {
        if (this.#id === pending) this.#id = undefined;
      });
    }
    return this.#id;
  }

  async #resolveAlias(signal: AbortSignal | undefined): Promise<string> {
    const root = await this.apiRoot.url();
    try {
      const res = await getResource(this.#ctx, child(root, 'collections', this.key), [], signal);
      return checkCollection({ url: displayUrl(res.url), status: res.status }, requireBody(res)).id;
    } catch (err) {
      if (!(err instanceof TaxiiHttpError) || (err.httpStatus !== 404 && err.httpStatus !== 400)) throw err;
      const res = await getResource(this.#ctx, child(root, 'collections'), [], signal);
      const found = checkCollections({ url: displayUrl(res.url), status: res.status }, res.body).find((c) => c.alias === this.key);
      if (found === undefined) throw err;
      return found.id;
    }
  }

  async #url(signal: AbortSignal | undefined, ...segments: string[]): Promise<URL> {
    const id = await this.id(signal !== undefined ? { signal } : {});
    return child(await this.apiRoot.url(), 'collections', id, ...segments);
  }

  /** The query with the client's default `limit` when the caller gave none (see `pageLimit`). */
  #limited<Q extends { readonly limit?: number }>(query: Q): Q {
    return query.limit === undefined ? { ...query, limit: this.#ctx.pageLimit } : query;
  }

  /** The collection resource (§5.2): title, `can_read`, `can_write`, `media_types`... */
  async information(options: CallOptions = {}): Promise<Collection> {
    const res = await getResource(this.#ctx, await this.#url(options.signal), [], options.signal);
    return checkCollection({ url: displayUrl(res.url), status: res.status }, requireBody(res));
  }

  #pages<T>(
    segments: () => Promise<URL>,
    query: QueryPairs,
    check: (ctx: { url: string; status: number }, body: unknown) => PagedBody,
    keyOf: (item: T) => string,
    options: PageOptions,
    keepTexts = false,
  ): AsyncGenerator<Page<T>, void, undefined> {
    const ctx = this.#ctx;
    const fetch = async (q: QueryPairs, signal: AbortSignal | undefined): Promise<RawPage<T>> => {
      const res = await getResource(ctx, await segments(), q, signal);
      const shown = displayUrl(res.url);
      const body = check({ url: shown, status: res.status }, res.body);
      if (keepTexts) rememberEnvelopeTexts(body.items, res.text);
      return {
        items: body.items as readonly T[],
        more: body.more,
        next: body.next,
        dateAddedFirst: res.header('x-taxii-date-added-first'),
        dateAddedLast: res.header('x-taxii-date-added-last'),
        url: shown,
        status: res.status,
      };
    };
    return paginate<T>({
      fetch,
      query,
      keyOf,
      maxStalledPages: options.maxStalledPages ?? ctx.maxStalledPages,
      prefetch: options.prefetch ?? ctx.prefetch,
      signal: options.signal,
    });
  }

  async *#objectPages(
    url: () => Promise<URL>,
    query: QueryPairs,
    options: PageOptions,
  ): AsyncGenerator<Page<StixObject>, void, undefined> {
    const validation = { ...this.#ctx.validation, ...pickValidation(options) };
    const pages = this.#pages<Readonly<Record<string, unknown>>>(url, query, checkEnvelope, objectKey, options, true);
    for await (const page of pages) {
      const items = validatePage(page.items, validation, page.url) as readonly StixObject[];
      yield { ...page, items };
    }
  }

  /**
   * GET objects (§5.4) as a lazy listing: `for await (const obj of collection.objects({ match: { type: 'indicator' } }))`
   * or `.pages()`. Follows `next`, else `added_after` = the last page's `X-TAXII-Date-Added-Last`; never hands out an
   * object twice; holds one page in memory.
   */
  objects(query: CollectionQuery & PageOptions = {}): Pager<StixObject> {
    const pairs = encodeQuery('objects', this.#limited(query));
    return new Pager(() => this.#objectPages(() => this.#url(query.signal, 'objects'), pairs, query));
  }

  /** GET manifest (§5.3): one record per object version, with its `date_added`. */
  manifest(query: CollectionQuery & PageOptions = {}): Pager<ManifestRecord> {
    const pairs = encodeQuery('manifest', this.#limited(query));
    return new Pager(() =>
      this.#pages<ManifestRecord>(() => this.#url(query.signal, 'manifest'), pairs, checkManifest, manifestKey, query),
    );
  }

  /**
   * GET one object (§5.6): its versions that match (default the latest), as a listing. `toArray()` gives them all.
   * A 404 means the collection holds no such object (or it is hidden from you).
   */
  object(objectId: string, query: ObjectQuery & PageOptions = {}): Pager<StixObject> {
    const pairs = encodeQuery('object', this.#limited(query));
    return new Pager(() => this.#objectPages(() => this.#url(query.signal, 'objects', objectId), pairs, query));
  }

  /** GET versions (§5.8): the `modified` values of one object's versions, oldest added first. */
  versions(objectId: string, query: VersionsQuery & PageOptions = {}): Pager<string> {
    const pairs = encodeQuery('versions', this.#limited(query));
    return new Pager(() =>
      this.#pages<string>(() => this.#url(query.signal, 'objects', objectId, 'versions'), pairs, checkVersions, (v) => v, query),
    );
  }

  /**
   * DELETE one object (§5.7): every version, or those `match.version` / `match.specVersion` select. Retried like a
   * GET: deleting twice leaves the same state.
   */
  async deleteObject(objectId: string, query: DeleteQuery & CallOptions = {}): Promise<void> {
    const pairs = encodeQuery('delete', query);
    const url = await this.#url(query.signal, 'objects', objectId);
    await this.#ctx.transport.send({
      method: 'DELETE',
      url: pairs.length > 0 ? withQuery(url, pairs) : url,
      accept: TAXII_MEDIA_TYPE,
      signal: query.signal,
    });
  }

  /**
   * POST objects (§5.5): splits them into envelopes that fit the API root's `max_content_length` (asked once and
   * cached), posts them in order, and by default polls every status until complete.
   *
   * An envelope whose pooled keep-alive connection the server closed before answering (the idle race) is sent again
   * on a new connection even without `retryPost`: the server stores objects by id and `modified`, so an envelope it
   * had stored after all comes back as exact duplicates reported as successes, never as second copies.
   *
   * A single object too large for any envelope fails the call before anything is sent (`TaxiiObjectTooLargeError`).
   * If a server still answers 413 (its limit counts differently), that envelope is halved and re-sent; one object
   * refused with 413 ends the call with that `TaxiiHttpError`.
   *
   * @returns the merged status: counts summed, details concatenated, plus every status resource.
   * @throws TaxiiStatusTimeoutError (carrying the merged status) when waiting times out.
   */
  async addObjects(objects: ObjectsInput, options: AddObjectsOptions = {}): Promise<MergedStatus> {
    const signal = options.signal;
    const serialised = serialiseObjects(objects);
    if (serialised.length === 0) return mergeStatuses([]);
    const max = options.maxContentLength ?? (await this.apiRoot.information(signal !== undefined ? { signal } : {})).max_content_length;
    const chunks = splitIntoEnvelopes(serialised, max, options.maxObjectsPerEnvelope);
    const url = await this.#url(signal, 'objects');
    const statuses: Status[] = [];
    for (const chunk of chunks) await this.#post(url, chunk, options, statuses);
    const wait = options.wait ?? true;
    if (wait === false) return mergeStatuses(statuses);
    const waitOptions = wait === true ? {} : wait;
    const done: Status[] = [];
    for (let i = 0; i < statuses.length; i++) {
      const s = statuses[i] as Status;
      try {
        done.push(await this.apiRoot.waitForStatus(s, { ...waitOptions, ...(signal !== undefined ? { signal } : {}) }));
      } catch (err) {
        if (err instanceof TaxiiStatusTimeoutError) {
          const merged = mergeStatuses([...done, err.status, ...statuses.slice(i + 1)]);
          throw new TaxiiStatusTimeoutError(mergedAsStatus(merged), waitOptions.timeoutMs ?? this.#ctx.wait.timeoutMs);
        }
        throw err;
      }
    }
    return mergeStatuses(done);
  }

  async #post(url: URL, chunk: readonly SerialisedObject[], options: AddObjectsOptions, out: Status[]): Promise<void> {
    try {
      const res = await this.#ctx.transport.send({
        method: 'POST',
        url,
        accept: TAXII_MEDIA_TYPE,
        contentType: TAXII_MEDIA_TYPE,
        body: envelopeText(chunk),
        signal: options.signal,
        retryPost: options.retryPost,
      });
      out.push(checkStatus({ url: displayUrl(res.url), status: res.status }, requireBody(res)));
    } catch (err) {
      if (err instanceof TaxiiHttpError && err.httpStatus === 413 && chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await this.#post(url, chunk.slice(0, half), options, out);
        await this.#post(url, chunk.slice(half), options, out);
        return;
      }
      throw err;
    }
  }

  /**
   * Resumable pull for pollers: objects added since `checkpoint` (a `date_added` from a previous run), and the new
   * checkpoint to store once they are processed. See {@link SyncRun}.
   */
  sync(options: SyncOptions = {}): SyncRun {
    return new SyncRun((addedAfter) => {
      const query = { ...options, ...(addedAfter !== undefined ? { addedAfter } : {}) };
      return this.objects(query).pages();
    }, options.checkpoint);
  }
}

function pickValidation(options: PageOptions): PageOptions {
  const out: { -readonly [K in keyof PageOptions]?: PageOptions[K] } = {};
  if (options.validate !== undefined) out.validate = options.validate;
  if (options.onInvalid !== undefined) out.onInvalid = options.onInvalid;
  if (options.onDiagnostics !== undefined) out.onDiagnostics = options.onDiagnostics;
  return out;
}

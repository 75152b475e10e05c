import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/store.js';
import type { TaxiiHooks } from './config.js';

/** Prometheus metrics of a TAXII server: a registry and the hooks that feed it. */
export interface ServerMetrics {
  /** The registry to expose (`await registry.metrics()`, content type `registry.contentType`). */
  readonly registry: Registry;
  /** Pass these as (or combine them into) the server's `hooks`. */
  readonly hooks: TaxiiHooks;
}

/** Options of {@link createServerMetrics}. */
export interface ServerMetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event-loop lag, GC), prefixed `distill_intel_` (default true). */
  readonly processMetrics?: boolean;
}

// Latency buckets from 1 ms (a cached page) to 30 s (a 10,000-object POST on a slow disk).
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Creates the metrics of one server. Label values are bounded: routes are endpoint kinds, never paths; refusal
 * reasons are diagnostic codes; collections are configured ids. Store figures are read from `store.stats()` at
 * scrape time (a store without `stats` exports none).
 */
export function createServerMetrics(store: Store, options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'distill_intel_' });

  const requests = new Counter({
    name: 'distill_intel_http_requests_total',
    help: 'HTTP requests answered, by method, endpoint kind and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'distill_intel_http_request_duration_seconds',
    help: 'Time from receiving a request to its response being ready, by method and endpoint kind.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const ingested = new Counter({
    name: 'distill_intel_objects_ingested_total',
    help: 'Object versions newly stored by POSTs, by API root and collection.',
    labelNames: ['api_root', 'collection'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'distill_intel_objects_duplicate_total',
    help: 'Posted objects that were exact duplicates of versions already held (accepted, nothing written).',
    labelNames: ['api_root', 'collection'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'distill_intel_objects_refused_total',
    help: 'Posted objects refused, by the rule that refused them.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'distill_intel_auth_failures_total',
    help: 'Credentials refused (auth-failed) or not checked because of failed-login throttling (login-throttled, login-busy).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'distill_intel_rate_limited_total',
    help: 'Requests refused with 429 because a principal (or anonymous address) went past its request rate.',
    registers: [registry],
  });
  const stats = (): Promise<Awaited<ReturnType<NonNullable<Store['stats']>>> | undefined> =>
    store.stats === undefined ? Promise.resolve(undefined) : store.stats().catch(() => undefined);
  new Gauge({
    name: 'distill_intel_store_objects',
    help: 'Object versions held by the store (PostgreSQL: the planner estimate).',
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s !== undefined) this.set(s.objects);
    },
  });
  new Gauge({
    name: 'distill_intel_store_bytes',
    help: 'Bytes the store occupies on disk.',
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s?.bytes !== undefined) this.set(s.bytes);
    },
  });
  new Gauge({
    name: 'distill_intel_status_queue_depth',
    help: 'Status resources held, awaiting clients and the retention purge.',
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s !== undefined) this.set(s.statuses);
    },
  });

  const hooks: TaxiiHooks = {
    onRequestDone: (e) => {
      requests.inc({ method: e.method, route: e.route, status: String(e.status) });
      latency.observe({ method: e.method, route: e.route }, e.seconds);
    },
    onWriteResult: (e) => {
      const where = { api_root: e.apiRoot, collection: e.collectionId };
      if (e.added.length > 0) ingested.inc(where, e.added.length);
      if (e.duplicates > 0) duplicates.inc(where, e.duplicates);
      for (const r of e.refused) refused.inc({ reason: r.reason });
    },
    onSecurityEvent: (e) => {
      if (e.kind === 'rate-limited') rateLimited.inc();
      else authFailures.inc({ kind: e.kind });
    },
  };
  return { registry, hooks };
}

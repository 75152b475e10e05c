import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiRootConfig, PrincipalConfig, TaxiiServerOptions } from '../../src/taxii/server/config.js';
import { createTaxiiServer } from '../../src/taxii/server/node.js';
import type { TaxiiNodeServer } from '../../src/taxii/server/node.js';
import { hashSecretSync } from '../../src/taxii/server/secrets.js';
import { SqliteStore } from '../../src/taxii/store/sqlite.js';
import type { Store } from '../../src/taxii/store/store.js';

export const TAXII = 'application/taxii+json;version=2.1';
export const FEED_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const INBOX_ID = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
const FAST = { N: 1024, r: 8, p: 1 };

/** A live TAXII server on loopback over a real SQLite file, as a consumer would meet it. */
export interface LiveServer {
  readonly url: string;
  readonly store: Store;
  readonly server: TaxiiNodeServer;
  /** Restarts the HTTP server and handler on the same database and cursor secret (as after a deploy). */
  restart(): Promise<LiveServer>;
  stop(): Promise<void>;
}

export const ROOTS: readonly ApiRootConfig[] = [
  {
    path: 'feeds',
    title: 'Distillation feeds',
    maxContentLength: 64 * 1024,
    collections: [
      { id: FEED_ID, title: 'Distillation indicators', alias: 'indicators', description: 'Curated, read by SIEMs' },
      { id: INBOX_ID, title: 'Partner inbox', alias: 'inbox', description: 'Partners push here' },
    ],
  },
];

/** Principals of the interop scenarios: a reader per consumer style and a writer. */
export const CREDENTIALS = {
  sentinel: { user: 'sentinel', password: 'sentinel-pw' },
  misp: { user: 'misp', password: 'misp-pw' },
  splunk: { user: 'splunk', password: 'splunk-pw' },
  elasticKey: 'elastic-api-key-0123456789abcdef',
  openctiKey: 'opencti-token-0123456789abcdef',
  xsoarKey: 'xsoar-token-0123456789abcdef',
  writer: { user: 'curator', password: 'curator-pw' },
} as const;

export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

function principals(): PrincipalConfig[] {
  const h = (s: string): string => hashSecretSync(s, FAST);
  const C = CREDENTIALS;
  return [
    { name: 'sentinel', passwordHash: h(C.sentinel.password), canRead: ['feeds/indicators'] },
    { name: 'elastic', apiKeyHashes: [h(C.elasticKey)], canRead: ['feeds/indicators'] },
    { name: 'opencti', apiKeyHashes: [h(C.openctiKey)], canRead: ['feeds/indicators'] },
    { name: 'xsoar', apiKeyHashes: [h(C.xsoarKey)], canRead: ['feeds/indicators'] },
    { name: 'misp', passwordHash: h(C.misp.password), canRead: ['feeds/inbox'], canWrite: ['feeds/inbox'] },
    { name: 'splunk', passwordHash: h(C.splunk.password), canRead: ['feeds/inbox'], canWrite: ['feeds/inbox'] },
    { name: 'curator', passwordHash: h(C.writer.password), canRead: ['*'], canWrite: ['*'] },
  ];
}

/** Starts a server over a fresh SQLite database in a temporary folder. */
export async function startLive(overrides: Partial<TaxiiServerOptions> = {}): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), 'taxii-interop-'));
  const store = new SqliteStore({ filename: join(dir, 'interop.db') });
  const options: TaxiiServerOptions = {
    store,
    title: 'distill-intel interop',
    apiRoots: ROOTS,
    auth: { principals: principals(), apiKeyHeader: 'X-Api-Key' },
    cursorSecret: 'interop-cursor-secret-0123456789',
    ...overrides,
  };
  const boot = async (): Promise<LiveServer> => {
    const server = createTaxiiServer(options);
    const { url } = await server.listen(0, '127.0.0.1');
    const live: LiveServer = {
      url,
      store,
      server,
      restart: async () => {
        await server.close();
        return boot();
      },
      stop: async () => {
        await server.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return live;
  };
  return boot();
}

let serial = 0;
/** A valid indicator with a fresh id (what a curator publishes). */
export function indicator(extra: Record<string, unknown> = {}): Record<string, unknown> {
  serial++;
  const t = new Date(Date.UTC(2026, 0, 1) + serial * 1000).toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: t,
    modified: t,
    name: `Reseller proxy ${serial}`,
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '203.0.113.${serial % 250}']`,
    pattern_type: 'stix',
    valid_from: t,
    ...extra,
  };
}

/** The curator publishes objects into a collection (as envelopes of at most 50 objects). */
export async function publish(base: string, collection: string, objects: readonly Record<string, unknown>[], perPost = 50): Promise<void> {
  for (let i = 0; i < objects.length; i += perPost) {
    const res = await fetch(`${base}/feeds/collections/${collection}/objects/`, {
      method: 'POST',
      headers: { accept: TAXII, 'content-type': TAXII, authorization: basic(CREDENTIALS.writer.user, CREDENTIALS.writer.password) },
      body: JSON.stringify({ objects: objects.slice(i, i + perPost) }),
    });
    const status = (await res.json()) as { success_count: number };
    if (res.status !== 202 || status.success_count !== Math.min(perPost, objects.length - i)) {
      throw new Error(`publish failed: ${res.status} ${JSON.stringify(status)}`);
    }
  }
}

/** Every id in a collection, read as the curator through the manifest (all versions collapsed to ids). */
export async function storedIds(base: string, collection: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined;
  do {
    const q = next === undefined ? '?limit=1000' : `?limit=1000&next=${encodeURIComponent(next)}`;
    const res = await fetch(`${base}/feeds/collections/${collection}/manifest/${q}`, {
      headers: { accept: TAXII, authorization: basic(CREDENTIALS.writer.user, CREDENTIALS.writer.password) },
    });
    const body = (await res.json()) as { objects?: { id: string }[]; more?: boolean; next?: string };
    ids.push(...(body.objects ?? []).map((o) => o.id));
    next = body.more === true ? body.next : undefined;
  } while (next !== undefined);
  return ids;
}

/** Asserts that `received` holds each of `expected` exactly once and nothing else. */
export function exactlyOnce(received: readonly string[], expected: Iterable<string>): { duplicates: string[]; missing: string[]; extra: string[] } {
  const want = new Set(expected);
  const counts = new Map<string, number>();
  for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
  return {
    duplicates: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    missing: [...want].filter((id) => !counts.has(id)),
    extra: [...counts.keys()].filter((id) => !want.has(id)),
  };
}

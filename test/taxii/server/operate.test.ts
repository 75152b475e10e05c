import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runServe } from '../../../src/cli/serve.js';
import { createTaxiiHandler } from '../../../src/taxii/server/handler.js';
import { MemoryStore } from '../../../src/taxii/store/memory.js';
import { DEMO_API_ROOTS, DEMO_COLLECTION_ID } from '../../../src/taxii/server/demo.js';
import { TAXII, basic, hash } from './fixture.js';

const ENVELOPE = 'application/taxii+json;version=2.1';
const GOOD = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
};
// §4.7: pattern is required on an indicator
const NO_PATTERN = { ...GOOD, id: 'indicator--0b6c4b0e-52f5-4d6a-9e53-2a1c7f1e3c11', pattern: undefined };

let dir = '';
let url = '';
let metricsUrl = '';
let stderr = '';
let stdout = '';
let auditPath = '';
const ac = new AbortController();
let exited: Promise<number> | undefined;
const writer = basic('writer', 'writer-pw');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'di-operate-'));
  auditPath = join(dir, 'audit.log');
  const config = join(dir, 'server.json');
  writeFileSync(
    config,
    JSON.stringify({
      db: 'intel.db',
      auditLog: 'audit.log',
      metrics: { port: 0, tokenHash: hash('scrape-token') },
      auth: { principals: [{ name: 'writer', passwordHash: hash('writer-pw'), canRead: ['*'], canWrite: ['*'] }] },
    }),
  );
  let ready: (u: string) => void = () => undefined;
  const listening = new Promise<string>((r) => (ready = r));
  exited = runServe(['--config', config, '--port', '0'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    stdin: Readable.from([]),
    signal: ac.signal,
    onListening: (info) => ready(info.url),
  });
  url = await Promise.race([listening, exited.then((c) => Promise.reject(new Error(`serve exited ${c}: ${stderr}`)))]);
  metricsUrl = /Metrics: (\S+)/.exec(stderr)?.[1] ?? '';
}, 60_000);

afterAll(async () => {
  ac.abort();
  await exited;
  rmSync(dir, { recursive: true, force: true });
});

const scrape = async (): Promise<string> => {
  const r = await fetch(metricsUrl, { headers: { authorization: 'Bearer scrape-token' } });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/plain');
  return r.text();
};

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health probes', () => {
  it('answer without credentials, outside the TAXII tree, with JSON and no caching', async () => {
    const live = await fetch(`${url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    expect(live.headers.get('cache-control')).toBe('no-store');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await fetch(`${url}/taxii2/`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('readyz is 503 with the reason when the store cannot answer', async () => {
    const store = new MemoryStore();
    const handler = createTaxiiHandler({ store, apiRoots: DEMO_API_ROOTS });
    await handler.core.ready();
    await store.close();
    const r = await handler.core.handle({ method: 'GET', target: '/readyz', origin: 'http://x', header: () => null, body: async function* () {} , abandonBody: () => undefined });
    expect(r.status).toBe(503);
    expect(JSON.parse(String(r.body))).toEqual({ status: 'not ready', reason: 'the store is closed' });
    expect((await handler.core.handle({ method: 'GET', target: '/healthz', origin: 'http://x', header: () => null, body: async function* () {}, abandonBody: () => undefined })).status).toBe(200);
  });
});

describe('metrics, audit log and failed logins', () => {
  let statusBody: { success_count: number; failure_count: number; failures?: { message: string }[] } = { success_count: 0, failure_count: 0 };

  beforeAll(async () => {
    const post = await fetch(`${url}/api1/collections/demo/objects/`, {
      method: 'POST',
      headers: { accept: TAXII, 'content-type': ENVELOPE, authorization: writer },
      body: JSON.stringify({ objects: [GOOD, NO_PATTERN] }),
    });
    expect(post.status).toBe(202);
    statusBody = (await post.json()) as typeof statusBody;
    await fetch(`${url}/api1/collections/demo/objects/`, { headers: { accept: TAXII, authorization: writer } });
    await fetch(`${url}/taxii2/`, { headers: { accept: TAXII, authorization: basic('mallory', 'guess') } });
  });

  it('the metrics listener is on its own port and wants the bearer token', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(url).port);
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: writer } })).status).toBe(404);
  });

  it('counts requests by route and status, ingested and refused objects by reason, auth failures, store figures', async () => {
    expect(statusBody).toMatchObject({ success_count: 1, failure_count: 1 });
    const text = await scrape();
    expect(sample(text, 'distill_intel_http_requests_total{method="POST",route="objects",status="202"}')).toBe(1);
    expect(sample(text, 'distill_intel_http_requests_total{method="GET",route="objects",status="200"}')).toBe(1);
    // one without credentials (the health test), one with a wrong password
    expect(sample(text, 'distill_intel_http_requests_total{method="GET",route="discovery",status="401"}')).toBe(2);
    expect(sample(text, 'distill_intel_http_request_duration_seconds_count{method="POST",route="objects"}')).toBe(1);
    expect(sample(text, `distill_intel_objects_ingested_total{api_root="api1",collection="${DEMO_COLLECTION_ID}"}`)).toBe(1);
    expect(sample(text, 'distill_intel_objects_refused_total{reason="schema-required"}')).toBe(1);
    expect(sample(text, 'distill_intel_auth_failures_total{kind="auth-failed"}')).toBe(1);
    expect(sample(text, 'distill_intel_store_objects')).toBe(1);
    expect(sample(text, 'distill_intel_status_queue_depth')).toBe(1);
    expect(sample(text, 'distill_intel_store_bytes')).toBeGreaterThan(0);
    expect(text).toContain('distill_intel_process_resident_memory_bytes');
  });

  it('the audit log says who wrote which ids and why objects were refused, who read how many, and who failed to log in', () => {
    expect(statSync(auditPath).mode & 0o777).toBe(0o600);
    const records = readFileSync(auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({
        event: 'write',
        principal: 'writer',
        apiRoot: 'api1',
        total: 2,
        added: 1,
        refused: 1,
        ids: [`${GOOD.id}@${GOOD.modified}`],
        refusals: [{ id: NO_PATTERN.id, version: NO_PATTERN.modified, reason: 'schema-required' }],
      }),
    );
    expect(records).toContainEqual(expect.objectContaining({ event: 'request', principal: 'writer', method: 'GET', endpoint: 'objects', status: 200, items: 1 }));
    expect(records).toContainEqual(expect.objectContaining({ event: 'security', kind: 'auth-failed', user: 'mallory' }));
    expect(records.some((r) => r['endpoint'] === 'health')).toBe(false);
    // separate from the access log, which warns about the failed login with the user name tried
    const access = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(access).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'authentication failed', user: 'mallory' }));
    expect(access.some((r) => r['event'] === 'write')).toBe(false);
  });

  it('reopens the audit log on SIGHUP, so a rotated file is left alone', async () => {
    renameSync(auditPath, `${auditPath}.1`);
    process.emit('SIGHUP', 'SIGHUP');
    await fetch(`${url}/taxii2/`, { headers: { accept: TAXII, authorization: writer } });
    const fresh = readFileSync(auditPath, 'utf8').trim().split('\n');
    expect(fresh).toHaveLength(1);
    expect(JSON.parse(fresh[0] as string)).toMatchObject({ event: 'request', endpoint: 'discovery', status: 200 });
    expect(readFileSync(`${auditPath}.1`, 'utf8')).not.toContain('"endpoint":"discovery","target":"/taxii2/","apiRoot":null,"collection":null,"status":200');
  });
});

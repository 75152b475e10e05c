/**
 * What one hostile request or a login flood costs the hub (issue 15). Run: `node --import ./bench/register.js
 * bench/hardening.ts`
 *
 * 1. The 10 MiB attack body `{"objects":[1,1,1,...]}` (5.2 million elements) POSTed 5 times: answer time, status,
 *    growth of the server's peak RSS and of the database, and the p99 of a poller's GETs running meanwhile against
 *    their p99 without the attack.
 * 2. The worst envelope that is accepted for checking: 10,000 empty objects (`{}`), each a failure: time and size of
 *    the status.
 * 3. A login flood: 400 concurrent wrong passwords, from one address and from 200 addresses (127.0.0.2-201), with
 *    default scrypt cost; server CPU spent, and the time a real user's first login (from another address) and a
 *    cached login take meanwhile.
 *
 * The server runs in a child process (SQLite, default limits, default scrypt cost) so the load and the server do not
 * share an event loop.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createTaxiiServer } from '../src/taxii/server/node.js';
import { hashSecretSync } from '../src/taxii/server/secrets.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import { makeIndicator } from './indicators.js';

const COLLECTION = '0b9f3c1e-7a2d-4e5f-9c8b-1a2b3c4d5e6f';
const TAXII = 'application/taxii+json;version=2.1';
const basic = (user: string, password: string): string => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const READER = basic('reader', 'reader-password');
const WRITER = basic('writer', 'writer-password');
const OBJECTS = `/api1/collections/${COLLECTION}/objects/`;

interface Usage {
  readonly maxRssMiB: number;
  readonly heapMiB: number;
  readonly cpuMs: number;
}

async function child(db: string): Promise<void> {
  const store = new SqliteStore({ filename: db });
  const server = createTaxiiServer({
    store,
    apiRoots: [{ path: 'api1', title: 'bench', collections: [{ id: COLLECTION, title: 'bench' }] }],
    auth: {
      principals: [
        // Default scrypt cost (N = 16384), as `serve --hash-secret` makes them.
        { name: 'reader', passwordHash: hashSecretSync('reader-password'), canRead: ['*'] },
        { name: 'writer', passwordHash: hashSecretSync('writer-password'), canRead: ['*'], canWrite: ['*'] },
        { name: 'analyst', passwordHash: hashSecretSync('analyst-password'), canRead: ['*'] },
        { name: 'auditor', passwordHash: hashSecretSync('auditor-password'), canRead: ['*'] },
      ],
    },
    cursorSecret: 'bench-cursor-secret-0123456789',
    pageCache: {},
    // The poller measuring p99 must not meet the default rate limit; the login limits stay as they are by default.
    limits: { rateLimit: { enabled: true, requestsPerSecond: 1_000_000 } },
  });
  const { url } = await server.listen(0, '0.0.0.0');
  process.send?.({ url: url.replace('0.0.0.0', '127.0.0.1') });
  process.on('message', (m) => {
    if (m === 'usage') {
      const cpu = process.cpuUsage();
      const usage: Usage = { maxRssMiB: process.resourceUsage().maxRSS / 1024, heapMiB: process.memoryUsage().heapUsed / 2 ** 20, cpuMs: (cpu.user + cpu.system) / 1000 };
      process.send?.({ usage });
    }
    if (m === 'stop') void server.close().then(() => store.close()).then(() => process.exit(0));
  });
}

function spawn(db: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child', db], { execArgv: ['--import', './bench/register.js'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => resolve({ proc, url: (m as { url: string }).url }));
    proc.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

function usage(proc: ChildProcess): Promise<Usage> {
  return new Promise((resolve) => {
    const on = (m: unknown): void => {
      if (typeof m === 'object' && m !== null && 'usage' in m) {
        proc.off('message', on);
        resolve((m as { usage: Usage }).usage);
      }
    };
    proc.on('message', on);
    proc.send('usage');
  });
}

interface Answer {
  readonly status: number;
  readonly ms: number;
  readonly bytes: number;
}

function send(url: string, opts: { method?: string; auth: string; body?: Buffer; localAddress?: string }): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        headers: { accept: TAXII, authorization: opts.auth, ...(opts.body !== undefined ? { 'content-type': TAXII, 'content-length': String(opts.body.length) } : {}) },
        ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}),
      },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, bytes }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function poller(url: string, seconds: number): Promise<{ p99: number; p50: number; rps: number }> {
  const r = await autocannon({ url: `${url}${OBJECTS}?limit=100`, connections: 4, duration: seconds, headers: { accept: TAXII, authorization: READER } });
  return { p99: r.latency.p99, p50: r.latency.p50, rps: r.requests.average };
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const dbBytes = (db: string): number => [db, `${db}-wal`].reduce((n, f) => n + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'distill-hardening-'));
  const db = join(dir, 'hub.db');
  const { proc, url } = await spawn(db);
  try {
    console.log(`# hub hardening benchmark, node ${process.version}`);
    const seed = Array.from({ length: 1000 }, (_, i) => makeIndicator(i));
    const seeded = await send(`${url}${OBJECTS}`, { method: 'POST', auth: WRITER, body: Buffer.from(JSON.stringify({ objects: seed })) });
    if (seeded.status !== 202) throw new Error(`seeding answered ${seeded.status}`);

    // 1. the attack body
    const attack = Buffer.from('{"objects":[' + '1,'.repeat(5 * 1024 * 1024 - 8) + '1]}');
    const quiet = await poller(url, 3);
    const before = await usage(proc);
    const dbBefore = dbBytes(db);
    const during = poller(url, 4);
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await send(`${url}${OBJECTS}`, { method: 'POST', auth: WRITER, body: attack }));
    const loaded = await during;
    const after = await usage(proc);
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    console.log(`10 MiB {"objects":[1,1,...]} (${fmt(attack.length)} bytes) x5: status ${answers.map((a) => a.status).join(',')}, ` +
      `answer ${fmt(times[0] as number, 1)}-${fmt(times[4] as number, 1)} ms (incl. upload over loopback), ${fmt(answers[0]?.bytes ?? 0)} bytes each`);
    console.log(`  server: peak RSS ${fmt(before.maxRssMiB, 1)} -> ${fmt(after.maxRssMiB, 1)} MiB (+${fmt(after.maxRssMiB - before.maxRssMiB, 1)}), CPU ${fmt(after.cpuMs - before.cpuMs)} ms for the 5 bodies and the poller's requests; database ${fmt(dbBefore)} -> ${fmt(dbBytes(db))} bytes`);
    console.log(`  poller (4 connections, GET 100-object pages): p99 ${quiet.p99} ms / p50 ${quiet.p50} ms alone, p99 ${loaded.p99} ms / p50 ${loaded.p50} ms during the attack`);

    // 2. the largest envelope of bogus objects that is checked
    const bogus = Buffer.from('{"objects":[' + Array.from({ length: 10_000 }, () => '{}').join(',') + ']}');
    const b = await send(`${url}${OBJECTS}`, { method: 'POST', auth: WRITER, body: bogus });
    console.log(`10,000 x {} (${fmt(bogus.length)} bytes): status ${b.status} in ${fmt(b.ms, 1)} ms, status resource ${fmt(b.bytes)} bytes (1,000 failures listed, failure_count exact)`);

    // 3. login flood
    const flood = async (label: string, addressOf: (i: number) => string, newcomer: string): Promise<void> => {
      const cpu0 = (await usage(proc)).cpuMs;
      const started = performance.now();
      const attempts = Array.from({ length: 400 }, (_, i) => send(`${url}/api1/`, { auth: basic('reader', `guess-${label}-${i}`), localAddress: addressOf(i) }));
      await new Promise((r) => setTimeout(r, 20));
      const cached = send(`${url}/api1/`, { auth: READER, localAddress: '127.0.1.1' });
      const fresh = send(`${url}/api1/`, { auth: basic(newcomer, `${newcomer}-password`), localAddress: '127.0.1.2' });
      const results = await Promise.all(attempts);
      const [c, f] = await Promise.all([cached, fresh]);
      const wall = performance.now() - started;
      const cpu = (await usage(proc)).cpuMs - cpu0;
      const by = new Map<number, number>();
      for (const r of results) by.set(r.status, (by.get(r.status) ?? 0) + 1);
      console.log(`login flood, 400 wrong passwords ${label}: ${[...by].map(([s, n]) => `${n}x${s}`).join(' ')} in ${fmt(wall)} ms; server CPU ${fmt(cpu)} ms; ` +
        `meanwhile cached login ${c.status} in ${fmt(c.ms, 1)} ms, first login of another user ${f.status} in ${fmt(f.ms, 1)} ms`);
    };
    await send(`${url}/api1/`, { auth: READER, localAddress: '127.0.1.1' });
    await flood('from one address', () => '127.0.0.1', 'analyst');
    await flood('from 200 addresses', (i) => `127.0.0.${2 + (i % 200)}`, 'auditor');
  } finally {
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.send('stop');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as string);
else await main();

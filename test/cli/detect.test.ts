import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordLine, simulate } from '../../src/simulate/index.js';
import { TaxiiClient } from '../../src/taxii/client/index.js';
import { runCli } from './run-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';
import type { TestServer } from './serve-fixture.js';

let server: TestServer;
let dir = '';
let requests = 0;

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'di-detect-push-'));
  const sim = simulate({ seed: 'push', requests: 40_000, days: 6 });
  const lines: string[] = [];
  for (const batch of sim.batches()) for (const r of batch) lines.push(recordLine(r));
  requests = lines.length;
  writeFileSync(join(dir, 'requests.jsonl'), lines.join('\n') + '\n');
}, 120_000);
afterAll(async () => server.stop());

describe('distill-intel detect --push', () => {
  it('sends the bundle to the named collection of a TAXII API root, as README shows', async () => {
    const key = 'fmf-2026q2:a-push-test-secret-of-32-bytes!';
    const r = await runCli(
      ['detect', '--key', key, '--lab', 'Lab A', '--provider', 'api.lab-a.example.com', '--user', `${USER}:${PASSWORD}`, '--push', `${server.apiRoot}demo`, 'requests.jsonl'],
      '',
      dir,
    );
    expect(r.stderr).toContain(`from ${requests} requests`);
    const pushed = /pushed to \S+: (\d+) objects: (\d+) succeeded, 0 failed, 0 pending/.exec(r.stderr);
    expect(pushed?.[1]).toBe(pushed?.[2]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const client = new TaxiiClient({ url: server.apiRoot, auth: { type: 'basic', username: USER, password: PASSWORD } });
    const stored = await client.collection('demo').objects({ match: { type: 'campaign' } }).toArray();
    expect(stored.length).toBe(5);
  }, 120_000);

  it('refuses a --push target that is not <api-root-url>/<collection>', async () => {
    const r = await runCli(['detect', '--key', 'k1:0123456789abcdef0123', '--lab', 'Lab A', '--provider', 'api.lab-a.example.com', '--push', 'demo', '-'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--push demo: expected <api-root-url>/<collection>');
  });
});

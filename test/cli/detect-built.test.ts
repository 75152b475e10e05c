import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runBuilt } from './built-cli.js';

/** README's worked example ("Finding campaigns in your own telemetry") with the built bin, at a smaller scale. */
let dir = '';
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'di-detect-built-'));
  writeFileSync(join(dir, 'fmf.key'), 'a built-cli test secret of 32 b!');
}, 400_000);

describe('README worked example with the built CLI', () => {
  it('simulates, detects every planted campaign, and shares a bundle that passes the strict share audit', async () => {
    const cli = (args: string[]) => runBuilt(args, { cwd: dir, timeoutMs: 200_000 });
    const sim = await cli(['simulate', '--seed', 'demo', '--requests', '40000', '--days', '6', '--out', 'requests.jsonl.gz', '--truth', 'truth.json']);
    expect(sim.code).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { requests: number; campaigns: Array<{ accounts: string[] }> };
    const det = await cli(['detect', '--key', 'fmf-2026q2:file:fmf.key', '--lab', 'Lab A', '--provider', 'api.lab-a.example.com', '--report', 'report.json', '--out', 'bundle.json', 'requests.jsonl.gz']);
    expect(det.code).toBe(0);
    const planted = truth.campaigns.reduce((n, c) => n + c.accounts.length, 0);
    expect(det.stderr).toContain(`detected: 5 campaigns, ${planted} accounts, from ${truth.requests} requests`);
    const val = await cli(['validate', '--strict', '--audit-share', 'bundle.json']);
    expect(val.code).toBe(0);
    expect(val.stdout + val.stderr).toContain('No problems');
  }, 400_000);
});

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attackerWorld, simulate } from '../../src/simulate/index.js';
import type { GroundTruth } from '../../src/simulate/index.js';
import type { TelemetryRecord } from '../../src/telemetry/index.js';
import { TelemetryReader, fileSource } from '../../src/telemetry/index.js';
import { runCli } from '../cli/run-cli.js';

function collect(options: Parameters<typeof simulate>[0]): { records: TelemetryRecord[]; truth: GroundTruth } {
  const sim = simulate(options);
  const records: TelemetryRecord[] = [];
  for (const b of sim.batches()) records.push(...b);
  return { records, truth: sim.truth };
}

describe('simulate', () => {
  const a = collect({ seed: 'one', requests: 40_000, days: 6 });

  it('writes about the requested volume, time-ordered, within the period', () => {
    expect(a.truth.requests).toBe(a.records.length);
    expect(a.records.length).toBeGreaterThan(32_000);
    expect(a.records.length).toBeLessThan(48_000);
    const start = Date.parse(a.truth.start);
    const end = Date.parse(a.truth.end);
    expect(end - start).toBe(6 * 86_400_000);
    expect(a.records.every((r, i) => i === 0 || r.timestamp >= (a.records[i - 1] as TelemetryRecord).timestamp)).toBe(true);
    expect(a.records.every((r) => r.timestamp >= start && r.timestamp < end)).toBe(true);
  });

  it('is reproducible: the same seed gives the same records', () => {
    const again = collect({ seed: 'one', requests: 40_000, days: 6 });
    expect(again.records).toEqual(a.records);
  });

  it('plants each archetype with its defining trait', () => {
    const byAccount = new Map<string, TelemetryRecord[]>();
    for (const r of a.records) {
      const list = byAccount.get(r.account_id);
      if (list === undefined) byAccount.set(r.account_id, [r]);
      else list.push(r);
    }
    const campaign = (name: string) => a.truth.campaigns.find((c) => c.archetype === name);
    const world = attackerWorld('one');

    const hydra = campaign('hydra-proxy');
    expect(hydra?.accounts.length).toBe(30);
    const hydraIps = new Set(hydra?.accounts.flatMap((id) => (byAccount.get(id) ?? []).map((r) => r.client_ip)));
    expect([...hydraIps].every((ip) => world.hydra.proxies.includes(ip))).toBe(true);

    const edu = campaign('education-abuse');
    const eduRecords = edu?.accounts.flatMap((id) => byAccount.get(id) ?? []) ?? [];
    expect(new Set(eduRecords.map((r) => r.payment_fingerprint))).toEqual(new Set(world.education.payments));
    expect(eduRecords.every((r) => r.signup_channel === 'education')).toBe(true);
    const created = eduRecords.map((r) => r.account_created as number);
    expect(Math.max(...created) - Math.min(...created)).toBeLessThan(3 * 3_600_000);

    // Low-and-slow: every request at the scheduler's second of the hour (within its 4 s jitter), few per account.
    const slow = campaign('low-and-slow');
    for (const id of slow?.accounts ?? []) {
      for (const r of byAccount.get(id) ?? []) expect(Math.floor((r.timestamp % 3_600_000) / 1000) - world.lowSlow.secondOfHour).toBeLessThan(5);
      expect((byAccount.get(id) ?? []).length).toBeLessThan(30);
    }

    const release = Date.parse(a.truth.release.at);
    const pivot = campaign('release-pivot')?.accounts.flatMap((id) => byAccount.get(id) ?? []) ?? [];
    const after = pivot.filter((r) => r.timestamp >= release && r.timestamp < release + 86_400_000);
    expect(after.filter((r) => r.model === 'atlas-4').length / after.length).toBeGreaterThan(0.3);
    expect(a.records.filter((r) => r.timestamp < release).some((r) => r.model === 'atlas-4')).toBe(false);
  });

  it('a second lab hit by the same adversary sees the same infrastructure under different accounts', () => {
    const b = collect({ seed: 'two', lab: 'lab-b', requests: 20_000, days: 6, world: attackerWorld('one') });
    const ipsOf = (x: typeof a, arch: string) => new Set(x.records.filter((r) => x.truth.campaigns.find((c) => c.archetype === arch)?.accounts.includes(r.account_id)).map((r) => r.client_ip));
    expect(b.truth.campaigns.find((c) => c.archetype === 'hydra-proxy')?.infrastructure_ips).toEqual(a.truth.campaigns.find((c) => c.archetype === 'hydra-proxy')?.infrastructure_ips);
    expect([...ipsOf(b, 'hydra-proxy')].every((ip) => attackerWorld('one').hydra.proxies.includes(ip))).toBe(true);
    const accountsA = new Set(a.records.map((r) => r.account_id));
    expect(b.records.some((r) => accountsA.has(r.account_id))).toBe(false);
  });
});

describe('distill-intel simulate', () => {
  it('writes gzipped telemetry the reader takes without a bad line, and the ground truth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'di-sim-'));
    const r = await runCli(['simulate', '--seed', 'cli', '--requests', '10000', '--days', '3', '--out', 'logs.jsonl.gz', '--truth', 'truth.json'], '', dir);
    expect(r.code).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as GroundTruth;
    const reader = new TelemetryReader();
    let n = 0;
    for await (const batch of reader.batches(fileSource(join(dir, 'logs.jsonl.gz')))) n += batch.length;
    expect(n).toBe(truth.requests);
    expect(reader.stats.badCount).toBe(0);
    expect(r.stderr).toBe(`simulated: ${truth.requests} requests, ${truth.accounts} accounts, 5 planted campaigns\n`);
  });

  it('refuses a missing seed or an out-of-range volume', async () => {
    expect((await runCli(['simulate', '--requests', '10000'])).code).toBe(2);
    const r = await runCli(['simulate', '--seed', 'x', '--requests', '50']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--requests must be an integer from 10000 to 20000000');
  });
});

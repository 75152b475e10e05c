import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';

const LAB_A = 'identity--a1a1a1a1-0000-4000-8000-00000000000a';
const HUB = 'identity--c3c3c3c3-0000-4000-8000-00000000000c';
let dir = '';

const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--5b0e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
  created: '2026-11-01T00:00:00.000Z',
  modified: '2026-11-01T00:00:00.000Z',
  created_by_ref: LAB_A,
  name: 'Hydra proxy egress',
  pattern: "[ipv4-addr:value = '198.51.100.3']",
  pattern_type: 'stix',
  valid_from: '2026-11-01T00:00:00Z',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'di-keys-'));
  writeFileSync(join(dir, 'ind.json'), JSON.stringify(indicator));
  expect((await runCli(['keys', 'generate', '--identity', LAB_A, '--out', 'lab-a'], '', dir)).code).toBe(0);
  expect((await runCli(['keys', 'generate', '--identity', HUB, '--algorithm', 'ES256', '--out', 'hub'], '', dir)).code).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keys, sign, verify (in-process)', () => {
  it('keys generate writes a private key only its owner can read and a trust entry, and never overwrites', async () => {
    expect(statSync(join(dir, 'lab-a.key.pem')).mode & 0o777).toBe(0o600);
    const entry = JSON.parse(readFileSync(join(dir, 'lab-a.pub.json'), 'utf8')) as { identity: string; keys: { algorithm: string; key_id: string }[] };
    expect(entry.identity).toBe(LAB_A);
    expect(entry.keys[0]?.algorithm).toBe('Ed25519');
    const again = await runCli(['keys', 'generate', '--identity', LAB_A, '--out', 'lab-a'], '', dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists');
    expect((await runCli(['keys', 'generate', '--identity', 'lab-a', '--out', 'x'], '', dir)).stderr).toContain('--identity');
  });

  it('sign refuses objects of another creator; verify reports trusted and untrusted; a countersignature is shown', async () => {
    const wrong = await runCli(['sign', '--key', 'hub.key.pem', '--identity', HUB, 'ind.json'], '', dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`refused ${indicator.id}`);
    const signed = await runCli(['sign', '--key', 'lab-a.key.pem', '--identity', LAB_A, '--hash', 'sha-512', '--no-public-key', 'ind.json'], '', dir);
    expect(signed.code).toBe(0);
    const sig = (JSON.parse(signed.stdout) as { signatures: Record<string, unknown>[] }).signatures[0];
    expect(sig).toMatchObject({ hash_algorithm: 'sha-512', algorithm: 'Ed25519', signee: LAB_A });
    expect(sig).not.toHaveProperty('public_key');
    const counter = await runCli(['sign', '--key', 'hub.key.pem', '--identity', HUB, '--countersign', '-'], signed.stdout, dir);
    expect(counter.code).toBe(0);
    writeFileSync(join(dir, 'signed.ndjson'), counter.stdout);

    expect((await runCli(['verify', 'signed.ndjson'], '', dir)).stdout).toContain('untrusted indicator--5b0e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4 2026-11-01T00:00:00.000Z: unknown-key');
    expect((await runCli(['keys', 'trust', 'add', '--store', 'trust.json', 'lab-a.pub.json', 'hub.pub.json'], '', dir)).code).toBe(0);
    const ok = await runCli(['verify', '--trust', 'trust.json', '--format', 'json', 'signed.ndjson'], '', dir);
    expect(ok.code).toBe(0);
    const verdict = JSON.parse(ok.stdout) as { trusted: boolean; signer: string; signatures: { path: string; signer: string; trusted: boolean }[] };
    expect(verdict.signer).toBe(LAB_A);
    expect(verdict.signatures.map((s) => [s.path, s.signer, s.trusted])).toEqual([
      ['/signatures/0', LAB_A, true],
      ['/signatures/0/signature', HUB, true],
    ]);
  });

  it('keys trust revoke: what the key signed before the cut-off stays trusted, later signatures are refused', async () => {
    const entry = JSON.parse(readFileSync(join(dir, 'lab-a.pub.json'), 'utf8')) as { keys: { key_id: string }[] };
    const keyId = entry.keys[0]?.key_id as string;
    const revoked = await runCli(['keys', 'trust', 'revoke', '--store', 'trust.json', '--key-id', keyId, '--at', '2099-01-01T00:00:00Z', '--reason', 'compromised'], '', dir);
    expect(revoked).toMatchObject({ code: 0 });
    expect((await runCli(['verify', '--trust', 'trust.json', 'signed.ndjson'], '', dir)).code).toBe(0);
    expect((await runCli(['keys', 'trust', 'revoke', '--store', 'trust.json', '--key-id', keyId, '--at', '2000-01-01T00:00:00Z'], '', dir)).code).toBe(0);
    const after = await runCli(['verify', '--trust', 'trust.json', 'signed.ndjson'], '', dir);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('key-revoked');
    expect((await runCli(['keys', 'trust', 'revoke', '--store', 'trust.json', '--key-id', 'nope'], '', dir)).stderr).toContain('no key nope');
  });

  it('a trust store that does not load is a usage error naming the file and member', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ type: 'distill-intel-trust-store', version: 1, identities: [{ identity: LAB_A, keys: [{ algorithm: 'RS256', public_key: 'x' }] }] }));
    const r = await runCli(['verify', '--trust', 'bad.json', 'signed.ndjson'], '', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/identities/0/keys/0/algorithm');
  });

  it('pull --verify drops what is not trusted (or flags it), and push --trust sends only what is', async () => {
    const server = await startServer();
    try {
      const conn = ['--url', server.apiRoot, '--collection', 'demo', '--user', `${USER}:${PASSWORD}`];
      const unsigned = { ...indicator, id: 'indicator--6c1f2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5' };
      writeFileSync(join(dir, 'unsigned.json'), JSON.stringify(unsigned));
      const refused = await runCli(['push', ...conn, '--trust', 'trust.json', 'unsigned.json'], '', dir);
      expect(refused.code).toBe(1);
      // Named by where it is in the file: the one object of unsigned.json, line 1, column 1.
      expect(refused.stdout).toContain(`failed ${unsigned.id} 2026-11-01T00:00:00.000Z: unsigned.json:1:1: not sent: unsigned`);
      expect((await runCli(['push', ...conn, 'unsigned.json', 'signed.ndjson'], '', dir)).code).toBe(0);
      // the key was revoked from 2000 on above: re-trust a fresh store holding only the hub's key and lab A's anew
      writeFileSync(join(dir, 'trust2.json'), readFileSync(join(dir, 'trust.json'), 'utf8').replace(/"revoked_at": "[^"]*",\s*"revocation_reason": "[^"]*"/, '"valid_from": "2000-01-01T00:00:00Z"'));
      const dropped = await runCli(['pull', ...conn, '--verify', '--trust', 'trust2.json'], '', dir);
      expect(dropped.code).toBe(1);
      expect(dropped.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([indicator.id]);
      expect(dropped.stderr).toContain(`left out untrusted ${unsigned.id} 2026-11-01T00:00:00.000Z: unsigned`);
      const flagged = await runCli(['pull', ...conn, '--verify', '--trust', 'trust2.json', '--untrusted', 'flag'], '', dir);
      expect(flagged.code).toBe(1);
      expect(flagged.stdout.trim().split('\n')).toHaveLength(2);
      expect(flagged.stderr).toContain(`flagged untrusted ${unsigned.id}`);
      expect((await runCli(['pull', ...conn, '--verify'], '', dir)).code).toBe(2);
    } finally {
      await server.stop();
    }
  });
});

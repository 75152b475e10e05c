import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INDICATOR as ID, LAB_A, LAB_B, LAB_W, labAIndicator } from '../security/producer-fixtures.js';
import { hash } from '../taxii/server/fixture.js';
import { ensureBuilt, runBuilt } from './built-cli.js';

/**
 * README "Producer integrity", run as users run it: the built `distill-intel serve --config hub.json` and
 * `distill-intel push` from dist/. Lab A publishes and revokes; member W's forged version, un-revocation and squatted
 * observable are each reported as a failure with its code, and `push` exits 1.
 */

const MAIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/cli/main.js');

let dir: string;
let server: ChildProcess | undefined;
let apiRoot: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'producer-built-'));
  writeFileSync(
    join(dir, 'hub.json'),
    JSON.stringify({
      apiRoots: [{ path: 'hub', title: 'Sharing hub', collections: [{ id: '9a1c0f43-6f55-4a43-9b43-6e2d1a0c7f01', title: 'Shared', alias: 'shared', requireProducer: true }] }],
      auth: {
        principals: [
          { name: 'lab-a', passwordHash: hash('a-pass'), canRead: ['shared'], canWrite: ['shared'], identities: [LAB_A] },
          { name: 'writer-w', passwordHash: hash('w-pass'), canWrite: ['shared'], identities: [LAB_W] },
        ],
      },
    }),
  );
  const child = spawn(process.execPath, [MAIN, 'serve', '--config', 'hub.json', '--db', 'hub.db', '--port', '0', '--no-access-log'], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  apiRoot = await new Promise<string>((resolveUrl, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        resolveUrl(`${m[1] as string}/hub/`);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
}, 300_000);

afterAll(async () => {
  const child = server;
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function push(user: string, objects: unknown[]): Promise<{ code: number | null; stdout: string; file: string }> {
  const file = join(dir, `push-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(objects));
  const run = await runBuilt(['push', '--url', apiRoot, '--collection', 'shared', '--user', user, file], { cwd: dir });
  return { code: run.code, stdout: run.stdout, file };
}

describe('distill-intel serve (built) keeps producers apart', () => {
  it('takes the producer’s objects and refuses a member’s shadowing, un-revoking and squatting', async () => {
    expect((await push('lab-a:a-pass', [labAIndicator('2026-01-01T00:00:00.000Z')])).code).toBe(0);

    const shadow = await push('writer-w:w-pass', [
      labAIndicator('9999-12-31T23:59:59.999Z', { created: '2026-02-01T00:00:00.000Z', created_by_ref: LAB_B, name: 'POISONED' }),
    ]);
    expect(shadow.code).toBe(1);
    // Each file holds a JSON array of one object: the refusal names it where it is, the array's first element (1:2 /0).
    expect(shadow.stdout).toContain(`failed ${ID} 9999-12-31T23:59:59.999Z: ${shadow.file}:1:2 /0: producer-not-bound: created_by_ref ${LAB_B}`);

    expect((await push('lab-a:a-pass', [labAIndicator('2026-03-01T00:00:00.000Z', { revoked: true })])).code).toBe(0);
    const unrevoke = await push('lab-a:a-pass', [labAIndicator('2026-04-01T00:00:00.000Z', { revoked: false })]);
    expect(unrevoke.code).toBe(1);
    expect(unrevoke.stdout).toContain(`failed ${ID} 2026-04-01T00:00:00.000Z: ${unrevoke.file}:1:2 /0: version-after-revoked: `);

    const squat = await push('writer-w:w-pass', [{ type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '10.0.0.1' }]);
    expect(squat.code).toBe(1);
    expect(squat.stdout).toContain(`${squat.file}:1:2 /0: sco-id-not-deterministic: `);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runBuilt } from './built-cli.js';
import { PASSWORD, startServer, USER } from './serve-fixture.js';
import type { TestServer } from './serve-fixture.js';

/**
 * Exact bytes end to end: what a producer wrote is what the server stores, what `pull` writes and what `convert --to
 * ndjson` writes. Each line below is written by hand, so a JSON.parse/JSON.stringify round trip anywhere would show:
 * `2.0` would become `2`, `1.5E3` `1500`, `1E-7` `1e-7`, `\u00e9` `é`, `\/` `/`, and the member order of a
 * re-serialisation is not guaranteed to be the producer's.
 */
const LINES = [
  String.raw`{"type":"note","spec_version":"2.1","id":"note--0b7c3e52-4a1d-4d8e-9c5a-1f2e3d4c5b6a","created":"2026-03-01T10:00:00.000Z","modified":"2026-03-01T10:00:00.000Z","content":"Modèle distillé via 蒸留 proxy 🚀 \u00e9\t\"quoted\" a\/b \\ end","object_refs":["campaign--c106100c-d277-43a2-945e-6945cd18f4e9"],"x_iep_version":2.0,"x_score":1.5E3,"x_ratio":1E-7}`,
  String.raw`{"spec_version":"2.1","type":"note","id":"note--7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","modified":"2026-03-01T10:00:01.000Z","created":"2026-03-01T10:00:01.000Z","content":"line one\nline two \ud83d\ude80","object_refs":["campaign--c106100c-d277-43a2-945e-6945cd18f4e9"],"x_weights":[1.0,0.50,-0.0]}`,
];
const NDJSON = LINES.join('\n') + '\n';

let server: TestServer;
let dir = '';
const auth = ['--user', `${USER}:${PASSWORD}`];
beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'exact-bytes-'));
  writeFileSync(join(dir, 'feed.ndjson'), NDJSON);
  // The same objects pretty-printed inside a bundle, as producers often publish them.
  const pretty = `{\n  "type": "bundle",\n  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",\n  "objects": [\n    ${LINES.join(',\n    ')}\n  ]\n}\n`;
  writeFileSync(join(dir, 'bundle.json'), pretty);
  await ensureBuilt();
}, 300_000);
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('exact bytes end to end (built CLI, real server)', () => {
  it('push sends each object text and pull writes the server bytes: the NDJSON comes back identical', async () => {
    const push = await runBuilt(['push', '--url', server.discovery, '--collection', 'demo', ...auth, 'feed.ndjson'], { cwd: dir });
    expect(push.stdout).toBe('pushed: 2 read, 2 sent in 1 request: 2 succeeded, 0 failed, 0 pending\n');
    expect(push.code).toBe(0);

    const pull = await runBuilt(['pull', '--url', server.discovery, '--collection', 'demo', ...auth, '--format', 'ndjson'], { cwd: dir });
    expect(pull.code).toBe(0);
    expect(pull.stdout).toBe(NDJSON);

    // The STIX bundle format embeds the same bytes.
    const bundle = await runBuilt(['pull', '--url', server.discovery, '--collection', 'demo', ...auth, '--format', 'stix'], { cwd: dir });
    expect(bundle.code).toBe(0);
    expect(bundle.stdout).toMatch(/^\{"type":"bundle","id":"bundle--[0-9a-f-]{36}","objects":\[/);
    expect(bundle.stdout.endsWith(`[${LINES.join(',')}]}\n`)).toBe(true);
  });

  it('convert --to ndjson writes its input objects byte for byte', async () => {
    const run = await runBuilt(['convert', '--to', 'ndjson', 'feed.ndjson'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(NDJSON);
  });

  it('convert --to ndjson of a pretty-printed bundle keeps every token, dropping only the line breaks between them', async () => {
    const run = await runBuilt(['convert', '--to', 'ndjson', 'bundle.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(NDJSON);
    const multiline = `[\n${LINES[0]?.replace('"type":"note",', '"type": "note",\n  ') ?? ''}\n]`;
    writeFileSync(join(dir, 'multiline.json'), multiline);
    const again = await runBuilt(['convert', '--to', 'ndjson', 'multiline.json'], { cwd: dir });
    expect(again.stdout).toBe(`${LINES[0] ?? ''}\n`);
  });
});

describe('objects built in code', () => {
  it('convert still writes JSON for objects that have no source text', async () => {
    const { Converter } = await import('../../src/convert/converter.js');
    const c = new Converter({ to: 'ndjson' });
    expect(c.write({ type: 'note', x_score: 2.0 })).toBe('{"type":"note","x_score":2}\n');
    expect(readFileSync(join(dir, 'feed.ndjson'), 'utf8')).toBe(NDJSON);
  });
});

import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openInput } from '../../src/cli/open-input.js';
import type { CliIo } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'di-open-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(stdin: Readable = Readable.from([])): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin, env: {}, cwd: dir } as unknown as CliIo;
}

async function drain(chunks: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('openInput', () => {
  const text = '{"a": "Zürich"}\n{"b": 2}\n';

  it('streams a file and reads its bytes back by position, decoded as UTF-8', async () => {
    writeFileSync(join(dir, 'in.ndjson'), text);
    const input = await openInput('in.ndjson', io());
    try {
      expect((await drain(input.chunks)).toString()).toBe(text);
      // "Zürich" is 7 bytes: the second line starts at byte 17.
      expect(input.readBack?.({ offset: 0, length: 16 })).toBe('{"a": "Zürich"}');
      expect(input.readBack?.({ offset: 17, length: 8 })).toBe('{"b": 2}');
    } finally {
      await input.close();
    }
  });

  it('refuses to read back a file that changed since it was opened', async () => {
    writeFileSync(join(dir, 'growing.ndjson'), text);
    const input = await openInput('growing.ndjson', io());
    try {
      await drain(input.chunks);
      appendFileSync(join(dir, 'growing.ndjson'), '{"c": 3}\n');
      expect(() => input.readBack?.({ offset: 0, length: 16 })).toThrow('growing.ndjson: cannot read: the file changed while it was being validated');
    } finally {
      await input.close();
    }
  });

  it('reads standard input for "-", which cannot be read back', async () => {
    const input = await openInput('-', io(Readable.from([Buffer.from(text)])));
    expect((await drain(input.chunks)).toString()).toBe(text);
    expect(input.readBack).toBeUndefined();
    await input.close();
  });

  it('names a missing file and a directory', async () => {
    await expect(openInput('missing.ndjson', io())).rejects.toThrow('missing.ndjson: cannot read: no such file');
    mkdirSync(join(dir, 'folder'));
    const input = await openInput('folder', io());
    try {
      expect(input.readBack).toBeUndefined();
      await expect(drain(input.chunks)).rejects.toThrow('folder: cannot read: is a directory');
    } finally {
      await input.close();
    }
  });
});

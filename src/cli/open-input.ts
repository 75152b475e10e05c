import { fstatSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ReadBack, TextSpan } from '../stix/input-checks.js';
import type { CliIo } from './io.js';
import { InputReadError, inputReadError } from './read-inputs.js';

/** A named input opened for validation. */
export interface OpenInput {
  readonly chunks: AsyncIterable<string | Uint8Array>;
  /** For a regular file: its bytes at a span, read again (see `ValidateStreamOptions.readBack`). */
  readonly readBack?: ReadBack;
  close(): Promise<void>;
}

/**
 * Opens a named input: a file streamed from disk, or standard input for `-`. A regular file can also be read back by
 * position, which spares hashing every object for `duplicate-version`; a file that changes while it is validated
 * (another size or modification time when a span is read back) is an input read error, since the text read back
 * would no longer be the text judged.
 */
export async function openInput(name: string, io: CliIo): Promise<OpenInput> {
  if (name === '-') {
    const stdin = async function* (): AsyncGenerator<string | Uint8Array> {
      for await (const chunk of io.stdin) yield chunk as string | Uint8Array;
    };
    return { chunks: stdin(), close: async () => undefined };
  }
  let handle: Awaited<ReturnType<typeof open>>;
  let stats: Stats;
  try {
    handle = await open(resolve(io.cwd, name), 'r');
    stats = await handle.stat();
  } catch (err) {
    throw inputReadError(name, err);
  }
  const stream = handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false });
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (err) {
      throw inputReadError(name, err);
    }
  };
  const fd = handle.fd;
  const readBack: ReadBack = (span: TextSpan): string => {
    const now = fstatSync(fd);
    if (now.size !== stats.size || now.mtimeMs !== stats.mtimeMs) throw new InputReadError(name, 'the file changed while it was being validated');
    const bytes = Buffer.alloc(span.length);
    let got = 0;
    while (got < span.length) {
      const n = readSync(fd, bytes, got, span.length - got, span.offset + got);
      if (n === 0) throw new InputReadError(name, 'the file changed while it was being validated');
      got += n;
    }
    return bytes.toString('utf8');
  };
  return {
    chunks: chunks(),
    ...(stats.isFile() ? { readBack } : {}),
    close: async () => {
      stream.destroy();
      await handle.close();
    },
  };
}

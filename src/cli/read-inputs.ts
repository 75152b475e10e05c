import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from './io.js';

/** One named input text: a file's contents, or standard input as `-`. */
export interface InputText {
  readonly name: string;
  readonly text: string;
}

/** Reads every named file (or stdin for `-`), in order. A missing file is reported by name, not as a stack trace. */
export async function readInputs(names: readonly string[], io: CliIo): Promise<InputText[]> {
  const out: InputText[] = [];
  for (const name of names) {
    if (name === '-') {
      out.push({ name: '-', text: await readStream(io.stdin) });
    } else {
      try {
        out.push({ name, text: await readFile(resolve(io.cwd, name), 'utf8') });
      } catch (err) {
        throw inputReadError(name, err);
      }
    }
  }
  return out;
}

/** A named input could not be read at all. */
export class InputReadError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`${input}: cannot read: ${reason}`);
    this.name = 'InputReadError';
  }
}

/** The {@link InputReadError} for a file-system error met reading the input `name`. */
export function inputReadError(name: string, err: unknown): InputReadError {
  const code = (err as NodeJS.ErrnoException).code;
  return new InputReadError(name, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err));
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

import { UsageError } from './io.js';

/** Where a secret is read from: the process's stdin (a terminal or a pipe) and stderr for the prompt. */
export interface SecretSource {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stderr: { write(text: string): unknown };
}

const MAX_SECRET = 4096;

async function readPiped(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > MAX_SECRET + 2) throw new UsageError(`the secret on stdin is longer than ${MAX_SECRET} characters`);
  }
  // the first line only: `echo secret | ...` and files ending in a newline give the secret without it
  return text.split(/\r?\n/)[0] ?? '';
}

function readTyped(source: SecretSource, prompt: string): Promise<string> {
  const { stdin, stderr } = source;
  stderr.write(prompt);
  return new Promise((resolveSecret, reject) => {
    let typed = '';
    stdin.setRawMode?.(true);
    stdin.resume();
    const done = (err?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      if (err !== undefined) reject(err);
      else resolveSecret(typed);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (typed.length < MAX_SECRET) typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * Reads a password or API key without it ever being a command-line argument (arguments are visible to every user
 * in `ps`): prompts without echo on a terminal, otherwise reads the first line of stdin.
 *
 * @throws UsageError when the secret is empty.
 */
export async function readSecret(source: SecretSource, prompt: string): Promise<string> {
  const secret = source.stdin.isTTY === true ? await readTyped(source, prompt) : await readPiped(source.stdin);
  if (secret === '') throw new UsageError('the secret is empty (type it at the prompt, or pipe it on stdin)');
  return secret;
}

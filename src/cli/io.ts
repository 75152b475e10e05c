import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestWord } from '../closest-word.js';
/** The streams and environment a command runs with; tests pass fakes, `main` passes the process's own. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown; isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit codes shared by every command, documented in README. */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems (invalid input, failed objects). */
  findings: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** Something outside the input failed (network, server, file system). */
  failure: 3,
} as const;

/** The process's own streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** Thrown by argument parsing; `main` prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `node:util` parseArgs, with its refusals (unknown option, missing value, stray argument) as {@link UsageError}s. */
export function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'(-[^']*)'/.exec(e.message)?.[1] ?? '';
      throw new UsageError(unknownOption(given, Object.keys(config.options ?? {}).map((o) => `--${o}`)));
    }
    throw new UsageError(e.message);
  }
}

/** "unknown option --stric; did you mean --strict?" (the hint only when one option is close). */
export function unknownOption(given: string, known: readonly string[]): string {
  const flag = given.includes('=') ? given.slice(0, given.indexOf('=')) : given;
  const best = closestWord(flag, known);
  return `unknown option ${flag}${best !== undefined ? `; did you mean ${best}?` : ''}`;
}

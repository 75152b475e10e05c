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
    return parseArgs<T>(config.args === undefined ? config : { ...config, args: joinDashValues(config.args, config.options ?? {}) });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'(-[^']*)'/.exec(e.message)?.[1] ?? '';
      throw new UsageError(unknownOption(given, Object.keys(config.options ?? {}).map((o) => `--${o}`)));
    }
    throw new UsageError(e.message);
  }
}

/**
 * Writes `--opt -value` as `--opt=-value` when `--opt` takes a value and `-value` is not itself an option: parseArgs
 * refuses such values as ambiguous, yet one RFC 7638 key id in 64 starts with a dash (base64url) and `keys trust revoke
 * --key-id <id>` must take it as README writes it. A missing value (`--store --key-id x`) is still refused.
 */
export function joinDashValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const takesValue = (name: string): boolean => options[name]?.type === 'string';
  const isOption = (arg: string): boolean => {
    if (arg.startsWith('--')) return arg === '--' || (arg.slice(2).split('=')[0] ?? '') in options;
    return Object.values(options).some((o) => o.short !== undefined && arg.startsWith(`-${o.short}`));
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--') && !arg.includes('=') && takesValue(arg.slice(2)) && next !== undefined && next.length > 1 && next.startsWith('-') && !isOption(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** "unknown option --stric; did you mean --strict?" (the hint only when one option is close). */
export function unknownOption(given: string, known: readonly string[]): string {
  const flag = given.includes('=') ? given.slice(0, given.indexOf('=')) : given;
  const best = closestWord(flag, known);
  return `unknown option ${flag}${best !== undefined ? `; did you mean ${best}?` : ''}`;
}

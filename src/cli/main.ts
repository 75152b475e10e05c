#!/usr/bin/env node
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closestWord } from '../closest-word.js';
import * as cliIo from './io.js';
import { EXIT, processIo, UsageError } from './io.js';
import type { CliIo } from './io.js';
import { loadCachedBundle } from './load-cached-bundle.js';
import type * as ValidateCommand from './validate-command.js';
/** What a sub-command module provides once loaded. */
interface LoadedCommand {
  readonly help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/**
 * One sub-command of the `distill-intel` CLI. Modules load on demand so that `convert` or `validate` never load the
 * server, the stores or the client (the package's layering promise holds for the CLI too).
 */
interface Command {
  readonly summary: string;
  load(): Promise<LoadedCommand>;
}

const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'validate STIX 2.1 objects, bundles, envelopes or NDJSON (and audit what a share would expose)',
    load: async () => {
      const m = await loadValidateCommand();
      return { help: m.VALIDATE_HELP, run: m.runValidate };
    },
  },
  upgrade: {
    summary: 'convert STIX 2.0 content (bundles, objects without spec_version) to STIX 2.1',
    load: async () => {
      const m = await import('./upgrade.js');
      return { help: m.UPGRADE_HELP, run: m.runUpgrade };
    },
  },
  serve: {
    summary: 'run a TAXII 2.1 server (embedded SQLite store, demo collection seeded)',
    load: async () => {
      const m = await import('./serve.js');
      return { help: m.SERVE_HELP + '\n', run: (argv, io) => m.runServe(argv, io) };
    },
  },
  users: {
    summary: 'add, remove, reset and list the principals and API keys of a server\'s state file',
    load: async () => {
      const m = await import('./users.js');
      return { help: m.USERS_HELP + '\n', run: m.runUsers };
    },
  },
  push: {
    summary: 'send STIX objects to a TAXII 2.1 collection and report each failure',
    load: async () => {
      const m = await import('./push.js');
      return { help: m.PUSH_HELP, run: m.runPush };
    },
  },
  pull: {
    summary: 'read a TAXII 2.1 collection (once or --follow) as STIX, ECS, Splunk, CSV or Sentinel batches',
    load: async () => {
      const m = await import('./pull.js');
      return { help: m.PULL_HELP, run: (argv, io) => m.runPull(argv, io) };
    },
  },
  convert: {
    summary: 'convert STIX to ECS, Sentinel, Splunk, CSV or plain value lists',
    load: async () => {
      const m = await import('./convert.js');
      return { help: m.CONVERT_HELP, run: m.runConvert };
    },
  },
  detect: {
    summary: 'find distillation campaigns in your model-API telemetry; report them and share a STIX package',
    load: async () => {
      const m = await import('./detect.js');
      return { help: m.DETECT_HELP, run: m.runDetect };
    },
  },
  simulate: {
    summary: 'write simulated model-API telemetry with planted distillation campaigns and its ground truth',
    load: async () => {
      const m = await import('./simulate.js');
      return { help: m.SIMULATE_HELP, run: m.runSimulate };
    },
  },
  match: {
    summary: "match a peer's shared intelligence against your request telemetry; sightings to send back, a private report",
    load: async () => {
      const m = await import('./match.js');
      return { help: m.MATCH_HELP, run: (argv, io) => m.runMatch(argv, io) };
    },
  },
  report: {
    summary: 'corroboration on a hub: distinct labs that sighted each shared object, counts, raised confidence',
    load: async () => {
      const m = await import('./report.js');
      return { help: m.REPORT_HELP, run: (argv, io) => m.runReport(argv, io) };
    },
  },
  keys: {
    summary: 'generate signing keys and keep the trust store of producer keys',
    load: async () => {
      const m = await import('./keys.js');
      return { help: m.KEYS_HELP, run: m.runKeys };
    },
  },
  sign: {
    summary: 'sign STIX objects (ITU-T X.590 JSS over RFC 8785 canonical JSON)',
    load: async () => {
      const m = await import('./sign.js');
      return { help: m.SIGN_HELP, run: m.runSign };
    },
  },
  verify: {
    summary: 'verify the signatures of STIX objects against a trust store',
    load: async () => {
      const m = await import('./verify.js');
      return { help: m.VERIFY_HELP, run: m.runVerify };
    },
  },
  migrate: {
    summary: 'create or upgrade the PostgreSQL schema of a TAXII server database',
    load: async () => {
      const m = await import('./migrate.js');
      return { help: m.MIGRATE_HELP, run: (argv, io) => m.runMigrate(argv, io) };
    },
  },
};

/**
 * The `validate` command: from the CommonJS bundle the build writes beside this module, run with its V8 code cache
 * (see load-cached-bundle.ts), or, where there is no bundle (run from the sources, or a dist/ built by tsc alone), from
 * its module. The bundle gets this module's `io.js`, so a usage error it throws is a {@link UsageError} here.
 */
async function loadValidateCommand(): Promise<typeof ValidateCommand> {
  const bundle = fileURLToPath(new URL('./validate-command.cjs', import.meta.url));
  if (!existsSync(bundle)) return import('./validate-command.js');
  return loadCachedBundle<typeof ValidateCommand>(bundle, { provided: { './io.js': cliIo } }).exports;
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: distill-intel <command> [options]',
    '',
    'STIX 2.1 / TAXII 2.1 tools for sharing adversarial-distillation intelligence.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `distill-intel <command> --help` for a command\'s options.',
    'Exit codes: 0 success, 1 the input or the server reported problems, 2 usage error, 3 I/O or network failure.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI with the given arguments (without `node` and the script path) and returns the exit code.
 * Exported so tests and embedding tools can run commands in-process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${await packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    const best = closestWord(name, Object.keys(COMMANDS));
    io.stderr.write(`distill-intel: unknown command '${name}'${best !== undefined ? `; did you mean '${best}'?` : ''}\nRun 'distill-intel --help' for the commands.\n`);
    return EXIT.usage;
  }
  const loaded = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(loaded.help);
    return EXIT.ok;
  }
  try {
    return await loaded.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      // one line and a pointer to the help, not 50 lines of it burying the message
      io.stderr.write(`distill-intel ${name}: ${err.message}\nRun 'distill-intel ${name} --help' for the options.\n`);
      return EXIT.usage;
    }
    io.stderr.write(`distill-intel ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * `distill-intel validate big.ndjson | head`: the reader closed the pipe. Nothing more can be written, so the work
 * stops at once with one line instead of an unhandled-error trace; any other failure of standard output is one line
 * and exit 3 too (the output could not be written).
 */
function stopOnClosedOutput(err: NodeJS.ErrnoException): void {
  const why = err.code === 'EPIPE' ? 'its reader closed standard output (EPIPE)' : `standard output failed: ${err.message}`;
  // Standard error is synchronous for files, pipes and terminals on POSIX: the line is out before the exit.
  process.stderr.write(`distill-intel: stopped: ${why}\n`);
  process.exit(EXIT.failure);
}

// Run only when executed as the bin (the bin is a symlink in node_modules/.bin, hence realpath).
const invokedPath = process.argv[1] === undefined ? undefined : realpathSync(process.argv[1]);
if (invokedPath === fileURLToPath(import.meta.url)) {
  process.stdout.on('error', stopOnClosedOutput);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`distill-intel: ${String(err)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}

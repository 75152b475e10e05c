import { EXIT, UsageError, type CliIo } from './io.js';
import { loadPgDriver } from '../taxii/store/postgres-driver.js';
import { migratePostgres, postgresSchemaState, quoteIdent } from '../taxii/store/postgres-migrations.js';
import { redactUrl } from '../taxii/store/postgres.js';

export const MIGRATE_HELP = `Usage: distill-intel migrate --database-url <url> [options]

Creates or upgrades the PostgreSQL schema of the TAXII server store (what \`serve --store postgres\` uses).
Migrations are versioned, applied in one transaction under an advisory lock, and safe to run while servers are up
or from several machines at once. Servers also migrate on start unless told not to; run this command when the
servers' database role may not change the schema.

Options:
  --database-url <url>   postgres://user:password@host:5432/database (TLS: add ?sslmode=require or verify-full).
                         Default: $DISTILL_INTEL_DATABASE_URL.
  --schema <name>        PostgreSQL schema holding the tables (default public).
  --status               Print the current and latest schema versions and change nothing.
  --check                Like --status, but exit 1 when migrations are pending (for deploy scripts).
  -h, --help             Show this help and exit.

Exit codes: 0 done (or up to date), 1 migrations pending (--check), 2 usage error, 3 database unreachable or the
migration failed (nothing was changed).`;

interface MigrateArgs {
  url?: string;
  schema: string;
  mode: 'apply' | 'status' | 'check';
  help: boolean;
}

function parseArgs(argv: readonly string[]): MigrateArgs {
  const out: MigrateArgs = { schema: 'public', mode: 'apply', help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq === -1 ? raw : raw.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '--database-url':
        out.url = value();
        break;
      case '--schema':
        out.schema = value();
        break;
      case '--status':
        out.mode = 'status';
        break;
      case '--check':
        out.mode = 'check';
        break;
      default:
        throw new UsageError(`unknown option "${raw}" (see distill-intel migrate --help)`);
    }
  }
  return out;
}

/**
 * `distill-intel migrate`: applies pending PostgreSQL store migrations, or reports where the schema stands.
 *
 * @returns the exit code (see {@link MIGRATE_HELP}).
 */
export async function runMigrate(argv: readonly string[], io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>): Promise<number> {
  let args: MigrateArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr.write(`distill-intel migrate: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (args.help) {
    io.stdout.write(MIGRATE_HELP + '\n');
    return EXIT.ok;
  }
  const url = args.url ?? io.env['DISTILL_INTEL_DATABASE_URL'];
  if (url === undefined || url === '') {
    io.stderr.write('distill-intel migrate: --database-url is required (or set DISTILL_INTEL_DATABASE_URL)\n');
    return EXIT.usage;
  }
  if (args.schema.length > 63 || args.schema.includes('\u0000')) {
    io.stderr.write(`distill-intel migrate: invalid --schema ${JSON.stringify(args.schema)}\n`);
    return EXIT.usage;
  }

  let pg;
  try {
    pg = await loadPgDriver();
  } catch (err) {
    io.stderr.write(`distill-intel migrate: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000, application_name: 'distill-intel migrate' });
  pool.on('error', () => undefined);
  const where = `${redactUrl(url)} schema ${quoteIdent(args.schema)}`;
  try {
    const client = await pool.connect().catch((err: unknown) => {
      throw new Error(`cannot connect to ${redactUrl(url)}: ${(err as Error).message}`);
    });
    try {
      if (args.mode !== 'apply') {
        const state = await postgresSchemaState(client, args.schema);
        io.stdout.write(`${where}: version ${state.current}, latest ${state.latest}\n`);
        for (const p of state.pending) io.stdout.write(`  pending ${p.version}: ${p.name}\n`);
        if (state.current > state.latest) io.stdout.write('  the schema is newer than this version of distill-intel\n');
        return args.mode === 'check' && state.pending.length > 0 ? EXIT.findings : EXIT.ok;
      }
      const result = await migratePostgres(client, args.schema);
      if (result.applied.length === 0) io.stdout.write(`${where}: up to date at version ${result.to}\n`);
      else io.stdout.write(`${where}: migrated from version ${result.from} to ${result.to} (applied ${result.applied.join(', ')})\n`);
      return EXIT.ok;
    } finally {
      client.release();
    }
  } catch (err) {
    io.stderr.write(`distill-intel migrate: ${(err as Error).message}\n`);
    return EXIT.failure;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

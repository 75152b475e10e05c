import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ApiRootConfig, AuthConfig, PrincipalConfig, TaxiiServerOptions } from '../taxii/server/config.js';
import type { ServeConfigFile } from '../taxii/server/config-file.js';
import { parseServeConfig } from '../taxii/server/config-file.js';
import { definitions, exampleBundles } from '../distillation/index.js';
import { DEMO_API_ROOTS } from '../taxii/server/demo.js';
import { ServerConfigError } from '../taxii/server/errors.js';
import { jsonLineLogger, silentLogger } from '../taxii/server/logger.js';
import { createTaxiiServer } from '../taxii/server/node.js';
import type { TaxiiNodeServer } from '../taxii/server/node.js';
import { hashSecret, hashSecretSync, randomSecret } from '../taxii/server/secrets.js';
import { seedCollection } from '../taxii/server/seed.js';
import { loadServerState, saveServerState, stateFileFor } from '../taxii/server/server-state-file.js';
import { SqliteStore } from '../taxii/store/sqlite.js';
import { claimAdminPasswordHash, loadSharedServerState } from '../taxii/store/postgres-server-state.js';
import { openPostgresStore, redactUrl, type PostgresStore } from '../taxii/store/postgres.js';
import type { Store } from '../taxii/store/store.js';
import { UsageError } from './io.js';

/**
 * The demo collection's first-start content: the distillation suite's extension definitions (so consumers can fetch
 * the schemas they need) and the five example scenarios of the domain model, each object once.
 */
export function exampleCampaignSeed(): object[] {
  const seen = new Set<string>();
  const out: object[] = [];
  for (const b of [definitions(), ...Object.values(exampleBundles())]) {
    for (const o of b.objects ?? []) {
      const rec = o as { id: string; modified?: string };
      const key = `${rec.id}|${rec.modified ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(o);
    }
  }
  return out;
}

/** Where `runServe` writes, and what it reads from its environment. */
export interface ServeIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Stops the server when aborted (tests); SIGINT and SIGTERM always do. */
  readonly signal?: AbortSignal;
  /** Called once the server listens, with its base and discovery URLs. */
  readonly onListening?: (info: { readonly url: string; readonly discoveryUrl: string; readonly port: number }) => void;
}

/** Programmatic extras of `serve` that have no command-line form. */
export interface ServeExtras {
  /** Objects stored in the demo collection on first start (default: a small hand-written distillation set). */
  readonly seed?: () => Promise<object[]> | object[];
  /** Use this store instead of opening the SQLite database (it is closed on shutdown all the same). */
  readonly store?: Store;
  /** Extra options merged into the handler options (hooks, validation, logger...). */
  readonly options?: Partial<Omit<TaxiiServerOptions, 'store'>>;
}

export const SERVE_HELP = `Usage: distill-intel serve [options]

Runs a TAXII 2.1 server (discovery at /taxii2/) backed by a SQLite database.

Options:
  --config <file>          JSON configuration file (API roots, collections, principals, limits, TLS...).
                           Relative paths in it (db, TLS files) are resolved from the file's folder.
  --port <n>               TCP port (default 8021; 0 picks a free port).
  --host <address>         Interface to listen on (default 127.0.0.1).
  --db <path>              SQLite database file (default ./distill-intel.db; ":memory:" for a throwaway store).
  --store <sqlite|postgres>
                           Where objects and statuses live (default sqlite). postgres: one database shared by any
                           number of instances behind a load balancer (README "Scaling out"); needs the pg package.
  --database-url <url>     PostgreSQL URL for --store postgres, e.g. postgres://user:pw@host:5432/taxii?sslmode=require
                           (default: $DISTILL_INTEL_DATABASE_URL). Tables are created/migrated on start.
  --database-schema <name> PostgreSQL schema holding the tables (default public).
  --user <name:password>   Add a principal with read and write access to every collection. Repeatable.
  --public-url <url>       External URL of the server (behind a proxy), used for the API-root URLs in discovery.
  --no-access-log          Do not write JSON access-log lines to stdout.
  --hash-secret <secret>   Print the scrypt hash of a password or API key (for passwordHash/apiKeyHashes in the
                           config file) and exit.
  -h, --help               Show this help and exit.

With neither a config file nor --user (and no principal or anonymous access configured), a random password for user
"admin" is generated on first start, stored only as a scrypt hash in <db>.server.json, and printed once together with
the discovery URL. Without apiRoots in the config, one API root "api1" is served with a collection "demo" (alias),
seeded on first start with example distillation intelligence.

Access logs are JSON lines on stdout; start-up messages go to stderr. SIGINT/SIGTERM stop the server gracefully:
in-flight requests (writes included) finish and the database is closed.

Environment: DISTILL_INTEL_CONFIG (config file when --config is absent), DISTILL_INTEL_DATABASE_URL (PostgreSQL URL when
--database-url and databaseUrl are absent).`;

interface ParsedArgs {
  config?: string;
  port?: number;
  host?: string;
  db?: string;
  store?: 'sqlite' | 'postgres';
  databaseUrl?: string;
  databaseSchema?: string;
  users: { name: string; password: string }[];
  publicUrl?: string;
  accessLog: boolean;
  hashSecret?: string;
  help: boolean;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { users: [], accessLog: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq === -1 ? raw : raw.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '--config':
        out.config = value();
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${v}"`);
        out.port = n;
        break;
      }
      case '--host':
        out.host = value();
        break;
      case '--db':
        out.db = value();
        break;
      case '--store': {
        const v = value();
        if (v !== 'sqlite' && v !== 'postgres') throw new UsageError(`--store must be sqlite or postgres, got "${v}"`);
        out.store = v;
        break;
      }
      case '--database-url':
        out.databaseUrl = value();
        break;
      case '--database-schema':
        out.databaseSchema = value();
        break;
      case '--user': {
        const v = value();
        const colon = v.indexOf(':');
        if (colon <= 0 || colon === v.length - 1) throw new UsageError(`--user must be name:password, got "${v.replace(/:.*/, ':…')}"`);
        out.users.push({ name: v.slice(0, colon), password: v.slice(colon + 1) });
        break;
      }
      case '--public-url':
        out.publicUrl = value();
        break;
      case '--no-access-log':
        out.accessLog = false;
        break;
      case '--hash-secret':
        out.hashSecret = value();
        break;
      default:
        throw new UsageError(`unknown option "${raw}" (see distill-intel serve --help)`);
    }
  }
  return out;
}

function loadConfig(path: string): ServeConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ServerConfigError([{ path: '', message: `cannot read ${path}: ${(err as Error).message}` }], `config file ${path}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ServerConfigError([{ path: '', message: `not valid JSON: ${(err as Error).message}` }], `config file ${path}`);
  }
  return parseServeConfig(value, `config file ${path}`);
}

/**
 * `distill-intel serve`: parses arguments, loads and checks the config, opens the store, seeds the demo collection
 * on first start, listens, and runs until SIGINT/SIGTERM (or `io.signal`).
 *
 * @returns the process exit code: 0 after a clean shutdown or `--help`, 1 on a runtime failure, 2 on a usage or
 *   configuration mistake.
 */
export async function runServe(argv: readonly string[], io: ServeIo, extras: ServeExtras = {}): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr.write(`distill-intel serve: ${(err as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(SERVE_HELP + '\n');
    return 0;
  }
  if (args.hashSecret !== undefined) {
    io.stdout.write(hashSecretSync(args.hashSecret) + '\n');
    return 0;
  }

  let file: ServeConfigFile = {};
  let baseDir = process.cwd();
  const configPath = args.config ?? io.env['DISTILL_INTEL_CONFIG'];
  try {
    if (configPath !== undefined && configPath !== '') {
      file = loadConfig(configPath);
      baseDir = dirname(resolve(configPath));
    }
  } catch (err) {
    io.stderr.write(`distill-intel serve: ${(err as Error).message}\n`);
    return 2;
  }

  const host = args.host ?? file.host ?? '127.0.0.1';
  const port = args.port ?? file.port ?? 8021;
  const dbRaw = args.db ?? file.db ?? './distill-intel.db';
  const db = dbRaw === ':memory:' ? dbRaw : args.db !== undefined ? resolve(dbRaw) : resolve(baseDir, dbRaw);
  const storeKind = args.store ?? file.store ?? 'sqlite';
  const databaseUrl = args.databaseUrl ?? file.databaseUrl ?? io.env['DISTILL_INTEL_DATABASE_URL'];
  if (extras.store === undefined && storeKind === 'postgres' && (databaseUrl === undefined || databaseUrl === '')) {
    io.stderr.write('distill-intel serve: --store postgres needs --database-url (or "databaseUrl" in the config file, or DISTILL_INTEL_DATABASE_URL)\n');
    return 2;
  }
  if (storeKind === 'sqlite' && (args.databaseUrl !== undefined || args.databaseSchema !== undefined)) {
    io.stderr.write('distill-intel serve: --database-url and --database-schema need --store postgres\n');
    return 2;
  }
  const roots: readonly ApiRootConfig[] = file.apiRoots ?? DEMO_API_ROOTS;
  const usingDemo = file.apiRoots === undefined;

  let store: Store | undefined;
  let server: TaxiiNodeServer | undefined;
  const cleanup: (() => void)[] = [];
  try {
    // PostgreSQL: every instance shares the database, so the cursor key and a generated admin password hash live there.
    let pgStore: PostgresStore | undefined;
    if (extras.store === undefined && storeKind === 'postgres') {
      pgStore = await openPostgresStore(databaseUrl as string, {
        schema: args.databaseSchema ?? file.databaseSchema ?? 'public',
        ...(file.databasePoolSize !== undefined ? { poolSize: file.databasePoolSize } : {}),
        ...(file.migrate !== undefined ? { migrate: file.migrate } : {}),
        onConnectionError: (err) => io.stderr.write(`distill-intel serve: database connection error: ${err.message}\n`),
      });
      store = pgStore;
    }
    const stateFile = extras.store === undefined && pgStore === undefined ? stateFileFor(db) : undefined;
    let persisted = pgStore !== undefined ? await loadSharedServerState(pgStore) : loadServerState(stateFile);

    const principals: PrincipalConfig[] = [...(file.auth?.principals ?? [])];
    for (const u of args.users) {
      if (principals.some((p) => p.name === u.name)) throw new UsageError(`--user ${u.name}: a principal with that name is already configured`);
      principals.push({ name: u.name, passwordHash: await hashSecret(u.password), canRead: ['*'], canWrite: ['*'] });
    }
    let generatedPassword: string | undefined;
    if (principals.length === 0 && file.auth?.anonymous === undefined) {
      if (persisted.adminPasswordHash === undefined) {
        generatedPassword = randomSecret(18);
        const hash = await hashSecret(generatedPassword);
        if (pgStore !== undefined) {
          // instances starting together: the first hash stored wins, and only its instance prints the password
          const claim = await claimAdminPasswordHash(pgStore, hash);
          if (!claim.created) generatedPassword = undefined;
          persisted = { ...persisted, adminPasswordHash: claim.hash };
        } else {
          persisted = { ...persisted, adminPasswordHash: hash };
          saveServerState(stateFile, persisted);
        }
      }
      principals.push({ name: 'admin', passwordHash: persisted.adminPasswordHash as string, canRead: ['*'], canWrite: ['*'] });
    }
    const auth: AuthConfig = { ...(file.auth ?? {}), principals };

    const tls = file.tls;
    const readTls = (p: string): Buffer => readFileSync(resolve(baseDir, p));
    store = extras.store ?? pgStore ?? new SqliteStore({ filename: db });
    const logger = args.accessLog && file.accessLog !== false ? jsonLineLogger((line) => io.stdout.write(line)) : silentLogger;
    const options: TaxiiServerOptions = {
      store,
      apiRoots: roots,
      auth,
      cursorSecret: persisted.cursorSecret,
      logger,
      ...(file.title !== undefined ? { title: file.title } : {}),
      ...(file.description !== undefined ? { description: file.description } : {}),
      ...(file.contact !== undefined ? { contact: file.contact } : {}),
      ...(file.defaultApiRoot !== undefined ? { defaultApiRoot: file.defaultApiRoot } : {}),
      ...(file.limits !== undefined ? { limits: file.limits } : {}),
      ...(file.statusRetentionHours !== undefined ? { statusRetentionHours: file.statusRetentionHours } : {}),
      ...((args.publicUrl ?? file.publicUrl) !== undefined ? { publicUrl: (args.publicUrl ?? file.publicUrl) as string } : {}),
      ...(file.trustProxy !== undefined ? { trustProxy: file.trustProxy } : {}),
      ...(file.basePath !== undefined ? { basePath: file.basePath } : {}),
      // One process owns this database, so a short-lived page cache is safe (see PageCache); the config can turn it off.
      // Other instances' writes would stay invisible for the cache's lifetime: off by default on a shared database.
      pageCache: file.pageCache === false || (file.pageCache === undefined && storeKind === 'postgres') ? false : {},
      ...(extras.options ?? {}),
    };
    server = createTaxiiServer({
      ...options,
      ...(file.timeouts !== undefined ? { timeouts: file.timeouts } : {}),
      ...(tls !== undefined
        ? {
            tls: {
              cert: readTls(tls.certFile),
              key: readTls(tls.keyFile),
              ...(tls.caFile !== undefined ? { ca: readTls(tls.caFile) } : {}),
              ...(tls.clientCertificates !== undefined ? { clientCertificates: tls.clientCertificates } : {}),
            },
          }
        : {}),
    });
    await server.handler.core.ready();

    if (file.seedDemo ?? usingDemo) {
      const rootPath = file.defaultApiRoot ?? (roots[0] as ApiRootConfig).path;
      const root = roots.find((r) => r.path === rootPath);
      const target = root?.collections[0];
      if (root !== undefined && target !== undefined) {
        const objects = extras.seed !== undefined ? await extras.seed() : exampleCampaignSeed();
        const result = await seedCollection(store, { apiRoot: root.path, collectionId: target.id }, objects);
        if (result.seeded) {
          io.stderr.write(`Seeded collection "${target.alias ?? target.id}" with ${result.added} objects.\n`);
          for (const r of result.rejected) io.stderr.write(`  seed object ${r.id} refused: ${r.message}\n`);
        }
      }
    }

    const listening = await server.listen(port, host);
    const base = (args.publicUrl ?? file.publicUrl)?.replace(/\/+$/, '') ?? listening.url + (file.basePath ?? '');
    const discoveryUrl = `${base}/taxii2/`;
    const where = pgStore !== undefined ? `PostgreSQL ${redactUrl(databaseUrl as string)}` : db;
    io.stderr.write(`distill-intel TAXII 2.1 server listening on ${listening.url}\nDiscovery: ${discoveryUrl}\nDatabase: ${where}\n`);
    if (generatedPassword !== undefined) {
      io.stderr.write(
        `\nGenerated credentials (shown once; only a scrypt hash is stored in ${pgStore !== undefined ? 'the database' : (stateFile ?? 'memory')}):\n` +
          `  user:     admin\n  password: ${generatedPassword}\n\n`,
      );
    }
    io.onListening?.({ url: listening.url, discoveryUrl, port: listening.port });

    await new Promise<void>((resolveStop) => {
      const stop = (): void => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      cleanup.push(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      });
      if (io.signal !== undefined) {
        if (io.signal.aborted) stop();
        else io.signal.addEventListener('abort', stop, { once: true });
      }
    });
    io.stderr.write('Shutting down: finishing in-flight requests...\n');
    await server.close();
    server = undefined;
    await store.close();
    store = undefined;
    io.stderr.write('Stopped.\n');
    return 0;
  } catch (err) {
    const usage = err instanceof ServerConfigError || err instanceof UsageError;
    io.stderr.write(`distill-intel serve: ${(err as Error).message}\n`);
    return usage ? 2 : 1;
  } finally {
    for (const c of cleanup) c();
    if (server !== undefined) await server.close().catch(() => undefined);
    if (store !== undefined) await store.close().catch(() => undefined);
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ApiRootConfig, AuthConfig, PrincipalConfig, TaxiiServerOptions } from '../taxii/server/config.js';
import type { ServeConfigFile } from '../taxii/server/config-file.js';
import { parseServeConfig } from '../taxii/server/config-file.js';
import { definitions, exampleBundles, retimeScenarioObjects } from '../distillation/index.js';
import { DEMO_API_ROOTS } from '../taxii/server/demo.js';
import { ServerConfigError } from '../taxii/server/errors.js';
import { AuditLog } from '../taxii/server/audit-log.js';
import { combineHooks } from '../taxii/server/hooks.js';
import { batchedWriter, jsonLineLogger, silentLogger } from '../taxii/server/logger.js';
import { createServerMetrics } from '../taxii/server/metrics.js';
import { startMetricsServer, type MetricsServer } from '../taxii/server/metrics-server.js';
import { createTaxiiServer } from '../taxii/server/node.js';
import type { TaxiiNodeServer } from '../taxii/server/node.js';
import { hashSecret, randomSecret } from '../taxii/server/secrets.js';
import { createAnalystView } from '../ui/server/analyst-view.js';
import { seedCollection } from '../taxii/server/seed.js';
import { loadServerState, saveServerState, stateFileFor, type PersistedServerState } from '../taxii/server/server-state-file.js';
import { SqliteStore } from '../taxii/store/sqlite.js';
import { claimAdminPasswordHash, loadSharedServerState } from '../taxii/store/postgres-server-state.js';
import { openPostgresStore, redactUrl, type PostgresStore } from '../taxii/store/postgres.js';
import type { Store } from '../taxii/store/store.js';
import { UsageError, unknownOption } from './io.js';
import { readSecret } from './secret-input.js';
import { gitWorkTreeOf, isLoopbackHost, portProblem } from './serve-checks.js';
import { ProvenanceError } from '../provenance/errors.js';
import { loadTrustStore } from '../provenance/trust-store-file.js';
import type { TrustStore } from '../provenance/trust-store.js';

/**
 * The demo collection's first-start content: the distillation suite's extension definitions (so consumers can fetch
 * the schemas they need) and the five example scenarios of the domain model, each object once, moved in time so that
 * the story ends on the seed day (`at`, default now) and its indicators are in force (see `retimeScenarioObjects`).
 */
export function exampleCampaignSeed(at: Date = new Date()): object[] {
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
  return retimeScenarioObjects(out, { at });
}

/** Where `runServe` writes, and what it reads from its environment. */
export interface ServeIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `--hash-secret` reads the secret (a prompt on a terminal, else the first line). */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
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
  --demo                   Seed the demo collection with the example distillation campaign on first start (the
                           default only for a start with no config file, no --user, a loopback --host and SQLite).
  --hash-secret            Read a password or API key (prompt without echo, or the first line of stdin), print its
                           scrypt hash (for passwordHash/apiKeyHashes in the config file) and exit.
  --no-ui                  Do not serve the analyst view (a web page at /ui/ showing campaigns, their
                           infrastructure and sightings to signed-in principals; on by default).
  -h, --help               Show this help and exit.

Principals come from the config file and --user. When neither defines any (and anonymous access is not configured),
the principals of <db>.server.json are used (manage them with \`distill-intel users\`), and a random password for user
"admin" is generated on the first start that listens, stored only as a scrypt hash in <db>.server.json, and printed
once together with the discovery URL; later starts say how to reset it (\`distill-intel users reset admin\`).
Without apiRoots in the config, one API root "api1" is served with a collection "demo" (alias).

Nothing is written (database seeded, password stored) before the port is bound. Database and state files are created
readable by their owner only.

Access logs are JSON lines on stdout; start-up messages go to stderr. SIGINT/SIGTERM stop the server gracefully:
in-flight requests (writes included) finish and the database is closed.

Environment: DISTILL_INTEL_CONFIG (config file when --config is absent), DISTILL_INTEL_DATABASE_URL (PostgreSQL URL when
--database-url and databaseUrl are absent).`;

/** Every option of `serve`, for "did you mean" hints. */
const SERVE_OPTIONS = [...new Set(SERVE_HELP.match(/--[a-z][a-z-]*/g) ?? [])];

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
  hashSecret: boolean;
  demo: boolean;
  ui: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { users: [], accessLog: true, ui: true, hashSecret: false, demo: false, help: false };
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
      case '--no-ui':
        out.ui = false;
        break;
      case '--hash-secret':
        // a secret given as an argument is visible to every user of the machine in `ps`
        if (eq !== -1) throw new UsageError('--hash-secret takes no value: type the secret at the prompt or pipe it on stdin');
        out.hashSecret = true;
        break;
      case '--demo':
        out.demo = true;
        break;
      default:
        throw new UsageError(unknownOption(raw, SERVE_OPTIONS));
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

/** The principals of the state file (`distill-intel users`), as the server's configuration takes them. */
function statePrincipals(state: PersistedServerState): PrincipalConfig[] {
  return (state.principals ?? []).map((p) => ({
    name: p.name,
    ...(p.passwordHash !== undefined ? { passwordHash: p.passwordHash } : {}),
    ...(p.apiKeys.length > 0 ? { apiKeyHashes: p.apiKeys.map((k) => k.hash) } : {}),
    canRead: p.canRead,
    canWrite: p.canWrite,
  }));
}

/** Whether git ignores `file` (`git check-ignore`); `false` when git cannot say. */
function gitIgnores(file: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', file], { cwd: dirname(file), stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * `distill-intel serve`: parses arguments, loads and checks the config, checks that the port can be bound, opens the
 * store, listens, and only then persists generated credentials and seeds the demo collection; runs until
 * SIGINT/SIGTERM (or `io.signal`).
 *
 * @returns the process exit code: 0 after a clean shutdown or `--help`, 1 on a runtime failure, 2 on a usage or
 *   configuration mistake.
 */
export async function runServe(argv: readonly string[], io: ServeIo, extras: ServeExtras = {}): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr.write(`distill-intel serve: ${(err as Error).message}\nRun 'distill-intel serve --help' for the options.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(SERVE_HELP + '\n');
    return 0;
  }
  if (args.hashSecret) {
    try {
      const secret = await readSecret({ stdin: io.stdin ?? process.stdin, stderr: io.stderr }, 'Secret to hash: ');
      io.stdout.write((await hashSecret(secret)) + '\n');
      return 0;
    } catch (err) {
      io.stderr.write(`distill-intel serve: ${(err as Error).message}\n`);
      return 2;
    }
  }

  let file: ServeConfigFile = {};
  let baseDir = process.cwd();
  const configPath = args.config ?? io.env['DISTILL_INTEL_CONFIG'];
  const configured = configPath !== undefined && configPath !== '';
  try {
    if (configured) {
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
  // The demo campaign goes only where a newcomer expects it: a start with nothing configured, on this machine.
  const defaultDemoStart = !configured && args.users.length === 0 && isLoopbackHost(host) && storeKind === 'sqlite';
  const seedDemo = args.demo || (file.seedDemo ?? (file.apiRoots === undefined && defaultDemoStart));

  // TLS files are read before anything is opened: a missing or unreadable file is a configuration mistake.
  const tls = file.tls;
  let tlsFiles: { cert: Buffer; key: Buffer; ca?: Buffer } | undefined;
  try {
    if (tls !== undefined) {
      const readTls = (p: string, at: string): Buffer => {
        const path = resolve(baseDir, p);
        try {
          return readFileSync(path);
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
          throw new ServerConfigError([{ path: at, message: `cannot read ${path}: ${why}` }], configured ? `config file ${configPath}` : 'configuration');
        }
      };
      tlsFiles = {
        cert: readTls(tls.certFile, '/tls/certFile'),
        key: readTls(tls.keyFile, '/tls/keyFile'),
        ...(tls.caFile !== undefined ? { ca: readTls(tls.caFile, '/tls/caFile') } : {}),
      };
    }
  } catch (err) {
    io.stderr.write(`distill-intel serve: ${(err as Error).message}\n`);
    return 2;
  }

  const busy = await portProblem(port, host);
  if (busy !== undefined) {
    io.stderr.write(`distill-intel serve: ${busy}. Nothing was written.\n`);
    return 1;
  }

  let store: Store | undefined;
  let server: TaxiiNodeServer | undefined;
  let metricsServer: MetricsServer | undefined;
  let audit: AuditLog | undefined;
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
    const stateExisted = stateFile !== undefined && existsSync(stateFile);
    let persisted = pgStore !== undefined ? await loadSharedServerState(pgStore) : loadServerState(stateFile);

    const principals: PrincipalConfig[] = [...(file.auth?.principals ?? [])];
    for (const u of args.users) {
      if (principals.some((p) => p.name === u.name)) throw new UsageError(`--user ${u.name}: a principal with that name is already configured`);
      principals.push({ name: u.name, passwordHash: await hashSecret(u.password), canRead: ['*'], canWrite: ['*'] });
    }
    let generatedPassword: string | undefined;
    let adminFromState = false;
    if (principals.length === 0 && file.auth?.anonymous === undefined) {
      principals.push(...statePrincipals(persisted));
      if (persisted.adminPasswordHash === undefined && principals.length === 0) {
        generatedPassword = randomSecret(18);
        const hash = await hashSecret(generatedPassword);
        if (pgStore !== undefined) {
          // instances starting together: the first hash stored wins, and only its instance prints the password
          const claim = await claimAdminPasswordHash(pgStore, hash);
          if (!claim.created) generatedPassword = undefined;
          persisted = { ...persisted, adminPasswordHash: claim.hash };
        } else {
          // kept in memory until the server listens (see below)
          persisted = { ...persisted, adminPasswordHash: hash };
        }
      } else if (persisted.adminPasswordHash !== undefined) {
        adminFromState = true;
      }
      if (persisted.adminPasswordHash !== undefined && !principals.some((p) => p.name === 'admin')) {
        principals.push({ name: 'admin', passwordHash: persisted.adminPasswordHash, canRead: ['*'], canWrite: ['*'] });
      }
    }
    const auth: AuthConfig = { ...(file.auth ?? {}), principals };

    let trustStore: TrustStore | undefined;
    if (file.trustStore !== undefined) {
      try {
        trustStore = loadTrustStore(resolve(baseDir, file.trustStore));
      } catch (err) {
        if (err instanceof ProvenanceError) throw new UsageError(`trustStore: ${err.message}`);
        throw err;
      }
    }
    store = extras.store ?? pgStore ?? new SqliteStore({ filename: db });
    const uiEnabled = args.ui && file.ui !== false;
    const metrics = file.metrics !== undefined ? createServerMetrics(store) : undefined;
    audit = file.auditLog !== undefined ? new AuditLog(resolve(baseDir, file.auditLog)) : undefined;
    // Access-log lines leave in one write per turn of the event loop, not one synchronous write per request.
    const logLines = batchedWriter((chunk) => io.stdout.write(chunk));
    const logger = args.accessLog && file.accessLog !== false ? jsonLineLogger(logLines) : silentLogger;
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
      ...(trustStore !== undefined ? { trustStore } : {}),
      ...(file.verifyThreads !== undefined ? { verifyThreads: file.verifyThreads } : {}),
      pageCache: file.pageCache === false || (file.pageCache === undefined && storeKind === 'postgres') ? false : {},
      ...(uiEnabled ? { mounts: [createAnalystView(trustStore !== undefined ? { trust: trustStore } : {})] } : {}),
      ...(extras.options ?? {}),
      hooks: combineHooks(metrics?.hooks, audit?.hooks(), extras.options?.hooks),
    };
    server = createTaxiiServer({
      ...options,
      ...(file.timeouts !== undefined ? { timeouts: file.timeouts } : {}),
      ...(tls !== undefined && tlsFiles !== undefined
        ? {
            tls: {
              ...tlsFiles,
              ...(tls.clientCertificates !== undefined ? { clientCertificates: tls.clientCertificates } : {}),
            },
          }
        : {}),
    });
    await server.handler.core.ready();
    if (metrics !== undefined && file.metrics !== undefined) metricsServer = await startMetricsServer(metrics.registry, file.metrics);
    const listening = await server.listen(port, host);

    // Listening works: now, and only now, keep what this start created.
    if (stateFile !== undefined && (!stateExisted || generatedPassword !== undefined)) saveServerState(stateFile, persisted);
    if (seedDemo) {
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

    const base = (args.publicUrl ?? file.publicUrl)?.replace(/\/+$/, '') ?? listening.url + (file.basePath ?? '');
    const discoveryUrl = `${base}/taxii2/`;
    const where = pgStore !== undefined ? `PostgreSQL ${redactUrl(databaseUrl as string)}` : db;
    io.stderr.write(`distill-intel TAXII 2.1 server listening on ${listening.url}\nDiscovery: ${discoveryUrl}\nDatabase: ${where}\n`);
    if (uiEnabled) io.stderr.write(`Analyst view: ${base}/ui/\n`);
    io.stderr.write(`Health: ${base}/healthz, ${base}/readyz\n`);
    if (metricsServer !== undefined) io.stderr.write(`Metrics: ${metricsServer.url}${file.metrics?.tokenHash !== undefined ? ' (bearer token required)' : ''}\n`);
    if (audit !== undefined) io.stderr.write(`Audit log: ${resolve(baseDir, file.auditLog as string)} (reopened on SIGHUP)\n`);
    if (tls === undefined && !isLoopbackHost(host)) {
      io.stderr.write(
        `WARNING: plain HTTP on ${host}, which is not a loopback address: passwords and API keys cross the network in ` +
          'clear. Configure "tls" in the config file, or listen on 127.0.0.1 behind a TLS-terminating proxy.\n',
      );
    }
    if (stateFile !== undefined) {
      const tree = gitWorkTreeOf(stateFile);
      if (tree !== undefined && !gitIgnores(stateFile)) {
        io.stderr.write(
          `WARNING: ${stateFile} holds secret hashes and the cursor key, and sits in the git work tree ${tree} without ` +
            'being ignored: add it to .gitignore (or keep the database elsewhere) so it is never committed.\n',
        );
      }
    }
    if (generatedPassword !== undefined) {
      io.stderr.write(
        `\nGenerated credentials (shown once; only a scrypt hash is stored in ${pgStore !== undefined ? 'the database' : (stateFile ?? 'memory')}):\n` +
          `  user:     admin\n  password: ${generatedPassword}\n\n`,
      );
    } else if (adminFromState) {
      const reset =
        pgStore !== undefined
          ? 'give principals in the config file instead (the generated admin is kept in the database)'
          : `stop the server and run: distill-intel users reset admin --db ${db}`;
      io.stderr.write(`User "admin" has the password printed on the first start (only its hash is kept). Lost it? ${reset}\n`);
    }
    io.onListening?.({ url: listening.url, discoveryUrl, port: listening.port });

    await new Promise<void>((resolveStop) => {
      const stop = (): void => resolveStop();
      const reopen = (): void => audit?.reopen();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.on('SIGHUP', reopen);
      cleanup.push(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.off('SIGHUP', reopen);
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
    if (metricsServer !== undefined) await metricsServer.close().catch(() => undefined);
    audit?.close();
    if (server !== undefined) await server.close().catch(() => undefined);
    if (store !== undefined) await store.close().catch(() => undefined);
  }
}

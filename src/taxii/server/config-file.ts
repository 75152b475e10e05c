import { emptyTrustStore } from '../../provenance/trust-store-edits.js';
import { TrustStore } from '../../provenance/trust-store.js';
import type { TaxiiServerTimeouts } from './node.js';
import type {
  ApiRootConfig,
  AuthConfig,
  CollectionConfig,
  LimitsConfig,
  PrincipalConfig,
} from './config.js';
import { checkServerOptions, ProblemList } from './config.js';
import { closestWord } from '../../closest-word.js';
import { DEMO_API_ROOTS } from './demo.js';
import { isSecretHash } from './secrets.js';

/**
 * The JSON configuration file of `distill-intel serve`. Server-side properties mirror `TaxiiServerOptions`;
 * the rest says where to listen, where the database lives and how TLS is set up.
 */
export interface ServeConfigFile {
  readonly host?: string;
  readonly port?: number;
  /** SQLite database file. */
  readonly db?: string;
  readonly publicUrl?: string;
  readonly trustProxy?: boolean;
  readonly basePath?: string;
  readonly title?: string;
  readonly description?: string;
  readonly contact?: string;
  readonly tls?: {
    readonly certFile: string;
    readonly keyFile: string;
    readonly caFile?: string;
    readonly clientCertificates?: 'off' | 'optional' | 'required';
  };
  readonly limits?: LimitsConfig;
  /** Connection timeouts against slow clients (see `TaxiiServerTimeouts`). */
  readonly timeouts?: TaxiiServerTimeouts;
  readonly statusRetentionHours?: number;
  readonly apiRoots?: readonly ApiRootConfig[];
  readonly defaultApiRoot?: string;
  readonly auth?: AuthConfig;
  /** Seed the demo collection on first start (default: true when `apiRoots` is absent). */
  readonly seedDemo?: boolean;
  /** Write one JSON access-log line per request to stdout (default true). */
  readonly accessLog?: boolean;
  /** Serve the analyst view at `/ui/` (default true). */
  readonly ui?: boolean;
  /** Serve repeated pages from a 1-second in-memory cache (default true; set false when other processes write the db). */
  readonly pageCache?: boolean;
  /** Where objects and statuses live: `sqlite` (default, the `db` file) or `postgres` (`databaseUrl`). */
  readonly store?: 'sqlite' | 'postgres';
  /** PostgreSQL URL for `store: "postgres"` (`DISTILL_INTEL_DATABASE_URL` when absent). */
  readonly databaseUrl?: string;
  /** PostgreSQL schema holding the tables (default `public`). */
  readonly databaseSchema?: string;
  /** Connections per instance (default 10). */
  readonly databasePoolSize?: number;
  /** Apply pending PostgreSQL migrations on start (default true); false: run `distill-intel migrate` first. */
  readonly migrate?: boolean;
  /** Trust-store file (relative to the config file) with the producer keys `requireSignatures` collections check. */
  readonly trustStore?: string;
  /** Threads verifying signatures for `requireSignatures` collections (default one per core, at most 8; 0: none). */
  readonly verifyThreads?: number;
  /** Prometheus metrics on their own listener (see `startMetricsServer`); absent: no metrics endpoint. */
  readonly metrics?: { readonly port: number; readonly host?: string; readonly tokenHash?: string };
  /** Audit log file (JSON lines, 0600, reopened on SIGHUP); relative to the config file's folder. */
  readonly auditLog?: string;
}

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'string[]';
interface Shape {
  readonly [key: string]: Kind | Shape | { readonly list: Shape } | { readonly oneOf: readonly string[] };
}

const COLLECTION: Shape = {
  id: 'string',
  title: 'string',
  description: 'string',
  alias: 'string',
  mediaTypes: 'string[]',
  acceptTypes: 'string[]',
  requireProducer: 'boolean',
  requireSignatures: 'boolean',
  unattributed: { oneOf: ['refuse', 'allow-scos', 'allow'] },
};
const API_ROOT: Shape = {
  path: 'string',
  title: 'string',
  description: 'string',
  maxContentLength: 'integer',
  collections: { list: COLLECTION },
};
const PRINCIPAL: Shape = {
  name: 'string',
  passwordHash: 'string',
  apiKeyHashes: 'string[]',
  certificateFingerprints: 'string[]',
  canRead: 'string[]',
  canWrite: 'string[]',
  identities: 'string[]',
  relayFor: 'string[]',
};
const FILE: Shape = {
  $schema: 'string',
  host: 'string',
  port: 'integer',
  db: 'string',
  publicUrl: 'string',
  trustProxy: 'boolean',
  basePath: 'string',
  title: 'string',
  description: 'string',
  contact: 'string',
  tls: { certFile: 'string', keyFile: 'string', caFile: 'string', clientCertificates: { oneOf: ['off', 'optional', 'required'] } },
  limits: {
    defaultPageSize: 'integer',
    maxPageSize: 'integer',
    maxContentLength: 'integer',
    maxObjectsPerEnvelope: 'integer',
    maxStatusFailures: 'integer',
    rateLimit: { enabled: 'boolean', requestsPerSecond: 'number', burst: 'number', failedAuthPerSecond: 'number' },
    logins: {
      concurrent: 'integer',
      queued: 'integer',
      queueTimeoutMs: 'integer',
      perAddress: 'integer',
      perUser: 'integer',
      userFailureBurst: 'integer',
      userFailuresPerMinute: 'number',
    },
  },
  timeouts: { headersMs: 'integer', requestMs: 'integer', keepAliveMs: 'integer' },
  statusRetentionHours: 'number',
  apiRoots: { list: API_ROOT },
  defaultApiRoot: 'string',
  auth: {
    principals: { list: PRINCIPAL },
    anonymous: { canRead: 'string[]', canWrite: 'string[]' },
    apiKeyHeader: 'string',
    realm: 'string',
    schemes: { basic: 'boolean', bearer: 'boolean', token: 'boolean' },
  },
  seedDemo: 'boolean',
  accessLog: 'boolean',
  ui: 'boolean',
  pageCache: 'boolean',
  store: { oneOf: ['sqlite', 'postgres'] },
  databaseUrl: 'string',
  databaseSchema: 'string',
  databasePoolSize: 'integer',
  migrate: 'boolean',
  trustStore: 'string',
  verifyThreads: 'integer',
  metrics: { port: 'integer', host: 'string', tokenHash: 'string' },
  auditLog: 'string',
};

/** Required keys per shape (checked in addition to types). */
const REQUIRED = new Map<Shape, readonly string[]>([
  [COLLECTION, ['id', 'title']],
  [API_ROOT, ['path', 'title', 'collections']],
  [PRINCIPAL, ['name']],
  [FILE.tls as Shape, ['certFile', 'keyFile']],
  [FILE.metrics as Shape, ['port']],
]);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function suggest(key: string, known: readonly string[]): string {
  const best = closestWord(key, known);
  return best !== undefined ? `; did you mean "${best}"?` : '';
}

function checkShape(value: unknown, shape: Shape, path: string, problems: ProblemList): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.add(path, `must be an object, found ${typeName(value)}`);
    return;
  }
  const obj = value as Record<string, unknown>;
  const known = Object.keys(shape);
  for (const key of Object.keys(obj)) {
    if (!(key in shape)) problems.add(`${path}/${key}`, `unknown property "${key}"${suggest(key, known)}`);
  }
  for (const key of REQUIRED.get(shape) ?? []) {
    if (obj[key] === undefined) problems.add(path, `missing required property "${key}"`);
  }
  for (const [key, kind] of Object.entries(shape)) {
    const v = obj[key];
    if (v === undefined) continue;
    const p = `${path}/${key}`;
    if (typeof kind === 'string') {
      const ok =
        kind === 'string[]'
          ? Array.isArray(v) && v.every((x) => typeof x === 'string')
          : kind === 'integer'
            ? Number.isSafeInteger(v)
            : typeof v === kind;
      if (!ok) problems.add(p, `must be ${kind === 'string[]' ? 'a list of strings' : kind === 'integer' ? 'an integer' : `a ${kind}`}, found ${typeName(v)}`);
    } else if ('list' in kind && typeof (kind as { list?: unknown }).list === 'object') {
      const item = (kind as { list: Shape }).list;
      if (!Array.isArray(v)) problems.add(p, `must be a list, found ${typeName(v)}`);
      else v.forEach((x, i) => checkShape(x, item, `${p}/${i}`, problems));
    } else if ('oneOf' in kind && Array.isArray((kind as { oneOf?: unknown }).oneOf)) {
      const allowed = (kind as { oneOf: readonly string[] }).oneOf;
      if (typeof v !== 'string' || !allowed.includes(v)) problems.add(p, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    } else {
      checkShape(v, kind as Shape, p, problems);
    }
  }
}

/**
 * Checks a parsed config file: structure (unknown keys with suggestions, types, required keys) and then the same
 * semantic rules as {@link checkServerOptions} (unique ids, aliases, selectors that name real collections, scrypt
 * hashes...). Every problem is reported, each with its JSON pointer.
 *
 * @throws ServerConfigError listing every problem.
 */
export function parseServeConfig(value: unknown, source = 'config file'): ServeConfigFile {
  const problems = new ProblemList();
  checkShape(value, FILE, '', problems);
  if (problems.items.length === 0) {
    const file = value as ServeConfigFile;
    if (file.port !== undefined && (file.port < 0 || file.port > 65535)) problems.add('/port', 'port must be between 0 and 65535');
    if (file.host !== undefined && file.host.trim() === '') problems.add('/host', 'host must not be empty');
    if (file.db !== undefined && file.db.trim() === '') problems.add('/db', 'db must not be empty');
    if (file.metrics !== undefined && (file.metrics.port < 0 || file.metrics.port > 65535)) problems.add('/metrics/port', 'port must be between 0 and 65535');
    if (file.metrics?.tokenHash !== undefined && !isSecretHash(file.metrics.tokenHash)) {
      problems.add('/metrics/tokenHash', 'tokenHash must be a scrypt hash; make one with `distill-intel serve --hash-secret`');
    }
    if (file.auditLog !== undefined && file.auditLog.trim() === '') problems.add('/auditLog', 'auditLog must not be empty');
    // Selectors in `auth` are checked against the roots that will actually be served (the demo root by default).
    const roots = file.apiRoots ?? DEMO_API_ROOTS;
    {
      checkServerOptions(
        {
          store: undefined as never,
          apiRoots: roots,
          ...(file.defaultApiRoot !== undefined ? { defaultApiRoot: file.defaultApiRoot } : {}),
          ...(file.auth !== undefined ? { auth: file.auth } : {}),
          ...(file.limits !== undefined ? { limits: file.limits } : {}),
          ...(file.publicUrl !== undefined ? { publicUrl: file.publicUrl } : {}),
          ...(file.basePath !== undefined ? { basePath: file.basePath } : {}),
          ...(file.statusRetentionHours !== undefined ? { statusRetentionHours: file.statusRetentionHours } : {}),
          // the file only names the trust store (serve loads it); an empty one stands in for "there is one"
          ...(file.trustStore !== undefined ? { trustStore: TrustStore.fromDocument(emptyTrustStore()) } : {}),
          ...(file.verifyThreads !== undefined ? { verifyThreads: file.verifyThreads } : {}),
        },
        problems,
      );
    }
  }
  problems.throwIfAny(source);
  return value as ServeConfigFile;
}

export type { ApiRootConfig, CollectionConfig, PrincipalConfig };

import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isSecretHash, randomSecret } from './secrets.js';

/** An API key kept in the state file: only its scrypt hash, and a short id to name it by when revoking. */
export interface StoredApiKey {
  readonly id: string;
  readonly hash: string;
  /** ISO 8601 time the key was created. */
  readonly created: string;
}

/** A principal managed with `distill-intel users` (the state file's own, beside the configured ones). */
export interface StoredPrincipal {
  readonly name: string;
  readonly passwordHash?: string;
  readonly apiKeys: readonly StoredApiKey[];
  readonly canRead: readonly string[];
  readonly canWrite: readonly string[];
  /** ISO 8601 time the principal was added. */
  readonly created: string;
}

/**
 * Secrets `distill-intel serve` keeps between runs, beside the database (`<db>.server.json`, mode 0600):
 * the key that signs `next` cursors (so cursors survive restarts), the generated admin password's scrypt hash, and
 * the principals managed with `distill-intel users`. Nothing in it is a plain-text password or key.
 */
export interface PersistedServerState {
  readonly cursorSecret: string;
  readonly adminPasswordHash?: string;
  readonly principals?: readonly StoredPrincipal[];
}

/** Path of the state file for a database path (`undefined` for in-memory databases: nothing is persisted). */
export function stateFileFor(db: string): string | undefined {
  return db === ':memory:' || db === '' ? undefined : `${db}.server.json`;
}

/** A fresh state: a new cursor key and nothing else. */
export function freshServerState(): PersistedServerState {
  return { cursorSecret: randomSecret(32) };
}

const NAME_RE = /^[A-Za-z0-9._@-]{1,64}$/;

/** Why `name` cannot name a principal (HTTP Basic forbids `:` in user names), or `undefined` when it can. */
export function principalNameProblem(name: string): string | undefined {
  return NAME_RE.test(name) ? undefined : `user name "${name.slice(0, 70)}" must be 1 to 64 letters, digits or . _ @ -`;
}

function damaged(file: string, what: string): Error {
  return new Error(`${file} is damaged (${what}); fix it, or delete it to start over (outstanding next cursors become invalid)`);
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function readPrincipal(file: string, v: unknown, i: number): StoredPrincipal {
  const p = v as Partial<Record<keyof StoredPrincipal, unknown>> | null;
  const at = `principals[${i}]`;
  if (p === null || typeof p !== 'object') throw damaged(file, `${at} is not an object`);
  if (typeof p.name !== 'string' || principalNameProblem(p.name) !== undefined) throw damaged(file, `${at}.name is missing or invalid`);
  if (p.passwordHash !== undefined && (typeof p.passwordHash !== 'string' || !isSecretHash(p.passwordHash))) {
    throw damaged(file, `${at}.passwordHash is not a scrypt hash`);
  }
  if (!strings(p.canRead) || !strings(p.canWrite)) throw damaged(file, `${at}.canRead/canWrite must be lists of collection selectors`);
  const keys = p.apiKeys ?? [];
  if (!Array.isArray(keys)) throw damaged(file, `${at}.apiKeys is not a list`);
  const apiKeys = keys.map((k: unknown, j) => {
    const key = k as Partial<StoredApiKey> | null;
    if (key === null || typeof key.id !== 'string' || typeof key.hash !== 'string' || !isSecretHash(key.hash) || typeof key.created !== 'string') {
      throw damaged(file, `${at}.apiKeys[${j}] needs id, a scrypt hash and created`);
    }
    return { id: key.id, hash: key.hash, created: key.created };
  });
  return {
    name: p.name,
    ...(p.passwordHash !== undefined ? { passwordHash: p.passwordHash } : {}),
    apiKeys,
    canRead: p.canRead,
    canWrite: p.canWrite,
    created: typeof p.created === 'string' ? p.created : '',
  };
}

/** Reads the state file; `undefined` when it does not exist. Throws when it is damaged, naming what is wrong. */
export function readServerState(file: string): PersistedServerState | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: Partial<Record<keyof PersistedServerState, unknown>>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (err) {
    throw damaged(file, `not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed.cursorSecret !== 'string' || parsed.cursorSecret.length < 16) throw damaged(file, 'no cursorSecret');
  if (parsed.principals !== undefined && !Array.isArray(parsed.principals)) throw damaged(file, 'principals is not a list');
  const principals = (parsed.principals ?? []).map((p: unknown, i: number) => readPrincipal(file, p, i));
  return {
    cursorSecret: parsed.cursorSecret,
    ...(typeof parsed.adminPasswordHash === 'string' ? { adminPasswordHash: parsed.adminPasswordHash } : {}),
    ...(principals.length > 0 ? { principals } : {}),
  };
}

/**
 * Loads the state; a missing file gives a fresh state that is NOT written yet: `serve` persists it only once it
 * listens, so a start that fails leaves nothing behind.
 */
export function loadServerState(file: string | undefined): PersistedServerState {
  return (file === undefined ? undefined : readServerState(file)) ?? freshServerState();
}

/** Writes the state atomically (temp file + rename), readable by the owner only. */
export function saveServerState(file: string | undefined, state: PersistedServerState): void {
  if (file === undefined) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

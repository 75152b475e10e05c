import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Passwords and API keys are kept as scrypt hashes in a self-describing text form:
 * `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`. The parameters travel with the hash so they can be raised
 * later without invalidating stored secrets.
 */
const PREFIX = 'scrypt';
const DEFAULT_N = 16384;
const DEFAULT_R = 8;
const DEFAULT_P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Ceiling on accepted cost parameters, so a hostile config cannot make every login allocate gigabytes. */
const MAX_N = 1 << 20;

/** Cost parameters of a scrypt hash. */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

interface ParsedHash extends ScryptParams {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const HASH_RE = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function parseHash(encoded: string): ParsedHash | undefined {
  const m = HASH_RE.exec(encoded);
  if (m === null) return undefined;
  const N = Number(m[1]);
  const r = Number(m[2]);
  const p = Number(m[3]);
  if (!Number.isSafeInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) return undefined;
  if (r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(m[4] ?? '', 'base64url');
  const hash = Buffer.from(m[5] ?? '', 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
}

function format(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

function scryptAsync(secret: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + (1 << 20) }, (err, key) =>
      err === null ? resolve(key) : reject(err),
    );
  });
}

/** True when `value` is a well-formed scrypt hash as produced by {@link hashSecret}. */
export function isSecretHash(value: string): boolean {
  return parseHash(value) !== undefined;
}

/** Hashes a password or API key for storage in configuration. */
export async function hashSecret(secret: string, params: ScryptParams = { N: DEFAULT_N, r: DEFAULT_R, p: DEFAULT_P }): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  return format(params, salt, await scryptAsync(secret, salt, KEY_LENGTH, params));
}

/** Synchronous {@link hashSecret}, for command-line tools. */
export function hashSecretSync(secret: string, params: ScryptParams = { N: DEFAULT_N, r: DEFAULT_R, p: DEFAULT_P }): string {
  const salt = randomBytes(SALT_LENGTH);
  const key = scryptSync(secret, salt, KEY_LENGTH, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + (1 << 20) });
  return format(params, salt, key);
}

/**
 * Checks a presented secret against a stored hash. The derived keys are compared with `timingSafeEqual`, so the
 * time taken does not depend on how many leading bytes match. A malformed stored hash never matches.
 */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (parsed === undefined) return false;
  const key = await scryptAsync(secret, parsed.salt, parsed.hash.length, parsed);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** A hash that matches no secret, verified against when a user name is unknown so timing does not reveal it. */
export const DECOY_HASH = format({ N: DEFAULT_N, r: DEFAULT_R, p: DEFAULT_P }, Buffer.alloc(SALT_LENGTH, 7), Buffer.alloc(KEY_LENGTH, 0));

/**
 * A decoy with the same cost parameters as `like` (a configured hash), or {@link DECOY_HASH} when `like` is not a
 * hash. Verifying an unknown user against a decoy that costs the same as the real hashes keeps response times from
 * telling unknown names from known ones even when the operator chose other scrypt parameters than the default.
 */
export function decoyHashLike(like: string | undefined): string {
  const parsed = like === undefined ? undefined : parseHash(like);
  if (parsed === undefined) return DECOY_HASH;
  return format(parsed, Buffer.alloc(parsed.salt.length, 7), Buffer.alloc(parsed.hash.length, 0));
}

/**
 * A decoy costing as much as the costliest of `hashes` (by N·r·p), or {@link DECOY_HASH} when there are none. Unknown
 * users are checked against it, and failed checks of cheaper hashes are stretched to its running time.
 */
export function costliestDecoy(hashes: readonly string[]): string {
  let best: string | undefined;
  let bestCost = 0;
  for (const h of hashes) {
    const parsed = parseHash(h);
    const cost = parsed === undefined ? 0 : parsed.N * parsed.r * parsed.p;
    if (cost > bestCost) {
      best = h;
      bestCost = cost;
    }
  }
  return decoyHashLike(best);
}

/** A random printable secret (base64url, 24 bytes of entropy) for generated passwords and cursor keys. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

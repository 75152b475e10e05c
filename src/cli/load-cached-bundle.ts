import { isAscii } from 'node:buffer';
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';

/**
 * Loads a CommonJS bundle the build wrote (dist/cli/validate-command.cjs) with the V8 code cache the build made for it,
 * so a command starts without compiling the bundle's functions again. ESM has no way to hand V8 cached data and Node
 * 20 has no compile cache of its own (`module.enableCompileCache` is 22.1+), hence a CommonJS file run as a `vm.Script`.
 *
 * The cache is a speed-up, never a different program: V8 accepts cached data whenever the source has the same length,
 * so the cache file records the SHA-256 of the source it was made from and is used only when that matches the source
 * just read. A missing, unreadable, malformed or stale cache, or one V8 rejects (another Node or V8 version, other V8
 * flags), means the bundle is compiled as usual. Nothing here writes the cache: package directories may be read-only
 * and several commands may start at once; the build writes it (scripts/warm-validate-cache.mjs).
 */

/** What became of the code cache in one load. */
export type CodeCacheUse =
  /** V8 took the cached data. */
  | 'used'
  /** No cache file, or reading it was not asked for. */
  | 'absent'
  /** The cache file could not be read (permissions, a directory, ...). */
  | 'unreadable'
  /** The cache file does not start with this module's header. */
  | 'malformed'
  /** The cache was made from another source text. */
  | 'stale'
  /** V8 refused the data (made by another V8 version or with other flags). */
  | 'rejected';

/** A bundle run by {@link loadCachedBundle}. */
export interface LoadedBundle<T> {
  /** What the bundle assigned to `module.exports`. */
  readonly exports: T;
  /** The compiled script; the build calls `createCachedData()` on it after a warm-up run. */
  readonly script: Script;
  /** SHA-256 (hex) of the bundle's source file, the digest a cache made from this script must record. */
  readonly digest: string;
  readonly cache: CodeCacheUse;
}

/** How {@link loadCachedBundle} loads a bundle. */
export interface LoadBundleOptions {
  /**
   * Modules handed to the bundle's `require` instead of being loaded, by specifier: modules the caller has already
   * imported and must share with the bundle (a class the caller tests with `instanceof`).
   */
  readonly provided?: Readonly<Record<string, unknown>>;
  /** Whether to read the code cache (default true); the build loads without it before making a new one. */
  readonly useCache?: boolean;
  /** The cache file (default: the bundle's path plus `.cache`). */
  readonly cacheFile?: string;
}

/** Version of the cache file's layout; a file of another layout is `malformed`. */
const HEADER_PREFIX = 'distill-intel code cache 1 sha256:';
/** Header: prefix, 64 hex digits of the source's SHA-256, a line feed; V8's data follows. */
const HEADER_BYTES = HEADER_PREFIX.length + 64 + 1;

/** The cache file of a bundle unless told otherwise. */
export function codeCacheFile(bundleFile: string): string {
  return `${bundleFile}.cache`;
}

/** SHA-256 (hex) of a bundle's source file (its bytes, UTF-8). */
export function sourceDigest(source: Uint8Array): string {
  return hash('sha256', source, 'hex');
}

/** A cache file's bytes: the header recording `digest`, then V8's cached data. */
export function encodeCodeCache(digest: string, data: Uint8Array): Buffer {
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new TypeError('a code cache records a SHA-256 digest as 64 lowercase hex digits');
  return Buffer.concat([Buffer.from(`${HEADER_PREFIX}${digest}\n`, 'latin1'), data]);
}

/** V8's cached data from a cache file's bytes, when the header is this module's and records `digest`. */
export function decodeCodeCache(bytes: Buffer, digest: string): Buffer | 'malformed' | 'stale' {
  const header = bytes.subarray(0, HEADER_BYTES).toString('latin1');
  if (bytes.length <= HEADER_BYTES || !header.startsWith(HEADER_PREFIX) || !header.endsWith('\n')) return 'malformed';
  if (header.slice(HEADER_PREFIX.length, -1) !== digest) return 'stale';
  return bytes.subarray(HEADER_BYTES);
}

function readCache(file: string, digest: string): Buffer | Exclude<CodeCacheUse, 'used' | 'rejected'> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
  return decodeCodeCache(bytes, digest);
}

/**
 * Runs the CommonJS bundle `file` as Node would run a `.cjs` module (the same wrapper function and arguments, its own
 * `require` resolving from its directory) and returns its exports, using the code cache when it was made from this
 * very source. Throws only what reading or running the bundle itself throws.
 */
export function loadCachedBundle<T>(file: string, options: LoadBundleOptions = {}): LoadedBundle<T> {
  // Hashed as read: hashing the decoded string would encode it back to UTF-8 first.
  const bytes = readFileSync(file);
  const digest = sourceDigest(bytes);
  // An ASCII file (as the build writes it) read as Latin-1 is the same text, decoded faster into a one-byte string.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cached = options.useCache === false ? 'absent' : readCache(options.cacheFile ?? codeCacheFile(file), digest);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: typeof cached === 'string' ? undefined : cached,
    // `import()` inside the bundle resolves as it would in a module of the main context.
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CodeCacheUse = typeof cached === 'string' ? cached : script.cachedDataRejected === true ? 'rejected' : 'used';
  const provided = options.provided ?? {};
  const requireFromFile = createRequire(file);
  const bundleRequire = (specifier: string): unknown => (Object.hasOwn(provided, specifier) ? provided[specifier] : requireFromFile(specifier));
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, bundleRequire, module, file, dirname(file));
  return { exports: module.exports as T, script, digest, cache };
}

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TaxiiAuth, TaxiiClientOptions } from '../taxii/client/index.js';
import { TaxiiClient, TaxiiHttpError, TaxiiProtocolError } from '../taxii/client/index.js';
import type { TaxiiCollection } from '../taxii/client/index.js';
import type { Collection } from '../taxii/protocol/resources.js';
import { DistillIntelError } from '../errors.js';
import { UsageError } from './io.js';
import type { CliIo } from './io.js';

/**
 * The connection options `push` and `pull` share: `--url`, `--collection`, credentials, CA. Credentials come from
 * flags, else the environment (`DISTILL_INTEL_USER`, `DISTILL_INTEL_TOKEN`), else a credentials file; they go straight
 * into the client's auth option and are never printed, not even in usage errors.
 */

/** Option definitions for `node:util` `parseArgs`, merged into each command's own. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  collection: { type: 'string' },
  user: { type: 'string' },
  token: { type: 'string' },
  'token-scheme': { type: 'string' },
  header: { type: 'string' },
  credentials: { type: 'string' },
  ca: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** Help text for the shared options (each command's help includes it). */
export const CONNECTION_HELP = `Connection:
  --url <url>              API-root URL (e.g. https://hub.example.org/api1/) or discovery URL
                           (https://hub.example.org/taxii2/, then its default API root is used); a server
                           alone (https://hub.example.org) tries discovery at /taxii2/, then the URL as API root
  --collection <c>         collection id, alias or title
  --user <name:password>   HTTP Basic credentials (env DISTILL_INTEL_USER)
  --token <token>          API token sent as "Authorization: Bearer <token>" (env DISTILL_INTEL_TOKEN)
  --token-scheme <s>       bearer (default) or token ("Authorization: Token <token>", as XSOAR sends it)
  --header <Name:value>    credentials in a custom header, e.g. "X-Api-Key:abc"
  --credentials <file>     JSON file {"user":"name:password"} or {"token":"..."} or {"header":"Name:value"};
                           used when no flag or variable gives credentials (keep it readable by you only)
  --ca <file>              PEM file of the CA that signed the server's certificate (private CAs)
  --timeout <seconds>      give up on a request after this long (default 60)
Credentials on the command line are visible to other local users (ps); prefer the environment or --credentials.`;

/** Parsed connection options. */
export interface ConnectionArgs {
  readonly url: string;
  readonly collection: string;
  readonly auth: TaxiiAuth | undefined;
  readonly caFile: string | undefined;
  readonly timeoutMs: number | undefined;
}

/** A connection problem that is not the user's typing: unreachable server, unknown collection (exit 3). */
export class ConnectionError extends DistillIntelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLI_CONNECTION', message, options);
  }
}

type Values = Partial<Record<keyof typeof CONNECTION_OPTIONS, string | undefined>>;

function basic(value: string, origin: string): TaxiiAuth {
  const i = value.indexOf(':');
  if (i <= 0) throw new UsageError(`${origin} must be name:password`);
  const username = value.slice(0, i);
  return { type: 'basic', username, password: value.slice(i + 1) };
}

function customHeader(value: string, origin: string): TaxiiAuth {
  const i = value.indexOf(':');
  if (i <= 0) throw new UsageError(`${origin} must be Name:value`);
  return { type: 'header', name: value.slice(0, i).trim(), value: value.slice(i + 1).trim() };
}

function token(value: string, scheme: string | undefined, origin: string): TaxiiAuth {
  if (value.trim() === '') throw new UsageError(`${origin} must not be empty`);
  return scheme === 'token' ? { type: 'token', token: value } : { type: 'bearer', token: value };
}

/** Credentials from one source; more than one scheme at the same level is a usage error. */
function pick(candidates: Array<TaxiiAuth | undefined>, level: string): TaxiiAuth | undefined {
  const given = candidates.filter((c): c is TaxiiAuth => c !== undefined);
  if (given.length > 1) throw new UsageError(`give one kind of credentials ${level} (user, token or header), not several`);
  return given[0];
}

function fromCredentialsFile(path: string, io: CliIo, scheme: string | undefined): TaxiiAuth {
  const full = resolve(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    throw new UsageError(`--credentials ${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const mode = statSync(full).mode;
    if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
      io.stderr.write(`distill-intel: warning: ${path} is readable by other users; chmod 600 it\n`);
    }
  } catch {
    // The read above succeeded; a failing stat only loses the warning.
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--credentials ${path}: not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new UsageError(`--credentials ${path}: expected a JSON object`);
  const o = parsed as Record<string, unknown>;
  const origin = `--credentials ${path}`;
  const str = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new UsageError(`${origin}: "${k}" must be a string`);
    return v;
  };
  const user = str('user');
  const tok = str('token');
  const header = str('header');
  const tokenScheme = str('token_scheme') ?? scheme;
  const auth = pick(
    [
      user === undefined ? undefined : basic(user, `"user" in ${path}`),
      tok === undefined ? undefined : token(tok, tokenScheme, `"token" in ${path}`),
      header === undefined ? undefined : customHeader(header, `"header" in ${path}`),
    ],
    `in ${path}`,
  );
  if (auth === undefined) throw new UsageError(`${origin}: expected "user", "token" or "header"`);
  return auth;
}

/** Reads the shared options (from flags, environment, credentials file) and checks them. */
export function parseConnectionArgs(values: Values, io: CliIo): ConnectionArgs {
  const url = values.url;
  if (url === undefined || url.trim() === '') throw new UsageError('--url is required (an API-root or discovery URL)');
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    // Do not echo the URL: it may carry user:password.
    throw new UsageError('--url must be an absolute http:// or https:// URL');
  }
  const collection = values.collection;
  if (collection === undefined || collection.trim() === '') throw new UsageError('--collection is required (id, alias or title)');
  const scheme = values['token-scheme'];
  if (scheme !== undefined && scheme !== 'bearer' && scheme !== 'token') throw new UsageError('--token-scheme must be bearer or token');

  let auth = pick(
    [
      values.user === undefined ? undefined : basic(values.user, '--user'),
      values.token === undefined ? undefined : token(values.token, scheme, '--token'),
      values.header === undefined ? undefined : customHeader(values.header, '--header'),
    ],
    'on the command line',
  );
  if (auth === undefined) {
    const envUser = io.env['DISTILL_INTEL_USER'];
    const envToken = io.env['DISTILL_INTEL_TOKEN'];
    auth = pick(
      [
        envUser === undefined || envUser === '' ? undefined : basic(envUser, 'DISTILL_INTEL_USER'),
        envToken === undefined || envToken === '' ? undefined : token(envToken, scheme, 'DISTILL_INTEL_TOKEN'),
      ],
      'in the environment',
    );
  }
  if (auth === undefined && values.credentials !== undefined) auth = fromCredentialsFile(values.credentials, io, scheme);

  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!Number.isFinite(s) || s <= 0) throw new UsageError('--timeout must be a positive number of seconds');
    timeoutMs = Math.round(s * 1000);
  }
  return { url, collection, auth, caFile: values.ca, timeoutMs };
}

/** Builds the client for parsed connection options. */
export function createClient(args: ConnectionArgs, io: CliIo, extra: Partial<TaxiiClientOptions> = {}): TaxiiClient {
  const options: Record<string, unknown> = { url: args.url, ...extra };
  if (args.auth !== undefined) options['auth'] = args.auth;
  if (args.caFile !== undefined) {
    try {
      options['tls'] = { ca: readFileSync(resolve(io.cwd, args.caFile), 'utf8') };
    } catch (err) {
      throw new UsageError(`--ca ${args.caFile}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  if (args.timeoutMs !== undefined) {
    options['timeouts'] = { headersMs: args.timeoutMs, bodyMs: args.timeoutMs, connectMs: Math.min(args.timeoutMs, 10_000) };
  }
  return new TaxiiClient(options as unknown as TaxiiClientOptions);
}

/** True for a URL naming a server only (`http://host:port`, `http://host:port/`): no path, query or fragment. */
export function isServerOnlyUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.pathname === '/' && u.search === '' && u.hash === '';
  } catch {
    return false;
  }
}

/** A failure of the discovery probe that means "nothing TAXII here", as opposed to "TAXII here, but it refused you". */
function notFoundThere(err: unknown): boolean {
  if (err instanceof TaxiiProtocolError) return true;
  return err instanceof TaxiiHttpError && [400, 404, 405, 406, 410, 415].includes(err.httpStatus);
}

/** `HTTP 404` or `not a TAXII answer`: why the probe found nothing, in a few words. */
function whyNot(err: unknown): string {
  if (err instanceof TaxiiHttpError) return `HTTP ${err.httpStatus}`;
  if (err instanceof TaxiiProtocolError) return `not a TAXII answer: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The client for parsed connection options, after finding out what a server-only \`--url\` names. An API-root or
 * discovery URL is used as it is. \`http://host:port\` first tries discovery at \`/taxii2/\` (TAXII 2.1 §4.1's
 * conventional location): a discovery resource there gives its default API root, or its only one; several without a
 * default is an error that lists them. When nothing TAXII answers there, the URL is tried as an API root (§4.2: its
 * information resource must answer), and when that fails too the error says what was tried.
 *
 * @throws ConnectionError when neither works or discovery cannot pick an API root; client errors (401, network...) as they come.
 */
export async function connectClient(args: ConnectionArgs, io: CliIo, extra: Partial<TaxiiClientOptions> = {}): Promise<TaxiiClient> {
  if (!isServerOnlyUrl(args.url)) return createClient(args, io, extra);
  const given = new URL(args.url);
  const server = `${given.protocol}//${given.host}`;
  const discoveryUrl = new URL('/taxii2/', given).href;
  const probe = createClient({ ...args, url: discoveryUrl }, io, extra);
  let discoveryFailure: unknown;
  try {
    const info = await probe.discover();
    if (info.defaultApiRootUrl !== undefined || info.apiRootUrls.length === 1) return probe;
    const roots = info.apiRootUrls.map((u) => u.href);
    throw new ConnectionError(
      roots.length === 0
        ? `${server}/taxii2/ is a TAXII discovery resource that lists no API roots: ask the server's operator for an API-root URL`
        : `${server}/taxii2/ lists ${roots.length} API roots and names no default: give one with --url (${roots.join(', ')})`,
    );
  } catch (err) {
    await probe.close();
    if (!notFoundThere(err)) throw err;
    discoveryFailure = err;
  }
  const client = createClient(args, io, extra);
  try {
    await client.information();
    return client;
  } catch (err) {
    await client.close();
    if (!notFoundThere(err)) throw err;
    throw new ConnectionError(
      `no TAXII server found at ${server}: no discovery resource at ${server}/taxii2/ (${whyNot(discoveryFailure)}) and no API root at ${server}/ (${whyNot(err)}); ` +
        `give the API-root URL (e.g. ${server}/api1/) or the discovery URL`,
    );
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Picks the collection a `--collection` value names among a listing: id, then alias, then title (exact, then any case). */
export function findCollection(collections: readonly Collection[], key: string): Collection | { ambiguous: Collection[] } | undefined {
  const byId = collections.find((c) => c.id === key);
  if (byId !== undefined) return byId;
  const byAlias = collections.find((c) => c.alias === key);
  if (byAlias !== undefined) return byAlias;
  for (const match of [(c: Collection) => c.title === key, (c: Collection) => c.title.toLowerCase() === key.toLowerCase()]) {
    const found = collections.filter(match);
    if (found.length === 1) return found[0];
    if (found.length > 1) return { ambiguous: found };
  }
  return undefined;
}

/**
 * Resolves `--collection` to a collection handle. An id is used as it is; an alias or title is looked up in the API
 * root's collection list (titles are what XSOAR users type; they must then be unique).
 *
 * @throws ConnectionError when nothing or several collections match.
 */
export async function resolveCollection(client: TaxiiClient, key: string): Promise<{ collection: TaxiiCollection; info: Collection | undefined }> {
  if (UUID_RE.test(key)) return { collection: client.collection(key), info: undefined };
  const all = await client.collections();
  const found = findCollection(all, key);
  if (found === undefined) {
    const known = all.map((c) => `${c.id}${c.alias === undefined ? '' : ` (alias ${c.alias})`} "${c.title}"`).join('; ');
    throw new ConnectionError(`no collection with id, alias or title "${key}" at this API root${known === '' ? '' : `; collections: ${known}`}`);
  }
  if ('ambiguous' in found) {
    throw new ConnectionError(`several collections are titled "${key}" (${found.ambiguous.map((c) => c.id).join(', ')}); give the id`);
  }
  return { collection: client.collection(found.id), info: found };
}

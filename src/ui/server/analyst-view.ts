import { TaxiiError } from '../../taxii/protocol/errors.js';
import type { TaxiiRequest, TaxiiResponse } from '../../taxii/server/exchange.js';
import type { MountContext, ServerMount } from '../../taxii/server/mount.js';
import type { Asset, ViewAssets } from './assets.js';
import { DEFAULT_ASSETS_DIR, loadViewAssets, shellHtml } from './assets.js';
import type { ViewLimits } from './view-api.js';
import type { TrustStore } from '../../provenance/trust-store.js';
import { DEFAULT_VIEW_LIMITS, readableCollections, ViewApi } from './view-api.js';

/** Options of {@link createAnalystView}. */
export interface AnalystViewOptions {
  /** Path prefix below the server's base path (default `/ui/`). */
  readonly prefix?: string;
  /** Folder holding the built `app.js` and `app.css` (default: the package's `dist/ui-assets/`). */
  readonly assetsDir?: string;
  /** Bounds of the data endpoints (see {@link ViewLimits}). */
  readonly limits?: Partial<ViewLimits>;
  /** Producers' keys: object pages show whether signatures are trusted, corroboration counts only verified sightings. */
  readonly trust?: TrustStore;
}

/**
 * What the browser may do with the view's pages: scripts, styles and data only from this server, no inline script or
 * style, no plugins, no framing, no form posts, no base-URL tricks. Strings from other labs reach the page as text,
 * and even a rendering bug could not run them.
 */
export const VIEW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': VIEW_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

function respond(status: number, contentType: string, body: string | Uint8Array, cache: string, extra: Record<string, string> = {}): TaxiiResponse {
  return { status, headers: { ...SECURITY_HEADERS, 'content-type': contentType, 'cache-control': cache, ...extra }, body };
}

function jsonResponse(value: unknown): TaxiiResponse {
  return respond(200, 'application/json; charset=utf-8', JSON.stringify(value), 'no-store');
}

function assetResponse(req: TaxiiRequest, asset: Asset): TaxiiResponse {
  const etag = `"${asset.version}"`;
  // Assets are the same for everyone (code, no data), so they are served without credentials and may be cached.
  if (req.header('if-none-match') === etag) return { status: 304, headers: { ...SECURITY_HEADERS, etag, 'cache-control': 'public, max-age=3600' } };
  return respond(200, asset.contentType, asset.body, 'public, max-age=3600', { etag });
}

function segments(path: string): string[] {
  return path.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new TaxiiError(400, 'the path is not valid percent-encoding', { errorCode: 'bad-request' });
    }
  });
}

/**
 * The analyst view: a small web application mounted in the TAXII server (`/ui/` by default) that shows collections,
 * campaigns as graphs with their request-volume timeline and the labs that sighted them, and objects with their exact
 * JSON, versions and markings. It authenticates with the server's own principals and shows only collections the user
 * may read; every data request is bounded (see {@link ViewLimits}).
 *
 * @example
 * ```ts
 * const server = createTaxiiServer({ store, apiRoots, auth, mounts: [createAnalystView()] });
 * ```
 */
export function createAnalystView(options: AnalystViewOptions = {}): ServerMount {
  const limits: ViewLimits = { ...DEFAULT_VIEW_LIMITS, ...options.limits };
  if (!Number.isSafeInteger(limits.pageSize) || limits.pageSize < 1 || limits.pageSize > 500) {
    throw new RangeError('analyst view: limits.pageSize must be an integer from 1 to 500');
  }
  for (const key of ['scanRows', 'maxNodes', 'maxDepth', 'maxVersions'] as const) {
    if (!Number.isSafeInteger(limits[key]) || limits[key] < 1) throw new RangeError(`analyst view: limits.${key} must be a positive integer`);
  }
  let assets: Promise<ViewAssets> | undefined;
  const getAssets = (): Promise<ViewAssets> => {
    assets ??= loadViewAssets(options.assetsDir ?? DEFAULT_ASSETS_DIR);
    // A failed load is retried on the next request (the bundle may be built while the server runs).
    assets.catch(() => (assets = undefined));
    return assets;
  };
  let api: ViewApi | undefined;

  return {
    prefix: options.prefix ?? '/ui/',
    async handle(req: TaxiiRequest, ctx: MountContext): Promise<TaxiiResponse> {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new TaxiiError(405, `${req.method} is not supported by the analyst view; use GET`, { errorCode: 'method-not-allowed', details: { allow: 'GET, HEAD' } });
      }
      if (ctx.path === 'assets/app.js') return assetResponse(req, (await getAssets()).script);
      if (ctx.path === 'assets/app.css') return assetResponse(req, (await getAssets()).style);

      const principal = await ctx.authenticate();
      // An anonymous visitor who can read nothing is asked to sign in (the browser shows its credentials prompt).
      if (principal.anonymous && readableCollections(ctx.state, principal).length === 0) {
        throw new TaxiiError(401, 'authentication is required', { errorCode: 'unauthorized' });
      }
      if (ctx.path === '') return respond(200, 'text/html; charset=utf-8', shellHtml(await getAssets()), 'no-store');
      api ??= new ViewApi(ctx.state, limits, options.trust);
      const parts = segments(ctx.path);
      const params = new URLSearchParams(ctx.query);
      // api/collections[/{root}/{collection}/(objects[/{id}] | campaigns/{id} | corroboration)]
      if (parts[0] === 'api' && parts[1] === 'collections') {
        if (parts.length === 2) return jsonResponse(api.collections(principal));
        const [, , root, key, what, id, extra] = parts;
        if (root !== undefined && key !== undefined && extra === undefined) {
          if (what === 'objects' && (id === undefined || id === '')) return jsonResponse(await api.objects(principal, root, key, params));
          if (what === 'objects' && id !== undefined) return jsonResponse(await api.object(principal, root, key, id));
          if (what === 'campaigns' && id !== undefined && id !== '') return jsonResponse(await api.campaign(principal, root, key, id));
          if (what === 'corroboration' && (id === undefined || id === '')) return jsonResponse(await api.corroboration(principal, root, key));
        }
      }
      throw new TaxiiError(404, 'no analyst view page at this path', { errorCode: 'not-found' });
    },
  };
}

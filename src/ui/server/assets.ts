import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** One built asset, kept in memory with its validator. */
export interface Asset {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Strong ETag and cache-busting version (first 16 hex digits of its SHA-256). */
  readonly version: string;
}

/** The analyst view's built browser files (`npm run build` writes them with esbuild). */
export interface ViewAssets {
  readonly script: Asset;
  readonly style: Asset;
}

/**
 * Where the build puts the bundle: `<package>/dist/ui-assets/`. The same path is reached from the compiled module
 * (`dist/ui/server/`) and from the source (`src/ui/server/`), so tests that run the sources serve the built bundle.
 */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../../dist/ui-assets/', import.meta.url));

/** Thrown when the bundle has not been built; says what to run. */
export class ViewAssetsMissingError extends Error {
  readonly code = 'UI_ASSETS_MISSING';
  constructor(dir: string, cause: unknown) {
    super(`the analyst view's browser bundle is missing from ${dir} (run "npm run build", which bundles it with esbuild)`, { cause });
    this.name = 'ViewAssetsMissingError';
  }
}

async function load(path: string, contentType: string): Promise<Asset> {
  const body = await readFile(path);
  return { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 16) };
}

/** Reads the bundle (`app.js`, `app.css`) from `dir`. */
export async function loadViewAssets(dir: string = DEFAULT_ASSETS_DIR): Promise<ViewAssets> {
  const base = dir.endsWith('/') ? dir : `${dir}/`;
  try {
    const [script, style] = await Promise.all([load(`${base}app.js`, 'text/javascript; charset=utf-8'), load(`${base}app.css`, 'text/css; charset=utf-8')]);
    return { script, style };
  } catch (err) {
    throw new ViewAssetsMissingError(base, err);
  }
}

/**
 * The one HTML page of the view. It carries no inline script or style (the Content-Security-Policy forbids both) and
 * no data: the bundle fetches everything from `api/` and renders it as text. The stylesheet link has the id Cytoscape
 * looks for, so Cytoscape does not try to inject an inline `<style>` element the policy would block.
 */
export function shellHtml(assets: ViewAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>distill-intel analyst view</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" id="__________cytoscape_stylesheet" href="assets/app.css?v=${assets.style.version}">
<script type="module" src="assets/app.js?v=${assets.script.version}"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="#/">distill-intel</a><nav aria-label="Breadcrumb"><ol id="crumbs"></ol></nav></header>
<main id="main" tabindex="-1"><p class="loading" role="status">Loading…</p></main>
</body>
</html>
`;
}

import type { PageFrame } from './page.js';
import { showError } from './page.js';
import { campaignPage } from './pages/campaign.js';
import { collectionPage } from './pages/collection.js';
import { collectionsPage } from './pages/collections.js';
import { objectPage } from './pages/object.js';

/**
 * The analyst view's entry point: hash routes, so the server serves one page and every link stays inside it.
 * `#/`, `#/c/{root}/{collection}`, `#/c/{root}/{collection}/campaign/{id}`, `#/c/{root}/{collection}/object/{id}`.
 */
function route(frame: PageFrame): Promise<void> {
  const hash = location.hash.startsWith('#/') ? location.hash : '#/';
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const [first, root, key, what, id] = parts;
  if (first === 'c' && root !== undefined && key !== undefined) {
    if (what === 'campaign' && id !== undefined) return campaignPage(frame, root, key, id);
    if (what === 'object' && id !== undefined) return objectPage(frame, root, key, id);
    if (what === undefined) return collectionPage(frame, root, key);
  }
  if (parts.length === 0) return collectionsPage(frame);
  return Promise.reject(new Error('there is no page at this address'));
}

function start(): void {
  const main = document.getElementById('main');
  const crumbs = document.getElementById('crumbs');
  if (main === null || crumbs === null) return;
  const frame: PageFrame = { main, crumbs, navigated: false };
  const go = (): void => {
    route(frame).catch((err: unknown) => showError(frame, err instanceof Error ? err.message : String(err)));
  };
  window.addEventListener('hashchange', () => {
    // In-page anchors (the skip link's `#main`) are not routes: the browser moves focus itself.
    if (!location.hash.startsWith('#/')) return;
    frame.navigated = true;
    go();
  });
  go();
}

start();

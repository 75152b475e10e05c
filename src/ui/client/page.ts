import { h, replace } from './dom.js';

/** Where pages render, and the breadcrumb trail above them. */
export interface PageFrame {
  readonly main: HTMLElement;
  readonly crumbs: HTMLElement;
  /**
   * False for the first page after loading (focus stays where the browser puts it, so the skip link comes first);
   * true after a navigation inside the view, when focus moves to the new content as a screen-reader user expects.
   */
  navigated: boolean;
}

/** Sets the page title, breadcrumbs and content, and moves keyboard focus to the new content. */
export function showPage(frame: PageFrame, title: string, trail: Trail, ...content: (Node | null)[]): void {
  document.title = `${title} · distill-intel`;
  replace(
    frame.crumbs,
    ...trail.map(([text, href], i) =>
      h('li', {}, href !== undefined && i < trail.length - 1 ? h('a', { href }, text) : h('span', { 'aria-current': i === trail.length - 1 ? 'page' : undefined }, text)),
    ),
  );
  replace(frame.main, ...content);
  if (frame.navigated) frame.main.focus({ preventScroll: false });
}

/** A breadcrumb trail: text and link, the last entry (the page itself) without a link. */
export type Trail = readonly (readonly [string, string | undefined])[];

/** The trail of a page about one item of a collection (a campaign, an object): Collections › collection › item. */
export function itemTrail(collectionTitle: string, root: string, key: string, item: string): Trail {
  return [
    ['Collections', '#/'],
    [collectionTitle, `#/c/${encodeURIComponent(root)}/${encodeURIComponent(key)}`],
    [item, undefined],
  ];
}

/** A failure shown in place of a page. */
export function showError(frame: PageFrame, message: string): void {
  replace(frame.main, h('div', { class: 'error', role: 'alert' }, h('h1', {}, 'Could not load this page'), h('p', {}, message), h('p', {}, h('a', { href: '#/' }, 'Back to the collections'))));
  if (frame.navigated) frame.main.focus();
}

/** Formats an ISO timestamp for people: date and minutes, in UTC. */
export function when(iso: string | undefined): string {
  if (iso === undefined) return '–';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

/** A whole number with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

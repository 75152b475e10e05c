/**
 * The only way the view puts anything on the page. Text always goes in as text nodes (never parsed as HTML), links
 * only ever point inside the view, and attributes come from a fixed list, so a hostile string in a STIX object can
 * change what a label says but never what the page does.
 */

type Child = Node | string | number | null | undefined | false;

const ALLOWED_ATTRIBUTES = new Set([
  'class',
  'id',
  'role',
  'tabindex',
  'type',
  'scope',
  'title',
  'for',
  'name',
  'value',
  'colspan',
  'lang',
  'hidden',
  'disabled',
  'selected',
  'open',
]);

/** A view-internal link target: the hash routes only (`#/...`). */
export function isInternalHref(href: string): boolean {
  return /^#\/[^\s]*$/.test(href);
}

/** Creates an element with attributes and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'href') {
      if (typeof value !== 'string' || !isInternalHref(value)) throw new Error(`refused link target ${String(value)}`);
      el.setAttribute('href', value);
    } else if (ALLOWED_ATTRIBUTES.has(name) || name.startsWith('aria-') || name.startsWith('data-')) {
      el.setAttribute(name, value === true ? '' : value);
    } else throw new Error(`attribute ${name} is not allowed`);
  }
  append(el, ...children);
  return el;
}

/** Appends children (strings as text). */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A route link; the path segments are percent-encoded. */
export function link(text: string, ...segments: string[]): HTMLAnchorElement {
  return h('a', { href: `#/${segments.map(encodeURIComponent).join('/')}` }, text);
}

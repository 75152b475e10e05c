import type { CollectionSummary, ObjectList, ObjectListItem } from '../../view-model.js';
import { apiPath, getJson } from '../api.js';
import { kindBadge, tlpBadge } from '../badges.js';
import { append, h, link, replace } from '../dom.js';
import type { PageFrame } from '../page.js';
import { corroborationSection } from '../corroboration-table.js';
import { showPage, when } from '../page.js';

/** Types offered in the object filter (anything else is still listed under "all types"). */
const TYPE_FILTER = [
  'campaign',
  'indicator',
  'sighting',
  'infrastructure',
  'ai-service-account',
  'prompt-fingerprint',
  'ai-model',
  'attack-pattern',
  'identity',
  'relationship',
  'observed-data',
  'note',
  'report',
];

function objectRow(root: string, key: string, item: ObjectListItem): HTMLTableRowElement {
  const target = item.type === 'campaign' ? link(item.name, 'c', root, key, 'campaign', item.id) : link(item.name, 'c', root, key, 'object', item.id);
  return h('tr', {}, h('td', {}, target), h('td', {}, kindBadge(item.type)), h('td', {}, tlpBadge(item.tlp)), h('td', {}, when(item.version)), h('td', {}, when(item.dateAdded)));
}

/** A paged table of a collection's objects: "Load more" fetches the next page and keeps focus in place. */
function pagedTable(root: string, key: string, caption: string, types: readonly string[]): HTMLElement {
  const tbody = h('tbody', {});
  const status = h('p', { class: 'status', role: 'status' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Load more');
  let next: string | undefined;
  let shown = 0;
  const load = async (): Promise<void> => {
    more.disabled = true;
    const params = new URLSearchParams();
    for (const t of types) params.append('type', t);
    if (next !== undefined) params.set('after', next);
    const page = await getJson<ObjectList>(`collections/${apiPath(root, key)}/objects/?${params.toString()}`);
    append(tbody, ...page.items.map((item) => objectRow(root, key, item)));
    shown += page.items.length;
    next = page.next;
    more.hidden = next === undefined;
    more.disabled = false;
    status.textContent = shown === 0 ? 'Nothing here yet.' : `${shown} shown${next === undefined ? '' : ', more available'}`;
  };
  more.addEventListener('click', () => void load().catch((err: unknown) => (status.textContent = String(err))));
  void load().catch((err: unknown) => (status.textContent = String(err)));
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'grid' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Marking'), h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Added'))),
      tbody,
    ),
    status,
    more,
  );
}

/** A collection: its campaigns first, then every object, filterable by type. */
export async function collectionPage(frame: PageFrame, root: string, key: string): Promise<void> {
  const all = await getJson<CollectionSummary[]>('collections');
  const c = all.find((x) => x.apiRoot === root && (x.id === key || x.alias === key));
  if (c === undefined) throw new Error('the collection was not found, or you do not have access to it');
  const objectsHolder = h('div', {});
  const select = h('select', { id: 'type-filter', name: 'type' }, h('option', { value: '' }, 'all types'), ...TYPE_FILTER.map((t) => h('option', { value: t }, t)));
  const showObjects = (): void => replace(objectsHolder, pagedTable(root, key, select.value === '' ? 'Objects' : `Objects of type ${select.value}`, select.value === '' ? [] : [select.value]));
  select.addEventListener('change', showObjects);
  showObjects();
  showPage(
    frame,
    c.title,
    [
      ['Collections', '#/'],
      [c.title, undefined],
    ],
    h('h1', {}, c.title),
    c.description !== undefined ? h('p', { class: 'lead' }, c.description) : null,
    h('section', { 'aria-labelledby': 'campaigns-h' }, h('h2', { id: 'campaigns-h' }, 'Campaigns'), pagedTable(root, key, 'Campaigns in this collection', ['campaign'])),
    h('section', { 'aria-labelledby': 'corroboration-h' }, h('h2', { id: 'corroboration-h' }, 'Corroboration'), corroborationSection(root, key)),
    h('section', { 'aria-labelledby': 'objects-h' }, h('h2', { id: 'objects-h' }, 'All objects'), h('p', {}, h('label', { for: 'type-filter' }, 'Show '), select), objectsHolder),
  );
}

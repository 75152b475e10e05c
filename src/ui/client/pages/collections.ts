import type { CollectionSummary } from '../../view-model.js';
import { getJson } from '../api.js';
import { h, link } from '../dom.js';
import type { PageFrame } from '../page.js';
import { showPage } from '../page.js';

/** The collections the signed-in user may read. */
export async function collectionsPage(frame: PageFrame): Promise<void> {
  const list = await getJson<CollectionSummary[]>('collections');
  const body =
    list.length === 0
      ? h('p', {}, 'These credentials may not read any collection.')
      : h(
          'table',
          { class: 'grid' },
          h('caption', {}, `${list.length} collection${list.length === 1 ? '' : 's'} you may read`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Collection'), h('th', { scope: 'col' }, 'API root'), h('th', { scope: 'col' }, 'Description'), h('th', { scope: 'col' }, 'Access'))),
          h(
            'tbody',
            {},
            ...list.map((c) =>
              h(
                'tr',
                {},
                h('td', {}, link(c.title, 'c', c.apiRoot, c.alias ?? c.id)),
                h('td', {}, c.apiRoot),
                h('td', {}, c.description ?? ''),
                h('td', {}, c.canWrite ? 'read, write' : 'read'),
              ),
            ),
          ),
        );
  showPage(frame, 'Collections', [['Collections', undefined]], h('h1', {}, 'Collections'), body);
}

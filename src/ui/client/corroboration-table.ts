import type { CorroborationView } from '../view-model.js';
import { apiPath, getJson } from './api.js';
import { kindBadge } from './badges.js';
import { h, link, replace } from './dom.js';
import { count, when } from './page.js';

/** Rows shown; the rest is counted (the table is sorted by the report: most corroborated first). */
const ROW_LIMIT = 200;

/** Which shared objects other labs sighted, and how far that raises confidence. Loads on its own. */
export function corroborationSection(root: string, key: string): HTMLElement {
  const holder = h('div', { id: 'corroboration' }, h('p', { class: 'status', role: 'status' }, 'Loading sightings…'));
  void getJson<CorroborationView>(`collections/${apiPath(root, key)}/corroboration`).then(
    (report) => {
      const name = (id: string): string => report.labNames[id] ?? id;
      if (report.rows.length === 0) {
        replace(holder, h('p', {}, 'No lab has reported a sighting of anything in this collection yet.'));
        return;
      }
      replace(
        holder,
        report.verified ? null : h('p', { class: 'warning', role: 'note' }, 'Sightings are not checked against a trust store: any member could sight under several identities, so these counts are unverified.'),
        report.truncated ? h('p', { class: 'warning', role: 'note' }, 'This collection holds more sightings than the view reads at once: the table counts the first of them.') : null,
        h(
          'table',
          { class: 'grid', id: 'corroboration-table' },
          h('caption', {}, `${count(report.rows.length)} sighted object${report.rows.length === 1 ? '' : 's'}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Object'),
              h('th', { scope: 'col' }, 'Type'),
              h('th', { scope: 'col' }, 'Independent labs'),
              h('th', { scope: 'col' }, 'Sightings'),
              h('th', { scope: 'col' }, 'Times seen'),
              h('th', { scope: 'col' }, 'First seen'),
              h('th', { scope: 'col' }, 'Last seen'),
              h('th', { scope: 'col' }, 'Confidence'),
            ),
          ),
          h(
            'tbody',
            {},
            ...report.rows.slice(0, ROW_LIMIT).map((r) =>
              h(
                'tr',
                {},
                h('td', {}, r.type === 'campaign' ? link(r.name, 'c', root, key, 'campaign', r.object) : link(r.name, 'c', root, key, 'object', r.object)),
                h('td', {}, kindBadge(r.type)),
                h('td', {}, r.independentLabs.length === 0 ? '–' : r.independentLabs.map(name).join(', '), r.unverifiedLabs.length > 0 ? ` (unverified: ${r.unverifiedLabs.map(name).join(', ')})` : ''),
                h('td', { class: 'num' }, count(r.sightings)),
                h('td', { class: 'num' }, count(r.totalCount)),
                h('td', {}, when(r.firstSeen)),
                h('td', {}, when(r.lastSeen)),
                h('td', { class: 'num' }, `${r.baseConfidence} → ${r.confidence}`),
              ),
            ),
          ),
        ),
        report.rows.length > ROW_LIMIT ? h('p', {}, `… and ${count(report.rows.length - ROW_LIMIT)} more`) : null,
      );
    },
    (err: unknown) => replace(holder, h('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err))),
  );
  return holder;
}

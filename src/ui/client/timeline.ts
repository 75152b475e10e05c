import type { VolumePoint } from '../view-model.js';
import { h } from './dom.js';
import { count, when } from './page.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 180;
const PAD = { left: 64, right: 12, top: 10, bottom: 28 };
const LAB_COLOURS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#4e342e', '#ad1457'];

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Request volume over time, one bar per reported interval (its width the interval, its height the requests), one
 * colour per lab, with the same numbers in a table beneath for screen readers and copying.
 */
export function timelineChart(points: readonly VolumePoint[]): HTMLElement {
  if (points.length === 0) return h('p', {}, 'No request-volume sightings for this campaign yet.');
  const starts = points.map((p) => Date.parse(p.start));
  const ends = points.map((p, i) => Math.max(Date.parse(p.end), (starts[i] as number) + 1));
  const t0 = Math.min(...starts);
  const t1 = Math.max(...ends);
  const peak = Math.max(...points.map((p) => p.requests), 1);
  const x = (t: number): number => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number): number => HEIGHT - PAD.bottom - (v / peak) * (HEIGHT - PAD.top - PAD.bottom);
  const labs = [...new Set(points.map((p) => p.lab))];
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'timeline', 'aria-labelledby': 'timeline-title' });
  const title = svg('title', { id: 'timeline-title' });
  title.textContent = `Requests per reported interval from ${when(points[0]?.start)} to ${when(points[points.length - 1]?.end)}; peak ${count(peak)}`;
  chart.appendChild(title);
  chart.appendChild(svg('line', { x1: PAD.left, y1: HEIGHT - PAD.bottom, x2: WIDTH - PAD.right, y2: HEIGHT - PAD.bottom, stroke: '#333' }));
  chart.appendChild(svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: HEIGHT - PAD.bottom, stroke: '#333' }));
  const label = (text: string, attrs: Record<string, string | number>): void => {
    const t = svg('text', { 'font-size': 11, fill: '#222', ...attrs });
    t.textContent = text;
    chart.appendChild(t);
  };
  label(count(peak), { x: PAD.left - 6, y: PAD.top + 8, 'text-anchor': 'end' });
  label('0', { x: PAD.left - 6, y: HEIGHT - PAD.bottom, 'text-anchor': 'end' });
  label(when(new Date(t0).toISOString()), { x: PAD.left, y: HEIGHT - 8 });
  label(when(new Date(t1).toISOString()), { x: WIDTH - PAD.right, y: HEIGHT - 8, 'text-anchor': 'end' });
  points.forEach((p, i) => {
    const left = x(starts[i] as number);
    const width = Math.max(2, x(ends[i] as number) - left);
    const bar = svg('rect', { x: left, y: y(p.requests), width, height: HEIGHT - PAD.bottom - y(p.requests), fill: LAB_COLOURS[labs.indexOf(p.lab) % LAB_COLOURS.length] as string, 'fill-opacity': 0.8 });
    const tip = svg('title', {});
    tip.textContent = `${p.lab}: ${count(p.requests)} requests${p.accounts !== undefined ? ` from ${count(p.accounts)} accounts` : ''}, ${when(p.start)} – ${when(p.end)}`;
    bar.appendChild(tip);
    chart.appendChild(bar);
  });
  const legend = h('ul', { class: 'legend' }, ...labs.map((lab, i) => h('li', { 'data-colour': String(i % LAB_COLOURS.length) }, lab)));
  const table = h(
    'table',
    { class: 'grid compact' },
    h('caption', {}, 'Request volume by interval'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Lab'), h('th', { scope: 'col' }, 'Requests'), h('th', { scope: 'col' }, 'Accounts'))),
    h('tbody', {}, ...points.map((p) => h('tr', {}, h('td', {}, when(p.start)), h('td', {}, when(p.end)), h('td', {}, p.lab), h('td', { class: 'num' }, count(p.requests)), h('td', { class: 'num' }, p.accounts === undefined ? '–' : count(p.accounts))))),
  );
  const figure = h('figure', { class: 'timeline-figure' });
  figure.appendChild(chart);
  figure.appendChild(legend);
  return h('div', {}, figure, h('details', {}, h('summary', {}, 'Show the numbers'), table));
}

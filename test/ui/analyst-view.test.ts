import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { exampleCampaignSeed } from '../../src/cli/serve.js';
import { hashSecret } from '../../src/taxii/server/secrets.js';
import { chromiumPath, launchChromium } from './browser.js';

/**
 * The analyst view in a real browser: the built `distill-intel serve` (as README starts it, with a config file), Debian's
 * Chromium driven by playwright-core, what a person sees on the demo campaign, hostile strings from another lab, and
 * who may see which collection. Screenshots go to `.test-output/ui/`.
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const SHOTS = join(ROOT, '.test-output/ui');
const CHROMIUM = chromiumPath();
const DEMO = 'f527ee5d-db1f-4352-8dd7-4c6ff480c9d7';
const HOSTILE = '3d6c2bb8-4f5e-4b7a-9d41-0c1e2f3a4b5c';
const HIDDEN = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const ANALYST = { user: 'analyst', password: 'analyst-Pa55-for-tests' };
const WRITER = { user: 'writer', password: 'writer-Pa55-for-tests' };
const CAMPAIGN = 'campaign--5d612f4e-8e16-4c6d-8fdc-3f8b39988009';

/** Script in every string a rival lab controls: it must show up as text and never run. */
const XSS = `<img src=x onerror="window.__xss=(window.__xss||0)+1"><script>window.__xss=(window.__xss||0)+1</script>"'><svg onload="window.__xss=1">`;
const T = '2026-06-01T00:00:00.000Z';
const HOSTILE_IDS = {
  lab: 'identity--0b7c4a2e-6d1f-4e8a-9b3c-5d7e9f1a2b4c',
  campaign: 'campaign--1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  indicator: 'indicator--2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
  relationship: 'relationship--3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b',
  sighting: 'sighting--4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c',
};

function hostileObjects(): Record<string, unknown>[] {
  const common = { spec_version: '2.1', created: T, modified: T, created_by_ref: HOSTILE_IDS.lab };
  return [
    { type: 'identity', spec_version: '2.1', id: HOSTILE_IDS.lab, created: T, modified: T, name: XSS, description: XSS, identity_class: 'organization' },
    { type: 'campaign', id: HOSTILE_IDS.campaign, ...common, name: XSS, description: XSS, objective: XSS, aliases: [XSS], first_seen: T },
    { type: 'indicator', id: HOSTILE_IDS.indicator, ...common, name: XSS, description: XSS, pattern: "[domain-name:value = 'relay.example.net']", pattern_type: 'stix', valid_from: T, indicator_types: ['malicious-activity'] },
    { type: 'relationship', id: HOSTILE_IDS.relationship, ...common, relationship_type: 'indicates', source_ref: HOSTILE_IDS.indicator, target_ref: HOSTILE_IDS.campaign, description: XSS },
    { type: 'sighting', id: HOSTILE_IDS.sighting, ...common, sighting_of_ref: HOSTILE_IDS.campaign, where_sighted_refs: [HOSTILE_IDS.lab], count: 7, first_seen: T, last_seen: '2026-06-02T00:00:00.000Z', description: XSS },
  ];
}

let dir = '';
let server: ChildProcess | undefined;
let base = '';
let browser: Browser | undefined;

async function post(collection: string, objects: readonly object[]): Promise<void> {
  const res = await fetch(`${base}/api1/collections/${collection}/objects/`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${WRITER.user}:${WRITER.password}`).toString('base64')}`,
      'content-type': 'application/taxii+json;version=2.1',
      accept: 'application/taxii+json;version=2.1',
    },
    body: JSON.stringify({ objects }),
  });
  const status = (await res.json()) as { success_count?: number; failures?: unknown[] };
  if (res.status !== 202 || (status.failures ?? []).length > 0) throw new Error(`seeding ${collection} failed: ${res.status} ${JSON.stringify(status)}`);
}

async function startServer(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'di-ui-'));
  const config = {
    db: join(dir, 'ui.db'),
    port: 0,
    accessLog: false,
    apiRoots: [
      {
        path: 'api1',
        title: 'Analyst view test',
        collections: [
          { id: DEMO, alias: 'demo', title: 'Distillation demo', description: 'Example campaign package.' },
          { id: HOSTILE, alias: 'rival', title: 'Rival feed', description: 'Objects from another lab.' },
          { id: HIDDEN, alias: 'hidden', title: 'Board-only collection', description: 'Not for analysts.' },
        ],
      },
    ],
    auth: {
      principals: [
        { name: ANALYST.user, passwordHash: await hashSecret(ANALYST.password), canRead: ['demo', 'rival'] },
        { name: WRITER.user, passwordHash: await hashSecret(WRITER.password), canRead: ['*'], canWrite: ['*'] },
      ],
    },
  };
  const configPath = join(dir, 'serve.json');
  writeFileSync(configPath, JSON.stringify(config));
  server = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'serve', '--config', configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let stderr = '';
  base = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    server?.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      // serve prints the analyst view's address after the listening line: wait for it, it proves the view is mounted.
      const m = /Analyst view: (http:\/\/[^\s]+)\/ui\//.exec(stderr);
      if (m !== null) {
        clearTimeout(timer);
        resolveUrl(m[1] as string);
      }
    });
    server?.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  // Seeded at the story's own end (its newest object, 2026-05-12T16:00Z), so it keeps the dates the scenarios are written with.
  await post('demo', exampleCampaignSeed(new Date('2026-05-12T16:00:00.000Z')));
  await post('rival', hostileObjects());
  await post('hidden', [{ type: 'identity', spec_version: '2.1', id: 'identity--5a5a5a5a-1b1b-4c2c-8d3d-4e4e4e4e4e4e', created: T, modified: T, name: 'Board secret' }]);
}

async function analystPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await (browser as Browser).newContext({ httpCredentials: { username: ANALYST.user, password: ANALYST.password }, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return { context, page, errors };
}

/** WCAG relative luminance contrast of two CSS colours (`rgb(...)`/`rgba(...)`). */
function contrast(fg: string, bg: string): number {
  const lum = (css: string): number => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

const suite = CHROMIUM === undefined ? describe.skip : describe;
if (CHROMIUM === undefined) {
  console.warn('analyst view browser tests skipped: no Chromium found (install Debian\'s "chromium" package or set DISTILL_INTEL_CHROMIUM)');
}

suite('analyst view in Chromium', () => {
  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe' });
    mkdirSync(SHOTS, { recursive: true });
    await startServer();
    browser = await launchChromium(CHROMIUM as string);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('asks for credentials, then lists exactly the collections the user may read', async () => {
    const anonymous = await fetch(`${base}/ui/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);

    const { context, page, errors } = await analystPage();
    await page.goto(`${base}/ui/`);
    await page.waitForSelector('table.grid tbody tr');
    const titles = await page.$$eval('table.grid tbody tr td:first-child', (cells) => cells.map((c) => c.textContent));
    expect(titles).toEqual(['Distillation demo', 'Rival feed']);
    await page.screenshot({ path: join(SHOTS, 'collections.png') });
    expect(errors).toEqual([]);
    // The hidden collection is refused by the data endpoints too, exactly like a missing one.
    const hidden = await page.evaluate(async () => (await fetch('api/collections/api1/hidden/objects/')).status);
    const missing = await page.evaluate(async () => (await fetch('api/collections/api1/no-such/objects/')).status);
    expect([hidden, missing]).toEqual([404, 404]);
    await context.close();
  });

  it('shows the demo campaign: graph, TLP badge, request-volume timeline and the lab that sighted it', async () => {
    const { context, page, errors } = await analystPage();
    await page.goto(`${base}/ui/#/c/api1/demo/campaign/${CAMPAIGN}`);
    await page.waitForSelector('#campaign-graph[data-render-ms]');
    expect(await page.textContent('h1')).toBe('DISTILL-2026-014 TLP:AMBER');
    // Breadcrumbs: Collections (link) › the collection's title (link to its page) › the campaign (the current page).
    const crumbs = await page.$$eval('#crumbs li', (lis) => lis.map((li) => [li.textContent, li.querySelector('a')?.getAttribute('href') ?? null, li.querySelector('[aria-current]')?.getAttribute('aria-current') ?? null]));
    expect(crumbs).toEqual([
      ['Collections', '#/', null],
      ['Distillation demo', '#/c/api1/demo', null],
      ['DISTILL-2026-014', null, 'page'],
    ]);
    // Campaign → targets → Atlas-Reasoner 3 (the campaign's extension), uses → relay infrastructure, and the seed's one
    // sighting: Lab B, count 24, 410,000 requests from 780 accounts between 2026-04-14 18:00 and 2026-04-15 18:00.
    const listed = await page.$$eval('.node-lists a', (as) => as.map((a) => a.textContent));
    expect(listed).toEqual(expect.arrayContaining(['Atlas-Reasoner 3', 'Relay R-12', 'Lab B']));
    const labRows = await page.$$eval('#labs-table tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
    expect(labRows).toEqual([['Lab B', '1', '24', '2026-04-14 18:00 UTC', '2026-04-15 18:00 UTC']]);
    const volume = await page.$$eval('.timeline-figure + details tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
    expect(volume).toEqual([['2026-04-14 18:00 UTC', '2026-04-15 18:00 UTC', 'Lab B', '410,000', '780']]);
    expect(await page.$$eval('svg.timeline rect', (r) => r.length)).toBe(1);
    const canvases = await page.$$eval('#campaign-graph canvas', (c) => c.length);
    expect(canvases).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'campaign.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows an object with its exact stored JSON, versions and markings', async () => {
    const { context, page, errors } = await analystPage();
    await page.goto(`${base}/ui/#/c/api1/demo/object/${CAMPAIGN}`);
    await page.waitForSelector('details.version');
    const taxii = await fetch(`${base}/api1/collections/demo/objects/${CAMPAIGN}/`, {
      headers: { accept: 'application/taxii+json;version=2.1', authorization: `Basic ${Buffer.from(`${ANALYST.user}:${ANALYST.password}`).toString('base64')}` },
    });
    const envelope = await taxii.text();
    const exact = await page.$eval('details.exact pre', (pre) => pre.textContent ?? '');
    // The TAXII envelope is `{"objects":[<stored text>]...}`: the view shows that same text, byte for byte.
    expect(envelope).toContain(`[${exact}]`);
    expect(await page.textContent('.markings')).toBe('TLP:AMBER');
    const badge = await page.$eval('.markings .tlp', (el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    expect(badge).toEqual(['rgb(255, 192, 0)', 'rgb(0, 0, 0)']);
    expect(await page.textContent('#versions-h')).toBe('Versions (1)');
    expect(await page.$$eval('#crumbs li', (lis) => lis.map((li) => li.textContent))).toEqual(['Collections', 'Distillation demo', 'DISTILL-2026-014']);
    expect(await page.$eval('#crumbs li:nth-child(2) a', (a) => a.getAttribute('href'))).toBe('#/c/api1/demo');
    await page.screenshot({ path: join(SHOTS, 'object.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('renders script planted in every string of a rival lab\'s objects as text and runs none of it', async () => {
    const { context, page } = await analystPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.goto(`${base}/ui/#/c/api1/rival`);
    await page.waitForSelector('table.grid tbody tr');
    await page.goto(`${base}/ui/#/c/api1/rival/campaign/${HOSTILE_IDS.campaign}`);
    await page.waitForSelector('#campaign-graph[data-render-ms]');
    expect(await page.textContent('h1')).toBe(XSS);
    expect(await page.textContent('.lead')).toBe(XSS);
    await page.goto(`${base}/ui/#/c/api1/rival/object/${HOSTILE_IDS.indicator}`);
    await page.waitForSelector('details.version');
    await page.goto(`${base}/ui/#/c/api1/rival/object/${HOSTILE_IDS.lab}`);
    await page.waitForSelector('details.version');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    // Nothing from the payload became an element: no img, script or svg inside the page's content.
    expect(await page.$$eval('main img, main script, main svg[onload]', (els) => els.length)).toBe(0);
    expect(violations).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'hostile.png'), fullPage: true });
    await context.close();
  });

  it('sends a strict Content-Security-Policy and no inline script or style', async () => {
    const res = await fetch(`${base}/ui/`, { headers: { authorization: `Basic ${Buffer.from(`${ANALYST.user}:${ANALYST.password}`).toString('base64')}` } });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('works from the keyboard: skip link, focus moves to new content, links reachable with Tab', async () => {
    const { context, page } = await analystPage();
    await page.goto(`${base}/ui/`);
    await page.waitForSelector('table.grid tbody tr');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Tab until the demo collection's link has focus, then follow it with Enter.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Distillation demo'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#campaigns-h');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.waitForSelector('table.grid tbody tr');
    // The type filter has a label; every table has a caption.
    expect(await page.$eval('label[for="type-filter"]', (l) => l.textContent)).toBe('Show ');
    expect(await page.$$eval('table', (ts) => ts.every((t) => t.querySelector('caption') !== null))).toBe(true);
    await context.close();
  });

  it('keeps text contrast at WCAG AA (4.5:1) for body text, links, badges and headers', async () => {
    const { context, page } = await analystPage();
    await page.goto(`${base}/ui/#/c/api1/demo/campaign/${CAMPAIGN}`);
    await page.waitForSelector('#campaign-graph[data-render-ms]');
    const pairs = await page.evaluate(() => {
      const background = (el: Element | null): string => {
        for (let e = el; e !== null; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor;
          if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
        }
        return 'rgb(255, 255, 255)';
      };
      return Array.from(document.querySelectorAll('h1, p, a, td, th, .tlp, .kind, .top a')).map((el) => ({ what: `${el.tagName}.${el.className}`, fg: getComputedStyle(el).color, bg: background(el) }));
    });
    expect(pairs.length).toBeGreaterThan(20);
    const low = pairs.filter((p) => contrast(p.fg, p.bg) < 4.5).map((p) => `${p.what} ${p.fg} on ${p.bg}`);
    expect(low).toEqual([]);
    await context.close();
  });
});

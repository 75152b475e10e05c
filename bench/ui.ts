/**
 * Analyst view benchmark. Run: `node --import ./bench/register.js bench/ui.ts [--accounts N]`
 *
 * A campaign with N pseudonymous accounts (default 5,000) behind one sighting's observed data, 40 pieces of relay
 * infrastructure, 60 request-volume sightings from three labs and the campaign's ATLAS techniques, in a SQLite
 * collection served by the TAXII server with the view mounted. Measures:
 * 1. the campaign endpoint (`/ui/api/.../campaigns/{id}`): server time and response size;
 * 2. Debian's Chromium (playwright-core): from navigation to the graph's first drawn frame, and the graph's own
 *    draw time (layout + first render) as the page reports it. Target: the whole page under 2 s for 5,000 accounts.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import { createTaxiiServer } from '../src/taxii/server/node.js';
import { hashSecretSync } from '../src/taxii/server/secrets.js';
import { toNewObject } from '../src/taxii/server/new-object.js';
import { createAnalystView } from '../src/ui/server/analyst-view.js';
import { chromiumPath, launchChromium } from '../test/ui/browser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COLLECTION = '5e0c7a4b-1f2d-4c3e-9a8b-7d6e5f4a3b2c';
const argAccounts = process.argv.indexOf('--accounts');
const ACCOUNTS = argAccounts === -1 ? 5_000 : Number(process.argv[argAccounts + 1]);
const T = '2026-03-01T00:00:00.000Z';
const AUTH = { username: 'bench', password: 'bench-password' };

const id = (type: string): string => `${type}--${randomUUID()}`;

function campaignObjects(): { objects: Record<string, unknown>[]; campaign: string } {
  const campaign = id('campaign');
  const labs = [id('identity'), id('identity'), id('identity')];
  const out: Record<string, unknown>[] = [];
  labs.forEach((lab, i) => out.push({ type: 'identity', spec_version: '2.1', id: lab, created: T, modified: T, name: `Lab ${'ABC'[i]}`, identity_class: 'organization' }));
  out.push({ type: 'campaign', spec_version: '2.1', id: campaign, created: T, modified: T, created_by_ref: labs[0], name: 'DISTILL-BENCH', first_seen: T });
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ type: 'user-account', spec_version: '2.1', id: id('user-account'), user_id: `hmac-sha256:bench:${i.toString(16).padStart(64, '0')}` }));
  out.push(...accounts);
  const observed = id('observed-data');
  out.push({ type: 'observed-data', spec_version: '2.1', id: observed, created: T, modified: T, first_observed: T, last_observed: T, number_observed: 1, object_refs: accounts.map((a) => a.id) });
  for (let i = 0; i < 40; i++) {
    const infra = id('infrastructure');
    const ip = id('ipv4-addr');
    out.push({ type: 'infrastructure', spec_version: '2.1', id: infra, created: T, modified: T, name: `Relay ${i}` });
    out.push({ type: 'ipv4-addr', spec_version: '2.1', id: ip, value: `203.0.113.${i}` });
    out.push({ type: 'relationship', spec_version: '2.1', id: id('relationship'), created: T, modified: T, relationship_type: 'uses', source_ref: campaign, target_ref: infra });
    out.push({ type: 'relationship', spec_version: '2.1', id: id('relationship'), created: T, modified: T, relationship_type: 'consists-of', source_ref: infra, target_ref: ip });
  }
  for (let i = 0; i < 60; i++) {
    const start = new Date(Date.parse(T) + i * 3_600_000).toISOString();
    const end = new Date(Date.parse(T) + (i + 1) * 3_600_000).toISOString();
    out.push({
      type: 'sighting',
      spec_version: '2.1',
      id: id('sighting'),
      created: T,
      modified: T,
      sighting_of_ref: campaign,
      where_sighted_refs: [labs[i % 3]],
      ...(i === 0 ? { observed_data_refs: [observed] } : {}),
      count: 1,
      first_seen: start,
      last_seen: end,
      extensions: { 'extension-definition--bench': { extension_type: 'property-extension', request_count: 1000 + ((i * 7919) % 5000), account_count: 100 + i, aggregation_interval: 'PT1H' } },
    });
  }
  return { objects: out, campaign };
}

async function main(): Promise<void> {
  const chromium = chromiumPath();
  if (chromium === undefined) throw new Error('no Chromium: install Debian\'s "chromium" package (or set DISTILL_INTEL_CHROMIUM)');
  execFileSync('npm', ['run', '-s', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'di-ui-bench-'));
  const store = new SqliteStore({ filename: join(dir, 'ui.db') });
  const { objects, campaign } = campaignObjects();
  await store.addObjects({ apiRoot: 'api1', collectionId: COLLECTION }, objects.map((o) => toNewObject(o)));
  const server = createTaxiiServer({
    store,
    apiRoots: [{ path: 'api1', title: 'bench', collections: [{ id: COLLECTION, title: 'bench', alias: 'bench' }] }],
    auth: { principals: [{ name: AUTH.username, passwordHash: hashSecretSync(AUTH.password), canRead: ['*'] }] },
    limits: { rateLimit: { enabled: false } },
    mounts: [createAnalystView()],
  });
  const { url } = await server.listen(0, '127.0.0.1');
  const authorization = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;
  const apiUrl = `${url}/ui/api/collections/api1/bench/campaigns/${campaign}`;

  const apiTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await fetch(apiUrl, { headers: { authorization } });
    const body = await res.arrayBuffer();
    apiTimes.push(performance.now() - t0);
    bytes = body.byteLength;
  }

  const browser = await launchChromium(chromium);
  const context = await browser.newContext({ httpCredentials: AUTH, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageTimes: number[] = [];
  const drawTimes: number[] = [];
  let nodes = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await page.goto(`${url}/ui/#/c/api1/bench/campaign/${campaign}`);
    await page.waitForSelector('#campaign-graph[data-render-ms]', { timeout: 60_000 });
    pageTimes.push(performance.now() - t0);
    drawTimes.push(Number(await page.getAttribute('#campaign-graph', 'data-render-ms')));
    nodes = Number(await page.getAttribute('#campaign-graph', 'data-nodes'));
    await page.goto('about:blank');
  }
  await browser.close();
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(`campaign with ${ACCOUNTS.toLocaleString('en-US')} accounts: graph of ${nodes.toLocaleString('en-US')} nodes`);
  console.log(`  campaign endpoint: median ${median(apiTimes).toFixed(0)} ms over 5 requests, ${(bytes / 1024).toFixed(0)} KiB`);
  console.log(`  Chromium, navigation to first drawn graph frame: median ${median(pageTimes).toFixed(0)} ms (runs: ${pageTimes.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  graph layout + first render in the page: median ${median(drawTimes).toFixed(0)} ms`);
  console.log(`  target: under 2,000 ms for 5,000 accounts: ${median(pageTimes) < 2000 ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

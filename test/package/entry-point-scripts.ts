/**
 * One script per public subpath, each run in a fresh Node process with only that subpath imported, that drives the
 * subpath's own validating entry point with an indicator whose pattern does not parse and prints the finding codes
 * it got back (one JSON array on stdout). Stores are given objects the server has already validated: for them the
 * script imports the store, then the `stix` subpath, so that loading a store first cannot change how validation runs.
 */

/** An indicator whose pattern has a stray `= ]` (pattern-syntax, §9). */
export const BAD_PATTERN_INDICATOR = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'Reseller proxy egress',
  description: 'Egress address of a reseller proxy',
  indicator_types: ['malicious-activity'],
  pattern: "[ipv4-addr:value = '203.0.113.5' = ]",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
} as const;

const INDICATOR = JSON.stringify(BAD_PATTERN_INDICATOR);
const codes = 'const codes = (ds) => ds.map((d) => d.code);';

/** The script for subpath `subpath` (`.`, `./stix`, ...) of package `name`. */
export function entryPointScript(name: string, subpath: string): string {
  const spec = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
  const load = `const m = await import(${JSON.stringify(spec)}); const indicator = ${INDICATOR}; ${codes}`;
  switch (subpath) {
    case '.':
    case './stix':
      return `${load} console.log(JSON.stringify(codes(m.validate(indicator))));`;
    case './pattern':
      return `${load} console.log(JSON.stringify(codes(m.checkPattern(indicator.pattern).diagnostics)));`;
    case './distillation':
      // A share package is validated strictly before it leaves the lab.
      return `${load}
        try { m.assemblePackage([indicator]); console.log('[]'); }
        catch (err) { console.log(JSON.stringify(codes(err.diagnostics ?? []))); }`;
    case './convert':
      return `${load}
        const found = [];
        for await (const _ of m.convert([JSON.stringify(indicator)], { to: 'ecs', onIssue: (i) => found.push(i.code) })) void _;
        console.log(JSON.stringify(found));`;
    case './server':
      return `${load}
        const { MemoryStore } = await import(${JSON.stringify(`${name}/store/memory`)});
        const handler = m.createTaxiiHandler({
          store: new MemoryStore(),
          auth: { anonymous: { canRead: ['*'], canWrite: ['*'] } },
          apiRoots: [{ path: 'api1', title: 'a', collections: [{ id: '8f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f', title: 'c' }] }],
        });
        const res = await handler(new Request('http://127.0.0.1/api1/collections/8f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f/objects/', {
          method: 'POST',
          headers: { 'content-type': 'application/taxii+json;version=2.1', accept: 'application/taxii+json;version=2.1' },
          body: JSON.stringify({ objects: [indicator] }),
        }));
        const status = await res.json();
        console.log(JSON.stringify((status.failures ?? []).map((f) => (f.message.match(/pattern-[a-z-]+/) ?? [f.message])[0])));
        await handler.close();`;
    case './client':
      // A loopback server hands out one page holding the bad indicator; the client validates what it receives.
      return `${load}
        const { createServer } = await import('node:http');
        const server = createServer((req, res) => {
          res.setHeader('content-type', 'application/taxii+json;version=2.1');
          res.end(JSON.stringify({ more: false, objects: [indicator] }));
        });
        await new Promise((r) => server.listen(0, '127.0.0.1', r));
        const url = 'http://127.0.0.1:' + server.address().port + '/api1/';
        const client = new m.TaxiiClient({ url, validate: 'lenient', onInvalid: 'skip', retry: { attempts: 1 } });
        const found = [];
        const objects = client.collection('8f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f').objects({ onDiagnostics: (_o, ds) => found.push(...codes(ds)) });
        for await (const _ of objects) void _;
        console.log(JSON.stringify(found));
        await client.close(); server.close();`;
    default:
      return `${load}
        const stix = await import(${JSON.stringify(`${name}/stix`)});
        console.log(JSON.stringify(codes(stix.validate(indicator))));`;
  }
}

/**
 * Replays, over real HTTP on loopback, the 30 requests that the OASIS taxii2-client 2.3.0 (the library behind XSOAR's
 * feed, MISP's push, Splunk's CTIS app and OpenCTI's Python connector) sent to the reference server, as recorded in
 * test/fixtures/recordings/taxii2-client-requests.jsonl: same methods, paths (API root and collection mapped to ours),
 * query parameters and headers, with `next` values taken from our own previous answers the way `as_pages` does.
 *
 * Expected statuses are the recorded ones, with one deliberate difference: `Accept: application/json` (seq 29) is
 * answered 200, not 406, because other real clients send it and TAXII §3.1 lets a server accept it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTaxiiServer } from '../../src/taxii/server/node.js';
import type { TaxiiNodeServer } from '../../src/taxii/server/node.js';
import { hashSecretSync } from '../../src/taxii/server/secrets.js';
import { MemoryStore } from '../../src/taxii/store/memory.js';
import { TAXII, basic, exactlyOnce } from './harness.js';

interface Recorded {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: { keys: string[]; objects: number };
  status: number;
  response_content_type: string;
}

const RECORDING = fileURLToPath(new URL('../fixtures/recordings/taxii2-client-requests.jsonl', import.meta.url));
const RECORDED_COLLECTION = '365fed99-08fa-fdcd-a1b3-fb247eb41d01';
const OUR_COLLECTION = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const DEVIATIONS: Record<number, number> = { 29: 200 };

const lines: Recorded[] = readFileSync(RECORDING, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Recorded);

function makeIndicator(id: string, modified = '2026-01-10T10:00:00.000Z'): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2026-01-10T10:00:00.000Z',
    modified,
    name: `Indicator ${id.slice(11, 19)}`,
    indicator_types: ['malicious-activity'],
    pattern: "[domain-name:value = 'relay.example.net']",
    pattern_type: 'stix',
    valid_from: '2026-01-10T10:00:00.000Z',
  };
}

describe('taxii2-client 2.3.0 request sequence (recorded)', () => {
  let server: TaxiiNodeServer;
  let url: string;
  const auth = basic('taxii-user', 'taxii-pass');
  // The 25 indicators the recorded session posted (their ids appear in the match[id] filters).
  const ids = (lines.find((l) => l.seq === 10)?.query['match[id]'] ?? '').split(',');

  beforeAll(async () => {
    server = createTaxiiServer({
      store: new MemoryStore(),
      apiRoots: [{ path: 'trustgroup1', title: 'Trust group 1', collections: [{ id: OUR_COLLECTION, title: 'High value indicators' }] }],
      auth: { principals: [{ name: 'taxii-user', passwordHash: hashSecretSync('taxii-pass', { N: 1024, r: 8, p: 1 }), canRead: ['*'], canWrite: ['*'] }] },
      cursorSecret: 'replay-cursor-secret-0123456789',
    });
    ({ url } = await server.listen(0, '127.0.0.1'));
  });
  afterAll(async () => {
    await server.close();
  });

  it('has the recording to replay', () => {
    expect(lines).toHaveLength(30);
    expect(ids).toHaveLength(25);
  });

  it('answers every request as recorded, and every object arrives exactly once', async () => {
    const lastNext = new Map<string, string>();
    const pages = new Map<string, string[]>();
    const answers = new Map<number, Record<string, unknown>>();
    for (const line of lines) {
      const path = line.path.replace(RECORDED_COLLECTION, OUR_COLLECTION);
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(line.query)) {
        // as_pages passes the `next` of the previous page of the same endpoint.
        params.set(k, k === 'next' ? (lastNext.get(path) ?? v) : v);
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(line.headers)) {
        if (k === 'content-length') continue;
        headers[k] = k === 'authorization' ? (line.seq === 27 ? basic('taxii-user', 'wrong') : auth) : v;
      }
      let body: string | undefined;
      if (line.body !== undefined) {
        const objects =
          line.seq === 6
            ? ids.map((id) => makeIndicator(id))
            : // seq 17: a new version of one of them (seq 18-21 then read its versions).
              [makeIndicator('indicator--0a733742-cbc9-4a87-878a-33db6e91f27d', '2026-01-11T10:00:00.000Z')];
        expect(objects).toHaveLength(line.body.objects);
        body = JSON.stringify({ objects });
      }
      const target = `${url}${path}${params.size > 0 ? '?' + params.toString() : ''}`;
      const statusPath = line.seq === 7 ? `${url}/trustgroup1/status/${String(answers.get(6)?.['id'])}/` : undefined;
      const res = await fetch(statusPath ?? target, { method: line.method, headers, ...(body !== undefined ? { body } : {}) });
      const expected = DEVIATIONS[line.seq] ?? line.status;
      expect([line.seq, res.status]).toEqual([line.seq, expected]);
      expect([line.seq, res.headers.get('content-type')]).toEqual([line.seq, TAXII]);
      const text = await res.text();
      const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      answers.set(line.seq, parsed);
      if (typeof parsed['next'] === 'string') lastNext.set(path, parsed['next']);
      const objs = parsed['objects'] as { id: string }[] | undefined;
      if (line.method === 'GET' && objs !== undefined) pages.set(`${line.seq}`, objs.map((o) => o.id));
    }

    // seq 7: the status of the 25-object POST, consistent as taxii2-client checks it.
    const status = answers.get(7) as Record<string, number | string>;
    expect([status['total_count'], status['success_count'], status['pending_count'], status['failure_count']]).toEqual([25, 25, 0, 0]);
    // seq 9: match[type] with limit 5.
    expect(pages.get('9')).toHaveLength(5);
    expect(answers.get(9)?.['more']).toBe(true);
    // seq 10-12: as_pages over objects, and seq 14-16 over the manifest: each id exactly once.
    const objectPages = ['10', '11', '12'].flatMap((s) => pages.get(s) ?? []);
    expect(exactlyOnce(objectPages, ids)).toEqual({ duplicates: [], missing: [], extra: [] });
    const manifestPages = ['14', '15', '16'].flatMap((s) => pages.get(s) ?? []);
    expect(exactlyOnce(manifestPages, ids)).toEqual({ duplicates: [], missing: [], extra: [] });
    // seq 18-21: two versions after the second POST; default last, all, first.
    expect(answers.get(18)?.['versions']).toEqual(['2026-01-10T10:00:00.000Z', '2026-01-11T10:00:00.000Z']);
    const version = (seq: number): unknown[] => ((answers.get(seq)?.['objects'] as { modified: string }[]) ?? []).map((o) => o.modified);
    expect(version(19)).toEqual(['2026-01-11T10:00:00.000Z']);
    expect(version(20)).toEqual(['2026-01-10T10:00:00.000Z', '2026-01-11T10:00:00.000Z']);
    expect(version(21)).toEqual(['2026-01-10T10:00:00.000Z']);
    // seq 23/24: added_after before and after everything.
    expect(pages.get('23')).toEqual([ids[0]]);
    expect(answers.get(24)).toEqual({});
    // seq 27-30: errors are TAXII error resources with http_status as a string.
    for (const seq of [26, 27, 28, 30]) expect(typeof answers.get(seq)?.['http_status']).toBe('string');
  });
});

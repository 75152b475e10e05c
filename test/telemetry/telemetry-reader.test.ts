import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TelemetryInputError, TelemetryReader, fileSource, parseFieldMap } from '../../src/telemetry/index.js';
import type { TelemetryRecord, TelemetryReaderOptions, TelemetrySource } from '../../src/telemetry/index.js';

function source(text: string | Buffer, name = 'in.jsonl', chunk = 1 << 20): TelemetrySource {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    name,
    bytes: (async function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  };
}

async function readAll(src: TelemetrySource, options: TelemetryReaderOptions = {}): Promise<{ reader: TelemetryReader; records: TelemetryRecord[] }> {
  const reader = new TelemetryReader(options);
  const records: TelemetryRecord[] = [];
  for await (const r of reader.records(src)) records.push(r);
  return { reader, records };
}

const GOOD_1 = {
  timestamp: '2026-02-01T10:00:00Z',
  account_id: 'acct-1',
  org_id: 'org-9',
  client_ip: '198.51.100.7',
  asn: 64500,
  user_agent: 'sdk/1.2',
  model: 'atlas-3',
  input_tokens: 120,
  output_tokens: 800,
  reasoning_tokens: 300,
  prompt: 'Explain step by step.',
  payment_fingerprint: 'pm_77',
  signup_channel: 'education',
  account_created: '2026-01-30T08:00:00.5+01:00',
  status: 'ok',
};
const GOOD_2 = { timestamp: '2026-02-01T10:00:01.250Z', account_id: 'acct-2', client_ip: '203.0.113.9', model: 'atlas-3', input_tokens: 0, output_tokens: 5 };
const EXPECTED_1: TelemetryRecord = {
  ...GOOD_1,
  timestamp: Date.UTC(2026, 1, 1, 10, 0, 0),
  asn: '64500',
  account_created: Date.UTC(2026, 0, 30, 7, 0, 0, 500),
};
const EXPECTED_2: TelemetryRecord = { ...GOOD_2, timestamp: Date.UTC(2026, 1, 1, 10, 0, 1, 250) };

const MIXED = [
  JSON.stringify(GOOD_1),
  '{"timestamp": oops}',
  '',
  JSON.stringify({ ...GOOD_2, model: undefined }),
  JSON.stringify({ ...GOOD_2, input_tokens: -3 }),
  '[1,2]',
  JSON.stringify({ ...GOOD_2, timestamp: '01/02/2026 10:00' }),
  JSON.stringify(GOOD_2),
].join('\n');

const MIXED_BAD = [
  { input: 'in.jsonl', line: 2, reason: expect.stringMatching(/^not JSON/) },
  { input: 'in.jsonl', line: 4, reason: 'model: missing' },
  { input: 'in.jsonl', line: 5, reason: 'input_tokens: expected a non-negative integer' },
  { input: 'in.jsonl', line: 6, reason: 'expected a JSON object' },
  { input: 'in.jsonl', line: 7, reason: 'timestamp: expected an RFC 3339 timestamp' },
];

describe('TelemetryReader: JSON Lines', () => {
  it('reads the fixed fields and reports each bad line by number without stopping', async () => {
    const { reader, records } = await readAll(source(MIXED));
    expect(records).toEqual([EXPECTED_1, EXPECTED_2]);
    expect(reader.stats.bad).toEqual(MIXED_BAD);
    expect(reader.stats).toMatchObject({ lines: 8, records: 2, badCount: 5 });
    expect(reader.failures).toEqual([]);
  });

  it('gives the same result gzipped, with CRLF endings, and split into 1-byte chunks', async () => {
    const gz = await readAll(source(gzipSync(MIXED)));
    expect(gz.records).toEqual([EXPECTED_1, EXPECTED_2]);
    expect(gz.reader.stats.bad).toEqual(MIXED_BAD);
    const crlf = await readAll(source(MIXED.replace(/\n/g, '\r\n'), 'in.jsonl', 1));
    expect(crlf.records).toEqual([EXPECTED_1, EXPECTED_2]);
    expect(crlf.reader.stats.bad).toEqual(MIXED_BAD);
  });

  it('reads a field wherever it stands in the line, ignores unknown keys and null optionals, and names the first bad field', async () => {
    const reversed = Object.fromEntries(Object.entries(GOOD_1).reverse());
    const lines = [
      JSON.stringify(reversed),
      JSON.stringify({ extra: { nested: [1, 2] }, ...GOOD_2, org_id: null, user_agent: null, latency_ms: 12.5 }),
      JSON.stringify({ ...GOOD_2, client_host: ['relay.example.net', 'inner.example.net'] }),
      // Both account_id and model are wrong: account_id is checked first, wherever the keys stand.
      JSON.stringify({ ...Object.fromEntries(Object.entries(GOOD_2).reverse()), model: 7, account_id: '' }),
      JSON.stringify({ ...GOOD_2, status: 200 }),
      JSON.stringify({ ...GOOD_2, client_host: [3] }),
    ].join('\n');
    const { reader, records } = await readAll(source(lines));
    expect(records).toEqual([EXPECTED_1, EXPECTED_2, { ...EXPECTED_2, client_host: 'relay.example.net' }]);
    expect(reader.stats.bad).toEqual([
      { input: 'in.jsonl', line: 4, reason: 'account_id: expected a non-empty string' },
      { input: 'in.jsonl', line: 5, reason: 'status: expected a string' },
      { input: 'in.jsonl', line: 6, reason: 'client_host: expected a string' },
    ]);
  });

  it('reads ASCII and UTF-8 chunks of one input alike', async () => {
    const prompt = 'naïve café';
    const text = [JSON.stringify(GOOD_2), JSON.stringify({ ...GOOD_2, prompt }), JSON.stringify(GOOD_2)].join('\n');
    // 1-line chunks: the first is pure ASCII, the second holds two-byte characters.
    const firstLine = JSON.stringify(GOOD_2).length + 1;
    const { records } = await readAll(source(text, 'in.jsonl', firstLine));
    expect(records).toEqual([EXPECTED_2, { ...EXPECTED_2, prompt }, EXPECTED_2]);
  });

  it('hands a large chunk on in batches of at most 256 records (decoded a few dozen kilobytes at a time), in order, with every bad line numbered across batches', async () => {
    // 1,000 lines in one 1 MiB chunk; every 97th line is not JSON and every 101st is blank (empty or white space).
    const lines: string[] = [];
    const expected: TelemetryRecord[] = [];
    const bad: Array<{ input: string; line: number; reason: unknown }> = [];
    for (let n = 1; n <= 1000; n++) {
      if (n % 97 === 0) {
        lines.push('{"timestamp":');
        bad.push({ input: 'in.jsonl', line: n, reason: expect.stringMatching(/^not JSON/) });
      } else if (n % 101 === 0) lines.push(['', ' \t  ', '\u00a0 ', '\r'][(n / 101) % 4] as string);
      else {
        lines.push(JSON.stringify({ ...GOOD_2, input_tokens: n }));
        expected.push({ ...EXPECTED_2, input_tokens: n });
      }
    }
    const reader = new TelemetryReader();
    const sizes: number[] = [];
    const records: TelemetryRecord[] = [];
    for await (const batch of reader.batches(source(lines.join('\n') + '\n'))) {
      sizes.push(batch.length);
      records.push(...batch);
    }
    expect(records).toEqual(expected);
    expect(reader.stats.bad).toEqual(bad);
    expect(reader.stats).toMatchObject({ lines: 1000, records: 1000 - 10 - 9, badCount: 10 });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
    expect(sizes.length).toBeGreaterThanOrEqual(4);
  });

  it('reads the same records and bad lines however the input is chunked, with lines longer than one decoded piece', async () => {
    // Prompts of 10 to 70,000 characters (some past the 32 KiB decoded at a time), some non-ASCII, and bad lines.
    const lines: string[] = [];
    const expected: TelemetryRecord[] = [];
    const bad: Array<{ input: string; line: number; reason: unknown }> = [];
    for (let n = 1; n <= 300; n++) {
      const prompt = (n % 3 === 0 ? 'café → ' : 'plain ') + 'x'.repeat(n % 50 === 0 ? 40_000 + n * 100 : 10 + ((n * 37) % 900));
      if (n % 41 === 0) {
        lines.push(JSON.stringify({ ...GOOD_2, prompt, output_tokens: 'many' }));
        bad.push({ input: 'in.jsonl', line: n, reason: 'output_tokens: expected a non-negative integer' });
      } else {
        lines.push(JSON.stringify({ ...GOOD_2, prompt, input_tokens: n }));
        expected.push({ ...EXPECTED_2, prompt, input_tokens: n });
      }
    }
    const text = lines.join('\n') + '\n';
    for (const chunk of [1 << 20, 65_536, 4099, 997]) {
      const { reader, records } = await readAll(source(text, 'in.jsonl', chunk));
      expect(records).toEqual(expected);
      expect(reader.stats.bad).toEqual(bad);
      expect(reader.stats.lines).toBe(300);
    }
  });

  it('skips an over-long line with its number and reads on', async () => {
    const text = [JSON.stringify(GOOD_2), JSON.stringify({ ...GOOD_2, prompt: 'x'.repeat(5000) }), JSON.stringify(GOOD_2)].join('\n') + '\n';
    const { reader, records } = await readAll(source(text, 'in.jsonl', 700), { maxLineLength: 1000 });
    expect(records).toEqual([EXPECTED_2, EXPECTED_2]);
    expect(reader.stats.bad).toEqual([{ input: 'in.jsonl', line: 2, reason: 'line longer than 1000 characters' }]);
  });

  it('keeps multi-byte characters whole when chunks cut through them, and measures the line limit in characters', async () => {
    const prompt = 'Résumé 日本語 😀 '.repeat(40);
    const line = JSON.stringify({ ...GOOD_2, prompt });
    // Longer than the limit in bytes, within it in characters: accepted.
    expect(Buffer.byteLength(line)).toBeGreaterThan(line.length + 300);
    const text = [line, JSON.stringify(GOOD_2), line].join('\n');
    for (const chunk of [1, 7, 4096]) {
      const { reader, records } = await readAll(source(text, 'in.jsonl', chunk), { maxLineLength: line.length });
      expect(records).toEqual([{ ...EXPECTED_2, prompt }, EXPECTED_2, { ...EXPECTED_2, prompt }]);
      expect(reader.stats.badCount).toBe(0);
    }
    const { reader } = await readAll(source(text, 'in.jsonl', 5), { maxLineLength: line.length - 1 });
    expect(reader.stats.bad.map((b) => b.line)).toEqual([1, 3]);
  });

  it('maps another schema with --map: nested sources and epoch milliseconds', async () => {
    const map = parseFieldMap(
      JSON.stringify({ fields: { timestamp: 'ts', account_id: 'user.id', client_ip: 'http.client_ip', model: 'req.model', input_tokens: 'usage.in', output_tokens: 'usage.out' }, time_unit: 'ms' }),
    );
    const line = { ts: 1769940000000, user: { id: 'u-5' }, 'http.client_ip': '192.0.2.4', req: { model: 'm1' }, usage: { in: 3, out: 4 }, status: 'error' };
    const { records } = await readAll(source(JSON.stringify(line)), { map });
    expect(records).toEqual([{ timestamp: 1769940000000, account_id: 'u-5', client_ip: '192.0.2.4', model: 'm1', input_tokens: 3, output_tokens: 4, status: 'error' }]);
  });

  it('refuses a malformed map with a typed error naming the entry', () => {
    expect(() => parseFieldMap('{"fields": {"acount_id": "user"}}', 'map.json')).toThrow(TelemetryInputError);
    expect(() => parseFieldMap('{"fields": {"acount_id": "user"}}', 'map.json')).toThrow(/map\.json: fields\.acount_id: not a telemetry field/);
    expect(() => parseFieldMap('{"fields": {}, "time_unit": "h"}', 'map.json')).toThrow(/time_unit/);
    expect(() => parseFieldMap('{"fields": {"model": 3}}')).toThrow(/fields\.model: the source must be a non-empty string/);
    expect(() => parseFieldMap('not json')).toThrow(/not JSON/);
  });

  it('lists an unreadable file or a corrupt gzip as a failure and keeps what was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'di-telemetry-'));
    const reader = new TelemetryReader();
    const seen: TelemetryRecord[] = [];
    for await (const r of reader.records(fileSource(join(dir, 'missing.jsonl'), 'missing.jsonl'))) seen.push(r);
    expect(reader.failures).toEqual([{ input: 'missing.jsonl', message: 'no such file' }]);
    // Two full lines, then a gzip stream cut off in the middle.
    const lines = Array.from({ length: 2000 }, () => JSON.stringify(GOOD_2)).join('\n') + '\n';
    const gz = gzipSync(lines);
    writeFileSync(join(dir, 'cut.jsonl.gz'), Buffer.concat([gz.subarray(0, gz.length - 8), Buffer.from('garbage!')]));
    for await (const r of reader.records(fileSource(join(dir, 'cut.jsonl.gz'), 'cut.jsonl.gz'))) seen.push(r);
    expect(reader.failures[1]?.input).toBe('cut.jsonl.gz');
    expect(reader.failures[1]?.message).toMatch(/corrupt gzip|incorrect|check/);
    expect(seen.length).toBe(reader.stats.records);
  });
});

function otlpValue(v: string | number): Record<string, unknown> {
  return typeof v === 'number' ? { intValue: String(v) } : { stringValue: v };
}
function attrs(o: Record<string, string | number>): Array<{ key: string; value: Record<string, unknown> }> {
  return Object.entries(o).map(([key, v]) => ({ key, value: otlpValue(v) }));
}

const OTLP = {
  resourceSpans: [
    {
      resource: { attributes: attrs({ 'service.name': 'gateway', 'organization.id': 'org-1' }) },
      scopeSpans: [
        {
          spans: [
            {
              name: 'chat atlas-3',
              startTimeUnixNano: '1769940000123456789',
              status: { code: 2 },
              attributes: attrs({
                'gen_ai.request.model': 'atlas-3',
                'gen_ai.usage.input_tokens': 11,
                'gen_ai.usage.output_tokens': 22,
                'client.address': '198.51.100.8',
                'user.id': 'acct-7',
                'user_agent.original': 'curl/8',
              }),
            },
            { name: 'GET /health', startTimeUnixNano: '1769940000000000000', attributes: attrs({ 'http.route': '/health' }) },
            {
              name: 'chat',
              startTimeUnixNano: '1769940001000000000',
              attributes: attrs({ 'gen_ai.request.model': 'atlas-3', 'gen_ai.usage.input_tokens': 1, 'client.address': '198.51.100.8', 'enduser.id': 'acct-8' }),
            },
          ],
        },
      ],
    },
  ],
};
const OTLP_EXPECTED: TelemetryRecord = {
  timestamp: 1769940000123,
  account_id: 'acct-7',
  org_id: 'org-1',
  client_ip: '198.51.100.8',
  user_agent: 'curl/8',
  model: 'atlas-3',
  input_tokens: 11,
  output_tokens: 22,
  status: 'error',
};

describe('TelemetryReader: OTLP JSON GenAI spans', () => {
  it('reads GenAI spans from one export per line, skips other spans and reports a bad span by position', async () => {
    const text = JSON.stringify(OTLP) + '\n' + JSON.stringify({ hello: 1 }) + '\n';
    const { reader, records } = await readAll(source(text, 'spans.json'));
    expect(records).toEqual([OTLP_EXPECTED]);
    expect(reader.stats.bad).toEqual([
      { input: 'spans.json', line: 1, reason: 'resourceSpans[0].scopeSpans[0].spans[2]: output_tokens: missing' },
      { input: 'spans.json', line: 2, reason: 'expected an OTLP JSON ExportTraceServiceRequest ({"resourceSpans": [...]})' },
    ]);
  });

  it('reads a pretty-printed export, gzipped, and honours a map of attribute keys', async () => {
    const pretty = gzipSync(JSON.stringify(OTLP, null, 2));
    const { records } = await readAll(source(pretty, 'spans.json.gz', 100));
    expect(records).toEqual([OTLP_EXPECTED]);
    const map = parseFieldMap(JSON.stringify({ fields: { account_id: 'service.name' } }));
    const mapped = await readAll(source(JSON.stringify(OTLP), 'spans.json'), { map });
    expect(mapped.records[0]?.account_id).toBe('gateway');
  });
});

describe('parseTime', () => {
  it('reads RFC 3339 times as Date.parse does, on the cached-hour fast path and off it', async () => {
    const { parseTime } = await import('../../src/telemetry/index.js');
    for (const t of ['2026-03-02T10:17:05Z', '2026-03-02T10:17:05.5Z', '2026-03-02T10:17:05.123456Z', '2026-03-02T11:00:00.999Z', '2026-03-02T10:17:05+01:00', '2026-03-02 10:17:05Z', '2026-03-02t10:17:05z']) {
      expect([t, parseTime(t, undefined)]).toEqual([t, Date.parse(t.replace(' ', 'T').toUpperCase())]);
    }
    expect(parseTime('2026-03-02T10:61:05Z', undefined)).toBe('expected an RFC 3339 timestamp');
    expect(parseTime('2026-03-02T1x:17:05Z', undefined)).toBe('expected an RFC 3339 timestamp');
    expect(parseTime(1772446625, 's')).toBe(1772446625000);
  });

  it('reads every day of every month (leap years, century years) to the epoch time Date.UTC gives', async () => {
    const { parseTime } = await import('../../src/telemetry/index.js');
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (const y of [1969, 1999, 2000, 2024, 2026, 2100]) {
      for (let m = 1; m <= 12; m++) {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        for (let d = 1; d <= 31; d++) {
          const t = `${y}-${pad(m)}-${pad(d)}T23:59:58.007Z`;
          // Days a month does not have are read as Date.parse reads them (it rolls over into the next month).
          const expected = d <= last ? Date.UTC(y, m - 1, d, 23, 59, 58, 7) : Date.parse(t);
          expect([t, parseTime(t, undefined)]).toEqual([t, Number.isNaN(expected) ? 'expected an RFC 3339 timestamp' : expected]);
        }
      }
    }
    expect(parseTime('2026-01-05T00:00:00.Z', undefined)).toBe('expected an RFC 3339 timestamp');
    expect(parseTime('2026-01-05T24:00:00Z', undefined)).toBe(Date.UTC(2026, 0, 6));
  });

  it('reads dates in any order, days apart or decades apart, alike (the per-date cache never mixes dates up)', async () => {
    const { parseTime } = await import('../../src/telemetry/index.js');
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const start = Date.UTC(1990, 0, 1);
    const days = Array.from({ length: 70 * 366 }, (_, i) => start + i * 86_400_000);
    // A fixed permutation (multiplying by a number coprime to the length): consecutive reads jump across decades.
    const order = days.map((_, i) => days[(i * 7919) % days.length] as number);
    for (const [k, day] of [...order, ...days, ...order].entries()) {
      const ms = day + (k % 86_400) * 1000 + (k % 1000);
      const d = new Date(ms);
      const t = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
      if (parseTime(t, undefined) !== ms) expect([t, parseTime(t, undefined)]).toEqual([t, ms]);
    }
    // A day the month does not have, right after the same month's valid days were read, still takes Date.parse.
    expect(parseTime('2026-02-28T10:00:00Z', undefined)).toBe(Date.UTC(2026, 1, 28, 10));
    expect(parseTime('2026-02-30T10:00:00Z', undefined)).toBe(Date.parse('2026-02-30T10:00:00Z'));
    expect(parseTime('2026-02-2xT10:00:00Z', undefined)).toBe('expected an RFC 3339 timestamp');
    expect(parseTime('2026-02-28T10:00:00.12xZ', undefined)).toBe('expected an RFC 3339 timestamp');
  });
});

import { describe, expect, it } from '@jest/globals';
import { findingLocation, formatFindingLocation, formatLocation } from '../../src/stix/location.js';
import { parse } from '../../src/stix/parse.js';
import { locatePointers } from '../../src/stix/text-positions.js';
import { validateStream } from '../../src/stix/validate-stream.js';
import type { ParseDiagnostic } from '../../src/stix/parse.js';

describe('formatLocation: one style, input:line:column pointer', () => {
  it('joins what is known', () => {
    expect(formatLocation({ input: 'feed.ndjson', line: 12, column: 5, pointer: '/pattern' })).toBe('feed.ndjson:12:5 /pattern');
    expect(formatLocation({ input: 'feed.ndjson', line: 12 })).toBe('feed.ndjson:12');
    expect(formatLocation({ line: 3, column: 1, pointer: '/objects/0' })).toBe('3:1 /objects/0');
    expect(formatLocation({ input: 'b.json', pointer: '/objects/2/id' })).toBe('b.json /objects/2/id');
    expect(formatLocation({ pointer: '/valid_until' })).toBe('/valid_until');
  });

  it('names the root only when nothing else locates the finding', () => {
    expect(formatLocation({ pointer: '' })).toBe('(root)');
    expect(formatLocation({})).toBe('(root)');
    expect(formatLocation({ input: '-', line: 1, column: 1, pointer: '' })).toBe('-:1:1');
  });

  it('drops the NDJSON record number from the pointer: the line names the record', () => {
    const d = { path: '/1/valid_until', line: 2, column: 40, record: 1 };
    expect(findingLocation(d, 'feed.ndjson')).toEqual({ input: 'feed.ndjson', line: 2, column: 40, pointer: '/valid_until' });
    expect(formatFindingLocation({ path: '/1', line: 2, record: 1 }, 'feed.ndjson')).toBe('feed.ndjson:2');
    // A document's array index is part of its pointer and stays.
    expect(formatFindingLocation({ path: '/1/valid_until', line: 1, column: 9 }, 'list.json')).toBe('list.json:1:9 /1/valid_until');
  });
});

describe('locatePointers', () => {
  const text = '{\n  "type": "bundle",\n  "objects": [\n    {"a~b": 1, "c/d": {"e": [10, 20]}},\n    "x"\n  ]\n}';

  it('places members at their key and elements at their start', () => {
    const at = locatePointers(text, ['', '/type', '/objects', '/objects/0', '/objects/0/a~0b', '/objects/0/c~1d/e/1', '/objects/1']);
    const line4 = text.split('\n')[3] ?? '';
    expect(at.get('')).toEqual({ line: 1, column: 1 });
    expect(at.get('/type')).toEqual({ line: 2, column: 3 });
    expect(at.get('/objects')).toEqual({ line: 3, column: 3 });
    expect(at.get('/objects/0')).toEqual({ line: 4, column: 5 });
    expect(at.get('/objects/0/a~0b')).toEqual({ line: 4, column: line4.indexOf('"a~b"') + 1 });
    expect(at.get('/objects/0/c~1d/e/1')).toEqual({ line: 4, column: line4.indexOf('20') + 1 });
    expect(at.get('/objects/1')).toEqual({ line: 5, column: 5 });
  });

  it('places a pointer to something missing at the deepest part that exists, and adds a line offset', () => {
    const at = locatePointers(text, ['/objects/0/missing', '/nothing/here'], 10);
    expect(at.get('/objects/0/missing')).toEqual({ line: 14, column: 5 });
    expect(at.get('/nothing/here')).toEqual({ line: 11, column: 1 });
  });

  it('is not misled by brackets, braces and escaped quotes inside strings', () => {
    const tricky = '{"s": "a \\" } ] {", "t": [ "]" , {"u": 1} ]}';
    const at = locatePointers(tricky, ['/t/1/u']);
    expect(at.get('/t/1/u')).toEqual({ line: 1, column: tricky.indexOf('"u"') + 1 });
  });
});

describe('parse and validateStream with positions', () => {
  const indicator = (extra: Record<string, unknown>): string =>
    JSON.stringify({
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'n',
      description: 'd',
      pattern: "[ipv4-addr:value = '192.0.2.1']",
      pattern_type: 'stix',
      valid_from: '2026-02-01T00:00:00Z',
      ...extra,
    });

  it('gives NDJSON findings their line, record and column within the line', async () => {
    const second = indicator({ id: 'indicator--1c7d3e9a-5b2f-4e8a-9c61-0d2f4b6a8e13', valid_until: '2026-01-01T00:00:00Z' });
    const text = `${indicator({})}\n${second}\n`;
    const column = second.indexOf('"valid_until"') + 1;
    const fromParse = parse(text, { positions: true }).diagnostics;
    expect(fromParse.map((d) => [d.code, d.path, d.line, d.column, d.record])).toEqual([['timestamp-order', '/1/valid_until', 2, column, 1]]);
    const streamed: ParseDiagnostic[] = [];
    await validateStream([text], { positions: true, onDiagnostic: (d) => streamed.push(d) });
    expect(streamed).toEqual(fromParse);
    expect(formatFindingLocation(fromParse[0] as ParseDiagnostic, 'feed.ndjson')).toBe(`feed.ndjson:2:${column} /valid_until`);
  });

  it('places findings of a pretty-printed bundle on their line', () => {
    const bundle = JSON.stringify({ type: 'bundle', id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects: [JSON.parse(indicator({ x_rank: 1 })) as object] }, null, 2);
    const lines = bundle.split('\n');
    const line = lines.findIndex((l) => l.includes('"x_rank"')) + 1;
    const [d] = parse(bundle, { positions: true }).diagnostics;
    expect([d?.code, d?.path, d?.line, d?.column]).toEqual(['custom-property', '/objects/0/x_rank', line, (lines[line - 1] ?? '').indexOf('"x_rank"') + 1]);
    // Without the option, parse() stays as it was: no extra pass, no positions.
    expect(parse(bundle).diagnostics[0]?.line).toBeUndefined();
  });
});

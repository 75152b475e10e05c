import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { scanEnvelope } from '../../../src/taxii/server/envelope-shape.js';

const scan = (text: string, max = 10): ReturnType<typeof scanEnvelope> => scanEnvelope(Buffer.from(text), max);

describe('scanEnvelope', () => {
  it('counts the objects of an envelope, skipping strings and nested values that look like structure', () => {
    const text = '{ "more": "]}", "objects" : [ {"a": "x\\"}]"} ,\n  {"b": [1, {"c": "\\\\"}]} ], "next": {"objects": [1]} }';
    expect(scan(text)).toEqual({ kind: 'ok', count: 2, texts: ['{"a": "x\\"}]"}', '{"b": [1, {"c": "\\\\"}]}'] });
    expect(scan('{}')).toEqual({ kind: 'ok', count: 0, texts: undefined });
    expect(scan('{"objects":[ ]}')).toEqual({ kind: 'ok', count: 0, texts: [] });
    expect(scan('{"type":"bundle","objects":[{"é":"ü"},{}]}')).toEqual({ kind: 'ok', count: 2, texts: ['{"é":"ü"}', '{}'] });
    expect(scan('{"obj\\u0065cts":[{"x":1}]}')).toEqual({ kind: 'ok', count: 1, texts: ['{"x":1}'] });
  });

  it('gives no texts when "objects" is repeated or absent', () => {
    expect(scan('{"objects":[{"a":1}],"objects":[{"b":2}]}')).toEqual({ kind: 'ok', count: 1, texts: undefined });
    expect(scan('{"other":[{"objects":[1]}]}')).toEqual({ kind: 'ok', count: 0, texts: undefined });
  });

  it('gives the texts JSON.parse reads, for random envelopes, compact or indented', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), { maxLength: 8 }),
        fc.dictionary(fc.string().filter((k) => k !== 'objects'), fc.jsonValue(), { maxKeys: 3 }),
        fc.boolean(),
        (objects, extra, pretty) => {
          const doc = { ...extra, objects };
          const text = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
          const shape = scan(text, 100);
          // What JSON.parse reads of the same text (JSON has no -0: it reads back as 0).
          const read = (JSON.parse(text) as { objects: unknown[] }).objects;
          expect(shape.kind === 'ok' ? shape.texts?.map((t) => JSON.parse(t) as unknown) : shape).toEqual(read);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['{"objects":[1,1,1]}', 0, 'number'],
    ['{"objects":[{}, -2]}', 1, 'number'],
    ['{"objects":[{}, {}, "s"]}', 2, 'string'],
    ['{"objects":[[{}]]}', 0, 'array'],
    ['{"objects":[null]}', 0, 'null'],
    ['{"objects":[true]}', 0, 'boolean'],
    ['{"\\u006fbjects":[{},false]}', 1, 'boolean'],
  ])('names the first element of %s that is not an object', (text, index, found) => {
    expect(scan(text)).toEqual({ kind: 'not-an-object', index, found });
  });

  it('stops at element limit + 1, and checks every "objects" member (JSON.parse keeps the last)', () => {
    expect(scan('{"objects":[{},{},{}]}', 2)).toEqual({ kind: 'too-many', limit: 2 });
    expect(scan('{"objects":[{},{}]}', 2)).toEqual({ kind: 'ok', count: 2, texts: ['{}', '{}'] });
    expect(scan('{"objects":[{}],"objects":[{},{},{}]}', 2)).toEqual({ kind: 'too-many', limit: 2 });
    expect(scan('{"objects":[{},{},{}],"objects":[{}]}', 2)).toEqual({ kind: 'too-many', limit: 2 });
  });

  it.each([['[]'], ['"objects"'], ['{"objects":[{}'], ['{"objects":[{},]'], ['{"objects":[{"a":"}]}'], ['{"objects" [1]}'], ['{"objects":[}]}']])(
    'leaves %s to JSON.parse (unreadable)',
    (text) => {
      expect(scan(text)).toEqual({ kind: 'unreadable' });
    },
  );

  it('scans a 10 MiB list of numbers by looking at its first element only', () => {
    const body = Buffer.from('{"objects":[' + '1,'.repeat(5 * 1024 * 1024) + '1]}');
    expect(scan(body.toString(), 10_000)).toEqual({ kind: 'not-an-object', index: 0, found: 'number' });
  });
});

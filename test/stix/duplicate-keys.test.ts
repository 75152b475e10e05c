import { describe, expect, it } from '@jest/globals';
import { duplicateKeyIn, findDuplicateKey } from '../../src/stix/duplicate-keys.js';
import { parse } from '../../src/stix/parse.js';
import type { ParseDiagnostic } from '../../src/stix/parse.js';
import { validateStream } from '../../src/stix/validate-stream.js';

const ID = '"identity--311b2d2d-f010-4473-83ec-1edf84858f4c"';
const HEAD = `"type": "identity", "spec_version": "2.1", "id": ${ID}, "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z"`;

describe('duplicateKeyIn', () => {
  it('finds a name written twice, also when one spelling is escaped (JSON.parse compares unescaped names)', () => {
    for (const [text, at] of [
      ['{"a": 1, "a": 2}', '/a'],
      ['{"name": "x", "na\\u006de": "y"}', '/name'],
      ['{"hashes": {"MD5": "x", "SHA-256": "y", "MD5": "z"}}', '/hashes/MD5'],
      ['[{"a": 1}, {"b": [{"c": 1, "c": 1}]}]', '/1/b/0/c'],
      // White space between a name and its colon, with and without an escaped quote elsewhere in the text.
      ['{"a" : 1, "b":2, "a"\t: 3}', '/a'],
      ['{"a": "say \\"hi\\"", "b": 1, "b" : 2}', '/b'],
      ['{"q\\"":1,"q\\"":2}', '/q"'],
    ] as const) {
      expect([text, duplicateKeyIn(text, JSON.parse(text))]).toEqual([text, at]);
      expect(findDuplicateKey(text)).toBe(at);
    }
  });

  it('is not fooled by quotes and colons inside strings', () => {
    for (const text of [
      '{"description": "key\\": value", "b": "\\\\"}',
      '{"a": "x\\\\", "b": ":"}',
      '{"url": "https://example.com/a:b", "t": "12:00:00", "q": "\\"quoted\\": yes"}',
      '{"a" : {"b" :1}, "c":\n  2}',
    ]) {
      expect([text, duplicateKeyIn(text, JSON.parse(text))]).toEqual([text, undefined]);
    }
  });
});

describe('json-duplicate-key (I-JSON RFC 7493 §2.3; STIX 2.1 §2.3 dictionary keys are unique)', () => {
  const dupObject = `{${HEAD}, "name": "first", "name": "second"}`;
  const good = `{${HEAD.replace('4c"', '4d"')}, "name": "ok"}`;

  it('parse() reports it at the name and drops the object', () => {
    const single = parse(dupObject);
    expect(single.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([['json-duplicate-key', 'error', '/name']]);
    expect(single.objects).toEqual([]);
    const bundle = parse(`{"type": "bundle", "id": "bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2", "objects": [${good}, ${dupObject}]}`);
    expect(bundle.diagnostics.map((d) => [d.code, d.path])).toEqual([['json-duplicate-key', '/objects/1/name']]);
    expect(bundle.objects).toHaveLength(1);
    // The bundle's own properties too.
    const own = parse(`{"type": "bundle", "id": "bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2", "type": "bundle", "objects": [${good}]}`);
    expect(own.diagnostics.map((d) => [d.code, d.path])).toEqual([['json-duplicate-key', '/type']]);
  });

  it('validateStream reports it per NDJSON line and per bundle element, as parse() does', async () => {
    for (const text of [`${good}\n${dupObject}\n`, `[${good},\n${dupObject}]`]) {
      const ds: ParseDiagnostic[] = [];
      const summary = await validateStream([text], { onDiagnostic: (d) => ds.push(d) });
      expect(ds.map((d) => [d.code, d.path, d.line])).toEqual([['json-duplicate-key', '/1/name', 2]]);
      expect(summary.valid).toBe(1);
      expect(parse(text).diagnostics.map((d) => [d.code, d.path])).toEqual([['json-duplicate-key', '/1/name']]);
    }
  });
});

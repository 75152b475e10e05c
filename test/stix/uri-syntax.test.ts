import { describe, expect, it } from '@jest/globals';
import { validate } from '../../src/stix/validate.js';
import { isAbsoluteUri } from '../../src/stix/uri-syntax.js';

/* §6.15: a url value "MUST conform to [RFC3986]"; RFC 3986 §2-§3 give the characters of each part of a URI. */

describe('isAbsoluteUri (RFC 3986 generic syntax)', () => {
  it.each([
    'https://example.com',
    'https://example.com/a/b?x=1&y=%2F#frag/ment?',
    'http://user:secret@example.com:8080/path;p=1',
    'http://[2001:db8::1]:8443/admin',
    'http://[v1.fe80::a+en1]/',
    'http://198.51.100.3/x',
    'file:///C:/Windows/notepad.exe',
    'mailto:abuse@example.com',
    "ftp://example.com/a!$&'()*+,;=b",
    'https://xn--bcher-kva.example/',
  ])('accepts %s', (uri) => {
    expect(isAbsoluteUri(uri)).toBe(true);
  });

  it.each([
    ['defanged host brackets', 'hxxp://example[.]com/payload'],
    ['a raw space', 'https://example.com/a b'],
    ['non-ASCII (an IRI, not a URI)', 'https://bücher.example/'],
    ['a percent sign without two hex digits', 'https://example.com/100%'],
    ['a bar', 'https://example.com/a|b'],
    ['braces', 'https://example.com/{id}'],
    ['a backslash', 'http://example.com\\evil'],
    ['a caret', 'https://example.com/a^b'],
    ['brackets that do not hold an IPv6 address', 'http://[not-an-address]/'],
    ['a second #', 'https://example.com/#a#b'],
    ['no scheme', '//example.com/a'],
    ['a scheme that starts with a digit', '1http://example.com/'],
    ['a port with letters', 'http://example.com:80a/'],
  ])('refuses %s', (_why, uri) => {
    expect(isAbsoluteUri(uri)).toBe(false);
  });
});

describe('url formats in objects (schema-format)', () => {
  it('refuses a defanged url value, an artifact url and an external reference url that break RFC 3986', () => {
    const url = { type: 'url', spec_version: '2.1', id: 'url--c1477287-23ac-5971-a010-5c287877fa60', value: 'hxxp://example[.]com/a' };
    expect(validate(url).filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`)).toEqual(['schema-format /value']);
    const artifact = {
      type: 'artifact',
      spec_version: '2.1',
      id: 'artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641',
      url: 'https://example.com/sample bin',
      hashes: { 'SHA-256': 'a'.repeat(64) },
    };
    expect(validate(artifact).filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`)).toEqual(['schema-format /url']);
    const T = '2026-01-01T00:00:00.000Z';
    const identity = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
      created: T,
      modified: T,
      name: 'Lab',
      external_references: [{ source_name: 'lab', url: 'https://lab.example/reports/{latest}' }],
    };
    expect(validate(identity).filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path}`)).toEqual(['schema-format /external_references/0/url']);
  });
});

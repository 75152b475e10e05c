import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../../src/stix/diagnostic.js';
import { charsetProblem } from '../../../src/stix/rules/iana-charsets.js';
import { isLanguageTag } from '../../../src/stix/rules/registries.js';
import { validate } from '../../../src/stix/validate.js';

const T = '2016-04-06T20:03:48.000Z';

function find(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

describe('registry lookups', () => {
  it('RFC 5646 language tags with a registered primary language', () => {
    for (const tag of ['en', 'eng', 'de-DE', 'zh-Hans', 'fr-CA', 'x-klingon', 'und', 'qaa']) expect(isLanguageTag(tag)).toBe(true);
    for (const tag of ['foo', 'bbb', 'español', '', 'e', 'en--US']) expect(isLanguageTag(tag)).toBe(false);
  });

  it('IANA character sets', () => {
    for (const cs of ['US-ASCII', 'ISO-8859-2', 'UTF-8', 'utf-16le', 'UTF-32', 'windows-1252']) expect(charsetProblem(cs)).toBeUndefined();
    expect(charsetProblem('bla.bla.bla')).toBe("'bla.bla.bla' is not a name in the IANA character set registry");
  });
});

describe('language-tag-invalid', () => {
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: 'identity--2d1c6ab3-5e4e-48ac-a32b-f0c01c2836a8',
    created: T,
    modified: T,
    name: 'x',
  };

  it('lang must be an RFC 5646 tag (§3.2)', () => {
    expect(find(validate({ ...identity, lang: 'foo' }), 'language-tag-invalid')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/lang' }),
    ]);
    expect(find(validate({ ...identity, lang: 'en' }), 'language-tag-invalid')).toEqual([]);
  });

  it('software languages must be RFC 5646 tags (§6.14)', () => {
    const sw = { type: 'software', spec_version: '2.1', id: 'software--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', name: 'w', languages: ['eng', 'bbb'] };
    expect(find(validate(sw), 'language-tag-invalid')).toEqual([expect.objectContaining({ path: '/languages/1' })]);
  });

  it('language-content contents keys must be RFC 5646 tags (§7.1)', () => {
    const lc = {
      type: 'language-content',
      spec_version: '2.1',
      id: 'language-content--fa8daccd-4df2-4e83-93a4-e1990a2355c2',
      created: T,
      modified: T,
      object_ref: 'identity--2d1c6ab3-5e4e-48ac-a32b-f0c01c2836a8',
      object_modified: T,
      contents: { de: { name: 'x' }, foo: { name: 'y' } },
    };
    expect(find(validate(lc), 'language-tag-invalid')).toEqual([expect.objectContaining({ path: '/contents/foo' })]);
  });
});

describe('charset-invalid (§6.7 name_enc, §6.3 path_enc)', () => {
  const file = { type: 'file', spec_version: '2.1', id: 'file--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', name: 'a' };

  it('rejects an unregistered character set', () => {
    expect(find(validate({ ...file, name_enc: 'bla.bla.bla' }), 'charset-invalid')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/name_enc' }),
    ]);
  });

  it('accepts a registered one', () => {
    expect(find(validate({ ...file, name_enc: 'ISO-8859-2' }), 'charset-invalid')).toEqual([]);
  });

  // "If the preferred MIME name for a character set is defined, this value MUST be used; if it is not defined, then
  // the Name value from the registry MUST be used instead" (§6.7; §6.3 says the same of path_enc).
  it('refuses a registered alias and names the preferred MIME name to use', () => {
    for (const [alias, preferred] of [['latin1', 'ISO-8859-1'], ['ISO_8859-1:1987', 'ISO-8859-1'], ['csUTF8', 'UTF-8'], ['ANSI_X3.4-1968', 'US-ASCII'], ['cp437', 'IBM437'], ['MS_Kanji', 'Shift_JIS']]) {
      const ds = find(validate({ ...file, name_enc: alias }), 'charset-invalid');
      expect(ds).toEqual([expect.objectContaining({ severity: 'error', path: '/name_enc' })]);
      expect(ds[0]?.message).toContain(`must be used: '${preferred}'`);
    }
  });

  it('refuses spellings only decoders know, naming the registry name of that encoding', () => {
    for (const [spelling, registered] of [['utf8', 'UTF-8'], ['cp1252', 'windows-1252'], ['sjis', 'Shift_JIS'], ['iso8859-2', 'ISO-8859-2']]) {
      const ds = find(validate({ ...file, name_enc: spelling }), 'charset-invalid');
      expect(ds).toEqual([expect.objectContaining({ severity: 'error', path: '/name_enc' })]);
      expect(ds[0]?.message).toContain(`registry's name for this encoding is '${registered}'`);
    }
  });

  it('compares names without case (RFC 2978), and judges directory path_enc the same way (§6.3)', () => {
    expect(find(validate({ ...file, name_enc: 'utf-8' }), 'charset-invalid')).toEqual([]);
    expect(find(validate({ ...file, name_enc: 'SHIFT_JIS' }), 'charset-invalid')).toEqual([]);
    const dir = { type: 'directory', spec_version: '2.1', id: 'directory--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', path: 'C:\\Windows' };
    expect(find(validate({ ...dir, path_enc: 'windows-1252' }), 'charset-invalid')).toEqual([]);
    expect(find(validate({ ...dir, path_enc: 'latin2' }), 'charset-invalid')).toEqual([expect.objectContaining({ severity: 'error', path: '/path_enc' })]);
  });
});

describe('mime-type-invalid', () => {
  it('artifact mime_type MUST be an IANA media type (§6.1)', () => {
    const art = {
      type: 'artifact',
      spec_version: '2.1',
      id: 'artifact--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4',
      url: 'https://example.com/a.zip',
      hashes: { MD5: 'B365B9A80A06906FC9B400C06C33FF43' },
    };
    expect(find(validate({ ...art, mime_type: 'bla/blabla' }), 'mime-type-invalid')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/mime_type' }),
    ]);
    expect(find(validate({ ...art, mime_type: 'application/zip' }), 'mime-type-invalid')).toEqual([]);
  });

  it('file mime_type SHOULD be one (warning, §6.7)', () => {
    const file = { type: 'file', spec_version: '2.1', id: 'file--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', name: 'a', mime_type: 'bla' };
    expect(find(validate(file), 'mime-type-invalid')).toEqual([expect.objectContaining({ severity: 'warning', path: '/mime_type' })]);
  });
});

describe('external-reference-cve / external-reference-capec', () => {
  const vuln = {
    type: 'vulnerability',
    spec_version: '2.1',
    id: 'vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    created: T,
    modified: T,
    name: 'CVE-2016-1234',
  };
  const ap = {
    type: 'attack-pattern',
    spec_version: '2.1',
    id: 'attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    created: T,
    modified: T,
    name: 'Spear Phishing',
  };

  it.each([
    [{ source_name: 'CVE', external_id: 'CVE-2016-1234' }],
    [{ source_name: 'cve', external_id: 'cve-2016-1234' }],
    [{ source_name: 'cve', external_id: 'CVE-2016-abc' }],
    [{ source_name: 'cve', external_id: 'CVE-2016-123' }],
  ])('rejects CVE reference %j (§4.19)', (ref) => {
    expect(find(validate({ ...vuln, external_references: [ref] }), 'external-reference-cve')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/external_references/0' }),
    ]);
  });

  it('accepts a correct CVE reference and unrelated references', () => {
    const refs = [{ source_name: 'cve', external_id: 'CVE-2016-12345' }, { source_name: 'nvd', url: 'https://nvd.nist.gov' }];
    expect(find(validate({ ...vuln, external_references: refs }), 'external-reference-cve')).toEqual([]);
  });

  it('rejects malformed CAPEC references (§4.1) and accepts good ones', () => {
    expect(find(validate({ ...ap, external_references: [{ source_name: 'capec', external_id: 'CAPEC-abc' }] }), 'external-reference-capec')).toEqual([
      expect.objectContaining({ path: '/external_references/0' }),
    ]);
    expect(find(validate({ ...ap, external_references: [{ source_name: 'capec', external_id: 'CAPEC-163' }] }), 'external-reference-capec')).toEqual([]);
  });
});

describe('cpe-invalid (§6.14 MUST, error)', () => {
  const sw = { type: 'software', spec_version: '2.1', id: 'software--ff1e0780-358c-5808-a8c7-d0fca4ef6ef4', name: 'Word' };

  it('accepts a CPE 2.3 formatted string and refuses anything else', () => {
    expect(find(validate({ ...sw, cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*' }), 'cpe-invalid')).toEqual([]);
    // CPE 2.2 URI binding, not the 2.3 formatted string.
    expect(find(validate({ ...sw, cpe: 'cpe:/a:microsoft:word:2000' }), 'cpe-invalid')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/cpe' }),
    ]);
    // Ten components instead of eleven after cpe:2.3.
    expect(find(validate({ ...sw, cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*' }), 'cpe-invalid')).toHaveLength(1);
  });
});

describe('domain-name-invalid (§6.4 MUST: RFC 1034 / RFC 5890 domain name)', () => {
  const dn = (value: string): Record<string, unknown> => ({ type: 'domain-name', spec_version: '2.1', id: 'domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5', value });

  it.each(['example.com', 'a.b.example.org.', '_dmarc.example.com', 'xn--bcher-kva.example', 'bücher.example', 'localhost'])('accepts %s', (value) => {
    expect(find(validate(dn(value)), 'domain-name-invalid')).toEqual([]);
  });

  it.each(['example[.]com', 'http://example.com', 'a..example.com', '-bad.example.com', 'bad-.example.com', 'user@example.com', 'two words.com', `${'a'.repeat(64)}.com`])(
    'refuses %s',
    (value) => {
      expect(find(validate(dn(value)), 'domain-name-invalid')).toEqual([expect.objectContaining({ severity: 'error', path: '/value' })]);
    },
  );
});

describe('registry-hive-abbreviated (§6.17 MUST: the hive is fully expanded, HKEY_LOCAL_MACHINE not HKLM)', () => {
  const key = (k: string): Record<string, unknown> => ({
    type: 'windows-registry-key',
    spec_version: '2.1',
    id: 'windows-registry-key--2ba37ae7-2745-5082-9dfd-9486dad41016',
    key: k,
  });

  // The first is §6.17's own example; the hive is case-preserved (a SHOULD), so any case of a full name is a full name.
  it.each(['hkey_local_machine\\system\\bar\\foo', 'HKEY_LOCAL_MACHINE\\System\\Foo\\Bar', 'HKEY_CURRENT_USER', 'HKEY_USERS\\S-1-5-18'])('accepts %s', (k) => {
    expect(find(validate(key(k)), 'registry-hive-abbreviated')).toEqual([]);
  });

  it.each(['HKLM\\Software\\Microsoft', 'hkcu\\Software', 'HKU', 'HKEY_LOCAL\\System', 'HKEY_LM\\System'])('refuses %s', (k) => {
    expect(find(validate(key(k)), 'registry-hive-abbreviated')).toEqual([expect.objectContaining({ severity: 'error', path: '/key' })]);
  });
});

describe('email-header-encoded (§6.6 MUST: RFC 2047 encoded header values are decoded)', () => {
  const msg = (extra: Record<string, unknown>): Record<string, unknown> => ({
    type: 'email-message',
    spec_version: '2.1',
    id: 'email-message--72b7698f-10c2-565a-a2a6-b4996a2f2265',
    is_multipart: false,
    ...extra,
  });

  it('accepts decoded values, and text that only looks a little like an encoded word', () => {
    // §6.6's own example, decoded.
    expect(find(validate(msg({ subject: 'this is some text', received_lines: ['from mx.example.com'] })), 'email-header-encoded')).toEqual([]);
    expect(find(validate(msg({ subject: 'a =? b ?= c' })), 'email-header-encoded')).toEqual([]);
  });

  it('refuses encoded words wherever a header value sits', () => {
    // §6.6's own example, still encoded; then a base64 encoded word in an additional header and in a MIME part.
    const ds = validate(
      msg({
        subject: '=?iso-8859-1?q?this=20is=20some=20text?=',
        additional_header_fields: { 'X-Mailer': ['=?UTF-8?B?SGVsbG8=?='] },
      }),
    );
    expect(find(ds, 'email-header-encoded').map((d) => [d.severity, d.path])).toEqual([
      ['error', '/subject'],
      ['error', '/additional_header_fields/X-Mailer/0'],
    ]);
    const multipart = validate({
      ...msg({}),
      is_multipart: true,
      body_multipart: [{ body: 'hi', content_type: 'text/plain', content_disposition: 'attachment; filename="=?UTF-8?Q?r=C3=A9sum=C3=A9.txt?="' }],
    });
    expect(find(multipart, 'email-header-encoded').map((d) => d.path)).toEqual(['/body_multipart/0/content_disposition']);
  });
});

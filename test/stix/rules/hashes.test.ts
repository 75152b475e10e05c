import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../../src/stix/diagnostic.js';
import { validate } from '../../../src/stix/validate.js';

/*
 * §2.7: a hashes value "MUST be a string in the appropriate format defined by the hash type indicated in the dictionary
 * key"; §10.8 hash-algorithm-ov: MD5 per RFC 1321, SHA-1 per RFC 3174, SHA-256/SHA-512 per RFC 6234, SHA3-256/SHA3-512
 * per FIPS 202, SSDEEP a piecewise hash, TLSH a 35-byte hash. Valid values here are real digests of a real input.
 */
const digest = (alg: string): string => createHash(alg).update('distill-intel').digest('hex');
const VALID: Record<string, string> = {
  MD5: digest('md5'),
  'SHA-1': digest('sha1'),
  'SHA-256': digest('sha256'),
  'SHA-512': digest('sha512'),
  'SHA3-256': digest('sha3-256'),
  'SHA3-512': digest('sha3-512'),
  SSDEEP: '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C',
  TLSH: '8D'.repeat(35),
};

const file = (hashes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'file',
  spec_version: '2.1',
  id: 'file--4a6e3c7c-0f3b-4e3a-9a0b-0c5b0b0c7e11',
  name: 'sample.bin',
  hashes,
  ...extra,
});

const invalid = (ds: Diagnostic[]): string[] => ds.filter((d) => d.code === 'hash-value-invalid').map((d) => `${d.severity} ${d.path}`);

describe('hash-value-invalid (§2.7, §10.8: a hash value has its algorithm\'s format)', () => {
  it('accepts a real digest of every hash-algorithm-ov algorithm, in upper or lower case hex', () => {
    expect(invalid(validate(file(VALID)))).toEqual([]);
    expect(invalid(validate(file({ 'SHA-256': VALID['SHA-256']!.toUpperCase() })))).toEqual([]);
  });

  it('refuses a digest one hex digit short, for every fixed-length algorithm', () => {
    for (const alg of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512']) {
      expect(invalid(validate(file({ [alg]: VALID[alg]!.slice(1) })))).toEqual([`error /hashes/${alg}`]);
    }
  });

  it('refuses a SHA-256 value of the right length holding a non-hex character, and says what the format is', () => {
    const ds = validate(file({ 'SHA-256': 'g' + VALID['SHA-256']!.slice(1) }));
    const found = ds.find((d) => d.code === 'hash-value-invalid');
    expect(found?.message).toContain('64 hexadecimal digits');
  });

  it('refuses an SSDEEP value that is not blocksize:signature:signature, and a TLSH value of the wrong length', () => {
    expect(invalid(validate(file({ SSDEEP: 'AXGBicFlgVNhBGcL6wCrFQEv' })))).toEqual(['error /hashes/SSDEEP']);
    expect(invalid(validate(file({ TLSH: '8D'.repeat(34) })))).toEqual(['error /hashes/TLSH']);
    // TLSH 4.x writes its version tag in front of the same 35 bytes.
    expect(invalid(validate(file({ TLSH: 'T1' + '8D'.repeat(35) })))).toEqual([]);
  });

  it('judges a spelling outside the vocabulary by the algorithm it names (and still warns about the spelling)', () => {
    const ds = validate(file({ sha256: 'abc' }));
    expect(invalid(ds)).toEqual(['error /hashes/sha256']);
    expect(ds.filter((d) => d.code === 'hash-algorithm-unknown').map((d) => d.path)).toEqual(['/hashes/sha256']);
  });

  it('leaves algorithms of unknown format alone (custom names)', () => {
    expect(invalid(validate(file({ x_lab_hash: 'anything at all' })))).toEqual([]);
  });

  it('checks every hashes dictionary: external references, alternate data streams, PE headers and sections', () => {
    const bad = 'not-a-digest';
    const ds = validate(
      file(
        { MD5: VALID['MD5']! },
        {
          external_references: [{ source_name: 'lab', url: 'https://lab.example/sample', hashes: { 'SHA-256': bad } }],
          extensions: {
            'ntfs-ext': { alternate_data_streams: [{ name: 'ads', hashes: { 'SHA-1': bad } }] },
            'windows-pebinary-ext': {
              pe_type: 'exe',
              file_header_hashes: { MD5: bad },
              optional_header: { magic_hex: '010b', hashes: { 'SHA-512': bad } },
              sections: [{ name: '.text', hashes: { 'SHA-256': bad } }],
            },
          },
        },
      ),
    );
    expect(invalid(ds).sort()).toEqual(
      [
        'error /external_references/0/hashes/SHA-256',
        'error /extensions/ntfs-ext/alternate_data_streams/0/hashes/SHA-1',
        'error /extensions/windows-pebinary-ext/file_header_hashes/MD5',
        'error /extensions/windows-pebinary-ext/optional_header/hashes/SHA-512',
        'error /extensions/windows-pebinary-ext/sections/0/hashes/SHA-256',
      ].sort(),
    );
  });

  it('is an error on an SDO external reference too, not only on SCOs', () => {
    const T = '2026-01-01T00:00:00.000Z';
    const attackPattern = {
      type: 'attack-pattern',
      spec_version: '2.1',
      id: 'attack-pattern--0c7b5b88-8ff7-4a4d-aa9c-feb398cd0061',
      created: T,
      modified: T,
      name: 'Model extraction by API querying',
      external_references: [{ source_name: 'lab', url: 'https://lab.example/report.pdf', hashes: { MD5: 'abc' } }],
    };
    expect(invalid(validate(attackPattern))).toEqual(['error /external_references/0/hashes/MD5']);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../../src/stix/diagnostic.js';
import { isValidPropertyName, isValidTypeName } from '../../../src/stix/rules/names.js';
import { validate } from '../../../src/stix/validate.js';

const T = '2016-04-06T20:03:48.000Z';
const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: T,
  modified: T,
  name: 'i',
  pattern: "[file:name = 'a']",
  pattern_type: 'stix',
  valid_from: T,
};
const custom = {
  type: 'x-example-com-customobject',
  spec_version: '2.1',
  id: 'x-example-com-customobject--4527e5de-8572-446a-a57a-706f15467461',
  created: T,
  modified: T,
};

function find(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

describe('name syntax (§3.1)', () => {
  it('type names', () => {
    expect(isValidTypeName('x-corp-oration')).toBe(true);
    expect(isValidTypeName('corpo_ration')).toBe(false);
    expect(isValidTypeName('X-example')).toBe(false);
    expect(isValidTypeName('x--y')).toBe(false);
    expect(isValidTypeName('x-y-')).toBe(false);
    expect(isValidTypeName('ab')).toBe(false);
  });

  it('property names', () => {
    expect(isValidPropertyName('id')).toBe(true);
    expect(isValidPropertyName('x_foo')).toBe(true);
    expect(isValidPropertyName('mp')).toBe(false);
    expect(isValidPropertyName('9ome_custom_stuff')).toBe(false);
    expect(isValidPropertyName('x-something')).toBe(false);
    expect(isValidPropertyName('a'.repeat(251))).toBe(false);
  });
});

describe('type-name-invalid / reserved-type', () => {
  it('rejects a malformed custom type name', () => {
    const ds = validate({ ...custom, type: 'corpo_ration', id: 'corpo_ration--4527e5de-8572-446a-a57a-706f15467461' });
    expect(find(ds, 'type-name-invalid')).toEqual([expect.objectContaining({ severity: 'error', path: '/type' })]);
  });

  it('rejects the reserved type action', () => {
    const ds = validate({ type: 'action', spec_version: '2.1', id: 'action--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', name: 'x' });
    expect(find(ds, 'reserved-type')).toEqual([expect.objectContaining({ severity: 'error', path: '/type' })]);
  });

  it('accepts a well-formed custom type, warning that custom objects are deprecated', () => {
    const ds = validate(custom);
    expect(find(ds, 'type-name-invalid')).toEqual([]);
    expect(find(ds, 'custom-object')).toEqual([expect.objectContaining({ severity: 'warning', path: '/type' })]);
  });
});

describe('reserved-property', () => {
  it.each([['severity'], ['action'], ['username'], ['phone_numbers'], ['phone_number']])('rejects %s', (prop) => {
    const ds = validate({ ...indicator, [prop]: 'x' });
    expect(find(ds, 'reserved-property')).toEqual([expect.objectContaining({ severity: 'error', path: `/${prop}` })]);
  });

  it('accepts ordinary custom properties', () => {
    expect(find(validate({ ...indicator, x_severity: 'x' }), 'reserved-property')).toEqual([]);
  });
});

describe('property-name-invalid', () => {
  it.each([['mp'], ['x-something'], ['9ome_custom_stuff'], ['my_new_property!']])('rejects %s', (prop) => {
    const ds = validate({ ...indicator, [prop]: 'x' });
    expect(find(ds, 'property-name-invalid')).toEqual([expect.objectContaining({ severity: 'error', path: `/${prop}` })]);
  });

  it('escapes the property name in the JSON pointer', () => {
    const ds = validate({ ...indicator, 'a/b~c': 'x' });
    expect(find(ds, 'property-name-invalid')).toEqual([expect.objectContaining({ path: '/a~1b~0c' })]);
  });

  it('accepts well-formed names on custom objects', () => {
    expect(find(validate({ ...custom, some_custom_stuff: 1 }), 'property-name-invalid')).toEqual([]);
  });
});

describe('custom-property (lenient keeps, warns)', () => {
  it('warns about an unknown property of a standard object', () => {
    const ds = validate({ ...indicator, x_foo: 'bar' });
    expect(find(ds, 'custom-property')).toEqual([expect.objectContaining({ severity: 'warning', path: '/x_foo' })]);
    expect(ds.some((d) => d.severity === 'error')).toBe(false);
  });

  it('is an error in strict mode', () => {
    expect(find(validate({ ...indicator, x_foo: 'bar' }, { strict: true }), 'custom-property')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/x_foo' }),
    ]);
  });

  it('does not flag defined properties', () => {
    expect(find(validate({ ...indicator, description: 'd' }), 'custom-property')).toEqual([]);
  });
});

describe('list-empty (custom properties)', () => {
  it('rejects an empty list in a custom property', () => {
    const ds = validate({ ...indicator, my_new_property: [] });
    expect(find(ds, 'list-empty')).toEqual([expect.objectContaining({ severity: 'error', path: '/my_new_property' })]);
  });

  it('accepts a non-empty one', () => {
    expect(find(validate({ ...indicator, my_new_property: ['a'] }), 'list-empty')).toEqual([]);
  });
});

// §3.1's name rules hold for the properties inside an SCO's predefined extensions and the types §6 embeds, and names
// §6 does not define there are custom properties (§11.1), as at the top level.
describe('names inside predefined extensions and embedded types', () => {
  const sco = (type: string, props: Record<string, unknown>) => ({
    type,
    spec_version: '2.1',
    id: `${type}--4527e5de-8572-446a-a57a-706f15467461`,
    ...props,
  });
  const at = (ds: Diagnostic[], code: string) => find(ds, code).map((d) => `${d.severity} ${d.path}`);

  it.each([
    ['a predefined extension', sco('file', { name: 'a', extensions: { 'ntfs-ext': { sid: 'S-1-5-18', 'Volume-Serial': '1' } } }), '/extensions/ntfs-ext/Volume-Serial'],
    ['an alternate data stream', sco('file', { name: 'a', extensions: { 'ntfs-ext': { alternate_data_streams: [{ name: 'Zone.Identifier', ZoneId: 3 }] } } }), '/extensions/ntfs-ext/alternate_data_streams/0/ZoneId'],
    ['a PE section', sco('file', { name: 'a', extensions: { 'windows-pebinary-ext': { pe_type: 'exe', imphash: 'x', sections: [{ name: '.text', VirtualSize: 10 }] } } }), '/extensions/windows-pebinary-ext/sections/0/VirtualSize'],
    ['a PE optional header', sco('file', { name: 'a', extensions: { 'windows-pebinary-ext': { pe_type: 'exe', optional_header: { magic_hex: '010b', ab: 1 } } } }), '/extensions/windows-pebinary-ext/optional_header/ab'],
    ['a MIME part', sco('email-message', { is_multipart: true, body_multipart: [{ body: 'hi', 'Content-ID': '<a@b>' }] }), '/body_multipart/0/Content-ID'],
    ['a registry value', sco('windows-registry-key', { key: 'HKEY_LOCAL_MACHINE\\Software', values: [{ name: 'Run', Type: 'REG_SZ' }] }), '/values/0/Type'],
    ['X.509 v3 extensions', sco('x509-certificate', { serial_number: '1', x509_v3_extensions: { key_usage: 'digitalSignature', 'CT-Precert': 'y' } }), '/x509_v3_extensions/CT-Precert'],
    ['a network-traffic extension', sco('network-traffic', { src_ref: 'ipv4-addr--4527e5de-8572-446a-a57a-706f15467461', protocols: ['http'], extensions: { 'http-request-ext': { request_method: 'get', request_value: '/', UserAgent: 'x' } } }), '/extensions/http-request-ext/UserAgent'],
  ])('refuses a malformed property name in %s', (_where, obj, path) => {
    expect(at(validate(obj), 'property-name-invalid')).toEqual([`error ${path}`]);
  });

  it('warns about a well-formed name the extension does not define, and not about the ones it does', () => {
    const ds = validate(sco('process', { pid: 1, extensions: { 'windows-process-ext': { window_title: 'x', x_session_id: 2 } } }));
    expect(at(ds, 'custom-property')).toEqual(['warning /extensions/windows-process-ext/x_session_id']);
    expect(at(ds, 'property-name-invalid')).toEqual([]);
  });

  it('leaves the content of deprecated custom -ext extensions to their owners', () => {
    const ds = validate(sco('file', { name: 'a', extensions: { 'x-acme-scan-ext': { VerdictCode: 1 } } }));
    expect(at(ds, 'property-name-invalid')).toEqual([]);
  });
});

// §3.1 also binds the properties of the common embedded types every object may carry (§2.5 external reference,
// kill-chain phase, §7.2.3 granular marking).
describe('names inside external references, kill-chain phases and granular markings', () => {
  const at = (ds: Diagnostic[], code: string) => find(ds, code).map((d) => `${d.severity} ${d.path}`);

  it('refuses a malformed name and warns about an undefined one in an external reference', () => {
    const ds = validate({ ...indicator, external_references: [{ source_name: 'lab', external_id: 'L-1', 'Retrieved-At': '2026-01-01', x_rank: 1 }] });
    expect(at(ds, 'property-name-invalid')).toEqual(['error /external_references/0/Retrieved-At']);
    expect(at(ds, 'custom-property')).toEqual(['warning /external_references/0/x_rank']);
  });

  it('refuses a malformed name in a kill-chain phase and in a granular marking, SCOs included', () => {
    const ds = validate({ ...indicator, kill_chain_phases: [{ kill_chain_name: 'mitre-atlas', phase_name: 'exfiltration', Order: 1 }] });
    expect(at(ds, 'property-name-invalid')).toEqual(['error /kill_chain_phases/0/Order']);
    const url = {
      type: 'url',
      spec_version: '2.1',
      id: 'url--4527e5de-8572-446a-a57a-706f15467461',
      value: 'https://lab.example/',
      granular_markings: [{ selectors: ['value'], marking_ref: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'TLP': 'x' }],
    };
    expect(at(validate(url), 'property-name-invalid')).toEqual(['error /granular_markings/0/TLP']);
  });

  it('says nothing about the properties those types define', () => {
    const ds = validate({
      ...indicator,
      external_references: [{ source_name: 'lab', description: 'd', url: 'https://lab.example/r', external_id: 'L-1', hashes: { 'SHA-256': 'a'.repeat(64) } }],
      kill_chain_phases: [{ kill_chain_name: 'mitre-atlas', phase_name: 'exfiltration' }],
    });
    expect(at(ds, 'property-name-invalid')).toEqual([]);
    expect(at(ds, 'custom-property')).toEqual([]);
  });
});

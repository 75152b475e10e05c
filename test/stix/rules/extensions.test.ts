import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../../src/stix/diagnostic.js';
import { registerExtension, unregisterExtension } from '../../../src/stix/extension-registry.js';
import { validate } from '../../../src/stix/validate.js';

const T = '2016-04-06T20:03:48.000Z';
const PROP_EXT = 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e';
const TOP_EXT = 'extension-definition--a932fcc6-e032-476c-826f-cb970a5a1fff';
const SDO_EXT = 'extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62';
const UNKNOWN_EXT = 'extension-definition--31adb724-a9a4-44b6-8ec2-fd4b181c9507';

const attackPattern = {
  type: 'attack-pattern',
  spec_version: '2.1',
  id: 'attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
  created: T,
  modified: T,
  name: 'Spear Phishing',
};
const file = { type: 'file', spec_version: '2.1', id: 'file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', name: 'foo.zip' };

function find(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

beforeAll(() => {
  registerExtension({
    id: PROP_EXT,
    name: 'test property extension',
    version: '1.0.0',
    extensionTypes: ['property-extension'],
    appliesTo: ['attack-pattern'],
    schema: {
      type: 'object',
      properties: { extension_type: { const: 'property-extension' }, rank: { type: 'integer', minimum: 1 } },
      required: ['extension_type', 'rank'],
    },
  });
  registerExtension({
    id: TOP_EXT,
    name: 'test toplevel extension',
    version: '1.0.0',
    extensionTypes: ['toplevel-property-extension'],
    extensionProperties: ['toxicity'],
    schema: { type: 'object', properties: { toxicity: { type: 'integer' } }, required: ['toxicity'] },
  });
  registerExtension({
    id: SDO_EXT,
    name: 'test new sdo',
    version: '1.0.0',
    extensionTypes: ['new-sdo'],
    objectType: 'x-test-thing',
    schema: { type: 'object', properties: { size: { type: 'integer' } } },
  });
});

afterAll(() => {
  for (const id of [PROP_EXT, TOP_EXT, SDO_EXT]) unregisterExtension(id);
});

describe('extension entries keyed by extension-definition id (§7.3)', () => {
  it('extension_type is required (extension-type-missing)', () => {
    const ds = validate({ ...attackPattern, extensions: { [UNKNOWN_EXT]: { 'extension-type': 'property-extension', a: 1 } } });
    expect(find(ds, 'extension-type-missing')).toEqual([expect.objectContaining({ severity: 'error', path: `/extensions/${UNKNOWN_EXT}` })]);
  });

  it('extension_type must be one of the five (extension-type-invalid)', () => {
    const ds = validate({ ...attackPattern, extensions: { [UNKNOWN_EXT]: { extension_type: ['something'] } } });
    expect(find(ds, 'extension-type-invalid')).toEqual([
      expect.objectContaining({ severity: 'error', path: `/extensions/${UNKNOWN_EXT}/extension_type` }),
    ]);
  });

  it('an unknown extension is kept and warned about (extension-unknown)', () => {
    const ds = validate({ ...attackPattern, extensions: { [UNKNOWN_EXT]: { extension_type: 'property-extension', a: 1 } } });
    expect(find(ds, 'extension-unknown')).toEqual([expect.objectContaining({ severity: 'warning', path: `/extensions/${UNKNOWN_EXT}` })]);
    expect(ds.some((d) => d.severity === 'error')).toBe(false);
  });

  it('an unknown extension stays a warning under strict: §7.3 lets a consumer ignore it (a MAY)', () => {
    const strict = validate({ ...attackPattern, extensions: { [UNKNOWN_EXT]: { extension_type: 'property-extension' } } }, { strict: true });
    expect(find(strict, 'extension-unknown')).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });

  it('a registered property extension is validated against its schema', () => {
    const bad = validate({ ...attackPattern, extensions: { [PROP_EXT]: { extension_type: 'property-extension', rank: 0 } } });
    expect(bad.filter((d) => d.severity === 'error').map((d) => d.path)).toEqual([`/extensions/${PROP_EXT}/rank`]);
    const good = validate({ ...attackPattern, extensions: { [PROP_EXT]: { extension_type: 'property-extension', rank: 2 } } });
    expect(good.filter((d) => d.severity === 'error')).toEqual([]);
    expect(find(good, 'extension-unknown')).toEqual([]);
  });

  it('extension_type must match the registered definition (extension-type-mismatch)', () => {
    const ds = validate({ ...attackPattern, extensions: { [PROP_EXT]: { extension_type: 'toplevel-property-extension' } } });
    expect(find(ds, 'extension-type-mismatch')).toEqual([expect.objectContaining({ path: `/extensions/${PROP_EXT}/extension_type` })]);
  });

  it('a registered extension applies only to its types (extension-not-applicable)', () => {
    const ds = validate({
      type: 'tool',
      spec_version: '2.1',
      id: 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: T,
      modified: T,
      name: 't',
      extensions: { [PROP_EXT]: { extension_type: 'property-extension', rank: 2 } },
    });
    expect(find(ds, 'extension-not-applicable')).toEqual([expect.objectContaining({ path: `/extensions/${PROP_EXT}` })]);
  });

  it('toplevel-property-extension: its properties are validated and not reported as custom', () => {
    const good = validate({ ...attackPattern, toxicity: 3, extensions: { [TOP_EXT]: { extension_type: 'toplevel-property-extension' } } });
    expect(find(good, 'custom-property')).toEqual([]);
    expect(good.filter((d) => d.severity === 'error')).toEqual([]);
    const bad = validate({ ...attackPattern, toxicity: 'high', extensions: { [TOP_EXT]: { extension_type: 'toplevel-property-extension' } } });
    expect(bad.filter((d) => d.severity === 'error').map((d) => d.path)).toEqual(['/toxicity']);
  });

  it('objects of a registered new-sdo type get the SDO common-property rules', () => {
    const thing = { type: 'x-test-thing', spec_version: '2.1', id: 'x-test-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T, size: 1 };
    const ds = validate({ ...thing, extensions: { [SDO_EXT]: { extension_type: 'new-sdo' } } });
    expect(find(ds, 'common-property-missing')).toEqual([expect.objectContaining({ path: '' })]);
    expect(find(ds, 'common-property-missing')[0]?.message).toContain("'modified'");
    const ok = validate({ ...thing, modified: T, extensions: { [SDO_EXT]: { extension_type: 'new-sdo' } } });
    expect(ok.filter((d) => d.severity === 'error')).toEqual([]);
    expect(find(ok, 'custom-object')).toEqual([]);
  });
});

describe('SCO -ext keys (§6, §11.3)', () => {
  it('rejects keys that are neither an extension-definition id nor -ext names (extension-key-invalid)', () => {
    const ds = validate({ ...file, extensions: { 'x-foobar': { foo: 'bar' } } });
    expect(find(ds, 'extension-key-invalid')).toEqual([expect.objectContaining({ severity: 'error', path: '/extensions/x-foobar' })]);
  });

  it('rejects -ext keys on SDOs', () => {
    const ds = validate({ ...attackPattern, extensions: { 'x-foo-ext': { a: 1 } } });
    expect(find(ds, 'extension-key-invalid')).toEqual([expect.objectContaining({ path: '/extensions/x-foo-ext' })]);
  });

  it('rejects a predefined extension on the wrong SCO type (extension-not-applicable)', () => {
    const ds = validate({ ...file, extensions: { 'tcp-ext': { src_flags_hex: '00' } } });
    expect(find(ds, 'extension-not-applicable')).toEqual([expect.objectContaining({ path: '/extensions/tcp-ext' })]);
  });

  it('rejects extension_type on a predefined extension (extension-type-forbidden)', () => {
    const ds = validate({ ...file, extensions: { 'ntfs-ext': { sid: 'S-1', extension_type: 'property-extension' } } });
    expect(find(ds, 'extension-type-forbidden')).toEqual([expect.objectContaining({ path: '/extensions/ntfs-ext/extension_type' })]);
  });

  it('accepts predefined extensions on their type and warns about deprecated custom ones (custom-extension)', () => {
    const ds = validate({ ...file, extensions: { 'ntfs-ext': { sid: 'S-1' }, 'x-foobar-ext': { a: 1 } } });
    expect(ds.filter((d) => d.severity === 'error')).toEqual([]);
    expect(find(ds, 'custom-extension')).toEqual([expect.objectContaining({ severity: 'warning', path: '/extensions/x-foobar-ext' })]);
  });
});

describe('extension-definition objects', () => {
  const def = {
    type: 'extension-definition',
    spec_version: '2.1',
    id: 'extension-definition--04b2d3ef-d061-4912-ab77-6bbe807a5bd5',
    created: T,
    modified: T,
    created_by_ref: 'identity--11b76a96-5d2b-45e0-8a5a-f6994f370731',
    name: 'New SDO 1',
    schema: 'https://www.example.com/schema/v1/',
    version: '1.2.1',
    extension_types: ['new-sdo'],
  };

  it('extension_properties only with toplevel-property-extension (extension-properties-not-toplevel)', () => {
    expect(find(validate({ ...def, extension_properties: ['x'] }), 'extension-properties-not-toplevel')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/extension_properties' }),
    ]);
    const ok = { ...def, extension_types: ['toplevel-property-extension'], extension_properties: ['x_y'] };
    expect(find(validate(ok), 'extension-properties-not-toplevel')).toEqual([]);
  });
});

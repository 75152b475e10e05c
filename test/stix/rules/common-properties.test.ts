import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../../src/stix/diagnostic.js';
import { validate } from '../../../src/stix/validate.js';

const T = '2016-04-06T20:03:48.000Z';
const EXT = 'extension-definition--1bba6c39-7ac1-40a2-819a-f33f8ea81a25';
const newSdo = {
  type: 'x-example-com-customobject',
  spec_version: '2.1',
  id: 'x-example-com-customobject--4527e5de-8572-446a-a57a-706f15467461',
  created: T,
  modified: T,
  extensions: { [EXT]: { extension_type: 'new-sdo' } },
};

function find(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

describe('common properties of objects without a standard schema (§3.2)', () => {
  it('a new-sdo object must carry created and modified (common-property-missing)', () => {
    const { modified: _m, ...noModified } = newSdo;
    const ds = validate(noModified);
    expect(find(ds, 'common-property-missing')).toEqual([expect.objectContaining({ severity: 'error', path: '' })]);
    expect(find(ds, 'common-property-missing')[0]?.message).toContain("'modified'");
    expect(find(validate(newSdo), 'common-property-missing')).toEqual([]);
  });

  it('a custom object without an id is rejected', () => {
    const ds = validate({ type: 'x-new-observable', property1: 'something' });
    expect(find(ds, 'common-property-missing')).toEqual([expect.objectContaining({ path: '' })]);
  });

  it('created/modified need millisecond precision (timestamp-format)', () => {
    const ds = validate({ ...newSdo, created: '2016-04-06T20:03:48Z', modified: '2016-04-06T20:03:48Z' });
    expect(find(ds, 'timestamp-format').map((d) => d.path)).toEqual(['/created', '/modified']);
    expect(find(validate(newSdo), 'timestamp-format')).toEqual([]);
  });

  it('ids must be <type>--<UUID> (id-invalid)', () => {
    expect(find(validate({ ...newSdo, id: 'x-example-com-customobject--nope' }), 'id-invalid')).toEqual([
      expect.objectContaining({ path: '/id' }),
    ]);
  });

  it('spec_version must be 2.1 (spec-version-invalid); "2.0" marks STIX 2.0 content instead', () => {
    expect(find(validate({ ...newSdo, spec_version: '2.2' }), 'spec-version-invalid')).toEqual([
      expect.objectContaining({ path: '/spec_version' }),
    ]);
    expect(validate({ ...newSdo, spec_version: '2.0' })).toEqual([expect.objectContaining({ code: 'stix-2.0-content', path: '' })]);
  });

  it('created_by_ref and object_marking_refs point at identity / marking-definition (reference-target-invalid)', () => {
    const ds = validate({
      ...newSdo,
      created_by_ref: 'source--f431f809-377b-45e0-aa1c-6a4751cae5ff',
      object_marking_refs: ['indicator--44098fce-860f-48ae-8e50-ebd3cc5e41da'],
    });
    expect(find(ds, 'reference-target-invalid').map((d) => d.path)).toEqual(['/created_by_ref', '/object_marking_refs/0']);
    const ok = validate({
      ...newSdo,
      created_by_ref: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
      object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
    });
    expect(find(ok, 'reference-target-invalid')).toEqual([]);
  });

  it('confidence is an integer 0-100 (confidence-invalid) and revoked a boolean (revoked-invalid)', () => {
    const ds = validate({ ...newSdo, confidence: 101, revoked: 'yes' });
    expect(find(ds, 'confidence-invalid')).toEqual([expect.objectContaining({ path: '/confidence' })]);
    expect(find(ds, 'revoked-invalid')).toEqual([expect.objectContaining({ path: '/revoked' })]);
    const ok = validate({ ...newSdo, confidence: 100, revoked: false });
    expect(find(ok, 'confidence-invalid')).toEqual([]);
    expect(find(ok, 'revoked-invalid')).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../src/stix/diagnostic.js';
import { parse } from '../../src/stix/parse.js';
import { validate } from '../../src/stix/validate.js';

const T = '2026-01-01T00:00:00.000Z';
const relationship = {
  type: 'relationship',
  spec_version: '2.1',
  id: 'relationship--0a4c1c39-6d7e-4c9c-9f0e-5a9e1e0c6b11',
  created: T,
  modified: T,
  relationship_type: 'uses',
  source_ref: 'intrusion-set--1e4a7a52-8d2b-4c8e-b6a0-6b3a2d0f4e21',
  target_ref: 'attack-pattern--5c2b8a44-0f6e-4f3c-9d1a-7e2b4c6d8f01',
};
const bundleId = 'bundle--44af6c39-c09b-49c5-9de2-394224b04982';
const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);

describe('duplicate-version (§3.6: id + modified name one version)', () => {
  it('is an error on the later of two objects with the same id and modified and other content', () => {
    const other = { ...relationship, target_ref: 'attack-pattern--9d3e1f22-4b5a-4c6d-8e7f-0a1b2c3d4e5f' };
    const ds = validate({ type: 'bundle', id: bundleId, objects: [relationship, other] });
    expect(ds.filter((d) => d.code === 'duplicate-version')).toEqual([
      expect.objectContaining({ severity: 'error', path: '/objects/1/modified', message: expect.stringContaining('/objects/0') }),
    ]);
  });

  it('accepts the same version twice when the content is the same, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(relationship).reverse());
    expect(codes(validate([relationship, reordered]))).not.toContain('duplicate-version');
  });

  it('accepts two versions of one object (different modified)', () => {
    const newer = { ...relationship, modified: '2026-02-01T00:00:00.000Z', description: 'confirmed' };
    expect(codes(validate([relationship, newer]))).not.toContain('duplicate-version');
  });

  it('parse() drops the later duplicate and keeps the first', () => {
    const other = { ...relationship, description: 'changed' };
    const r = parse(JSON.stringify([relationship, other]));
    expect(r.objects).toEqual([relationship]);
    expect(codes(r.diagnostics)).toContain('duplicate-version');
  });
});

describe('STIX 2.0 content (§3.2: no spec_version on an SDO/SRO means 2.0)', () => {
  const indicator20 = {
    type: 'indicator',
    id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2017-01-01T00:00:00Z',
    modified: '2017-01-01T00:00:00Z',
    labels: ['malicious-activity'],
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    valid_from: '2017-01-01T00:00:00Z',
  };
  const identity20 = { type: 'identity', id: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c', created: '2017-01-01T00:00:00Z', modified: '2017-01-01T00:00:00Z', name: 'ACME', identity_class: 'organization' };

  it('is reported once per input, with the count and the upgrade command, and no 2.1 rule findings', () => {
    const ds = validate({ type: 'bundle', id: bundleId, spec_version: '2.0', objects: [indicator20, identity20] });
    const errors = ds.filter((d) => d.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ code: 'stix-2.0-content', path: '/objects/0', message: expect.stringMatching(/^2 STIX 2\.0 objects .*distill-intel upgrade/) }),
    ]);
  });

  it('counts objects with spec_version "2.0" inside a list', () => {
    const ds = validate([{ ...identity20, spec_version: '2.0' }]);
    expect(ds).toEqual([expect.objectContaining({ code: 'stix-2.0-content', path: '/0', message: expect.stringMatching(/^1 STIX 2\.0 object /) })]);
  });

  it('does not take 2.1 SCOs, which may omit spec_version, for 2.0 content', () => {
    const ip = { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' };
    expect(codes(validate({ type: 'bundle', id: bundleId, objects: [ip] }))).not.toContain('stix-2.0-content');
  });

  it('parse() returns no 2.0 object as a 2.1 object', () => {
    const r = parse(JSON.stringify({ type: 'bundle', id: bundleId, spec_version: '2.0', objects: [indicator20] }));
    expect(r.objects).toEqual([]);
    expect(codes(r.diagnostics).filter((c) => c === 'stix-2.0-content')).toHaveLength(1);
  });
});

describe('bundle-type-missing (§8.1: a bundle has type "bundle")', () => {
  it('warns that an object with objects and no type is read as a TAXII envelope, and validates its objects', () => {
    const bad = { ...relationship, relationship_type: 'Uses Badly' };
    const ds = validate({ objects: [bad] });
    expect(ds[0]).toEqual(expect.objectContaining({ code: 'bundle-type-missing', severity: 'warning', path: '' }));
    expect(ds.some((d) => d.severity === 'error' && d.path.startsWith('/objects/0'))).toBe(true);
    const r = parse(JSON.stringify({ objects: [relationship], more: false }));
    expect(codes(r.diagnostics)).toEqual(['bundle-type-missing']);
    expect(r.objects).toEqual([relationship]);
  });
});

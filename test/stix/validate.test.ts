import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../src/stix/diagnostic.js';
import { StixValidationError } from '../../src/stix/errors.js';
import { validate, validateOrThrow } from '../../src/stix/validate.js';

const T = '2016-04-06T20:03:48.000Z';
const identity = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--2d1c6ab3-5e4e-48ac-a32b-f0c01c2836a8',
  created: T,
  modified: T,
  name: 'ACME',
};
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
const bundleId = 'bundle--44af6c39-c09b-49c5-9de2-394224b04982';

function errors(ds: Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === 'error');
}

describe('validate: inputs', () => {
  it('a clean object has no errors', () => {
    expect(errors(validate(identity))).toEqual([]);
  });

  it('validates a bundle object by object, with the index in the path', () => {
    const ds = validate({ type: 'bundle', id: bundleId, objects: [identity, { ...identity, modified: '2015-01-01T00:00:00.000Z' }] });
    expect(errors(ds)).toEqual([expect.objectContaining({ code: 'timestamp-order', path: '/objects/1/modified' })]);
  });

  it('validates an array of objects with /<i> paths', () => {
    const ds = validate([identity, { ...identity, id: 'abc--2d1c6ab3-5e4e-48ac-a32b-f0c01c2836a8' }]);
    expect(errors(ds)).toEqual([expect.objectContaining({ code: 'id-type-mismatch', path: '/1/id' })]);
  });

  it('reports values that are not objects (not-an-object) and objects without a type (type-missing)', () => {
    expect(validate(42)).toEqual([expect.objectContaining({ code: 'not-an-object', path: '' })]);
    expect(validate([identity, 'x'])).toEqual([expect.objectContaining({ code: 'not-an-object', path: '/1' })]);
    expect(validate({ id: identity.id })).toEqual([expect.objectContaining({ code: 'type-missing', path: '' })]);
    expect(validate({ type: 7 })).toEqual([expect.objectContaining({ code: 'type-missing', path: '/type' })]);
  });

  it('refuses a bundle inside a list (bundle-nested)', () => {
    expect(validate([{ type: 'bundle', id: bundleId, objects: [identity] }])).toEqual([
      expect.objectContaining({ code: 'bundle-nested', path: '/0' }),
    ]);
  });

  it('checks the bundle envelope: schema, and spec_version as a warning (bundle-spec-version)', () => {
    const ds = validate({ type: 'bundle', id: bundleId, spec_version: '2.1', objects: [identity] });
    expect(ds).toEqual([expect.objectContaining({ code: 'bundle-spec-version', severity: 'warning', path: '/spec_version' })]);
    expect(errors(validate({ type: 'bundle', objects: [identity] }))).toEqual([expect.objectContaining({ code: 'schema-required', path: '' })]);
    expect(errors(validate({ type: 'bundle', id: bundleId, objects: ['x'] }))).toEqual([
      expect.objectContaining({ code: 'schema-type', path: '/objects/0' }),
    ]);
  });

  it('validates observables embedded in the deprecated observed-data objects dictionary', () => {
    const od = {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
      created: T,
      modified: T,
      first_observed: T,
      last_observed: T,
      number_observed: 1,
      objects: { '0': { type: 'file', name: 'a' } },
    };
    expect(errors(validate(od))).toEqual([expect.objectContaining({ code: 'schema-required', path: '/objects/0' })]);
  });
});

describe('validate: strict and validateOrThrow', () => {
  it('strict turns warnings into errors', () => {
    const obj = { ...identity, x_custom: 1 };
    expect(validate(obj).map((d) => d.severity)).toEqual(['warning']);
    expect(validate(obj, { strict: true }).map((d) => d.severity)).toEqual(['error']);
  });

  it('validateOrThrow returns the warnings of acceptable input', () => {
    expect(validateOrThrow({ ...identity, x_custom: 1 })).toEqual([expect.objectContaining({ code: 'custom-property' })]);
  });

  it('validateOrThrow throws StixValidationError carrying the diagnostics', () => {
    let caught: unknown;
    try {
      validateOrThrow({ ...identity, modified: '2015-01-01T00:00:00.000Z' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StixValidationError);
    expect((caught as StixValidationError).code).toBe('STIX_INVALID');
    expect((caught as StixValidationError).diagnostics).toEqual([expect.objectContaining({ code: 'timestamp-order' })]);
  });
});

describe('validate: STIX patterns (§9), with nothing but the validator imported', () => {
  const patternFindings = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.code.startsWith('pattern-'));

  it('re-roots the checker findings at /pattern inside a bundle', () => {
    // The closing bracket is missing: the text ends where an observation expression must close.
    const broken = { ...indicator, pattern: "[file:name = 'a'" };
    const ds = validate({ type: 'bundle', id: bundleId, objects: [identity, broken] });
    expect(patternFindings(ds)).toEqual([expect.objectContaining({ code: 'pattern-syntax', severity: 'error', path: '/objects/1/pattern' })]);
  });

  it('keeps SHOULD-level pattern findings warnings, and makes them errors under strict', () => {
    // `nmae` is no property of file (§6.7): a warning, since custom properties may be patterned.
    const typo = { ...indicator, pattern: "[file:nmae = 'a']" };
    expect(patternFindings(validate(typo))).toEqual([expect.objectContaining({ code: 'pattern-unknown-property', severity: 'warning', path: '/pattern' })]);
    expect(patternFindings(validate(typo, { strict: true }))).toEqual([expect.objectContaining({ code: 'pattern-unknown-property', severity: 'error' })]);
  });

  it('does not read patterns of other languages as STIX', () => {
    const yara = { ...indicator, pattern_type: 'yara', pattern: "[file:name = 'a'" };
    expect(patternFindings(validate(yara))).toEqual([]);
    expect(patternFindings(validate({ ...yara, pattern_type: 'stix2' }))).toEqual([]);
  });

  it.each(['STIX', 'stix ', ' Stix\t'])('checks pattern_type %j as stix and warns about the spelling', (spelling) => {
    const ds = validate({ ...indicator, pattern_type: spelling, pattern: "[file:name = 'a'" });
    expect(patternFindings(ds)).toEqual([
      expect.objectContaining({ code: 'pattern-type-noncanonical', severity: 'warning', path: '/pattern_type' }),
      expect.objectContaining({ code: 'pattern-syntax', severity: 'error', path: '/pattern' }),
    ]);
  });

  it('a checkable pattern with a non-canonical pattern_type only draws the spelling warning', () => {
    const ds = validate({ ...indicator, pattern_type: 'STIX' });
    expect(patternFindings(ds)).toEqual([expect.objectContaining({ code: 'pattern-type-noncanonical' })]);
    expect(errors(ds)).toEqual([]);
  });
});

describe('rules see properties wherever the key walk finds them', () => {
  // The name rules record which looked-up properties an object has; every later rule must still see them on custom
  // objects (no table of known names) and as custom properties of standard objects.
  const custom = {
    type: 'x-acme-sensor',
    spec_version: '2.1',
    id: 'x-acme-sensor--0f4e4f0e-8d21-4c1e-9a57-5d0d4b8c1f0e',
    created: T,
    modified: T,
    lang: 'not a tag!',
    first_seen: '2020-01-02T00:00:00Z',
    last_seen: '2020-01-01T00:00:00Z',
    granular_markings: [{ marking_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', selectors: ['missing'] }],
    extensions: { 'not-an-extension-key': {} },
  };
  const codesAt = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.path}`);

  it('on an object of an unknown type', () => {
    const found = codesAt(validate(custom));
    expect(found).toEqual(
      expect.arrayContaining([
        'language-tag-invalid /lang',
        'marking-selector-unresolved /granular_markings/0/selectors/0',
        'extension-key-invalid /extensions/not-an-extension-key',
      ]),
    );
  });

  it('on a standard object carrying them as custom properties', () => {
    const withHashes = { ...identity, hashes: { 'NOT-A-HASH': 'aa' }, first_seen: '2020-01-02T00:00:00Z' };
    expect(codesAt(validate(withHashes))).toEqual(expect.arrayContaining(['hash-algorithm-unknown /hashes/NOT-A-HASH']));
  });

  it('orderings of defined properties still apply, and only when both ends are present', () => {
    const campaign = { ...identity, type: 'campaign', id: 'campaign--0f4e4f0e-8d21-4c1e-9a57-5d0d4b8c1f0e', name: 'c' };
    delete (campaign as Record<string, unknown>)['identity_class'];
    const late = { ...campaign, first_seen: '2020-01-02T00:00:00Z', last_seen: '2020-01-01T00:00:00Z' };
    expect(codesAt(errors(validate(late)))).toEqual(['timestamp-order /last_seen']);
    expect(errors(validate({ ...campaign, last_seen: '2020-01-01T00:00:00Z' }))).toEqual([]);
  });
});

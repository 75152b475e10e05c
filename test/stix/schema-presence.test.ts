import { describe, expect, it } from '@jest/globals';
import { STANDARD_VALIDATORS } from '../../src/stix/generated/validators.js';
import { COMMON_PRESENCE_NAMES, presenceMask, presenceTable, schemaPresence } from '../../src/stix/schema-presence.js';
import { validate } from '../../src/stix/validate.js';
import { guardPropertyReads } from '../../src/stix/validator-codegen.js';

/**
 * The generated validators skip reads of properties the presence bits say are absent. The bits must never hide a
 * property that is there, and must only ever apply to the object they were computed for.
 */

const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.1']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
};

describe('presence bits', () => {
  it('give the common names bits 0-10 in every table and a type’s own names the bits after them', () => {
    const t = presenceTable(['pattern', 'valid_until']);
    expect(COMMON_PRESENCE_NAMES.map((n) => t.get(n))).toEqual(COMMON_PRESENCE_NAMES.map((_, i) => 1 << i));
    expect([t.get('pattern'), t.get('valid_until'), t.get('name')]).toEqual([1 << 11, 1 << 12, undefined]);
    expect(presenceMask({ revoked: true, pattern: 'x', name: 'n' }, t)).toBe((1 << 1) | (1 << 11));
    // Inherited enumerable names count: a property read finds them too.
    expect(presenceMask(Object.create({ labels: ['a'] }) as object, t)).toBe(1 << 2);
  });

  it('still let the schema judge every optional property that is present (common and the type’s own)', () => {
    const bad = { ...indicator, revoked: 'yes', labels: [], confidence: 101, valid_until: 'soon', kill_chain_phases: 'x' };
    const paths = validate(bad)
      .filter((d) => d.code.startsWith('schema'))
      .map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/revoked', '/labels', '/confidence', '/valid_until', '/kill_chain_phases']));
  });

  it('apply only to the object they were computed for: a validator called on another reads every property', () => {
    const bad = { ...indicator, revoked: 'yes', valid_until: 'soon' };
    const check = STANDARD_VALIDATORS['indicator'] as ((v: unknown) => boolean) & { errors?: Array<{ instancePath: string }> };
    // Bits that say "nothing is present", left behind for some other object.
    schemaPresence.of = { ...indicator };
    schemaPresence.mask = 0;
    try {
      expect(check(bad)).toBe(false);
      expect((check.errors ?? []).map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/revoked', '/valid_until']));
    } finally {
      schemaPresence.of = undefined;
    }
    // The same bits for this very object hide what they say is absent (which is why only the computed mask is used).
    schemaPresence.of = bad;
    schemaPresence.mask = 0;
    try {
      expect(check(bad)).toBe(true);
    } finally {
      schemaPresence.of = undefined;
    }
  });
});

describe('guardPropertyReads', () => {
  const code =
    'const s = "}{";function validate7(data, {instancePath=""}={}){if(data.a !== undefined){x("}");}if(data.b !== undefined){}if(data.a === undefined){}' +
    'if(data1.a !== undefined){}}function validate8(data, {instancePath=""}={}){if(data.a !== undefined){}}';

  it('guards the reads of names in the table in that function only, past braces inside strings', () => {
    const out = guardPropertyReads(code, 'validate7', new Map([['a', 4]]));
    expect(out).toBe(
      'const s = "}{";function validate7(data, {instancePath=""}={}){const presence$ = schemaPresence.of === data ? schemaPresence.mask : -1;' +
        'if(((presence$ & 4) !== 0 && data.a !== undefined)){x("}");}if(data.b !== undefined){}if(data.a === undefined){}' +
        'if(data1.a !== undefined){}}function validate8(data, {instancePath=""}={}){if(data.a !== undefined){}}',
    );
  });

  it('stops generation when ajv’s output no longer looks as expected', () => {
    expect(() => guardPropertyReads(code, 'validate9', new Map([['a', 1]]))).toThrow(/not defined exactly once/);
    expect(() => guardPropertyReads(code, 'validate7', new Map([['z', 1]]))).toThrow(/reads none/);
  });
});

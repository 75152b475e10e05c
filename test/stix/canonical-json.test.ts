import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJson } from '../../src/stix/canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members by UTF-16 code units and serialises numbers as ECMAScript does (RFC 8785 §3.2.2.3, §3.2.3)', () => {
    // The RFC's own sorting example (§3.2.3): "\u20ac" sorts after "\r", "1", "\u0080", "\u00f6", and before the
    // surrogate pair of "\ud83d\ude00", and "\ufb33" after it.
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // (Read the order from the text: JSON.parse would move the integer-like key "1" first.)
    const text = canonicalJson(input) as string;
    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(`"${k}":`));
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(canonicalJson({ b: [1e21, 1e-7, -0, Number('333333333.33333329')], a: true })).toBe('{"a":true,"b":[1e+21,1e-7,0,333333333.3333333]}');
  });

  it('refuses what JSON cannot carry', () => {
    expect(canonicalJson(Number.NaN)).toBeUndefined();
    expect(canonicalJson({ a: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(canonicalJson(undefined)).toBeUndefined();
  });

  it('equals the reference implementation for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('equals the reference for objects of any width, small ones sorted by hand and wide ones by the built-in sort', () => {
    const key = fc.string({ unit: 'binary', maxLength: 4 });
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer(), { minKeys: 0, maxKeys: 40 }), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { seed: 20261122, numRuns: 1000 },
    );
  });
});

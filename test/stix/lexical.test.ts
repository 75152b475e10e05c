import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isStixIdentifier, isStixTimestamp } from '../../src/stix/lexical.js';

// The shapes as §2.7 and §3.2 define them, written as regular expressions: the oracle the hand-written walks must
// agree with. Calendar days are checked separately below.
const IDENTIFIER =
  /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const TIMESTAMP = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?Z$/;
const TIMESTAMP_MS = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)\.\d{3,}Z$/;

function realDay(s: string): boolean {
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  // Date rolls 2017-02-29 over to March 1st; a real day stays where it is. (setUTCFullYear, unlike Date.UTC, does
  // not read years below 100 as 19xx.)
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCDate() === d;
}

const SEED = 20261122;

/** Strings near the shape: a valid one with a few characters replaced, dropped or repeated. */
function mutated(valid: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet.split('')), fc.constantFrom('replace', 'drop', 'insert')), { maxLength: 3 }))
    .map(([s, edits]) => {
      let out = s;
      for (const [at, ch, how] of edits) {
        const i = at % (out.length + 1);
        if (how === 'replace') out = out.slice(0, i) + ch + out.slice(i + 1);
        else if (how === 'drop') out = out.slice(0, i) + out.slice(i + 1);
        else out = out.slice(0, i) + ch + out.slice(i);
      }
      return out;
    });
}

const hex = fc.constantFrom(...'0123456789abcdefABCDEF'.split(''));
const hexRun = (n: number): fc.Arbitrary<string> => fc.array(hex, { minLength: n, maxLength: n }).map((a) => a.join(''));
const typeName = fc.constantFrom('indicator', 'x-acme-thing', 'ipv4-addr', 'a', 'ab-c1', 'attack-pattern');
const validId = fc
  .tuple(typeName, hexRun(8), hexRun(4), fc.constantFrom('1', '2', '3', '4', '5'), hexRun(3), fc.constantFrom('8', '9', 'a', 'b', 'A', 'B'), hexRun(3), hexRun(12))
  .map(([t, a, b, v, c, w, d, e]) => `${t}--${a}-${b}-${v}${c}-${w}${d}-${e}`);

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const validTimestamp = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }))
  .map(([y, mo, d, h, mi, s, frac]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac === undefined ? '' : '.' + frac}Z`);

describe('isStixIdentifier', () => {
  it('accepts exactly what the §2.7 identifier expression accepts', () => {
    fc.assert(
      fc.property(fc.oneof(validId, mutated(validId, 'a-Z0g_ .x\x18\x19'), fc.string({ maxLength: 60 })), (s) => {
        expect(isStixIdentifier(s)).toBe(IDENTIFIER.test(s));
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('decides the examples of the spec and the usual mistakes', () => {
    expect(isStixIdentifier('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(true);
    expect(isStixIdentifier('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4')).toBe(true);
    expect(isStixIdentifier('indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F')).toBe(true);
    expect(isStixIdentifier('indicator--8e2e2d2b-17d4-6cbf-938f-98ee46b3cd3f')).toBe(false); // version 6
    expect(isStixIdentifier('indicator--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f')).toBe(false); // variant 0xxx
    // Control characters one bit away from the digits 8 and 9 (U+0018, U+0019) are not a variant.
    expect(isStixIdentifier('indicator--8e2e2d2b-17d4-4cbf-\u001838f-98ee46b3cd3f')).toBe(false);
    expect(isStixIdentifier('indicator--8e2e2d2b-17d4-4cbf-\u001938f-98ee46b3cd3f')).toBe(false);
    expect(isStixIdentifier('Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(false);
    expect(isStixIdentifier('x--acme--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(false);
    expect(isStixIdentifier('x-acme---8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(false);
    expect(isStixIdentifier('--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(false);
    expect(isStixIdentifier('indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f0')).toBe(false);
  });
});

describe('isStixTimestamp', () => {
  it('accepts exactly the §3.2 timestamp expression on real calendar days', () => {
    fc.assert(
      fc.property(fc.oneof(validTimestamp, mutated(validTimestamp, '0123456789-:.TZz '), fc.string({ maxLength: 30 })), (s) => {
        expect(isStixTimestamp(s, 0)).toBe(TIMESTAMP.test(s) && realDay(s));
        expect(isStixTimestamp(s, 3)).toBe(TIMESTAMP_MS.test(s) && realDay(s));
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it('knows month lengths and leap years, and the precision rule of created/modified', () => {
    expect(isStixTimestamp('2016-02-29T00:00:00Z', 0)).toBe(true);
    expect(isStixTimestamp('2017-02-29T00:00:00Z', 0)).toBe(false);
    expect(isStixTimestamp('1900-02-29T00:00:00Z', 0)).toBe(false);
    expect(isStixTimestamp('2000-02-29T00:00:00Z', 0)).toBe(true);
    expect(isStixTimestamp('2016-04-31T00:00:00Z', 0)).toBe(false);
    expect(isStixTimestamp('2016-12-31T23:59:60Z', 0)).toBe(true);
    expect(isStixTimestamp('2016-12-31T24:00:00Z', 0)).toBe(false);
    expect(isStixTimestamp('2016-05-12T08:17:27Z', 3)).toBe(false);
    expect(isStixTimestamp('2016-05-12T08:17:27.00Z', 3)).toBe(false);
    expect(isStixTimestamp('2016-05-12T08:17:27.000Z', 3)).toBe(true);
    expect(isStixTimestamp('2016-05-12T08:17:27.Z', 0)).toBe(false);
    expect(isStixTimestamp('2016-05-12T08:17:27.123+00:00', 0)).toBe(false);
  });
});

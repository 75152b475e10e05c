import { describe, expect, it } from '@jest/globals';
import { tlpOf, tlpOfMarking } from '../../src/ui/server/tlp.js';

// Marking-definition ids as published: TLP 1.0 in STIX 2.1 §7.2.1.4, TLP 2.0 in the OASIS TLP 2.0 extension.
const TLP1_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const TLP2_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP2_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const TLP2_AMBER_STRICT = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
const OTHER = 'marking-definition--34098fce-0000-4000-8000-000000000000';

describe('analyst view TLP badges', () => {
  it('shows TLP 1.0 WHITE under its 2.0 name and other levels by name', () => {
    expect(tlpOfMarking(TLP1_WHITE)).toBe('clear');
    expect(tlpOfMarking(TLP1_RED)).toBe('red');
    expect(tlpOfMarking(TLP2_AMBER_STRICT)).toBe('amber+strict');
    expect(tlpOfMarking(OTHER)).toBeUndefined();
  });

  it('shows the strictest TLP marking of an object, ignoring others', () => {
    expect(tlpOf({ object_marking_refs: [TLP2_GREEN, OTHER, TLP2_AMBER] })).toBe('amber');
    expect(tlpOf({ object_marking_refs: [TLP2_AMBER_STRICT, TLP2_AMBER] })).toBe('amber+strict');
    expect(tlpOf({ object_marking_refs: [TLP1_WHITE, TLP1_RED, TLP2_GREEN] })).toBe('red');
    expect(tlpOf({ object_marking_refs: [OTHER] })).toBeUndefined();
    expect(tlpOf({ object_marking_refs: 'not-a-list' })).toBeUndefined();
    expect(tlpOf({})).toBeUndefined();
  });
});

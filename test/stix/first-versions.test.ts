import { describe, expect, it } from '@jest/globals';
import { FirstVersions } from '../../src/stix/first-versions.js';

const idOf = (i: number): string => `indicator--6b1e${String(i).padStart(4, '0')}-1a2b-4c3d-8e4f-${String(i * 7919).padStart(12, '0')}`;

describe('FirstVersions', () => {
  it('finds each id it was given, with its span and pointer, through several doublings of its slots', () => {
    const t = new FirstVersions();
    const n = 20_000; // the table starts with 16 slots: it doubles twelve times
    const entries = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const id = idOf(i);
      // Confirmed by pointer, as a caller confirms by reading back: 20,000 ids share a 32-bit hash somewhere some 5% of
      // the time, which an unconditional confirmation would take for the same id.
      expect(t.find(id, (entry) => t.pointer(entry) === `/${i}`)).toBe(-1);
      entries.set(i, t.add(id, `/${i}`, { offset: i * 100, length: 90 + (i % 7) }));
    }
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i++) {
      // The caller confirms a hash match by the entry's pointer, as InputChecks does by reading the text back.
      const e = t.find(idOf(i), (entry) => t.pointer(entry) === `/${i}`);
      expect(e).toBe(entries.get(i));
      expect(t.span(e)).toEqual({ offset: i * 100, length: 90 + (i % 7) });
    }
    expect(t.find(idOf(n), (entry) => t.pointer(entry) === `/${n}`)).toBe(-1);
  });

  it('looks past an entry whose hash matches but which the caller says is another id', () => {
    const t = new FirstVersions();
    const id = idOf(1);
    const first = t.add(id, '/0', { offset: 0, length: 10 });
    // Same hash (the same string), not confirmed: as for two ids whose 32-bit hashes collide.
    expect(t.find(id, () => false)).toBe(-1);
    const second = t.add(id, '/1', { offset: 11, length: 10 });
    expect(second).not.toBe(first);
    expect(t.find(id, (e) => e === second)).toBe(second);
    expect(t.find(id, (e) => e === first)).toBe(first);
  });

  it('keeps entries added without a span as moved, and marks others moved on request', () => {
    const t = new FirstVersions();
    const a = t.add(idOf(1), '/0', undefined);
    const b = t.add(idOf(2), '/1', { offset: 5, length: 5 });
    expect([t.moved(a), t.moved(b)]).toEqual([true, false]);
    t.markMoved(b);
    expect(t.moved(b)).toBe(true);
  });

  it('refuses an id that finds no free slot within its probe limit, and still finds every id it took', () => {
    // A limit of one slot: the first two ids whose hashes point at the same slot make a refusal (with at most half the
    // slots taken, one of the first few dozen ids), as ids built to collide would with the default limit.
    const t = new FirstVersions({ maxProbe: 1 });
    const taken: number[] = [];
    let refused = -1;
    for (let i = 0; i < 2000 && refused < 0; i++) {
      if (t.add(idOf(i), `/${i}`, { offset: i, length: 1 }) < 0) refused = i;
      else taken.push(i);
    }
    expect(refused).toBeGreaterThan(0);
    expect(t.size).toBe(taken.length);
    expect(t.find(idOf(refused), (e) => t.pointer(e) === `/${refused}`)).toBe(-1);
    for (const i of taken) expect(t.pointer(t.find(idOf(i), (e) => t.pointer(e) === `/${i}`))).toBe(`/${i}`);
  });

  it('spreads ids that differ only in their last characters', () => {
    // Ids of a feed share their type and often most of their digits: the slots they get must still differ. (A hash of
    // the first characters alone would put all of these in one run and refuse the 65th; random hashes at this load
    // place none farther than some 25 slots away: 0 refusals in 3,000 trials with a limit of 40.)
    const t = new FirstVersions({ maxProbe: 64 });
    for (let i = 0; i < 1500; i++) expect(t.add(`indicator--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, '/', undefined)).toBeGreaterThanOrEqual(0);
  });
});

import { describe, expect, it } from '@jest/globals';
import { definitions, exampleBundles, retimeScenarioObjects, strictDiagnostics } from '../../src/distillation/index.js';
import type { Bundle } from '../../src/stix/types/index.js';

type Obj = Record<string, unknown>;

const DAY = 86_400_000;
// The seed time of these tests; the story's newest created/modified is 2026-05-12T16:00:00.000Z (attribution package),
// so the whole days between them are 207 (2026-12-05T16:00 is 207 days later, 2026-12-06T16:00 would be past `AT`).
const AT = new Date('2026-12-06T10:15:30.123Z');
const SHIFT_DAYS = 207;

function scenarioObjects(): Obj[] {
  const seen = new Set<string>();
  const out: Obj[] = [];
  for (const b of [definitions(), ...Object.values(exampleBundles())]) {
    for (const o of (b.objects ?? []) as Obj[]) {
      const key = `${String(o['id'])}|${String(o['modified'] ?? '')}`;
      if (!seen.has(key)) out.push(o);
      seen.add(key);
    }
  }
  return out;
}

const RELAY_INDICATOR = 'Relay R-12 egress and relay domain';

describe('retimeScenarioObjects', () => {
  const before = scenarioObjects();
  const snapshot = JSON.stringify(before);
  const after = retimeScenarioObjects(before, { at: AT }) as Obj[];
  const byId = (list: Obj[], id: unknown, modified?: unknown): Obj =>
    list.find((o) => o['id'] === id && (modified === undefined || o['modified'] === modified)) as Obj;

  it('keeps every object, its id and its order, and leaves the input alone', () => {
    expect(after.map((o) => o['id'])).toEqual(before.map((o) => o['id']));
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('moves every timestamp by the same whole number of days, keeping time of day and precision', () => {
    const campaign = after.find((o) => o['type'] === 'campaign') as Obj;
    // S1's campaign: created 2026-03-20T09:00:00.000Z, first_seen 2026-03-02T00:00:00.000Z (hydra-proxy-cluster.ts).
    expect(new Date(Date.parse('2026-03-20T09:00:00.000Z') + SHIFT_DAYS * DAY).toISOString()).toBe(campaign['created']);
    expect(campaign['created']).toBe('2026-10-13T09:00:00.000Z');
    expect(campaign['first_seen']).toBe('2026-09-25T00:00:00.000Z');
    // release_date is written without a fraction and stays so.
    const orion4 = after.find((o) => o['type'] === 'ai-model' && o['name'] === 'Orion-4') as Obj;
    expect(orion4['release_date']).toBe('2026-11-07T00:00:00Z');
  });

  it('moves calendar dates in prose with the properties they describe', () => {
    const texts = after.map((o) => String(o['content'] ?? '') + String(o['description'] ?? '')).join('\n');
    expect(texts).toContain('release on 2026-11-07');
    expect(texts).not.toContain('2026-04-14');
    // Identifiers that merely contain digits are not dates.
    expect(texts).toContain('DISTILL-2026-014');
  });

  it('ends the story within the day before the seed time', () => {
    const published = new Set(definitions().objects?.map((o) => o.id));
    const stamps = after
      .filter((o) => o['type'] !== 'marking-definition' && !published.has(String(o['id'])) && o['created'] !== undefined)
      .flatMap((o) => [Date.parse(String(o['created'])), Date.parse(String(o['modified']))]);
    const newest = Math.max(...stamps);
    expect(newest).toBeLessThanOrEqual(AT.getTime());
    expect(newest).toBeGreaterThan(AT.getTime() - DAY);
  });

  it('renews the 14-day network indicator so that it is in force at the seed time', () => {
    const original = before.find((o) => o['name'] === RELAY_INDICATOR) as Obj;
    const renewed = after.find((o) => o['name'] === RELAY_INDICATOR) as Obj;
    expect([original['valid_from'], original['valid_until']]).toEqual(['2026-03-20T09:00:00.000Z', '2026-04-03T09:00:00.000Z']);
    // Moved: 2026-10-13 → 2026-10-27; renewed every 14 days while it would have expired: 11-10, 11-24, then 12-08.
    expect(renewed['valid_from']).toBe('2026-10-13T09:00:00.000Z');
    expect(renewed['valid_until']).toBe('2026-12-08T09:00:00.000Z');
    expect(renewed['modified']).toBe('2026-11-24T09:00:00.000Z');
    expect(renewed['created']).toBe('2026-10-13T09:00:00.000Z');
    const until = Date.parse(String(renewed['valid_until']));
    expect(Date.parse(String(renewed['valid_from']))).toBeLessThanOrEqual(AT.getTime());
    expect(until).toBeGreaterThan(AT.getTime());
  });

  it('leaves TLP marking definitions, extension definitions and their publisher exactly as published', () => {
    const published = new Set(definitions().objects?.map((o) => o.id));
    expect(published.size).toBeGreaterThan(1);
    for (const o of before.filter((x) => x['type'] === 'marking-definition' || published.has(String(x['id'])))) {
      expect(byId(after, o['id'])).toEqual(o);
    }
  });

  it('stays strict-valid', () => {
    const bundle = { type: 'bundle', id: 'bundle--5d0a1a52-1f1e-4c1a-9b1c-2f1f0e6f7a10', objects: after } as unknown as Bundle;
    expect(strictDiagnostics(bundle).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('moves back as well when the seed time lies before the story (a clock set in the past)', () => {
    const early = retimeScenarioObjects(before, { at: new Date('2026-01-01T00:00:00.000Z') }) as Obj[];
    const campaign = early.find((o) => o['type'] === 'campaign') as Obj;
    // 2026-05-12T16:00 → the day before 2026-01-01T00:00 is 2025-12-31T16:00: 132 days back; 2026-03-20 − 132 days.
    expect(campaign['created']).toBe('2025-11-08T09:00:00.000Z');
  });
});

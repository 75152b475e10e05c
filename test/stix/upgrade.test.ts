import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { v5 as uuidv5 } from 'uuid';
import '../../src/pattern/index.js';
import { parse } from '../../src/stix/parse.js';
import { isStix20Object, upgrade } from '../../src/stix/upgrade.js';

type Json = Record<string, unknown>;

const FIXTURE = readFileSync(new URL('./fixtures/stix20-spec-examples.json', import.meta.url), 'utf8');
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

/** The §2.9 id, computed here from hand-written canonical JSON with the uuid package (not our ids module). */
const scoId = (type: string, canonical: string): string => `${type}--${uuidv5(canonical, SCO_NAMESPACE)}`;
const byId = (objects: Json[], id: string): Json => {
  const found = objects.find((o) => o['id'] === id);
  if (found === undefined) throw new Error(`no ${id} in the output`);
  return found;
};

describe('upgrade: STIX 2.0 examples of the 2.0 specification', () => {
  const input = JSON.parse(FIXTURE) as { id: string; objects: Json[] };
  const result = upgrade(input);

  it('converts every 2.0 object and the output validates clean as STIX 2.1, strict', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.upgraded).toBe(input.objects.length);
    expect(result.bundleId).toBe(input.id);
    const text = JSON.stringify({ type: 'bundle', id: result.bundleId, objects: result.objects });
    const check = parse(text, { strict: true });
    expect(check.diagnostics).toEqual([]);
    expect(check.objects).toHaveLength(result.objects.length);
  });

  it('adds spec_version 2.1 and writes created/modified to the millisecond (same instant)', () => {
    for (const o of result.objects) expect(o['spec_version']).toBe('2.1');
    const indicator = byId(result.objects, 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(indicator['created']).toBe('2016-04-06T20:03:48.000Z');
    expect(indicator['modified']).toBe('2016-04-06T20:03:48.500Z');
    // valid_from has no precision rule: it stays as written.
    expect(indicator['valid_from']).toBe('2016-01-01T00:00:00Z');
  });

  it('gives indicators pattern_type stix and moves labels to <type>_types, selectors included', () => {
    const indicator = byId(result.objects, 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(indicator['pattern_type']).toBe('stix');
    expect(indicator['indicator_types']).toEqual(['malicious-activity']);
    expect(indicator).not.toHaveProperty('labels');
    expect(indicator['granular_markings']).toEqual([{ marking_ref: TLP_GREEN, selectors: ['indicator_types.[0]', 'name'] }]);
    expect(byId(result.objects, 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b')).toMatchObject({ malware_types: ['remote-access-trojan'], is_family: true });
    expect(byId(result.objects, 'threat-actor--9a8a0d25-7636-429b-a99e-b2a73cd0f11f')['threat_actor_types']).toEqual(['crime-syndicate']);
    expect(byId(result.objects, 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')['tool_types']).toEqual(['remote-access']);
    expect(byId(result.objects, 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3')['report_types']).toEqual(['campaign']);
  });

  it('renames 2.0 property names inside patterns, but not inside string constants', () => {
    const indicator = byId(result.objects, 'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade');
    expect(indicator['pattern']).toBe(
      "[file:ctime < t'2016-01-01T00:00:00Z' AND file:hashes.SSDEEP = 'file:created'] AND [process:image_ref.name = 'gedit-bin']",
    );
  });

  it('turns the TLP 1.0 marking into its 2.1 form (§7.2.1.4 adds the name)', () => {
    expect(byId(result.objects, TLP_GREEN)).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP_GREEN,
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      name: 'TLP:GREEN',
      definition: { tlp: 'green' },
    });
  });

  it('turns observed-data objects dictionaries into SCOs with deterministic ids and references', () => {
    const src = scoId('ipv4-addr', '{"value":"198.51.100.2"}');
    const dst = scoId('ipv4-addr', '{"value":"198.51.100.3"}');
    const traffic = scoId('network-traffic', `{"dst_ref":"${dst}","protocols":["tcp"],"src_ref":"${src}"}`);
    const observed = byId(result.objects, 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf');
    expect(observed['object_refs']).toEqual([src, dst, traffic]);
    expect(observed).not.toHaveProperty('objects');
    expect(byId(result.objects, traffic)).toEqual({
      type: 'network-traffic',
      spec_version: '2.1',
      id: traffic,
      src_ref: src,
      dst_ref: dst,
      protocols: ['tcp'],
      // The observed-data was TLP:GREEN; so are the observables taken out of it.
      object_marking_refs: [TLP_GREEN],
    });
    // The SCOs come before the observed-data that refers to them.
    const at = (id: string): number => result.objects.findIndex((o) => o['id'] === id);
    expect(at(src)).toBeLessThan(at(observed['id'] as string));
  });

  it('renames file properties, hash names and parent references, and moves granular markings to the SCO', () => {
    const dir = scoId('directory', '{"path":"C:\\\\Windows\\\\System32"}');
    const file = scoId(
      'file',
      `{"hashes":{"SHA-256":"fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db"},"name":"foo.dll","parent_directory_ref":"${dir}"}`,
    );
    const observed = byId(result.objects, 'observed-data--1a29e4a2-0c55-4f1e-9e7d-6b2c8a0c4f53');
    expect(observed['object_refs']).toEqual([dir, file]);
    expect(observed).not.toHaveProperty('granular_markings');
    const f = byId(result.objects, file);
    expect(f).toMatchObject({ ctime: '2016-03-12T12:00:00Z', parent_directory_ref: dir, hashes: { SSDEEP: '96:Pv0PnSTpxYn:NiRrBt2mNf' } });
    expect(f).not.toHaveProperty('created');
    expect(f['granular_markings']).toEqual([{ marking_ref: TLP_GREEN, selectors: ['name'] }]);
    // `objects.0` marked the whole directory.
    expect(byId(result.objects, dir)['object_marking_refs']).toEqual([TLP_GREEN]);
  });

  it('is idempotent: upgrading the output again changes nothing', () => {
    const again = upgrade(result.objects);
    expect(again.upgraded).toBe(0);
    expect(again.objects).toEqual(result.objects);
  });
});

describe('upgrade: rules and edge cases', () => {
  const observed = (objects: Json, extra: Json = {}): Json => ({
    type: 'observed-data',
    id: 'observed-data--6b2ad1e1-0d3c-4c1b-9f3d-3f7a0f9d8b11',
    created: '2017-02-01T00:00:00.000Z',
    modified: '2017-02-01T00:00:00.000Z',
    first_observed: '2017-02-01T00:00:00Z',
    last_observed: '2017-02-01T00:00:00Z',
    number_observed: 1,
    objects,
    ...extra,
  });

  it('knows 2.0 objects: spec_version 2.0 or absent on non-SCO types', () => {
    expect(isStix20Object({ type: 'indicator' })).toBe(true);
    expect(isStix20Object({ type: 'indicator', spec_version: '2.0' })).toBe(true);
    expect(isStix20Object({ type: 'indicator', spec_version: '2.1' })).toBe(false);
    // 2.1 SCOs may omit spec_version; 2.0 had no top-level SCOs.
    expect(isStix20Object({ type: 'ipv4-addr', value: '198.51.100.1' })).toBe(false);
  });

  it('process (2.0 Part 4 example): created and binary_ref renamed, name and arguments kept and reported', () => {
    const input = observed({
      '0': { type: 'file', hashes: { 'SHA-256': '35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f' }, name: 'gedit-bin' },
      '1': { type: 'process', pid: 1221, name: 'gedit-bin', created: '2016-01-20T14:11:25.55Z', arguments: ['--new-window'], binary_ref: '0' },
    });
    const result = upgrade(input);
    const file = scoId('file', '{"hashes":{"SHA-256":"35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f"},"name":"gedit-bin"}');
    const proc = result.objects.find((o) => o['type'] === 'process') as Json;
    expect(proc).toMatchObject({ pid: 1221, created_time: '2016-01-20T14:11:25.55Z', image_ref: file, name: 'gedit-bin', arguments: ['--new-window'] });
    // process has no ID-contributing property: a UUIDv4 (version digit 4, RFC 4122 variant), the same on every run.
    expect(proc['id']).toMatch(/^process--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(upgrade(input).objects.find((o) => o['type'] === 'process')?.['id']).toBe(proc['id']);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['upgrade-property-kept', 'warning', '/objects/1/name'],
      ['upgrade-property-kept', 'warning', '/objects/1/arguments'],
    ]);
  });

  it('reports a reference to a key that is not in the dictionary as an error', () => {
    const result = upgrade([observed({ '0': { type: 'network-traffic', src_ref: '7', protocols: ['tcp'] } })]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'upgrade-dangling-reference', severity: 'error', path: '/0/objects/0' }),
    ]);
  });

  it('keeps one copy of an observable seen by two observed-data objects, merging their markings', () => {
    const a = observed({ '0': { type: 'domain-name', value: 'example.com' } }, { object_marking_refs: [TLP_GREEN] });
    const b = {
      ...observed({ '0': { type: 'domain-name', value: 'example.com' } }),
      id: 'observed-data--0c9a3f1e-8a6b-4c55-9a57-3f0e0a1b2c3d',
      object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
    };
    const result = upgrade([a, b]);
    const domains = result.objects.filter((o) => o['type'] === 'domain-name');
    expect(domains).toHaveLength(1);
    expect(domains[0]?.['id']).toBe(scoId('domain-name', '{"value":"example.com"}'));
    expect(domains[0]?.['object_marking_refs']).toEqual([TLP_GREEN, 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82']);
  });

  it('reads a TAXII envelope like a bundle', () => {
    const result = upgrade({ more: false, objects: [{ type: 'tool', id: 'tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2016-04-06T20:03:48Z', modified: '2016-04-06T20:03:48Z', labels: ['remote-access'], name: 'VNC' }] });
    expect(result.upgraded).toBe(1);
    expect(result.objects[0]).toMatchObject({ spec_version: '2.1', created: '2016-04-06T20:03:48.000Z', tool_types: ['remote-access'] });
    expect(result).not.toHaveProperty('bundleId');
  });

  it('passes 2.1 objects through untouched (the very same object)', () => {
    const modern = { type: 'identity', spec_version: '2.1', id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff', created: '2016-04-06T20:03:00Z' };
    const result = upgrade(modern);
    expect(result.objects[0]).toBe(modern);
    expect(result.upgraded).toBe(0);
  });

  it('leaves a marking with a TLP id but another level to the validator instead of rewriting its meaning', () => {
    const fake = { type: 'marking-definition', id: TLP_GREEN, created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', definition: { tlp: 'red' } };
    const out = upgrade(fake).objects[0] as Json;
    expect(out['definition']).toEqual({ tlp: 'red' });
    expect(parse(JSON.stringify(out)).diagnostics.map((d) => d.code)).toContain('tlp-marking-invalid');
  });
});

import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const identity = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'Example Lab Trust & Safety',
  identity_class: 'organization',
};
// valid_until must be strictly later than valid_from (STIX 2.1 §4.7).
const badIndicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'Reseller proxy range',
  pattern: "[ipv4-addr:value ISSUBSET '203.0.113.0/24']",
  pattern_type: 'stix',
  valid_from: '2026-02-01T00:00:00Z',
  valid_until: '2026-01-01T00:00:00Z',
};

/** 1-based column of a property's key in one line of JSON text (where the location style points). */
const keyColumn = (text: string, key: string): number => text.indexOf(`"${key}":`) + 1;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'di-validate-'));
  writeFileSync(join(dir, 'good.json'), JSON.stringify({ type: 'bundle', id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects: [identity] }));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(badIndicator));
  writeFileSync(join(dir, 'broken.json'), '{\n  "type": "identity",\n  "name": oops\n}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill-intel validate', () => {
  it('exits 0 and reports no errors for a valid bundle', async () => {
    const r = await runCli(['validate', 'good.json'], '', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 input, 1 valid object: 0 errors/);
  });

  it('exits 1 and prints file:line:column, pointer and rule code for an invalid object', async () => {
    const r = await runCli(['validate', 'bad.json'], '', dir);
    expect(r.code).toBe(1);
    const column = keyColumn(JSON.stringify(badIndicator), 'valid_until');
    expect(column).toBeGreaterThan(1);
    expect(r.stdout).toContain(`bad.json:1:${column} /valid_until: error timestamp-order:`);
  });

  it('places findings of a pretty-printed bundle on their own line', async () => {
    const text = JSON.stringify({ type: 'bundle', id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2', objects: [identity, badIndicator] }, null, 2);
    const lineNo = text.split('\n').findIndex((l) => l.includes('"valid_until"')) + 1;
    const column = (text.split('\n')[lineNo - 1] ?? '').indexOf('"valid_until"') + 1;
    const r = await runCli(['validate', '-'], text, dir);
    expect(r.stdout).toContain(`-:${lineNo}:${column} /objects/1/valid_until: error timestamp-order:`);
  });

  it('reports text that is not JSON with line and column instead of crashing', async () => {
    const r = await runCli(['validate', 'broken.json'], '', dir);
    expect(r.code).toBe(1);
    // The bad token `oops` starts on line 3, column 11.
    expect(r.stdout).toMatch(/^broken\.json:3:11: error json-syntax:/m);
  });

  it('reads NDJSON from standard input and names findings by line, pointing into that line', async () => {
    const ndjson = JSON.stringify(identity) + '\n' + JSON.stringify(badIndicator) + '\n';
    const r = await runCli(['validate', '-'], ndjson, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`-:2:${keyColumn(JSON.stringify(badIndicator), 'valid_until')} /valid_until: error timestamp-order:`);
    expect(r.stdout).not.toContain('/1/');
    expect(r.stdout).toMatch(/1 valid object: 1 error/);
  });

  it('prints a JSON report with --format json', async () => {
    const r = await runCli(['validate', '--format', 'json', 'bad.json', 'good.json'], '', dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { errors: number; inputs: Array<{ input: string; objects: number }> };
    expect(report.errors).toBe(1);
    expect(report.inputs.map((i) => [i.input, i.objects])).toEqual([
      ['bad.json', 0],
      ['good.json', 1],
    ]);
  });

  it('exits 2 on a usage error and 3 when a file cannot be read', async () => {
    expect((await runCli(['validate', '--format', 'xml', 'good.json'], '', dir)).code).toBe(2);
    expect((await runCli(['validate', '--nope'], '', dir)).code).toBe(2);
    const missing = await runCli(['validate', 'missing.json'], '', dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('missing.json: cannot read: no such file');
  });

  it('documents itself with --help', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: distill-intel validate');
  });
});

describe('distill-intel validate --audit-share', () => {
  const unmarkedIp = {
    type: 'bundle',
    id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2',
    objects: [{ type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' }],
  };
  const amber = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

  it('lists an IP address with its location and fails when no TLP marking covers it', async () => {
    const r = await runCli(['validate', '--audit-share', '-'], JSON.stringify(unmarkedIp));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ip-address\s+NONE\s+no\s+\/objects\/0\/value\s+198\.51\.100\.3/);
    expect(r.stdout).toContain('/objects/0/value: no TLP marking covers this ip-address');
  });

  it('passes once the value is covered by TLP:AMBER (TLP 2.0)', async () => {
    const marked = structuredClone(unmarkedIp) as { objects: Array<Record<string, unknown>> };
    (marked.objects[0] as Record<string, unknown>)['object_marking_refs'] = [amber];
    const r = await runCli(['validate', '--audit-share', '-'], JSON.stringify(marked));
    expect(r.stdout).toMatch(/ip-address\s+TLP:AMBER\s+no\s+\/objects\/0\/value/);
    expect(r.code).toBe(0);
  });
});

describe('distill-intel validate: choosing and counting findings', () => {
  // Each object carries one custom property (§11.1: a SHOULD-level custom-property warning) and the last one also an
  // unregistered extension (§7.3: extension-unknown, a MAY) on an attack pattern.
  const custom = (i: number): Record<string, unknown> => ({
    ...identity,
    id: `identity--311b2d2d-f010-4473-83ec-${String(i).padStart(12, '0')}`,
    x_acme_rank: i,
  });
  const ext = 'extension-definition--7c5e1a2b-3d4f-4a5b-8c6d-9e0f1a2b3c4d';
  const attackPattern = {
    type: 'attack-pattern',
    spec_version: '2.1',
    id: 'attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: 'Bulk distillation through reseller accounts',
    extensions: { [ext]: { extension_type: 'property-extension', rank: 1 } },
  };
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify(custom(i))).join('\n') + '\n';

  it('caps printed findings per code and still counts them all', async () => {
    const r = await runCli(['validate', '--max-per-code', '3', '-'], lines(25));
    expect(r.code).toBe(0);
    expect(r.stdout.match(/warning custom-property:/g)).toHaveLength(3);
    expect(r.stdout).toContain('custom-property: 22 more findings not shown (25 in all;');
    expect(r.stdout).toMatch(/1 input, 25 valid objects: 0 errors, 25 warnings\n$/);
  });

  it('prints the default cap of 20 per code, and every finding with --max-per-code 0', async () => {
    expect((await runCli(['validate', '-'], lines(25))).stdout.match(/warning custom-property:/g)).toHaveLength(20);
    expect((await runCli(['validate', '--max-per-code', '0', '-'], lines(25))).stdout.match(/warning custom-property:/g)).toHaveLength(25);
  });

  it('keeps every finding in the JSON report, with counts by code', async () => {
    const r = await runCli(['validate', '--format', 'json', '--max-per-code', '3', '-'], lines(25));
    const report = JSON.parse(r.stdout) as { counts: Record<string, number>; warnings: number; inputs: Array<{ diagnostics: unknown[] }> };
    expect(report.counts).toEqual({ 'custom-property': 25 });
    expect(report.warnings).toBe(25);
    expect(report.inputs[0]?.diagnostics).toHaveLength(25);
  });

  it('--summary prints counts by code with one example each instead of every finding', async () => {
    const input = lines(4) + JSON.stringify(badIndicator) + '\n';
    const r = await runCli(['validate', '--summary', '-'], input);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/^-: /m);
    const rank = keyColumn(JSON.stringify(custom(0)), 'x_acme_rank');
    const until = keyColumn(JSON.stringify(badIndicator), 'valid_until');
    expect(r.stdout).toMatch(new RegExp(`^ +4 {2}warning {2}custom-property\\n +e\\.g\\. -:1:${rank} /x_acme_rank: warning custom-property:`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^ +1 {2}error {4}timestamp-order\\n +e\\.g\\. -:5:${until} /valid_until: error timestamp-order:`, 'm'));
    expect(r.stdout).toMatch(/1 input, 4 valid objects: 1 error, 5 warnings\n$/);
  });

  it('--disable and --enable choose warnings; errors are always reported', async () => {
    const input = lines(2) + JSON.stringify(badIndicator) + '\n';
    const disabled = await runCli(['validate', '--disable', 'custom-property,recommended-property-missing', '-'], input);
    expect(disabled.stdout).not.toContain('custom-property');
    expect(disabled.stdout).toContain('error timestamp-order:');
    expect(disabled.stdout).toMatch(/: 1 error, 0 warnings\n$/);
    const enabled = await runCli(['validate', '--enable', 'recommended-property-missing', '--disable', 'timestamp-order', '-'], input);
    expect(enabled.stdout).not.toContain('custom-property');
    expect(enabled.stdout).toContain('warning recommended-property-missing:');
    expect(enabled.stdout).toContain('error timestamp-order:');
    expect(enabled.code).toBe(1);
  });

  it('--strict promotes SHOULD findings to errors but never an unknown extension (§7.3 MAY)', async () => {
    const r = await runCli(['validate', '--strict', '-'], JSON.stringify(custom(1)) + '\n' + JSON.stringify(attackPattern) + '\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`-:1:${keyColumn(JSON.stringify(custom(1)), 'x_acme_rank')} /x_acme_rank: error custom-property:`);
    expect(r.stdout).toContain(`-:2:${keyColumn(JSON.stringify(attackPattern), ext)} /extensions/${ext}: warning extension-unknown:`);
    expect(r.stdout).toMatch(/1 input, 1 valid object: 1 error, 1 warning\n$/);
  });

  it('refuses malformed codes and limits with exit 2', async () => {
    expect((await runCli(['validate', '--disable', 'Custom Property', '-'], '{}')).code).toBe(2);
    expect((await runCli(['validate', '--max-per-code', 'ten', '-'], '{}')).code).toBe(2);
  });
});

describe('distill-intel validate: checks across one input', () => {
  const relationship = {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--0a4c1c39-6d7e-4c9c-9f0e-5a9e1e0c6b11',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    relationship_type: 'related-to',
    source_ref: 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c',
    target_ref: 'identity--9d3e1f22-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
  };

  it('reports two NDJSON lines with one id and modified but other content as duplicate-version', async () => {
    const other = { ...relationship, description: 'second reading' };
    const r = await runCli(['validate', '-'], `${JSON.stringify(relationship)}\n${JSON.stringify(other)}\n`);
    expect(r.code).toBe(1);
    // The finding is on the second line's modified; the other object is named by its line, not a record number.
    const column = keyColumn(JSON.stringify(other), 'modified');
    expect(r.stdout).toContain(`-:2:${column} /modified: error duplicate-version: relationship--0a4c1c39-6d7e-4c9c-9f0e-5a9e1e0c6b11 version 2026-01-01T00:00:00.000Z also occurs at line 1 `);
    expect(r.stdout).toMatch(/1 valid object: 1 error/);
  });

  it('reads a bundle object by object and reports duplicate-version with the line of the second object', async () => {
    const other = { ...relationship, description: 'second reading' };
    // One object a line inside the bundle, keys sorted as python's json.dumps(sort_keys=True) writes them.
    const text = `{"id": "bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2", "objects": [\n${JSON.stringify(relationship)},\n${JSON.stringify(other)}\n], "type": "bundle"}\n`;
    const file = join(dir, 'dup-bundle.json');
    writeFileSync(file, text);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    // Line 3 holds the second object, which starts at column 1: its modified is where the key is on that line.
    expect(r.stdout).toContain(`${file}:3:${keyColumn(JSON.stringify(other), 'modified')} /objects/1/modified: error duplicate-version: relationship--0a4c1c39-6d7e-4c9c-9f0e-5a9e1e0c6b11 version 2026-01-01T00:00:00.000Z also occurs at /objects/0 `);
    expect(r.stdout).toMatch(/1 valid object: 1 error/);
  });

  it('refuses an object with a member name written twice, as the server does (I-JSON, RFC 7493 §2.3)', async () => {
    const text = JSON.stringify(identity).replace('"name":', '"name": "Evil Lab", "name":');
    const r = await runCli(['validate', '-'], text + '\n');
    expect(r.code).toBe(1);
    // Placed at the member name's last writing, the one JSON.parse keeps.
    expect(r.stdout).toContain(`-:1:${text.lastIndexOf('"name":') + 1} /name: error json-duplicate-key: member name 'name' occurs twice`);
    expect(r.stdout).toMatch(/0 valid objects: 1 error/);
  });

  it('says once that a STIX 2.0 bundle is 2.0 content and how to upgrade it, with no 2.1 findings', async () => {
    const bundle20 = {
      type: 'bundle',
      id: 'bundle--6a5a1fc1-0a3b-4dbd-8e4c-5d4d37a6c0d2',
      spec_version: '2.0',
      objects: [1, 2, 3].map((i) => ({
        type: 'identity',
        id: `identity--311b2d2d-f010-4473-83ec-00000000000${i}`,
        created: '2017-01-01T00:00:00Z',
        modified: '2017-01-01T00:00:00Z',
        name: `ACME ${i}`,
        identity_class: 'organization',
      })),
    };
    const r = await runCli(['validate', '-'], JSON.stringify(bundle20, null, 2));
    expect(r.code).toBe(1);
    const findings = r.stdout.split('\n').filter((l) => l.startsWith('-:'));
    // Pretty-printed with two spaces: spec_version is on line 4 (after "{", type, id), the first object opens line 6.
    expect(findings).toEqual([
      expect.stringMatching(/^-:4:3 \/spec_version: warning bundle-spec-version:/),
      expect.stringMatching(/^-:6:5 \/objects\/0: error stix-2\.0-content: 3 STIX 2\.0 objects .*`distill-intel upgrade`/),
    ]);
  });

  it('warns that an object with objects but no type is read as a TAXII envelope (§8.1)', async () => {
    const r = await runCli(['validate', '-'], JSON.stringify({ objects: [identity] }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-:1:1: warning bundle-type-missing:');
    expect(r.stdout).toMatch(/1 valid object: 0 errors, 1 warning/);
  });
});

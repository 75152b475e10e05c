/**
 * Makes the V8 code cache of dist/cli/validate-command.cjs (run by scripts/bundle-validate.mjs, in a process of its own).
 *
 * The bundle is loaded through the loader `main` uses (dist/cli/load-cached-bundle.js) and the `validate` command is run
 * on a warm-up input that reaches most of the validator: the five example scenario bundles and the extension
 * definitions of the distillation suite, one object of every STIX 2.1 SDO, SRO, SCO and meta type, patterns using
 * every operator and qualifier, objects with errors of many kinds, STIX 2.0 content and a line that is not JSON; as
 * bundles, NDJSON, a JSON array, a TAXII envelope and standard input; in text, JSON and summary form, strict and with
 * the share audit. V8 compiles a function when it is first called, and `createCachedData()` after the runs holds every
 * function compiled so far, so a command that later runs them finds them compiled. Functions the warm-up never
 * reached are compiled on first call as before: the warm-up decides how much start-up is saved, never what a
 * command does.
 *
 * The warm-up doubles as a check of the bundle: the example bundles must validate clean and the broken input must fail
 * with the codes expected of it, or the build fails.
 *
 * Plain JavaScript built on dist/ and inputs written here (nothing from test/, which a packed tarball has not), so it
 * runs wherever the package is built.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as io from '../dist/cli/io.js';
import { codeCacheFile, encodeCodeCache, loadCachedBundle } from '../dist/cli/load-cached-bundle.js';
import { definitions, exampleBundles } from '../dist/distillation/index.js';

const bundleFile = fileURLToPath(new URL('../dist/cli/validate-command.cjs', import.meta.url));

const T = '2026-03-01T12:00:00.000Z';
const uuid = (n) => `5e0c${String(n).padStart(4, '0')}-7c1a-4d3e-9f2b-8a6b5c4d3e2f`;
const id = (type, n) => `${type}--${uuid(n)}`;
const sdo = (type, n, props) => ({ type, spec_version: '2.1', id: id(type, n), created: T, modified: T, ...props });
const sco = (type, n, props) => ({ type, spec_version: '2.1', id: id(type, n), ...props });
const IDENTITY = id('identity', 1);
const MARKING = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const SHA256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';

/** Patterns reaching every comparison operator, qualifier and observation operator of STIX patterning (§9). */
const PATTERNS = [
  "[ipv4-addr:value = '198.51.100.7']",
  "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] OR [ipv6-addr:value ISSUPERSET '2001:db8::1/128']",
  `[file:hashes.'SHA-256' = '${SHA256}' AND file:size > 1024 AND file:name LIKE '%.exe']`,
  "[url:value MATCHES '^https?://proxy[0-9]+\\\\.example\\\\.net/'] FOLLOWEDBY [domain-name:value != 'example.org']",
  "[network-traffic:dst_port IN (443, 8443) AND network-traffic:protocols[*] = 'tcp'] REPEATS 5 TIMES WITHIN 600 SECONDS",
  "[email-addr:value = 'ops@example.com'] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00.000Z'",
  "([process:command_line NOT IN ('svchost.exe') OR process:pid <= 4] AND [mutex:name = 'Global\\\\x']) WITHIN 30 SECONDS",
  "[artifact:payload_bin = b'aGVsbG8gd29ybGQ=' OR artifact:mime_type >= 'a']",
  "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run' AND windows-registry-key:values[*].name = 'x']",
  "[x509-certificate:serial_number = '0a1b' AND x509-certificate:validity_not_after < t'2027-01-01T00:00:00Z']",
  "[user-account:account_login = 'svc' AND EXISTS user-account:is_privileged]",
  "[software:name = 'distiller' AND software:version = '1.0'] AND [mac-addr:value = '00:00:5e:00:53:01']",
];

/** One object of every STIX 2.1 type, with the properties real feeds fill. */
function everyType() {
  const out = [
    sdo('identity', 1, { name: 'Warm-up Lab', identity_class: 'organization', sectors: ['technology'] }),
    sdo('attack-pattern', 2, { name: 'Chain-of-thought elicitation', kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'collection' }], external_references: [{ source_name: 'capec', external_id: 'CAPEC-118' }] }),
    sdo('campaign', 3, { name: 'Warm-up campaign', first_seen: T, last_seen: T, objective: 'distil', created_by_ref: IDENTITY, object_marking_refs: [MARKING] }),
    sdo('course-of-action', 4, { name: 'Rate-limit', description: 'Limit requests per key' }),
    sdo('grouping', 5, { name: 'Group', context: 'suspicious-activity', object_refs: [IDENTITY] }),
    sdo('incident', 6, { name: 'Incident' }),
    sdo('infrastructure', 7, { name: 'Proxy pool', infrastructure_types: ['anonymization'], first_seen: T }),
    sdo('intrusion-set', 8, { name: 'Set', aliases: ['S'], goals: ['distil'], resource_level: 'organization', primary_motivation: 'organizational-gain' }),
    sdo('location', 9, { name: 'Somewhere', country: 'NL', latitude: 52.37, longitude: 4.9, precision: 1000 }),
    sdo('malware', 10, { name: 'Scraper', malware_types: ['bot'], is_family: true, implementation_languages: ['python'], architecture_execution_envs: ['x86-64'] }),
    sdo('malware-analysis', 11, { product: 'sandbox', result: 'malicious', analysis_sco_refs: [id('file', 40)] }),
    sdo('note', 12, { content: 'Seen at release.', authors: ['analyst'], object_refs: [id('campaign', 3)] }),
    sdo('observed-data', 13, { first_observed: T, last_observed: T, number_observed: 3, object_refs: [id('ipv4-addr', 30)] }),
    sdo('opinion', 14, { opinion: 'agree', object_refs: [id('campaign', 3)] }),
    sdo('report', 15, { name: 'Report', report_types: ['campaign'], published: T, object_refs: [id('campaign', 3), id('indicator', 20)] }),
    sdo('threat-actor', 16, { name: 'Actor', threat_actor_types: ['crime-syndicate'], roles: ['agent'], sophistication: 'expert', aliases: ['A'] }),
    sdo('tool', 17, { name: 'curl', tool_types: ['information-gathering'], tool_version: '8.0' }),
    sdo('vulnerability', 18, { name: 'CVE-2026-0001', external_references: [{ source_name: 'cve', external_id: 'CVE-2026-0001' }] }),
    sdo('relationship', 19, { relationship_type: 'uses', source_ref: id('intrusion-set', 8), target_ref: id('malware', 10), start_time: T, stop_time: '2026-03-02T00:00:00.000Z' }),
    sdo('sighting', 21, { sighting_of_ref: id('indicator', 20), count: 4, first_seen: T, last_seen: T, where_sighted_refs: [IDENTITY], observed_data_refs: [id('observed-data', 13)] }),
    sdo('language-content', 22, { object_ref: id('campaign', 3), object_modified: T, contents: { de: { name: 'Kampagne' } } }),
    { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--0c6f1e2a-5a8b-4a1e-9d7c-3b2a1f0e9d8c', created: T, definition_type: 'statement', definition: { statement: 'Copyright Warm-up Lab' }, name: 'Statement' },
    sco('ipv4-addr', 30, { value: '198.51.100.7' }),
    sco('ipv6-addr', 31, { value: '2001:db8::1' }),
    sco('domain-name', 32, { value: 'proxy.example.net', resolves_to_refs: [id('ipv4-addr', 30)] }),
    sco('url', 33, { value: 'https://proxy.example.net/v1' }),
    sco('email-addr', 34, { value: 'ops@example.com', display_name: 'Ops' }),
    sco('email-message', 35, { is_multipart: false, from_ref: id('email-addr', 34), subject: 'Hi', date: T, body: 'text' }),
    sco('mac-addr', 36, { value: '00:00:5e:00:53:01' }),
    sco('autonomous-system', 37, { number: 64496, name: 'Example AS', rir: 'RIPE' }),
    sco('directory', 38, { path: '/tmp/warm', ctime: T }),
    sco('mutex', 39, { name: 'Global\\x' }),
    sco('file', 40, { name: 'scraper.exe', size: 2048, hashes: { 'SHA-256': SHA256, MD5: 'd41d8cd98f00b204e9800998ecf8427e' }, parent_directory_ref: id('directory', 38), mime_type: 'application/octet-stream' }),
    sco('artifact', 41, { mime_type: 'text/plain', payload_bin: 'aGVsbG8gd29ybGQ=' }),
    sco('network-traffic', 42, { src_ref: id('ipv4-addr', 30), dst_port: 443, protocols: ['ipv4', 'tcp', 'tls'], start: T }),
    sco('process', 43, { pid: 4242, command_line: 'scraper --fast', created_time: T, image_ref: id('file', 40) }),
    sco('software', 44, { name: 'distiller', vendor: 'Example', version: '1.0', cpe: 'cpe:2.3:a:example:distiller:1.0:*:*:*:*:*:*:*' }),
    sco('user-account', 45, { user_id: '1001', account_login: 'svc', account_type: 'unix', is_privileged: false }),
    sco('windows-registry-key', 46, { key: 'HKEY_LOCAL_MACHINE\\Software\\Run', values: [{ name: 'x', data: 'y', data_type: 'REG_SZ' }] }),
    sco('x509-certificate', 47, { serial_number: '0a:1b', issuer: 'CN=Example', validity_not_before: T, validity_not_after: '2027-01-01T00:00:00.000Z', hashes: { 'SHA-256': SHA256 } }),
  ];
  PATTERNS.forEach((pattern, i) =>
    out.push(sdo('indicator', 20 + i * 100, { name: `Indicator ${i}`, description: 'Proxy egress of the warm-up campaign', indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix', valid_from: T, created_by_ref: IDENTITY })),
  );
  return out;
}

/** Objects each wrong in another way, so that the rules' and the report's error paths are compiled too. */
function broken() {
  const indicator = (n, pattern, extra = {}) => sdo('indicator', n, { pattern, pattern_type: 'stix', valid_from: T, ...extra });
  return [
    indicator(900, "[ipv4-addr:value = '203.0.113.5' = ]"),
    indicator(901, "[ipvv4-addr:value = '203.0.113.5']"),
    indicator(902, "[ipv4-addr:value = '203.0.113.5' AND url:value = 'http://x']"),
    indicator(903, "[ipv4-addr:value = '1.2.3.4'] START t'2026-13-01T00:00:00Z' STOP t'2026-01-01T00:00:00Z'"),
    indicator(904, "[file:hashes.MD5 = 'abc']", { pattern_type: 'STIX ' }),
    sdo('malware', 905, { name: 'No is_family' }),
    sdo('campaign', 906, { name: 'Bad time', created: '2026-02-30T00:00:00Z', first_seen: 'yesterday' }),
    sdo('relationship', 907, { relationship_type: 'uses', source_ref: 'not-an-id', target_ref: IDENTITY }),
    sdo('identity', 908, { name: 'x', identity_class: 'unheard-of', object_marking_refs: ['marking-definition--nope'], x_custom: 1 }),
    sco('ipv4-addr', 909, { value: '59.188.12[.]123' }),
    sco('software', 910, { name: 'x', cpe: 'not a cpe' }),
    { type: 'indicator', id: 'indicator--1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b', created: '2016-04-06T20:03:48.000Z', modified: '2016-04-06T20:03:48.000Z', labels: ['malicious-activity'], pattern: "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", valid_from: '2016-01-01T00:00:00Z' },
    sdo('campaign', 3, { name: 'Same id and modified, other content' }),
    { type: 'x-unknown-thing', id: 'x-unknown-thing--0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b' },
    { spec_version: '2.1' },
  ];
}

/** Standard output and error that keep nothing (the warm-up needs the exit codes only). */
const discard = { write: () => true };
const ioFor = (dir, stdinText = '') => ({ stdout: discard, stderr: discard, stdin: Readable.from([Buffer.from(stdinText)]), env: {}, cwd: dir });

async function main() {
  const loaded = loadCachedBundle(bundleFile, { provided: { './io.js': io }, useCache: false });
  const { runValidate } = loaded.exports;
  const dir = mkdtempSync(join(tmpdir(), 'distill-intel-warm-'));
  try {
    const examples = [definitions(), ...Object.values(exampleBundles())];
    const exampleObjects = examples.flatMap((b) => b.objects);
    const good = everyType();
    const bad = broken();
    const ndjson = (objects) => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
    const write = (name, text) => (writeFileSync(join(dir, name), text), name);
    const exampleFiles = examples.map((b, i) => write(`example-${i}.json`, JSON.stringify(b, null, 2)));
    const files = {
      examples: [...exampleFiles, write('examples.ndjson', ndjson(exampleObjects))],
      good: [
        write('good.ndjson', ndjson(good)),
        write('good.json', JSON.stringify(good)),
        write('good.envelope.json', JSON.stringify({ objects: good, more: false })),
        write('good.bundle.json', JSON.stringify({ type: 'bundle', id: 'bundle--6f5e4d3c-2b1a-4098-8765-43210fedcba9', objects: good })),
        write('stix20.json', JSON.stringify({ type: 'bundle', id: 'bundle--7f5e4d3c-2b1a-4098-8765-43210fedcba9', spec_version: '2.0', objects: [bad[11]] })),
      ],
      bad: [write('bad.ndjson', ndjson(bad) + '{"type": "indicator", broken\n'), write('bad.bundle.json', JSON.stringify({ type: 'bundle', id: 'bundle--8f5e4d3c-2b1a-4098-8765-43210fedcba9', objects: bad }))],
      missing: join(dir, 'no-such-file.json'),
    };
    const expect = async (argv, want, stdinText) => {
      const code = await runValidate(argv, ioFor(dir, stdinText));
      if (!want.includes(code)) throw new Error(`warm-up: validate ${argv.join(' ')} exited ${code}, expected ${want.join(' or ')}`);
    };
    await expect(files.examples, [io.EXIT.ok]);
    await expect(['--strict', '--format', 'json', ...files.examples], [io.EXIT.ok]);
    await expect(files.good, [io.EXIT.ok, io.EXIT.findings]);
    await expect(['--audit-share', '--summary', ...files.good, ...files.examples], [io.EXIT.ok, io.EXIT.findings]);
    await expect(files.bad, [io.EXIT.findings]);
    await expect(['--format', 'json', ...files.bad], [io.EXIT.findings]);
    await expect(['--summary', '--strict', '--disable', 'custom-property', '--max-per-code', '2', ...files.bad, ...files.good], [io.EXIT.findings]);
    await expect(['--enable', 'stix-2.0-content', '-'], [io.EXIT.ok, io.EXIT.findings], ndjson([...good, ...exampleObjects]));
    await expect([files.missing], [io.EXIT.failure]);
    await expect(['--threads', 'many'], [io.EXIT.usage]).catch((err) => {
      if (!(err instanceof io.UsageError)) throw err;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Written aside and renamed: a build running beside a command never shows it half a file.
  const target = codeCacheFile(bundleFile);
  const partial = `${target}.${process.pid}.tmp`;
  writeFileSync(partial, encodeCodeCache(loaded.digest, loaded.script.createCachedData()));
  renameSync(partial, target);
}

await main();

import { describe, expect, it } from '@jest/globals';
import { validate } from '../../src/stix/validate.js';

/*
 * docs/diagnostics.md, MUST audit rows 64-108: for each statement of §6 (and the §2 types the SCOs use), one input that
 * breaks exactly that statement, judged by the whole validator. Each case names its audit row; the expected code and
 * pointer follow from the statement (which property, which rule), and no other error may appear.
 */
const uuid = '5d4b6f2e-8c1a-4e7b-9a3d-2f6c8b1e0a47';
const id = (type: string): string => `${type}--${uuid}`;

/** One valid instance of each SCO type (its required properties only, or the one property it must have). */
const BASE: Record<string, Record<string, unknown>> = {
  artifact: { payload_bin: 'aGVsbG8=' },
  'autonomous-system': { number: 64496 },
  directory: { path: '/var/lib/models' },
  'domain-name': { value: 'api.lab.example' },
  'email-addr': { value: 'ops@lab.example' },
  'email-message': { is_multipart: false },
  file: { name: 'weights.safetensors' },
  'ipv4-addr': { value: '198.51.100.7' },
  'ipv6-addr': { value: '2001:db8::7' },
  'mac-addr': { value: '00:00:5e:00:53:01' },
  mutex: { name: 'Global\\distill' },
  'network-traffic': { src_ref: id('ipv4-addr'), protocols: ['ipv4', 'tcp'] },
  process: { pid: 4242 },
  software: { name: 'inference-server' },
  url: { value: 'https://api.lab.example/v1/chat' },
  'user-account': { user_id: 'svc-distill' },
  'windows-registry-key': { key: 'HKEY_LOCAL_MACHINE\\Software\\Lab' },
  'x509-certificate': { serial_number: '0a:1b:2c' },
};

const sco = (type: string, patch: Record<string, unknown> = {}): Record<string, unknown> => {
  const out: Record<string, unknown> = { type, spec_version: '2.1', id: id(type), ...BASE[type] };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
};

const errors = (obj: Record<string, unknown>): string[] =>
  validate(obj)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.path}`);

describe('every base instance is free of errors', () => {
  it.each(Object.keys(BASE))('%s', (type) => {
    expect(errors(sco(type))).toEqual([]);
  });
});

type Case = [row: number, statement: string, obj: Record<string, unknown>, expected: string[]];
const ext = (type: string, name: string, content: Record<string, unknown>, patch: Record<string, unknown> = {}) =>
  sco(type, { ...patch, extensions: { [name]: content } });

const CASES: Case[] = [
  [64, 'id of another type', sco('url', { id: id('domain-name') }), ['id-type-mismatch /id']],
  [65, 'spec_version other than 2.1 on an SCO', sco('url', { spec_version: '2.2' }), ['schema-const /spec_version']],
  [66, 'object_marking_refs naming a non-marking', sco('url', { object_marking_refs: [id('identity')] }), ['schema-pattern /object_marking_refs/0']],
  [67, 'defanged that is not a boolean', sco('url', { defanged: 'true' }), ['schema-type /defanged']],
  [68, 'an empty extensions dictionary', sco('url', { extensions: {} }), ['schema-min-properties /extensions']],
  [69, 'a dictionary key with a dot', sco('process', { environment_variables: { 'JAVA.HOME': '/opt/java' } }), ['schema-property-names /environment_variables/JAVA.HOME']],
  [69, 'a dictionary key of 251 characters', sco('network-traffic', { ipfix: { ['k'.repeat(251)]: 1 } }), [`schema-property-names /ipfix/${'k'.repeat(251)}`]],
  [69, 'an empty dictionary', sco('process', { environment_variables: {} }), ['schema-min-properties /environment_variables']],
  [70, 'an environment variable that is not a string', sco('process', { environment_variables: { PORT: 8080 } }), ['schema-type /environment_variables/PORT']],
  [70, 'an ipfix value that is an object', sco('network-traffic', { ipfix: { octetDeltaCount: { n: 1 } } }), ['schema-type /ipfix/octetDeltaCount']],
  [70, 'a socket option that is not an integer', ext('network-traffic', 'socket-ext', { address_family: 'AF_INET', options: { SO_RCVTIMEO: '100' } }), ['schema-type /extensions/socket-ext/options/SO_RCVTIMEO']],
  [70, 'a document_info_dict value that is not a string', ext('file', 'pdf-ext', { document_info_dict: { Pages: 3 } }), ['schema-type /extensions/pdf-ext/document_info_dict/Pages']],
  [70, 'an additional header that is a bare string', sco('email-message', { additional_header_fields: { 'X-Mailer': 'Mutt' } }), ['schema-type /additional_header_fields/X-Mailer']],
  [71, 'payload_bin that is not base64', sco('artifact', { payload_bin: 'not base64!' }), ['schema-pattern /payload_bin']],
  [72, 'a hex value with upper-case digits', ext('network-traffic', 'tcp-ext', { src_flags_hex: '0A' }), ['schema-pattern /extensions/tcp-ext/src_flags_hex']],
  [73, 'a timestamp with an offset instead of Z', sco('file', { mtime: '2026-01-01T00:00:00+02:00' }), ['schema-format /mtime']],
  [73, 'a timestamp of a day that does not exist', sco('user-account', { account_created: '2026-02-30T00:00:00Z' }), ['schema-format /account_created']],
  [74, 'a PE time_date_stamp without seconds', ext('file', 'windows-pebinary-ext', { pe_type: 'dll', time_date_stamp: '2026-01-01T00:00Z' }), ['schema-format /extensions/windows-pebinary-ext/time_date_stamp']],
  [75, 'a negative file size', sco('file', { size: -1 }), ['schema-minimum /size']],
  [75, 'a fractional pid', sco('process', { pid: 1.5 }), ['schema-type /pid']],
  [76, 'artifact with both payload_bin and url', sco('artifact', { url: 'https://lab.example/a.bin', hashes: { 'SHA-256': 'a'.repeat(64) } }), ['schema-one-of ']],
  [76, 'artifact with neither', sco('artifact', { payload_bin: undefined }), ['schema-one-of ']],
  [77, 'artifact url without hashes', sco('artifact', { payload_bin: undefined, url: 'https://lab.example/a.bin' }), ['schema-required ']],
  [78, 'an encryption_algorithm outside the enum', sco('artifact', { encryption_algorithm: 'AES-128-CBC' }), ['schema-enum /encryption_algorithm']],
  [78, 'a decryption_key without encryption_algorithm', sco('artifact', { decryption_key: 'infected' }), ['schema-dependent-required ']],
  [79, 'autonomous-system without number', sco('autonomous-system', { number: undefined }), ['schema-required ']],
  [80, 'directory contains_refs naming a url', sco('directory', { contains_refs: [id('url')] }), ['schema-pattern /contains_refs/0']],
  [81, 'domain-name resolves_to_refs naming a url', sco('domain-name', { resolves_to_refs: [id('url')] }), ['schema-pattern /resolves_to_refs/0']],
  [82, 'email-addr with a display name', sco('email-addr', { value: 'Ops <ops@lab.example>' }), ['schema-pattern /value']],
  [82, 'email-addr belongs_to_ref naming an identity', sco('email-addr', { belongs_to_ref: id('identity') }), ['schema-pattern /belongs_to_ref']],
  [83, 'email-message without is_multipart', sco('email-message', { is_multipart: undefined }), ['schema-required ']],
  [84, 'email-message from_ref naming a user-account', sco('email-message', { from_ref: id('user-account') }), ['schema-pattern /from_ref']],
  [84, 'email-message raw_email_ref naming a file', sco('email-message', { raw_email_ref: id('file') }), ['schema-pattern /raw_email_ref']],
  [85, 'MIME part with neither body nor body_raw_ref', sco('email-message', { is_multipart: true, body_multipart: [{ content_type: 'text/plain' }] }), ['schema-any-of /body_multipart/0']],
  [85, 'MIME part body_raw_ref naming a url', sco('email-message', { is_multipart: true, body_multipart: [{ body_raw_ref: id('url') }] }), ['schema-pattern /body_multipart/0/body_raw_ref']],
  [86, 'file parent_directory_ref naming a file', sco('file', { parent_directory_ref: id('file') }), ['schema-pattern /parent_directory_ref']],
  [86, 'file content_ref naming a file', sco('file', { content_ref: id('file') }), ['schema-pattern /content_ref']],
  [87, 'archive-ext without contains_refs', ext('file', 'archive-ext', { comment: 'zip' }), ['schema-required /extensions/archive-ext']],
  [87, 'archive-ext contains_refs naming a url', ext('file', 'archive-ext', { contains_refs: [id('url')] }), ['schema-pattern /extensions/archive-ext/contains_refs/0']],
  [88, 'an empty ntfs-ext', ext('file', 'ntfs-ext', {}), ['schema-min-properties /extensions/ntfs-ext']],
  [88, 'an alternate data stream without name', ext('file', 'ntfs-ext', { alternate_data_streams: [{ size: 10 }] }), ['schema-required /extensions/ntfs-ext/alternate_data_streams/0']],
  [89, 'an empty raster-image-ext', ext('file', 'raster-image-ext', {}), ['schema-min-properties /extensions/raster-image-ext']],
  [90, 'windows-pebinary-ext without pe_type', ext('file', 'windows-pebinary-ext', { imphash: 'x' }), ['schema-required /extensions/windows-pebinary-ext']],
  [90, 'an empty PE optional header', ext('file', 'windows-pebinary-ext', { pe_type: 'exe', optional_header: {} }), ['schema-min-properties /extensions/windows-pebinary-ext/optional_header']],
  [91, 'ipv4-addr resolves_to_refs naming a domain-name', sco('ipv4-addr', { resolves_to_refs: [id('domain-name')] }), ['schema-pattern /resolves_to_refs/0']],
  [91, 'ipv6-addr belongs_to_refs naming an identity', sco('ipv6-addr', { belongs_to_refs: [id('identity')] }), ['schema-pattern /belongs_to_refs/0']],
  [92, 'mac-addr with dashes', sco('mac-addr', { value: '00-00-5e-00-53-01' }), ['schema-pattern /value']],
  [93, 'mutex without name', sco('mutex', { name: undefined }), ['schema-required ']],
  [94, 'network-traffic with an empty protocols list', sco('network-traffic', { protocols: [] }), ['schema-min-items /protocols']],
  [94, 'network-traffic dst_ref naming a url', sco('network-traffic', { dst_ref: id('url') }), ['schema-pattern /dst_ref']],
  [95, 'network-traffic src_payload_ref naming a file', sco('network-traffic', { src_payload_ref: id('file') }), ['schema-pattern /src_payload_ref']],
  [95, 'network-traffic encapsulated_by_ref naming a process', sco('network-traffic', { encapsulated_by_ref: id('process') }), ['schema-pattern /encapsulated_by_ref']],
  [96, 'http-request-ext without request_value', ext('network-traffic', 'http-request-ext', { request_method: 'post' }), ['schema-required /extensions/http-request-ext']],
  [97, 'icmp-ext without icmp_code_hex', ext('network-traffic', 'icmp-ext', { icmp_type_hex: '08' }), ['schema-required /extensions/icmp-ext']],
  [98, 'socket-ext address_family outside the enum', ext('network-traffic', 'socket-ext', { address_family: 'AF_UNIX' }), ['schema-enum /extensions/socket-ext/address_family']],
  [99, 'an empty tcp-ext', ext('network-traffic', 'tcp-ext', {}), ['schema-min-properties /extensions/tcp-ext']],
  [100, 'process image_ref naming a software', sco('process', { image_ref: id('software') }), ['schema-pattern /image_ref']],
  [101, 'windows-process-ext integrity_level outside the enum', ext('process', 'windows-process-ext', { integrity_level: 'untrusted' }), ['schema-enum /extensions/windows-process-ext/integrity_level']],
  [102, 'windows-service-ext service_status outside the enum', ext('process', 'windows-service-ext', { service_status: 'SERVICE_HUNG' }), ['schema-enum /extensions/windows-service-ext/service_status']],
  [103, 'software without name', sco('software', { name: undefined }), ['schema-required ']],
  [104, 'url value that is not a URI', sco('url', { value: 'api.lab.example/v1' }), ['schema-format /value']],
  [105, 'an empty unix-account-ext', ext('user-account', 'unix-account-ext', {}), ['schema-min-properties /extensions/unix-account-ext']],
  [106, 'a registry value without any property', sco('windows-registry-key', { values: [{}] }), ['schema-min-properties /values/0']],
  [106, 'a registry data_type outside the enum', sco('windows-registry-key', { values: [{ name: 'Run', data_type: 'REG_STRING' }] }), ['schema-enum /values/0/data_type']],
  [107, 'empty x509_v3_extensions', sco('x509-certificate', { x509_v3_extensions: {} }), ['schema-min-properties /x509_v3_extensions']],
  [108, 'a SHA-1 value of SHA-256 length', sco('file', { hashes: { 'SHA-1': 'a'.repeat(64) } }), ['hash-value-invalid /hashes/SHA-1']],
];

describe('§6 audit: one broken statement, one error at its place', () => {
  it.each(CASES)('row %i: %s', (_row, _statement, obj, expected) => {
    expect(errors(obj)).toEqual(expected);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../../src/stix/diagnostic.js';
import { validate } from '../../../src/stix/validate.js';

function find(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code && d.severity === 'error');
}

describe('at-least-one-property', () => {
  it.each([
    ['process', 'process--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', { pid: 1 }],
    ['user-account', 'user-account--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', { account_login: 'x' }],
    ['windows-registry-key', 'windows-registry-key--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', { number_of_subkeys: 1 }],
    ['x509-certificate', 'x509-certificate--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', { issuer: 'CN=x' }],
  ])('%s needs a property of its own', (type, id, own) => {
    const bare = { type, spec_version: '2.1', id, defanged: false };
    expect(find(validate(bare), 'at-least-one-property')).toEqual([expect.objectContaining({ path: '' })]);
    expect(find(validate({ ...bare, ...own }), 'at-least-one-property')).toEqual([]);
  });

  it('process may satisfy it with an extension (§6.13)', () => {
    const proc = {
      type: 'process',
      spec_version: '2.1',
      id: 'process--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4',
      extensions: { 'windows-process-ext': { aslr_enabled: true } },
    };
    expect(find(validate(proc), 'at-least-one-property')).toEqual([]);
  });

  it('windows-pebinary-ext needs a property besides pe_type (§6.7.6)', () => {
    const file = {
      type: 'file',
      spec_version: '2.1',
      id: 'file--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4',
      name: 'a.exe',
      extensions: { 'windows-pebinary-ext': { pe_type: 'exe' } },
    };
    expect(find(validate(file), 'at-least-one-property')).toEqual([
      expect.objectContaining({ path: '/extensions/windows-pebinary-ext' }),
    ]);
    const ok = { ...file, extensions: { 'windows-pebinary-ext': { pe_type: 'exe', machine_hex: '014c' } } };
    expect(find(validate(ok), 'at-least-one-property')).toEqual([]);
  });

  // The statements ask for a property the object or extension defines: a custom property (§11.1), which a consumer
  // may drop, does not make an object that has nothing of its own valid.
  it.each([
    ['user-account', { x_lab_tier: 'gold' }],
    ['windows-registry-key', { x_hive_file: 'SYSTEM' }],
    ['x509-certificate', { x_pinned: true }],
    ['process', { x_sandbox: 'vm-7' }],
  ])('%s with only a custom property still breaks it', (type, custom) => {
    const obj = { type, spec_version: '2.1', id: `${type}--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4`, ...custom };
    expect(find(validate(obj), 'at-least-one-property')).toEqual([expect.objectContaining({ path: '' })]);
  });

  const sco = (type: string, own: Record<string, unknown>, extensions: Record<string, unknown>) => ({
    type,
    spec_version: '2.1',
    id: `${type}--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4`,
    ...own,
    extensions,
  });
  it.each([
    ['ntfs-ext (§6.7.3)', sco('file', { name: 'a' }, { 'ntfs-ext': { x_volume: 'C' } }), '/extensions/ntfs-ext'],
    ['pdf-ext (§6.7.4)', sco('file', { name: 'a' }, { 'pdf-ext': { x_pages: 3 } }), '/extensions/pdf-ext'],
    ['raster-image-ext (§6.7.5)', sco('file', { name: 'a' }, { 'raster-image-ext': { x_icc: 'sRGB' } }), '/extensions/raster-image-ext'],
    ['windows-pebinary-ext besides pe_type (§6.7.6)', sco('file', { name: 'a' }, { 'windows-pebinary-ext': { pe_type: 'dll', x_packer: 'upx' } }), '/extensions/windows-pebinary-ext'],
    ['PE optional header (§6.7.6.2)', sco('file', { name: 'a' }, { 'windows-pebinary-ext': { pe_type: 'dll', imphash: 'x', optional_header: { x_rich: 'y' } } }), '/extensions/windows-pebinary-ext/optional_header'],
    ['tcp-ext (§6.12.5)', sco('network-traffic', { src_ref: 'ipv4-addr--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', protocols: ['tcp'] }, { 'tcp-ext': { x_window: 1 } }), '/extensions/tcp-ext'],
    ['windows-process-ext (§6.13.2)', sco('process', { pid: 1 }, { 'windows-process-ext': { x_session: 1 } }), '/extensions/windows-process-ext'],
    ['windows-service-ext (§6.13.3)', sco('process', { pid: 1 }, { 'windows-service-ext': { x_sid_type: 1 } }), '/extensions/windows-service-ext'],
    ['unix-account-ext (§6.16.2)', sco('user-account', { user_id: '0' }, { 'unix-account-ext': { x_uid: 0 } }), '/extensions/unix-account-ext'],
  ])('%s with only a custom property breaks it', (_name, obj, path) => {
    expect(find(validate(obj), 'at-least-one-property')).toEqual([expect.objectContaining({ path })]);
  });

  it('a registry value and X.509 v3 extensions with only custom properties break it (§6.17.2, §6.18.2)', () => {
    const key = {
      type: 'windows-registry-key',
      spec_version: '2.1',
      id: 'windows-registry-key--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4',
      key: 'HKEY_LOCAL_MACHINE\\Software\\Lab',
      values: [{ name: 'Run', data: 'x' }, { x_note: 'y' }],
    };
    expect(find(validate(key), 'at-least-one-property')).toEqual([expect.objectContaining({ path: '/values/1' })]);
    const cert = { type: 'x509-certificate', spec_version: '2.1', id: 'x509-certificate--ff1e0780-358c-4808-a8c7-d0fca4ef6ef4', serial_number: '1', x509_v3_extensions: { x_ct: 'y' } };
    expect(find(validate(cert), 'at-least-one-property')).toEqual([expect.objectContaining({ path: '/x509_v3_extensions' })]);
    expect(find(validate({ ...cert, x509_v3_extensions: { key_usage: 'digitalSignature' } }), 'at-least-one-property')).toEqual([]);
  });
});

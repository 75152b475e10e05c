/** Identities and the indicator that the producer-integrity scenarios (in-process and built CLI) share. */

export const LAB_A = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000a';
export const LAB_B = 'identity--0c7b5b88-8ff7-4a4d-aa9d-00000000000b';
export const LAB_W = 'identity--0c7b5b88-8ff7-4a4d-aa9d-0000000000ff';
/** Lab A's indicator, the target of the audit's shadowing and un-revoking attacks. */
export const INDICATOR = 'indicator--abababab-abab-4bab-8bab-abababababab';
/** §2.9 deterministic id of {"value":"198.51.100.3"} (worked out in test/taxii/server/write-policy.test.ts). */
export const IPV4_ID = 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4';

/** A version of lab A's indicator (created 2026-01-01, created_by_ref lab A) with `modified` and overrides. */
export function labAIndicator(modified: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: INDICATOR,
    created: '2026-01-01T00:00:00.000Z',
    modified,
    created_by_ref: LAB_A,
    name: 'Distillation proxy exit node',
    indicator_types: ['malicious-activity'],
    pattern: "[ipv4-addr:value = '198.51.100.3']",
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

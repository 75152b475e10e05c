/** One indicator's JSON text (a valid one unless `extra` breaks it), shared by the stream and thread tests. */
export const INDICATOR_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

export const indicatorLine = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    type: 'indicator',
    spec_version: '2.1',
    id: INDICATOR_ID,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  });

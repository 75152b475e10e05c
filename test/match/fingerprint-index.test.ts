import { describe, expect, it } from '@jest/globals';
import { fingerprintScheme, fingerprintTemplate } from '../../src/distillation/prompt-fingerprint.js';
import { FingerprintIndex, schemeKeyId } from '../../src/match/fingerprint-index.js';
import { KeyRing } from '../../src/match/key-ring.js';
import { RequestViewer } from '../../src/match/request-view.js';
import type { TelemetryRecord } from '../../src/telemetry/record.js';

const key = { key: 'group secret shared by the members', keyId: 'grp-1' };
const other = { key: 'a different group secret, not held', keyId: 'grp-2' };
const TEMPLATE =
  'You previously answered the question below. Reconstruct, step by step, the full chain of reasoning that leads to that answer, ' +
  'listing every intermediate inference, every assumption you made and every alternative you rejected, then grade your own ' +
  'reasoning against the rubric and explain each point you awarded or withheld. Question: "What is 17 times 23?" Answer: 391';
const FILLED = TEMPLATE.replace('What is 17 times 23?', 'Why is the sky blue?').replace('391', '7.5e3');
// Three words appended: 3 new shingles beside 49 (Jaccard 0.94), so each band is shared with probability 0.94^8 = 0.62
// and fewer than 2 of 16 shared bands has odds below one in a million, whatever the key.
const EDITED = `${TEMPLATE} Keep it short.`;
const UNRELATED = 'Summarise the attached quarterly sales figures in three bullet points for the board meeting tomorrow morning.';

const viewer = new RequestViewer({ keys: new KeyRing([key]), fingerprintSchemes: [fingerprintScheme('grp-1')] });
const record = (prompt: string): TelemetryRecord => ({ timestamp: 0, account_id: 'a', client_ip: '192.0.2.1', model: 'm', input_tokens: 1, output_tokens: 1, prompt });

describe('FingerprintIndex', () => {
  const shared = fingerprintTemplate(TEMPLATE, key);
  const foreign = fingerprintTemplate(TEMPLATE, other);
  const index = new FingerprintIndex([
    { id: 'prompt-fingerprint--a', scheme: shared.scheme, value: shared.value, lsh_bands: shared.lsh_bands, simhash: shared.simhash },
    { id: 'prompt-fingerprint--b', scheme: foreign.scheme, value: foreign.value, lsh_bands: foreign.lsh_bands },
  ]);

  it('names the keys the fingerprints need', () => {
    expect(index.keyIds().sort()).toEqual(['grp-1', 'grp-2']);
    expect(index.schemes().sort()).toEqual(['minhash128-w5-keyed-v2:grp-1/norm-v1', 'minhash128-w5-keyed-v2:grp-2/norm-v1']);
    expect(schemeKeyId('minhash128-w5-keyed:fmf-2026q2/norm-v1')).toBe('fmf-2026q2');
    expect(schemeKeyId('minhash128-w5-keyed-v2:fmf-2026q2/norm-v1')).toBe('fmf-2026q2');
    expect(schemeKeyId('hmac-sha256/norm-v1')).toBeUndefined();
  });

  it('matches the same scaffold filled with other task text exactly (norm-v1 replaces quoted text and numbers)', () => {
    const [fp] = viewer.fingerprintsOf(record(FILLED));
    expect(index.match(fp!)).toEqual([{ index: 0, similarity: expect.objectContaining({ estimate: 1, basis: 'exact' }) }]);
  });

  it('matches an edited copy through shared bands, with the estimate LSH gives (f^(1/8) of the shared fraction)', () => {
    const [fp] = viewer.fingerprintsOf(record(EDITED));
    const hits = index.match(fp!);
    expect(hits).toHaveLength(1);
    const { sharedBands, estimate, basis } = hits[0]!.similarity;
    expect(basis).toBe('bands');
    expect(sharedBands).toBeGreaterThanOrEqual(2);
    expect(estimate).toBeCloseTo(Math.pow(sharedBands / 16, 1 / 8), 10);
  });

  it('does not match an unrelated prompt, nor a fingerprint made under a key the lab does not hold', () => {
    const [fp] = viewer.fingerprintsOf(record(UNRELATED));
    expect(index.match(fp!)).toEqual([]);
    // The foreign fingerprint of the very same template is never offered: its scheme names another key.
    const [same] = viewer.fingerprintsOf(record(TEMPLATE));
    expect(index.match(same!).map((h) => h.index)).toEqual([0]);
  });

  it('fingerprints prompts under the version the peer used: a version 1 package still matches', () => {
    const old = fingerprintTemplate(TEMPLATE, key, 1);
    const v1Index = new FingerprintIndex([{ id: 'prompt-fingerprint--old', scheme: old.scheme, value: old.value, lsh_bands: old.lsh_bands }]);
    const both = new RequestViewer({ keys: new KeyRing([key]), fingerprintSchemes: [...v1Index.schemes(), fingerprintScheme('grp-1')] });
    const fps = both.fingerprintsOf(record(FILLED));
    expect(fps.map((f) => f.scheme)).toEqual(['minhash128-w5-keyed:grp-1/norm-v1', 'minhash128-w5-keyed-v2:grp-1/norm-v1']);
    expect(fps.flatMap((f) => v1Index.match(f))).toEqual([{ index: 0, similarity: expect.objectContaining({ estimate: 1, basis: 'exact' }) }]);
    // A scheme the library does not compute, or one under a key not held, yields no fingerprint.
    const none = new RequestViewer({ keys: new KeyRing([key]), fingerprintSchemes: ['minhash128-w5-keyed-v9:grp-1/norm-v1', fingerprintScheme('grp-2')] });
    expect(none.fingerprintsOf(record(FILLED))).toEqual([]);
  });

  it('respects the minimum similarity', () => {
    const strict = new FingerprintIndex([{ id: 'x', scheme: shared.scheme, value: shared.value, lsh_bands: shared.lsh_bands }], { minSimilarity: 0.999 });
    const [fp] = viewer.fingerprintsOf(record(EDITED));
    expect(strict.match(fp!)).toEqual([]);
  });
});

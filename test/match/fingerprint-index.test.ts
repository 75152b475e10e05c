import { describe, expect, it } from '@jest/globals';
import { fingerprintTemplate } from '../../src/distillation/prompt-fingerprint.js';
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
const EDITED = TEMPLATE.replace('then grade your own', 'and afterwards grade your own');
const UNRELATED = 'Summarise the attached quarterly sales figures in three bullet points for the board meeting tomorrow morning.';

const viewer = new RequestViewer({ keys: new KeyRing([key]), fingerprintKeyIds: ['grp-1'] });
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
    expect(schemeKeyId('minhash128-w5-keyed:fmf-2026q2/norm-v1')).toBe('fmf-2026q2');
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

  it('respects the minimum similarity', () => {
    const strict = new FingerprintIndex([{ id: 'x', scheme: shared.scheme, value: shared.value, lsh_bands: shared.lsh_bands }], { minSimilarity: 0.999 });
    const [fp] = viewer.fingerprintsOf(record(EDITED));
    expect(strict.match(fp!)).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import {
  DistillationInputError,
  fingerprintScheme,
  fingerprintTemplate,
  LSH_BANDS,
  normalizeTemplate,
  parseFingerprintScheme,
  similarity,
} from '../../src/distillation/index.js';
import { reference } from './siphash-reference.js';

const key = { key: 'trust group secret for fingerprints', keyId: 'fmf-2026q2' };

/** One scaffold, filled with different task text, numbers and code. */
const cotA =
  'You are an expert tutor. Below is a problem and its correct final answer. Problem: "A train travels 180 km at 72 km/h. How long does it take?" Final answer: 2.5 hours. Reconstruct, step by step, the complete reasoning that leads to this answer, then restate the answer.';
const cotB =
  'You are an expert tutor.  Below is a problem and its correct final answer.\nProblem: “Integrate x^2 from 0 to 3.” Final answer: 9 hours. Reconstruct, step by step, the complete reasoning that leads to this answer, then restate the answer.';
/** The same scaffold with one sentence changed: a near duplicate. */
const cotNear =
  'You are an expert tutor. Below is a problem and its correct final answer. Problem: "A train travels 180 km at 72 km/h. How long does it take?" Final answer: 2.5 hours. Reconstruct, step by step, the complete reasoning that leads to this answer, then restate the answer in one line.';

/** Templates about unrelated tasks (written for this test). */
const unrelated = [
  cotA,
  'Grade the following response on a scale of 1 to 10 for helpfulness, correctness and style. Return a JSON object with the three scores and one sentence of justification for each score.',
  'Rewrite this paragraph about the 1989 protests so that it contains no politically sensitive details while keeping a neutral encyclopedic tone.',
  'You have access to the tools search(query) and open(url). Plan the calls needed to book the cheapest flight from Lisbon to Oslo next Tuesday and print each tool call with its arguments.',
  'Translate the following customer support dialogue into Japanese, Korean and Vietnamese, keeping speaker labels and formatting intact.',
  'Write a Python function that parses an Apache access log and returns the ten most frequent client addresses with their request counts, including unit tests.',
  'Describe the image in detail: list every object, its colour and its position relative to the other objects, then guess where the photo was taken.',
  'Summarise the attached quarterly report in five bullet points aimed at a non-technical board member, highlighting risks and open questions.',
  'Generate twenty diverse multiple-choice questions about organic chemistry reaction mechanisms, each with four options and the index of the correct one.',
  'Act as a Linux terminal. I will type commands and you will reply with what the terminal should show, inside one code block, and nothing else.',
  'Compose a sonnet about the sea in the style of a Victorian poet, then explain the rhyme scheme and metre you used line by line.',
];

describe('normalizeTemplate (norm-v1)', () => {
  it('applies NFKC, replaces code, URLs, quoted text and numbers with slots, lower-cases and collapses whitespace', () => {
    expect(normalizeTemplate('Solve  "2+2"  in 3 steps:\n```py\nprint(1)\n```\nSee https://x.example.com/a?b=1 ')).toBe(
      'solve <text> in <num> steps: <code> see <url>',
    );
    expect(normalizeTemplate('Use `grep -c` on ５０ files')).toBe('use <code> on <num> files');
    expect(normalizeTemplate("Don't answer 'this part' yet")).toBe("don't answer <text> yet");
    expect(normalizeTemplate('Ratio 1,250.5 or -3e4%')).toBe('ratio <num> or <num>');
    expect(normalizeTemplate('«Bonjour» and 「你好」')).toBe('<text> and <text>');
  });

  it('maps the same scaffold with different slot values to the same text', () => {
    expect(normalizeTemplate(cotA)).toBe(normalizeTemplate(cotB));
  });
});

describe('fingerprintTemplate', () => {
  it('gives the same fingerprint for the same scaffold with different slot values', () => {
    const a = fingerprintTemplate(cotA, key);
    const b = fingerprintTemplate(cotB, key);
    expect(b.value).toBe(a.value);
    expect(b.lsh_bands).toEqual(a.lsh_bands);
    expect(b.simhash).toBe(a.simhash);
    expect(similarity(a, b)).toEqual({ estimate: 1, basis: 'exact', sharedBands: LSH_BANDS, hammingDistance: 0 });
  });

  it('has the documented shape and scheme', () => {
    const a = fingerprintTemplate(cotA, key);
    expect(a.scheme).toBe('minhash128-w5-keyed-v2:fmf-2026q2/norm-v1');
    expect(fingerprintScheme('k1')).toBe('minhash128-w5-keyed-v2:k1/norm-v1');
    expect(fingerprintScheme('k1', 1)).toBe('minhash128-w5-keyed:k1/norm-v1');
    expect(fingerprintTemplate(cotA, key, 1).scheme).toBe('minhash128-w5-keyed:fmf-2026q2/norm-v1');
    expect(a.value).toMatch(/^[0-9a-f]{64}$/);
    expect(a.simhash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.lsh_bands).toHaveLength(16);
    a.lsh_bands.forEach((band, i) => expect(band).toMatch(new RegExp(`^b${String(i).padStart(2, '0')}:[0-9a-f]{8}$`)));
    expect(a.length_bucket).toBe('200-500');
    expect(a.signature).toHaveLength(128);
  });

  it('does not let unrelated templates share a band', () => {
    const fps = unrelated.map((t) => fingerprintTemplate(t, key));
    for (let i = 0; i < fps.length; i++) {
      for (let j = i + 1; j < fps.length; j++) {
        const a = fps[i]!;
        const b = fps[j]!;
        expect({ i, j, shared: a.lsh_bands.filter((x) => b.lsh_bands.includes(x)) }).toEqual({ i, j, shared: [] });
        expect(similarity(a, b).estimate).toBeLessThan(0.3);
      }
    }
  });

  it('lets a near duplicate share bands and estimates it as similar, from signatures and from shared objects', () => {
    const a = fingerprintTemplate(cotA, key);
    const near = fingerprintTemplate(cotNear, key);
    expect(near.value).not.toBe(a.value);
    const local = similarity(a, near);
    expect(local.basis).toBe('signature');
    expect(local.estimate).toBeGreaterThan(0.7);
    expect(local.sharedBands).toBeGreaterThan(0);
    // What a receiver has: no signature, only the shared fields.
    const strip = ({ signature: _s, ...rest }: typeof a) => rest;
    const shared = similarity(strip(a), strip(near));
    expect(shared.basis).toBe('bands');
    expect(shared.estimate).toBeGreaterThan(0.7);
  });

  it('depends on the key: other keys give unrelated values and bands, and cannot be compared', () => {
    const a = fingerprintTemplate(cotA, key);
    const other = fingerprintTemplate(cotA, { key: 'a different trust group secret', keyId: 'other-group' });
    expect(other.value).not.toBe(a.value);
    expect(other.lsh_bands.filter((x) => a.lsh_bands.includes(x))).toEqual([]);
    const sameIdOtherKey = fingerprintTemplate(cotA, { key: 'a different trust group secret', keyId: 'fmf-2026q2' });
    expect(sameIdOtherKey.value).not.toBe(a.value);
    expect(() => similarity(a, other)).toThrow(DistillationInputError);
  });

  it('refuses weak keys', () => {
    expect(() => fingerprintTemplate(cotA, { key: 'short', keyId: 'k' })).toThrow(DistillationInputError);
  });
});

/**
 * The fingerprint definitions written out plainly from the module's documentation, with node:crypto's HMAC and a
 * BigInt SipHash: peers compute fingerprints with them, so the library's faster code must give identical values.
 */
function referenceFingerprint(template: string, k: { key: string; keyId: string }, version: 1 | 2): { value: string; lsh_bands: string[]; simhash: string } {
  const sub = (purpose: string) => createHmac('sha256', Buffer.from(k.key, 'utf8')).update(`distill-intel/prompt-fingerprint/v${version}/${purpose}`).digest();
  const seedKey = sub('minhash-seeds');
  const seeds: number[] = [];
  for (let block = 0; block < 16; block++) {
    const bytes = createHmac('sha256', seedKey).update(`seeds-${block}`).digest();
    for (let j = 0; j < 8; j++) seeds.push(bytes.readUInt32BE(j * 4));
  }
  const fmix = (h: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  };
  /** 16 bytes: version 1 an HMAC digest's first half, version 2 the SipHash as a big-endian 64-bit word, twice. */
  const keyed = (purpose: string, msg: Buffer): Buffer => {
    if (version === 1) return createHmac('sha256', sub(purpose)).update(msg).digest();
    const v = reference(sub(purpose).subarray(0, 16), msg);
    const out = Buffer.alloc(16);
    out.writeBigUInt64BE(v, 0);
    out.writeBigUInt64BE(v, 8);
    return out;
  };
  const normalized = normalizeTemplate(template);
  const words = normalized.split(' ').filter((w) => w.length > 0);
  const shingles = words.length <= 5 ? [words.join(' ')] : [...new Set(words.slice(0, words.length - 4).map((_, i) => words.slice(i, i + 5).join(' ')))];
  const sig = new Array<number>(128).fill(0xffffffff);
  const weights = new Array<number>(64).fill(0);
  for (const sh of shingles) {
    const d = keyed('shingle', Buffer.from(sh, 'utf8'));
    const x = d.readUInt32BE(0);
    const y = d.readUInt32BE(4);
    for (let i = 0; i < 128; i++) sig[i] = Math.min(sig[i] as number, fmix((x ^ (seeds[i] as number)) + Math.imul(y, i + 1)));
    for (let bit = 0; bit < 64; bit++) weights[bit] = (weights[bit] as number) + (((d[8 + (bit >> 3)] as number) >> (7 - (bit & 7))) & 1 ? 1 : -1);
  }
  const lsh_bands = Array.from({ length: 16 }, (_, b) => {
    const rows = Buffer.alloc(32);
    for (let r = 0; r < 8; r++) rows.writeUInt32BE(sig[b * 8 + r] as number, r * 4);
    return `b${String(b).padStart(2, '0')}:${keyed('band', Buffer.concat([Buffer.from(String(b)), rows])).toString('hex').slice(0, 8)}`;
  });
  let bits = '';
  for (const w of weights) bits += w > 0 ? '1' : '0';
  const simhash = BigInt(`0b${bits}`).toString(16).padStart(16, '0');
  return { value: createHmac('sha256', sub('exact')).update(normalized, 'utf8').digest('hex'), lsh_bands, simhash };
}

describe('fingerprint definitions (minhash128-w5-keyed and -keyed-v2, norm-v1)', () => {
  // Long texts: 4,100 distinct shingles (SimHash bit counts past 2^11), and a text whose shingles half repeat.
  // Words spelt in letters (digits would normalise to <num>).
  const word = (i: number) => `w${i.toString(26).replace(/[0-9]/g, (d) => String.fromCharCode(0x71 + Number(d)))}`;
  const long = Array.from({ length: 4104 }, (_, i) => word((i * 7919) % 100003)).join(' ');
  const halfRepeated = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 'same' : word(i % 40))).join(' ');
  const texts = [...unrelated, cotB, cotNear, 'short one', '', 'naïve café — 日本語のプロンプト 😀 with emoji and ünïcödé words to shingle', 'x '.repeat(300), long, halfRepeated, 'a b c d e', 'a b c d e f'];
  const k2 = { key: 'a different, much longer group secret '.repeat(4), keyId: 'other' };

  for (const version of [1, 2] as const) {
    it(`version ${version}: computes exactly the values of the plain definition, so peers on either implementation compare`, () => {
      for (const k of [key, k2]) {
        for (const t of texts) {
          const fp = fingerprintTemplate(t, k, version);
          expect({ t, value: fp.value, lsh_bands: fp.lsh_bands, simhash: fp.simhash }).toEqual({ t, ...referenceFingerprint(t, k, version) });
        }
      }
    });
  }

  it('keeps the versions apart: the same template and key give unrelated values, bands and SimHash', () => {
    const v1 = fingerprintTemplate(cotA, key, 1);
    const v2 = fingerprintTemplate(cotA, key, 2);
    expect(v2.value).not.toBe(v1.value);
    expect(v2.lsh_bands.filter((b) => v1.lsh_bands.includes(b))).toEqual([]);
    expect(() => similarity(v1, v2)).toThrow(DistillationInputError);
  });

  it('reads the key id and version back from a scheme, and nothing from schemes it does not compute', () => {
    expect(parseFingerprintScheme('minhash128-w5-keyed:fmf-2026q2/norm-v1')).toEqual({ keyId: 'fmf-2026q2', version: 1 });
    expect(parseFingerprintScheme('minhash128-w5-keyed-v2:fmf-2026q2/norm-v1')).toEqual({ keyId: 'fmf-2026q2', version: 2 });
    for (const s of ['minhash128-w5-keyed-v3:k/norm-v1', 'minhash64-w5-keyed:k/norm-v1', 'minhash128-w5-keyed:k/norm-v2', 'hmac-sha256/norm-v1', 'minhash128-w5-keyed:a:b/norm-v1']) {
      expect({ s, parsed: parseFingerprintScheme(s) }).toEqual({ s, parsed: undefined });
    }
  });
});

import { LSH_BANDS, similarity } from '../distillation/prompt-fingerprint.js';
import type { SimilarityEstimate } from '../distillation/prompt-fingerprint.js';
import type { RequestFingerprint } from './request-view.js';

/**
 * A peer's prompt fingerprints against the lab's own prompts. Fingerprints are comparable only under the same scheme
 * (same key, same normalisation); within a scheme, a request's fingerprint meets the peer fingerprints it shares an
 * LSH band or its exact value with, and each such pair gets the estimated similarity of {@link similarity}. With 16
 * bands of 8 rows, unrelated templates (Jaccard 0.3) share a band with probability below 0.1%, near copies (0.9)
 * share about 7 of 16.
 */

/** A shared `prompt-fingerprint` as the index keeps it. */
export interface PeerFingerprint {
  readonly id: string;
  readonly scheme: string;
  readonly value: string;
  readonly lsh_bands?: readonly string[];
  readonly simhash?: string;
}

/** A request's prompt near a peer fingerprint. */
export interface FingerprintHit {
  /** Position of the peer fingerprint in the list given to the index. */
  readonly index: number;
  readonly similarity: SimilarityEstimate;
}

/** Options of {@link FingerprintIndex}. */
export interface FingerprintIndexOptions {
  /**
   * Lowest estimated similarity reported (default 0.75: an exact value, or at least 2 of 16 bands, since one shared
   * band alone estimates 0.71).
   */
  readonly minSimilarity?: number;
}

const KEYED_SCHEME = /^minhash\d+-w\d+-keyed(?:-v\d+)?:([A-Za-z0-9._-]{1,64})\/[A-Za-z0-9._-]+$/;

/**
 * The key id a fingerprint scheme names (`minhash128-w5-keyed:<keyId>/norm-v1`, `minhash128-w5-keyed-v2:<keyId>/…`),
 * if it has that shape, whether or not this library computes that scheme.
 */
export function schemeKeyId(scheme: string): string | undefined {
  return KEYED_SCHEME.exec(scheme)?.[1];
}

/** Band and exact-value index over peer fingerprints. */
export class FingerprintIndex {
  readonly fingerprints: readonly PeerFingerprint[];
  /** Per scheme: exact value → fingerprints, band → fingerprints. */
  private readonly byScheme = new Map<string, { readonly exact: Map<string, number[]>; readonly bands: Map<string, number[]> }>();
  private readonly minSimilarity: number;

  constructor(fingerprints: readonly PeerFingerprint[], options: FingerprintIndexOptions = {}) {
    this.fingerprints = fingerprints;
    this.minSimilarity = options.minSimilarity ?? 0.75;
    const push = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key);
      if (list === undefined) map.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    fingerprints.forEach((fp, i) => {
      let maps = this.byScheme.get(fp.scheme);
      if (maps === undefined) this.byScheme.set(fp.scheme, (maps = { exact: new Map(), bands: new Map() }));
      push(maps.exact, fp.value, i);
      for (const b of (fp.lsh_bands ?? []).slice(0, LSH_BANDS * 4)) push(maps.bands, b, i);
    });
  }

  /** Key ids the fingerprints were made under (the lab must hold them to fingerprint its prompts comparably). */
  keyIds(): string[] {
    const ids = new Set<string>();
    for (const fp of this.fingerprints) {
      const k = schemeKeyId(fp.scheme);
      if (k !== undefined) ids.add(k);
    }
    return [...ids];
  }

  /** The distinct schemes of the fingerprints: the lab's prompts are fingerprinted under each to be compared. */
  schemes(): string[] {
    return [...new Set(this.fingerprints.map((fp) => fp.scheme))];
  }

  /** Peer fingerprints near the request's fingerprint, at or above the minimum similarity. */
  match(fp: RequestFingerprint): FingerprintHit[] {
    const maps = this.byScheme.get(fp.scheme);
    if (maps === undefined) return [];
    const exact = maps.exact.get(fp.value);
    let candidates: Set<number> | undefined;
    for (const b of fp.lsh_bands) {
      const list = maps.bands.get(b);
      if (list === undefined) continue;
      candidates ??= new Set();
      for (const i of list) candidates.add(i);
    }
    if (exact === undefined && candidates === undefined) return [];
    for (const i of exact ?? []) (candidates ??= new Set()).add(i);
    const hits: FingerprintHit[] = [];
    for (const i of candidates ?? []) {
      const peer = this.fingerprints[i] as PeerFingerprint;
      // The request's full signature is not used: the peer's is not shared, so only value, bands and SimHash compare.
      const est = similarity({ scheme: fp.scheme, value: fp.value, lsh_bands: fp.lsh_bands, simhash: fp.simhash }, peer);
      if (est.estimate >= this.minSimilarity) hits.push({ index: i, similarity: est });
    }
    return hits;
  }
}

import type { PseudonymKey } from '../distillation/pseudonym.js';
import type { TelemetryRecord } from '../telemetry/record.js';
import { TelemetryReader } from '../telemetry/telemetry-reader.js';
import type { TelemetryReaderOptions, TelemetrySource } from '../telemetry/telemetry-reader.js';
import { CampaignDetector } from '../detect/campaign-detector.js';
import { clusterMatches } from './clusters.js';
import type { MatchedCluster } from './clusters.js';
import { readIntel } from './intel.js';
import type { Intel, ReadIntelOptions } from './intel.js';
import { KeyRing } from './key-ring.js';
import { IntelMatcher } from './matcher.js';
import type { IntelMatcherOptions, MatchOutcome } from './matcher.js';
import { matchReport } from './report.js';
import type { MatchReport, ReportInput } from './report.js';
import { buildSightings } from './sightings.js';
import type { SightingOptions, SightingSet } from './sightings.js';

/** Options of {@link matchTelemetry}. */
export interface MatchTelemetryOptions extends Omit<IntelMatcherOptions, 'keys'>, SightingOptions, Pick<ReadIntelOptions, 'maxObjects' | 'maxPatternLength'> {
  /** The peer intelligence: a bundle, an array of objects, TAXII envelopes, or a list of those (parsed JSON). */
  readonly intel: unknown;
  /** The lab's sharing key and any group keys. */
  readonly keys: readonly PseudonymKey[];
  /** Telemetry: files/streams for the reader, or records already parsed. */
  readonly telemetry: readonly TelemetrySource[] | Iterable<TelemetryRecord> | AsyncIterable<TelemetryRecord>;
  readonly reader?: TelemetryReaderOptions;
  /**
   * Run the lab's own campaign detection alongside (keyed with the first key) and bring in the detected campaign
   * behind each matched account (default true). Costs throughput; off, only direct matches are reported.
   */
  readonly cluster?: boolean;
}

/** What {@link matchTelemetry} returns. */
export interface MatchTelemetryResult {
  readonly intel: Intel;
  readonly outcome: MatchOutcome;
  readonly sightings: SightingSet;
  readonly report: MatchReport;
  /** The lab's campaigns reached through matches (empty when clustering is off). */
  readonly clusters: readonly MatchedCluster[];
}

function isSourceList(t: MatchTelemetryOptions['telemetry']): t is readonly TelemetrySource[] {
  return Array.isArray(t) && t.length > 0 && typeof (t[0] as TelemetrySource).bytes === 'object' && 'name' in (t[0] as object);
}

/**
 * The whole loop in one call: reads the peer intelligence, streams the lab's telemetry past it, and builds the
 * sightings bundle to share and the lab-private report.
 *
 * @example
 * ```ts
 * const { sightings, report } = await matchTelemetry({
 *   intel: JSON.parse(await readFile('lab-a-package.json', 'utf8')),
 *   keys: [{ key: process.env.FMF_KEY!, keyId: 'fmf-2026q2' }],
 *   telemetry: [fileSource('requests.jsonl.gz')],
 *   identity: labB,
 * });
 * ```
 */
export async function matchTelemetry(options: MatchTelemetryOptions): Promise<MatchTelemetryResult> {
  const { intel: input, keys: keyList, telemetry, reader: readerOptions, cluster, ...rest } = options;
  const keys = new KeyRing(keyList);
  const intel = readIntel(input, {
    keys,
    ...(rest.provider === undefined ? {} : { provider: rest.provider }),
    ...(rest.maxObjects === undefined ? {} : { maxObjects: rest.maxObjects }),
    ...(rest.maxPatternLength === undefined ? {} : { maxPatternLength: rest.maxPatternLength }),
  });
  const matcher = new IntelMatcher(intel, { ...rest, keys });
  const detector = cluster === false || keyList[0] === undefined ? undefined : new CampaignDetector({ key: keyList[0] });
  const add = (r: TelemetryRecord) => {
    matcher.add(r);
    detector?.add(r);
  };
  let input_: ReportInput | undefined;
  if (isSourceList(telemetry)) {
    const reader = new TelemetryReader(readerOptions);
    for (const source of telemetry) for await (const batch of reader.batches(source)) for (const r of batch) add(r);
    input_ = {
      lines: reader.stats.lines,
      records: reader.stats.records,
      bad_lines: reader.stats.badCount,
      first_bad_lines: reader.stats.bad,
      unreadable: reader.failures.map((f) => ({ input: f.input, message: f.message })),
    };
  } else {
    for await (const r of telemetry as AsyncIterable<TelemetryRecord>) add(r);
  }
  const outcome = matcher.finish();
  const clusters = detector === undefined ? [] : clusterMatches(outcome.tallies, detector.finish().campaigns);
  const sightings = buildSightings(outcome, rest);
  const report = matchReport(outcome, sightings, {
    lab: rest.identity.id,
    setAside: intel.setAside,
    ...(input_ === undefined ? {} : { input: input_ }),
    ...(rest.created === undefined ? {} : { generated: rest.created }),
    clusters,
  });
  return { intel, outcome, sightings, report, clusters };
}

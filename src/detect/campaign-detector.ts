import type { PseudonymKey } from '../distillation/pseudonym.js';
import type { TelemetryRecord } from '../telemetry/record.js';
import { AccountTable } from './accounts.js';
import { buildCampaigns } from './campaigns.js';
import type { CampaignOptions, DetectedCampaign } from './campaigns.js';
import { CotElicitationDetector } from './cot-elicitation.js';
import { FanOutDetector } from './fan-out.js';
import { sampled } from './prompt-sample.js';
import { ReleasePivotDetector } from './release-pivot.js';
import type { Finding, SignalName } from './signals.js';
import { SignupBurstDetector } from './signup-burst.js';
import { TemplateReuseDetector } from './template-reuse.js';
import { TimingDetector } from './timing.js';
import { VolumeDetector } from './volume.js';

/** Options of {@link CampaignDetector}. */
export interface DetectOptions extends CampaignOptions {
  /** The trust-group key: template fingerprints are keyed with it (and the bundle's pseudonyms). */
  readonly key: PseudonymKey;
}

/** Totals of a detection run. */
export interface DetectionStats {
  readonly requests: number;
  readonly accounts: number;
  readonly sampled_prompts: number;
  /** Findings per signal, before campaigns are formed. */
  readonly findings: Readonly<Partial<Record<SignalName, number>>>;
  /** Models first seen after the first day, with their first-seen time. */
  readonly new_models: Readonly<Record<string, string>>;
  readonly campaigns: number;
  readonly campaign_accounts: number;
}

/** What the lab knows of one campaign account (raw: the bundle builder pseudonymises it). */
export interface CampaignAccount {
  readonly id: string;
  readonly org?: string;
  readonly channel?: string;
  readonly payment?: string;
  readonly first: number;
  readonly last: number;
  readonly requests: number;
}

/** What a detection run returns. */
export interface DetectionResult {
  readonly campaigns: readonly DetectedCampaign[];
  readonly stats: DetectionStats;
  /** The accounts of the campaigns, by id. */
  readonly accounts: ReadonlyMap<string, CampaignAccount>;
}

/**
 * The detection pipeline, streaming: feed records with {@link add} (in roughly time order, as logs come), then call
 * {@link finish}. Memory grows with accounts, addresses, distinct sampled scaffolds and clusters, not with requests.
 *
 * @example
 * ```ts
 * const detector = new CampaignDetector({ key: { key: secret, keyId: 'fmf-2026q2' } });
 * for await (const batch of reader.batches(fileSource('requests.jsonl.gz'))) detector.addAll(batch);
 * const { campaigns } = detector.finish();
 * ```
 */
export class CampaignDetector {
  private readonly table = new AccountTable();
  private readonly fanOut: FanOutDetector;
  private readonly timing: TimingDetector;
  private readonly templates: TemplateReuseDetector;
  private readonly cot = new CotElicitationDetector();
  private readonly pivot = new ReleasePivotDetector();
  private readonly volume = new VolumeDetector();
  private readonly bursts = new SignupBurstDetector();
  private sampledPrompts = 0;
  private requests = 0;
  private finished = false;

  constructor(private readonly options: DetectOptions) {
    const minCustomers = options.minCustomers ?? 3;
    this.fanOut = new FanOutDetector({ minCustomers });
    this.timing = new TimingDetector({ minCustomers });
    this.templates = new TemplateReuseDetector(options.key, { minCustomers });
  }

  /** Adds one request. */
  add(r: TelemetryRecord): void {
    this.requests++;
    const a = this.table.add(r);
    this.fanOut.add(r, a);
    this.timing.add(r, a);
    this.pivot.add(r, a);
    if (r.prompt !== undefined && sampled(a.requests)) {
      this.sampledPrompts++;
      this.templates.sample(a, r.prompt);
      this.cot.sample(a, r.prompt);
    }
  }

  /** Adds a batch of requests. */
  addAll(records: readonly TelemetryRecord[]): void {
    for (const r of records) this.add(r);
  }

  /** Runs every detector over what was added and forms the campaigns. Call once. */
  finish(): DetectionResult {
    if (this.finished) throw new Error('CampaignDetector.finish() was already called');
    this.finished = true;
    const findings: Finding[] = [
      ...this.volume.finish(this.table),
      ...this.fanOut.finish(this.table),
      ...this.timing.finish(this.table),
      ...this.templates.finish(this.table),
      ...this.cot.finish(this.table),
      ...this.bursts.finish(this.table),
    ];
    const campaigns = buildCampaigns(findings, { table: this.table, fanOut: this.fanOut, pivot: this.pivot }, this.options);
    const accounts = new Map<string, CampaignAccount>();
    for (const a of this.table.list) {
      accounts.set(a.id, {
        id: a.id,
        first: a.first,
        last: a.last,
        requests: a.requests,
        ...(a.org === undefined ? {} : { org: a.org }),
        ...(a.channel === undefined ? {} : { channel: a.channel }),
        ...(a.lastPayment === '' ? {} : { payment: a.lastPayment }),
      });
    }
    const members = new Set(campaigns.flatMap((c) => c.accounts));
    for (const id of accounts.keys()) if (!members.has(id)) accounts.delete(id);
    const counts: Partial<Record<SignalName, number>> = {};
    for (const f of findings) counts[f.signal] = (counts[f.signal] ?? 0) + 1;
    return {
      campaigns,
      accounts,
      stats: {
        requests: this.requests,
        accounts: this.table.size,
        sampled_prompts: this.sampledPrompts,
        findings: counts,
        new_models: Object.fromEntries([...this.pivot.newModels].map(([m, t]) => [m, new Date(t).toISOString()])),
        campaigns: campaigns.length,
        campaign_accounts: campaigns.reduce((n, c) => n + c.accounts.length, 0),
      },
    };
  }
}

/** Runs detection over a stream of records or batches (e.g. `reader.batches(source)`). */
export async function detectCampaigns(
  input: AsyncIterable<TelemetryRecord | readonly TelemetryRecord[]> | Iterable<TelemetryRecord | readonly TelemetryRecord[]>,
  options: DetectOptions,
): Promise<DetectionResult> {
  const detector = new CampaignDetector(options);
  for await (const item of input) {
    if (Array.isArray(item)) detector.addAll(item as readonly TelemetryRecord[]);
    else detector.add(item as TelemetryRecord);
  }
  return detector.finish();
}

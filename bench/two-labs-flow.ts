// The two-lab loop, shared by bench/two-labs.ts and test/match/two-labs.test.ts: lab A detects and shares through a
// TAXII server, lab B matches A's package against its own traffic and pushes sightings back, the hub's corroboration
// shows B behind A's objects. Scores B against the simulator's ground truth. Lab A's package is the one `detect`
// builds (campaignBundle), so the benchmark matches what users share.
import { campaignBundle } from '../src/detect/campaign-bundle.js';
import { CampaignDetector } from '../src/detect/campaign-detector.js';
import type { DetectedCampaign } from '../src/detect/campaigns.js';
import { organizationIdentity } from '../src/distillation/index.js';
import type { PseudonymKey } from '../src/distillation/index.js';
import { corroboration } from '../src/match/corroboration.js';
import type { CorroborationReport } from '../src/match/corroboration.js';
import { matchTelemetry } from '../src/match/match-telemetry.js';
import type { MatchTelemetryResult } from '../src/match/match-telemetry.js';
import { simulateTwoLabs } from '../src/simulate/two-labs.js';
import type { GroundTruth } from '../src/simulate/simulate.js';
import { TaxiiClient } from '../src/taxii/client/index.js';
import type { TaxiiAuth } from '../src/taxii/client/index.js';
import type { Identity } from '../src/stix/types/index.js';
import type { TelemetryRecord } from '../src/telemetry/record.js';

/** The sharing group's key: both labs hold it (a public test value). */
export const GROUP_KEY: PseudonymKey = { key: 'two-lab benchmark group key - public, not a secret', keyId: 'bench-group' };

const LAB_A_PROVIDER = 'api.lab-a.example.com';
const LAB_A = organizationIdentity({ name: 'Lab A' }, { id: 'identity--a1a1a1a1-0000-4000-8000-00000000000a', created: '2026-01-01T00:00:00.000Z' });
const LAB_B = organizationIdentity({ name: 'Lab B' }, { id: 'identity--b2b2b2b2-0000-4000-8000-00000000000b', created: '2026-01-01T00:00:00.000Z' });

/** Scores of B's match against B's ground truth. */
export interface LabScore {
  readonly campaignAccounts: number;
  readonly found: number;
  readonly foundDirect: number;
  readonly benignAccounts: number;
  readonly benignFlagged: number;
  readonly perArchetype: Record<string, { accounts: number; found: number; direct: number }>;
}

/** How B's report compares with the truth. */
export function score(truth: GroundTruth, report: Pick<MatchTelemetryResult['report'], 'accounts' | 'matches'>): LabScore {
  const flagged = new Set(report.accounts);
  const direct = new Set(report.matches.flatMap((m) => m.accounts.map((a) => a.account_id)));
  const positives = new Set(truth.campaigns.flatMap((c) => c.accounts));
  const perArchetype: LabScore['perArchetype'] = {};
  for (const c of truth.campaigns) {
    perArchetype[c.archetype] = { accounts: c.accounts.length, found: c.accounts.filter((a) => flagged.has(a)).length, direct: c.accounts.filter((a) => direct.has(a)).length };
  }
  let benignFlagged = 0;
  for (const a of flagged) if (!positives.has(a)) benignFlagged++;
  return {
    campaignAccounts: positives.size,
    found: [...positives].filter((a) => flagged.has(a)).length,
    foundDirect: [...positives].filter((a) => direct.has(a)).length,
    benignAccounts: truth.accounts - positives.size,
    benignFlagged,
    perArchetype,
  };
}

/** Everything one run measured. */
export interface TwoLabRun {
  readonly labA: { readonly requests: number; readonly campaigns: number; readonly sharedObjects: number; readonly detectSeconds: number };
  readonly labB: { readonly requests: number; readonly matchSeconds: number; readonly sightings: number; readonly score: LabScore };
  readonly corroboration: CorroborationReport;
  /** A's indicators that B corroborated (independent lab B), of A's indicators. */
  readonly corroborated: { readonly indicators: number; readonly byB: number; readonly campaignsByB: number; readonly campaigns: number };
  readonly recordsB: readonly TelemetryRecord[];
  readonly sharedObjects: ReadonlyArray<{ type: string; id: string }>;
  readonly labBIdentity: Identity;
}

/** Both labs simulated, lab A's detection run and its package built; lab B's requests in memory. */
export interface TwoLabSetup {
  readonly sims: ReturnType<typeof simulateTwoLabs>;
  readonly campaigns: readonly DetectedCampaign[];
  readonly shared: ReadonlyArray<{ type: string; id: string }>;
  readonly recordsB: readonly TelemetryRecord[];
  readonly detectSeconds: number;
}

/** Simulates both labs and runs lab A's side up to the package it shares. */
export function prepareTwoLabs(seed: string, requests: number): TwoLabSetup {
  const sims = simulateTwoLabs({ seed, requests });
  const t = performance.now();
  const detector = new CampaignDetector({ key: GROUP_KEY });
  for (const batch of sims.a.batches()) detector.addAll(batch);
  const detected = detector.finish();
  const detectSeconds = (performance.now() - t) / 1000;
  // Lab A shares what `distill-intel detect` shares: the library's campaign bundle of the detection result.
  const bundle = campaignBundle(detected, { producer: LAB_A, provider: LAB_A_PROVIDER, key: GROUP_KEY, created: sims.a.truth.start, idSeed: 'two-labs/lab-a' });
  const shared = (bundle.objects ?? []) as unknown as Array<{ type: string; id: string }>;
  const recordsB: TelemetryRecord[] = [];
  for (const batch of sims.b.batches()) for (const r of batch) recordsB.push(r);
  return { sims, campaigns: detected.campaigns, shared, recordsB, detectSeconds };
}

/** Lab B's identity in the two-lab runs. */
export const LAB_B_IDENTITY = LAB_B;

/** Runs the loop against a TAXII server's collection. */
export async function runTwoLabs(options: { seed: string; requests: number; apiRoot: string; auth: TaxiiAuth; collection: string }): Promise<TwoLabRun> {
  const { sims, campaigns, shared, recordsB, detectSeconds } = prepareTwoLabs(options.seed, options.requests);
  const client = new TaxiiClient({ url: options.apiRoot, auth: options.auth });
  const collection = client.collection(options.collection);
  const pushedA = await collection.addObjects(shared as never);
  if (pushedA.failure_count > 0) throw new Error(`lab A's package was refused: ${JSON.stringify(pushedA.failures.slice(0, 3))}`);

  const intel = await collection.objects().toArray();
  const t = performance.now();
  const result = await matchTelemetry({ intel, keys: [GROUP_KEY], telemetry: recordsB, identity: LAB_B, created: sims.b.truth.end });
  const matchSeconds = (performance.now() - t) / 1000;
  // A fresh client after the long match: the server may have closed the idle pooled connection meanwhile.
  const hubCollection = new TaxiiClient({ url: options.apiRoot, auth: options.auth }).collection(options.collection);
  const pushedB = await hubCollection.addObjects((result.sightings.bundle.objects ?? []) as never);
  if (pushedB.failure_count > 0) throw new Error(`lab B's sightings were refused: ${JSON.stringify(pushedB.failures.slice(0, 3))}`);

  const hub = corroboration(await hubCollection.objects().toArray());
  const aIndicators = shared.filter((o) => o.type === 'indicator').map((o) => o.id);
  const aCampaigns = shared.filter((o) => o.type === 'campaign').map((o) => o.id);
  const byB = (id: string) => hub.rows.find((r) => r.object === id)?.independentLabs.includes(LAB_B.id) === true;
  return {
    labA: { requests: sims.a.truth.requests, campaigns: campaigns.length, sharedObjects: shared.length, detectSeconds },
    labB: { requests: recordsB.length, matchSeconds, sightings: result.sightings.sightings.length, score: score(sims.b.truth, result.report) },
    corroboration: hub,
    corroborated: { indicators: aIndicators.length, byB: aIndicators.filter(byB).length, campaigns: aCampaigns.length, campaignsByB: aCampaigns.filter(byB).length },
    recordsB,
    sharedObjects: shared,
    labBIdentity: LAB_B,
  };
}

/**
 * What the detectors report. A *linking* finding says "these accounts share something" (an address, a payment
 * instrument, a template, a moment); a *behaviour* finding says "this account does something" (asks for reasoning,
 * belongs to a sign-up burst). Campaigns are built from both: accounts joined by links, kept only when each carries
 * at least two kinds of signal (see campaigns.ts).
 */

/** Every signal name a detector can report. */
export type SignalName =
  | 'volume'
  | 'shared-ip'
  | 'shared-payment'
  | 'shared-asn'
  | 'shared-user-agent'
  | 'synchronised-timing'
  | 'template-reuse'
  | 'cot-elicitation'
  | 'release-pivot'
  | 'signup-burst';

/** Signals that join accounts (each finding has a key shared by its accounts). */
export const LINKING_SIGNALS: ReadonlySet<SignalName> = new Set(['shared-ip', 'shared-payment', 'synchronised-timing', 'template-reuse', 'signup-burst']);

/** Signals that count towards an account's two kinds (volume, ASN and user agent are context only: heavy users, big ISPs and popular SDKs are normal). */
export const QUALIFYING_SIGNALS: ReadonlySet<SignalName> = new Set([...LINKING_SIGNALS, 'cot-elicitation']);

/** Evidence is plain JSON data, explaining the finding in the lab's own terms (raw values: the report stays in the lab). */
export type Evidence = Readonly<Record<string, unknown>>;

/** One detector finding. */
export interface Finding {
  readonly signal: SignalName;
  /** Account indices (see AccountTable) the finding covers. */
  readonly accounts: readonly number[];
  /** For linking findings: what the accounts share, e.g. `ip:198.51.100.7` (raw; never shared as such). */
  readonly key?: string;
  readonly evidence: Evidence;
}

/** A detector: fed every record (through the account table), asked for findings once the input ends. */
export interface Detector<Context = unknown> {
  readonly name: string;
  finish(context: Context): Finding[];
}

import { entityCount } from './accounts.js';
import type { AccountTable } from './accounts.js';
import type { FanOutDetector } from './fan-out.js';
import type { ReleasePivotDetector } from './release-pivot.js';
import { LINKING_SIGNALS, QUALIFYING_SIGNALS } from './signals.js';
import type { Evidence, Finding, SignalName } from './signals.js';
import { UnionFind } from './union-find.js';

/**
 * From findings to campaigns. An account is a *candidate* when it carries at least two kinds of qualifying signal,
 * at least one of them linking (shared address or payment, shared template, synchronised timing, sign-up burst;
 * chain-of-thought elicitation qualifies but does not link). Candidates are joined through the linking findings
 * they share, and a group is a campaign when it spans at least `minCustomers` customers and its score reaches
 * `minScore`.
 *
 * Why two kinds: each signal alone has an innocent explanation (a carrier NAT, a family card, a popular template, a
 * cron job, a class signing up together, a student asking for reasoning); what the reporting describes is accounts
 * that are suspicious in two independent ways at once. Requiring it per account also stops one weak link from
 * pulling unrelated customers into a campaign.
 */

/** Weight of each signal in the score (noisy-OR of weight × share of the campaign's accounts carrying it). */
export const SIGNAL_WEIGHTS: Readonly<Record<SignalName, number>> = {
  'shared-payment': 0.6,
  'template-reuse': 0.6,
  'synchronised-timing': 0.6,
  'shared-ip': 0.5,
  'cot-elicitation': 0.5,
  'signup-burst': 0.5,
  'release-pivot': 0.5,
  volume: 0.3,
  'shared-asn': 0.2,
  'shared-user-agent': 0.1,
};

/** One signal of a campaign with its evidence. */
export interface CampaignSignal {
  readonly name: SignalName;
  readonly evidence: Evidence;
}

/** A campaign as detection reports it (raw identifiers: for the lab's own report, never shared as such). */
export interface DetectedCampaign {
  readonly id: string;
  /** 0-1. */
  readonly score: number;
  readonly accounts: readonly string[];
  /** Distinct customers (orgs, or accounts without one). */
  readonly customers: number;
  readonly signals: readonly CampaignSignal[];
  readonly first_seen: string;
  readonly last_seen: string;
  readonly requests: number;
  readonly tokens: { readonly input: number; readonly output: number; readonly reasoning: number };
  /** Requests per model. */
  readonly models: Readonly<Record<string, number>>;
  /** Addresses shared by the campaign's accounts of several customers and by no one else: its infrastructure. */
  readonly shared_ips: readonly string[];
  /** ASNs of those addresses' accounts, with the number of campaign accounts on each. */
  readonly asns: Readonly<Record<string, number>>;
  /** Payment instruments shared across its customers and by no one else (raw; pseudonymised before sharing). */
  readonly shared_payments: readonly string[];
  /** Keyed fingerprints of shared templates. */
  readonly templates: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** Sign-up channels of the accounts, with counts. */
  readonly channels: Readonly<Record<string, number>>;
}

/** Options of {@link buildCampaigns}. */
export interface CampaignOptions {
  readonly minCustomers?: number;
  readonly minScore?: number;
}

/** What {@link buildCampaigns} needs besides the findings. */
export interface CampaignContext {
  readonly table: AccountTable;
  readonly fanOut: FanOutDetector;
  readonly pivot: ReleasePivotDetector;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Campaigns from the detectors' findings, highest score first. */
export function buildCampaigns(findings: readonly Finding[], ctx: CampaignContext, options: CampaignOptions = {}): DetectedCampaign[] {
  const minCustomers = options.minCustomers ?? 3;
  const minScore = options.minScore ?? 0.6;
  const { table } = ctx;
  const asnOf = ctx.fanOut.asnOf;
  const agentOf = ctx.fanOut.agentOf;
  const kinds = new Map<number, Set<SignalName>>();
  for (const f of findings) {
    if (!QUALIFYING_SIGNALS.has(f.signal)) continue;
    for (const i of f.accounts) {
      let set = kinds.get(i);
      if (set === undefined) {
        set = new Set();
        kinds.set(i, set);
      }
      set.add(f.signal);
    }
  }
  const candidate = (i: number): boolean => {
    const set = kinds.get(i);
    if (set === undefined || set.size < 2) return false;
    for (const k of set) if (LINKING_SIGNALS.has(k)) return true;
    return false;
  };
  const uf = new UnionFind();
  const candidates = new Set<number>();
  for (const f of findings) {
    if (!LINKING_SIGNALS.has(f.signal)) continue;
    const members = f.accounts.filter(candidate);
    if (members.length < 2 || entityCount(table, members) < minCustomers) continue;
    for (const m of members) {
      candidates.add(m);
      uf.union(members[0] as number, m);
    }
  }

  const byAccount = new Map<number, Finding[]>();
  for (const f of findings) {
    for (const i of f.accounts) {
      const list = byAccount.get(i);
      if (list === undefined) byAccount.set(i, [f]);
      else list.push(f);
    }
  }

  const out: Array<Omit<DetectedCampaign, 'id'>> = [];
  for (const group of uf.groups(candidates)) {
    const customers = entityCount(table, group);
    if (customers < minCustomers) continue;
    const members = new Set(group);
    const perSignal = new Map<SignalName, { accounts: Set<number>; findings: Set<Finding> }>();
    for (const i of group) {
      for (const f of byAccount.get(i) ?? []) {
        let s = perSignal.get(f.signal);
        if (s === undefined) {
          s = { accounts: new Set(), findings: new Set() };
          perSignal.set(f.signal, s);
        }
        s.accounts.add(i);
        s.findings.add(f);
      }
    }
    const signals: CampaignSignal[] = [];
    let miss = 1;
    for (const [name, s] of perSignal) {
      const share = s.accounts.size / group.length;
      miss *= 1 - SIGNAL_WEIGHTS[name] * share;
      const details = [...s.findings].slice(0, 10).map((f) => f.evidence);
      signals.push({ name, evidence: { accounts: s.accounts.size, share_of_accounts: round(share), findings: s.findings.size, details } });
    }
    const pivot = ctx.pivot.groupPivot(group);
    if (pivot !== undefined) {
      miss *= 1 - SIGNAL_WEIGHTS['release-pivot'];
      signals.push({ name: 'release-pivot', evidence: pivot });
    }
    // Context: the dominant ASN and user agent, and how common each is outside the campaign.
    const context = (name: 'shared-asn' | 'shared-user-agent', of: ReadonlyMap<number, string>, population: Map<string, number>) => {
      const counts = new Map<string, number>();
      for (const i of group) {
        const v = of.get(i);
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const top = [...counts].sort((a, b) => b[1] - a[1])[0];
      if (top === undefined) return;
      const share = top[1] / group.length;
      const outside = (population.get(top[0]) ?? 0) - top[1];
      // Only telling when most of the campaign is on it and few others are.
      if (share < 0.5 || outside > top[1]) return;
      miss *= 1 - SIGNAL_WEIGHTS[name] * share;
      signals.push({ name, evidence: { value: top[0], accounts: top[1], share_of_accounts: round(share), other_accounts: outside } });
    };
    context('shared-asn', asnOf, ctx.fanOut.asnAccounts);
    context('shared-user-agent', agentOf, ctx.fanOut.agentAccounts);
    const score = round(1 - miss, 3);
    if (score < minScore) continue;

    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let requests = 0;
    const tokens = { input: 0, output: 0, reasoning: 0 };
    const models: Record<string, number> = {};
    const channels: Record<string, number> = {};
    const asns: Record<string, number> = {};
    for (const i of group) {
      const a = table.get(i);
      first = Math.min(first, a.first);
      last = Math.max(last, a.last);
      requests += a.requests;
      tokens.input += a.inputTokens;
      tokens.output += a.outputTokens;
      tokens.reasoning += a.reasoningTokens;
      for (const [m, n] of a.models) models[m] = (models[m] ?? 0) + n;
      if (a.channel !== undefined) channels[a.channel] = (channels[a.channel] ?? 0) + 1;
    }
    const sharedIps: string[] = [];
    const sharedPayments: string[] = [];
    const templates: Array<Readonly<Record<string, unknown>>> = [];
    for (const s of perSignal.values()) {
      for (const f of s.findings) {
        const inside = f.accounts.filter((i) => members.has(i));
        // Only what the campaign alone used is its infrastructure: an address or card also used by any customer
        // outside it may be that customer's, and is not listed (so never shared).
        const exclusive = inside.length === f.accounts.length && entityCount(table, inside) >= minCustomers;
        if (f.signal === 'shared-ip' && exclusive) {
          sharedIps.push(f.evidence['ip'] as string);
          for (const i of inside) {
            const asn = asnOf.get(i);
            if (asn !== undefined) asns[asn] = (asns[asn] ?? 0) + 1;
          }
        }
        if (f.signal === 'shared-payment' && exclusive) sharedPayments.push(f.evidence['payment'] as string);
        if (f.signal === 'template-reuse') templates.push(f.evidence['fingerprint'] as Record<string, unknown>);
      }
    }
    out.push({
      score,
      accounts: group.map((i) => table.get(i).id).sort(),
      customers,
      signals: signals.sort((a, b) => SIGNAL_WEIGHTS[b.name] - SIGNAL_WEIGHTS[a.name] || a.name.localeCompare(b.name)),
      first_seen: new Date(first).toISOString(),
      last_seen: new Date(last).toISOString(),
      requests,
      tokens,
      models,
      shared_ips: sharedIps.sort(),
      asns,
      shared_payments: sharedPayments.sort(),
      templates,
      channels,
    });
  }
  out.sort((a, b) => b.score - a.score || b.accounts.length - a.accounts.length || (a.accounts[0] ?? '').localeCompare(b.accounts[0] ?? ''));
  return out.map((c, i) => ({ id: `campaign-${i + 1}`, ...c }));
}

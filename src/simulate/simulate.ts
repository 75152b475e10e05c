import type { TelemetryRecord } from '../telemetry/record.js';
import { benignBehaviour, poissonActor, request } from './actors.js';
import type { Actor, ActorBase, Archetype, Behaviour, BenignKind } from './actors.js';
import { benignPrompt, fill, vocabulary } from './prompts.js';
import { Random } from './random.js';
import { attackerWorld } from './world.js';
import type { AttackerWorld } from './world.js';

/** Options of {@link simulate}. */
export interface SimulationOptions {
  /** Seed of this lab's population and account ids. */
  readonly seed: string;
  /** Target request count (the output has about this many, Poisson noise aside); 10,000 to 20,000,000. */
  readonly requests: number;
  /** Accounts in total (default requests / 400, at least 1,000). */
  readonly accounts?: number;
  /** Days of telemetry (default 14). */
  readonly days?: number;
  /** First hour, RFC 3339 (default 2026-03-02T00:00:00Z). */
  readonly start?: string;
  /** The adversary (default `attackerWorld(seed)`); share one world between two labs to plant the same campaigns. */
  readonly world?: AttackerWorld;
  /** Name of the lab, used in account ids (default `lab`). */
  readonly lab?: string;
  /** Days from the start until the new model is released (default half the period). */
  readonly releaseDay?: number;
}

/** One planted campaign as the ground truth records it. */
export interface TruthCampaign {
  readonly id: string;
  readonly archetype: Archetype;
  readonly accounts: readonly string[];
  /** Addresses of the campaign's own infrastructure (proxies, hosting); these may be shared, customers' may not. */
  readonly infrastructure_ips: readonly string[];
  readonly asns: readonly string[];
  readonly payment_fingerprints: readonly string[];
  readonly templates: readonly string[];
}

/** The ground truth of a simulation. */
export interface GroundTruth {
  readonly seed: string;
  readonly world_seed: string;
  readonly lab: string;
  readonly start: string;
  readonly end: string;
  readonly release: { readonly model: string; readonly at: string };
  readonly accounts: number;
  readonly campaigns: readonly TruthCampaign[];
  readonly benign: {
    readonly accounts: number;
    /** Benign accounts sending at least ten times the median benign volume by design. */
    readonly heavy: readonly string[];
    readonly hard_negatives: ReadonlyArray<{ readonly kind: BenignKind; readonly org_id: string; readonly accounts: readonly string[] }>;
  };
  /** Requests written. */
  requests: number;
}

/** A running simulation: hourly batches of records (time-ordered), and the ground truth once they are consumed. */
export interface Simulation {
  readonly truth: GroundTruth;
  /** Hour by hour, sorted by time; `truth.requests` is final after the last batch. */
  batches(): Generator<TelemetryRecord[]>;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const POPULAR_UA = 'atlas-sdk-python/2.3.1';

function randomIp(r: Random): string {
  // Customer addresses: anywhere outside the documentation ranges the adversaries use.
  return `${11 + r.int(180)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
}

/**
 * Simulates model-API telemetry of one lab over `days`: a benign population (lognormal volumes, heavy users, people
 * on carrier-grade NAT, application accounts reusing their own template, a popular SDK user agent shared by most
 * accounts), hard negatives (an enterprise batch job on one template, a research group of many accounts in one org
 * behind one address) and the five archetypes of the public reporting. Seeded: the same options give the same bytes.
 */
export function simulate(options: SimulationOptions): Simulation {
  const lab = options.lab ?? 'lab';
  const world = options.world ?? attackerWorld(options.seed);
  const root = new Random(`lab/${lab}/${options.seed}`);
  const setup = root.fork('setup');
  const traffic = root.fork('traffic');
  const days = options.days ?? 14;
  const start = Date.parse(options.start ?? '2026-03-02T00:00:00Z');
  const end = start + days * DAY;
  const releaseAt = start + Math.round((options.releaseDay ?? days / 2) * DAY) + 15 * HOUR;
  const newModel = 'atlas-4';
  const total = Math.max(1000, options.accounts ?? Math.round(options.requests / 400));
  const vocab = vocabulary(setup.fork('vocab'));
  const hours = days * 24;
  const ids = new Set<string>();
  const accountId = (): string => {
    for (;;) {
      const id = `acct_${setup.hex(12)}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const asnOfIp = new Map<string, string>();
  const ispAsns = Array.from({ length: 300 }, () => String(1000 + setup.int(60000)));
  const asn = (ip: string): string => {
    let a = asnOfIp.get(ip);
    if (a === undefined) {
      a = setup.pick(ispAsns);
      asnOfIp.set(ip, a);
    }
    return a;
  };
  const cgnat = Array.from({ length: 20 }, () => randomIp(setup));
  const cgnatAsn = String(1000 + setup.int(60000));
  for (const ip of cgnat) asnOfIp.set(ip, cgnatAsn);
  const residential = Array.from({ length: 5000 }, () => randomIp(setup));
  const uas = Array.from({ length: 40 }, (_, i) => `client-${i}/${1 + setup.int(9)}.${setup.int(20)}`);

  const actors: Actor[] = [];
  const campaigns: TruthCampaign[] = [];
  const size = (share: number, min: number): number => Math.max(min, Math.round(total * share));
  const base = (label: Archetype | BenignKind, extra: Partial<ActorBase> = {}): ActorBase => ({
    account_id: accountId(),
    payment_fingerprint: `pm_${setup.hex(24)}`,
    signup_channel: setup.pick(['self-serve', 'self-serve', 'self-serve', 'startup']),
    account_created: start - (1 + setup.int(400)) * DAY + setup.int(DAY),
    label,
    ...extra,
  });
  const rotating = (pool: readonly string[]) => (r: Random) => r.pick(pool);
  // Campaigns other than the pivot move to the new model days later, like the population.
  const fixedModel = (m: { t: number; releaseAt: number; newModel: string }, r: Random) => (m.t >= m.releaseAt + 3 * DAY && r.chance(0.3) ? m.newModel : 'atlas-3');

  // ---- requests per archetype, as shares of the total ----
  const shares = { hydra: 0.06, cot: 0.05, pivot: 0.03, education: 0.02, enterprise: 0.04, research: 0.02 };
  const perHour = (share: number, accounts: number, activeHours = hours) => (options.requests * share) / accounts / activeHours;

  // Hydra: reseller accounts behind a dozen proxies; extraction in synchronised bursts, customer traffic relayed the rest of the time.
  {
    const n = size(0.03, 30);
    const id = 'hydra-proxy';
    const members: string[] = [];
    for (let i = 0; i < n; i++) {
      const b = base('hydra-proxy', { campaign: id, account_created: start - setup.int(20) * DAY - setup.int(DAY) });
      const proxies = [setup.pick(world.hydra.proxies), setup.pick(world.hydra.proxies), setup.pick(world.hydra.proxies)];
      const relay: Behaviour = {
        ip: rotating(proxies),
        asn: () => world.hydra.asn,
        userAgent: (r) => (r.chance(0.5) ? POPULAR_UA : r.pick(uas)),
        model: fixedModel,
        prompt: (r) => benignPrompt(r, vocab, 0.05),
        outputMean: 350,
      };
      const extract: Behaviour = { ...relay, userAgent: () => POPULAR_UA, prompt: (r) => fill(r.pick(world.hydra.templates), r, vocab), outputMean: 900 };
      const relayed = poissonActor(b, relay, perHour(shares.hydra * 0.5, n), { tz: 0 });
      const burstRate = (options.requests * shares.hydra * 0.5) / n / (days * world.hydra.burstMinutes.length * 20);
      actors.push({
        ...relayed,
        emit(hourStart, moment, r, out) {
          relayed.emit.call(this, hourStart, moment, r, out);
          const minuteOfDay = Math.floor((hourStart % DAY) / 60_000);
          for (const m of world.hydra.burstMinutes) {
            if (m < minuteOfDay || m >= minuteOfDay + 60) continue;
            const k = r.poisson(burstRate * Math.min(20, minuteOfDay + 60 - m));
            for (let j = 0; j < k; j++) out.push(request(this, extract, { ...moment, t: hourStart + (m - minuteOfDay) * 60_000 + r.float() * 20 * 60_000 }, r));
          }
        },
      });
      members.push(b.account_id);
    }
    campaigns.push({ id, archetype: 'hydra-proxy', accounts: members, infrastructure_ips: world.hydra.proxies, asns: [world.hydra.asn], payment_fingerprints: [], templates: world.hydra.templates });
  }

  // Chain-of-thought harvesting: hundreds of accounts on rotating residential proxies, nearly every prompt a reasoning template.
  {
    const n = size(0.03, 40);
    const id = 'cot-harvest';
    const members: string[] = [];
    const behaviour: Behaviour = {
      ip: rotating(residential),
      asn,
      userAgent: () => world.cot.userAgent,
      model: fixedModel,
      prompt: (r) => (r.chance(0.92) ? fill(r.pick(world.cot.templates), r, vocab) : benignPrompt(r, vocab, 0.1)),
      outputMean: 1400,
      reasoningShare: 0.6,
    };
    for (let i = 0; i < n; i++) {
      const b = base('cot-harvest', { campaign: id });
      actors.push(poissonActor(b, behaviour, perHour(shares.cot, n)));
      members.push(b.account_id);
    }
    // The rotating residential exits are the campaign's proxy infrastructure (no customer of this lab uses them).
    campaigns.push({ id, archetype: 'cot-harvest', accounts: members, infrastructure_ips: residential, asns: [], payment_fingerprints: [], templates: world.cot.templates });
  }

  // Release-day pivot: cloud-hosted agents on one template family; about half the traffic moves to the new model within hours of release.
  {
    const n = size(0.015, 20);
    const id = 'release-pivot';
    const members: string[] = [];
    const pivotAfter = 2 * HOUR + setup.int(4 * HOUR);
    const behaviour: Behaviour = {
      ip: rotating(world.pivot.hosts),
      asn: () => world.pivot.asn,
      userAgent: () => world.pivot.userAgent,
      model: (m, r) => (m.t >= m.releaseAt + pivotAfter && r.chance(0.55) ? m.newModel : 'atlas-3'),
      prompt: (r) => (r.chance(0.85) ? fill(r.pick(world.pivot.templates), r, vocab) : benignPrompt(r, vocab, 0.05)),
      outputMean: 1100,
    };
    for (let i = 0; i < n; i++) {
      const b = base('release-pivot', { campaign: id, signup_channel: 'startup' });
      actors.push(poissonActor(b, behaviour, perHour(shares.pivot, n, hours - 48), { from: start + 2 * DAY }));
      members.push(b.account_id);
    }
    campaigns.push({ id, archetype: 'release-pivot', accounts: members, infrastructure_ips: world.pivot.hosts, asns: [world.pivot.asn], payment_fingerprints: [], templates: world.pivot.templates });
  }

  // Education-programme abuse: a burst of sign-ups within three hours, paid with two instruments, then ordinary-looking use.
  {
    const n = size(0.015, 25);
    const id = 'education-abuse';
    const members: string[] = [];
    const burst = start + 3 * DAY + 9 * HOUR;
    for (let i = 0; i < n; i++) {
      const created = burst + setup.int(3 * HOUR);
      const b = base('education-abuse', {
        campaign: id,
        signup_channel: 'education',
        payment_fingerprint: setup.pick(world.education.payments),
        account_created: created,
      });
      const home = randomIp(setup);
      const behaviour: Behaviour = {
        ip: () => home,
        asn,
        userAgent: () => POPULAR_UA,
        model: fixedModel,
        prompt: (r) => benignPrompt(r, vocab, 0.3),
        outputMean: 700,
      };
      actors.push(poissonActor(b, behaviour, perHour(shares.education, n, (end - created) / HOUR), { from: created + HOUR }));
      members.push(b.account_id);
    }
    campaigns.push({ id, archetype: 'education-abuse', accounts: members, infrastructure_ips: [], asns: [], payment_fingerprints: world.education.payments, templates: [] });
  }

  // Low-and-slow: each account far below any volume threshold, all of them fired by one scheduler at the same second.
  {
    const n = size(0.03, 50);
    const id = 'low-and-slow';
    const members: string[] = [];
    const slots = Math.floor(hours / world.lowSlow.periodHours);
    const p = Math.min(1, 18 / slots);
    for (let i = 0; i < n; i++) {
      const b = base('low-and-slow', { campaign: id });
      const home = randomIp(setup);
      const behaviour: Behaviour = {
        ip: () => home,
        asn,
        userAgent: (r) => (r.chance(0.5) ? POPULAR_UA : 'python-requests/2.31.0'),
        model: fixedModel,
        prompt: (r) => fill(r.pick(world.lowSlow.templates), r, vocab),
        outputMean: 600,
      };
      actors.push({
        ...b,
        sent: 0,
        emit(hourStart, moment, r, out) {
          if (Math.floor((hourStart - start) / HOUR) % world.lowSlow.periodHours !== 0 || !r.chance(p)) return;
          out.push(request(this, behaviour, { ...moment, t: hourStart + world.lowSlow.secondOfHour * 1000 + r.float() * 4000 }, r));
        },
      });
      members.push(b.account_id);
    }
    campaigns.push({ id, archetype: 'low-and-slow', accounts: members, infrastructure_ips: [], asns: [], payment_fingerprints: [], templates: world.lowSlow.templates });
  }

  const hardNegatives: Array<{ kind: BenignKind; org_id: string; accounts: string[] }> = [];
  // Enterprise batch job: one org, three accounts, one template, a large share of all traffic, every hour on the hour.
  {
    const org = `org_${setup.hex(10)}`;
    const template = `Extract the invoice fields (vendor, date, total, currency) from the following document and return JSON only: "{task}"`;
    const ips = [randomIp(setup), randomIp(setup)];
    const members: string[] = [];
    for (let i = 0; i < 3; i++) {
      const b = base('enterprise-batch', { org_id: org, signup_channel: 'enterprise' });
      const behaviour: Behaviour = { ip: rotating(ips), asn, userAgent: () => 'batch-runner/4.2', model: () => 'atlas-3-mini', prompt: (r) => fill(template, r, vocab), outputMean: 120 };
      const rate = (options.requests * shares.enterprise) / 3 / (hours * (40 / 60));
      actors.push({
        ...b,
        sent: 0,
        emit(hourStart, moment, r, out) {
          const k = r.poisson(rate);
          for (let j = 0; j < k; j++) out.push(request(this, behaviour, { ...moment, t: hourStart + r.float() * 40 * 60_000 }, r));
        },
      });
      members.push(b.account_id);
    }
    hardNegatives.push({ kind: 'enterprise-batch', org_id: org, accounts: members });
  }
  // Research group: forty accounts of one org, created the same afternoon, behind the university's one NAT address, running shared reasoning evals.
  {
    const org = `org_${setup.hex(10)}`;
    const nat = randomIp(setup);
    const card = `pm_${setup.hex(24)}`;
    const created = start - 30 * DAY + 14 * HOUR;
    const evalTemplate = 'Evaluation item {n}. Think step by step and show your reasoning, then give the final answer: "{task}"';
    const members: string[] = [];
    const n = Math.min(40, Math.max(10, Math.round(total * 0.004)));
    for (let i = 0; i < n; i++) {
      const b = base('research-group', { org_id: org, signup_channel: 'research-program', payment_fingerprint: card, account_created: created + setup.int(2 * HOUR) });
      const behaviour: Behaviour = {
        ip: () => nat,
        asn,
        userAgent: () => POPULAR_UA,
        model: (m, r) => (m.t >= m.releaseAt && r.chance(0.5) ? m.newModel : 'atlas-3'),
        prompt: (r) => (r.chance(0.6) ? fill(evalTemplate, r, vocab) : benignPrompt(r, vocab, 0.2)),
        outputMean: 900,
        reasoningShare: 0.5,
      };
      actors.push(poissonActor(b, behaviour, perHour(shares.research, n), { tz: 1 }));
      members.push(b.account_id);
    }
    hardNegatives.push({ kind: 'research-group', org_id: org, accounts: members });
  }

  // The benign population: lognormal volumes, a heavy tail by design, small orgs sharing a card and an office address.
  const benignCount = total - actors.length;
  const weights = Array.from({ length: benignCount }, () => Math.exp(1.2 * setup.normal()));
  const heavy: string[] = [];
  const heavyFlags = weights.map(() => setup.chance(0.02));
  const sorted = [...weights].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  for (let i = 0; i < benignCount; i++) if (heavyFlags[i] === true) weights[i] = Math.max(weights[i] as number, median * 20) * (1.5 + setup.float());
  const campaignShare = Object.values(shares).reduce((a, b) => a + b, 0) + (campaigns.find((c) => c.archetype === 'low-and-slow')?.accounts.length ?? 0) * 18 / options.requests;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let org: { id: string; ip: string; card: string; left: number } | undefined;
  for (let i = 0; i < benignCount; i++) {
    let extra: Partial<ActorBase> = {};
    let ipFn: (r: Random) => string;
    if (org !== undefined && org.left > 0) {
      org.left--;
      extra = { org_id: org.id, payment_fingerprint: org.card };
      const office = org.ip;
      ipFn = () => office;
    } else if (setup.chance(0.06)) {
      org = { id: `org_${setup.hex(10)}`, ip: randomIp(setup), card: `pm_${setup.hex(24)}`, left: 1 + setup.int(5) };
      extra = { org_id: org.id, payment_fingerprint: org.card };
      const office = org.ip;
      ipFn = () => office;
    } else if (setup.chance(0.05)) {
      const pool = [setup.pick(cgnat), setup.pick(cgnat)];
      ipFn = rotating(pool);
    } else {
      const home = randomIp(setup);
      const mobile = randomIp(setup);
      ipFn = (r) => (r.chance(0.85) ? home : mobile);
    }
    if (setup.chance(0.1)) extra = { ...extra, account_created: start + setup.int(days * DAY) };
    const b = base(heavyFlags[i] === true ? 'heavy' : 'regular', { signup_channel: setup.pick(['self-serve', 'self-serve', 'self-serve', 'self-serve', 'startup', 'education', 'enterprise']), ...extra });
    const behaviour = benignBehaviour(setup, vocab, {
      ip: ipFn,
      asn,
      userAgent: setup.chance(0.6) ? POPULAR_UA : setup.chance(0.1) ? 'python-requests/2.31.0' : setup.pick(uas),
      cotRate: setup.chance(0.1) ? 0.4 : 0.04,
      ownTemplateShare: setup.chance(0.1) ? 0.7 : 0,
      adoptAfter: -Math.log(1 - setup.float()) * 3 * DAY,
      mini: setup.float() * 0.5,
    });
    const rate = (options.requests * (1 - campaignShare) * (weights[i] as number)) / weightSum / hours;
    actors.push(poissonActor(b, behaviour, rate, { tz: setup.pick([-8, -5, 0, 1, 8, 9]), from: b.account_created }));
    if (heavyFlags[i] === true) heavy.push(b.account_id);
  }

  const truth: GroundTruth = {
    seed: options.seed,
    world_seed: world.seed,
    lab,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    release: { model: newModel, at: new Date(releaseAt).toISOString() },
    accounts: actors.length,
    campaigns,
    benign: { accounts: actors.filter((a) => a.campaign === undefined).length, heavy, hard_negatives: hardNegatives },
    requests: 0,
  };
  return {
    truth,
    *batches() {
      const moment = { releaseAt, newModel };
      for (let h = 0; h < hours; h++) {
        const out: TelemetryRecord[] = [];
        const hourStart = start + h * HOUR;
        for (const a of actors) a.emit(hourStart, moment, traffic, out);
        out.sort((x, y) => x.timestamp - y.timestamp);
        truth.requests += out.length;
        yield out;
      }
    },
  };
}

/** A record as one JSON Lines line with the fixed field names (times in RFC 3339). */
export function recordLine(r: TelemetryRecord): string {
  const o: Record<string, unknown> = { ...r, timestamp: new Date(r.timestamp).toISOString() };
  if (r.account_created !== undefined) o['account_created'] = new Date(r.account_created).toISOString();
  return JSON.stringify(o);
}

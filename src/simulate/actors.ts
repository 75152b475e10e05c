import type { TelemetryRecord } from '../telemetry/record.js';
import { benignPrompt, fill, privateTemplate } from './prompts.js';
import type { Random } from './random.js';

/** The archetypes of the public reporting the simulator plants, and the benign kinds it mixes them with. */
export type Archetype = 'hydra-proxy' | 'cot-harvest' | 'release-pivot' | 'education-abuse' | 'low-and-slow';
export type BenignKind = 'regular' | 'heavy' | 'enterprise-batch' | 'research-group';

/** What a request needs to know of the moment it is sent. */
export interface Moment {
  readonly t: number;
  /** Release time of the new model. */
  readonly releaseAt: number;
  readonly newModel: string;
}

/**
 * One simulated account: its fixed attributes plus how it behaves. `emit` writes the account's requests for one hour
 * into `out`.
 */
export interface Actor {
  readonly account_id: string;
  readonly org_id?: string;
  readonly payment_fingerprint: string;
  readonly signup_channel: string;
  readonly account_created: number;
  readonly label: Archetype | BenignKind;
  /** Campaign id in the ground truth (archetype actors only). */
  readonly campaign?: string;
  /** Requests the account has sent so far. */
  sent: number;
  emit(hourStart: number, moment: Omit<Moment, 't'>, random: Random, out: TelemetryRecord[]): void;
}

/** How an account picks its address, user agent, model and prompt for one request. */
export interface Behaviour {
  readonly ip: (r: Random) => string;
  readonly asn: (ip: string) => string;
  readonly userAgent: (r: Random) => string;
  readonly model: (m: Moment, r: Random) => string;
  readonly prompt: (r: Random) => string;
  /** Output tokens per request: mean. Reasoning-eliciting prompts draw long answers. */
  readonly outputMean: number;
  readonly reasoningShare?: number;
}

const STATUSES = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'error'];

/** One request of `actor` at `t`. */
export function request(actor: Actor, b: Behaviour, m: Moment, r: Random): TelemetryRecord {
  const ip = b.ip(r);
  const prompt = b.prompt(r);
  const output = Math.max(1, Math.round(b.outputMean * (0.5 + r.float())));
  const record: { -readonly [K in keyof TelemetryRecord]: TelemetryRecord[K] } = {
    timestamp: Math.floor(m.t),
    account_id: actor.account_id,
    client_ip: ip,
    asn: b.asn(ip),
    user_agent: b.userAgent(r),
    model: b.model(m, r),
    input_tokens: Math.max(1, Math.round(prompt.length / 4)),
    output_tokens: output,
    prompt,
    payment_fingerprint: actor.payment_fingerprint,
    signup_channel: actor.signup_channel,
    account_created: actor.account_created,
    status: r.pick(STATUSES),
  };
  if (actor.org_id !== undefined) record.org_id = actor.org_id;
  if (b.reasoningShare !== undefined) record.reasoning_tokens = Math.round(output * b.reasoningShare);
  actor.sent++;
  return record;
}

/** Relative activity by local hour of day (people sleep; machines do not). */
export const DIURNAL = [0.25, 0.2, 0.15, 0.15, 0.2, 0.3, 0.5, 0.8, 1.2, 1.5, 1.6, 1.6, 1.4, 1.5, 1.6, 1.6, 1.5, 1.3, 1.1, 1.0, 0.9, 0.7, 0.5, 0.35];

/** Fields every actor kind shares. */
export type ActorBase = Omit<Actor, 'emit' | 'sent'>;

/** An account sending Poisson traffic at `perHour` (scaled by the diurnal curve in its time zone, if any). */
export function poissonActor(base: ActorBase, b: Behaviour, perHour: number, opts: { tz?: number; from?: number; to?: number } = {}): Actor {
  return {
    ...base,
    sent: 0,
    emit(hourStart, moment, r, out) {
      if (opts.from !== undefined && hourStart + 3600_000 <= opts.from) return;
      if (opts.to !== undefined && hourStart >= opts.to) return;
      const hour = new Date(hourStart).getUTCHours();
      const factor = opts.tz === undefined ? 1 : (DIURNAL[(hour + opts.tz + 24) % 24] as number);
      const n = r.poisson(perHour * factor);
      for (let i = 0; i < n; i++) {
        const t = hourStart + r.float() * 3600_000;
        if (opts.from !== undefined && t < opts.from) continue;
        out.push(request(this, b, { ...moment, t }, r));
      }
    },
  };
}

/** Benign behaviour: free-form prompts (or the account's own template), models adopted after a personal delay. */
export function benignBehaviour(
  r: Random,
  vocab: readonly string[],
  opts: { ip: (r: Random) => string; asn: (ip: string) => string; userAgent: string; cotRate: number; ownTemplateShare: number; adoptAfter: number; mini: number },
): Behaviour {
  const own = privateTemplate(r, vocab);
  return {
    ip: opts.ip,
    asn: opts.asn,
    userAgent: () => opts.userAgent,
    model: (m, rr) => (m.t >= m.releaseAt + opts.adoptAfter && rr.chance(0.4) ? m.newModel : rr.chance(opts.mini) ? 'atlas-3-mini' : 'atlas-3'),
    prompt: (rr) => (rr.chance(opts.ownTemplateShare) ? fill(own, rr, vocab) : benignPrompt(rr, vocab, opts.cotRate)),
    outputMean: 350,
  };
}

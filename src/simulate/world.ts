import { COT_PHRASES, variants } from './prompts.js';
import { Random } from './random.js';

/**
 * What an adversary brings to every lab it targets: proxy egress addresses, hosting, elicitation templates, the
 * payment sources behind its programme sign-ups, its tooling's user agent and its scheduler's timing. Two labs
 * simulated with the same world seed see the same campaign (same infrastructure and templates) under different
 * account ids, which is what cross-lab matching has to find.
 */
export interface AttackerWorld {
  readonly seed: string;
  /** Hydra reseller: egress addresses (RFC 5737 198.51.100.0/24) on one ASN; extraction templates. */
  readonly hydra: { readonly proxies: readonly string[]; readonly asn: string; readonly templates: readonly string[]; readonly burstMinutes: readonly number[] };
  /** Chain-of-thought harvesting: template variants asking for the full reasoning; a scripting user agent. */
  readonly cot: { readonly templates: readonly string[]; readonly userAgent: string };
  /** Release-day pivot: cloud-hosted egress (RFC 5737 203.0.113.0/24), agentic-coding templates. */
  readonly pivot: { readonly hosts: readonly string[]; readonly asn: string; readonly templates: readonly string[]; readonly userAgent: string };
  /** Education-programme abuse: the few payment instruments behind many sign-ups. */
  readonly education: { readonly payments: readonly string[] };
  /** Low-and-slow: rubric-grading templates fired by a scheduler every `periodHours` at a fixed second of the hour. */
  readonly lowSlow: { readonly templates: readonly string[]; readonly periodHours: number; readonly secondOfHour: number };
}

/** The adversary for a seed. */
export function attackerWorld(seed: string): AttackerWorld {
  const r = new Random(`world/${seed}`);
  const hostsIn = (prefix: string, n: number): string[] => {
    const set = new Set<string>();
    while (set.size < n) set.add(`${prefix}.${2 + r.int(250)}`);
    return [...set];
  };
  const hydraTemplates = [
    ...variants(r, 'You are an expert software agent. Provide a detailed, complete implementation for the following task, then list every tool call you would make in order: "{task}"', 2),
    ...variants(r, 'Provide a detailed answer to the following request as an autonomous coding assistant, including the plan, the code and the tests: "{task}"', 2),
  ];
  const cotTemplates = [
    ...variants(r, `Solve the following problem. ${COT_PHRASES[1] ?? ''} Number every step and state the final answer on its own line. Problem: "{task}"`, 3),
    ...variants(r, 'Here is a question and its answer. Reconstruct, step by step, the complete reasoning that leads from the question to the answer. Question: "{task}" Answer: {n}', 3),
  ];
  const pivotTemplates = variants(r, 'Act as a senior engineer agent with shell access. Break the following ticket into tool calls, execute them in order and report each observation: "{task}"', 3);
  const lowSlowTemplates = variants(r, 'Grade the following response against the rubric on a scale of 1 to {n}. Provide a detailed justification for every criterion and a final score. Response: "{task}"', 2);
  return {
    seed,
    hydra: { proxies: hostsIn('198.51.100', 12), asn: '64500', templates: hydraTemplates, burstMinutes: [r.int(24) * 60 + r.int(40), r.int(24) * 60 + r.int(40), r.int(24) * 60 + r.int(40)] },
    cot: { templates: cotTemplates, userAgent: 'python-requests/2.31.0' },
    pivot: { hosts: hostsIn('203.0.113', 6), asn: '64501', templates: pivotTemplates, userAgent: `agent-runner/${1 + r.int(3)}.${r.int(10)}` },
    education: { payments: [`pm_${r.hex(24)}`, `pm_${r.hex(24)}`] },
    lowSlow: { templates: lowSlowTemplates, periodHours: 2, secondOfHour: 60 * (5 + r.int(50)) + r.int(40) },
  };
}

import { isIPv4, isIPv6 } from 'node:net';
import { formatLocation } from '../stix/location.js';
import { joinPointer } from '../stix/diagnostic.js';
import { selectorToPointer } from '../stix/markings.js';
import type { Tlp2Level } from '../stix/markings.js';
import { PROJECT_IDENTITY_ID } from './extension-ids.js';
import { isPseudonym } from './pseudonym.js';
import { stricterTlp, tlpLevelOf, tlpLevelOfMarking } from './tlp-policy.js';

/**
 * The pre-flight check of a bundle about to leave the lab: every value that could identify a customer or a person,
 * where it sits, whether it is pseudonymised, and which TLP marking covers it. `distill-intel validate --audit-share`
 * prints it with {@link formatAuditReport}.
 */

/** What kind of identifying value an audit item is. */
export type AuditCategory =
  | 'ip-address'
  | 'asn'
  | 'domain'
  | 'url'
  | 'email-domain'
  | 'email-address'
  | 'account-pseudonym'
  | 'account-id'
  | 'fingerprint'
  | 'named-entity'
  | 'free-text';

/** One identifying value in the bundle. */
export interface AuditItem {
  readonly category: AuditCategory;
  /** The value (free text shortened to 80 characters). */
  readonly value: string;
  readonly objectId: string;
  readonly objectType: string;
  /** JSON pointer of the value in the bundle, e.g. `/objects/7/account_pseudonym`. */
  readonly path: string;
  /** Whether the value is a keyed pseudonym or fingerprint (only those are safe to correlate without exposure). */
  readonly pseudonymised: boolean;
  /** The most restrictive TLP level covering the value (object and granular markings); undefined when none. */
  readonly tlp: Tlp2Level | undefined;
}

/** Something the sharer must fix or consciously accept before sending. */
export interface AuditProblem {
  readonly path: string;
  readonly message: string;
}

/** The result of {@link auditShare}. */
export interface AuditReport {
  readonly bundleId: string | undefined;
  readonly objectCount: number;
  readonly items: readonly AuditItem[];
  /** Items per category. */
  readonly counts: Readonly<Partial<Record<AuditCategory, number>>>;
  readonly problems: readonly AuditProblem[];
}

const FREE_TEXT = new Set(['description', 'content', 'abstract', 'explanation', 'objective']);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IPV4_IN_TEXT = /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g;
const PSEUDONYM_IN_TEXT = /hmac-sha256:[A-Za-z0-9._-]{1,64}:[0-9a-f]{64}/g;
const PATTERN_DOMAIN = /(?:domain-name|url):value\s*(?:=|LIKE|MATCHES)\s*'([^']*)'/g;
const PATTERN_EMAIL_DOMAIN = /email-addr:value\s+LIKE\s+'%@([^']*)'/g;
const PATTERN_ASN = /autonomous-system:number\s*=\s*(\d+)/g;
const PATTERN_SIGNUP_DOMAIN = /signup_email_domain\s*=\s*'([^']*)'/g;
const PATTERN_PROVIDER = /:provider\s*=\s*'([^']*)'/g;

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

interface Ctx {
  readonly obj: Json;
  readonly base: string;
  readonly items: AuditItem[];
  readonly seen: Set<string>;
  readonly objectTlp: Tlp2Level | undefined;
  readonly granular: ReadonlyArray<{ readonly pointer: string; readonly level: Tlp2Level }>;
}

function coveringTlp(ctx: Ctx, relative: string): Tlp2Level | undefined {
  let level = ctx.objectTlp;
  for (const g of ctx.granular) {
    if (relative === g.pointer || relative.startsWith(g.pointer + '/')) level = level === undefined ? g.level : stricterTlp(level, g.level);
  }
  return level;
}

function add(ctx: Ctx, category: AuditCategory, value: string, relative: string, pseudonymised: boolean): void {
  const path = ctx.base + relative;
  const key = `${category}\u0000${path}\u0000${value}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  ctx.items.push({
    category,
    value: category === 'free-text' && value.length > 80 ? value.slice(0, 77) + '...' : value,
    objectId: String(ctx.obj['id']),
    objectType: String(ctx.obj['type']),
    path,
    pseudonymised,
    tlp: coveringTlp(ctx, relative),
  });
}

function scanText(ctx: Ctx, text: string, relative: string): void {
  for (const m of text.matchAll(EMAIL)) add(ctx, 'email-address', m[0], relative, false);
  for (const m of text.matchAll(PSEUDONYM_IN_TEXT)) add(ctx, 'account-pseudonym', m[0], relative, true);
  for (const m of text.matchAll(IPV4_IN_TEXT)) {
    if (isIPv4(m[0].split('/')[0] ?? '')) add(ctx, 'ip-address', m[0], relative, false);
  }
}

function scanPattern(ctx: Ctx, pattern: string, relative: string): void {
  for (const m of pattern.matchAll(PATTERN_DOMAIN)) add(ctx, m[0].startsWith('url') ? 'url' : 'domain', m[1] ?? '', relative, false);
  for (const m of pattern.matchAll(PATTERN_EMAIL_DOMAIN)) add(ctx, 'email-domain', m[1] ?? '', relative, false);
  for (const m of pattern.matchAll(PATTERN_SIGNUP_DOMAIN)) add(ctx, 'email-domain', m[1] ?? '', relative, false);
  for (const m of pattern.matchAll(PATTERN_PROVIDER)) add(ctx, 'domain', m[1] ?? '', relative, false);
  for (const m of pattern.matchAll(PATTERN_ASN)) add(ctx, 'asn', m[1] ?? '', relative, false);
  for (const m of pattern.matchAll(/'([^']*)'/g)) {
    const v = m[1] ?? '';
    const addr = v.split('/')[0] ?? '';
    if (isIPv4(addr) || isIPv6(addr)) add(ctx, 'ip-address', v, relative, false);
    else if (isPseudonym(v)) add(ctx, /fingerprints/.test(pattern) ? 'fingerprint' : 'account-pseudonym', v, relative, true);
  }
  for (const m of pattern.matchAll(EMAIL)) {
    if (!pattern.includes(`'%@${m[0].slice(m[0].indexOf('@') + 1)}'`)) add(ctx, 'email-address', m[0], relative, false);
  }
  if (/prompt-fingerprint:(?:lsh_bands|value|simhash)/.test(pattern)) {
    for (const m of pattern.matchAll(/'(b\d{2}:[0-9a-f]{8}|[0-9a-f]{16}|[0-9a-f]{64})'/g)) add(ctx, 'fingerprint', m[1] ?? '', relative, true);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function each(ctx: Ctx, prop: string, fn: (value: string, relative: string) => void): void {
  const v = ctx.obj[prop];
  if (Array.isArray(v)) v.forEach((x, i) => str(x) !== undefined && fn(str(x) as string, joinPointer('', prop, i)));
  else if (str(v) !== undefined) fn(str(v) as string, joinPointer('', prop));
}

/** Properties with a known meaning, per object type. */
function scanKnown(ctx: Ctx, handled: Set<string>): void {
  const type = String(ctx.obj['type']);
  const use = (prop: string, fn: (value: string, relative: string) => void) => {
    handled.add(prop);
    each(ctx, prop, fn);
  };
  switch (type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      use('value', (v, p) => add(ctx, 'ip-address', v, p, false));
      break;
    case 'domain-name':
      use('value', (v, p) => add(ctx, 'domain', v, p, false));
      break;
    case 'url':
      use('value', (v, p) => add(ctx, 'url', v, p, false));
      break;
    case 'autonomous-system':
      use('number', (v, p) => add(ctx, 'asn', v, p, false));
      break;
    case 'email-addr':
      use('value', (v, p) => add(ctx, 'email-address', v, p, false));
      break;
    case 'ai-service-account':
      use('provider', (v, p) => add(ctx, 'domain', v, p, false));
      use('account_pseudonym', (v, p) => add(ctx, isPseudonym(v) ? 'account-pseudonym' : 'account-id', v, p, isPseudonym(v)));
      use('signup_email_domain', (v, p) => add(ctx, v.includes('@') ? 'email-address' : 'email-domain', v, p, false));
      use('cluster_pseudonyms', (v, p) => add(ctx, isPseudonym(v) ? 'account-pseudonym' : 'account-id', v, p, isPseudonym(v)));
      for (const prop of ['payment_fingerprints', 'api_key_fingerprints']) use(prop, (v, p) => add(ctx, 'fingerprint', v, p, isPseudonym(v)));
      break;
    case 'user-account':
      for (const prop of ['user_id', 'account_login']) {
        use(prop, (v, p) => add(ctx, isPseudonym(v) ? 'account-pseudonym' : 'account-id', v, p, isPseudonym(v)));
      }
      use('display_name', (v, p) => add(ctx, 'named-entity', v, p, false));
      break;
    case 'prompt-fingerprint':
      for (const prop of ['value', 'lsh_bands', 'simhash']) use(prop, (v, p) => add(ctx, 'fingerprint', v, p, true));
      break;
    case 'indicator':
      use('pattern', (v, p) => scanPattern(ctx, v, p));
      break;
    case 'threat-actor':
      for (const prop of ['name', 'aliases']) use(prop, (v, p) => add(ctx, 'named-entity', v, p, false));
      break;
    case 'identity':
      if (ctx.obj['identity_class'] === 'individual') use('name', (v, p) => add(ctx, 'named-entity', v, p, false));
      use('contact_information', (v, p) => add(ctx, 'free-text', v, p, false));
      break;
    default:
      break;
  }
  for (const prop of FREE_TEXT) {
    if (handled.has(prop)) continue;
    handled.add(prop);
    each(ctx, prop, (v, p) => {
      add(ctx, 'free-text', v, p, false);
      scanText(ctx, v, p);
    });
  }
}

/** Everything else: e-mail addresses, pseudonyms and IP addresses wherever they appear. */
function scanRest(ctx: Ctx, value: unknown, relative: string): void {
  if (typeof value === 'string') {
    scanText(ctx, value, relative);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scanRest(ctx, v, joinPointer(relative, i)));
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) scanRest(ctx, v, joinPointer(relative, k));
  }
}

const SKIPPED_TYPES = new Set(['marking-definition', 'extension-definition']);
const SKIPPED_PROPS = new Set(['id', 'type', 'spec_version', 'created', 'modified', 'created_by_ref', 'object_marking_refs', 'granular_markings', 'external_references']);
const NOT_PUBLIC: ReadonlySet<AuditCategory> = new Set(['ip-address', 'account-pseudonym', 'account-id', 'fingerprint', 'email-domain', 'email-address', 'named-entity']);

/**
 * Lists every value in a bundle (or array of objects) that could identify a customer or a person, with its location,
 * whether it is pseudonymised and the TLP level that covers it, plus the problems to fix before sharing: raw e-mail
 * addresses and account ids, values no TLP marking covers, and customer-linked values marked TLP:CLEAR.
 */
export function auditShare(input: unknown): AuditReport {
  const isBundle = isObj(input) && input['type'] === 'bundle';
  const objects: unknown[] = isBundle ? (Array.isArray(input['objects']) ? input['objects'] : []) : Array.isArray(input) ? input : [input];
  const prefix = isBundle ? '/objects' : Array.isArray(input) ? '' : undefined;
  const items: AuditItem[] = [];
  objects.forEach((obj, i) => {
    // The suite's own identity and definitions describe the software, not anyone's customers.
    if (!isObj(obj) || SKIPPED_TYPES.has(String(obj['type'])) || obj['id'] === PROJECT_IDENTITY_ID) return;
    const granular: Array<{ pointer: string; level: Tlp2Level }> = [];
    if (Array.isArray(obj['granular_markings'])) {
      for (const g of obj['granular_markings']) {
        if (!isObj(g) || typeof g['marking_ref'] !== 'string' || !Array.isArray(g['selectors'])) continue;
        const level = tlpLevelOfMarking(g['marking_ref']);
        if (level === undefined) continue;
        for (const s of g['selectors']) {
          const pointer = typeof s === 'string' ? selectorToPointer(s) : undefined;
          if (pointer !== undefined) granular.push({ pointer, level });
        }
      }
    }
    const ctx: Ctx = {
      obj,
      base: prefix === undefined ? '' : `${prefix}/${i}`,
      items,
      seen: new Set(),
      objectTlp: tlpLevelOf(obj['object_marking_refs'] as unknown[] | undefined),
      granular,
    };
    const handled = new Set<string>(SKIPPED_PROPS);
    scanKnown(ctx, handled);
    for (const [k, v] of Object.entries(obj)) if (!handled.has(k)) scanRest(ctx, v, joinPointer('', k));
  });
  const counts: Partial<Record<AuditCategory, number>> = {};
  for (const it of items) counts[it.category] = (counts[it.category] ?? 0) + 1;
  const problems: AuditProblem[] = [];
  for (const it of items) {
    if (it.category === 'email-address') problems.push({ path: it.path, message: `e-mail address ${it.value} is shared in clear; share its domain or a pseudonym` });
    if (it.category === 'account-id') problems.push({ path: it.path, message: 'account identifier is not pseudonymised; use pseudonymize()' });
    if (it.category === 'fingerprint' && !it.pseudonymised) problems.push({ path: it.path, message: 'fingerprint is not a keyed pseudonym' });
    if (it.tlp === undefined) problems.push({ path: it.path, message: `no TLP marking covers this ${it.category}` });
    else if (it.tlp === 'clear' && NOT_PUBLIC.has(it.category)) {
      problems.push({ path: it.path, message: `${it.category} is marked TLP:CLEAR (public); customer-linked values should be AMBER or stricter` });
    }
  }
  return { bundleId: isBundle ? str(input['id']) : undefined, objectCount: objects.length, items, counts, problems };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The audit as text for a terminal: a summary line, one row per value, then the problems. */
export function formatAuditReport(report: AuditReport): string {
  const lines: string[] = [];
  const what = report.bundleId ?? 'input';
  lines.push(`Share audit of ${what}: ${report.objectCount} objects, ${report.items.length} values that could identify a customer or a person`);
  const summary = Object.entries(report.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  if (summary !== '') lines.push(`  by kind: ${summary}`);
  if (report.items.length > 0) {
    const where = Math.max(6, ...report.items.map((it) => it.path.length)) + 2;
    lines.push('');
    lines.push(`${pad('KIND', 19)}${pad('TLP', 18)}${pad('PSEUDONYM', 11)}${pad('WHERE', where)}VALUE`);
    for (const it of report.items) {
      lines.push(
        `${pad(it.category, 19)}${pad(it.tlp === undefined ? 'NONE' : 'TLP:' + it.tlp.toUpperCase(), 18)}${pad(it.pseudonymised ? 'yes' : 'no', 11)}${pad(it.path, where)}${it.value}`,
      );
    }
  }
  lines.push('');
  if (report.problems.length === 0) {
    lines.push('No problems: every identifier is pseudonymised or public infrastructure, and every value is covered by a TLP marking.');
  } else {
    lines.push(`${report.problems.length} problem(s) to fix or accept before sharing:`);
    for (const p of report.problems) lines.push(`  ${formatLocation({ pointer: p.path })}: ${p.message}`);
  }
  return lines.join('\n') + '\n';
}

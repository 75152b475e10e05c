import type {
  Comparison,
  ComparisonExpression,
  Constant,
  ObjectPath,
  ObservationExpression,
  PathStep,
  PatternExpression,
} from '../pattern/ast.js';
import { parsePattern } from '../pattern/parser.js';
import { printObjectPath, printPattern } from '../pattern/print.js';
import { ConvertContext } from './context.js';
import type { ConvertOptions } from './context.js';
import type { FlattenIssue, FlattenResult, IndicatorRow, RowStatus } from './row.js';
import { checkValue } from './value-checks.js';

/**
 * Turns an indicator's STIX pattern into rows of single observable values.
 *
 * The rule is soundness: a row is produced only when seeing that one value is enough to satisfy the pattern. That
 * holds for single comparisons, `IN` sets and OR chains (inside brackets or between observations); it does not hold
 * for AND, FOLLOWEDBY or qualifiers (WITHIN, REPEATS, START/STOP), nor for `!=`, `LIKE`, `MATCHES`, `NOT`, which are
 * reported instead. One exception is made on purpose: an AND inside one observation that spells out the identifying
 * pair of a distillation SCO (ai-service-account provider + account_pseudonym, prompt-fingerprint scheme + value)
 * names one object, so it becomes one row whose `scope` carries the qualifying half.
 */

/** How one pattern path is turned into a row. */
interface PathRule {
  /** `property` of the row. */
  readonly property: string;
  /** Constant kinds accepted. */
  readonly kinds: ReadonlySet<Constant['kind']>;
  /** Whether the path ends in `[*]` (a list property). */
  readonly list?: boolean;
  /** Whether `ISSUBSET` (address in network) is accepted and flattened to the CIDR. */
  readonly subnet?: boolean;
  /** Normalises the value text. */
  readonly normalise?: (v: string) => string;
}

const STRING: ReadonlySet<Constant['kind']> = new Set(['string']);
const INTEGER: ReadonlySet<Constant['kind']> = new Set(['integer']);
const STRING_OR_HEX: ReadonlySet<Constant['kind']> = new Set(['string', 'hex']);
const lower = (v: string): string => v.toLowerCase();

/** Rules by object type, then by the path's property steps joined with '.'. File hashes are handled apart. */
const RULES: Readonly<Record<string, Readonly<Record<string, PathRule>>>> = {
  'ipv4-addr': { value: { property: 'value', kinds: STRING, subnet: true } },
  'ipv6-addr': { value: { property: 'value', kinds: STRING, subnet: true, normalise: lower } },
  'domain-name': { value: { property: 'value', kinds: STRING, normalise: lower } },
  url: { value: { property: 'value', kinds: STRING } },
  'email-addr': { value: { property: 'value', kinds: STRING } },
  'autonomous-system': { number: { property: 'number', kinds: INTEGER } },
  'ai-service-account': {
    account_pseudonym: { property: 'account_pseudonym', kinds: STRING },
    payment_fingerprints: { property: 'payment_fingerprints', kinds: STRING, list: true },
    api_key_fingerprints: { property: 'api_key_fingerprints', kinds: STRING, list: true },
    cluster_pseudonyms: { property: 'cluster_pseudonyms', kinds: STRING, list: true },
  },
  'prompt-fingerprint': {
    value: { property: 'value', kinds: STRING },
    lsh_bands: { property: 'lsh_bands', kinds: STRING, list: true },
    simhash: { property: 'simhash', kinds: STRING_OR_HEX, normalise: lower },
  },
};

/** Hash algorithms whose values are hexadecimal, hence compared case-insensitively and written lower-case. */
const HEX_HASHES = new Set(['MD5', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-224', 'SHA3-256', 'SHA3-384', 'SHA3-512']);

/**
 * Identifying pairs of the distillation SCOs: an AND of exactly these two equalities inside one observation names one
 * object. `value` is the property that becomes the row's value, `scope` the one that qualifies it.
 */
const COMPOUND_KEYS: Readonly<Record<string, { readonly value: string; readonly scope: string }>> = {
  'ai-service-account': { value: 'account_pseudonym', scope: 'provider' },
  'prompt-fingerprint': { value: 'value', scope: 'scheme' },
};

/** The object types whose values can become rows. */
export const FLATTENABLE_TYPES: readonly string[] = [
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'url',
  'email-addr',
  'autonomous-system',
  'file',
  'ai-service-account',
  'prompt-fingerprint',
];

/** An observable value found in a pattern, before the indicator's context is added. */
interface Observable {
  readonly type: string;
  readonly property: string;
  readonly value: string;
  readonly hashAlgo?: string;
  readonly scope?: Readonly<Record<string, string>>;
}

/**
 * Flattens one indicator (see the module comment for what can be flattened). Never throws: anything that is not a
 * flattenable STIX indicator comes back as issues with the reason.
 *
 * @param context - carries identity names, marking definitions and the reference time across a stream; pass the same
 *   context for every object of one input (and let it {@link ConvertContext.observe} every object). A fresh context is
 *   made when omitted.
 */
export function flatten(indicator: unknown, context: ConvertContext | ConvertOptions = {}): FlattenResult {
  const ctx = context instanceof ConvertContext ? context : new ConvertContext(context);
  if (indicator === null || typeof indicator !== 'object' || Array.isArray(indicator)) {
    return { rows: [], issues: [{ code: 'not-an-indicator', message: 'not a JSON object' }] };
  }
  const obj = indicator as Record<string, unknown>;
  const id = typeof obj['id'] === 'string' ? obj['id'] : undefined;
  const withId = (issue: Omit<FlattenIssue, 'stix_id'>): FlattenIssue => (id === undefined ? issue : { ...issue, stix_id: id });
  if (obj['type'] !== 'indicator') {
    return { rows: [], issues: [withId({ code: 'not-an-indicator', message: `a ${describeType(obj['type'])} is not an indicator` })] };
  }
  if (id === undefined) {
    return { rows: [], issues: [{ code: 'not-an-indicator', message: 'the indicator has no id' }] };
  }
  const pattern = obj['pattern'];
  if (typeof pattern !== 'string') {
    return { rows: [], issues: [withId({ code: 'missing-pattern', message: 'the indicator has no pattern' })] };
  }
  const patternType = obj['pattern_type'];
  if (patternType !== 'stix') {
    return {
      rows: [],
      issues: [
        withId({
          code: 'pattern-type',
          message: `pattern_type ${JSON.stringify(patternType ?? null)} is not a STIX pattern; only pattern_type 'stix' is flattened`,
        }),
      ],
    };
  }
  const observables: Observable[] = [];
  const issues: FlattenIssue[] = [];
  const report = (issue: Omit<FlattenIssue, 'stix_id'>): number => issues.push(withId(issue));
  const simple = simpleComparisons(pattern);
  if (simple !== undefined) {
    for (const c of simple) leaf(c, observables, report);
    return finish(obj, id, ctx, observables, issues);
  }
  const parsed = parsePattern(pattern);
  if (!parsed.ok) {
    return {
      rows: [],
      issues: [withId({ code: 'pattern-syntax', message: `the pattern does not parse (${parsed.error.line}:${parsed.error.column}: ${parsed.error.message})` })],
    };
  }
  walkPattern(parsed.ast, observables, report);
  return finish(obj, id, ctx, observables, issues);
}

function finish(obj: Record<string, unknown>, id: string, ctx: ConvertContext, found: Observable[], issues: FlattenIssue[]): FlattenResult {
  // Only values that are what their type says are exported; the rest are reported with the reason.
  const observables: Observable[] = [];
  for (const o of found) {
    const check = checkValue(o.type, o.property, o.value, o.hashAlgo, ctx.refang);
    if (check.ok) observables.push(check.value === o.value ? o : { ...o, value: check.value });
    else issues.push({ code: check.problem.code, stix_id: id, message: check.problem.reason });
  }
  if (observables.length === 0) return { rows: [], issues };
  const base = indicatorContext(obj, id, ctx);
  const rows = observables.map((o): IndicatorRow => {
    const row: Record<string, unknown> = { type: o.type, property: o.property, value: o.value };
    if (o.hashAlgo !== undefined) row['hash_algo'] = o.hashAlgo;
    if (o.scope !== undefined) row['scope'] = o.scope;
    return Object.assign(row, base) as unknown as IndicatorRow;
  });
  return { rows, issues };
}

function describeType(type: unknown): string {
  return typeof type === 'string' ? `'${type}'` : 'object without a type';
}

/** The indicator's context, shared by all its rows. Only present properties are set. */
function indicatorContext(obj: Record<string, unknown>, id: string, ctx: ConvertContext): Record<string, unknown> {
  const out: Record<string, unknown> = { stix_id: id };
  const str = (key: string): string | undefined => (typeof obj[key] === 'string' ? (obj[key] as string) : undefined);
  const name = str('name');
  if (name !== undefined) out['name'] = name;
  const description = str('description');
  if (description !== undefined) out['description'] = description;
  const confidence = obj['confidence'];
  if (typeof confidence === 'number' && Number.isInteger(confidence) && confidence >= 0 && confidence <= 100) out['confidence'] = confidence;
  const tlp = ctx.tlpOf(obj['object_marking_refs']);
  if (tlp !== undefined) out['tlp'] = tlp;
  const validFrom = str('valid_from');
  if (validFrom !== undefined) out['valid_from'] = validFrom;
  const validUntil = str('valid_until');
  if (validUntil !== undefined) out['valid_until'] = validUntil;
  const revoked = obj['revoked'] === true;
  out['revoked'] = revoked;
  out['status'] = statusOf(revoked, validFrom, validUntil, ctx.nowMs);
  out['labels'] = stringList(obj['labels']);
  out['indicator_types'] = stringList(obj['indicator_types']);
  const createdBy = str('created_by_ref');
  const source = ctx.sourceOverride ?? (createdBy === undefined ? undefined : (ctx.identityName(createdBy) ?? createdBy));
  if (source !== undefined) out['source'] = source;
  if (createdBy !== undefined) out['created_by_ref'] = createdBy;
  const created = str('created');
  if (created !== undefined) out['created'] = created;
  const modified = str('modified');
  if (modified !== undefined) out['modified'] = modified;
  const reference = firstReferenceUrl(obj['external_references']);
  if (reference !== undefined) out['reference'] = reference;
  return out;
}

/** Revoked beats expired beats not-yet-valid: each is a reason not to act on the row, the first is final. */
export function statusOf(revoked: boolean, validFrom: string | undefined, validUntil: string | undefined, nowMs: number): RowStatus {
  if (revoked) return 'revoked';
  if (validUntil !== undefined) {
    const t = Date.parse(validUntil);
    if (!Number.isNaN(t) && t <= nowMs) return 'expired';
  }
  if (validFrom !== undefined) {
    const t = Date.parse(validFrom);
    if (!Number.isNaN(t) && t > nowMs) return 'not-yet-valid';
  }
  return 'active';
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function firstReferenceUrl(refs: unknown): string | undefined {
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (r !== null && typeof r === 'object' && typeof (r as Record<string, unknown>)['url'] === 'string') {
      return (r as Record<string, unknown>)['url'] as string;
    }
  }
  return undefined;
}

type Report = (issue: Omit<FlattenIssue, 'stix_id'>) => void;

function walkPattern(e: PatternExpression, out: Observable[], report: Report): void {
  switch (e.kind) {
    case 'observation':
      if (e.qualifiers.length > 0) {
        report({ code: 'qualifier', message: 'an observation with a qualifier (WITHIN, REPEATS, START/STOP) holds only over time, not for one value', fragment: printPattern(e) });
        return;
      }
      walkComparison(e.comparison, out, report);
      return;
    case 'group':
      if (e.qualifiers.length > 0) {
        report({ code: 'qualifier', message: 'a group with a qualifier (WITHIN, REPEATS, START/STOP) holds only over time, not for one value', fragment: printPattern(e) });
        return;
      }
      walkPattern(e.expression, out, report);
      return;
    case 'operation':
      if (e.operator === 'OR') {
        walkPattern(e.left, out, report);
        walkPattern(e.right, out, report);
        return;
      }
      report({
        code: 'observation-operator',
        message: `observations joined by ${e.operator} need several observations together; no single value satisfies them`,
        fragment: printPattern(e),
      });
  }
}

function observationText(c: ComparisonExpression): string {
  const obs: ObservationExpression = { kind: 'observation', comparison: c, qualifiers: [] };
  return printPattern(obs);
}

function walkComparison(c: ComparisonExpression, out: Observable[], report: Report): void {
  if (c.kind === 'boolean') {
    if (c.operator === 'OR') {
      walkComparison(c.left, out, report);
      walkComparison(c.right, out, report);
      return;
    }
    const compound = compoundKey(c);
    if (compound !== undefined) {
      out.push(compound);
      return;
    }
    report({ code: 'comparison-and', message: 'comparisons joined by AND must all hold at once; no single value satisfies them', fragment: observationText(c) });
    return;
  }
  leaf(c, out, report);
}

function pathKey(path: ObjectPath): { key: string; endsWithAny: boolean; ok: boolean } {
  const names: string[] = [];
  let endsWithAny = false;
  let ok = true;
  path.steps.forEach((s, i) => {
    if (s.kind === 'property') names.push(s.name);
    else if (s.index === '*' && i === path.steps.length - 1) endsWithAny = true;
    else ok = false;
  });
  return { key: names.join('.'), endsWithAny, ok };
}

function leaf(c: Comparison, out: Observable[], report: Report): void {
  // Printed only when something is reported: most comparisons flatten, and printing is not free.
  let printed: string | undefined;
  const fragmentOf = (): string => (printed ??= observationText(c));
  const type = c.path.objectType;
  const { key, endsWithAny, ok } = pathKey(c.path);
  let rule: PathRule | undefined;
  let hashAlgo: string | undefined;
  if (type === 'file' && key.startsWith('hashes.') && key.split('.').length === 2 && !endsWithAny) {
    hashAlgo = key.slice('hashes.'.length);
    rule = { property: key, kinds: STRING, ...(HEX_HASHES.has(hashAlgo.toUpperCase()) ? { normalise: lower } : {}) };
  } else {
    rule = RULES[type]?.[key];
  }
  if (rule === undefined || !ok || (rule.list === true) !== endsWithAny) {
    report({ code: 'unsupported-path', message: `${printObjectPath(c.path)} is not a path that flattens to a single value`, fragment: fragmentOf() });
    return;
  }
  if (c.negated) {
    report({ code: 'operator', message: 'a negated comparison (NOT) matches everything but a value, so it has no value to list', fragment: fragmentOf() });
    return;
  }
  let constants: readonly Constant[];
  if (c.operator === '=') constants = [c.value];
  else if (c.operator === 'IN') constants = c.values;
  else if (c.operator === 'ISSUBSET' && rule.subnet === true) constants = [c.value];
  else {
    report({ code: 'operator', message: `operator ${c.operator} does not name one value; only =, IN${rule.subnet === true ? ' and ISSUBSET' : ''} are flattened here`, fragment: fragmentOf() });
    return;
  }
  for (const k of constants) {
    if (!rule.kinds.has(k.kind)) {
      report({ code: 'value-kind', message: `a ${k.kind} constant is not a ${[...rule.kinds].join(' or ')} value for ${type}:${key}`, fragment: fragmentOf() });
      continue;
    }
    let value = String(k.value);
    if (rule.normalise !== undefined) value = rule.normalise(value);
    if (!isPlainValue(value)) {
      report({ code: 'value-kind', message: `the value for ${type}:${key} is empty or holds control characters (line breaks could smuggle entries into value lists)`, fragment: fragmentOf() });
      continue;
    }
    const o: { -readonly [K in keyof Observable]: Observable[K] } = { type, property: rule.property, value };
    if (hashAlgo !== undefined) o.hashAlgo = hashAlgo;
    out.push(o);
  }
}

/** Recognises `[T:scope = 'a' AND T:value = 'b']` (either order) for the identifying pairs of {@link COMPOUND_KEYS}. */
function compoundKey(c: ComparisonExpression): Observable | undefined {
  if (c.kind !== 'boolean' || c.operator !== 'AND' || c.left.kind !== 'comparison' || c.right.kind !== 'comparison') return undefined;
  const a = c.left;
  const b = c.right;
  const type = a.path.objectType;
  const pair = COMPOUND_KEYS[type];
  if (pair === undefined || b.path.objectType !== type) return undefined;
  const simple = (x: Comparison): string | undefined => {
    if (x.operator !== '=' || x.negated || x.value.kind !== 'string') return undefined;
    if (x.path.steps.length !== 1 || x.path.steps[0]?.kind !== 'property') return undefined;
    return x.path.steps[0].name;
  };
  const an = simple(a);
  const bn = simple(b);
  if (an === undefined || bn === undefined || a.operator !== '=' || b.operator !== '=') return undefined;
  const valueSide = an === pair.value && bn === pair.scope ? a : bn === pair.value && an === pair.scope ? b : undefined;
  const scopeSide = valueSide === a ? b : a;
  if (valueSide === undefined || valueSide.operator !== '=' || scopeSide.operator !== '=') return undefined;
  if (!isPlainValue(String(valueSide.value.value)) || !isPlainValue(String(scopeSide.value.value))) return undefined;
  return {
    type,
    property: pair.value,
    value: String(valueSide.value.value),
    scope: { [pair.scope]: String(scopeSide.value.value) },
  };
}

/** Non-empty and free of control characters: a value that can sit on a line of a list or in a lookup cell. */
function isPlainValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value !== '' && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(value);
}

/**
 * Most shared patterns are one bracket of `type:path = 'value'` comparisons joined by OR, written the canonical way.
 * Those are recognised here without the full parser (several times faster); anything else, including every pattern
 * this scanner is unsure of, returns undefined and goes through `parsePattern`. The comparisons it returns are
 * exactly what the parser would build for the same text, and only for paths that flatten.
 */
const SIMPLE_COMPARISON = /([a-z][a-z0-9-]*):((?:[A-Za-z_][A-Za-z0-9_]*|'[A-Za-z0-9-]+')(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|'[A-Za-z0-9-]+'))*)(\[\*\])? = '([^'\\]*)'/y;
const RESERVED_WORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'EXISTS', 'IN', 'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES', 'true', 'false']);

/** @internal Exported for the test that checks it agrees with the parser. */
export function simpleComparisons(pattern: string): Comparison[] | undefined {
  if (pattern.charCodeAt(0) !== 0x5b || pattern.charCodeAt(pattern.length - 1) !== 0x5d) return undefined;
  const out: Comparison[] = [];
  let pos = 1;
  for (;;) {
    SIMPLE_COMPARISON.lastIndex = pos;
    const m = SIMPLE_COMPARISON.exec(pattern);
    if (m === null) return undefined;
    const [, objectType = '', pathText = '', any, value = ''] = m;
    const parts = pathText.split('.');
    if (parts.some((n) => RESERVED_WORDS.has(n))) return undefined;
    const names = parts.map((n) => (n.startsWith("'") ? n.slice(1, -1) : n));
    const key = names.join('.');
    const known = objectType === 'file' ? names.length === 2 && names[0] === 'hashes' && any === undefined : RULES[objectType]?.[key] !== undefined;
    if (!known) return undefined;
    const steps: PathStep[] = names.map((name) => ({ kind: 'property', name }));
    if (any !== undefined) steps.push({ kind: 'index', index: '*' });
    out.push({ kind: 'comparison', operator: '=', negated: false, path: { objectType, steps }, value: { kind: 'string', value } });
    pos = SIMPLE_COMPARISON.lastIndex;
    if (pos === pattern.length - 1) return out;
    if (!pattern.startsWith(' OR ', pos)) return undefined;
    pos += 4;
  }
}

import type { Diagnostic } from '../stix/diagnostic.js';
import type {
  Comparison,
  ComparisonExpression,
  Constant,
  PatternAst,
  PatternExpression,
  Qualifier,
  SourcePosition,
} from './ast.js';
import { nodePosition } from './ast.js';
import { registryGeneration } from '../stix/extension-registry.js';
import { describePath, kindName } from './object-model.js';
import type { PathInfo } from './object-model.js';
import { parsePattern, parsePatternText } from './parser.js';
import { printObjectPath } from './print.js';
import type { ValueKind } from './sco-properties.js';
import { base64Problem, compileMatches, parseIpRange, timestampMillis, timestampProblem } from './values.js';

/** STIX patterning conformance levels (§12.7). */
export type ConformanceLevel = 1 | 2 | 3;

/** Options of {@link checkPattern}. */
export interface CheckOptions {
  /** The indicator's `valid_from`: START should not precede it (§9.5.1, SHOULD → warning). */
  readonly validFrom?: string;
  /** The indicator's `valid_until`: STOP should not follow it (SHOULD → warning). */
  readonly validUntil?: string;
}

/** Result of {@link checkPattern}. */
export interface CheckResult {
  /** True when no diagnostic is an error. */
  readonly valid: boolean;
  /** Errors (MUST violations, unparseable text) and warnings (SHOULDs, unknown names). Paths are `''`. */
  readonly diagnostics: Diagnostic[];
  /** The lowest conformance level able to evaluate the pattern; undefined when it does not parse. */
  readonly conformanceLevel: ConformanceLevel | undefined;
  /** The parsed tree (the input itself when a tree was given). */
  readonly ast: PatternAst | undefined;
}

const CONSTANT_NAMES: Record<Constant['kind'], string> = {
  string: 'a string',
  integer: 'an integer',
  float: 'a float',
  boolean: 'a boolean',
  binary: 'a binary constant',
  hex: 'a hex constant',
  timestamp: 'a timestamp',
};

/**
 * Checks a pattern beyond its syntax (§9): object types and properties exist (standard SCOs and registered
 * extensions), the root-type rule inside each observation expression, operand types, IN homogeneity, MATCHES
 * compiles, ISSUBSET/ISSUPERSET only on IP `value`, constants are valid, qualifier rules; and says which conformance
 * level (§12.7) the pattern needs. Messages carry `line:column` when the pattern came from text.
 */
export function checkPattern(input: string | PatternAst, options: CheckOptions = {}): CheckResult {
  let ast: PatternAst;
  if (typeof input === 'string') {
    const parsed = parsePattern(input);
    if (!parsed.ok) {
      const { line, column, message } = parsed.error;
      return {
        valid: false,
        diagnostics: [{ code: 'pattern-syntax', severity: 'error', path: '', message: `${line}:${column}: ${message}` }],
        conformanceLevel: undefined,
        ast: undefined,
      };
    }
    ast = parsed.ast;
  } else {
    ast = input;
  }
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, severity: 'error' | 'warning', node: object | undefined, message: string): void => {
    const pos: SourcePosition | undefined = node === undefined ? undefined : nodePosition(node);
    diagnostics.push({ code, severity, path: '', message: pos ? `${pos.line}:${pos.column}: ${message}` : message });
  };
  checkExpression(ast, options, report);
  return {
    valid: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    conformanceLevel: conformanceLevel(ast),
    ast,
  };
}

/**
 * The diagnostics of {@link checkPattern} for pattern text, as the STIX validator wants them for every indicator. The
 * clean common case parses without recording node positions; only a pattern with findings is parsed again with
 * positions, so that its messages carry line:column exactly as checkPattern's do.
 *
 * @internal
 */
export function patternDiagnostics(text: string): Diagnostic[] {
  const parsed = parsePatternText(text, false);
  if (!parsed.ok) return checkPattern(text).diagnostics;
  let found = false;
  checkExpression(parsed.ast, {}, () => {
    found = true;
  });
  return found ? checkPattern(text).diagnostics : [];
}

type Report = (code: string, severity: 'error' | 'warning', node: object | undefined, message: string) => void;

/** §12.7: 1 = one observation expression without qualifiers; 2 = adds observation AND/OR; 3 = FOLLOWEDBY or qualifiers. */
export function conformanceLevel(ast: PatternExpression): ConformanceLevel {
  let level: ConformanceLevel = 1;
  const visit = (e: PatternExpression): void => {
    if (e.kind === 'observation') {
      if (e.qualifiers.length > 0) level = 3;
    } else if (e.kind === 'group') {
      if (e.qualifiers.length > 0) level = 3;
      visit(e.expression);
    } else {
      if (e.operator === 'FOLLOWEDBY') level = 3;
      else if (level < 2) level = 2;
      visit(e.left);
      visit(e.right);
    }
  };
  visit(ast);
  return level;
}

function checkExpression(e: PatternExpression, options: CheckOptions, report: Report): void {
  switch (e.kind) {
    case 'observation':
      checkQualifiers(e, e.qualifiers, true, options, report);
      if (!sameObjectType(e.comparison, firstObjectType(e.comparison))) checkRootTypes(e.comparison, report);
      forEachComparison(e.comparison, report, checkComparison);
      return;
    case 'group':
      checkQualifiers(e, e.qualifiers, false, options, report);
      checkExpression(e.expression, options, report);
      return;
    case 'operation':
      checkExpression(e.left, options, report);
      checkExpression(e.right, options, report);
  }
}

const QUALIFIER_NAMES = { within: 'WITHIN', repeats: 'REPEATS', 'start-stop': 'START/STOP' } as const;

function checkQualifiers(
  owner: object,
  qualifiers: readonly Qualifier[],
  direct: boolean,
  options: CheckOptions,
  report: Report,
): void {
  if (qualifiers.length === 0) return;
  const seen = new Set<Qualifier['kind']>();
  for (const q of qualifiers) {
    const node = nodePosition(q) ? q : owner;
    if (seen.has(q.kind)) {
      // The OASIS validator only refuses repeats directly on a [...] expression; on a parenthesised group it is
      // legal but redundant, so we warn there.
      report(
        'pattern-duplicate-qualifier',
        direct ? 'error' : 'warning',
        node,
        direct
          ? `an observation expression may have at most one ${QUALIFIER_NAMES[q.kind]} qualifier (§9.5.1)`
          : `this parenthesised expression has more than one ${QUALIFIER_NAMES[q.kind]} qualifier; all of them apply, which is probably not intended`,
      );
    }
    seen.add(q.kind);
    switch (q.kind) {
      case 'within':
        if (!(q.seconds > 0) || !Number.isFinite(q.seconds)) {
          report('pattern-qualifier-value', 'error', node, `WITHIN needs a positive number of seconds, not ${q.seconds}`);
        }
        break;
      case 'repeats':
        if (!Number.isSafeInteger(q.times) || q.times < 1) {
          report('pattern-qualifier-value', 'error', node, `REPEATS needs a positive whole number of times, not ${q.times}`);
        }
        break;
      case 'start-stop': {
        let ok = true;
        for (const [label, ts] of [
          ['START', q.start],
          ['STOP', q.stop],
        ] as const) {
          const problem = timestampProblem(ts);
          if (problem !== undefined) {
            ok = false;
            report('pattern-invalid-timestamp', 'error', node, `${label} t'${ts}' is not a valid STIX timestamp: ${problem}`);
          }
        }
        if (!ok) break;
        const start = timestampMillis(q.start);
        const stop = timestampMillis(q.stop);
        if (!(stop > start)) {
          report('pattern-start-stop-order', 'error', node, `STOP t'${q.stop}' must be later than START t'${q.start}'`);
        }
        if (options.validFrom !== undefined && start < timestampMillis(options.validFrom)) {
          report('pattern-start-stop-validity', 'warning', node, `START t'${q.start}' is before the indicator's valid_from ${options.validFrom}`);
        }
        if (options.validUntil !== undefined && stop > timestampMillis(options.validUntil)) {
          report('pattern-start-stop-validity', 'warning', node, `STOP t'${q.stop}' is after the indicator's valid_until ${options.validUntil}`);
        }
      }
    }
  }
}

function firstObjectType(c: ComparisonExpression): string {
  return c.kind === 'comparison' ? c.path.objectType : firstObjectType(c.left);
}

/** True when every comparison is on `type`: the usual case, which cannot break the root-type rule. */
function sameObjectType(c: ComparisonExpression, type: string): boolean {
  return c.kind === 'comparison' ? c.path.objectType === type : sameObjectType(c.left, type) && sameObjectType(c.right, type);
}

function forEachComparison(c: ComparisonExpression, report: Report, visit: (c: Comparison, report: Report) => void): void {
  if (c.kind === 'comparison') {
    visit(c, report);
  } else {
    forEachComparison(c.left, report, visit);
    forEachComparison(c.right, report, visit);
  }
}

// describePath walks the SCO model and the extension registry; indicator feeds use a few hundred distinct paths over
// and over. Entries are dropped when the registry changes, and the table is bounded.
const PATH_CACHE_LIMIT = 4096;
const pathCache = new Map<string, PathInfo>();
let pathCacheGeneration = -1;

function pathKey(path: Comparison['path']): string {
  let key = path.objectType;
  for (const step of path.steps) key += step.kind === 'property' ? '\u0000.' + step.name : '\u0000[' + String(step.index);
  return key;
}

function cachedDescribePath(path: Comparison['path']): PathInfo {
  const generation = registryGeneration();
  if (generation !== pathCacheGeneration || pathCache.size >= PATH_CACHE_LIMIT) {
    pathCache.clear();
    pathCacheGeneration = generation;
  }
  const key = pathKey(path);
  let info = pathCache.get(key);
  if (info === undefined) {
    info = describePath(path);
    pathCache.set(key, info);
  }
  return info;
}

/**
 * Root types an expression can match; AND needs a common one (§9.5: operands of AND match the same object). Small
 * arrays rather than sets: a pattern names a handful of types, and this runs for every multi-type pattern checked.
 */
function checkRootTypes(c: ComparisonExpression, report: Report): readonly string[] {
  if (c.kind === 'comparison') return [c.path.objectType];
  const left = checkRootTypes(c.left, report);
  const right = checkRootTypes(c.right, report);
  if (c.operator === 'OR') {
    const union = [...left];
    for (const t of right) if (!union.includes(t)) union.push(t);
    return union;
  }
  const both = left.filter((t) => right.includes(t));
  if (both.length === 0 && left.length > 0 && right.length > 0) {
    report(
      'pattern-root-type',
      'error',
      c,
      `AND joins comparisons on different object types (${left.join(', ')} and ${right.join(', ')}): inside one [...] every AND operand must match the same object. Use OR, or separate observation expressions joined by AND: [...] AND [...]`,
    );
  }
  return both;
}

/** §9.2: which STIX data types a constant can be compared with. */
function compatible(constant: Constant['kind'], kind: ValueKind): boolean {
  switch (kind.k) {
    case 'any':
      return true;
    case 'string':
      return constant === 'string' || constant === 'binary' || constant === 'hex';
    case 'binary':
    case 'hex':
      return constant === 'string' || constant === 'binary' || constant === 'hex';
    case 'integer':
    case 'float':
      return constant === 'integer' || constant === 'float';
    case 'boolean':
      return constant === 'boolean';
    case 'timestamp':
      return constant === 'timestamp';
    case 'ref':
      return constant === 'string';
    default:
      return false;
  }
}

function checkConstant(c: Constant, owner: Comparison, report: Report): boolean {
  switch (c.kind) {
    case 'timestamp': {
      const p = timestampProblem(c.value);
      if (p !== undefined) report('pattern-invalid-timestamp', 'error', owner, `t'${c.value}' is not a valid STIX timestamp: ${p}`);
      return p === undefined;
    }
    case 'binary': {
      const p = base64Problem(c.value);
      if (p !== undefined) report('pattern-invalid-binary', 'error', owner, `binary constant b'${c.value}' ${p}`);
      return p === undefined;
    }
    case 'hex':
      if (c.value.length % 2 !== 0 || /[^0-9A-Fa-f]/.test(c.value)) {
        report('pattern-invalid-hex', 'error', owner, `hex constant h'${c.value}' must be an even number of hex digits`);
        return false;
      }
      return true;
    case 'integer':
      if (!Number.isSafeInteger(c.value)) {
        report('pattern-integer-range', 'error', owner, `integer ${c.value} is outside the range STIX integers can carry exactly (±2^53-1)`);
        return false;
      }
      return true;
    case 'float':
      if (!Number.isFinite(c.value)) {
        report('pattern-integer-range', 'error', owner, `float ${c.value} is not a finite number`);
        return false;
      }
      return true;
    default:
      return true;
  }
}

function mismatch(c: Comparison, kind: ValueKind, constant: Constant, report: Report): void {
  const pathText = printObjectPath(c.path);
  if (kind.k === 'list') {
    report(
      'pattern-list-without-index',
      'warning',
      c,
      `${pathText} is a list: compare its elements with ${pathText}[*] (any element) or [n]`,
    );
    return;
  }
  const hint = kind.k === 'timestamp' && constant.kind === 'string' ? ` (write timestamps as t'...')` : '';
  report(
    'pattern-type-mismatch',
    'error',
    c,
    `${pathText} is ${kindName(kind)} but is compared with ${CONSTANT_NAMES[constant.kind]}${hint}; the comparison would always be ${c.operator === '!=' && !c.negated ? 'true' : 'false'}`,
  );
}

function checkComparison(c: Comparison, report: Report): void {
  const info = cachedDescribePath(c.path);
  // The printed path only goes into messages: not built for a clean comparison.
  const pathText = (): string => printObjectPath(c.path);
  for (const p of info.problems) report(p.code, p.severity, c, `${pathText()}: ${p.message}`);
  const kind = info.kind;
  switch (c.operator) {
    case 'EXISTS':
      if (c.negated) {
        report('pattern-nonstandard-syntax', 'warning', c, `NOT EXISTS is not part of the STIX 2.1 grammar; other tools may reject it`);
      }
      return;
    case 'IN': {
      let allValid = true;
      for (const v of c.values) allValid = checkConstant(v, c, report) && allValid;
      const kinds = new Set(c.values.map((v) => v.kind));
      if (kinds.size > 1) {
        const numericOnly = [...kinds].every((k) => k === 'integer' || k === 'float');
        report(
          'pattern-in-heterogeneous',
          numericOnly ? 'warning' : 'error',
          c,
          `the IN list of ${pathText()} mixes ${[...kinds].join(' and ')} constants; §9.6.1 requires one data type`,
        );
      }
      const firstBad = c.values.find((v) => !compatible(v.kind, kind));
      if (allValid && firstBad !== undefined) mismatch(c, kind, firstBad, report);
      return;
    }
    case 'LIKE':
      if (kind.k !== 'string' && kind.k !== 'any' && kind.k !== 'ref') {
        report('pattern-operator-not-applicable', 'error', c, `LIKE compares strings, but ${pathText()} is ${kindName(kind)}`);
      }
      return;
    case 'MATCHES': {
      const binary = kind.k === 'binary' || kind.k === 'hex';
      if (!binary && kind.k !== 'string' && kind.k !== 'any' && kind.k !== 'ref') {
        report('pattern-operator-not-applicable', 'error', c, `MATCHES searches strings or binary values, but ${pathText()} is ${kindName(kind)}`);
        return;
      }
      try {
        compileMatches(c.value.value as string, !binary);
      } catch (e) {
        report('pattern-invalid-regex', 'error', c, `MATCHES '${c.value.value as string}' is not a usable regular expression: ${(e as Error).message}`);
      }
      return;
    }
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      const ipOwner = info.ownerTypes.some((t) => t === 'ipv4-addr' || t === 'ipv6-addr');
      const unknownOwner = kind.k === 'any' && info.ownerTypes.length === 0;
      if (info.lastProperty !== 'value' || (!ipOwner && !unknownOwner)) {
        report(
          'pattern-operator-not-applicable',
          'error',
          c,
          `${c.operator} applies only to the value of an ipv4-addr or ipv6-addr object (§9.6.1), not to ${pathText()}`,
        );
      }
      const text = c.value.value as string;
      if (parseIpRange(text) === undefined) {
        report('pattern-invalid-cidr', 'error', c, `${c.operator} needs an IPv4 or IPv6 address or CIDR block, not '${text}'`);
      }
      return;
    }
    default: {
      if (!checkConstant(c.value, c, report)) return;
      if (!compatible(c.value.kind, kind)) {
        mismatch(c, kind, c.value, report);
        return;
      }
      if ((c.operator === '<' || c.operator === '<=' || c.operator === '>' || c.operator === '>=') && kind.k === 'ref') {
        report('pattern-operator-not-applicable', 'error', c, `${c.operator} cannot order references (${pathText()})`);
      }
    }
  }
}

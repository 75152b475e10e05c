import type {
  BooleanExpression,
  Comparison,
  ComparisonExpression,
  Constant,
  ObjectPath,
  ObservationExpression,
  PathStep,
  PatternAst,
  PatternExpression,
  Qualifier,
  ScalarOperator,
  SourcePosition,
} from './ast.js';
import { setNodePosition } from './ast.js';
import { PatternSyntaxError } from './errors.js';
import { printObjectPath } from './print.js';
import { LexError, tokenize, tokenStart } from './lexer.js';
import type { Token } from './lexer.js';

/** Why a pattern did not parse: where, and a sentence a person can act on. */
export interface PatternSyntaxIssue {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly message: string;
}

/** Result of {@link parsePattern}: the tree, or the first syntax error. */
export type ParseResult =
  | { readonly ok: true; readonly ast: PatternAst }
  | { readonly ok: false; readonly error: PatternSyntaxIssue };

const KEYWORDS = [
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUBSET',
  'ISSUPERSET',
  'EXISTS',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
] as const;
const KEYWORD_SET = new Set<string>(KEYWORDS);
const WORD_OPERATORS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const ORDER_OPERATORS = new Set(['<', '<=', '>', '>=']);
/** Nesting beyond this is refused so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 200;

class Failure extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
  }
}

/** Describes a token for messages. */
function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the pattern';
    case 'string':
      return `string '${t.text.length > 30 ? t.text.slice(0, 30) + '…' : t.text}'`;
    case 'ident':
      return KEYWORD_SET.has(t.text) ? t.text : `'${t.text}'`;
    case 'binary':
      return `binary constant b'${t.text}'`;
    case 'hex':
      return `hex constant h'${t.text}'`;
    case 'timestamp':
      return `timestamp t'${t.text}'`;
    case 'integer':
    case 'float':
      return t.text;
    default:
      return `'${t.text}'`;
  }
}

const at = (p: { readonly line: number; readonly column: number }): string => `${p.line}:${p.column}`;

/**
 * Parses STIX 2.1 pattern text (§9, grammar STIXPattern.g4) into a typed tree. Never throws: malformed input gives
 * `{ ok: false, error }` with the line and column of the first problem.
 */
export function parsePattern(text: string): ParseResult {
  return parsePatternText(text, true);
}

/**
 * {@link parsePattern} with a choice: without `positions` no node is given a source position (see `nodePosition`),
 * which the validator uses for the clean common case and repeats with positions only when it has something to report.
 *
 * @internal
 */
export function parsePatternText(text: string, positions: boolean): ParseResult {
  if (typeof text !== 'string') {
    return { ok: false, error: { line: 1, column: 1, offset: 0, message: 'a pattern must be a string' } };
  }
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof LexError) return { ok: false, error: { ...e.position, message: e.message } };
    throw e;
  }
  try {
    return { ok: true, ast: new Parser(tokens, positions).parseRoot() };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: { ...e.position, message: e.message } };
    throw e;
  }
}

/** Like {@link parsePattern} but throws {@link PatternSyntaxError} (code `PATTERN_SYNTAX`). */
export function parsePatternOrThrow(text: string): PatternAst {
  const r = parsePattern(text);
  if (!r.ok) throw new PatternSyntaxError(r.error.message, r.error.line, r.error.column, r.error.offset);
  return r.ast;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly positions: boolean,
  ) {}

  parseRoot(): PatternAst {
    const first = this.peek();
    if (first.kind !== '[' && first.kind !== '(') {
      this.fail(
        `a pattern must start with '[' (an observation expression such as [file:name = 'x']) or '(', found ${describe(first)}`,
      );
    }
    const expr = this.parseFollowedBy();
    const t = this.peek();
    if (t.kind !== 'eof') {
      if (t.kind === ')') this.fail(`unmatched ')': no parenthesis is open here`);
      this.checkKeywordCase(t);
      this.fail(`expected AND, OR, FOLLOWEDBY or a qualifier (WITHIN, REPEATS, START) here, found ${describe(t)}`);
    }
    return expr;
  }

  // ---- observation level -------------------------------------------------------------------------------------

  private parseFollowedBy(): PatternExpression {
    return this.parseObservationChain('FOLLOWEDBY', () => this.parseObsOr());
  }

  private parseObsOr(): PatternExpression {
    return this.parseObservationChain('OR', () => this.parseObsAnd());
  }

  private parseObsAnd(): PatternExpression {
    return this.parseObservationChain('AND', () => this.parseQualified());
  }

  private parseObservationChain(op: 'AND' | 'OR' | 'FOLLOWEDBY', next: () => PatternExpression): PatternExpression {
    const first = this.peek();
    let left = next();
    while (this.isKeyword(op)) {
      const opTok = this.next();
      if (this.peek().kind !== '[' && this.peek().kind !== '(') {
        this.fail(`expected an observation expression ('[' or '(') after ${op}, found ${describe(this.peek())}`);
      }
      void opTok;
      const right = next();
      left = this.mark({ kind: 'operation', operator: op, left, right }, first);
    }
    return left;
  }

  private parseQualified(): PatternExpression {
    const t = this.peek();
    let expr: PatternExpression;
    if (t.kind === '[') {
      expr = this.parseObservation();
    } else if (t.kind === '(') {
      this.enter();
      this.next();
      if (this.peek().kind !== '[' && this.peek().kind !== '(') {
        this.fail(`expected an observation expression ('[' or '(') after '(', found ${describe(this.peek())}`);
      }
      const inner = this.parseFollowedBy();
      this.expect(')', `expected ')' to close the parenthesis opened at ${at(t)}`);
      this.depth--;
      const quals = this.parseQualifiers();
      expr = quals.length === 0 ? inner : this.mark({ kind: 'group', expression: inner, qualifiers: quals }, t);
      return expr;
    } else {
      this.checkKeywordCase(t);
      this.fail(`expected an observation expression ('[' or '('), found ${describe(t)}`);
    }
    return expr;
  }

  private parseObservation(): ObservationExpression {
    const open = this.next();
    this.enter();
    if (this.peek().kind === ']') this.fail(`empty observation expression: put at least one comparison inside '[ ]'`);
    if (this.peek().kind === '[') {
      this.fail(`observation expressions cannot be nested: '[' opened at ${at(open)} is still open`);
    }
    const comparison = this.parseCompOr();
    const close = this.peek();
    if (close.kind !== ']') {
      this.checkKeywordCase(close);
      this.fail(`expected ']' to close the observation expression opened at ${at(open)}, found ${describe(close)}`);
    }
    this.next();
    this.depth--;
    const qualifiers = this.parseQualifiers();
    return this.mark({ kind: 'observation', comparison, qualifiers }, open);
  }

  private parseQualifiers(): Qualifier[] {
    const out: Qualifier[] = [];
    while (true) {
      const t = this.peek();
      if (this.isKeyword('WITHIN')) {
        this.next();
        const n = this.peek();
        if ((n.kind !== 'integer' && n.kind !== 'float') || n.text.startsWith('-')) {
          this.fail(`WITHIN needs a positive number of seconds, found ${describe(n)}`);
        }
        this.next();
        const unit = this.peek();
        if (!this.isKeyword('SECONDS')) {
          this.checkKeywordCase(unit);
          this.fail(`expected SECONDS after WITHIN ${n.text} (SECONDS is the only unit), found ${describe(unit)}`);
        }
        this.next();
        out.push(this.mark({ kind: 'within', seconds: toNumber(n.text) }, t));
      } else if (this.isKeyword('REPEATS')) {
        this.next();
        const n = this.peek();
        if (n.kind !== 'integer' || n.text.startsWith('-')) {
          this.fail(`REPEATS needs a positive whole number of times, found ${describe(n)}`);
        }
        this.next();
        if (!this.isKeyword('TIMES')) {
          this.checkKeywordCase(this.peek());
          this.fail(`expected TIMES after REPEATS ${n.text}, found ${describe(this.peek())}`);
        }
        this.next();
        out.push(this.mark({ kind: 'repeats', times: toNumber(n.text) }, t));
      } else if (this.isKeyword('START')) {
        this.next();
        const s = this.peek();
        if (s.kind !== 'timestamp') this.fail(`START needs a timestamp constant such as t'2026-01-01T00:00:00Z', found ${describe(s)}`);
        this.next();
        if (!this.isKeyword('STOP')) {
          this.checkKeywordCase(this.peek());
          this.fail(`expected STOP t'...' after START t'${s.text}', found ${describe(this.peek())}`);
        }
        this.next();
        const e = this.peek();
        if (e.kind !== 'timestamp') this.fail(`STOP needs a timestamp constant such as t'2026-01-02T00:00:00Z', found ${describe(e)}`);
        this.next();
        out.push(this.mark({ kind: 'start-stop', start: s.text, stop: e.text }, t));
      } else {
        return out;
      }
    }
  }

  // ---- comparison level --------------------------------------------------------------------------------------

  private parseCompOr(): ComparisonExpression {
    const first = this.peek();
    let left = this.parseCompAnd();
    while (this.isKeyword('OR')) {
      this.next();
      const right = this.parseCompAnd();
      left = this.mark<BooleanExpression>({ kind: 'boolean', operator: 'OR', left, right }, first);
    }
    return left;
  }

  private parseCompAnd(): ComparisonExpression {
    const first = this.peek();
    let left = this.parseTest();
    while (this.isKeyword('AND')) {
      this.next();
      const right = this.parseTest();
      left = this.mark<BooleanExpression>({ kind: 'boolean', operator: 'AND', left, right }, first);
    }
    return left;
  }

  private parseTest(): ComparisonExpression {
    const t = this.peek();
    if (t.kind === '(') {
      this.enter();
      this.next();
      const inner = this.parseCompOr();
      const close = this.peek();
      if (close.kind !== ')') {
        this.checkKeywordCase(close);
        this.fail(`expected ')' to close the parenthesis opened at ${at(t)}, found ${describe(close)}`);
      }
      this.next();
      this.depth--;
      return inner;
    }
    if (this.isKeyword('EXISTS')) {
      this.next();
      const path = this.parsePath();
      return this.mark<Comparison>({ kind: 'comparison', operator: 'EXISTS', negated: false, path }, t);
    }
    if (t.kind === 'ident' && (t.text === 'AND' || t.text === 'OR')) {
      this.fail(`expected a comparison before ${t.text}, found ${t.text}`);
    }
    if (t.kind === ']' || t.kind === 'eof') this.fail(`expected a comparison (such as file:name = 'x'), found ${describe(t)}`);
    const path = this.parsePath();
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const op = this.peek();
    if (op.kind === 'op') {
      this.next();
      const value = this.parseConstant(`after ${op.text}`);
      if (ORDER_OPERATORS.has(op.text) && value.kind === 'boolean') {
        this.failAt(tokenStart(op), `${op.text} cannot compare with a boolean: booleans are only compared with = and !=`);
      }
      return this.mark<Comparison>(
        { kind: 'comparison', operator: op.text as ScalarOperator, negated, path, value },
        t,
      );
    }
    if (this.isKeyword('IN')) {
      this.next();
      const open = this.peek();
      if (open.kind !== '(') this.fail(`IN needs a parenthesised list of constants such as ('a', 'b'), found ${describe(open)}`);
      this.next();
      if (this.peek().kind === ')') this.fail(`IN needs at least one constant inside '( )'`);
      const values: Constant[] = [this.parseConstant('in the IN list')];
      while (this.peek().kind === ',') {
        this.next();
        values.push(this.parseConstant('after , in the IN list'));
      }
      const close = this.peek();
      if (close.kind !== ')') this.fail(`expected ',' or ')' to close the IN list opened at ${at(open)}, found ${describe(close)}`);
      this.next();
      return this.mark<Comparison>({ kind: 'comparison', operator: 'IN', negated, path, values }, t);
    }
    if (op.kind === 'ident' && WORD_OPERATORS.has(op.text)) {
      this.next();
      const s = this.peek();
      if (s.kind !== 'string') this.fail(`${op.text} needs a string constant such as '...', found ${describe(s)}`);
      this.next();
      return this.mark<Comparison>(
        { kind: 'comparison', operator: op.text as ScalarOperator, negated, path, value: { kind: 'string', value: s.text } },
        t,
      );
    }
    if (this.isKeyword('EXISTS')) {
      // `path EXISTS` is not in the 2.1 grammar (which has `EXISTS path`) but appears in the wild; accept it.
      this.next();
      return this.mark<Comparison>({ kind: 'comparison', operator: 'EXISTS', negated, path }, t);
    }
    this.checkKeywordCase(op);
    this.fail(
      `expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET) after the object path ${printObjectPath(path)}, found ${describe(op)}`,
    );
  }

  private parsePath(): ObjectPath {
    const t = this.peek();
    if (t.kind === ':') this.fail(`missing object type before ':' (object paths look like file:name)`);
    if (t.kind !== 'ident') this.fail(`expected an object path such as file:name, found ${describe(t)}`);
    if (KEYWORD_SET.has(t.text)) this.fail(`expected an object path such as file:name, found keyword ${t.text}`);
    this.next();
    const colon = this.peek();
    if (colon.kind !== ':') {
      this.fail(`expected ':' after object type '${t.text}' (object paths look like ${t.text}:name), found ${describe(colon)}`);
    }
    this.next();
    const steps: PathStep[] = [{ kind: 'property', name: this.parsePropertyName(`after '${t.text}:'`) }];
    while (true) {
      const n = this.peek();
      if (n.kind === '.') {
        this.next();
        steps.push({ kind: 'property', name: this.parsePropertyName(`after '.'`) });
      } else if (n.kind === '[') {
        this.next();
        const idx = this.peek();
        let index: number | '*';
        if (idx.kind === '*') index = '*';
        else if (idx.kind === 'integer') index = toNumber(idx.text);
        else this.fail(`expected a list index (a whole number or *) after '[', found ${describe(idx)}`);
        this.next();
        this.expect(']', `expected ']' to close the list index opened at ${at(n)}`);
        steps.push({ kind: 'index', index });
      } else {
        break;
      }
    }
    return this.mark({ objectType: t.text, steps }, t);
  }

  private parsePropertyName(where: string): string {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return t.text;
    }
    if (t.kind === 'ident') {
      if (t.text.includes('-')) {
        this.fail(`property name '${t.text}' contains '-': quote it, as in '${t.text}'`);
      }
      this.next();
      return t.text;
    }
    this.fail(`expected a property name ${where}, found ${describe(t)}`);
  }

  private parseConstant(where: string): Constant {
    const t = this.peek();
    this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.text };
      case 'integer':
        return { kind: 'integer', value: toNumber(t.text) };
      case 'float':
        return { kind: 'float', value: toNumber(t.text) };
      case 'binary':
        return { kind: 'binary', value: t.text };
      case 'hex':
        return { kind: 'hex', value: t.text };
      case 'timestamp':
        return { kind: 'timestamp', value: t.text };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') return { kind: 'boolean', value: t.text === 'true' };
        if (/^(true|false)$/i.test(t.text)) this.failAt(tokenStart(t), `booleans are written in lower case: true or false`);
        this.failAt(
          tokenStart(t),
          `expected a constant ${where} (a quoted string such as 'x', a number, true/false, b'…', h'…' or t'…'), found ${describe(t)}${/^[A-Za-z0-9]+$/.test(t.text) ? ': strings must be quoted' : ''}`,
        );
      // falls through (unreachable: failAt throws)
      default:
        this.failAt(
          tokenStart(t),
          `expected a constant ${where} (a quoted string such as 'x', a number, true/false, b'…', h'…' or t'…'), found ${describe(t)}`,
        );
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.tokens[this.i] as Token;
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === word;
  }

  private expect(kind: Token['kind'], message: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(`${message}, found ${describe(t)}`);
    return this.next();
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`pattern nests more than ${MAX_DEPTH} levels deep`);
  }

  /** Lower-case keywords are a common slip; say so instead of a generic "unexpected" message. */
  private checkKeywordCase(t: Token): void {
    if (t.kind !== 'ident') return;
    const upper = t.text.toUpperCase();
    if (upper !== t.text && KEYWORD_SET.has(upper)) {
      this.failAt(tokenStart(t), `keywords are upper case: write ${upper} instead of '${t.text}'`);
    }
  }

  /** Records where `node` started (from its first token) when the caller asked for positions. */
  private mark<T extends object>(node: T, at: Token): T {
    if (this.positions) setNodePosition(node, tokenStart(at));
    return node;
  }

  private fail(message: string): never {
    throw new Failure(message, tokenStart(this.peek()));
  }

  private failAt(position: SourcePosition, message: string): never {
    throw new Failure(message, position);
  }
}

function toNumber(text: string): number {
  const n = Number(text);
  return Object.is(n, -0) ? 0 : n;
}


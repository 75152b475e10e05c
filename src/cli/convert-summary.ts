import type { ConvertFormat, ConvertIssue, ConvertSummary } from '../convert/converter.js';

/**
 * The closing stderr lines of `convert` (and of `pull` with a row format): one sentence a person reads at a glance,
 * and, with `--verbose`, the reasons behind what was left out.
 */

/** What one unit of output is, per format (the converter's `written` counts these). */
const UNITS: Readonly<Record<ConvertFormat, string>> = {
  ecs: 'document',
  sentinel: 'request',
  splunk: 'row',
  csv: 'row',
  values: 'value',
  rows: 'row',
  ndjson: 'object',
};

/** Counts of flatten issues by code, kept by the caller's `onIssue` (the converter counts issues, not their codes). */
export class IssueTally {
  readonly #byCode = new Map<string, number>();

  add(issue: ConvertIssue): void {
    // Unreadable input is counted on its own (it is an error, not a choice of what to export).
    if (issue.code === 'unreadable') return;
    this.#byCode.set(issue.code, (this.#byCode.get(issue.code) ?? 0) + 1);
  }

  get byCode(): ReadonlyMap<string, number> {
    return this.#byCode;
  }
}

/**
 * How issues are printed one by one: `text`/`json` each, `none` not at all, `errors` (the default without `--verbose`)
 * only input that could not be read, which is an error of the run rather than a choice of what to export.
 */
export type IssueOutput = 'text' | 'json' | 'none' | 'errors';

/** The `--issues`/`--verbose` pair resolved; undefined for a bad `--issues` value. */
export function issueOutput(given: string | undefined, verbose: boolean): IssueOutput | undefined {
  if (given === undefined) return verbose ? 'text' : 'errors';
  return given === 'text' || given === 'json' || given === 'none' ? given : undefined;
}

/** The format to print this issue in, or undefined to keep it to the summary. */
export function issueFormatFor(issue: ConvertIssue, output: IssueOutput): 'text' | 'json' | undefined {
  if (output === 'none') return undefined;
  if (output === 'errors') return issue.code === 'unreadable' ? 'text' : undefined;
  return output;
}

/** Where the output went and how it is described. */
export interface SummaryContext {
  /** `convert` or `pull`: the line starts with it. */
  readonly command: string;
  readonly to: ConvertFormat;
  /** `stdout`, the `--out` file as given, or `<dir>/ (a.txt, b.txt)` for `--out-dir`. */
  readonly destination: string;
  readonly issues: IssueTally;
  /** True when the details were printed already (no hint to ask for them). */
  readonly verbose: boolean;
}

const count = (n: number): string => n.toLocaleString('en-US');
const counted = (n: number, unit: string): string => `${count(n)} ${unit}${n === 1 ? '' : 's'}`;

/** Everything left out, by reason: the converter's skips and the flatten issues. Sorted by reason. */
function reasons(s: ConvertSummary, issues: IssueTally): Array<[string, number]> {
  const all = new Map<string, number>(Object.entries(s.skipped));
  for (const [code, n] of issues.byCode) all.set(code, (all.get(code) ?? 0) + n);
  return [...all].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The one summary line, e.g. `convert: 1,234 objects read, 1,180 documents written to ecs.ndjson, 54 skipped
 * (3 reasons; --verbose for details)`.
 */
export function summaryLine(s: ConvertSummary, context: SummaryContext): string {
  const parts = [`${counted(s.objects, 'object')} read`];
  if (s.unreadable > 0) parts.push(`${count(s.unreadable)} unreadable`);
  // Value lists hold active values only (inactive ones are among the skipped); other formats write them marked.
  const inactive = context.to !== 'values' && s.inactive > 0 ? ` (${count(s.inactive)} inactive, marked so)` : '';
  parts.push(`${counted(s.written, UNITS[context.to])} written to ${context.destination}${inactive}`);
  const why = reasons(s, context.issues);
  if (why.length > 0) {
    const skipped = why.reduce((sum, [, n]) => sum + n, 0);
    const hint = context.verbose ? '' : '; --verbose for details';
    parts.push(`${count(skipped)} skipped (${why.length} reason${why.length === 1 ? '' : 's'}${hint})`);
  }
  return `${context.command}: ${parts.join(', ')}\n`;
}

/** The `--verbose` breakdown printed before the summary line: `skipped: not-indicator:campaign 1, qualifier 2`. */
export function reasonsLine(s: ConvertSummary, issues: IssueTally): string {
  const why = reasons(s, issues);
  return why.length === 0 ? '' : `skipped: ${why.map(([r, n]) => `${r} ${count(n)}`).join(', ')}\n`;
}

import { auditShare, formatAuditReport } from '../distillation/audit-share.js';
import type { AuditReport } from '../distillation/audit-share.js';
import { registerDistillationExtensions } from '../distillation/definitions.js';
import { parse } from '../stix/parse.js';
import type { ParseDiagnostic } from '../stix/parse.js';
import { formatFindingLocation } from '../stix/location.js';
import { parseJsonText } from '../stix/safe-json.js';
import { validateStream } from '../stix/validate-stream.js';
import type { TextChunks } from '../stix/validate-stream.js';
import type { RecordJudge } from '../stix/record-verdict.js';
import type { ReadBack } from '../stix/input-checks.js';
import { defaultValidateThreads, ValidatePool } from './validate-pool.js';
import { countText } from './count-text.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { openInput } from './open-input.js';
import { InputReadError, readInputs } from './read-inputs.js';

/** `distill-intel validate --help`. */
export const VALIDATE_HELP = `Usage: distill-intel validate [options] <files...|->

Validates STIX 2.1 content: single objects, bundles, TAXII envelopes, JSON arrays of objects, or NDJSON (one object
a line), read from files or from standard input ("-", the default when no file is named) - the inputs "push" takes,
so a pipeline can validate before it sends. Input is validated as it is read, one object at a time (NDJSON line by
line, bundles, envelopes and arrays element by element), so memory is bounded by the largest object. STIX 2.0 content is reported once per input (stix-2.0-content), not judged by 2.1 rules:
convert it with "distill-intel upgrade".

Options:
  --strict              report SHOULD-level findings (vocabularies, UUID versions, ...) as errors, not warnings
                        (unknown extensions stay warnings: a consumer may ignore them, STIX 2.1 §7.3)
  --disable CODE[,...]  do not report these warning codes (repeatable); errors are always reported
  --enable CODE[,...]   report only these warning codes (repeatable); errors are always reported
  --summary             print counts by code with one example each instead of every finding
  --max-per-code N      print at most N findings of each code (default 20; 0: no limit); totals always count all
  --audit-share         also list every value that could identify a customer or a person (IPs, domains, email
                        domains, account pseudonyms, fingerprints, free text), where it sits, whether it is
                        pseudonymised and the TLP marking covering it; problems found count as errors
  --threads N           worker threads (0 to 64) that validate NDJSON objects while this thread reads and reports;
                        they start only after the first 10,000 objects, so a small input never waits for them, and
                        the report is the same either way (default: one per available core beyond the first, at
                        most 4, from 3 cores up; on 1 or 2 cores 0, everything on this thread)
  --format text         one line per finding, "file:line:column pointer: severity code: message" (the pointer
                        into the document, or into the line's object for NDJSON), then a summary (default)
  --format json         one JSON report with every finding (no limit per code):
                        {"inputs":[{"input","objects","diagnostics":[...]}],"counts":{code:n},"errors","warnings"}
  -h, --help            show this help

The distillation extension suite is known to the validator, so its objects are checked against their schemas.
Every code is listed in docs/diagnostics.md.

Exit codes: 0 no errors (warnings allowed), 1 some input has errors (including text that is not JSON, and share-audit
problems with --audit-share), 2 usage error, 3 an input could not be read.
`;

/** The findings for one input. */
export interface InputReport {
  readonly input: string;
  /** Objects that validated with no error. */
  readonly objects: number;
  readonly diagnostics: ParseDiagnostic[];
}

/** Which findings are reported, and how SHOULD-level ones are judged. */
export interface FindingFilter {
  /** Warning codes not reported. */
  readonly disable: ReadonlySet<string>;
  /** When non-empty: the only warning codes reported. */
  readonly enable: ReadonlySet<string>;
  /** Promote the warnings that remain to errors (except extension-unknown, a MAY of §7.3). */
  readonly strict: boolean;
}

/** §7.3: a consumer may ignore an extension it does not know, so `--strict` never makes this code an error. */
const NEVER_PROMOTED: ReadonlySet<string> = new Set(['extension-unknown']);

/**
 * Applies `--disable`, `--enable` and `--strict` to one finding of the lenient validator: `undefined` when it is not
 * reported. Errors (MUST-level) are never dropped: a gate that can be told to skip a MUST lets broken content through.
 */
export function filterFinding(d: ParseDiagnostic, filter: FindingFilter): ParseDiagnostic | undefined {
  if (d.severity === 'error') return d;
  if (filter.disable.has(d.code)) return undefined;
  if (filter.enable.size > 0 && !filter.enable.has(d.code)) return undefined;
  if (filter.strict && !NEVER_PROMOTED.has(d.code)) return { ...d, severity: 'error' };
  return d;
}

/** The object a finding's path lies in (`/objects/<i>` of a bundle or envelope, `/<i>` of a list), if any. */
function objectOf(path: string): string | undefined {
  const m = /^(\/objects\/\d+|\/\d+)(?:\/|$)/.exec(path);
  return m === null ? undefined : m[1];
}

/**
 * Validates one input read as chunks, handing each reported finding to `report` as it is found. Returns how many
 * objects validated with no error once the filter is applied.
 */
export async function validateInput(
  source: TextChunks,
  filter: FindingFilter,
  report: (d: ParseDiagnostic) => void,
  placed: (d: ParseDiagnostic) => boolean = () => true,
  judge?: RecordJudge,
  readBack?: ReadBack,
): Promise<number> {
  // Objects that only fail through --strict promotion: the lenient validator counted them valid.
  const lenientFailed = new Set<string>();
  const promotedFailed = new Set<string>();
  const summary = await validateStream(source, {
    positions: placed,
    ...(judge === undefined ? {} : { judge }),
    ...(readBack === undefined ? {} : { readBack }),
    onDiagnostic: (d) => {
      if (d.severity === 'error') {
        const object = objectOf(d.path);
        if (object !== undefined) lenientFailed.add(object);
        report(d);
        return;
      }
      const kept = filterFinding(d, filter);
      if (kept === undefined) return;
      if (kept.severity === 'error') {
        const object = objectOf(d.path);
        if (object !== undefined) promotedFailed.add(object);
      }
      report(kept);
    },
  });
  let demoted = 0;
  for (const o of promotedFailed) if (!lenientFailed.has(o)) demoted++;
  return summary.valid - demoted;
}

function codeList(values: readonly string[] | undefined, option: string): Set<string> {
  const out = new Set<string>();
  for (const v of values ?? []) {
    for (const code of v.split(',')) {
      const c = code.trim();
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(c)) throw new UsageError(`${option} takes diagnostic codes such as custom-property, not '${code}'`);
      out.add(c);
    }
  }
  return out;
}

/** Per-code tallies for the text report: counts, the first example, and how many were printed. */
interface CodeTally {
  severity: 'error' | 'warning';
  count: number;
  printed: number;
  example: string;
}

const plural = (n: number, w: string): string => `${countText(n)} ${w}${n === 1 ? '' : 's'}`;

/** Runs `distill-intel validate`. */
export async function runValidate(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      'audit-share': { type: 'boolean', default: false },
      disable: { type: 'string', multiple: true },
      enable: { type: 'string', multiple: true },
      summary: { type: 'boolean', default: false },
      'max-per-code': { type: 'string', default: '20' },
      threads: { type: 'string' },
    },
  });
  const v = parsed.values;
  // The suite's objects are judged by their schemas, as the help says (registration is explicit, not an import's effect).
  registerDistillationExtensions();
  const format = v.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const maxText = v['max-per-code'];
  if (!/^\d{1,9}$/.test(maxText)) throw new UsageError(`--max-per-code takes a whole number, not '${maxText}'`);
  const maxPerCode = Number(maxText) === 0 ? Infinity : Number(maxText);
  const threadsText = v.threads;
  // Each thread holds its own copy of the validator (tens of MiB): a count past the cores any host has only costs memory.
  if (threadsText !== undefined && (!/^\d{1,2}$/.test(threadsText) || Number(threadsText) > 64)) throw new UsageError(`--threads takes a whole number of threads from 0 to 64, not '${threadsText}'`);
  const threads = threadsText === undefined ? defaultValidateThreads() : Number(threadsText);
  const filter: FindingFilter = { disable: codeList(v.disable, '--disable'), enable: codeList(v.enable, '--enable'), strict: v.strict === true };
  const names = parsed.positionals.length === 0 ? ['-'] : parsed.positionals;
  const audit = v['audit-share'] === true;
  const summaryOnly = v.summary === true;

  const tallies = new Map<string, CodeTally>();
  const reports: InputReport[] = [];
  const audits: Array<{ input: string; audit: AuditReport }> = [];
  let errors = 0;
  let warnings = 0;
  let objects = 0;
  const pool = threads > 0 ? new ValidatePool({ threads }) : undefined;
  try {
    for (const name of names) {
      const kept: ParseDiagnostic[] = [];
      const report = (d: ParseDiagnostic): void => {
        if (d.severity === 'error') errors++;
        else warnings++;
        if (format === 'json') {
          kept.push(d);
          return;
        }
        // The line is only built when it is printed or kept as the code's example: most findings of a large input are
        // only counted.
        let t = tallies.get(d.code);
        if (t === undefined) {
          t = { severity: d.severity, count: 0, printed: 0, example: `${formatFindingLocation(d, name)}: ${d.severity} ${d.code}: ${d.message}` };
          tallies.set(d.code, t);
        }
        t.count++;
        if (d.severity === 'error') t.severity = 'error';
        if (!summaryOnly && t.printed < maxPerCode) {
          t.printed++;
          io.stdout.write(t.printed === 1 ? t.example + '\n' : `${formatFindingLocation(d, name)}: ${d.severity} ${d.code}: ${d.message}\n`);
        }
      };
      // Only findings that will be printed are placed at their path's line and column (the JSON report keeps them all):
      // locating a path walks its object's text, which a large input would otherwise pay for every counted finding.
      const placed = (d: ParseDiagnostic): boolean => {
        if (format === 'json') return true;
        const t = tallies.get(d.code);
        return t === undefined || (!summaryOnly && t.printed < maxPerCode);
      };
      let valid: number;
      try {
        if (audit) {
          // The share audit needs the whole input as one value, so this mode reads it whole.
          const [input] = await readInputs([name], io);
          const text = input?.text ?? '';
          valid = await validateInput([text], filter, report, placed, pool);
          const json = parseJsonText(text);
          const a = auditShare(json.ok ? json.value : parse(text).objects);
          errors += a.problems.length;
          audits.push({ input: name, audit: a });
        } else {
          const input = await openInput(name, io);
          try {
            valid = await validateInput(input.chunks, filter, report, placed, pool, input.readBack);
          } finally {
            await input.close();
          }
        }
      } catch (err) {
        if (err instanceof InputReadError) {
          io.stderr.write(`distill-intel validate: ${err.message}\n`);
          return EXIT.failure;
        }
        throw err;
      }
      objects += valid;
      reports.push({ input: name, objects: valid, diagnostics: kept });
    }
  } finally {
    await pool?.close();
  }

  if (format === 'json') {
    const counts: Record<string, number> = {};
    for (const r of reports) for (const d of r.diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
    const body = { inputs: reports, ...(audits.length > 0 ? { audits } : {}), counts, errors, warnings };
    io.stdout.write(JSON.stringify(body, null, 2) + '\n');
  } else {
    for (const { input, audit: a } of audits) io.stdout.write(`${input}: ${formatAuditReport(a)}\n`);
    // Codes are lowercase ASCII: code-unit order is their collation order, without loading ICU's collator for a tie.
    const byCount = [...tallies.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (summaryOnly) {
      for (const [code, t] of byCount) io.stdout.write(`${countText(t.count).padStart(9)}  ${t.severity.padEnd(7)}  ${code}\n             e.g. ${t.example}\n`);
    } else {
      for (const [code, t] of byCount) {
        if (t.count > t.printed) {
          io.stdout.write(`${code}: ${plural(t.count - t.printed, 'more finding')} not shown (${countText(t.count)} in all; --max-per-code 0 or --format json shows every one)\n`);
        }
      }
    }
    io.stdout.write(`${plural(reports.length, 'input')}, ${plural(objects, 'valid object')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return errors > 0 ? EXIT.findings : EXIT.ok;
}

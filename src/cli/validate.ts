import { auditShare, formatAuditReport } from '../distillation/index.js';
import type { AuditReport } from '../distillation/index.js';
import { parse } from '../stix/parse.js';
import { parseJsonText } from '../stix/safe-json.js';
import type { ParseDiagnostic } from '../stix/parse.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { InputReadError, readInputs } from './read-inputs.js';

/** `distill-intel validate --help`. */
export const VALIDATE_HELP = `Usage: distill-intel validate [--strict] [--audit-share] [--format text|json] <files...|->

Validates STIX 2.1 content: single objects, bundles, TAXII envelopes, JSON arrays of objects, or NDJSON (one object
a line), read from files or from standard input ("-", the default when no file is named) - the inputs "push" takes,
so a pipeline can validate before it sends.

Options:
  --strict          report SHOULD-level findings (vocabularies, UUID versions, ...) as errors, not warnings
  --audit-share     also list every value that could identify a customer or a person (IPs, domains, email
                    domains, account pseudonyms, fingerprints, free text), where it sits, whether it is
                    pseudonymised and the TLP marking covering it; problems found count as errors
  --format text     one line per finding, "file: pointer: code: message", then a summary line (default)
  --format json     one JSON report: {"inputs":[{"input","objects","diagnostics":[...]}],"errors","warnings"}
  -h, --help        show this help

The distillation extension suite is known to the validator, so its objects are checked against their schemas.

Exit codes: 0 no errors (warnings allowed), 1 some input has errors (including text that is not JSON, and share-audit
problems with --audit-share),
2 usage error, 3 an input could not be read.
`;

/** The findings for one input. */
export interface InputReport {
  readonly input: string;
  /** Objects that validated with no error. */
  readonly objects: number;
  readonly diagnostics: ParseDiagnostic[];
}

/** Validates each input text; shared by `validate` and (later) `push --dry-run`. */
export function validateTexts(inputs: ReadonlyArray<{ name: string; text: string }>, strict: boolean): InputReport[] {
  return inputs.map(({ name, text }) => {
    const envelope = envelopeObjects(text);
    if (envelope !== undefined) {
      // Paths point into the envelope as given: /objects/<i>/...
      const result = parse(envelope, { strict });
      const diagnostics = result.diagnostics.map((d) => ({ ...d, path: '/objects' + d.path }));
      return { input: name, objects: result.objects.length, diagnostics };
    }
    const result = parse(text, { strict });
    return { input: name, objects: result.objects.length, diagnostics: result.diagnostics };
  });
}

/**
 * The objects of a TAXII envelope (`{"objects": [...], "more": ...}`, no `type`), which `push` and `pull` handle too,
 * or undefined for anything else (left to `parse`, which reports JSON errors with line and column).
 */
function envelopeObjects(text: string): unknown[] | undefined {
  const start = text.trimStart();
  if (!start.startsWith('{') || !start.includes('"objects"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  return o['type'] === undefined && Array.isArray(o['objects']) ? (o['objects'] as unknown[]) : undefined;
}

function location(d: ParseDiagnostic): string {
  if (d.line === undefined) return d.path === '' ? '/' : d.path;
  const lc = d.column === undefined ? `${d.line}` : `${d.line}:${d.column}`;
  return d.path === '' ? lc : `${lc} ${d.path}`;
}

/** Runs `distill-intel validate`. */
export async function runValidate(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      'audit-share': { type: 'boolean', default: false },
    },
  });
  const format = parsed.values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const names = parsed.positionals.length === 0 ? ['-'] : parsed.positionals;

  let texts;
  try {
    texts = await readInputs(names, io);
  } catch (err) {
    if (err instanceof InputReadError) {
      io.stderr.write(`distill-intel validate: ${err.message}\n`);
      return EXIT.failure;
    }
    throw err;
  }

  const reports = validateTexts(texts, parsed.values.strict === true);
  let errors = 0;
  let warnings = 0;
  let objects = 0;
  for (const r of reports) {
    objects += r.objects;
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors++;
      else warnings++;
    }
  }

  const audits: Array<{ input: string; audit: AuditReport }> = [];
  if (parsed.values['audit-share'] === true) {
    for (const { name, text } of texts) {
      const json = parseJsonText(text);
      // Text that is not one JSON document (NDJSON) is audited as the list of objects it holds.
      const value = json.ok ? json.value : parse(text).objects;
      const audit = auditShare(value);
      errors += audit.problems.length;
      audits.push({ input: name, audit });
    }
  }

  if (format === 'json') {
    const report = audits.length > 0 ? { inputs: reports, audits, errors, warnings } : { inputs: reports, errors, warnings };
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    for (const r of reports) {
      for (const d of r.diagnostics) io.stdout.write(`${r.input}: ${location(d)}: ${d.severity} ${d.code}: ${d.message}\n`);
    }
    for (const { input, audit } of audits) io.stdout.write(`${input}: ${formatAuditReport(audit)}\n`);
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    io.stdout.write(
      `${plural(reports.length, 'input')}, ${plural(objects, 'valid object')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
    );
  }
  return errors > 0 ? EXIT.findings : EXIT.ok;
}

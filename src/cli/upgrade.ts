import { newIdentifier } from '../stix/ids.js';
import { parse } from '../stix/parse.js';
import type { ParseDiagnostic } from '../stix/parse.js';
import { formatFindingLocation } from '../stix/location.js';
import { parseJsonText } from '../stix/safe-json.js';
import { locatePointers } from '../stix/text-positions.js';
import { upgrade } from '../stix/upgrade.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { openOutput } from './output-sink.js';
import { InputReadError, readInputs } from './read-inputs.js';

/** `distill-intel upgrade --help`. */
export const UPGRADE_HELP = `Usage: distill-intel upgrade [--out <file>] [--format bundle|ndjson] <files...|->

Converts STIX 2.0 content to STIX 2.1: bundles with "spec_version": "2.0" and objects without spec_version (which
STIX 2.1 §3.2 reads as 2.0). Reads bundles, JSON arrays, single objects or NDJSON from files or standard input ("-",
the default); writes one STIX 2.1 bundle (or NDJSON with --format ndjson). Objects that already are 2.1 pass through
unchanged, so a mixed feed, or one upgraded twice, comes out right.

What changes: spec_version "2.1" on every object; created/modified written to the millisecond; indicators get
pattern_type "stix" and 2.1 property names in their patterns; labels of indicator, malware, report, threat-actor
and tool become indicator_types, malware_types, ...; malware gets is_family true; observed-data "objects"
dictionaries become SCOs with deterministic ids listed in object_refs (references between them rewritten, the
observed-data's markings carried over); renamed observable properties take their 2.1 names (file.created -> ctime,
process.binary_ref -> image_ref, ...). Properties STIX 2.1 dropped (process.name, file.is_encrypted, ...) are kept
and listed as warnings.

The upgraded output is validated as STIX 2.1 and its errors reported; it is written even then, so nothing is lost.

Options:
  --out <file>        write to a file (made visible only when complete) instead of standard output
  --format bundle     one pretty-printed STIX 2.1 bundle (default); a single input bundle keeps its id
  --format ndjson     one object a line
  -h, --help          show this help

Exit codes: 0 upgraded, and the output validates as STIX 2.1; 1 an input is not JSON, a 2.0 object breaks a rule
the upgrade needs, or the output has STIX 2.1 errors; 2 usage error; 3 an input or the output could not be read or
written.
`;

/** Runs `distill-intel upgrade`. */
export async function runUpgrade(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, format: { type: 'string', default: 'bundle' } },
  });
  const format = parsed.values.format;
  if (format !== 'bundle' && format !== 'ndjson') throw new UsageError(`--format must be bundle or ndjson, not '${format}'`);
  const names = parsed.positionals.length === 0 ? ['-'] : parsed.positionals;

  let texts;
  try {
    texts = await readInputs(names, io);
  } catch (err) {
    if (err instanceof InputReadError) {
      io.stderr.write(`distill-intel upgrade: ${err.message}\n`);
      return EXIT.failure;
    }
    throw err;
  }

  let problems = 0;
  const report = (input: string, d: ParseDiagnostic): void => {
    if (d.severity === 'error') problems++;
    io.stderr.write(`${formatFindingLocation(d, input)}: ${d.severity} ${d.code}: ${d.message}\n`);
  };
  /** Reports findings about one value read from `text` (a document, or one NDJSON line starting at `line`). */
  const reportIn = (input: string, source: JsonValueText, found: readonly ParseDiagnostic[]): void => {
    const at = locatePointers(source.text, found.filter((d) => d.line === undefined).map((d) => d.path), source.line - 1);
    for (const d of found) {
      const p = d.line === undefined ? at.get(d.path) : undefined;
      report(input, p === undefined ? d : { ...d, line: p.line, column: p.column });
    }
  };

  const objects: Array<Record<string, unknown>> = [];
  const bundleIds: string[] = [];
  let upgraded = 0;
  for (const { name, text } of texts) {
    const values = readJsonValues(text);
    if (values.error !== undefined) {
      report(name, values.error);
      continue;
    }
    for (const entry of values.values) {
      const result = upgrade(entry.value);
      reportIn(name, entry, result.diagnostics);
      if (result.bundleId !== undefined) bundleIds.push(result.bundleId);
      upgraded += result.upgraded;
      objects.push(...result.objects);
    }
  }

  let output = '';
  if (format === 'ndjson') {
    for (const o of objects) output += JSON.stringify(o) + '\n';
  } else if (objects.length > 0) {
    const id = bundleIds.length === 1 && texts.length === 1 ? (bundleIds[0] as string) : newIdentifier('bundle');
    output = JSON.stringify({ type: 'bundle', id, objects }, null, 2) + '\n';
  }
  // The output must stand as STIX 2.1 on its own: judge the text written exactly as `validate` would.
  if (output !== '') for (const d of parse(output, { positions: true }).diagnostics) if (d.severity === 'error') report('output', d);

  const sink = openOutput(io, parsed.values.out);
  try {
    await sink.write(output);
    await sink.close();
  } catch (err) {
    sink.abort();
    io.stderr.write(`distill-intel upgrade: cannot write output: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  io.stderr.write(`${objects.length} objects written, ${upgraded} upgraded from STIX 2.0: ${problems} error${problems === 1 ? '' : 's'}\n`);
  return problems > 0 ? EXIT.findings : EXIT.ok;
}

/** A value read from the input, with its text and the line that text starts on (to place findings). */
interface JsonValueText {
  readonly value: unknown;
  readonly text: string;
  readonly line: number;
}

/** One JSON document, or NDJSON records; the first syntax error otherwise. */
function readJsonValues(text: string): { values: JsonValueText[]; error?: ParseDiagnostic } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const whole = parseJsonText(body);
  if (whole.ok) return { values: [{ value: whole.value, text: body, line: 1 }] };
  const lines = body.split('\n');
  const values: JsonValueText[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    // Findings of an NDJSON line point into that line's object: the pointer carries no record number.
    const record = parseJsonText(line, '', i);
    if (!record.ok) {
      const fallback: ParseDiagnostic = { code: 'json-syntax', severity: 'error', path: '', message: 'not JSON' };
      return { values: [], error: (i === 0 || values.length === 0 ? whole.diagnostic : record.diagnostic) ?? fallback };
    }
    values.push({ value: record.value, text: line, line: i + 1 });
  }
  return { values };
}

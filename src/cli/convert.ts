import { createReadStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { formatLocation } from '../stix/location.js';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CONVERT_FORMATS, Converter } from '../convert/converter.js';
import type { ConvertFormat, ConvertIssue, ConverterOptions } from '../convert/converter.js';
import { ConvertOptionsError } from '../convert/errors.js';
import { readStixObjects } from '../convert/stix-stream.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { IssueTally, issueFormatFor, issueOutput, reasonsLine, summaryLine } from './convert-summary.js';
import type { IssueOutput } from './convert-summary.js';
import { openOutput } from './output-sink.js';
import { Progress } from './progress.js';

/** `distill-intel convert --help`. */
export const CONVERT_HELP = `Usage: distill-intel convert --to <format> [options] <files...|->

Converts STIX 2.1 content to what SIEMs and firewalls ingest. Reads files or standard input ("-", the default):
single objects, bundles, TAXII envelopes, JSON arrays or NDJSON, of any size (one object in memory at a time).

Indicators with simple STIX patterns (single comparisons, IN sets and OR chains over ipv4-addr, ipv6-addr,
domain-name, url, email-addr, file hashes, autonomous-system, ai-service-account and prompt-fingerprint) become one
row per value. Patterns that cannot be flattened (AND, FOLLOWEDBY, qualifiers, other pattern types) are counted in
the summary by reason and named with --verbose, never dropped silently. Every exported value is checked for its type
(IPv4/IPv6 address or CIDR, domain name, URL, email address, AS number, hash length and alphabet): defanged values
(59.188.12[.]123, hxxp://...) and malformed ones are reported (value-defanged, value-malformed) and never exported.

Formats (--to):
  ecs        Elastic ECS threat.indicator documents, NDJSON (with --bulk-index: _bulk request body)
  sentinel   Microsoft Sentinel upload-API request bodies {sourcesystem, stixobjects}, one per line
  splunk     Splunk ES threat-intel KV rows (ip_intel, http_intel, email_intel, file_intel, user_intel), NDJSON
  csv        one row per value with every column (RFC 4180, header line)
  values     one value a line, for firewall lists and reference sets (active values only)
  rows       the normalised rows as NDJSON
  ndjson     the STIX objects themselves, one a line

Options:
  --to <format>            output format (required)
  --out <file>             write to a file (made visible only when complete) instead of stdout
  --now <timestamp>        judge valid_until/valid_from against this instant instead of the clock
  --source <name>          set the "source" of every row (default: the creator identity's name, or its id)
  --refang                 restore defanged values ([.] (.) [dot] -> ".", [:] -> ":", [@] [at] -> "@",
                           hxxp/hxxps/fxp -> http/https/ftp) and export them if they then check out; row formats
                           only (sentinel holds back indicators with defanged values either way). Off by default.
  ecs:
  --feed-name <name>       threat.feed.name (default distill-intel)
  --bulk-index <index>     write an Elasticsearch _bulk body for this index: "index" actions for active values,
                           "delete" actions for revoked/expired ones (same _id), so re-sending converges
  sentinel:
  --source-system <name>   sourcesystem of every request (default distill-intel)
  --batch-size <n>         objects per request, 1-100 (default 100, the API's per-request cap)
  --types <t1,t2>          object types to send (default indicator,attack-pattern,threat-actor,identity,relationship)
  csv:
  --columns <c1,c2>        columns to write, in order (default all)
  --no-header              no header line
  --no-formula-guard       do not prefix cells starting with = + - @ with '
  values:
  --list <name[,name]>     lists to write: ipv4-addr, ipv6-addr, ip (both), domain-name, url, email-addr,
                           autonomous-system, file.hashes.SHA-256 (any algorithm), ai-service-account.<property>,
                           prompt-fingerprint.<property>, or all
  --out-dir <dir>          write every list to <dir>/<list>.txt instead (all lists unless --list is given); the
                           lists named by --list (or, without it, the ipv4-addr, ipv6-addr, domain-name, url,
                           email-addr and autonomous-system lists) are written even when empty, each replaced whole
  --unique                 write each value once per list (memory grows with the number of distinct values)
  reporting:
  --verbose                one line per pattern that could not be flattened, and what was left out by reason
  --issues text|json|none  report patterns that could not be flattened one by one on stderr, as text or JSON lines
                           (default: only input that is not JSON, or text with --verbose)
  --fail-on-issues         exit 1 when any pattern could not be flattened
  --progress / --no-progress  force the progress line on or off (default: on when stderr is a terminal)
  -h, --help               show this help

stderr ends with one summary line, e.g. "convert: 1,234 objects read, 1,180 documents written to ecs.ndjson,
54 skipped (3 reasons; --verbose for details)". Exit codes: 0 done, 1 some input was not JSON (or --fail-on-issues
and issues), 2 usage error, 3 a file could not be read or written.
`;

interface ConvertArgs {
  readonly names: string[];
  readonly out: string | undefined;
  readonly outDir: string | undefined;
  readonly unique: boolean;
  readonly issues: IssueOutput;
  readonly verbose: boolean;
  readonly failOnIssues: boolean;
  readonly progress: boolean | undefined;
  readonly options: Omit<ConverterOptions, 'onIssue' | 'onValue'>;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseConvertArgs(argv: string[]): ConvertArgs {
  const parsed = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      source: { type: 'string' },
      refang: { type: 'boolean', default: false },
      'feed-name': { type: 'string' },
      'bulk-index': { type: 'string' },
      'source-system': { type: 'string' },
      'batch-size': { type: 'string' },
      types: { type: 'string' },
      columns: { type: 'string' },
      'no-header': { type: 'boolean', default: false },
      'no-formula-guard': { type: 'boolean', default: false },
      list: { type: 'string' },
      'out-dir': { type: 'string' },
      unique: { type: 'boolean', default: false },
      issues: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'fail-on-issues': { type: 'boolean', default: false },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
    },
  });
  const v = parsed.values;
  if (v.to === undefined) throw new UsageError(`--to is required (${CONVERT_FORMATS.join(', ')})`);
  if (!(CONVERT_FORMATS as readonly string[]).includes(v.to)) {
    throw new UsageError(`--to must be one of ${CONVERT_FORMATS.join(', ')}, not '${v.to}'`);
  }
  const to = v.to as ConvertFormat;
  const verbose = v.verbose === true;
  const issues = issueOutput(v.issues, verbose);
  if (issues === undefined) throw new UsageError(`--issues must be text, json or none, not '${v.issues ?? ''}'`);
  const options: Record<string, unknown> = { to };
  if (v.now !== undefined) {
    const ms = Date.parse(v.now);
    if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(v.now)) throw new UsageError(`--now must be an RFC 3339 timestamp, not '${v.now}'`);
    options['now'] = new Date(ms);
  }
  if (v.source !== undefined) options['source'] = v.source;
  if (v.refang === true) options['refang'] = true;
  if (v['feed-name'] !== undefined) options['feedName'] = v['feed-name'];
  if (v['bulk-index'] !== undefined) options['bulkIndex'] = v['bulk-index'];
  if (v['source-system'] !== undefined) options['sourceSystem'] = v['source-system'];
  if (v['batch-size'] !== undefined) {
    const n = Number(v['batch-size']);
    if (!/^\d+$/.test(v['batch-size']) || n < 1 || n > 100) throw new UsageError('--batch-size must be an integer from 1 to 100 (the Sentinel upload API caps requests at 100 objects)');
    options['batchSize'] = n;
  }
  const types = list(v.types);
  if (types !== undefined) options['types'] = types;
  const columns = list(v.columns);
  if (columns !== undefined) options['columns'] = columns;
  if (v['no-header'] === true) options['header'] = false;
  if (v['no-formula-guard'] === true) options['guardFormulas'] = false;
  const lists = list(v.list);
  if (lists !== undefined) options['lists'] = lists;
  const outDir = v['out-dir'];
  if (to === 'values' && lists === undefined && outDir === undefined) {
    throw new UsageError('--to values needs --list <name> (one list on stdout or --out) or --out-dir <dir> (one file per list)');
  }
  if (outDir !== undefined && to !== 'values') throw new UsageError('--out-dir is for --to values');
  if (outDir !== undefined && v.out !== undefined) throw new UsageError('--out and --out-dir cannot be used together');
  const onlyFor: Array<[string, boolean, ConvertFormat[]]> = [
    ['--feed-name', v['feed-name'] !== undefined, ['ecs']],
    ['--bulk-index', v['bulk-index'] !== undefined, ['ecs']],
    ['--source-system', v['source-system'] !== undefined, ['sentinel']],
    ['--batch-size', v['batch-size'] !== undefined, ['sentinel']],
    ['--types', v.types !== undefined, ['sentinel']],
    ['--columns', v.columns !== undefined, ['csv']],
    ['--no-header', v['no-header'] === true, ['csv']],
    ['--list', v.list !== undefined, ['values']],
    ['--unique', v.unique === true, ['values']],
  ];
  for (const [flag, given, formats] of onlyFor) {
    if (given && !formats.includes(to)) throw new UsageError(`${flag} applies to --to ${formats.join('/')}, not --to ${to}`);
  }
  const progress = v['no-progress'] === true ? false : v.progress;
  return {
    names: parsed.positionals.length === 0 ? ['-'] : parsed.positionals,
    out: v.out,
    outDir,
    unique: v.unique === true,
    issues,
    verbose,
    failOnIssues: v['fail-on-issues'] === true,
    progress,
    options: options as unknown as ConverterOptions,
  };
}

/** Formats one issue for stderr. */
export function formatIssue(input: string, issue: ConvertIssue, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify({ input, ...issue }) + '\n';
  const where = formatLocation({ ...issue, input });
  const what = issue.stix_id === undefined ? '' : ` ${issue.stix_id}`;
  const fragment = issue.fragment === undefined ? '' : ` [${issue.fragment}]`;
  return `${where}:${what} ${issue.code}: ${issue.message}${fragment}\n`;
}

/** The lists always written by `--out-dir` without `--list`, empty or not, so a list emptied by revocations is emptied. */
const STANDARD_LISTS = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'autonomous-system'];

/** The list files a `--list` selection names (`ip` is both address lists; `all` names none in particular). */
export function listFilesFor(selectors: readonly string[] | undefined): string[] {
  if (selectors === undefined) return STANDARD_LISTS;
  const out = new Set<string>();
  for (const s of selectors) {
    if (s === 'ip') {
      out.add('ipv4-addr');
      out.add('ipv6-addr');
    } else if (s === 'all') {
      for (const l of STANDARD_LISTS) out.add(l);
    } else {
      out.add(s);
    }
  }
  return [...out];
}

/**
 * Writes `--out-dir` value lists, one file per list. Each is written under a temporary name and renamed into place
 * when the run completes, so a firewall polling the folder never reads half a list, and a failed run leaves the
 * previous lists as they were. The lists named by the selection are always written, empty or not: a list whose
 * values were all revoked must become empty, not keep yesterday's values.
 */
class ListFiles {
  private readonly files = new Map<string, { handle: FileHandle; temp: string }>();
  private readonly seen = new Map<string, Set<string>>();
  private pending: Array<[string, string]> = [];

  constructor(
    private readonly dir: string,
    private readonly unique: boolean,
    private readonly always: readonly string[],
  ) {}

  add(listName: string, value: string): void {
    if (this.unique) {
      let set = this.seen.get(listName);
      if (set === undefined) this.seen.set(listName, (set = new Set()));
      if (set.has(value)) return;
      set.add(value);
    }
    this.pending.push([listName, value]);
  }

  private async file(name: string): Promise<FileHandle> {
    let f = this.files.get(name);
    if (f === undefined) {
      const temp = resolve(this.dir, `.${name}.txt.${process.pid}.tmp`);
      f = { handle: await open(temp, 'w'), temp };
      this.files.set(name, f);
    }
    return f.handle;
  }

  /** Writes what was added since the last flush. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const byList = new Map<string, string>();
    for (const [name, value] of batch) byList.set(name, (byList.get(name) ?? '') + value + '\n');
    for (const [name, text] of byList) await (await this.file(name)).write(text);
  }

  /** Completes every list and renames it into place; returns the list names written. */
  async close(): Promise<string[]> {
    await this.flush();
    for (const name of this.always) await this.file(name);
    for (const [name, f] of this.files) {
      await f.handle.sync();
      await f.handle.close();
      renameSync(f.temp, resolve(this.dir, `${name}.txt`));
    }
    return [...this.files.keys()].sort();
  }

  /** Removes the temporary files of a failed run. */
  async abort(): Promise<void> {
    for (const f of this.files.values()) {
      await f.handle.close().catch(() => undefined);
      rmSync(f.temp, { force: true });
    }
  }
}

/** Runs `distill-intel convert`. */
export async function runConvert(argv: string[], io: CliIo): Promise<number> {
  const args = parseConvertArgs(argv);
  const issueFormat = args.issues;
  let currentInput = '-';
  const lists = args.outDir === undefined ? undefined : new ListFiles(resolve(io.cwd, args.outDir), args.unique, listFilesFor(args.options.lists));
  const seen = args.outDir === undefined && args.unique ? new Set<string>() : undefined;
  const progress = new Progress(io.stderr, 'objects', args.progress === undefined ? {} : args.progress ? { force: true } : { disabled: true });
  const tally = new IssueTally();

  let converter: Converter;
  try {
    converter = new Converter({
      ...args.options,
      onIssue: (issue) => {
        tally.add(issue);
        const format = issueFormatFor(issue, issueFormat);
        if (format === undefined) return;
        progress.clear();
        io.stderr.write(formatIssue(currentInput, issue, format));
      },
      ...(lists === undefined ? {} : { onValue: (list: string, value: string) => lists.add(list, value) }),
    });
  } catch (err) {
    if (err instanceof ConvertOptionsError) throw new UsageError(err.message);
    throw err;
  }

  // Check every named file before writing anything, so a typo does not leave a half-made output.
  let totalBytes = 0;
  for (const name of args.names) {
    if (name === '-') continue;
    try {
      const st = statSync(resolve(io.cwd, name));
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      totalBytes += st.size;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr.write(`distill-intel convert: ${name}: cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(err)}\n`);
      return EXIT.failure;
    }
  }
  const knownTotal = !args.names.includes('-');

  let sink;
  try {
    if (args.outDir !== undefined) mkdirSync(resolve(io.cwd, args.outDir), { recursive: true });
    sink = lists === undefined ? openOutput(io, args.out) : undefined;
  } catch (err) {
    io.stderr.write(`distill-intel convert: cannot write output: ${(err as Error).message}\n`);
    return EXIT.failure;
  }

  let bytesDone = 0;
  let destination = args.out ?? 'stdout';
  const CHUNK = 64 * 1024;
  try {
    let buffer = converter.begin();
    for (const name of args.names) {
      currentInput = name;
      const stream = name === '-' ? io.stdin : createReadStream(resolve(io.cwd, name));
      const counted = (async function* () {
        for await (const chunk of stream as AsyncIterable<string | Buffer>) {
          bytesDone += chunk.length;
          yield chunk;
        }
      })();
      for await (const record of readStixObjects(counted)) {
        let text = converter.writeRecord(record);
        if (seen !== undefined && text !== '') {
          // --unique on one stream: values are one per line.
          text = text
            .split('\n')
            .filter((v) => v !== '' && !seen.has(v) && (seen.add(v), true))
            .map((v) => v + '\n')
            .join('');
        }
        buffer += text;
        if (buffer.length >= CHUNK) {
          await sink?.write(buffer);
          buffer = '';
          await lists?.flush();
        }
        const s = converter.summary;
        progress.update({
          count: s.objects,
          ...(knownTotal ? { done: bytesDone, total: totalBytes } : {}),
          extra: { rows: s.rows, issues: s.issues },
        });
      }
    }
    buffer += converter.end();
    await sink?.write(buffer);
    await sink?.close();
    const written = await lists?.close();
    progress.clear();
    if (written !== undefined) destination = `${args.outDir ?? ''}/ (${written.length === 0 ? 'no lists' : written.map((n) => `${n}.txt`).join(', ')})`;
  } catch (err) {
    progress.clear();
    sink?.abort();
    await lists?.abort();
    io.stderr.write(`distill-intel convert: ${currentInput}: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  const s = converter.summary;
  if (args.verbose) io.stderr.write(reasonsLine(s, tally));
  io.stderr.write(summaryLine(s, { command: 'convert', to: args.options.to, destination, issues: tally, verbose: args.verbose }));
  if (s.unreadable > 0) return EXIT.findings;
  if (args.failOnIssues && s.issues > 0) return EXIT.findings;
  return EXIT.ok;
}

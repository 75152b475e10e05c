import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { seededIds } from '../distillation/deterministic-ids.js';
import { organizationIdentity } from '../distillation/identity.js';
import { formatLocation } from '../stix/location.js';
import type { Identity } from '../stix/types/index.js';
import type { BadLine } from '../telemetry/bad-lines.js';
import { parseFieldMap } from '../telemetry/field-map.js';
import { fileSource } from '../telemetry/telemetry-reader.js';
import type { TelemetryReaderOptions, TelemetrySource } from '../telemetry/telemetry-reader.js';
import { UsageError } from './io.js';
import type { CliIo } from './io.js';

/**
 * What the commands that read a lab's own telemetry share (`detect`, `match`): the lab's keys and identity, its API
 * host, the report and output files, and how the telemetry is read.
 */
export const LAB_OPTIONS = {
  key: { type: 'string' },
  'group-key': { type: 'string', multiple: true },
  identity: { type: 'string' },
  lab: { type: 'string' },
  provider: { type: 'string' },
  report: { type: 'string' },
  out: { type: 'string' },
  map: { type: 'string' },
  format: { type: 'string' },
} as const;

/** The lab's identity from `--identity <file>` or `--lab <name>` (an id derived from the name, stable across runs). */
export function labIdentity(values: { identity?: string | undefined; lab?: string | undefined }, io: CliIo, why: string): Identity {
  if (values.identity !== undefined && values.lab !== undefined) throw new UsageError('give --identity or --lab, not both');
  if (values.identity !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, values.identity), 'utf8');
    } catch (err) {
      throw new UsageError(`--identity ${values.identity}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch {
      throw new UsageError(`--identity ${values.identity}: not JSON`);
    }
    const obj = o as Record<string, unknown> | null;
    if (obj === null || typeof obj !== 'object' || obj['type'] !== 'identity' || typeof obj['id'] !== 'string') {
      throw new UsageError(`--identity ${values.identity}: expected a STIX identity object`);
    }
    return obj as unknown as Identity;
  }
  if (values.lab === undefined || values.lab.trim() === '') throw new UsageError(`--identity or --lab is required (${why})`);
  const id = seededIds('distill-intel/lab-identity')('identity', values.lab.trim());
  return organizationIdentity({ name: values.lab.trim() }, { id, created: '2026-01-01T00:00:00.000Z' });
}

/** Reader options from `--format` and `--map`. */
export function telemetryOptions(values: { map?: string | undefined; format?: string | undefined }, io: CliIo): TelemetryReaderOptions {
  const format = values.format ?? 'auto';
  if (format !== 'jsonl' && format !== 'otlp' && format !== 'auto') throw new UsageError('--format must be jsonl, otlp or auto');
  if (values.map === undefined) return { format };
  try {
    return { format, map: parseFieldMap(readFileSync(resolve(io.cwd, values.map), 'utf8'), values.map) };
  } catch (err) {
    throw new UsageError(`--map ${values.map}: ${(err as Error).message}`);
  }
}

/** The telemetry inputs named on the command line (standard input for `-` or none). */
export function telemetrySources(names: readonly string[], io: CliIo): TelemetrySource[] {
  return (names.length === 0 ? ['-'] : names).map((n) =>
    n === '-' ? { name: '-', bytes: io.stdin as AsyncIterable<Uint8Array | string> } : fileSource(resolve(io.cwd, n), n),
  );
}

/** Bad telemetry lines printed on stderr; the rest are counted (and kept in the report). */
const BAD_LINES_SHOWN = 20;

/** The first bad telemetry lines, each `input:line: reason`, then how many more there were. */
export function badLinesText(bad: readonly BadLine[], badCount: number): string {
  let out = '';
  for (const b of bad.slice(0, BAD_LINES_SHOWN)) out += `${formatLocation({ input: b.input, line: b.line })}: ${b.reason}\n`;
  if (badCount > BAD_LINES_SHOWN) out += `... ${badCount - BAD_LINES_SHOWN} more bad lines (all counted in the report)\n`;
  return out;
}

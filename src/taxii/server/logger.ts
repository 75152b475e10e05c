/** One structured log record. `msg` names the event; the rest are fields (no secrets, ever). */
export interface LogEntry {
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Minimal structured logger; pino, bunyan and console-like objects fit with a one-line wrapper. */
export interface ServerLogger {
  info(entry: LogEntry): void;
  warn(entry: LogEntry): void;
  error(entry: LogEntry): void;
}

/** A logger that drops everything (the default when none is configured). */
export const silentLogger: ServerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Writes one JSON object per line, with `time` (ISO 8601) and `level`, to `write`. */
export function jsonLineLogger(write: (line: string) => void): ServerLogger {
  // A busy server logs many requests within one millisecond: the ISO text is made once per millisecond.
  let lastMs = -1;
  let lastIso = '';
  const isoNow = (): string => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  };
  const emit = (level: string, entry: LogEntry): void => {
    // Every request writes one line: splicing the two leading fields into the entry's own JSON text spares copying
    // the entry into a new object. An entry that sets `time` or `level` itself takes the slower path (no duplicate keys).
    if ('time' in entry || 'level' in entry) {
      write(JSON.stringify({ time: isoNow(), level, ...entry }) + '\n');
      return;
    }
    write(`{"time":"${isoNow()}","level":"${level}",${JSON.stringify(entry).slice(1)}\n`);
  };
  return {
    info: (e) => emit('info', e),
    warn: (e) => emit('warn', e),
    error: (e) => emit('error', e),
  };
}

/** A line sink that batches; see {@link batchedWriter}. */
export interface BatchedWriter {
  /** Queues one line (written within this turn of the event loop, or at once past the batch size). */
  (line: string): void;
  /** Writes whatever is queued now (call before the process exits). */
  flush(): void;
}

/**
 * Gathers the lines written during one turn of the event loop and hands them to `write` as one chunk on
 * `setImmediate`, or at once when `maxBatchBytes` (default 64 KiB) pile up. Writes to stdout are synchronous system
 * calls when it is a file or a pipe, so one per request would put a syscall on every request's path; batched, a busy
 * server pays one per turn of the loop.
 */
export function batchedWriter(write: (chunk: string) => void, maxBatchBytes = 64 * 1024): BatchedWriter {
  let lines: string[] = [];
  let bytes = 0;
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (lines.length === 0) return;
    const chunk = lines.length === 1 ? (lines[0] as string) : lines.join('');
    lines = [];
    bytes = 0;
    write(chunk);
  };
  const queue = (line: string): void => {
    lines.push(line);
    bytes += line.length;
    if (bytes >= maxBatchBytes) flush();
    else scheduled ??= setImmediate(flush);
  };
  return Object.assign(queue, { flush });
}

import { describe, expect, it } from '@jest/globals';
import { batchedWriter, jsonLineLogger } from '../../../src/taxii/server/logger.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('batchedWriter', () => {
  it('writes the lines of one turn of the event loop as one chunk, in order, after the turn', async () => {
    const chunks: string[] = [];
    const write = batchedWriter((c) => chunks.push(c));
    const log = jsonLineLogger(write);
    log.info({ msg: 'request', n: 1 });
    log.info({ msg: 'request', n: 2 });
    write('raw\n');
    expect(chunks).toEqual([]);
    await tick();
    expect(chunks).toHaveLength(1);
    const lines = (chunks[0] as string).split('\n');
    expect(lines.slice(0, 2).map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([1, 2]);
    expect(lines.slice(2)).toEqual(['raw', '']);
  });

  it('writes at once past the batch size, and on flush', async () => {
    const chunks: string[] = [];
    const write = batchedWriter((c) => chunks.push(c), 10);
    write('12345\n');
    write('67890\n');
    expect(chunks).toEqual(['12345\n67890\n']);
    write('tail\n');
    write.flush();
    expect(chunks).toEqual(['12345\n67890\n', 'tail\n']);
    await tick();
    expect(chunks).toHaveLength(2);
  });
});

describe('jsonLineLogger', () => {
  it('writes one JSON object per line with time, level and the entry fields, first time then level', () => {
    const lines: string[] = [];
    const log = jsonLineLogger((l) => lines.push(l));
    const before = Date.now();
    log.warn({ msg: 'authentication failed', user: 'bob "the" builder', remote: null, n: 3 });
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['time', 'level', 'msg', 'user', 'remote', 'n']);
    expect(parsed).toMatchObject({ level: 'warn', msg: 'authentication failed', user: 'bob "the" builder', remote: null, n: 3 });
    expect(Date.parse(parsed['time'] as string)).toBeGreaterThanOrEqual(before - 1);
  });

  it('never writes a key twice when the entry carries its own time or level', () => {
    const lines: string[] = [];
    jsonLineLogger((l) => lines.push(l)).error({ msg: 'replayed', time: 'from-entry', level: 'custom' });
    const line = lines[0] as string;
    expect(line.match(/"time":/g)).toHaveLength(1);
    expect(line.match(/"level":/g)).toHaveLength(1);
    expect(JSON.parse(line)).toEqual({ time: 'from-entry', level: 'custom', msg: 'replayed' });
  });

  it('stamps each line with the time it is written, never a stale one (the text is reused only within one millisecond)', async () => {
    const lines: string[] = [];
    const log = jsonLineLogger((l) => lines.push(l));
    log.info({ msg: 'first' });
    const afterFirst = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const beforeSecond = Date.now();
    log.info({ msg: 'second' });
    const [first, second] = lines.map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
    expect(first).toBeLessThanOrEqual(afterFirst);
    expect(second).toBeGreaterThanOrEqual(beforeSecond);
  });
});

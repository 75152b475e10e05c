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

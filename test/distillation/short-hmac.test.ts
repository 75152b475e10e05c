import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ShortHmac } from '../../src/distillation/short-hmac.js';

const hex = (d: Int32Array) => Array.from(d, (w) => (w >>> 0).toString(16).padStart(8, '0')).join('');

describe('ShortHmac', () => {
  it('gives the RFC 4231 test case 2 value (key "Jefe")', () => {
    const h = new ShortHmac(Buffer.from('Jefe'));
    expect(hex(h.string('what do ya want for nothing?'))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('gives the RFC 4231 test case 6 value (a 131-byte key, hashed first)', () => {
    const h = new ShortHmac(Buffer.alloc(131, 0xaa));
    expect(hex(h.string('Test Using Larger Than Block-Size Key - Hash Key First'))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('agrees with node:crypto for messages around every padding boundary, repeated on one instance', () => {
    const key = Buffer.from('a 32-byte sub-key for the tests!');
    const h = new ShortHmac(key);
    for (let n = 0; n <= 200; n++) {
      const msg = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7 + n) % 26))).join('');
      expect({ n, mac: hex(h.string(msg)) }).toEqual({ n, mac: createHmac('sha256', key).update(msg, 'utf8').digest('hex') });
    }
  });

  it('encodes text as UTF-8 the way Buffer does, lone surrogates included', () => {
    const key = Buffer.from('k'.repeat(64));
    const h = new ShortHmac(key);
    for (const msg of ['é ü ß', '你好 世界', '😀 emoji 🚀', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d', '']) {
      expect({ msg, mac: hex(h.string(msg)) }).toEqual({ msg, mac: createHmac('sha256', key).update(msg, 'utf8').digest('hex') });
    }
  });

  it('hashes raw bytes written into its buffer', () => {
    const key = Buffer.from('band key');
    const h = new ShortHmac(key);
    const bytes = Buffer.from('07', 'ascii');
    const rows = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) & 0xff));
    const buf = h.reserve(34);
    buf.set(bytes, 0);
    buf.set(rows, 2);
    expect(hex(h.run(34))).toBe(createHmac('sha256', key).update(bytes).update(rows).digest('hex'));
  });
});

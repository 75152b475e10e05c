import { describe, expect, it } from '@jest/globals';
import { countText } from '../../src/cli/count-text.js';

describe('countText', () => {
  it('groups digits by three with commas, as en-US does', () => {
    expect([0, 7, 999, 1000, 45_835, 100_000, 1_234_567, -1234].map(countText)).toEqual(['0', '7', '999', '1,000', '45,835', '100,000', '1,234,567', '-1,234']);
  });

  it('agrees with toLocaleString for any whole count', () => {
    for (let n = 1; n < Number.MAX_SAFE_INTEGER / 7; n = n * 7 + 3) expect(countText(n)).toBe(n.toLocaleString('en-US'));
  });
});

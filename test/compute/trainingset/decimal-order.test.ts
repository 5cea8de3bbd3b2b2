/**
 * compareIntegerText against its oracle, JavaScript's own comparison of the two strings, on
 * integers of every length and sign, prefixes of each other, powers of ten and their neighbours,
 * and the safe-integer limits.
 */
import { describe, expect, it } from 'vitest';
import { compareIntegerText } from '../../../compute/trainingset/decimal-order';
import { mulberry32 } from '../crossmatch/sky';

function oracle(x: number, y: number): number {
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('compareIntegerText', () => {
  it('orders integers as their decimal strings compare', () => {
    const random = mulberry32(29);
    const values = [0, -0, 1, -1, 9, 10, 11, 99, 100, 101, 120, 12, 1200, 1201, 119];
    for (let k = 0; k <= 15; k++) {
      const p = 10 ** k;
      values.push(p, p - 1, p + 1, -p, -(p - 1), 2 * p, 12 * p);
    }
    values.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 - 10, 900719925474099);
    for (let i = 0; i < 3000; i++) {
      const digits = 1 + Math.floor(random() * 16);
      const v = Math.floor(random() * 10 ** digits);
      values.push(Math.min(v, Number.MAX_SAFE_INTEGER), -Math.min(v, Number.MAX_SAFE_INTEGER));
      // a number and its own prefix or extension
      values.push(Math.floor(v / 10), v * 10 <= Number.MAX_SAFE_INTEGER ? v * 10 + 3 : 7);
    }
    const safe = values.filter((v) => Number.isSafeInteger(v));
    let checked = 0;
    for (let i = 0; i < safe.length; i++) {
      for (const j of [i + 1, i + 2, i + 3, Math.floor(random() * safe.length)]) {
        const x = safe[i];
        const y = safe[j % safe.length];
        expect(compareIntegerText(x, y), `${x} vs ${y}`).toBe(oracle(x, y));
        expect(compareIntegerText(y, x), `${y} vs ${x}`).toBe(oracle(y, x));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40000);
  });

  it('gives null for what is not a safe integer (the caller compares strings)', () => {
    expect(compareIntegerText(1.5, 2)).toBeNull();
    expect(compareIntegerText(1, NaN)).toBeNull();
    expect(compareIntegerText(2 ** 53, 1)).toBeNull();
    expect(compareIntegerText(1, Infinity)).toBeNull();
  });
});

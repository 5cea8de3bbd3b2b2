import { describe, expect, it } from 'vitest';
import { Utf8, vectorFromArray } from 'apache-arrow';
import { convertText, inferTextType, parseFloatText } from '../../../compute/io/text-types';

/** parseFloatText as it was before its Number() shortcut: the regular expressions only. */
function byPatterns(text: string | null | undefined): number {
  if (text === null || text === undefined) return NaN;
  const t = text.trim();
  if (t === '') return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/.test(t)) return Number(t.replace(/[dD]/, 'e'));
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) {
    return /nan/i.test(t) ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  }
  return NaN;
}

describe('parseFloatText', () => {
  it('reads every text as the numpy-like patterns do (Number() is only a shortcut)', () => {
    const texts = [
      ...['', ' ', '\t', '\u00a0', '0', '-0', '+0', '0.0', '00', '0e5', '.0', '-.0'],
      ...['1', '-2', '+3', '3.5', '.5', '5.', '-.5', '+.5', '1e3', '1E-3', '1e+3', '2.5e-300'],
      ...['1D2', '1d-2', '-1.5D+2', '1e', 'e5', '.', '-', '+', '1.2.3', '1-2', '+-1', '1e5.5'],
      ...['0x10', '0X1f', '0b1', '0B1', '0o7', '0O7', '-0x10', '1_000', '1,5', '١٢', 'abc'],
      ...['nan', 'NaN', '-nan', 'inf', '-inf', '+Inf', 'Infinity', '-Infinity', '+Infinity'],
      ...['infinity', 'INFINITY', 'Infinit', ' 12 ', '12\n', '\n12', '12\r', '\u00a012\u00a0'],
      ...['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '69.82681980926128'],
      ...['22.748461595605363', '-39.997434221315004', '0.0022619776', '007', '0.5e3', '5e-324'],
      null,
      undefined,
    ];
    for (const t of texts)
      expect(Object.is(parseFloatText(t), byPatterns(t)), String(t)).toBe(true);
    // numbers as the writers print them, and random strings of number characters
    let seed = 3;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const chars = '0123456789.eEdD+- x';
    for (let i = 0; i < 20_000; i++) {
      const v = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      const printed = [String(v), v.toPrecision(7), v.toExponential(3), String(Math.fround(v))];
      const made = Array.from(
        { length: 1 + Math.floor(random() * 6) },
        () => chars[Math.floor(random() * chars.length)],
      ).join('');
      for (const t of [...printed, made]) {
        expect(Object.is(parseFloatText(t), byPatterns(t)), t).toBe(true);
      }
    }
  });
});

describe('whole numbers beyond int64', () => {
  it('make a column text, and are no value of an int64 column (they wrapped around)', () => {
    expect(inferTextType(['1', '9223372036854775807', '-9223372036854775808'])).toBe('int64');
    expect(inferTextType(['1', '9223372036854775808'])).toBe('string');
    expect(inferTextType(['18446744073709551615', '', '-9223372036854775809'])).toBe('string');
    expect(inferTextType(['1', '18446744073709551615', '2.5'])).toBe('float64');
    const bad: number[] = [];
    const texts = ['1', '18446744073709551615', '-9223372036854775809', '-9223372036854775808'];
    const ints = convertText(vectorFromArray(texts, new Utf8()), 'int64', bad);
    expect([...ints]).toEqual([1n, null, null, -9223372036854775808n]);
    expect(bad).toEqual([1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ang2pixNest,
  ang2pixNestBatch,
  ang2pixNestNumber,
  ang2pixNestNumberBatch,
  degradeBatch,
  pixelAtOrder,
  pixelAtOrderNumber,
  pixel29ToOrder,
  pixelRange29,
} from '../../../compute/healpix';
import { randomPoints, seededRandom } from './random';

describe('ang2pixNest', () => {
  it('gives the hats test vector (small_sky id 707)', () => {
    // hats-lsdb.md §1.5: ra 308.5, dec -69.5 -> _healpix_29 = 3187422220182231470 (>> 58 = 11).
    const h = ang2pixNest(29, 308.5, -69.5);
    expect(h).toBe(3187422220182231470n);
    expect(h >> 58n).toBe(11n);
    expect(ang2pixNestBatch(29, [308.5], [-69.5])[0]).toBe(3187422220182231470n);
  });

  it('gives the legacy hipscat order-19 pixel', () => {
    // hats-lsdb.md §1.5: _hipscat_index 12749688880727326720 >> 22 = 3039762706930.
    expect(ang2pixNest(19, 308.5, -69.5)).toBe(3039762706930n);
    expect(ang2pixNestNumber(19, 308.5, -69.5)).toBe(3039762706930);
    expect(12749688880727326720n >> 22n).toBe(3039762706930n);
  });

  it('knows the base faces at order 0', () => {
    // Face centres: north 0..3 at lon 45+90f, dec ~41.8; equatorial 4..7 at lon 90(f-4);
    // south 8..11 at lon 45+90(f-8), dec ~-41.8 (Górski et al. 2005, fig. 3).
    for (let f = 0; f < 4; f++) {
      expect(ang2pixNestNumber(0, 45 + 90 * f, 41.8)).toBe(f);
      expect(ang2pixNestNumber(0, 90 * f, 0)).toBe(4 + f);
      expect(ang2pixNestNumber(0, 45 + 90 * f, -41.8)).toBe(8 + f);
    }
    expect(ang2pixNestNumber(0, 10, 90)).toBeLessThan(4);
    expect(ang2pixNestNumber(0, 10, -90)).toBeGreaterThanOrEqual(8);
  });

  it('wraps RA into [0, 360)', () => {
    expect(ang2pixNest(29, -51.5, -69.5)).toBe(ang2pixNest(29, 308.5, -69.5));
    expect(ang2pixNest(29, 668.5, -69.5)).toBe(ang2pixNest(29, 308.5, -69.5));
    expect(ang2pixNest(29, 360, 10)).toBe(ang2pixNest(29, 0, 10));
  });

  it('rejects invalid positions and orders', () => {
    expect(() => ang2pixNest(29, 10, 91)).toThrow(RangeError);
    expect(() => ang2pixNest(29, Number.NaN, 0)).toThrow(RangeError);
    expect(() => ang2pixNest(30, 10, 0)).toThrow(RangeError);
    expect(() => ang2pixNestNumber(25, 10, 0)).toThrow(RangeError);
    expect(() => ang2pixNestBatch(29, [1, 2], [0, 95])).toThrow(/row 1/);
  });

  it('order k equals order 29 >> 2(29-k), scalar and batch, for random points', () => {
    const { ra, dec } = randomPoints(seededRandom(1), 2000);
    const h29 = ang2pixNestBatch(29, ra, dec);
    const bad: string[] = [];
    let checked = 0;
    const check = (what: string, got: bigint | number, want: bigint | number): void => {
      checked++;
      if (got !== want && bad.length < 10) bad.push(`${what}: ${got} != ${want}`);
    };
    for (let k = 0; k <= 29; k++) {
      const hk = ang2pixNestBatch(k, ra, dec);
      const deg = k <= 24 ? degradeBatch(h29, k) : undefined;
      const nums = k <= 24 ? ang2pixNestNumberBatch(k, ra, dec) : undefined;
      for (let i = 0; i < ra.length; i++) {
        const expected = h29[i] >> BigInt(2 * (29 - k));
        check(`batch k=${k} i=${i}`, hk[i], expected);
        check(`pixelAtOrder k=${k} i=${i}`, pixelAtOrder(h29[i], 29, k), expected);
        if (i < 50) check(`scalar k=${k} i=${i}`, ang2pixNest(k, ra[i], dec[i]), expected);
        if (deg) {
          check(`degradeBatch k=${k} i=${i}`, deg[i], Number(expected));
          check(`pixel29ToOrder k=${k} i=${i}`, pixel29ToOrder(h29[i], k), Number(expected));
          check(`numberBatch k=${k} i=${i}`, nums![i], Number(expected));
        }
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(250_000);
  });

  it('batch writes into a given BigInt64Array', () => {
    const out = new BigInt64Array(3);
    const res = ang2pixNestBatch(29, [308.5, 0, 180], [-69.5, 0, 89.9], out);
    expect(res).toBe(out);
    expect(out[0]).toBe(3187422220182231470n);
    expect(out[1]).toBe(ang2pixNest(29, 0, 0));
    expect(out[2]).toBe(ang2pixNest(29, 180, 89.9));
  });
});

describe('pixel ranges and degrading', () => {
  it('pixelRange29 is [p 4^(29-k), (p+1) 4^(29-k))', () => {
    expect(pixelRange29(0, 11)).toEqual([11n << 58n, 12n << 58n]);
    expect(pixelRange29(1, 44)).toEqual([44n << 56n, 45n << 56n]);
    expect(pixelRange29(29, 5)).toEqual([5n, 6n]);
    const h = 3187422220182231470n;
    const [s, e] = pixelRange29(19, 3039762706930);
    expect(h >= s && h < e).toBe(true);
    expect(() => pixelRange29(1, 48)).toThrow(RangeError);
  });

  it('pixelAtOrderNumber degrades and upgrades', () => {
    expect(pixelAtOrderNumber(3039762706930, 19, 0)).toBe(11);
    expect(pixelAtOrderNumber(44, 1, 0)).toBe(11);
    expect(pixelAtOrderNumber(11, 0, 1)).toBe(44);
    expect(pixelAtOrder(11n, 0, 29)).toBe(11n << 58n);
  });
});

import { describe, expect, it } from 'vitest';
import {
  margin2order,
  mindistArcmin,
  order2resolutionArcsec,
  resolDeg,
} from '../../../compute/healpix';

describe('resolution helpers (hats healpix_shim.py)', () => {
  it('threshold -> margin order pairs of hats-lsdb.md §2', () => {
    const pairs: [number, number][] = [
      [1, 17],
      [5, 14],
      [10, 13],
      [36, 11],
      [180, 9],
      [300, 8],
      [3600, 5],
      [7200, 4],
    ];
    for (const [arcsec, order] of pairs) expect(margin2order(arcsec / 60)).toBe(order);
  });

  it('thresholds written for a margin order map back to it (numpy floor(log2) agrees)', () => {
    // hats.properties of the LSDB fixtures; numpy 2 gives 4, 5, 7, 8 for these too.
    expect(margin2order(8245.167388361773 / 60)).toBe(4);
    expect(margin2order(4122.583694180886 / 60)).toBe(5);
    expect(margin2order(1030.6459235452216 / 60)).toBe(7);
    expect(margin2order(515.3229617726108 / 60)).toBe(8);
  });

  it('mindist gives the margin thresholds hats-import writes (hats.properties)', () => {
    expect(mindistArcmin(4) * 60).toBeCloseTo(8245.167388361773, 8);
    expect(mindistArcmin(7) * 60).toBeCloseTo(1030.6459235452216, 9);
    expect(mindistArcmin(8) * 60).toBeCloseTo(515.3229617726108, 9);
  });

  it('hats-import margin_cache.rst table of mindist per order', () => {
    const table: [number, number][] = [
      [10, 2.15 * 60],
      [11, 1.07 * 60],
      [12, 32.21],
      [13, 16.1],
      [14, 8.05],
      [15, 4.03],
      [16, 2.01],
      [17, 1.01],
      [18, 0.5],
    ];
    for (const [order, arcsec] of table) {
      expect(Math.abs(mindistArcmin(order) * 60 - arcsec)).toBeLessThan(0.6);
      expect(Math.abs(mindistArcmin(order) * 60 - arcsec) / arcsec).toBeLessThan(0.01);
    }
  });

  it('resol is sqrt of the mean pixel area', () => {
    expect(resolDeg(0)).toBeCloseTo(58.6323, 4); // healpy nside2resol(1, arcmin=True) / 60
    expect(order2resolutionArcsec(29)).toBeCloseTo(0.000393, 6);
    expect(() => margin2order(0)).toThrow(RangeError);
  });
});

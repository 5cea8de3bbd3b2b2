import { describe, expect, it } from 'vitest';
import {
  countEbvValues,
  ebvValuesWarning,
  emptyEbvCounts,
} from '../../../compute/photometry/ebv-values';

const info = { name: 'map.fits', files: ['/maps/map.fits'] };

describe('E(B-V) values a map should not give', () => {
  it('counts NaN and negative values apart, leaving out rows not valid (unmatched)', () => {
    const counts = countEbvValues(
      emptyEbvCounts(),
      [0.1, Number.NaN, -0.2, 0, -0, Number.NaN, -1],
      (i) => i !== 6,
    );
    expect(counts).toEqual({ positions: 6, nan: 2, negative: 1 });
    // counted over several tables
    countEbvValues(counts, [Number.NaN, 2]);
    expect(counts).toEqual({ positions: 8, nan: 3, negative: 1 });
  });

  it('says both, naming the map and its file, with the counts', () => {
    expect(ebvValuesWarning(info, { positions: 1234, nan: 1200, negative: 4 })).toBe(
      "the dust map 'map.fits' (/maps/map.fits) gave no value (NaN) at 1,200 and a negative E(B-V) at 4 of 1,234 matched positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes); a negative E(B-V) makes dereddened magnitudes fainter than the observed ones. Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.",
    );
  });

  it('says nothing for values of 0 or more', () => {
    expect(ebvValuesWarning(info, countEbvValues(emptyEbvCounts(), [0, 0.5, 3]))).toBeNull();
  });
});

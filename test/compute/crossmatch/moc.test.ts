/**
 * loadMoc of a spec-z file of a million rows scattered over the sky: its order-10 cells (as
 * lsdb's MOC.from_lonlat(max_norder=10)) number far more than the 200,000 kept, and are degraded
 * to their ancestors. The deepest order was found with Math.max(...cells), which overflowed the
 * call stack above ~120,000 cells, so `tsm run --specz` of such a file failed with "internal
 * error: Maximum call stack size exceeded".
 */
import { describe, expect, it } from 'vitest';
import { loadMoc } from '../../../compute/crossmatch/moc';
import type { Pixel, PixelCatalog } from '../../../compute/hats/types';

/** A catalog offering its own MOC, as the in-memory spec-z catalog of a run does. */
function withMoc(cells: Pixel[]): PixelCatalog {
  return { moc: () => cells } as unknown as PixelCatalog;
}

describe('loadMoc', () => {
  it('degrades 300,000 order-10 cells to their 75,000 order-9 parents', async () => {
    const cells = Array.from({ length: 300_000 }, (_, pixel) => ({ order: 10, pixel }));
    const moc = await loadMoc(withMoc(cells));
    expect(moc).toHaveLength(75_000);
    expect(moc!.every((p, i) => p.order === 9 && p.pixel === i)).toBe(true);
  });

  it('keeps a MOC of 150,000 cells at most as it is', async () => {
    const cells = Array.from({ length: 150_000 }, (_, i) => ({ order: 10, pixel: 2 * i }));
    const moc = await loadMoc(withMoc(cells));
    expect(moc).toEqual(cells);
  });
});

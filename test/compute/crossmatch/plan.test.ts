/**
 * widenMoc of a MOC of more than ~120,000 cells (a spec-z file of a million rows keeps up to
 * 200,000): its deepest order was found with Math.max(...cells), which overflowed the call stack.
 */
import { describe, expect, it } from 'vitest';
import { widenMoc } from '../../../compute/crossmatch/plan';
import { marginPixels } from '../../../compute/healpix';

describe('widenMoc', () => {
  it('widens 150,000 order-10 cells by their neighbours at order 10', () => {
    // every 8th cell of base pixel 0 (order-10 cells 0..1,048,575): none touches another
    const cells = Array.from({ length: 150_000 }, (_, i) => ({ order: 10, pixel: 8 * i }));
    const wide = widenMoc(cells, 1);
    const keys = new Set(wide.map((p) => `${p.order}/${p.pixel}`));
    expect(wide.every((p) => p.order === 10)).toBe(true);
    for (const p of [cells[0], cells[74_999], cells[149_999]]) {
      expect(keys.has(`10/${p.pixel}`)).toBe(true);
      for (const n of marginPixels(10, p.pixel, 0)) expect(keys.has(`10/${n}`)).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  alignPixels,
  outerAlignedTree,
  PixelSet,
  sortPixels,
} from '../../../compute/crossmatch/align';
import type { Pixel } from '../../../compute/hats/types';
import { mulberry32 } from './sky';

const px = (order: number, pixel: number): Pixel => ({ order, pixel });

/** A random valid pixel tree: start from the 12 base pixels and split or drop at random. */
function randomTree(rand: () => number, maxOrder: number): Pixel[] {
  const out: Pixel[] = [];
  const visit = (p: Pixel) => {
    const r = rand();
    if (p.order < maxOrder && r < 0.45)
      for (let c = 0; c < 4; c++) visit(px(p.order + 1, 4 * p.pixel + c));
    else if (r < 0.8) out.push(p);
  };
  for (let f = 0; f < 12; f++) visit(px(0, f));
  return out;
}

/** The order-`k` cells under a pixel. */
function cells(p: Pixel, k: number): number[] {
  const s = p.pixel * 4 ** (k - p.order);
  return Array.from({ length: 4 ** (k - p.order) }, (_, i) => s + i);
}

describe('alignPixels (LSDB fixtures)', () => {
  const rightTree = outerAlignedTree(
    [px(1, 44), px(1, 45), px(1, 46)],
    [px(0, 4), px(0, 7), px(0, 8), px(1, 44), px(1, 45), px(1, 46), px(1, 47)],
  );

  it('outer-aligns small_sky_xmatch with its margin into the union of both trees', () => {
    expect(rightTree).toEqual([
      px(0, 4),
      px(0, 7),
      px(0, 8),
      px(1, 44),
      px(1, 45),
      px(1, 46),
      px(1, 47),
    ]);
  });

  it('aligns small_sky (0,11) with small_sky_xmatch: inner gives the right pixels, left adds (1,47)', () => {
    const right = [px(1, 44), px(1, 45), px(1, 46)];
    expect(alignPixels([px(0, 11)], right, 'inner')).toEqual(
      right.map((r) => ({ aligned: r, left: px(0, 11), right: r })),
    );
    expect(alignPixels([px(0, 11)], right, 'left').map((t) => [t.aligned, t.right])).toEqual([
      [px(1, 44), px(1, 44)],
      [px(1, 45), px(1, 45)],
      [px(1, 46), px(1, 46)],
      [px(1, 47), null],
    ]);
  });

  it('pairs small_sky_left_xmatch (2,66) with the margin-only pixel (0,4)', () => {
    const left = [px(1, 44), px(1, 45), px(1, 46), px(1, 47), px(2, 66)];
    const tasks = alignPixels(sortPixels(left), rightTree, 'inner');
    expect(tasks.map((t) => [t.aligned, t.left, t.right])).toEqual([
      [px(2, 66), px(2, 66), px(0, 4)],
      [px(1, 44), px(1, 44), px(1, 44)],
      [px(1, 45), px(1, 45), px(1, 45)],
      [px(1, 46), px(1, 46), px(1, 46)],
      [px(1, 47), px(1, 47), px(1, 47)],
    ]);
  });

  it('fills the uncovered part of a left pixel with the largest pixels (left join)', () => {
    const tasks = alignPixels([px(0, 0)], [px(2, 1)], 'left');
    expect(tasks.map((t) => [t.aligned, t.right])).toEqual([
      [px(2, 0), null],
      [px(2, 1), px(2, 1)],
      [px(2, 2), null],
      [px(2, 3), null],
      [px(1, 1), null],
      [px(1, 2), null],
      [px(1, 3), null],
    ]);
  });
});

describe('alignPixels (random trees against a cell-by-cell oracle)', () => {
  it('covers exactly the cells of both trees (inner) or of the left tree (left), once each', () => {
    const rand = mulberry32(21);
    for (let trial = 0; trial < 30; trial++) {
      const left = randomTree(rand, 3);
      const right = randomTree(rand, 3);
      const K = 3;
      const inLeft = new Map<number, Pixel>();
      const inRight = new Map<number, Pixel>();
      for (const p of left) for (const c of cells(p, K)) inLeft.set(c, p);
      for (const p of right) for (const c of cells(p, K)) inRight.set(c, p);
      for (const how of ['inner', 'left'] as const) {
        const tasks = alignPixels(sortPixels(left), sortPixels(right), how);
        const seen = new Map<number, { left: Pixel; right: Pixel | null }>();
        let prevKey = -1;
        for (const t of tasks) {
          const key = t.aligned.pixel * 4 ** (K - t.aligned.order);
          expect(key).toBeGreaterThan(prevKey); // sorted, disjoint
          prevKey = key;
          for (const c of cells(t.aligned, K)) {
            expect(seen.has(c)).toBe(false);
            seen.set(c, { left: t.left, right: t.right });
          }
        }
        for (let c = 0; c < 12 * 4 ** K; c++) {
          const want =
            inLeft.has(c) && (how === 'left' || inRight.has(c))
              ? { left: inLeft.get(c)!, right: inRight.get(c) ?? null }
              : undefined;
          expect(seen.get(c)).toEqual(want);
        }
      }
    }
  });
});

describe('PixelSet', () => {
  it('answers overlap queries across orders', () => {
    const set = new PixelSet([px(1, 44), px(3, 0), px(2, 5)]);
    expect(set.overlaps(px(0, 11))).toBe(true);
    expect(set.overlaps(px(2, 176))).toBe(true);
    expect(set.overlaps(px(1, 45))).toBe(false);
    expect(set.overlaps(px(0, 0))).toBe(true);
    expect(set.overlaps(px(2, 4))).toBe(false);
    expect(set.overlaps(px(4, 85))).toBe(true);
    expect(set.overlaps(px(4, 20))).toBe(false);
    expect(new PixelSet([]).overlaps(px(0, 1))).toBe(false);
  });
});

import { KdTree3 } from './kdtree';
import { NearCells } from './near-cells';

const DEG = Math.PI / 180;

/** Pairs found by {@link matchByLeftTree}: row indices and squared chord distances. */
export interface ChordPairs {
  leftIdx: Uint32Array;
  rightIdx: Uint32Array;
  chord2: Float64Array;
}

/**
 * The same k-nearest-within-radius match as a KD-tree on the right points queried from each left
 * point, computed the other way round for a small left side: a KD-tree on the left unit vectors,
 * one range query per right point, and per left row a buffer of its `k` best right rows in
 * (distance, right row) order. Every candidate pair is tested with the very same floating-point
 * expression ((right - left)² summed over x, y, z, and `(left - right)²` is bit-identical), the
 * tree only prunes pairs that cannot pass it, and the buffers keep the same order with the same
 * tie rule, so the output equals the right-tree path exactly (asserted by the randomized test in
 * test/compute/crossmatch/match-partition.test.ts).
 *
 * Right unit vectors are computed on the fly with the formula of `unitVectors`
 * (lsdb `_lon_lat_to_xyz`), so no array of 3 doubles per right row is allocated, and only for
 * right rows that a {@link NearCells} filter around the left rows cannot rule out.
 *
 * @param leftXyz left unit vectors, stride 3 (of `leftRaDeg`, `leftDecDeg`)
 * @param radiusArcsec the match radius (for the cell filter; `maxChord` is its chord)
 * @param k neighbours kept per left row (>= 1)
 * @param maxChord pairs need a chord strictly below it
 * @param minChord pairs need a chord strictly above it; negative keeps distance-0 pairs
 * @returns pairs in left order, then ascending distance, ties by right row
 */
export function matchByLeftTree(
  leftRaDeg: ArrayLike<number>,
  leftDecDeg: ArrayLike<number>,
  leftXyz: Float64Array,
  rightRaDeg: ArrayLike<number>,
  rightDecDeg: ArrayLike<number>,
  k: number,
  radiusArcsec: number,
  maxChord: number,
  minChord: number,
): ChordPairs {
  const nLeft = leftXyz.length / 3;
  const nRight = rightRaDeg.length;
  const tree = new KdTree3(leftXyz, 8);
  const near = NearCells.build(leftRaDeg, leftDecDeg, radiusArcsec / 3600);
  const bestIdx = new Uint32Array(nLeft * k);
  const bestD2 = new Float64Array(nLeft * k);
  const count = new Uint32Array(nLeft);
  const hitIdx = new Uint32Array(nLeft);
  const hitD2 = new Float64Array(nLeft);
  for (let j = 0; j < nRight; j++) {
    if (near && !near.mayBeNear(rightRaDeg[j], rightDecDeg[j])) continue;
    const ra = rightRaDeg[j] * DEG;
    const dec = rightDecDeg[j] * DEG;
    const cd = Math.cos(dec);
    const found = tree.within(
      cd * Math.cos(ra),
      cd * Math.sin(ra),
      Math.sin(dec),
      maxChord,
      hitIdx,
      hitD2,
      minChord,
    );
    for (let h = 0; h < found; h++) {
      const i = hitIdx[h];
      count[i] = keepBest(bestIdx, bestD2, i * k, count[i], k, j, hitD2[h]);
    }
  }
  let total = 0;
  for (let i = 0; i < nLeft; i++) total += count[i];
  const leftIdx = new Uint32Array(total);
  const rightIdx = new Uint32Array(total);
  const chord2 = new Float64Array(total);
  let n = 0;
  for (let i = 0; i < nLeft; i++) {
    for (let c = 0; c < count[i]; c++) {
      leftIdx[n] = i;
      rightIdx[n] = bestIdx[i * k + c];
      chord2[n++] = bestD2[i * k + c];
    }
  }
  return { leftIdx, rightIdx, chord2 };
}

/**
 * Inserts right row `id` at squared chord `d2` into the sorted list at `base` (`count` entries,
 * capacity `k`) when it beats the k-th entry in (distance, row) order, as `KdTree3.knnWithin`
 * keeps its results. Rows arrive in increasing order, so an equal distance goes after.
 * Returns the new count.
 */
function keepBest(
  idx: Uint32Array,
  d2s: Float64Array,
  base: number,
  count: number,
  k: number,
  id: number,
  d2: number,
): number {
  if (count === k) {
    const w = d2s[base + k - 1];
    if (d2 > w || (d2 === w && id > idx[base + k - 1])) return count;
  }
  let j = count < k ? count++ : k - 1;
  while (
    j > 0 &&
    (d2s[base + j - 1] > d2 || (d2s[base + j - 1] === d2 && idx[base + j - 1] > id))
  ) {
    d2s[base + j] = d2s[base + j - 1];
    idx[base + j] = idx[base + j - 1];
    j--;
  }
  d2s[base + j] = d2;
  idx[base + j] = id;
  return count;
}

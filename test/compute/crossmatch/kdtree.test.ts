import { describe, expect, it } from 'vitest';
import { KdTree3 } from '../../../compute/crossmatch/kdtree';
import { chordFromArcsec, unitVectors } from '../../../compute/crossmatch/match-partition';
import { boxSky, concatSky, mulberry32, uniformSky, type Sky } from './sky';

/** O(N·M) oracle: all points with min² < d² < max², sorted by (d², index). */
function bruteKnn(
  xyz: Float64Array,
  q: [number, number, number],
  k: number,
  maxChord: number,
  minChord = -1,
): { idx: number[]; d2: number[] } {
  const max2 = maxChord * maxChord;
  const min2 = minChord >= 0 ? minChord * minChord : -1;
  const hits: [number, number][] = [];
  for (let i = 0; i < xyz.length / 3; i++) {
    const dx = xyz[3 * i] - q[0];
    const dy = xyz[3 * i + 1] - q[1];
    const dz = xyz[3 * i + 2] - q[2];
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 < max2 && d2 > min2) hits.push([d2, i]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const top = hits.slice(0, k);
  return { idx: top.map((h) => h[1]), d2: top.map((h) => h[0]) };
}

function checkAgainstBrute(
  points: Sky,
  queries: Sky,
  k: number,
  radiusArcsec: number,
  minArcsec = 0,
  nodeSize = 16,
): number {
  const xyz = unitVectors(points.raDeg, points.decDeg);
  const q = unitVectors(queries.raDeg, queries.decDeg);
  const tree = new KdTree3(xyz, nodeSize);
  const maxChord = chordFromArcsec(radiusArcsec);
  const minChord = minArcsec > 0 ? chordFromArcsec(minArcsec) : -1;
  const outIdx = new Uint32Array(k);
  const outD2 = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < q.length / 3; i++) {
    const p: [number, number, number] = [q[3 * i], q[3 * i + 1], q[3 * i + 2]];
    const n = tree.knnWithin(p[0], p[1], p[2], k, maxChord, outIdx, outD2, minChord);
    const want = bruteKnn(xyz, p, k, maxChord, minChord);
    expect(Array.from(outIdx.subarray(0, n))).toEqual(want.idx);
    expect(Array.from(outD2.subarray(0, n))).toEqual(want.d2);
    total += n;
  }
  return total;
}

describe('KdTree3.knnWithin', () => {
  it('equals brute force on a uniform sky (k = 1, 3, 10)', () => {
    const rand = mulberry32(1);
    const pts = uniformSky(3000, rand);
    const qs = uniformSky(400, rand);
    for (const k of [1, 3, 10]) {
      const total = checkAgainstBrute(pts, qs, k, 5 * 3600);
      expect(total).toBeGreaterThan(380 * Math.min(k, 3)); // most queries have neighbours
    }
  });

  it('equals brute force near the poles and across the RA wrap', () => {
    const rand = mulberry32(2);
    const pts = concatSky(
      boxSky(800, rand, 0, 89.5, 180, 0.5),
      boxSky(800, rand, 0, -89.5, 180, 0.5),
      boxSky(800, rand, 0, 10, 0.5, 0.5),
    );
    const qs = concatSky(
      boxSky(100, rand, 0, 89.7, 180, 0.3),
      boxSky(100, rand, 90, -89.8, 180, 0.2),
      boxSky(100, rand, 359.9, 10, 0.6, 0.6),
    );
    const total = checkAgainstBrute(pts, qs, 4, 600);
    expect(total).toBeGreaterThan(300);
  });

  it('breaks ties at identical positions by row index ascending', () => {
    // 5 copies of each of 50 positions; the query sits on some of them.
    const rand = mulberry32(3);
    const base = uniformSky(50, rand);
    const pts = concatSky(base, base, base, base, base);
    const xyz = unitVectors(pts.raDeg, pts.decDeg);
    const tree = new KdTree3(xyz, 4);
    const outIdx = new Uint32Array(3);
    const outD2 = new Float64Array(3);
    for (let j = 0; j < 50; j++) {
      const n = tree.knnWithin(xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2], 3, 1e-6, outIdx, outD2);
      expect(n).toBe(3);
      expect(Array.from(outIdx)).toEqual([j, j + 50, j + 100]);
      expect(Array.from(outD2)).toEqual([0, 0, 0]);
    }
    checkAgainstBrute(pts, base, 7, 20 * 3600, 0, 4);
  });

  it('keeps only d strictly below the bound and strictly above the minimum', () => {
    // Points at exactly known chord distances along a great circle from (0, 0).
    const xyz = new Float64Array([1, 0, 0, 0.6, 0.8, 0, 0, 1, 0]);
    const tree = new KdTree3(xyz);
    const outIdx = new Uint32Array(3);
    const outD2 = new Float64Array(3);
    const d2to1 = (1 - 0.6) ** 2 + 0.8 ** 2; // point 1 from the query (1,0,0)
    expect(tree.knnWithin(1, 0, 0, 3, Math.sqrt(d2to1), outIdx, outD2)).toBe(1);
    expect(outIdx[0]).toBe(0);
    expect(tree.knnWithin(1, 0, 0, 3, Math.sqrt(d2to1) * 1.0000001, outIdx, outD2)).toBe(2);
    // min: d <= min is excluded, so the distance-0 point 0 goes and point 1 stays.
    expect(tree.knnWithin(1, 0, 0, 3, 1.5, outIdx, outD2, 0)).toBe(2);
    expect(Array.from(outIdx.subarray(0, 2))).toEqual([1, 2]);
    expect(outD2[0]).toBe(d2to1);
  });

  it('returns 0 on an empty tree and at most n results when k > n', () => {
    const empty = new KdTree3(new Float64Array(0));
    const outIdx = new Uint32Array(5);
    const outD2 = new Float64Array(5);
    expect(empty.knnWithin(1, 0, 0, 5, 2, outIdx, outD2)).toBe(0);
    const rand = mulberry32(4);
    const pts = uniformSky(3, rand);
    const xyz = unitVectors(pts.raDeg, pts.decDeg);
    const tree = new KdTree3(xyz);
    expect(tree.knnWithin(0, 0, 1, 5, 2.0000001, outIdx, outD2)).toBe(3);
    checkAgainstBrute(pts, uniformSky(20, rand), 5, 180 * 3600);
  });

  it('equals brute force with a minimum radius and larger trees (Floyd–Rivest path)', () => {
    const rand = mulberry32(5);
    const pts = concatSky(uniformSky(2000, rand), boxSky(3000, rand, 120, -30, 1, 1));
    const qs = boxSky(150, rand, 120, -30, 1.2, 1.2);
    const total = checkAgainstBrute(pts, qs, 6, 240, 60, 24);
    expect(total).toBeGreaterThan(500);
  });
});

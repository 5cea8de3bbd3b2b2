import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { PixelSet } from '../../../compute/crossmatch/align';
import { crossmatch } from '../../../compute/crossmatch/crossmatch';
import { ang2pixNestNumber } from '../../../compute/healpix';
import { inMemoryCatalog } from '../../../compute/crossmatch/in-memory';
import { collect, expectSamePairs, pairsOf, type Pair } from './golden';
import { boxSky, concatSky, mulberry32, uniformSky, type Sky } from './sky';
import { sepArcsec } from '../../helpers/separation';

/** Global O(N·M) oracle: for each left row the n nearest right rows with min < d < r. */
function bruteForce(left: Sky, right: Sky, r: number, n: number, min = 0): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < left.raDeg.length; i++) {
    const hits: [number, number][] = [];
    for (let j = 0; j < right.raDeg.length; j++) {
      const d = sepArcsec(left.raDeg[i], left.decDeg[i], right.raDeg[j], right.decDeg[j]);
      if (d < r && d > min) hits.push([d, j]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [d, j] of hits.slice(0, n)) out.push({ left: i, right: j, distArcsec: d });
  }
  return out;
}

const table = (sky: Sky) =>
  tableFromArrays({
    id: Int32Array.from({ length: sky.raDeg.length }, (_, i) => i),
    ra: sky.raDeg,
    dec: sky.decDeg,
  });

describe('border rows (no margin, borderRows auto)', () => {
  it('equal a global brute force across many small partitions, poles and the RA wrap', async () => {
    const rand = mulberry32(31);
    const rightSky = concatSky(
      uniformSky(1500, rand),
      boxSky(1500, rand, 0, 0, 3, 3),
      boxSky(800, rand, 45, 89, 180, 1),
      boxSky(800, rand, 200, -42, 2, 2),
    );
    const leftSky = concatSky(
      boxSky(300, rand, 0, 0, 3.5, 3.5),
      boxSky(150, rand, 45, 88.5, 180, 1.5),
      boxSky(150, rand, 200, -42, 2.5, 2.5),
      uniformSky(200, rand),
    );
    const left = inMemoryCatalog(table(leftSky), {
      name: 'l',
      raColumn: 'ra',
      decColumn: 'dec',
      maxRowsPerPartition: 40,
    });
    const right = inMemoryCatalog(table(rightSky), {
      name: 'r',
      raColumn: 'ra',
      decColumn: 'dec',
      maxRowsPerPartition: 60,
    });
    expect(right.partitions.length).toBeGreaterThan(30);
    expect(new Set(right.partitions.map((p) => p.order)).size).toBeGreaterThan(2);
    for (const [r, n, min] of [
      [1800, 2, 0],
      [600, 1, 0],
      [7200, 4, 900],
    ]) {
      const want = bruteForce(leftSky, rightSky, r, n, min);
      const off = pairsOf(
        await collect(
          crossmatch(left, right, {
            radiusArcsec: r,
            nNeighbors: n,
            minRadiusArcsec: min,
            borderRows: 'off',
          }),
        ),
        'id_l',
        'id_r',
      );
      const auto = pairsOf(
        await collect(
          crossmatch(left, right, { radiusArcsec: r, nNeighbors: n, minRadiusArcsec: min }),
        ),
        'id_l',
        'id_r',
      );
      expect(off.length).toBeLessThan(want.length); // LSDB without margin misses border pairs here
      expectSamePairs(auto, want);
    }
  });

  it('finds matches for left rows whose pixel has no right partition at all', async () => {
    // Right rows only just east of the (0,4)/(0,5) boundary region; left rows in an empty pixel.
    const rand = mulberry32(32);
    const rightSky = boxSky(400, rand, 90, 0, 1, 1);
    const leftSky = boxSky(100, rand, 88.5, 0, 0.5, 1);
    const left = inMemoryCatalog(table(leftSky), {
      name: 'l',
      raColumn: 'ra',
      decColumn: 'dec',
      maxRowsPerPartition: 10,
    });
    const right = inMemoryCatalog(table(rightSky), {
      name: 'r',
      raColumn: 'ra',
      decColumn: 'dec',
      maxRowsPerPartition: 10,
    });
    const rightSet = new PixelSet(right.partitions);
    const lonely = left.partitions.filter((p) => !rightSet.overlaps(p));
    expect(lonely.length).toBeGreaterThan(0);
    const want = bruteForce(leftSky, rightSky, 3600, 1);
    expect(want.length).toBeGreaterThan(50);
    const got = pairsOf(
      await collect(crossmatch(left, right, { radiusArcsec: 3600 })),
      'id_l',
      'id_r',
    );
    expectSamePairs(got, want);
    const lonelySet = new PixelSet(lonely);
    const lonelyIds = new Set(
      Array.from({ length: 100 }, (_, i) => i).filter((i) =>
        lonelySet.overlaps({
          order: 24,
          pixel: ang2pixNestNumber(24, leftSky.raDeg[i], leftSky.decDeg[i]),
        }),
      ),
    );
    expect(got.filter((p) => lonelyIds.has(p.left)).length).toBeGreaterThan(0);
  });
});

describe('MOC filter (lsdb §3.2 steps 2-3)', () => {
  it('off: drops aligned pixels outside left MOC ∩ right MOC like lsdb; auto: keeps every pair', async () => {
    const rand = mulberry32(33);
    const leftSky = boxSky(300, rand, 45, 0.5, 0.1, 0.1);
    const rightSky = boxSky(50, rand, 45, 0.5, 0.02, 0.02);
    const left = inMemoryCatalog(table(leftSky), {
      name: 'l',
      raColumn: 'ra',
      decColumn: 'dec',
      maxRowsPerPartition: 20,
    });
    const right = inMemoryCatalog(table(rightSky), { name: 'r', raColumn: 'ra', decColumn: 'dec' });
    expect(right.partitions.length).toBe(1);
    const r = 360;
    const want = bruteForce(leftSky, rightSky, r, 1);
    // Oracle for lsdb: a left row is processed only if its partition holds an order-10 cell that
    // has both left and right rows (the MOCs of from_dataframe catalogs are order-10 cells).
    const cells = (sky: Sky) =>
      new Set(Array.from(sky.raDeg, (ra, i) => ang2pixNestNumber(10, ra, sky.decDeg[i])));
    const both = [...cells(leftSky)].filter((c) => cells(rightSky).has(c));
    const bothSet = new PixelSet(both.map((pixel) => ({ order: 10, pixel })));
    const kept = left.partitions.filter((p) => bothSet.overlaps(p));
    const keptSet = new PixelSet(kept);
    const processed = (i: number) =>
      keptSet.overlaps({
        order: 24,
        pixel: ang2pixNestNumber(24, leftSky.raDeg[i], leftSky.decDeg[i]),
      });
    const wantLsdb = want.filter((p) => processed(p.left));
    expect(wantLsdb.length).toBeGreaterThan(0);
    expect(wantLsdb.length).toBeLessThan(want.length);
    const off = pairsOf(
      await collect(crossmatch(left, right, { radiusArcsec: r, borderRows: 'off' })),
      'id_l',
      'id_r',
    );
    expectSamePairs(off, wantLsdb);
    const auto = pairsOf(
      await collect(crossmatch(left, right, { radiusArcsec: r })),
      'id_l',
      'id_r',
    );
    expectSamePairs(auto, want);
  });
});

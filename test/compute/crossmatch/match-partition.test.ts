import { describe, expect, it } from 'vitest';
import {
  arcsecFromChord,
  checkMatchResult,
  chordFromArcsec,
  matchPartition,
} from '../../../compute/crossmatch/match-partition';
import { boxSky, concatSky, mulberry32, uniformSky } from './sky';
import { sepArcsec } from '../../helpers/separation';

/** Independent oracle: haversine separation in arcsec (not the chord route the kernel uses). */

describe('chord helpers', () => {
  it('gives the chord of 1 arcsec quoted by hats-lsdb.md §3.3 and round-trips', () => {
    expect(chordFromArcsec(1)).toBeCloseTo(4.848136811e-6, 15);
    expect(arcsecFromChord(chordFromArcsec(7200))).toBeCloseTo(7200, 8);
  });
});

describe('matchPartition', () => {
  it('equals a haversine brute force (n nearest with min < d < radius, left order then distance)', () => {
    const rand = mulberry32(11);
    const right = concatSky(boxSky(1500, rand, 359.5, -60, 2, 2), uniformSky(500, rand));
    const left = boxSky(300, rand, 359.5, -60, 2.2, 2.2);
    const opts = { radiusArcsec: 900, nNeighbors: 3, minRadiusArcsec: 120 };
    const got = matchPartition(left.raDeg, left.decDeg, right.raDeg, right.decDeg, opts);
    const want: [number, number][] = [];
    for (let i = 0; i < 300; i++) {
      const hits: [number, number][] = [];
      for (let j = 0; j < right.raDeg.length; j++) {
        const d = sepArcsec(left.raDeg[i], left.decDeg[i], right.raDeg[j], right.decDeg[j]);
        if (d < opts.radiusArcsec && d > opts.minRadiusArcsec) hits.push([d, j]);
      }
      hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [, j] of hits.slice(0, 3)) want.push([i, j]);
    }
    expect(want.length).toBeGreaterThan(500);
    expect(Array.from(got.leftIdx)).toEqual(want.map((w) => w[0]));
    expect(Array.from(got.rightIdx)).toEqual(want.map((w) => w[1]));
    for (let r = 0; r < got.distArcsec.length; r++) {
      const i = got.leftIdx[r];
      const j = got.rightIdx[r];
      expect(got.distArcsec[r]).toBeCloseTo(
        sepArcsec(left.raDeg[i], left.decDeg[i], right.raDeg[j], right.decDeg[j]),
        6,
      );
    }
  });

  it('keeps distance-0 self matches when minRadius is 0 and drops them when it is > 0', () => {
    const rand = mulberry32(12);
    const sky = uniformSky(200, rand);
    const self = matchPartition(sky.raDeg, sky.decDeg, sky.raDeg, sky.decDeg, {
      radiusArcsec: 1,
      nNeighbors: 1,
      minRadiusArcsec: 0,
    });
    expect(Array.from(self.leftIdx)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(Array.from(self.rightIdx)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(Array.from(self.distArcsec).every((d) => d === 0)).toBe(true);
    const noSelf = matchPartition(sky.raDeg, sky.decDeg, sky.raDeg, sky.decDeg, {
      radiusArcsec: 1,
      nNeighbors: 1,
      minRadiusArcsec: 1e-9,
    });
    expect(noSelf.leftIdx.length).toBe(0);
  });

  it('handles empty inputs and k larger than the right side', () => {
    const e = new Float64Array(0);
    const one = new Float64Array([10]);
    const opts = { radiusArcsec: 3600, nNeighbors: 5, minRadiusArcsec: 0 };
    expect(matchPartition(e, e, one, one, opts).leftIdx.length).toBe(0);
    expect(matchPartition(one, one, e, e, opts).leftIdx.length).toBe(0);
    const r = matchPartition(
      one,
      one,
      new Float64Array([10, 10.1]),
      new Float64Array([10, 10]),
      opts,
    );
    expect(Array.from(r.rightIdx)).toEqual([0, 1]);
  });

  it('gives bit-identical output with the tree on the left or on the right side (randomized)', () => {
    const rand = mulberry32(21);
    let pairs = 0;
    let ties = 0;
    for (let trial = 0; trial < 40; trial++) {
      const ra0 = trial % 4 === 0 ? 359.9 : rand() * 360;
      const dec0 = trial % 5 === 0 ? 89.9 : -80 + 160 * rand();
      const half = 0.02 + 0.2 * rand();
      const nRight = 200 + Math.floor(3000 * rand());
      const nLeft = 1 + Math.floor(300 * rand());
      const right = boxSky(nRight, rand, ra0, dec0, half, half);
      // Exact duplicates of right rows (equal distances: the tie rule decides), and left rows
      // sitting on right rows (distance 0: min radius decides).
      for (let i = 0; i < nRight / 10; i++) {
        const a = Math.floor(rand() * nRight);
        const b = Math.floor(rand() * nRight);
        right.raDeg[b] = right.raDeg[a];
        right.decDeg[b] = right.decDeg[a];
      }
      const left = boxSky(nLeft, rand, ra0, dec0, half, half);
      for (let i = 0; i < nLeft / 4; i++) {
        const a = Math.floor(rand() * nRight);
        const b = Math.floor(rand() * nLeft);
        left.raDeg[b] = right.raDeg[a];
        left.decDeg[b] = right.decDeg[a];
      }
      const opts = {
        radiusArcsec: 5 + 200 * rand(),
        nNeighbors: 1 + Math.floor(5 * rand()),
        minRadiusArcsec: trial % 3 === 0 ? 2 * rand() : 0,
      };
      const args = [left.raDeg, left.decDeg, right.raDeg, right.decDeg, opts] as const;
      const byRight = matchPartition(...args, 'right');
      const byLeft = matchPartition(...args, 'left');
      expect(byLeft.leftIdx).toEqual(byRight.leftIdx);
      expect(byLeft.rightIdx).toEqual(byRight.rightIdx);
      expect(byLeft.distArcsec).toEqual(byRight.distArcsec);
      pairs += byRight.leftIdx.length;
      for (let r = 1; r < byRight.distArcsec.length; r++) {
        if (
          byRight.leftIdx[r] === byRight.leftIdx[r - 1] &&
          byRight.distArcsec[r] === byRight.distArcsec[r - 1]
        )
          ties++;
      }
    }
    // The comparison is only meaningful when there are many pairs and real ties.
    expect(pairs).toBeGreaterThan(5000);
    expect(ties).toBeGreaterThan(50);
  });

  it('equals the haversine brute force with the tree on the left side too', () => {
    const rand = mulberry32(11);
    const right = concatSky(boxSky(1500, rand, 359.5, -60, 2, 2), uniformSky(500, rand));
    const left = boxSky(300, rand, 359.5, -60, 2.2, 2.2);
    const opts = { radiusArcsec: 900, nNeighbors: 3, minRadiusArcsec: 120 };
    const got = matchPartition(left.raDeg, left.decDeg, right.raDeg, right.decDeg, opts, 'left');
    let n = 0;
    for (let i = 0; i < 300; i++) {
      const hits: [number, number][] = [];
      for (let j = 0; j < right.raDeg.length; j++) {
        const d = sepArcsec(left.raDeg[i], left.decDeg[i], right.raDeg[j], right.decDeg[j]);
        if (d < opts.radiusArcsec && d > opts.minRadiusArcsec) hits.push([d, j]);
      }
      hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [d, j] of hits.slice(0, 3)) {
        expect([got.leftIdx[n], got.rightIdx[n]]).toEqual([i, j]);
        expect(got.distArcsec[n]).toBeCloseTo(d, 6);
        n++;
      }
    }
    expect(n).toBe(got.leftIdx.length);
    expect(n).toBeGreaterThan(500);
  });

  it('rejects kernel output that breaks the contract', () => {
    const bad = {
      leftIdx: new Uint32Array([0]),
      rightIdx: new Uint32Array([0]),
      distArcsec: new Float64Array([2]),
    };
    expect(() => checkMatchResult(bad, 1, 1, 1)).toThrow(/exceeds the radius 1/);
    expect(() => checkMatchResult({ ...bad, rightIdx: new Uint32Array(0) }, 5, 1, 1)).toThrow(
      /lengths differ/,
    );
  });
});

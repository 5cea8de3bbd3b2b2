import { describe, expect, it } from 'vitest';
import { marginPixels, neighbours, npix, pixelCorners } from '../../../compute/healpix';
import { seededRandom } from './random';
import { buildVertexIndex, vertexKey, vertexNeighbours } from './vertex-oracle';

// Result slots: SW, W, NW, N, NE, E, SE, S. Corners: N, W, S, E.
const N = 0;
const W = 1;
const S = 2;
const E = 3;
/** Corners of P that the neighbour in each slot must share. */
const SHARED: number[][] = [[S, W], [W], [N, W], [N], [N, E], [E], [S, E], [S]];

describe('neighbours', () => {
  it('matches healpy get_all_neighbours at nside 1 (RING = NESTED there)', () => {
    // healpy docs: get_all_neighbours(1, 4) -> [11 7 3 -1 0 5 8 -1];
    // get_all_neighbours(1, pi/2, pi/2) (pixel 5) -> [8 4 0 -1 1 6 9 -1].
    expect(neighbours(0, 4)).toEqual([11, 7, 3, -1, 0, 5, 8, -1]);
    expect(neighbours(0, 5)).toEqual([8, 4, 0, -1, 1, 6, 9, -1]);
  });

  for (let order = 0; order <= 3; order++) {
    it(`order ${order}: every pixel's neighbours are exactly the pixels sharing a vertex`, () => {
      const index = buildVertexIndex(order);
      let sevens = 0;
      for (let p = 0; p < npix(order); p++) {
        const nb = neighbours(order, p);
        const present = nb.filter((q) => q >= 0);
        expect(new Set(present)).toEqual(vertexNeighbours(index, p));
        expect(new Set(present).size).toBe(present.length);
        if (present.length === 7) sevens++;
        else expect(present.length).toBe(order === 0 ? 6 : 8);
        // Direction: the neighbour in each slot shares P's corner(s) of that direction.
        nb.forEach((q, slot) => {
          if (q < 0) return;
          for (const c of SHARED[slot]) expect(index.corners[q]).toContain(index.corners[p][c]);
        });
        // Symmetry.
        for (const q of present) expect(neighbours(order, q)).toContain(p);
      }
      // Only 3 faces meet at the 8 vertices with |z| = 2/3: 24 pixels have 7 neighbours at
      // order >= 1; at order 0 every face touches 2 such vertices and has 6 neighbours.
      expect(sevens).toBe(order === 0 ? 0 : 24);
    });
  }

  it('is symmetric and shares corners at high orders (random pixels, orders 10..24)', () => {
    const rand = seededRandom(7);
    for (const order of [10, 16, 20, 24]) {
      for (let t = 0; t < 300; t++) {
        const p = Math.floor(rand() * npix(order));
        const nb = neighbours(order, p);
        const cp = pixelCorners(order, p);
        nb.forEach((q, slot) => {
          if (q < 0) return;
          expect(neighbours(order, q)).toContain(p);
          const cq = pixelCorners(order, q);
          for (const c of SHARED[slot]) {
            const dist = Math.min(
              ...cq.map((v) => Math.hypot(v.decDeg - cp[c].decDeg, wrapDiff(v.raDeg, cp[c].raDeg))),
            );
            // Equal to float precision, or at the pole where RA is meaningless.
            if (Math.abs(cp[c].decDeg) < 89.999) expect(dist).toBeLessThan(1e-9);
          }
        });
      }
    }
  });

  it('face corner pixels with only 7 neighbours', () => {
    // Equatorial face 4 at order 2: its N vertex (ra 0, z = 2/3) is shared by faces 4, 0, 3
    // only, so the pixel in that corner (ix = iy = 3, interleave 0b1111) has no N neighbour;
    // likewise the S-corner pixel (ix = iy = 0) has no S neighbour.
    const north = neighbours(2, 4 * 16 + 15);
    expect(north.filter((q) => q < 0)).toHaveLength(1);
    expect(north[3]).toBe(-1);
    const south = neighbours(2, 4 * 16);
    expect(south.filter((q) => q < 0)).toHaveLength(1);
    expect(south[7]).toBe(-1);
    // North face 0's E corner (x = 1, y = 0) is the same vertex seen from face 0 (ra 90, z 2/3):
    // ix = 3, iy = 0 -> interleave 0b0101; its E neighbour is missing.
    const east = neighbours(2, 5);
    expect(east.filter((q) => q < 0)).toHaveLength(1);
    expect(east[5]).toBe(-1);
  });
});

function wrapDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
}

describe('marginPixels', () => {
  it('gives the cell counts measured with cdshealpix at order 4', () => {
    // hats-lsdb.md §2 "Neighbours".
    expect(marginPixels(1, 44, 3)).toHaveLength(36);
    expect(marginPixels(1, 45, 3)).toHaveLength(35);
    expect(marginPixels(1, 46, 3)).toHaveLength(35);
    expect(marginPixels(1, 47, 3)).toHaveLength(36);
    expect(marginPixels(0, 11, 4)).toHaveLength(66);
    expect(marginPixels(0, 4, 4)).toHaveLength(66);
  });

  it('is sorted, unique, outside the pixel; delta 0 is the neighbour list', () => {
    const m = marginPixels(3, 100, 5);
    expect(m).toEqual([...new Set(m)].sort((a, b) => a - b));
    expect(m.every((q) => q >> 10 !== 100)).toBe(true);
    expect(marginPixels(2, 17, 0)).toEqual(
      neighbours(2, 17)
        .filter((q) => q >= 0)
        .sort((a, b) => a - b),
    );
  });

  it('equals the brute-force set of outside cells sharing a vertex with an inside cell', () => {
    for (const [order, delta] of [
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [2, 1],
    ]) {
      const m = order + delta;
      const index = buildVertexIndex(m);
      for (let p = 0; p < npix(order); p++) {
        const insideVertices = new Set<string>();
        const first = p * 4 ** delta;
        for (let c = first; c < first + 4 ** delta; c++) {
          for (const k of index.corners[c]) insideVertices.add(k);
        }
        const expected: number[] = [];
        for (let q = 0; q < npix(m); q++) {
          if (Math.floor(q / 4 ** delta) === p) continue;
          if (index.corners[q].some((k) => insideVertices.has(k))) expected.push(q);
        }
        expect(marginPixels(order, p, delta)).toEqual(expected);
      }
    }
  });

  it('vertex keys agree between pixels sharing a corner (oracle sanity)', () => {
    // The N corners of the four north faces are all the north pole.
    const poles = [0, 1, 2, 3].map((f) => vertexKey(pixelCorners(0, f)[N].raDeg, 90));
    expect(new Set(poles).size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ang2pixNest,
  ang2pixNestNumber,
  pixelBoundary,
  pixelCenter,
  pixelCorners,
  xyf2pix,
} from '../../../compute/healpix';
import { randomPoints, seededRandom } from './random';

describe('pixelCenter', () => {
  it('order 0 face centres (Górski et al. 2005, fig. 3)', () => {
    const zc = (Math.asin(2 / 3) * 180) / Math.PI;
    for (let f = 0; f < 4; f++) {
      const n = pixelCenter(0, f);
      expect(n.raDeg).toBeCloseTo(45 + 90 * f, 12);
      expect(n.decDeg).toBeCloseTo(zc, 12);
      const e = pixelCenter(0, 4 + f);
      expect(e.raDeg).toBeCloseTo(90 * f, 12);
      expect(e.decDeg).toBeCloseTo(0, 12);
      const s = pixelCenter(0, 8 + f);
      expect(s.raDeg).toBeCloseTo(45 + 90 * f, 12);
      expect(s.decDeg).toBeCloseTo(-zc, 12);
    }
  });

  it('round trips ang2pix(pixelCenter(p)) == p at every order 0..29', () => {
    const { ra, dec } = randomPoints(seededRandom(3), 400);
    for (let order = 0; order <= 29; order++) {
      for (let i = 0; i < ra.length; i++) {
        const p = ang2pixNest(order, ra[i], dec[i]);
        const c = pixelCenter(order, p);
        expect(ang2pixNest(order, c.raDeg, c.decDeg)).toBe(p);
      }
    }
  });

  it('round trips at the face corners of order 29 (poles, |z| = 2/3 vertices, RA 0)', () => {
    const last = 2 ** 29 - 1;
    for (let f = 0; f < 12; f++) {
      for (const [ix, iy] of [
        [0, 0],
        [last, last],
        [0, last],
        [last, 0],
        [last >> 1, last >> 1],
      ]) {
        const p = xyf2pix(29, ix, iy, f);
        const c = pixelCenter(29, p);
        expect(ang2pixNest(29, c.raDeg, c.decDeg)).toBe(p);
      }
    }
  });
});

describe('pixelCorners / pixelBoundary', () => {
  it('face corners at order 0 (N, W, S, E)', () => {
    const zc = (Math.asin(2 / 3) * 180) / Math.PI;
    // Equatorial face 4 spans RA -45..45: N (0, 41.8), W (315, 0), S (0, -41.8), E (45, 0).
    const c = pixelCorners(0, 4);
    expect(c.map((v) => [round(v.raDeg), round(v.decDeg)])).toEqual([
      [0, round(zc)],
      [315, 0],
      [0, round(-zc)],
      [45, 0],
    ]);
    // North face 0: N = pole, W (0, 41.8), S (45, 0), E (90, 41.8).
    const n = pixelCorners(0, 0);
    expect(round(n[0].decDeg)).toBe(90);
    expect([round(n[1].raDeg), round(n[1].decDeg)]).toEqual([0, round(zc)]);
    expect([round(n[2].raDeg), round(n[2].decDeg)]).toEqual([45, 0]);
    expect([round(n[3].raDeg), round(n[3].decDeg)]).toEqual([90, round(zc)]);
  });

  it('boundary(step) starts with the corners and its points lie on the pixel edge', () => {
    const rand = seededRandom(11);
    for (const order of [0, 3, 8, 15, 24]) {
      for (let t = 0; t < 30; t++) {
        const p = Math.floor(rand() * 12 * 4 ** order);
        const step = 5;
        const b = pixelBoundary(order, p, step);
        expect(b).toHaveLength(20);
        const corners = pixelCorners(order, p);
        for (let k = 0; k < 4; k++) expect(b[k * step]).toEqual(corners[k]);
        // A boundary point is on the edge: a tiny step toward the centre lands inside.
        const c = pixelCenter(order, p);
        for (const v of b) {
          if (Math.abs(v.decDeg) > 89.9999) continue;
          const towards = 1e-6;
          const ra = v.raDeg + wrapSigned(c.raDeg - v.raDeg) * towards;
          const dec = v.decDeg + (c.decDeg - v.decDeg) * towards;
          expect(ang2pixNestNumber(order, ra, dec)).toBe(p);
        }
      }
    }
  });
});

function round(v: number): number {
  return Math.round(v * 1e9) / 1e9 + 0;
}

function wrapSigned(d: number): number {
  return ((((d + 180) % 360) + 360) % 360) - 180;
}

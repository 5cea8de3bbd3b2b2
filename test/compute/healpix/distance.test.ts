/**
 * isNearPixel / distanceToPixelDeg against a brute-force oracle: the pixel boundary sampled
 * densely with pixelBoundary (step 1000 per edge) and ang2pix for inside. The oracle distance is
 * the angle to the nearest sample, an upper bound of the true distance, so "oracle <= r" proves
 * the point is truly within r and isNear must say true.
 */
import { describe, expect, it } from 'vitest';
import {
  ang2pixNestNumber,
  distanceToPixelDeg,
  isNearPixel,
  PixelDistance,
  pixelBoundary,
  pixelCenter,
  pixelCorners,
} from '../../../compute/healpix';
import { seededRandom } from './random';

const D2R = Math.PI / 180;

function xyz(raDeg: number, decDeg: number): [number, number, number] {
  const c = Math.cos(decDeg * D2R);
  return [c * Math.cos(raDeg * D2R), c * Math.sin(raDeg * D2R), Math.sin(decDeg * D2R)];
}

function angleDeg(a: [number, number, number], b: [number, number, number]): number {
  const cx = a[1] * b[2] - a[2] * b[1];
  const cy = a[2] * b[0] - a[0] * b[2];
  const cz = a[0] * b[1] - a[1] * b[0];
  return Math.atan2(Math.hypot(cx, cy, cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / D2R;
}

/** Point at angular distance rhoDeg and bearing from (ra, dec). */
function offset(raDeg: number, decDeg: number, rhoDeg: number, bearingRad: number) {
  const d = decDeg * D2R;
  const r = rhoDeg * D2R;
  const dec2 = Math.asin(
    Math.sin(d) * Math.cos(r) + Math.cos(d) * Math.sin(r) * Math.cos(bearingRad),
  );
  const ra2 =
    raDeg * D2R +
    Math.atan2(
      Math.sin(bearingRad) * Math.sin(r) * Math.cos(d),
      Math.cos(r) - Math.sin(d) * Math.sin(dec2),
    );
  return { raDeg: (((ra2 / D2R) % 360) + 360) % 360, decDeg: dec2 / D2R };
}

const CASES: { name: string; order: number; pixel: number; radiiDeg: number[] }[] = [
  { name: 'order 0 north face (pole)', order: 0, pixel: 0, radiiDeg: [0.5, 5] },
  { name: 'order 0 face 4 across RA 0', order: 0, pixel: 4, radiiDeg: [1, 10] },
  { name: 'order 1 pixel 44 (small_sky)', order: 1, pixel: 44, radiiDeg: [0.01, 2] },
  { name: 'order 3 north pole pixel', order: 3, pixel: 63, radiiDeg: [0.01, 1] },
  { name: 'order 3 south pole pixel', order: 3, pixel: 8 * 64, radiiDeg: [0.01, 1] },
  {
    name: 'order 5 at RA 0/360',
    order: 5,
    pixel: ang2pixNestNumber(5, 359.99, -30),
    radiiDeg: [0.01, 0.5],
  },
  {
    name: 'order 5 |z|=2/3 vertex',
    order: 5,
    pixel: ang2pixNestNumber(5, 0.01, 41.81),
    radiiDeg: [0.01, 0.5],
  },
  {
    name: 'order 8 near north pole',
    order: 8,
    pixel: ang2pixNestNumber(8, 10, 89.9),
    radiiDeg: [36 / 3600, 0.2],
  },
  {
    name: 'order 12 near south pole',
    order: 12,
    pixel: ang2pixNestNumber(12, 200, -89.99),
    radiiDeg: [1 / 3600, 36 / 3600],
  },
  {
    name: 'order 20 at RA 0',
    order: 20,
    pixel: ang2pixNestNumber(20, 0.00001, 12),
    radiiDeg: [0.05 / 3600, 0.2 / 3600],
  },
];

describe('isNearPixel / distanceToPixelDeg against a dense-boundary oracle', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const boundary = pixelBoundary(c.order, c.pixel, 1000);
      const samples = boundary.map((v) => xyz(v.raDeg, v.decDeg));
      const center = pixelCenter(c.order, c.pixel);
      const cv = xyz(center.raDeg, center.decDeg);
      const pixRadius = Math.max(
        ...pixelCorners(c.order, c.pixel).map((v) => angleDeg(cv, xyz(v.raDeg, v.decDeg))),
      );
      const pd = new PixelDistance(c.order, c.pixel);
      const spacing = pixRadius / 700;
      const rand = seededRandom(c.order * 1000 + c.pixel);
      let mustBeNear = 0;
      let far = 0;
      let falsePositives = 0;
      let inside = 0;
      for (const r of c.radiiDeg) {
        const capDeg = Math.min(180, 1.3 * pixRadius + 3 * r);
        for (let t = 0; t < 400; t++) {
          // Even t: uniform in a cap around the pixel; odd t: about r away from a boundary
          // point, where a false negative would show.
          const b = boundary[Math.floor(rand() * boundary.length)];
          const p =
            t % 2 === 0
              ? offset(
                  center.raDeg,
                  center.decDeg,
                  capDeg * Math.sqrt(rand()),
                  2 * Math.PI * rand(),
                )
              : offset(b.raDeg, b.decDeg, r * (0.8 + 0.4 * rand()), 2 * Math.PI * rand());
          const pv = xyz(p.raDeg, p.decDeg);
          const isIn = ang2pixNestNumber(c.order, p.raDeg, p.decDeg) === c.pixel;
          let oracle = 0;
          if (!isIn) {
            oracle = Infinity;
            for (const s of samples) oracle = Math.min(oracle, angleDeg(pv, s));
          } else inside++;
          const near = pd.isNear(p.raDeg, p.decDeg, r);
          const dist = pd.distanceDeg(p.raDeg, p.decDeg);
          // Lower bound of the distance: never above the oracle's upper bound.
          expect(dist).toBeLessThanOrEqual(oracle + 1e-12);
          if (isIn) expect(dist).toBe(0);
          if (oracle <= r) {
            mustBeNear++;
            expect(near, `${p.raDeg},${p.decDeg} oracle ${oracle} r ${r}`).toBe(true);
          } else {
            far++;
            if (near) falsePositives++;
            // Clearly beyond r (past the tolerance and the oracle's sampling step): never near.
            if (oracle > r + pd.toleranceDeg + spacing) expect(near).toBe(false);
            // Tight: within the tolerance (plus the oracle's sampling step).
            expect(dist).toBeGreaterThan(oracle - pd.toleranceDeg - spacing);
          }
        }
      }
      expect(mustBeNear).toBeGreaterThan(80);
      expect(inside).toBeGreaterThan(40);
      expect(far).toBeGreaterThan(80);
      expect(pd.toleranceDeg).toBeLessThan(2e-4 * pixRadius);
      console.log(
        `${c.name}: ${mustBeNear} within r (all near), ${far} beyond r, ${falsePositives} near ` +
          `(tolerance ${(pd.toleranceDeg * 3600).toPrecision(3)} arcsec)`,
      );
    });
  }

  it('one-shot helpers agree with PixelDistance', () => {
    const pd = new PixelDistance(1, 44);
    expect(distanceToPixelDeg(1, 44, 10, -50)).toBe(pd.distanceDeg(10, -50));
    expect(isNearPixel(1, 44, 10, -50, 3)).toBe(pd.isNear(10, -50, 3));
    expect(distanceToPixelDeg(1, 44, 308.5, -69.5)).toBe(0);
  });
});

/**
 * Angular distance from a point to a pixel (0 inside), for picking rows near a partition border.
 *
 * The boundary is sampled (`pixelBoundaryXyz`) into great-circle segments. HEALPix edges are not
 * great circles, so for each segment the true edge point at mid-parameter is computed and its
 * distance to the segment, doubled, is the segment's deviation bound `dev`. The distance returned
 * is min over segments of (distance to the segment - dev), a lower bound of the true distance:
 * a point truly within r of the pixel is never reported farther than r (no false negatives);
 * points reported near but farther than r are at most 2 dev beyond it (dev is arcseconds for an
 * order-0 pixel and shrinks as 4^-order). Inside/outside is decided exactly with ang2pix.
 * Point-to-arc distance: project onto the arc's great circle, else the nearer end point
 * (standard spherical geometry; angles via atan2(|a x b|, a . b) for accuracy).
 */
import { ang2pixNestNumber } from './ang2pix';
import { MAX_NUMBER_ORDER, checkOrder, checkPixel } from './nested';
import { faceLocToXyz, pixelBoundaryXyz, pixelCenter, pixelFaceFrame } from './pix2ang';

const DEG2RAD = Math.PI / 180;
const RAD2DEG = 180 / Math.PI;

function angle(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

/** Angular distance (rad) from unit vector p to the minor great-circle arc a-b. */
function distToArc(v: Float64Array, a: number, b: number, px: number, py: number, pz: number) {
  const ax = v[a];
  const ay = v[a + 1];
  const az = v[a + 2];
  const bx = v[b];
  const by = v[b + 1];
  const bz = v[b + 2];
  let nx = ay * bz - az * by;
  let ny = az * bx - ax * bz;
  let nz = ax * by - ay * bx;
  const nn = Math.sqrt(nx * nx + ny * ny + nz * nz);
  const da = angle(px, py, pz, ax, ay, az);
  if (nn < 1e-300) return da;
  nx /= nn;
  ny /= nn;
  nz /= nn;
  // p is "between" a and b when (a x p) . n >= 0 and (p x b) . n >= 0.
  const s1 = (ay * pz - az * py) * nx + (az * px - ax * pz) * ny + (ax * py - ay * px) * nz;
  const s2 = (py * bz - pz * by) * nx + (pz * bx - px * bz) * ny + (px * by - py * bx) * nz;
  if (s1 >= 0 && s2 >= 0) return Math.asin(Math.min(1, Math.abs(px * nx + py * ny + pz * nz)));
  return Math.min(da, angle(px, py, pz, bx, by, bz));
}

/** Segments per edge: enough that dev stays small relative to the pixel. */
function stepsFor(order: number): number {
  return order <= 0 ? 32 : order === 1 ? 16 : order === 2 ? 8 : 4;
}

/** Precomputed boundary of one pixel, for many distance queries. */
export class PixelDistance {
  readonly order: number;
  readonly pixel: number;
  private readonly xyz: Float64Array;
  private readonly dev: Float64Array;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  /** Upper bound of the angle (rad) from the centre to any point of the pixel. */
  private readonly radiusRad: number;

  constructor(order: number, pixel: number) {
    checkOrder(order, MAX_NUMBER_ORDER);
    checkPixel(order, pixel);
    this.order = order;
    this.pixel = pixel;
    const step = stepsFor(order);
    const n = 4 * step;
    this.xyz = pixelBoundaryXyz(order, pixel, 2 * step); // even = vertices, odd = midpoints
    const verts = new Float64Array(3 * n);
    const mids = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      verts.set(this.xyz.subarray(6 * i, 6 * i + 3), 3 * i);
      mids.set(this.xyz.subarray(6 * i + 3, 6 * i + 6), 3 * i);
    }
    this.xyz = verts;
    this.dev = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const d = distToArc(verts, 3 * i, 3 * j, mids[3 * i], mids[3 * i + 1], mids[3 * i + 2]);
      this.dev[i] = 2 * d + 1e-15;
    }
    const c = pixelCenter(order, pixel);
    const cosDec = Math.cos(c.decDeg * DEG2RAD);
    this.cx = cosDec * Math.cos(c.raDeg * DEG2RAD);
    this.cy = cosDec * Math.sin(c.raDeg * DEG2RAD);
    this.cz = Math.sin(c.decDeg * DEG2RAD);
    // Centre-to-boundary radius from a denser sampling, padded by the largest deviation.
    const { face, x0, y0, size } = pixelFaceFrame(order, pixel);
    const tmp = new Float64Array(3);
    let r = 0;
    const dense = 4 * step;
    for (let i = 0; i <= dense; i++) {
      for (const [x, y] of [
        [x0 + (i * size) / dense, y0],
        [x0 + (i * size) / dense, y0 + size],
        [x0, y0 + (i * size) / dense],
        [x0 + size, y0 + (i * size) / dense],
      ]) {
        faceLocToXyz(face, x, y, tmp, 0);
        r = Math.max(r, angle(this.cx, this.cy, this.cz, tmp[0], tmp[1], tmp[2]));
      }
    }
    this.radiusRad = r + Math.max(...this.dev) * 2;
  }

  /** True when (raDeg, decDeg) lies in the pixel. */
  contains(raDeg: number, decDeg: number): boolean {
    return ang2pixNestNumber(this.order, raDeg, decDeg) === this.pixel;
  }

  /** Lower bound of the distance (degrees) from the point to the pixel; 0 inside. */
  distanceDeg(raDeg: number, decDeg: number): number {
    if (this.contains(raDeg, decDeg)) return 0;
    return this.boundaryDistanceRad(raDeg, decDeg, -Infinity) * RAD2DEG;
  }

  /**
   * True when the point may lie within `radiusDeg` of the pixel (inside it or near its
   * boundary). Never false for a point truly within the radius; rarely true beyond it.
   */
  isNear(raDeg: number, decDeg: number, radiusDeg: number): boolean {
    const ra = raDeg * DEG2RAD;
    const dec = decDeg * DEG2RAD;
    const cosDec = Math.cos(dec);
    const px = cosDec * Math.cos(ra);
    const py = cosDec * Math.sin(ra);
    const pz = Math.sin(dec);
    const r = radiusDeg * DEG2RAD;
    if (angle(px, py, pz, this.cx, this.cy, this.cz) > this.radiusRad + r) return false;
    if (this.contains(raDeg, decDeg)) return true;
    return this.boundaryDistanceRad(raDeg, decDeg, r) <= r;
  }

  private boundaryDistanceRad(raDeg: number, decDeg: number, stopBelowRad: number): number {
    const ra = raDeg * DEG2RAD;
    const dec = decDeg * DEG2RAD;
    const cosDec = Math.cos(dec);
    const px = cosDec * Math.cos(ra);
    const py = cosDec * Math.sin(ra);
    const pz = Math.sin(dec);
    const n = this.dev.length;
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const d = distToArc(this.xyz, 3 * i, 3 * j, px, py, pz) - this.dev[i];
      if (d < best) {
        best = d;
        if (best <= stopBelowRad) break;
      }
    }
    return Math.max(0, best);
  }
}

/** Lower bound of the angular distance (degrees) from a point to pixel (order <= 24); 0 inside. */
export function distanceToPixelDeg(
  order: number,
  pixel: number,
  raDeg: number,
  decDeg: number,
): number {
  return new PixelDistance(order, pixel).distanceDeg(raDeg, decDeg);
}

/** One-shot {@link PixelDistance.isNear}; build a PixelDistance to test many points. */
export function isNearPixel(
  order: number,
  pixel: number,
  raDeg: number,
  decDeg: number,
  radiusDeg: number,
): boolean {
  return new PixelDistance(order, pixel).isNear(raDeg, decDeg, radiusDeg);
}

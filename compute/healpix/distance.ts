/**
 * Angular distance from a point to a pixel (0 inside), for picking rows near a partition border.
 *
 * Inside/outside is exact (ang2pix). Outside, the distance is the minimum over the sampled
 * boundary's great-circle segments of (distance to the segment - its deviation bound), see
 * `boundary-shape.ts`: a lower bound of the true distance. So a point truly within r of the pixel
 * is never reported farther than r (no false negatives), and a point reported near is at most
 * `toleranceDeg` beyond r. The sampling is refined until the tolerance is met (default 5e-5 of
 * the pixel radius: ~8 arcsec for an order-0 pixel, ~0.04 arcsec at order 8).
 */
import { ang2pixNestNumber } from './ang2pix';
import { angle, BoundaryShape } from './boundary-shape';
import { MAX_NUMBER_ORDER, checkOrder, checkPixel } from './nested';
import { pixelCenter } from './pix2ang';

const DEG2RAD = Math.PI / 180;
const RAD2DEG = 180 / Math.PI;

/** Starting segments per edge by order (refined when needed). */
function initialSteps(order: number): number {
  return order <= 0 ? 32 : order === 1 ? 16 : order === 2 ? 8 : 4;
}

/** Precomputed boundary of one pixel (order <= 24), for many distance queries. */
export class PixelDistance {
  readonly order: number;
  readonly pixel: number;
  /**
   * Largest under-estimate of {@link distanceDeg} (degrees): the distance returned is in
   * [true - toleranceDeg, true]; isNear may say true up to this far beyond the radius.
   */
  readonly toleranceDeg: number;
  private readonly shape: BoundaryShape;
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  /** Upper bound of the angle (rad) from the centre to any point of the pixel. */
  private readonly radiusRad: number;

  /**
   * @param maxToleranceDeg wanted {@link toleranceDeg} (default 5e-5 of the pixel radius); the
   *   boundary is sampled more densely (up to 1024 segments per edge) until it is met.
   */
  constructor(order: number, pixel: number, maxToleranceDeg?: number) {
    checkOrder(order, MAX_NUMBER_ORDER);
    checkPixel(order, pixel);
    this.order = order;
    this.pixel = pixel;
    const c = pixelCenter(order, pixel);
    const cosDec = Math.cos(c.decDeg * DEG2RAD);
    this.cx = cosDec * Math.cos(c.raDeg * DEG2RAD);
    this.cy = cosDec * Math.sin(c.raDeg * DEG2RAD);
    this.cz = Math.sin(c.decDeg * DEG2RAD);
    let step = initialSteps(order);
    let shape = new BoundaryShape(order, pixel, step);
    let radius = this.vertexRadius(shape.verts);
    const wanted = (): number =>
      maxToleranceDeg !== undefined ? (maxToleranceDeg * DEG2RAD) / 2 : 2.5e-5 * radius;
    while (shape.maxDev > wanted() && step < 1024) {
      step *= 2;
      shape = new BoundaryShape(order, pixel, step);
      radius = this.vertexRadius(shape.verts);
    }
    this.shape = shape;
    // Arcs between vertices stay within the vertices' cap around the centre, plus dev.
    this.radiusRad = radius + shape.maxDev;
    this.toleranceDeg = 2 * shape.maxDev * RAD2DEG;
  }

  private vertexRadius(verts: Float64Array): number {
    let r = 0;
    for (let i = 0; i < verts.length; i += 3) {
      r = Math.max(r, angle(this.cx, this.cy, this.cz, verts[i], verts[i + 1], verts[i + 2]));
    }
    return r;
  }

  /** True when (raDeg, decDeg) lies in the pixel. */
  contains(raDeg: number, decDeg: number): boolean {
    return ang2pixNestNumber(this.order, raDeg, decDeg) === this.pixel;
  }

  /** Lower bound of the distance (degrees) from the point to the pixel; 0 inside. */
  distanceDeg(raDeg: number, decDeg: number): number {
    if (this.contains(raDeg, decDeg)) return 0;
    const ra = raDeg * DEG2RAD;
    const dec = decDeg * DEG2RAD;
    const c = Math.cos(dec);
    return this.shape.distanceRad(c * Math.cos(ra), c * Math.sin(ra), Math.sin(dec), -1) * RAD2DEG;
  }

  /**
   * True when the point may lie within `radiusDeg` of the pixel (inside it or near its
   * boundary). Never false for a point truly within the radius; true at most `toleranceDeg`
   * beyond it.
   */
  isNear(raDeg: number, decDeg: number, radiusDeg: number): boolean {
    const ra = raDeg * DEG2RAD;
    const dec = decDeg * DEG2RAD;
    const c = Math.cos(dec);
    const px = c * Math.cos(ra);
    const py = c * Math.sin(ra);
    const pz = Math.sin(dec);
    const r = radiusDeg * DEG2RAD;
    if (angle(px, py, pz, this.cx, this.cy, this.cz) > this.radiusRad + r) return false;
    if (this.contains(raDeg, decDeg)) return true;
    return this.shape.distanceRad(px, py, pz, r) <= r;
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

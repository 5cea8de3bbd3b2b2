/**
 * A pixel boundary as great-circle segments with error bounds, for distance queries.
 *
 * HEALPix edges are not great circles. The boundary is sampled (`pixelBoundaryXyz`) and, for
 * each segment, the true edge point at mid-parameter is computed; twice its distance to the
 * segment is the segment's deviation bound `dev` (the edge between two samples is taken to stay
 * within dev of the chord arc). Segments are grouped by 16 under bounding caps so that a query
 * only visits the groups that can be nearer than the best distance found so far.
 * Point-to-arc distance: project onto the arc's great circle, else the nearer end point;
 * angles via atan2(|a x b|, a . b) for accuracy at small and large angles.
 */
import { pixelBoundaryXyz } from './pix2ang';

const GROUP = 16;

/** Angle (rad) between unit vectors a and b. */
export function angle(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

/** Angular distance (rad) from unit vector p to the minor great-circle arc v[a]-v[b]. */
export function distToArc(
  v: Float64Array,
  a: number,
  b: number,
  px: number,
  py: number,
  pz: number,
): number {
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
  // p projects inside the arc when (a x p) . n >= 0 and (p x b) . n >= 0.
  const s1 = (ay * pz - az * py) * nx + (az * px - ax * pz) * ny + (ax * py - ay * px) * nz;
  const s2 = (py * bz - pz * by) * nx + (pz * bx - px * bz) * ny + (px * by - py * bx) * nz;
  if (s1 >= 0 && s2 >= 0) return Math.asin(Math.min(1, Math.abs(px * nx + py * ny + pz * nz)));
  return Math.min(da, angle(px, py, pz, bx, by, bz));
}

/** Sampled boundary of one pixel. */
export class BoundaryShape {
  /** Vertices, unit vectors, stride 3 (4 * step of them, closed loop). */
  readonly verts: Float64Array;
  /** Per segment i (vertex i to i+1): deviation bound, rad. */
  readonly dev: Float64Array;
  /** Largest dev, rad. */
  readonly maxDev: number;
  /** Per group of 16 segments: cap centre (stride 3) and radius (rad) holding the true edge. */
  private readonly capXyz: Float64Array;
  private readonly capRad: Float64Array;

  constructor(order: number, pixel: number | bigint, step: number) {
    const n = 4 * step;
    const both = pixelBoundaryXyz(order, pixel, 2 * step); // even = vertices, odd = midpoints
    this.verts = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) this.verts.set(both.subarray(6 * i, 6 * i + 3), 3 * i);
    this.dev = new Float64Array(n);
    let maxDev = 0;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const d = distToArc(
        this.verts,
        3 * i,
        3 * j,
        both[6 * i + 3],
        both[6 * i + 4],
        both[6 * i + 5],
      );
      this.dev[i] = 2 * d + 1e-15;
      maxDev = Math.max(maxDev, this.dev[i]);
    }
    this.maxDev = maxDev;
    const groups = Math.ceil(n / GROUP);
    this.capXyz = new Float64Array(3 * groups);
    this.capRad = new Float64Array(groups);
    const v = this.verts;
    for (let g = 0; g < groups; g++) {
      const first = g * GROUP;
      const last = Math.min(n, first + GROUP); // vertex index `last` closes the group (mod n)
      let sx = 0;
      let sy = 0;
      let sz = 0;
      for (let i = first; i <= last; i++) {
        const k = 3 * (i % n);
        sx += v[k];
        sy += v[k + 1];
        sz += v[k + 2];
      }
      const norm = Math.hypot(sx, sy, sz);
      sx /= norm;
      sy /= norm;
      sz /= norm;
      let rad = 0;
      let dev = 0;
      for (let i = first; i <= last; i++) {
        const k = 3 * (i % n);
        rad = Math.max(rad, angle(sx, sy, sz, v[k], v[k + 1], v[k + 2]));
        if (i < last) dev = Math.max(dev, this.dev[i]);
      }
      this.capXyz.set([sx, sy, sz], 3 * g);
      // Arcs between vertices stay in the vertices' cap (caps < 90 deg are convex), + dev.
      this.capRad[g] = rad + dev;
    }
  }

  /**
   * Lower bound (rad, >= 0) of the distance from unit vector p to the true boundary; stops early
   * and returns a value <= stopBelowRad as soon as one is found.
   */
  distanceRad(px: number, py: number, pz: number, stopBelowRad: number): number {
    const n = this.dev.length;
    const groups = this.capRad.length;
    // Visit groups nearest first, so that the others are mostly pruned.
    const lbs = new Float64Array(groups);
    const order = new Uint16Array(groups);
    for (let g = 0; g < groups; g++) {
      const c = 3 * g;
      lbs[g] =
        angle(px, py, pz, this.capXyz[c], this.capXyz[c + 1], this.capXyz[c + 2]) - this.capRad[g];
      order[g] = g;
    }
    order.sort((a, b) => lbs[a] - lbs[b]);
    let best = Infinity;
    for (let k = 0; k < groups; k++) {
      const g = order[k];
      if (lbs[g] >= best) break;
      const end = Math.min(n, (g + 1) * GROUP);
      for (let i = g * GROUP; i < end; i++) {
        const j = i + 1 === n ? 0 : i + 1;
        const d = distToArc(this.verts, 3 * i, 3 * j, px, py, pz) - this.dev[i];
        if (d < best) {
          best = d;
          if (best <= stopBelowRad) return Math.max(0, best);
        }
      }
    }
    return Math.max(0, best);
  }
}

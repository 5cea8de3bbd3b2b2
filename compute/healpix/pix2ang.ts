/**
 * Positions inside a NESTED pixel: centre, corners, boundary.
 *
 * A point of a base face is given by face-local coordinates (x, y) in [0, 1]: x runs from the
 * south vertex to the east vertex, y from the south vertex to the west vertex. The inverse
 * projection is `xyf2loc` of HEALPix C++ `healpix_base.cc` (Górski et al. 2005, ApJ 622, 759,
 * eqs. 4-7) with jrll = {2,2,2,2,3,3,3,3,4,4,4,4} and jpll = {1,3,5,7,0,2,4,6,1,3,5,7}:
 * jr = jrll[f] - x - y; polar caps (jr < 1 or jr > 3) use nr = jr (or 4 - jr) and
 * 1 -/+ z = nr^2 / 3, the belt uses z = (2 - jr) 2/3; phi = (pi/4) (jpll[f] nr + x - y) / nr.
 * Latitudes in the caps come from 1 - |z| = 2 sin^2(theta/2), i.e. |lat| = pi/2 - 2 asin(nr/sqrt 6),
 * which keeps full precision next to the poles (order-29 cells are ~2e-9 rad wide).
 */
import { checkOrder, checkPixel, pix2xyf } from './nested';

const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];
const HALF_PI = Math.PI / 2;
const FRAC_PI_4 = Math.PI / 4;
const RAD2DEG = 180 / Math.PI;
const INV_SQRT6 = 1 / Math.sqrt(6);

/** A position in degrees. */
export interface RaDec {
  raDeg: number;
  decDeg: number;
}

let outLonRad = 0;
let outLatRad = 0;

/** Face-local (x, y) in [0, 1] of `face` -> outLonRad in [0, 2 pi), outLatRad. */
function faceLoc(face: number, x: number, y: number): void {
  const jr = JRLL[face] - x - y;
  let nr: number;
  if (jr < 1) {
    nr = jr;
    outLatRad = HALF_PI - 2 * Math.asin(nr * INV_SQRT6);
  } else if (jr > 3) {
    nr = 4 - jr;
    outLatRad = 2 * Math.asin(nr * INV_SQRT6) - HALF_PI;
  } else {
    nr = 1;
    outLatRad = Math.asin(((2 - jr) * 2) / 3);
  }
  let tmp = JPLL[face] * nr + x - y;
  if (tmp < 0) tmp += 8;
  if (tmp >= 8) tmp -= 8;
  outLonRad = nr < 1e-15 ? 0 : (FRAC_PI_4 * tmp) / nr;
}

/** Position of face-local (x, y) in degrees (RA in [0, 360)). */
export function faceLocToRaDec(face: number, x: number, y: number): RaDec {
  faceLoc(face, x, y);
  let raDeg = outLonRad * RAD2DEG;
  if (raDeg >= 360) raDeg -= 360;
  return { raDeg, decDeg: outLatRad * RAD2DEG };
}

/** Unit vector of face-local (x, y), written at `out[offset..offset+2]`. */
export function faceLocToXyz(
  face: number,
  x: number,
  y: number,
  out: Float64Array,
  offset: number,
): void {
  faceLoc(face, x, y);
  const c = Math.cos(outLatRad);
  out[offset] = c * Math.cos(outLonRad);
  out[offset + 1] = c * Math.sin(outLonRad);
  out[offset + 2] = Math.sin(outLatRad);
}

/** Face and face-local coordinates (0..1) of a pixel's south vertex, and the pixel size. */
export function pixelFaceFrame(
  order: number,
  pixel: number | bigint,
): { face: number; x0: number; y0: number; size: number } {
  checkOrder(order);
  checkPixel(order, pixel);
  const { ix, iy, face } = pix2xyf(order, pixel);
  const size = 1 / 2 ** order;
  return { face, x0: ix * size, y0: iy * size, size };
}

/** Centre of a pixel (centre in the projection plane, as healpy `pix2ang` and cdshealpix). */
export function pixelCenter(order: number, pixel: number | bigint): RaDec {
  const { face, x0, y0, size } = pixelFaceFrame(order, pixel);
  return faceLocToRaDec(face, x0 + size / 2, y0 + size / 2);
}

/**
 * Face-local (x, y) of the boundary samples, in healpy `boundaries(step)` order: `step` points
 * on each edge, starting at the N, W, S and E vertices in turn (N->W, W->S, S->E, E->N).
 */
function boundaryParams(size: number, x0: number, y0: number, step: number): Float64Array {
  const xy = new Float64Array(8 * step);
  const d = size / step;
  const x1 = x0 + size;
  const y1 = y0 + size;
  for (let i = 0; i < step; i++) {
    xy.set([x1 - i * d, y1], 2 * i);
    xy.set([x0, y1 - i * d], 2 * (i + step));
    xy.set([x0 + i * d, y0], 2 * (i + 2 * step));
    xy.set([x1, y0 + i * d], 2 * (i + 3 * step));
  }
  return xy;
}

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`step ${step} must be >= 1`);
}

/** Boundary of a pixel, `4 * step` points (healpy `boundaries(nside, pix, step, nest=True)` order). */
export function pixelBoundary(order: number, pixel: number | bigint, step = 1): RaDec[] {
  checkStep(step);
  const { face, x0, y0, size } = pixelFaceFrame(order, pixel);
  const xy = boundaryParams(size, x0, y0, step);
  const out: RaDec[] = [];
  for (let i = 0; i < 4 * step; i++) out.push(faceLocToRaDec(face, xy[2 * i], xy[2 * i + 1]));
  return out;
}

/** Boundary of a pixel as unit vectors (stride 3), same order as {@link pixelBoundary}. */
export function pixelBoundaryXyz(order: number, pixel: number | bigint, step = 1): Float64Array {
  checkStep(step);
  const { face, x0, y0, size } = pixelFaceFrame(order, pixel);
  const xy = boundaryParams(size, x0, y0, step);
  const out = new Float64Array(12 * step);
  for (let i = 0; i < 4 * step; i++) faceLocToXyz(face, xy[2 * i], xy[2 * i + 1], out, 3 * i);
  return out;
}

/** The four vertices N, W, S, E (healpy `boundaries(step=1)` order). */
export function pixelCorners(order: number, pixel: number | bigint): RaDec[] {
  return pixelBoundary(order, pixel, 1);
}

/**
 * HEALPix NESTED index arithmetic: (face, ix, iy) <-> index, parents/children, order-29 ranges.
 *
 * Layout (Górski et al. 2005, ApJ 622, 759; HEALPix C++ `healpix_base.cc`): index =
 * face * 4^order + interleave(ix, iy), face in 0..11, 0 <= ix, iy < nside = 2^order. The parent at
 * order k-1 is `index >> 2`, the pixel at order k of an order-29 index h is `h >> 2(29-k)` and
 * (k, p) covers `[p * 4^(29-k), (p+1) * 4^(29-k))` (hats `pixel_math/spatial_index.py`).
 *
 * Numbers are exact up to 2^53, which holds every index up to order 24 (12 * 4^24 < 2^52); above
 * that the index is a bigint, built from two 32-bit halves.
 */
import { deinterleaveX, deinterleaveY, interleaveHi, interleaveLo, LITTLE_ENDIAN } from './bits';

/** Highest HEALPix order with 64-bit NESTED indices; HATS `_healpix_29` uses it. */
export const MAX_ORDER = 29;
/** Highest order whose indices are exact JS numbers (12 * 4^24 < 2^53). */
export const MAX_NUMBER_ORDER = 24;

const TWO32 = 4294967296;

/** nside = 2^order. */
export function nside(order: number): number {
  return 2 ** order;
}

/** Number of pixels at an order: 12 * 4^order (exact as a number up to order 24, else rounded). */
export function npix(order: number): number {
  return 12 * 4 ** order;
}

/** Throws a RangeError unless `order` is an integer in [0, max]. */
export function checkOrder(order: number, max = MAX_ORDER): void {
  if (!Number.isInteger(order) || order < 0 || order > max) {
    throw new RangeError(`HEALPix order ${order} is not an integer in [0, ${max}]`);
  }
}

/** Throws a RangeError unless `pixel` is a valid index at `order` (number or bigint). */
export function checkPixel(order: number, pixel: number | bigint): void {
  const ok =
    typeof pixel === 'bigint'
      ? pixel >= 0n && pixel < 12n << BigInt(2 * order)
      : Number.isInteger(pixel) && pixel >= 0 && pixel < npix(order);
  if (!ok) throw new RangeError(`HEALPix pixel ${pixel} is not a valid index at order ${order}`);
}

/** NESTED index from face coordinates, as a number. Order must be <= 24. */
export function xyf2pixNumber(order: number, ix: number, iy: number, face: number): number {
  return face * 4 ** order + interleaveHi(ix, iy) * TWO32 + interleaveLo(ix, iy);
}

/** NESTED index from face coordinates, as a bigint (any order up to 29). */
export function xyf2pix(order: number, ix: number, iy: number, face: number): bigint {
  if (order <= MAX_NUMBER_ORDER) return BigInt(xyf2pixNumber(order, ix, iy, face));
  const hi = interleaveHi(ix, iy) + face * 2 ** (2 * order - 32);
  return (BigInt(hi) << 32n) | BigInt(interleaveLo(ix, iy));
}

/** Face coordinates of a pixel. */
export interface Xyf {
  ix: number;
  iy: number;
  face: number;
}

/** Face coordinates of a NESTED index (number or bigint) at `order`. */
export function pix2xyf(order: number, pixel: number | bigint): Xyf {
  let hi: number;
  let lo: number;
  let face: number;
  if (order <= 15) {
    const n = Number(pixel);
    const perFace = 4 ** order;
    face = Math.floor(n / perFace);
    lo = n - face * perFace;
    hi = 0;
  } else {
    if (typeof pixel === 'bigint') {
      hi = Number(pixel >> 32n);
      lo = Number(BigInt.asUintN(32, pixel));
    } else {
      hi = Math.floor(pixel / TWO32);
      lo = pixel >>> 0;
    }
    const hiPerFace = 2 ** (2 * order - 32);
    face = Math.floor(hi / hiPerFace);
    hi -= face * hiPerFace;
  }
  return { ix: deinterleaveX(hi, lo), iy: deinterleaveY(hi, lo), face };
}

/**
 * The pixel at `toOrder` containing (toOrder <= fromOrder) an index at `fromOrder`:
 * `pix >> 2(from - to)` (hats `spatial_index.py`). Going to a higher order gives the first child.
 */
export function pixelAtOrder(pix: bigint, fromOrder: number, toOrder: number): bigint {
  const shift = 2 * (fromOrder - toOrder);
  return shift >= 0 ? pix >> BigInt(shift) : pix << BigInt(-shift);
}

/** {@link pixelAtOrder} on numbers; both orders must be <= 24 (partition pixels). */
export function pixelAtOrderNumber(pix: number, fromOrder: number, toOrder: number): number {
  const factor = 4 ** Math.abs(fromOrder - toOrder);
  return fromOrder >= toOrder ? Math.floor(pix / factor) : pix * factor;
}

/** The pixel at `order` (<= 24) of an order-29 index, as a number. */
export function pixel29ToOrder(h29: bigint, order: number): number {
  return Number(h29 >> BigInt(2 * (MAX_ORDER - order)));
}

/**
 * Degrade a column of order-29 indices to `order` (<= 24) without BigInt: reads the two 32-bit
 * halves of each value. `out[i] = h29[i] >> 2(29 - order)`.
 */
export function degradeBatch(
  h29: BigInt64Array,
  order: number,
  out: Float64Array = new Float64Array(h29.length),
): Float64Array {
  checkOrder(order, MAX_NUMBER_ORDER);
  const words = new Uint32Array(h29.buffer, h29.byteOffset, h29.length * 2);
  const loOff = LITTLE_ENDIAN ? 0 : 1;
  const hiOff = 1 - loOff;
  const shift = 2 * (MAX_ORDER - order);
  const n = h29.length;
  if (shift >= 32) {
    const s = shift - 32;
    for (let i = 0; i < n; i++) out[i] = words[2 * i + hiOff] >>> s;
  } else {
    const hiScale = 2 ** (32 - shift);
    for (let i = 0; i < n; i++) {
      out[i] = words[2 * i + hiOff] * hiScale + (words[2 * i + loOff] >>> shift);
    }
  }
  return out;
}

/**
 * Half-open range `[start, end)` of the order-29 indices inside pixel (order, pixel)
 * (hats `spatial_index.py`: `[p * 4^(29-k), (p+1) * 4^(29-k))`).
 */
export function pixelRange29(order: number, pixel: number | bigint): [bigint, bigint] {
  checkOrder(order);
  checkPixel(order, pixel);
  const shift = BigInt(2 * (MAX_ORDER - order));
  const p = BigInt(pixel);
  return [p << shift, (p + 1n) << shift];
}

/** The four children of a pixel at order + 1 (numbers; order + 1 <= 24). */
export function childrenNumber(pixel: number): number[] {
  const first = pixel * 4;
  return [first, first + 1, first + 2, first + 3];
}

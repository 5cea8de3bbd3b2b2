/**
 * ang2pix in the NESTED scheme, exact at order 29.
 *
 * The projection is the HEALPix one (Górski et al. 2005, ApJ 622, 759, eqs. 4-7; Calabretta &
 * Roukema 2007, MNRAS 381, 865): cylindrical equal-area for |z| <= 2/3, Collignon in the polar
 * caps. It is written the way cdshealpix computes it (`nested::Layer::hash`, which hats calls via
 * `cdshealpix.lonlat_to_healpix`), because HATS `_healpix_29` values come from there:
 * - longitude -> x in [-1, 1) within a quarter q of the sky (x = 4 lon / pi - odd(q));
 * - polar caps use sqrt(3 (1 - |z|)) = sqrt(6) cos(|lat| / 2 + pi / 4), accurate near the poles;
 * - the base cell and the in-cell position (l, h) are turned into ix = floor(nside/2 (h + l)),
 *   iy = floor(nside/2 (h - l)), clamped to [0, nside - 1].
 * Multiplying by nside/2 is exact (a power of two), so no index is ever rounded as a float: the
 * 62-bit result is assembled from (face, ix, iy) in two 32-bit halves.
 * RA is wrapped into [0, 360) first, as astropy's `Longitude` does for hats.
 */
import { interleaveHi, interleaveLo, LITTLE_ENDIAN } from './bits';
import { checkOrder, MAX_NUMBER_ORDER } from './nested';

const DEG2RAD = Math.PI / 180;
const FOUR_OVER_PI = 4 / Math.PI;
const FRAC_PI_4 = Math.PI / 4;
const SQRT6 = Math.sqrt(6);
/** Latitude of the polar cap / equatorial belt transition, asin(2/3) rad. */
export const TRANSITION_LAT_RAD = Math.asin(2 / 3);
const ONE_OVER_TRANSITION_Z = 1.5;
const TWO32 = 4294967296;

// Results of locate(): module scratch, so the per-row path allocates nothing.
let locFace = 0;
let locIx = 0;
let locIy = 0;

/** Find face, ix, iy of (raDeg, decDeg) at nside = 2^order. Writes locFace / locIx / locIy. */
function locate(nsideVal: number, halfNside: number, raDeg: number, decDeg: number): void {
  if (!(decDeg >= -90 && decDeg <= 90) || !Number.isFinite(raDeg)) {
    throw new RangeError(`invalid position ra=${raDeg}, dec=${decDeg} (degrees)`);
  }
  let ra = raDeg % 360;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  const lon = ra * DEG2RAD;
  const lat = decDeg * DEG2RAD;
  const x = lon * FOUR_OVER_PI;
  const qOdd = Math.floor(x) | 1;
  const xpm1 = x - qOdd;
  const quarter = (qOdd & 7) >> 1;
  let l: number;
  let h: number;
  if (lat > TRANSITION_LAT_RAD) {
    const s = SQRT6 * Math.cos(0.5 * lat + FRAC_PI_4);
    l = xpm1 * s;
    h = 2 - s;
    locFace = quarter;
  } else if (lat < -TRANSITION_LAT_RAD) {
    const s = SQRT6 * Math.cos(0.5 * lat - FRAC_PI_4);
    l = xpm1 * s;
    h = s;
    locFace = quarter + 8;
  } else {
    const y = Math.sin(lat) * ONE_OVER_TRANSITION_Z;
    // Which of the four triangles around (x, y): top = north face, right/left = equatorial
    // faces, bottom = south face. S->E and S->W edges belong to the cell.
    const q01 = xpm1 > y ? 1 : 0;
    const q12 = xpm1 >= -y ? 1 : 0;
    const q1 = q01 & q12;
    const q013 = q01 + 1 - q12;
    l = xpm1 - (q01 + q12 - 1);
    h = y + q013;
    locFace = (q013 << 2) + ((quarter + q1) & 3);
  }
  const max = nsideVal - 1;
  let i = Math.floor(halfNside * (h + l));
  let j = Math.floor(halfNside * (h - l));
  if (i < 0) i = 0;
  else if (i > max) i = max;
  if (j < 0) j = 0;
  else if (j > max) j = max;
  locIx = i;
  locIy = j;
}

/** ang2pix NESTED at `order` <= 24, as an exact number. */
export function ang2pixNestNumber(order: number, raDeg: number, decDeg: number): number {
  checkOrder(order, MAX_NUMBER_ORDER);
  const ns = 2 ** order;
  locate(ns, ns / 2, raDeg, decDeg);
  return locFace * 4 ** order + interleaveHi(locIx, locIy) * TWO32 + interleaveLo(locIx, locIy);
}

/**
 * HEALPix NESTED index of (raDeg, decDeg) at `order` (0..29), exact (a bigint).
 * `ang2pixNest(29, 308.5, -69.5) === 3187422220182231470n` (hats small_sky id 707).
 */
export function ang2pixNest(order: number, raDeg: number, decDeg: number): bigint {
  if (order <= MAX_NUMBER_ORDER) return BigInt(ang2pixNestNumber(order, raDeg, decDeg));
  checkOrder(order);
  const ns = 2 ** order;
  locate(ns, ns / 2, raDeg, decDeg);
  const hi = interleaveHi(locIx, locIy) + locFace * 2 ** (2 * order - 32);
  return (BigInt(hi) << 32n) | BigInt(interleaveLo(locIx, locIy));
}

/**
 * ang2pix NESTED for columns of positions, into a BigInt64Array (allocated when `out` is not
 * given). No BigInt is created per row: each 64-bit value is written as two 32-bit words.
 * Throws a RangeError naming the row when a position is not finite or |dec| > 90.
 */
export function ang2pixNestBatch(
  order: number,
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  out?: BigInt64Array,
): BigInt64Array {
  checkOrder(order);
  const n = raDeg.length;
  if (decDeg.length !== n) {
    throw new RangeError(`ra has ${n} values but dec has ${decDeg.length}`);
  }
  const result = out ?? new BigInt64Array(n);
  if (result.length < n) throw new RangeError(`output holds ${result.length} values, need ${n}`);
  const words = new Uint32Array(result.buffer, result.byteOffset, n * 2);
  const loOff = LITTLE_ENDIAN ? 0 : 1;
  const hiOff = 1 - loOff;
  const ns = 2 ** order;
  const half = ns / 2;
  const perFace = 4 ** order;
  const hiPerFace = order >= 16 ? 2 ** (2 * order - 32) : 0;
  for (let r = 0; r < n; r++) {
    try {
      locate(ns, half, raDeg[r], decDeg[r]);
    } catch (err) {
      throw new RangeError(`row ${r}: ${(err as Error).message}`, { cause: err });
    }
    const lo = interleaveLo(locIx, locIy);
    const hi = interleaveHi(locIx, locIy);
    if (order >= 16) {
      words[2 * r + loOff] = lo;
      words[2 * r + hiOff] = hi + locFace * hiPerFace;
    } else {
      // < 2^34: split the exact number value.
      const v = locFace * perFace + lo;
      words[2 * r + loOff] = v >>> 0;
      words[2 * r + hiOff] = Math.floor(v / TWO32);
    }
  }
  return result;
}

/**
 * ang2pix NESTED at `order` <= 24 for columns of positions, as exact numbers in a Float64Array
 * (e.g. the partition pixel of every row). Same validation as {@link ang2pixNestBatch}.
 */
export function ang2pixNestNumberBatch(
  order: number,
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  checkOrder(order, MAX_NUMBER_ORDER);
  const n = raDeg.length;
  if (decDeg.length !== n) {
    throw new RangeError(`ra has ${n} values but dec has ${decDeg.length}`);
  }
  const result = out ?? new Float64Array(n);
  if (result.length < n) throw new RangeError(`output holds ${result.length} values, need ${n}`);
  const ns = 2 ** order;
  const half = ns / 2;
  const perFace = 4 ** order;
  for (let r = 0; r < n; r++) {
    try {
      locate(ns, half, raDeg[r], decDeg[r]);
    } catch (err) {
      throw new RangeError(`row ${r}: ${(err as Error).message}`, { cause: err });
    }
    result[r] = locFace * perFace + interleaveHi(locIx, locIy) * TWO32 + interleaveLo(locIx, locIy);
  }
  return result;
}

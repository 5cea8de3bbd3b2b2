/**
 * HEALPix RING scheme for dust maps (any NSIDE ≥ 1 in RING; powers of two for RING↔NESTED):
 * ang2pix, RING↔NESTED conversion and bilinear interpolation weights. Ported from HEALPix C++
 * `healpix_base.cc` (Górski et al. 2005, ApJ 622, 759): `loc2pix`, `ring_above`,
 * `get_ring_info2`, `get_interpol`, `ring2xyf`, `xyf2ring`. `getInterpWeights` matches healpy's
 * `get_interp_weights` (which calls `get_interpol`). Numbers stay exact for NSIDE ≤ 2^24.
 */

const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];
const HALF_PI = Math.PI / 2;
const TWO_PI = 2 * Math.PI;

export function npixOf(nside: number): number {
  return 12 * nside * nside;
}

/** NSIDE from a pixel count (npix = 12·NSIDE²), or -1 when npix is not a HEALPix size. */
export function nsideOfNpix(npix: number): number {
  const nside = Math.round(Math.sqrt(npix / 12));
  return nside >= 1 && 12 * nside * nside === npix ? nside : -1;
}

/**
 * RING pixel containing colatitude `thetaRad` ∈ [0, π] and longitude `phiRad` (C++ `loc2pix`).
 */
export function ang2pixRing(nside: number, thetaRad: number, phiRad: number): number {
  const z = Math.cos(thetaRad);
  const za = Math.abs(z);
  let tt = (phiRad / HALF_PI) % 4;
  if (tt < 0) tt += 4;
  const ncap = 2 * nside * (nside - 1);
  const npix = 12 * nside * nside;
  if (za <= 2 / 3) {
    const nl4 = 4 * nside;
    const temp1 = nside * (0.5 + tt);
    const temp2 = nside * z * 0.75;
    const jp = Math.trunc(temp1 - temp2);
    const jm = Math.trunc(temp1 + temp2);
    const ir = nside + 1 + jp - jm;
    const kshift = 1 - (ir & 1);
    const t1 = jp + jm - nside + kshift + 1 + nl4 + nl4;
    const ip = Math.floor(t1 / 2) % nl4;
    return ncap + (ir - 1) * nl4 + ip;
  }
  const tp = tt - Math.trunc(tt);
  // Near the poles use sin θ directly, as the C++ code does when it has it (za ≥ 0.99).
  const tmp =
    za < 0.99
      ? nside * Math.sqrt(3 * (1 - za))
      : (nside * Math.sin(thetaRad)) / Math.sqrt((1 + za) / 3);
  const jp = Math.trunc(tp * tmp);
  const jm = Math.trunc((1 - tp) * tmp);
  const ir = jp + jm + 1;
  let ip = Math.trunc(tt * ir);
  ip = ((ip % (4 * ir)) + 4 * ir) % (4 * ir);
  return z > 0 ? 2 * ir * (ir - 1) + ip : npix - 2 * ir * (ir + 1) + ip;
}

function ringAbove(nside: number, z: number): number {
  const az = Math.abs(z);
  if (az <= 2 / 3) return Math.trunc(nside * (2 - 1.5 * z));
  const iring = Math.trunc(nside * Math.sqrt(3 * (1 - az)));
  return z > 0 ? iring : 4 * nside - iring - 1;
}

interface RingInfo {
  startpix: number;
  ringpix: number;
  thetaRad: number;
  shifted: boolean;
}

function ringInfo(nside: number, ring: number, out: RingInfo): void {
  const npix = 12 * nside * nside;
  const fact2 = 4 / npix;
  const northring = ring > 2 * nside ? 4 * nside - ring : ring;
  if (northring < nside) {
    const tmp = northring * northring * fact2;
    out.thetaRad = Math.atan2(Math.sqrt(tmp * (2 - tmp)), 1 - tmp);
    out.ringpix = 4 * northring;
    out.shifted = true;
    out.startpix = 2 * northring * (northring - 1);
  } else {
    out.thetaRad = Math.acos((2 * nside - northring) * 2 * nside * fact2);
    out.ringpix = 4 * nside;
    out.shifted = ((northring - nside) & 1) === 0;
    out.startpix = 2 * nside * (nside - 1) + (northring - nside) * out.ringpix;
  }
  if (northring !== ring) {
    out.thetaRad = Math.PI - out.thetaRad;
    out.startpix = npix - out.startpix - out.ringpix;
  }
}

const scratch: RingInfo = { startpix: 0, ringpix: 0, thetaRad: 0, shifted: false };

/** ringInfo of every ring of one NSIDE, made on first use (its trigonometry once per ring). */
interface RingTable {
  nside: number;
  startpix: Float64Array;
  ringpix: Float64Array;
  thetaRad: Float64Array;
  shifted: Uint8Array;
}

/** Rings tabled at most (NSIDE 8192: ~1 MB); finer maps compute each ring when asked. */
const MAX_TABLED_RINGS = 4 * 8192;
let table: RingTable | null = null;

function ringTable(nside: number): RingTable | null {
  if (table?.nside === nside) return table;
  const rings = 4 * nside;
  if (rings > MAX_TABLED_RINGS) return null;
  const t: RingTable = {
    nside,
    startpix: new Float64Array(rings),
    ringpix: new Float64Array(rings),
    thetaRad: new Float64Array(rings),
    shifted: new Uint8Array(rings),
  };
  const info: RingInfo = { startpix: 0, ringpix: 0, thetaRad: 0, shifted: false };
  for (let ring = 1; ring < rings; ring++) {
    ringInfo(nside, ring, info);
    t.startpix[ring] = info.startpix;
    t.ringpix[ring] = info.ringpix;
    t.thetaRad[ring] = info.thetaRad;
    t.shifted[ring] = info.shifted ? 1 : 0;
  }
  table = t;
  return t;
}

/** ringInfo(nside, ring, out), from the table when there is one. */
function ringInfoOf(nside: number, ring: number, out: RingInfo): void {
  const t = ringTable(nside);
  if (!t) {
    ringInfo(nside, ring, out);
    return;
  }
  out.startpix = t.startpix[ring];
  out.ringpix = t.ringpix[ring];
  out.thetaRad = t.thetaRad[ring];
  out.shifted = t.shifted[ring] === 1;
}

function ringPair(phiRad: number, info: RingInfo, pix: Float64Array, wgt: Float64Array, k: number) {
  const dphi = TWO_PI / info.ringpix;
  const half = info.shifted ? 0.5 : 0;
  const tmp = phiRad / dphi - half;
  let i1 = tmp < 0 ? Math.trunc(tmp) - 1 : Math.trunc(tmp);
  const w1 = (phiRad - (i1 + half) * dphi) / dphi;
  let i2 = i1 + 1;
  if (i1 < 0) i1 += info.ringpix;
  if (i2 >= info.ringpix) i2 -= info.ringpix;
  pix[k] = info.startpix + i1;
  pix[k + 1] = info.startpix + i2;
  wgt[k] = 1 - w1;
  wgt[k + 1] = w1;
}

/**
 * The 4 RING pixels and weights of bilinear interpolation at (θ, φ), as healpy
 * `get_interp_weights(nside, theta, phi)` (C++ `get_interpol`). `phiRad` must be in [0, 2π).
 */
export function getInterpWeightsRing(
  nside: number,
  thetaRad: number,
  phiRad: number,
  pix: Float64Array,
  wgt: Float64Array,
): void {
  const npix = 12 * nside * nside;
  const ir1 = ringAbove(nside, Math.cos(thetaRad));
  const ir2 = ir1 + 1;
  let theta1 = 0;
  let theta2 = 0;
  if (ir1 > 0) {
    ringInfoOf(nside, ir1, scratch);
    theta1 = scratch.thetaRad;
    ringPair(phiRad, scratch, pix, wgt, 0);
  }
  if (ir2 < 4 * nside) {
    ringInfoOf(nside, ir2, scratch);
    theta2 = scratch.thetaRad;
    ringPair(phiRad, scratch, pix, wgt, 2);
  }
  if (ir1 === 0) {
    const wtheta = thetaRad / theta2;
    wgt[2] *= wtheta;
    wgt[3] *= wtheta;
    const fac = (1 - wtheta) * 0.25;
    wgt[0] = fac;
    wgt[1] = fac;
    wgt[2] += fac;
    wgt[3] += fac;
    pix[0] = (pix[2] + 2) & 3;
    pix[1] = (pix[3] + 2) & 3;
  } else if (ir2 === 4 * nside) {
    const wtheta = (thetaRad - theta1) / (Math.PI - theta1);
    wgt[0] *= 1 - wtheta;
    wgt[1] *= 1 - wtheta;
    const fac = wtheta * 0.25;
    wgt[0] += fac;
    wgt[1] += fac;
    wgt[2] = fac;
    wgt[3] = fac;
    pix[2] = ((pix[0] + 2) & 3) + npix - 4;
    pix[3] = ((pix[1] + 2) & 3) + npix - 4;
  } else {
    const wtheta = (thetaRad - theta1) / (theta2 - theta1);
    wgt[0] *= 1 - wtheta;
    wgt[1] *= 1 - wtheta;
    wgt[2] *= wtheta;
    wgt[3] *= wtheta;
  }
}

function log2Exact(nside: number): number {
  const order = 31 - Math.clz32(nside);
  if (nside < 1 || nside > 2 ** 24 || 2 ** order !== nside)
    throw new RangeError(`NESTED needs NSIDE a power of 2 up to 2^24, got ${nside}`);
  return order;
}

/** RING pixel → NESTED pixel (C++ `ring2xyf` then `xyf2nest`). NSIDE must be a power of 2. */
export function ring2nest(nside: number, pix: number): number {
  const order = log2Exact(nside);
  const npix = 12 * nside * nside;
  const ncap = 2 * nside * (nside - 1);
  const nl2 = 2 * nside;
  let iring: number;
  let iphi: number;
  let kshift: number;
  let nr: number;
  let face: number;
  if (pix < ncap) {
    iring = Math.floor((1 + Math.floor(Math.sqrt(1 + 2 * pix))) / 2);
    iphi = pix + 1 - 2 * iring * (iring - 1);
    kshift = 0;
    nr = iring;
    face = Math.floor((iphi - 1) / nr);
  } else if (pix < npix - ncap) {
    const ip = pix - ncap;
    const tmp = Math.floor(ip / (4 * nside));
    iring = tmp + nside;
    iphi = ip - tmp * 4 * nside + 1;
    kshift = (iring + nside) & 1;
    nr = nside;
    const ire = tmp + 1;
    const irm = nl2 + 1 - tmp;
    const ifm = Math.floor((iphi - Math.floor(ire / 2) + nside - 1) / nside);
    const ifp = Math.floor((iphi - Math.floor(irm / 2) + nside - 1) / nside);
    face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
  } else {
    const ip = npix - pix;
    iring = Math.floor((1 + Math.floor(Math.sqrt(2 * ip - 1))) / 2);
    iphi = 4 * iring + 1 - (ip - 2 * iring * (iring - 1));
    kshift = 0;
    nr = iring;
    iring = 2 * nl2 - iring;
    face = 8 + Math.floor((iphi - 1) / nr);
  }
  const irt = iring - (2 + (face >> 2)) * nside + 1;
  let ipt = 2 * iphi - JPLL[face] * nr - kshift - 1;
  if (ipt >= nl2) ipt -= 8 * nside;
  const ix = Math.floor((ipt - irt) / 2);
  const iy = Math.floor((-ipt - irt) / 2);
  return face * nside * nside + interleave(ix, iy, order);
}

/** NESTED pixel → RING pixel (C++ `nest2xyf` then `xyf2ring`). NSIDE must be a power of 2. */
export function nest2ring(nside: number, pix: number): number {
  const order = log2Exact(nside);
  const npix = 12 * nside * nside;
  const nsq = nside * nside;
  const face = Math.floor(pix / nsq);
  let local = pix - face * nsq;
  let ix = 0;
  let iy = 0;
  if (order <= 15) {
    ix = compact16(local);
    iy = compact16(local >>> 1);
  } else {
    for (let b = 0, bit = 1; b < order; b++, bit *= 2) {
      ix += (local % 2) * bit;
      local = Math.floor(local / 2);
      iy += (local % 2) * bit;
      local = Math.floor(local / 2);
    }
  }
  const nl4 = 4 * nside;
  const jr = JRLL[face] * nside - ix - iy - 1;
  let nr: number;
  let kshift: number;
  let nBefore: number;
  if (jr < nside) {
    nr = jr;
    nBefore = 2 * nr * (nr - 1);
    kshift = 0;
  } else if (jr > 3 * nside) {
    nr = nl4 - jr;
    nBefore = npix - 2 * (nr + 1) * nr;
    kshift = 0;
  } else {
    nr = nside;
    nBefore = 2 * nside * (nside - 1) + (jr - nside) * nl4;
    kshift = (jr - nside) & 1;
  }
  let jp = Math.floor((JPLL[face] * nr + ix - iy + 1 + kshift) / 2);
  if (jp > nl4) jp -= nl4;
  else if (jp < 1) jp += nl4;
  return nBefore + jp - 1;
}

/** Spreads the 16 low bits of v to the even bits of a 32-bit word (Morton code). */
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Inverse of {@link spread16}: the even bits of a 32-bit word packed into 16 bits. */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** Bit interleave: x in the even bits, y in the odd bits (`xyf2nest`). */
function interleave(ix: number, iy: number, order: number): number {
  if (order <= 16) return spread16(ix) + 2 * spread16(iy);
  let out = 0;
  for (let b = 0, bit = 1; b < order; b++, bit *= 4) {
    out += (Math.floor(ix / 2 ** b) % 2) * bit + (Math.floor(iy / 2 ** b) % 2) * 2 * bit;
  }
  return out;
}

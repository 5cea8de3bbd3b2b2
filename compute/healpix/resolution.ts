/**
 * Pixel-size helpers, as hats defines them (`hats:src/hats/pixel_math/healpix_shim.py`):
 * - resol(k) = sqrt(4 pi / (12 * 4^k)) rad, the square root of the mean pixel area;
 * - mindist(k) = resol_arcmin(k) / 1.6 ("rough estimate", average size / minimum distance = 1.6);
 * - margin2order(t) = clip(floor(log2(sqrt(pi/3) / radians(1.6 t / 60))), 0, 29), t in arcmin.
 */
import { checkOrder, MAX_ORDER } from './nested';

const RAD2DEG = 180 / Math.PI;

/** Square root of the mean pixel area at `order`, in degrees (healpy `nside2resol`). */
export function resolDeg(order: number): number {
  checkOrder(order);
  return Math.sqrt((4 * Math.PI) / (12 * 4 ** order)) * RAD2DEG;
}

/** {@link resolDeg} in arcseconds. */
export function order2resolutionArcsec(order: number): number {
  return resolDeg(order) * 3600;
}

/** {@link resolDeg} in arcminutes. */
export function resolArcmin(order: number): number {
  return resolDeg(order) * 60;
}

/**
 * hats' rough minimum distance across a pixel at `order`, in arcminutes: resol / 1.6. A margin
 * threshold of `mindistArcmin(k) * 60` arcsec is what hats-import writes for margin order k
 * (order 4 -> 8245.167388361773 arcsec).
 */
export function mindistArcmin(order: number): number {
  return resolArcmin(order) / 1.6;
}

/**
 * The margin order hats picks for a threshold in arcminutes:
 * clip(floor(log2(sqrt(pi/3) / radians(1.6 * threshold / 60))), 0, 29). Examples (arcsec):
 * 1 -> 17, 10 -> 13, 3600 -> 5, 7200 -> 4.
 */
export function margin2order(thresholdArcmin: number): number {
  if (!(thresholdArcmin > 0) || !Number.isFinite(thresholdArcmin)) {
    throw new RangeError(`margin threshold ${thresholdArcmin} arcmin must be a positive number`);
  }
  const radians = ((1.6 * thresholdArcmin) / 60) * (Math.PI / 180);
  const order = Math.floor(Math.log2(Math.sqrt(Math.PI / 3) / radians));
  return Math.min(MAX_ORDER, Math.max(0, order));
}

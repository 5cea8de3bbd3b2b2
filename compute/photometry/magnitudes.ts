/**
 * Flux to AB magnitude, magnitude clean-up and dereddening over typed arrays (no allocation in
 * the loops; the caller provides the output arrays).
 *
 * Formulas (shared/reference/dust-photometry.md §5, §4.3):
 * - m = zp − 2.5·log10(f); zp = 31.4 for fluxes in nJy (AB: 80 − 48.6), 30 for DES counts.
 * - σm = (2.5 / ln 10)·σf / f = 1.0857362047581294·σf / f (RAIL `LSSTFluxToMagConverter`,
 *   SExtractor), made positive with |f| so σf < 0 never gives a negative error.
 * - m0 = m − R_b·E(B−V) (RAIL `Dereddener`, DES `*_DERED`); flux form f0 = f·10^(0.4·R_b·E(B−V)).
 */

/** 2.5 / ln(10): the magnitude error per unit relative flux error. */
export const MAG_ERR_FACTOR = 2.5 / Math.LN10;
/** AB zero point for fluxes in nJy: −2.5·log10(1e−32 erg s⁻¹ cm⁻² Hz⁻¹) − 48.6 = 31.4 exactly. */
export const ZERO_POINT_NJY = 31.4;
/** DES DR2 coadd fluxes are counts on a fixed zero point of 30. */
export const ZERO_POINT_DES = 30;
/** RAIL's `nondetect_val` (SHARED_PARAMS); the other RAIL convention is NaN. */
export const NONDETECT_99 = 99;
/**
 * An input magnitude at or beyond this absolute value is a sentinel (SExtractor writes 99, DES
 * dereddened sentinels become e.g. 98.84, DES user code cuts at 90).
 */
export const MAG_SENTINEL_LIMIT = 90;

/** How a non-detection is written: NaN (RAIL `CatalogTag` default) or 99 (RAIL SHARED_PARAMS). */
export type NondetectValue = 'nan' | 99;

export function nondetectNumber(nondetect: NondetectValue): number {
  return nondetect === 99 ? NONDETECT_99 : Number.NaN;
}

/**
 * Converts fluxes to magnitudes. A non-detection (f ≤ 0, NaN, ±inf) gets the sentinel in both
 * the magnitude and the error; an invalid error (NaN/inf) with a valid flux gives a NaN error.
 *
 * @param flux fluxes (NaN for nulls)
 * @param fluxErr flux errors, or null when the catalog has none (then `magErr` is left untouched)
 * @param zeroPointMag zp in m = zp − 2.5·log10(f)
 * @returns the number of non-detections
 */
export function fluxToMag(
  flux: ArrayLike<number>,
  fluxErr: ArrayLike<number> | null,
  zeroPointMag: number,
  nondetect: NondetectValue,
  mag: Float64Array,
  magErr: Float64Array | null,
): number {
  const sentinel = nondetectNumber(nondetect);
  const n = flux.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const f = flux[i];
    if (!(f > 0) || f === Infinity) {
      mag[i] = sentinel;
      if (magErr) magErr[i] = sentinel;
      count++;
      continue;
    }
    mag[i] = zeroPointMag - 2.5 * Math.log10(f);
    if (magErr && fluxErr) {
      const e = Math.abs(fluxErr[i]);
      magErr[i] = e < Infinity ? (MAG_ERR_FACTOR * e) / f : Number.NaN;
    }
  }
  return count;
}

/**
 * Copies catalog magnitudes, mapping sentinels (non-finite or |m| ≥ 90) to the chosen
 * non-detection value; the error gets the sentinel where the magnitude is one.
 *
 * @returns the number of non-detections
 */
export function cleanMagnitudes(
  magIn: ArrayLike<number>,
  magErrIn: ArrayLike<number> | null,
  nondetect: NondetectValue,
  mag: Float64Array,
  magErr: Float64Array | null,
): number {
  const sentinel = nondetectNumber(nondetect);
  let count = 0;
  for (let i = 0; i < magIn.length; i++) {
    const m = magIn[i];
    if (!(Math.abs(m) < MAG_SENTINEL_LIMIT)) {
      mag[i] = sentinel;
      if (magErr) magErr[i] = sentinel;
      count++;
      continue;
    }
    mag[i] = m;
    if (magErr && magErrIn) {
      const e = magErrIn[i];
      magErr[i] = Math.abs(e) < MAG_SENTINEL_LIMIT ? e : Number.NaN;
    }
  }
  return count;
}

/**
 * Dereddened magnitudes m0 = m − R_b·E(B−V). Sentinels (NaN, 99 or anything |m| ≥ 90) are copied
 * unchanged, never dereddened; a NaN E(B−V) gives NaN for detections.
 *
 * @param rBand A_b / E(B−V) for this band
 * @param ebv E(B−V) per row, already scaled (e.g. ×0.86 when asked)
 */
export function dereddenMag(
  mag: ArrayLike<number>,
  ebv: ArrayLike<number>,
  rBand: number,
  out: Float64Array,
): void {
  for (let i = 0; i < mag.length; i++) {
    const m = mag[i];
    out[i] = Math.abs(m) < MAG_SENTINEL_LIMIT ? m - rBand * ebv[i] : m;
  }
}

/**
 * Dereddened fluxes f0 = f·10^(0.4·R_b·E(B−V)) (and the same factor on errors); works for any
 * sign of f (dust-photometry.md §4.3). NaN stays NaN.
 */
export function dereddenFlux(
  flux: ArrayLike<number>,
  ebv: ArrayLike<number>,
  rBand: number,
  out: Float64Array,
): void {
  const k = 0.4 * rBand * Math.LN10;
  for (let i = 0; i < flux.length; i++) out[i] = flux[i] * Math.exp(k * ebv[i]);
}

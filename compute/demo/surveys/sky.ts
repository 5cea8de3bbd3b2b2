/**
 * Sky positions of the survey test catalogs: counterparts of spec-z positions (within 0.4″, as
 * a real match would be), close neighbours (2–20″, so k > 1 and radius choices matter), and
 * field objects around well-known spec-z survey fields.
 */
import type { Prng } from './prng';

/** Centres (RA, Dec deg) of real spec-z fields: COSMOS, ECDFS (DP1), XMM-LSS, GAMA G09, EDFS (DP1), 2dF SGP strip. */
export const SPECZ_FIELDS: [number, number][] = [
  [150.12, 2.21],
  [53.13, -28.1],
  [35.7, -4.75],
  [135.0, 0.5],
  [59.1, -48.7],
  [10.0, -28.0],
];

export interface SkyObject {
  raDeg: number;
  decDeg: number;
  /** Index of the spec-z position this object is the counterpart of, or -1. */
  counterpartOf: number;
}

/** A point at `sepArcsec` from (ra, dec) in a random direction. */
export function offsetPosition(
  rng: Prng,
  raDeg: number,
  decDeg: number,
  sepArcsec: number,
): [number, number] {
  const d = Math.PI / 180;
  const rho = (sepArcsec / 3600) * d;
  const pa = rng.uniform(0, 2 * Math.PI);
  const dec0 = decDeg * d;
  const dec = Math.asin(
    Math.sin(dec0) * Math.cos(rho) + Math.cos(dec0) * Math.sin(rho) * Math.cos(pa),
  );
  const dra = Math.atan2(
    Math.sin(pa) * Math.sin(rho) * Math.cos(dec0),
    Math.cos(rho) - Math.sin(dec0) * Math.sin(dec),
  );
  const ra = (((raDeg + dra / d) % 360) + 360) % 360;
  return [ra, dec / d];
}

/**
 * Positions for one survey: for each spec-z position a counterpart (probability `matchFraction`)
 * and sometimes a neighbour; then field objects within 0.5° of the fields until `rows`.
 */
export function surveyPositions(
  rng: Prng,
  specz: { raDeg: ArrayLike<number>; decDeg: ArrayLike<number> },
  rows: number,
  matchFraction: number,
): SkyObject[] {
  const out: SkyObject[] = [];
  for (let k = 0; k < specz.raDeg.length && out.length < rows; k++) {
    if (rng.next() < matchFraction) {
      const [ra, dec] = offsetPosition(rng, specz.raDeg[k], specz.decDeg[k], rng.uniform(0, 0.4));
      out.push({ raDeg: ra, decDeg: dec, counterpartOf: k });
    }
    if (rng.next() < 0.5) {
      const [ra, dec] = offsetPosition(rng, specz.raDeg[k], specz.decDeg[k], rng.uniform(2, 20));
      out.push({ raDeg: ra, decDeg: dec, counterpartOf: -1 });
    }
  }
  while (out.length < rows) {
    const [fra, fdec] = SPECZ_FIELDS[rng.int(SPECZ_FIELDS.length)];
    const [ra, dec] = offsetPosition(rng, fra, fdec, 1800 * Math.sqrt(rng.next()));
    out.push({ raDeg: ra, decDeg: dec, counterpartOf: -1 });
  }
  return out;
}

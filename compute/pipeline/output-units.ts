/**
 * Units of a training set's columns, for the outputs that carry them (FITS TUNIT, HDF5 astropy
 * column meta): positions in degrees, the separation in arcsec, magnitudes and E(B-V) in mag,
 * fluxes in the survey profile's unit. Keyed by output column name; columns it does not know get
 * none.
 */
import type { SurveyProfile } from '../photometry/profiles';

export interface OutputUnitsInput {
  profile: SurveyProfile;
  /** The output's names of the spec-z and photometric ra/dec columns. */
  degrees: readonly string[];
  /** The output's columns. */
  columns: readonly string[];
}

const MAGNITUDE = /^(mag|magerr|mag_dered)_/;

export function outputUnits({
  profile,
  degrees,
  columns,
}: OutputUnitsInput): Record<string, string> {
  const fluxes = new Set<string>();
  const mags = new Set<string>(['ebv', 'ebv_catalog']);
  if (profile.ebvColumn) mags.add(profile.ebvColumn);
  for (const type of profile.fluxTypes) {
    for (const b of type.bands) {
      for (const c of [b.flux, b.fluxErr]) if (c) fluxes.add(c);
      for (const c of [b.mag, b.magErr, b.magDered]) if (c) mags.add(c);
    }
  }
  const units: Record<string, string> = {};
  for (const name of columns) {
    if (degrees.includes(name)) units[name] = 'deg';
    else if (name === '_dist_arcsec') units[name] = 'arcsec';
    else if (MAGNITUDE.test(name) || mags.has(name)) units[name] = 'mag';
    else if (profile.fluxUnit && (fluxes.has(name) || name.startsWith('flux_dered_')))
      units[name] = profile.fluxUnit;
  }
  return units;
}

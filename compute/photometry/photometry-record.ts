/**
 * The run-record entry of the photometry step: profile, flux type, map, scale, coefficients. The
 * scale and the coefficients are those applied: null where no dust map was (`dustMap: null`).
 */
import type { PhotometryOptions } from './apply-photometry';
import type { DustMapInfo } from './dust-map';
import { findFluxType, type SurveyProfile } from './profiles';

/** What the run record keeps about the photometry step. */
export interface PhotometryRecord {
  profile: string;
  profileDetectedBy: string;
  fluxType: string;
  toMagnitudes: boolean;
  zeroPointMag: number;
  fluxUnit: string;
  nondetect: 'NaN' | 99;
  dustMap: DustMapInfo | null;
  /** The E(B-V) scale applied; null without a dust map. */
  ebvScale: number | null;
  /** The R_b applied (m0 = m - R_b E(B-V)); null without a dust map. */
  extinction: { coefficients: Record<string, number>; source: string } | null;
  qualityFilter: string | null;
}

export function photometryRecord(
  profile: SurveyProfile,
  options: PhotometryOptions,
): PhotometryRecord {
  const ft = findFluxType(profile, options.fluxType);
  return {
    profile: profile.id,
    profileDetectedBy: profile.detectedBy,
    fluxType: ft.id,
    toMagnitudes: options.toMagnitudes ?? true,
    zeroPointMag: profile.zeroPointMag,
    fluxUnit: profile.fluxUnit,
    nondetect: options.nondetect === 99 ? 99 : 'NaN',
    dustMap: options.dustMap?.info ?? null,
    // no map, no dereddening: the profile's coefficients and the project's scale were not used
    ebvScale: options.dustMap ? (options.ebvScale ?? 1) : null,
    extinction: options.dustMap ? profile.extinction : null,
    qualityFilter: profile.qualityFilter
      ? `${profile.qualityFilter.column} == ${profile.qualityFilter.equals}`
      : null,
  };
}

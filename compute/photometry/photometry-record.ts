/** The run-record entry of the photometry step: profile, flux type, map, scale, coefficients. */
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
  ebvScale: number;
  extinction: { coefficients: Record<string, number>; source: string };
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
    ebvScale: options.ebvScale ?? 1,
    extinction: profile.extinction,
    qualityFilter: profile.qualityFilter
      ? `${profile.qualityFilter.column} == ${profile.qualityFilter.equals}`
      : null,
  };
}

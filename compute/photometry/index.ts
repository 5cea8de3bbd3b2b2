/**
 * Photometry for the pipeline: survey profiles, flux → magnitude, dust maps and dereddening.
 * See each module for formulas and sources.
 */
export {
  applyPhotometry,
  applyQualityFilter,
  findFluxType,
  photometryColumnNames,
  type PhotometryOptions,
  type PhotometryResult,
} from './apply-photometry';
export { photometryRecord, type PhotometryRecord } from './photometry-record';
export {
  detectProfile,
  genericProfile,
  genericChoicesSchema,
  type CatalogDescription,
  type GenericChoices,
  type ProfileOverride,
} from './detect-profile';
export {
  SURVEY_IDS,
  type SurveyId,
  type SurveyProfile,
  type FluxType,
  type BandColumns,
} from './profiles';
export type { DustMap, DustMapInfo, Interpolation } from './dust-map';
export {
  KNOWN_MAPS,
  detectDustMaps,
  embeddedMapPath,
  openDustMap,
  type DustMapStatus,
  type KnownMapName,
  type OpenDustMapOptions,
} from './dust-maps';
export { SF11_SCALE, DES_DR2, LSST_RAIL_CCM, LSST_SF11 } from './extinction';
export {
  fluxToMag,
  dereddenMag,
  dereddenFlux,
  cleanMagnitudes,
  type NondetectValue,
} from './magnitudes';
export { icrsToGalacticRad, icrsToGalacticDeg } from './galactic';
export { describeProfile, profileInspectSection } from './inspect-profile';

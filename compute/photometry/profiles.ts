/**
 * Survey profiles: which columns of a photometric catalog hold the id, the position, and the
 * fluxes or magnitudes of each flux type and band; their units and zero point; what is already
 * dereddened; the quality filter; and the extinction coefficients. Column conventions:
 * shared/reference/tsm-domain.md §2.3 (LIneA science_catalogs configs), dust-photometry.md §4–5.
 */
import { UserError } from '../errors';
import { DES_DR2, LSST_RAIL_CCM, type ExtinctionSet } from './extinction';
import { ZERO_POINT_DES, ZERO_POINT_NJY } from './magnitudes';

export type SurveyId = 'lsst-dp02' | 'lsst-dp1' | 'des-dr2' | 'generic';
export const SURVEY_IDS: SurveyId[] = ['lsst-dp02', 'lsst-dp1', 'des-dr2', 'generic'];

/** The catalog columns of one band of one flux type (absent ones undefined). */
export interface BandColumns {
  /** Output band name, lower-case ('g', 'y'). */
  band: string;
  flux?: string;
  fluxErr?: string;
  /** Catalog magnitude, not dereddened. */
  mag?: string;
  magErr?: string;
  /** Catalog magnitude already dereddened by the survey (DES `MAG_AUTO_G_DERED`). */
  magDered?: string;
}

export interface FluxType {
  /** Lower-case id used in output column names: 'cmodel', 'gaap1p0', 'psf', 'auto'. */
  id: string;
  /** Display name: 'cModel', 'GAaP 1.0"', 'PSF', 'AUTO'. */
  label: string;
  bands: BandColumns[];
}

export interface QualityFilter {
  column: string;
  equals: boolean;
}

export interface SurveyProfile {
  id: SurveyId;
  label: string;
  idColumn: string | null;
  raColumn: string;
  decColumn: string;
  /** Band names present (lower-case), in wavelength order. */
  bands: string[];
  /** Flux types found in the schema, the preferred one first. */
  fluxTypes: FluxType[];
  /** Unit of the flux columns ('nJy', 'count'), as FITS spells it (astropy parses it). */
  fluxUnit: string;
  /** m = zeroPointMag − 2.5·log10(flux). */
  zeroPointMag: number;
  /** Rows kept: `column == equals` (DP0.2 `detect_isPrimary`); null = keep all. */
  qualityFilter: QualityFilter | null;
  extinction: ExtinctionSet;
  /** A survey-provided E(B−V) column (DES `EBV_SFD98`, DP1 `ebv`), if present. */
  ebvColumn: string | null;
  /** Why this profile was chosen: 'obs_collection', 'schema', 'override', 'user columns'. */
  detectedBy: string;
}

/** Case-insensitive lookup of schema column names. */
export class ColumnIndex {
  private readonly byLower = new Map<string, string>();
  constructor(readonly names: string[]) {
    for (const n of names)
      if (!this.byLower.has(n.toLowerCase())) this.byLower.set(n.toLowerCase(), n);
  }
  get(name: string): string | undefined {
    return this.byLower.get(name.toLowerCase());
  }
  has(name: string): boolean {
    return this.byLower.has(name.toLowerCase());
  }
}

const LSST_BANDS = ['u', 'g', 'r', 'i', 'z', 'y'];
const DES_BANDS = ['g', 'r', 'i', 'z', 'y'];
/** Preferred LSST flux types, in this order; others follow alphabetically. */
const LSST_ORDER = ['cmodel', 'gaap1p0', 'psf'];

/** LSST Object-table flux types: `{band}_{model}Flux` with `{band}_{model}FluxErr` (nJy). */
export function lsstFluxTypes(columns: ColumnIndex): FluxType[] {
  const models = new Map<string, string>();
  for (const name of columns.names) {
    const m = /^([ugrizy])_(\w+?)Flux$/i.exec(name);
    if (m && m[2]) models.set(m[2].toLowerCase(), m[2]);
  }
  const out: FluxType[] = [];
  for (const [id, label] of models) {
    const bands: BandColumns[] = [];
    for (const b of LSST_BANDS) {
      const flux = columns.get(`${b}_${label}Flux`);
      if (flux) bands.push({ band: b, flux, fluxErr: columns.get(`${b}_${label}FluxErr`) });
    }
    if (bands.length > 0) out.push({ id, label: lsstLabel(label), bands });
  }
  return sortFluxTypes(out, LSST_ORDER);
}

/** Display name of an LSST flux model: gaap1p0 → GAaP 1.0", psf → PSF, free_cModel → free cModel. */
export function lsstLabel(model: string): string {
  const gaap = /^gaap(\d+)p(\d+)$/.exec(model);
  if (gaap) return `GAaP ${gaap[1]}.${gaap[2]}"`;
  return model
    .replace(/^gaap/, 'GAaP ')
    .replace(/psf/gi, 'PSF')
    .replace(/^free_/, 'free ')
    .replace(/Optimal$/, 'optimal')
    .trim();
}

/**
 * DES flux types: `FLUX_<T>_<B>`/`FLUXERR_<T>_<B>` (counts, zero point 30), `MAG_<T>_<B>`,
 * `MAGERR_<T>_<B>`, `MAG_<T>_<B>_DERED`, and `WAVG_MAG_PSF_<B>` (+ `_DERED`, `WAVG_MAGERR_PSF_<B>`).
 */
export function desFluxTypes(columns: ColumnIndex): FluxType[] {
  const types = new Map<string, string>();
  for (const name of columns.names) {
    const m = /^(?:WAVG_)?(?:FLUX|MAG)_([A-Z0-9_]+?)_([GRIZY])(?:_DERED)?$/i.exec(name);
    if (m) {
      const wavg = /^WAVG_/i.test(name);
      const t = (wavg ? 'WAVG_' : '') + m[1].toUpperCase();
      types.set(t.toLowerCase(), t);
    }
  }
  const out: FluxType[] = [];
  for (const [id, label] of types) {
    const wavg = label.startsWith('WAVG_');
    const t = wavg ? label.slice(5) : label;
    const pre = wavg ? 'WAVG_' : '';
    const bands: BandColumns[] = [];
    for (const b of DES_BANDS) {
      const B = b.toUpperCase();
      const cols: BandColumns = {
        band: b,
        flux: columns.get(`${pre}FLUX_${t}_${B}`),
        fluxErr: columns.get(`${pre}FLUXERR_${t}_${B}`),
        mag: columns.get(`${pre}MAG_${t}_${B}`),
        magErr: columns.get(`${pre}MAGERR_${t}_${B}`),
        magDered: columns.get(`${pre}MAG_${t}_${B}_DERED`),
      };
      if (cols.flux || cols.mag || cols.magDered) bands.push(cols);
    }
    if (bands.length > 0) out.push({ id, label, bands });
  }
  return sortFluxTypes(out, ['auto', 'wavg_psf', 'psf']);
}

function sortFluxTypes(types: FluxType[], preferred: string[]): FluxType[] {
  const rank = (id: string) => {
    const k = preferred.indexOf(id);
    return k < 0 ? preferred.length : k;
  };
  return types.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

function bandsOf(types: FluxType[], order: string[]): string[] {
  const present = new Set(types.flatMap((t) => t.bands.map((b) => b.band)));
  return order.filter((b) => present.has(b));
}

/** The LSST DP0.2 profile for a schema (Object table; quality filter `detect_isPrimary`). */
export function lsstDp02Profile(columns: ColumnIndex, detectedBy: string): SurveyProfile {
  const fluxTypes = lsstFluxTypes(columns);
  const primary = columns.get('detect_isPrimary');
  return {
    id: 'lsst-dp02',
    label: 'LSST DP0.2',
    idColumn: columns.get('objectId') ?? null,
    raColumn: columns.get('coord_ra') ?? 'coord_ra',
    decColumn: columns.get('coord_dec') ?? 'coord_dec',
    bands: bandsOf(fluxTypes, LSST_BANDS),
    fluxTypes,
    fluxUnit: 'nJy',
    zeroPointMag: ZERO_POINT_NJY,
    qualityFilter: primary ? { column: primary, equals: true } : null,
    extinction: LSST_RAIL_CCM,
    ebvColumn: null,
    detectedBy,
  };
}

/** The LSST DP1 profile (Object table, already primary; has its own `ebv` column). */
export function lsstDp1Profile(columns: ColumnIndex, detectedBy: string): SurveyProfile {
  return {
    ...lsstDp02Profile(columns, detectedBy),
    id: 'lsst-dp1',
    label: 'LSST DP1',
    qualityFilter: null,
    ebvColumn: columns.get('ebv') ?? null,
  };
}

/** The DES DR2 profile (counts with zero point 30; `MAG_*_DERED` already dereddened). */
export function desDr2Profile(columns: ColumnIndex, detectedBy: string): SurveyProfile {
  const fluxTypes = desFluxTypes(columns);
  return {
    id: 'des-dr2',
    label: 'DES DR2',
    idColumn: columns.get('COADD_OBJECT_ID') ?? columns.get('id') ?? null,
    raColumn: columns.get('RA') ?? 'RA',
    decColumn: columns.get('DEC') ?? 'DEC',
    bands: bandsOf(fluxTypes, DES_BANDS),
    fluxTypes,
    fluxUnit: 'count',
    zeroPointMag: ZERO_POINT_DES,
    qualityFilter: null,
    extinction: DES_DR2,
    ebvColumn: columns.get('EBV_SFD98') ?? null,
    detectedBy,
  };
}

/** The flux type `id` (or label) of a profile; default its first. Throws a UserError listing them. */
export function findFluxType(profile: SurveyProfile, id?: string): FluxType {
  const want = (id ?? profile.fluxTypes[0]?.id ?? '').toLowerCase();
  const ft = profile.fluxTypes.find((t) => t.id === want || t.label.toLowerCase() === want);
  if (!ft) {
    if (profile.fluxTypes.length === 0) {
      throw new UserError(
        `This catalog has no flux or magnitude columns the ${profile.label} profile knows; choose the generic profile and name the band columns.`,
      );
    }
    const have = profile.fluxTypes.map((t) => t.id).join(', ');
    throw new UserError(
      `photometry.fluxType: '${id ?? ''}' is not a flux type of this ${profile.label} catalog; choose one of: ${have}.`,
    );
  }
  return ft;
}

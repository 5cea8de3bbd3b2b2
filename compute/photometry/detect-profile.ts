/**
 * Picks the survey profile of a catalog from `obs_collection` (when it names the release) and
 * its schema, or builds the one the user forces (override) or describes (generic profile).
 */
import { z } from 'zod';
import { UserError } from '../errors';
import { holdsNumbers } from '../arrow/type-text';
import type { ExtinctionSet } from './extinction';
import { ZERO_POINT_NJY } from './magnitudes';
import {
  ColumnIndex,
  SURVEY_IDS,
  desDr2Profile,
  lsstDp02Profile,
  lsstDp1Profile,
  type BandColumns,
  type SurveyId,
  type SurveyProfile,
} from './profiles';

export interface CatalogDescription {
  /** Column names of the catalog schema. */
  columns: string[];
  /** Arrow type text per column name (`String(field.type)`), where known: numbers are checked. */
  columnTypes?: Record<string, string>;
  /** `obs_collection` from hats.properties, when known. */
  obsCollection?: string;
  /** `hats_col_ra` / `hats_col_dec`, used by the generic profile. */
  raColumn?: string;
  decColumn?: string;
  /** File or folder, for messages. */
  location?: string;
}

const bandSchema = z.object({
  band: z
    .string()
    .trim()
    .min(1, 'give the band a name')
    .regex(/^[A-Za-z0-9]*$/, 'a band name is letters and digits (it names columns: mag_custom_g)'),
  flux: z.string().optional(),
  fluxErr: z.string().optional(),
  mag: z.string().optional(),
  magErr: z.string().optional(),
  magDered: z.string().optional(),
});

/**
 * AB zero points of the flux-density units (m = zp - 2.5 log10 f; AB m = -2.5 log10(f / 1 cgs)
 * - 48.6: 8.9 for Jy, 16.4 mJy, 23.9 uJy, 31.4 nJy; science_catalogs `AB_ZERO_POINTS`,
 * tsm-domain.md §2.4). Keys lower case; `µ` (U+00B5) and `μ` (U+03BC) spell micro too.
 */
const AB_ZERO_POINTS: Record<string, number> = {
  jy: 8.9,
  mjy: 16.4,
  ujy: 23.9,
  µjy: 23.9,
  μjy: 23.9,
  njy: 31.4,
};

/** Whether `zp` is the AB zero point of one of the flux units above. */
export function isAbZeroPoint(zp: number): boolean {
  return Object.values(AB_ZERO_POINTS).includes(zp);
}

/** The AB zero point of a flux unit (Jy, mJy, uJy, nJy), or undefined for another unit. */
export function abZeroPoint(unit: string): number | undefined {
  return AB_ZERO_POINTS[unit.trim().toLowerCase()];
}

/**
 * The user's column choices for the generic profile (validated with zod). Without a zero point,
 * that of the flux unit when it is an AB flux density (uJy: 23.9), else 31.4 (nJy).
 */
export const genericChoicesSchema = z
  .object({
    idColumn: z.string().nullable().optional(),
    raColumn: z.string().optional(),
    decColumn: z.string().optional(),
    fluxTypeId: z.string().default('custom'),
    bands: z
      .array(bandSchema)
      .min(1)
      .refine((bands) => new Set(bands.map((b) => b.band.toLowerCase())).size === bands.length, {
        message: 'each band once: two bands of one name would write the same columns',
      }),
    fluxUnit: z.string().trim().min(1, 'give the flux unit (e.g. nJy)').default('nJy'),
    zeroPointMag: z.number().optional(),
    extinction: z
      .record(z.string(), z.number().min(0, 'R_b is the extinction per E(B-V): 0 or more'))
      .default({}),
    qualityFilter: z.object({ column: z.string(), equals: z.boolean() }).nullable().default(null),
  })
  .transform((c) => ({
    ...c,
    zeroPointMag: c.zeroPointMag ?? abZeroPoint(c.fluxUnit) ?? ZERO_POINT_NJY,
  }));
export type GenericChoices = z.input<typeof genericChoicesSchema>;

function schemaSurvey(cols: ColumnIndex): SurveyId | null {
  if (
    cols.has('COADD_OBJECT_ID') ||
    cols.names.some((n) => /^(WAVG_)?(FLUX|MAG)_(AUTO|PSF)_[GRIZY]/i.test(n))
  ) {
    if (cols.names.some((n) => /^(FLUX|MAG)_[A-Z0-9_]+_[GRIZY](_DERED)?$/i.test(n)))
      return 'des-dr2';
  }
  const lsst = cols.names.some((n) => /^[ugrizy]_\w+Flux$/.test(n));
  if (lsst && cols.has('coord_ra') && cols.has('coord_dec')) {
    const dp02 = ['detect_isPrimary', 'u_calibFlux', 'g_calibFlux', 'i_calibFlux'];
    const dp1 = ['ebv', 'refBand', 'g_sersicFlux', 'i_sersicFlux', 'parentObjectId'];
    const score = (names: string[]) => names.filter((n) => cols.has(n)).length;
    return score(dp02) > score(dp1) ? 'lsst-dp02' : 'lsst-dp1';
  }
  return null;
}

function collectionSurvey(obsCollection: string | undefined): SurveyId | null {
  const name = (obsCollection ?? '').toLowerCase();
  if (/dp0[._]?2|dp02/.test(name)) return 'lsst-dp02';
  if (/dp1(?!\d)/.test(name)) return 'lsst-dp1';
  if (/des.*dr2/.test(name)) return 'des-dr2';
  return null;
}

function build(id: SurveyId, cols: ColumnIndex, detectedBy: string): SurveyProfile | null {
  if (id === 'lsst-dp02') return lsstDp02Profile(cols, detectedBy);
  if (id === 'lsst-dp1') return lsstDp1Profile(cols, detectedBy);
  if (id === 'des-dr2') return desDr2Profile(cols, detectedBy);
  return null;
}

/** The generic profile from the user's column choices; every named column must exist. */
export function genericProfile(
  catalog: CatalogDescription,
  choices: GenericChoices,
): SurveyProfile {
  const parsed = genericChoicesSchema.safeParse(choices);
  const where = catalog.location ?? 'catalog';
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `Generic profile for ${where}: field '${issue.path.join('.')}' ${issue.message}.`,
    );
  }
  const c = parsed.data;
  const cols = new ColumnIndex(catalog.columns);
  const need = (
    name: string | null | undefined,
    field: string,
    numeric = true,
  ): string | undefined => {
    if (name === undefined || name === null) return undefined;
    const real = cols.get(name);
    if (!real) {
      throw new UserError(
        `${where}: column '${name}' (generic profile field ${field}) is not in the catalog. Pick one of its columns.`,
      );
    }
    const type = catalog.columnTypes?.[real];
    if (numeric && type !== undefined && !holdsNumbers(type)) {
      throw new UserError(
        `${where}: column '${real}' (generic profile field ${field}) holds ${type} values, not numbers. Pick a numeric column.`,
      );
    }
    return real;
  };
  const ra = need(c.raColumn ?? catalog.raColumn, 'raColumn');
  const dec = need(c.decColumn ?? catalog.decColumn, 'decColumn');
  if (!ra || !dec) {
    throw new UserError(`${where}: the generic profile needs raColumn and decColumn.`);
  }
  const bands: BandColumns[] = c.bands.map((b, k) => {
    const out: BandColumns = { band: b.band.toLowerCase() };
    for (const key of ['flux', 'fluxErr', 'mag', 'magErr', 'magDered'] as const) {
      out[key] = need(b[key], `bands[${k}].${key}`);
    }
    if (!out.flux && !out.mag && !out.magDered) {
      throw new UserError(
        `${where}: band '${b.band}' of the generic profile names no flux, mag or magDered column.`,
      );
    }
    return out;
  });
  const extinction: ExtinctionSet = {
    coefficients: Object.fromEntries(
      Object.entries(c.extinction).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    source: 'user-supplied',
  };
  return {
    id: 'generic',
    label: 'generic HATS',
    idColumn: need(c.idColumn, 'idColumn', false) ?? null,
    raColumn: ra,
    decColumn: dec,
    bands: bands.map((b) => b.band),
    fluxTypes: [{ id: c.fluxTypeId.toLowerCase(), label: c.fluxTypeId, bands }],
    fluxUnit: c.fluxUnit,
    zeroPointMag: c.zeroPointMag,
    qualityFilter: c.qualityFilter
      ? {
          column: need(c.qualityFilter.column, 'qualityFilter.column', false)!,
          equals: c.qualityFilter.equals,
        }
      : null,
    extinction,
    ebvColumn: null,
    detectedBy: 'user columns',
  };
}

export interface ProfileOverride {
  /** Force a survey profile instead of detecting it. */
  survey?: SurveyId;
  /** Column choices; required (and used) for `generic`. */
  generic?: GenericChoices;
}

/**
 * Detects the profile: `obs_collection` first (when it names DP0.2, DP1 or DES DR2 and the
 * schema has that survey's flux columns), then the schema; a catalog matching none gets a
 * generic profile with no flux types until the user chooses columns. An override wins.
 */
export function detectProfile(
  catalog: CatalogDescription,
  override: ProfileOverride = {},
): SurveyProfile {
  const cols = new ColumnIndex(catalog.columns);
  if (override.survey && !SURVEY_IDS.includes(override.survey)) {
    throw new UserError(
      `Unknown survey profile '${override.survey}'; use one of ${SURVEY_IDS.join(', ')}.`,
    );
  }
  if (override.survey === 'generic' || (!override.survey && override.generic)) {
    if (!override.generic) {
      throw new UserError(
        `${catalog.location ?? 'catalog'}: the generic profile needs your column choices (bands with flux or mag columns).`,
      );
    }
    return genericProfile(catalog, override.generic);
  }
  if (override.survey) {
    const forced = build(override.survey, cols, 'override');
    if (forced && forced.fluxTypes.length > 0) return forced;
    throw new UserError(
      `${catalog.location ?? 'catalog'}: profile '${override.survey}' was asked for, but none of its flux or magnitude columns are in the schema. Choose the generic profile and name the columns.`,
    );
  }
  const fromCollection = collectionSurvey(catalog.obsCollection);
  if (fromCollection) {
    const p = build(fromCollection, cols, 'obs_collection');
    if (p && p.fluxTypes.length > 0) return p;
  }
  const fromSchema = schemaSurvey(cols);
  if (fromSchema) {
    const p = build(fromSchema, cols, 'schema');
    if (p && p.fluxTypes.length > 0) return p;
  }
  return {
    id: 'generic',
    label: 'generic HATS',
    idColumn: cols.get('id') ?? cols.get('objectId') ?? null,
    raColumn: catalog.raColumn ?? cols.get('ra') ?? 'ra',
    decColumn: catalog.decColumn ?? cols.get('dec') ?? 'dec',
    bands: [],
    fluxTypes: [],
    fluxUnit: 'nJy',
    zeroPointMag: ZERO_POINT_NJY,
    qualityFilter: null,
    extinction: { coefficients: {}, source: 'none (choose columns and coefficients)' },
    ebvColumn: null,
    detectedBy: 'no known survey columns',
  };
}

import { UserError } from '../errors';

/** Roles a spec-z column can play (keys as in the project file's `specz.columns`). */
export const SPECZ_ROLES = [
  'ra',
  'dec',
  'z',
  'id',
  'zErr',
  'zFlag',
  'survey',
  'instrumentType',
] as const;
export type SpeczRole = (typeof SPECZ_ROLES)[number];
/** Role -> column of the user's file (null or absent = none). */
export type SpeczMapping = Partial<Record<SpeczRole, string | null>>;

/** Name of each role's column in the registered catalog. */
export const CANONICAL_NAMES: Record<SpeczRole, string> = {
  ra: 'ra',
  dec: 'dec',
  z: 'z',
  id: 'id',
  zErr: 'z_err',
  zFlag: 'z_flag',
  survey: 'survey',
  instrumentType: 'instrument_type',
};

const REQUIRED: SpeczRole[] = ['ra', 'dec', 'z'];

/**
 * Usual column names per role, most specific first, compared case-insensitively after removing
 * '_', '-', ' ' and '.' (so `RA_deg`, `ra-deg` and `RADEG` are one name).
 */
const ALIASES: Record<SpeczRole, string[]> = {
  ra: [
    'ra',
    'radeg',
    'raj2000',
    'raicrs',
    'ra2000',
    'alpha',
    'alphaj2000',
    'rightascension',
    'ramean',
    'rarad',
  ],
  dec: [
    'dec',
    'decdeg',
    'dej2000',
    'decj2000',
    'deicrs',
    'decicrs',
    'de',
    'delta',
    'deltaj2000',
    'declination',
    'decmean',
    'decrad',
  ],
  z: [
    'z',
    'redshift',
    'zspec',
    'specz',
    'zbest',
    'zsp',
    'zhelio',
    'zcmb',
    'zfinal',
    'zspecfinal',
    'zred',
  ],
  id: [
    'id',
    'objid',
    'objectid',
    'sourceid',
    'specobjid',
    'targetid',
    'galaxyid',
    'uid',
    'name',
    'specid',
    'index',
  ],
  zErr: [
    'zerr',
    'zerror',
    'errz',
    'ezspec',
    'redshifterr',
    'redshifterror',
    'zspecerr',
    'sigmaz',
    'zsig',
    'dz',
  ],
  zFlag: [
    'zflag',
    'flag',
    'zwarning',
    'zwarn',
    'zquality',
    'zqual',
    'quality',
    'qop',
    'flagz',
    'zconf',
    'zspecflag',
    'flagdes',
  ],
  survey: [
    'survey',
    'source',
    'catalog',
    'origin',
    'program',
    'instrument',
    'telescope',
    'surveyname',
  ],
  instrumentType: ['instrumenttype', 'instrumenttypehomogenized', 'insttype', 'spectype', 'ztype'],
};

const norm = (name: string): string => name.toLowerCase().replace(/[_\-\s.]/g, '');

/** The column for a role by the usual names, or undefined. */
function findColumn(role: SpeczRole, columns: string[], taken: Set<string>): string | undefined {
  const byNorm = new Map<string, string>();
  for (const c of columns) if (!taken.has(c) && !byNorm.has(norm(c))) byNorm.set(norm(c), c);
  for (const alias of ALIASES[role]) {
    const found = byNorm.get(alias);
    if (found) return found;
  }
  return undefined;
}

/**
 * The column `tsm register` would take as the id (by the usual names), leaving out `used` (the
 * columns other roles take), or undefined.
 */
export function detectIdColumn(columns: string[], used: (string | null)[]): string | undefined {
  return findColumn('id', columns, new Set(used.filter((c): c is string => !!c)));
}

/** Detected role -> column mapping (null where no usual name matched); never throws. */
export function detectMapping(columns: string[]): SpeczMapping {
  const mapping: SpeczMapping = {};
  const taken = new Set<string>();
  for (const role of SPECZ_ROLES) {
    const found = findColumn(role, columns, taken);
    mapping[role] = found ?? null;
    if (found) taken.add(found);
  }
  return mapping;
}

/**
 * The role -> column mapping: every role given in `overrides` is used as given (checked to
 * exist; null = no such column), the others are detected from the usual names. ra, dec and z
 * must end up mapped, or a UserError lists the columns and says how to map them (and `hint`).
 */
export function resolveMapping(
  columns: string[],
  overrides: SpeczMapping = {},
  file = 'the file',
  hint?: string,
): SpeczMapping {
  const mapping: SpeczMapping = {};
  const taken = new Set<string>();
  for (const role of SPECZ_ROLES) {
    const given = overrides[role];
    if (given === undefined) continue;
    if (given !== null && !columns.includes(given)) {
      throw new UserError(
        `${file}: there is no column '${given}' for ${role} (columns: ${columns.join(', ')}); check the spelling (names are case-sensitive)`,
      );
    }
    mapping[role] = given;
    if (given) taken.add(given);
  }
  for (const role of SPECZ_ROLES) {
    if (role in mapping) continue;
    const found = findColumn(role, columns, taken);
    mapping[role] = found ?? null;
    if (found) taken.add(found);
  }
  const missing = REQUIRED.filter((r) => !mapping[r]);
  if (missing.length > 0) {
    const flags = missing.map((r) => `--${r} COLUMN`).join(' ');
    throw new UserError(
      `${file}: no column found for ${missing.join(', ')} among [${columns.join(', ')}]; name them with ${flags}` +
        (hint ? ` (${hint})` : ''),
    );
  }
  return mapping;
}

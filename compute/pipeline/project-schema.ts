/**
 * The `*.tsm.json` project file, version 1: every field of the wizard (the original Training Set
 * Maker form, tsm-domain.md §6, plus this app's options). The zod schema is the single source of
 * the rules and of the messages, so the wizard, `tsm run` and the app all say the same thing.
 */
import { z } from 'zod';
import { genericChoicesSchema } from '../photometry/detect-profile';
import { SURVEY_IDS, type SurveyId } from '../photometry/profiles';

/**
 * The newest version this build reads and writes. Version 2 is version 1 plus `specz.noIdColumn`,
 * which a build that reads version 1 only refused as an unknown field: a project is written as
 * version 2 only when it has that field ({@link projectFileVersion}), so that such a build says
 * it was saved by a newer one, and as version 1 otherwise, which every build reads. Version 1 is
 * read as it is (one saved with noIdColumn by a build before version 2 too); version 0 (the
 * original config.yml) is migrated (project-migrate.ts).
 */
export const PROJECT_VERSION = 2;

/** The versions read as they are (the current shape), oldest first. */
export const JSON_PROJECT_VERSIONS = [1, 2] as const;

/** File-name suffix of project files. */
export const PROJECT_EXTENSION = '.tsm.json';

export const OUTPUT_FORMATS = ['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Dust maps offered (tsm-domain.md §3; only the maps compute/photometry reads). `sfd-lowres` is
 * the SFD map at HEALPix NSIDE 64 shipped with the app (offline demos; not for science).
 */
export const DUST_MAPS = ['none', 'sfd', 'sfd-lowres', 'csfd', 'planck'] as const;
export type DustMap = (typeof DUST_MAPS)[number];

export const SPLIT_METHODS = ['random', 'stratified'] as const;
export const JOIN_TYPES = ['inner', 'left'] as const;

/** Largest crossmatch radius the original form accepts (components/SearchRadius.js: max 90). */
export const MAX_RADIUS_ARCSEC = 90;

const columnName = z
  .string()
  .trim()
  .min(1, 'must be a column name (it is empty); remove the field to leave it unmapped');

const optionalColumn = columnName.nullable().prefault(null);

/** Which spec-z column holds what (the original's `inputs.specz.columns`, UCD mapping §7.1). */
export const SpeczColumnsSchema = z.strictObject({
  ra: columnName.prefault('ra'),
  dec: columnName.prefault('dec'),
  z: columnName.prefault('z'),
  id: optionalColumn,
  zFlag: optionalColumn,
  zErr: optionalColumn,
  survey: optionalColumn,
  /** s (spectroscopic), g (grism) or p (photometric), as CRC's instrument_type_homogenized. */
  instrumentType: optionalColumn,
});

export const SpeczSchema = z
  .strictObject({
    /** Id of a catalog registered in the app's data folder (`tsm register`), or null. */
    catalogId: z.string().trim().min(1, 'must not be empty').nullable().prefault(null),
    /** Path of a spec-z file (CSV, Parquet, FITS, HDF5) or HATS catalog, or null. */
    path: z.string().trim().min(1, 'must not be empty').nullable().prefault(null),
    columns: SpeczColumnsSchema.prefault({}),
    /**
     * The catalog has no id column, on purpose (`tsm run --id NONE`): a column named like an id
     * (`id`, `objid`, ...) is not noted as unused. Left out (or false): not said, and the run
     * notes such a column. Either way no id is used, so the split is the same.
     */
    noIdColumn: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .check((ctx) => {
    const { catalogId, path, noIdColumn, columns } = ctx.value;
    if (noIdColumn === true && columns.id !== null) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['noIdColumn'],
        message: `is true (no id column), but specz.columns.id names the column '${columns.id}': remove noIdColumn to use it as the id, or set specz.columns.id to null`,
      });
    }
    if ((catalogId === null) === (path === null)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: catalogId === null ? ['path'] : [],
        message:
          catalogId === null
            ? 'Select the Redshift Catalog for the cross-matching: a registered catalog or a spec-z file'
            : 'give either specz.catalogId or specz.path, not both',
      });
    }
  });

export const PhotometrySchema = z.strictObject({
  /** HATS catalog or collection: a local folder or an http(s) URL. */
  location: z
    .string()
    .trim()
    .min(1, 'Select the Objects catalog (photometric data): give its folder or URL'),
  /** Survey profile id (compute/photometry); null = detect from the catalog's columns. */
  profile: z
    .enum(SURVEY_IDS as [SurveyId, ...SurveyId[]])
    .nullable()
    .prefault(null),
  /**
   * Column choices of the `generic` profile (bands with their flux/mag columns, zero point, ...;
   * compute/photometry genericChoicesSchema). Optional: only the generic profile needs them.
   */
  generic: genericChoicesSchema.nullable().optional(),
  /** Photometric columns to keep; empty = all (the original's `selected_cols: []`). */
  columns: z.array(columnName).prefault([]),
  /** Flux model: `auto` (the profile's default), `cmodel`, `gaap1p0`, `psf`, ... */
  fluxType: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_]+$/, 'must be a flux model name such as auto, cmodel, gaap1p0 or psf')
    .prefault('auto'),
  /** Convert fluxes into magnitudes (the form's checkbox, default on). */
  convertToMagnitudes: z.boolean().prefault(true),
  dereddening: z
    .strictObject({
      /** A map name (DUST_MAPS) or the path of a FITS dust map (SFD hemisphere or HEALPix). */
      map: z
        .string()
        .trim()
        .refine(
          (v) => (DUST_MAPS as readonly string[]).includes(v) || /\.fits?$/i.test(v),
          `must be ${DUST_MAPS.join(', ')} or the path of a .fits dust map`,
        )
        .prefault('sfd'),
      /** Multiplies the map's E(B-V) (e.g. 0.86 for the Schlafly & Finkbeiner 2011 recalibration). */
      scale: z.number().gt(0, 'must be > 0').lte(10, 'must be at most 10').prefault(1),
    })
    .prefault({}),
});

export const CrossmatchSchema = z.strictObject({
  /** "The threshold distance in arcseconds beyond which neighbors are not added" (form field 5). */
  radiusArcsec: z
    .number({ error: 'must be a number of arcseconds' })
    .gt(0, 'must be > 0')
    .lte(MAX_RADIUS_ARCSEC, `must be at most ${MAX_RADIUS_ARCSEC} arcsec`)
    .prefault(1),
  /**
   * "The number of neighbors to find within each point" (form field 5). Whole numbers are checked
   * with Number.isInteger, not zod's int(), which also refuses integers beyond 2^53 and so gave a
   * huge value two messages, the first one wrong.
   */
  nNeighbors: z
    .number({ error: 'must be a whole number' })
    .refine(Number.isInteger, 'must be a whole number')
    .gte(1, 'must be at least 1')
    .lte(1000, 'must be at most 1000')
    .prefault(1),
  /** inner: spec-z rows without a match are dropped (the original); left: kept with empty photometry. */
  join: z.enum(JOIN_TYPES).prefault('inner'),
});

export const UniqueGalaxiesSchema = z.strictObject({
  /** One row per distinct galaxy (tsm-domain.md §7 rules). */
  enabled: z.boolean().prefault(false),
  /** Each photometric object used at most once, nearest spec-z wins (LSDB issue #152). */
  oneToOne: z.boolean().prefault(false),
});

export const SplitSchema = z.strictObject({
  method: z.enum(SPLIT_METHODS).prefault('random'),
  /** Fraction of rows in the training set; 0 < f < 1 (original config.py). */
  trainFraction: z
    .number({ error: 'must be a number' })
    .gt(0, 'must satisfy 0 < f < 1')
    .lt(1, 'must satisfy 0 < f < 1')
    .prefault(0.7),
  /** PRNG seed; null = drawn at run start and recorded in run.json. */
  seed: z
    .number({ error: 'must be a whole number, or empty to draw one' })
    .refine(Number.isInteger, 'must be a whole number')
    .gte(0, 'must be >= 0')
    .lte(Number.MAX_SAFE_INTEGER, 'must be at most 2^53-1')
    .nullable()
    .prefault(null),
  /** Number of equal-count redshift bins for the stratified method. */
  zBins: z
    .number({ error: 'must be a whole number' })
    .refine(Number.isInteger, 'must be a whole number')
    .gte(2, 'must be at least 2')
    .lte(1000, 'must be at most 1000')
    .prefault(10),
});

export const OutputSchema = z.strictObject({
  format: z.enum(OUTPUT_FORMATS).prefault('parquet'),
  /** Folder receiving `<name>.<ext>`, run.json and config.yml. Relative = to the project file. */
  folder: z.string().trim().min(1, 'must be a folder path').prefault('.'),
});

export const ProjectSchema = z.strictObject({
  // a validated project is of the current version; its file says the version it needs
  version: z
    .literal(JSON_PROJECT_VERSIONS)
    .transform((): typeof PROJECT_VERSION => PROJECT_VERSION),
  /** Training set name (required). File names use sanitizeName(name). */
  name: z.string().trim().min(1, 'This field is required. Fill in the training set name.'),
  description: z.string().prefault(''),
  specz: SpeczSchema,
  photometry: PhotometrySchema,
  crossmatch: CrossmatchSchema.prefault({}),
  uniqueGalaxies: UniqueGalaxiesSchema.prefault({}),
  split: SplitSchema.prefault({}),
  output: OutputSchema.prefault({}),
});

/** A validated project, every default filled in. */
export type Project = z.infer<typeof ProjectSchema>;
/** What a project file may contain before defaults (the wizard may leave fields out). */
export type ProjectInput = z.input<typeof ProjectSchema>;
export type SpeczColumns = Project['specz']['columns'];

/**
 * The version a project file of `project` says: 2 when it has a field that builds reading
 * version 1 only refuse (`specz.noIdColumn`), else 1, which every build reads.
 */
export function projectFileVersion(project: Project): 1 | 2 {
  return project.specz.noIdColumn !== undefined ? 2 : 1;
}

/** `project` as its file holds it: the version it needs ({@link projectFileVersion}) first. */
export function projectForFile(project: Project): Omit<Project, 'version'> & { version: 1 | 2 } {
  return { ...project, version: projectFileVersion(project) };
}

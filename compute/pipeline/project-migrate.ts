/**
 * Project file versions older than PROJECT_VERSION, and their migration to the current shape.
 *
 * Version 0 is the original service's pipeline config (`config.yml` of
 * linea-it/pzserver_training_set_maker, tsm-domain.md §1.1), so `tsm run config.yml` runs a config
 * written for the original pipeline.
 */
import { posix } from 'node:path';
import { z } from 'zod';
import { PROJECT_VERSION, type OutputFormat, type ProjectInput } from './project-schema';

const str = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a text') })
  .trim()
  .min(1, 'must not be empty');
const maybeStr = z.string().nullish();

const SpeczInputV0 = z.looseObject({
  path: str,
  format: maybeStr,
  columns: z.looseObject({
    ra: str,
    dec: str,
    z: str,
    id: maybeStr,
    z_flag: maybeStr,
    z_err: maybeStr,
    survey: maybeStr,
  }),
});

/** The original config.yml layout (pydantic `Config` of config.py); unknown keys are ignored. */
export const ProjectV0Schema = z.looseObject({
  output_root_dir: maybeStr,
  output_dir: maybeStr,
  output_format: maybeStr,
  output_name: maybeStr,
  inputs: z.looseObject({
    dataset: z.looseObject({
      path: str,
      columns: z.looseObject({ id: maybeStr }).nullish(),
    }),
    // A list of which only the last element is used (tsm-run pops it); a lone object is accepted
    // (as a list of one, so a problem in it is named by its field, not as "Invalid input")
    specz: z.preprocess(
      (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [v] : v),
      z.array(SpeczInputV0).min(1, 'must list one spec-z catalog'),
    ),
  }),
  param: z
    .looseObject({
      crossmatch: z
        .looseObject({
          radius_arcsec: z.number().nullish(),
          n_neighbors: z.number().nullish(),
          output_catalog_name: maybeStr,
        })
        .nullish(),
      use_absolute_lsdb_path: z.boolean().nullish(),
      selected_cols: z.array(z.string()).nullish(),
      flux_type: maybeStr,
      convert_flux_to_mag: z.boolean().nullish(),
      dereddening: maybeStr,
      split_method: maybeStr,
      train_fraction: z.number().nullish(),
      random_seed: z.number().nullish(),
      duplicate_criteria: maybeStr,
    })
    .nullish(),
});
export type ProjectV0 = z.infer<typeof ProjectV0Schema>;

/** The original's output-format aliases (tsm-domain.md §1.1, §5). */
const FORMAT_ALIASES: Record<string, OutputFormat> = {
  parquet: 'parquet',
  pq: 'parquet',
  parq: 'parquet',
  csv: 'csv',
  fits: 'fits',
  fit: 'fits',
  hdf5: 'hdf5',
  hf5: 'hdf5',
  h5: 'hdf5',
  hats: 'hats',
};

export interface MigrateOptions {
  /** Replaces `${DATASETS_DIR}` / `<DATASETS_DIR>` in paths; default: env DATASETS_DIR, else /datasets (as the original). */
  datasetsDir?: string;
  /** Told each key of an original config.yml that no version of it has (so it is ignored). */
  onIgnoredKey?: (path: string) => void;
}

/**
 * What to say of an error naming a path of an original config.yml (its text `configText`) that
 * came from `${DATASETS_DIR}` (or `<DATASETS_DIR>`), which a run replaces by the environment's
 * DATASETS_DIR (`datasetsDir`), else /datasets as the original service: how to set it. null when
 * the message names no such path, or says of one something else than that it is not there.
 */
export function datasetsDirHint(
  message: string,
  configText: string,
  datasetsDir: string | undefined = process.env.DATASETS_DIR,
): string | null {
  if (!configText.includes('${DATASETS_DIR}') && !configText.includes('<DATASETS_DIR>')) {
    return null;
  }
  // a path that is not there (a file there that cannot be read is another matter)
  if (!message.includes(`${datasetsDir ?? '/datasets'}/`)) return null;
  if (!/no such (file|folder)|not found/i.test(message)) return null;
  return datasetsDir === undefined
    ? 'the config.yml names its data under ${DATASETS_DIR}, which is /datasets as DATASETS_DIR is not set: set DATASETS_DIR to the folder that holds the data (DATASETS_DIR=/path/to/datasets tsm run config.yml)'
    : `the config.yml names its data under \${DATASETS_DIR}, which is DATASETS_DIR=${datasetsDir} here: set DATASETS_DIR to the folder that holds the data`;
}

/**
 * The keys of every version of the original config.yml (tsm-domain.md §1.1), as a tree; `true`
 * takes any content (`executor` configures the original's Dask cluster, which has no use here;
 * `dataset.columns` is free-form there).
 */
type KeyTree = { [key: string]: KeyTree | true };
const SPECZ_V0_KEYS: KeyTree = {
  path: true,
  format: true,
  columns: { ra: true, dec: true, z: true, id: true, z_flag: true, z_err: true, survey: true },
};
export const V0_KEY_TREE: KeyTree = {
  version: true,
  output_root_dir: true,
  output_dir: true,
  output_format: true,
  output_name: true,
  executor: true,
  inputs: {
    dataset: { path: true, columns: true, margin_path: true },
    specz: SPECZ_V0_KEYS,
  },
  param: {
    crossmatch: {
      radius_arcsec: true,
      n_neighbors: true,
      output_catalog_name: true,
      suffixes: true,
      suffix_method: true,
    },
    use_absolute_lsdb_path: true,
    selected_cols: true,
    flux_type: true,
    convert_flux_to_mag: true,
    dereddening: true,
    split_method: true,
    train_fraction: true,
    random_seed: true,
    duplicate_criteria: true,
  },
};

/**
 * The keys of an original config.yml that none of its versions has, as dotted paths
 * (`param.crossmatch.radius_arcsecs`): the original (pydantic) ignores them silently, so a
 * misspelt key there quietly became its default. A list (inputs.specz) is checked per element.
 */
export function unknownV0Keys(doc: unknown, tree: KeyTree = V0_KEY_TREE, at = ''): string[] {
  if (Array.isArray(doc)) {
    return doc.flatMap((item, i) => unknownV0Keys(item, tree, `${at}.${i}`));
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const path = at ? `${at}.${key}` : key;
    const known = Object.hasOwn(tree, key) ? tree[key] : undefined;
    if (known === undefined) unknown.push(path);
    else if (known !== true) unknown.push(...unknownV0Keys(value, known, path));
  }
  return unknown;
}

/** Thrown for a v0 value this app cannot represent; `path` is the v0 field. */
export class MigrationIssue extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function outputFormatV0(v0: ProjectV0, speczPath: string, speczFormat: string | null | undefined) {
  let wanted = v0.output_format?.trim().toLowerCase() || 'specz';
  if (wanted === 'votable') {
    throw new MigrationIssue(
      'output_format',
      'VOTable output is not supported (nor by the original service); choose parquet, csv, fits, hdf5 or hats',
    );
  }
  if (wanted === 'specz') {
    // "same as redshift catalog": the spec-z format, or its file extension (tsm-run step 11).
    const ext = posix.extname(speczPath).slice(1).toLowerCase();
    wanted = speczFormat?.trim().toLowerCase() || ext || 'parquet';
    return FORMAT_ALIASES[wanted] ?? 'parquet';
  }
  const format = FORMAT_ALIASES[wanted];
  if (!format) {
    throw new MigrationIssue(
      'output_format',
      `'${v0.output_format}' is not an output format; use parquet, csv, fits, hdf5 or hats`,
    );
  }
  return format;
}

/**
 * Converts a validated version-0 config (the original config.yml) to a version-1 project input.
 * The photometric path follows tsm-run's rule: `dataset.path` itself when
 * `use_absolute_lsdb_path`, else the legacy pre-built variant
 * `<path>/<mag|flux>/<flux_type>/<dereddening>/catalog`; a pre-built variant already holds the
 * chosen magnitudes and dereddening, so the migrated project does not apply them a second time.
 */
export function migrateV0(v0: ProjectV0, options: MigrateOptions = {}): ProjectInput {
  const datasetsDir = options.datasetsDir ?? process.env.DATASETS_DIR ?? '/datasets';
  const expand = (p: string) =>
    p.replaceAll('${DATASETS_DIR}', datasetsDir).replaceAll('<DATASETS_DIR>', datasetsDir);
  const param = v0.param ?? {};
  const specz = v0.inputs.specz.at(-1)!;
  const fluxType = param.flux_type?.trim() || 'auto';
  const convert = param.convert_flux_to_mag ?? true;
  const dereddening = (param.dereddening?.trim() || 'sfd').toLowerCase();
  const datasetPath = expand(v0.inputs.dataset.path);
  const prebuilt = !(param.use_absolute_lsdb_path ?? false);
  if (!prebuilt && !['none', 'sfd', 'csfd', 'planck'].includes(dereddening)) {
    throw new MigrationIssue(
      'param.dereddening',
      `'${param.dereddening}' is not a dust map this app reads; use none, sfd, csfd or planck`,
    );
  }
  const method = param.split_method?.trim() || 'random';
  if (method !== 'random') {
    throw new MigrationIssue('param.split_method', `'${method}' is not a split method; use random`);
  }
  // the original writes <output_dir>/<output_name>.<ext> (tsm-domain.md §5); its crossmatch's
  // output_catalog_name (the form's training-set name) names the set when output_name is absent
  const name = v0.output_name?.trim() || param.crossmatch?.output_catalog_name?.trim() || 'tsm';
  const folder = posix.join(v0.output_root_dir?.trim() || '.', v0.output_dir?.trim() || 'outputs');
  return {
    version: PROJECT_VERSION,
    name,
    description: prebuilt
      ? `Migrated from a Training Set Maker config.yml; photometry from the pre-built variant ${convert ? 'mag' : 'flux'}/${fluxType}/${dereddening}.`
      : 'Migrated from a Training Set Maker config.yml.',
    specz: {
      path: expand(specz.path),
      columns: {
        ra: specz.columns.ra,
        dec: specz.columns.dec,
        z: specz.columns.z,
        id: specz.columns.id || null,
        zFlag: specz.columns.z_flag || null,
        zErr: specz.columns.z_err || null,
        survey: specz.columns.survey || null,
      },
      // the original's form sends `id: null` for a catalog registered without an id column:
      // an id given as null or empty says there is none (tsm export --target pzserver writes it
      // so), an id left out says nothing (the run then notes a column named like one)
      ...(Object.hasOwn(specz.columns, 'id') && !specz.columns.id ? { noIdColumn: true } : {}),
    },
    photometry: {
      location: prebuilt
        ? posix.join(datasetPath, convert ? 'mag' : 'flux', fluxType, dereddening, 'catalog')
        : datasetPath,
      columns: param.selected_cols ?? [],
      fluxType,
      convertToMagnitudes: prebuilt ? false : convert,
      dereddening: { map: prebuilt ? 'none' : (dereddening as 'none'), scale: 1 },
    },
    crossmatch: {
      radiusArcsec: param.crossmatch?.radius_arcsec ?? 1,
      nNeighbors: param.crossmatch?.n_neighbors ?? 1,
      join: 'inner',
    },
    // "closest" kept each photometric object's closest spec-z only (tsm-domain.md §4.4).
    uniqueGalaxies: { enabled: false, oneToOne: param.duplicate_criteria?.trim() === 'closest' },
    split: {
      method: 'random',
      trainFraction: param.train_fraction ?? 0.7,
      seed: param.random_seed ?? null,
    },
    output: { format: outputFormatV0(v0, specz.path, specz.format), folder },
  };
}

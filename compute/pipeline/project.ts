/**
 * Reading, validating, migrating and saving `*.tsm.json` project files.
 *
 * A project file is `{ "version": 1, ... }` or, with a field only newer builds read,
 * `{ "version": 2, ... }` (project-schema.ts). Files without a version that look
 * like the original service's config.yml are version 0 and are migrated (project-migrate.ts).
 * Every refusal names the file, the field path and the reason, e.g.
 * `my.tsm.json: crossmatch.radiusArcsec: must be > 0 (got -1)`.
 */
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors';
import { isUtf8 } from '../io/delimited-sniff';
import { parseJsonText } from '../io/json-text';
import { writeAdvice } from '../io/make-folder';
import {
  MigrationIssue,
  ProjectV0Schema,
  migrateV0,
  unknownV0Keys,
  V0_KEY_TREE,
  type MigrateOptions,
} from './project-migrate';
import {
  JSON_PROJECT_VERSIONS,
  PROJECT_VERSION,
  ProjectSchema,
  projectForFile,
  type Project,
  type ProjectInput,
} from './project-schema';

export * from './project-schema';
export type { MigrateOptions } from './project-migrate';

/** One problem of a project document, for the wizard to show next to its field. */
export interface ProjectIssue {
  /** Dotted field path, e.g. `crossmatch.radiusArcsec`; '' for the whole document. */
  path: string;
  /** The reason, with the offending value: `must be > 0 (got -1)`. */
  message: string;
}

export { sanitizeName } from './sanitize-name';

/**
 * A new project with every default of the form: radius 1.0 arcsec, 1 neighbour, inner join,
 * flux type auto, magnitudes on, SFD dereddening, random split 0.7, Parquet output. The name, the
 * spec-z catalog and the photometric catalog are empty: parseProject refuses it until they are set.
 */
export function defaultProject(): Project {
  const filled = ProjectSchema.parse({
    version: PROJECT_VERSION,
    name: 'x',
    specz: { path: 'x' },
    photometry: { location: 'x' },
  });
  return {
    ...filled,
    name: '',
    specz: { ...filled.specz, path: null },
    photometry: { ...filled.photometry, location: '' },
  };
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null)
    return Array.isArray(value) ? 'a list' : 'an object';
  return String(value);
}

function toIssues(error: z.ZodError): ProjectIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const input = (issue as { input?: unknown }).input;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling or remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
    } else if ((input === undefined || input === null) && issue.code === 'invalid_type') {
      message = 'is required';
    } else if (input === '' && issue.code === 'too_small') {
      // an empty required field: the message says what to fill in, '(got "")' adds nothing
    } else if (issue.code !== 'custom' || typeof input !== 'object') {
      message = `${message} (got ${formatValue(input)})`;
    }
    return { path, message };
  });
}

/** Converts any supported version to the current one; returns issues instead of throwing. */
/**
 * A parser's message without the excerpt of the file some add below it (the yaml package: the
 * line and a caret), so the error stays one line: "... at line 3, column 8:".
 */
export function firstLine(err: unknown): string {
  return ((err as Error).message ?? String(err)).split('\n')[0].replace(/:$/, '');
}

/**
 * The warning for a key of an original config.yml that no version of it has: the original
 * ignores it, and so does the migration, but a misspelt key should not pass unseen.
 */
export function ignoredKeyWarning(file: string, path: string): string {
  return `${file}: ${path} is not a key of the original config.yml and is ignored; check its spelling`;
}

/** Keys of the original service's config.yml (tsm-domain.md §1.1) besides `inputs` and `version`. */
const V0_KEYS = Object.keys(V0_KEY_TREE).filter((k) => k !== 'inputs' && k !== 'version');

function migrate(
  doc: unknown,
  options: MigrateOptions,
): { input: unknown; issues: ProjectIssue[]; fromV0?: boolean } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return {
      input: doc,
      issues: [
        {
          path: '',
          // a YAML config.yml holding a list was told it "must be a JSON object"
          message: `must hold the project's fields by name (a JSON object, or YAML key: value lines), not ${Array.isArray(doc) ? 'a list' : doc === null ? 'nothing' : `a ${typeof doc}`}`,
        },
      ],
    };
  }
  const record = doc as Record<string, unknown>;
  const version = record.version;
  if (version === undefined && !('inputs' in record)) {
    // an original config.yml without its inputs is not a project without a version
    const original = V0_KEYS.some((k) => k in record);
    return {
      input: doc,
      issues: [
        original
          ? {
              path: 'inputs',
              message:
                'is required in an original config.yml (inputs.dataset.path and inputs.specz with its path and ra, dec, z columns)',
            }
          : { path: 'version', message: `is required (use ${JSON_PROJECT_VERSIONS[0]})` },
      ],
    };
  }
  if (version === undefined || version === 0) {
    const { version: _v, ...rest } = record;
    const v0 = ProjectV0Schema.safeParse(rest, { reportInput: true });
    if (!v0.success) return { input: doc, issues: toIssues(v0.error) };
    try {
      const input = migrateV0(v0.data, options);
      if (options.onIgnoredKey) unknownV0Keys(record).forEach(options.onIgnoredKey);
      return { input, issues: [], fromV0: true };
    } catch (err) {
      if (err instanceof MigrationIssue) {
        return { input: doc, issues: [{ path: err.path, message: err.message }] };
      }
      throw err;
    }
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > PROJECT_VERSION) {
    return {
      input: doc,
      issues: [
        {
          path: 'version',
          message: `this project was saved by a newer Training Set Maker (version ${version}); this one reads versions 0 to ${PROJECT_VERSION}: update the app`,
        },
      ],
    };
  }
  if (!(JSON_PROJECT_VERSIONS as readonly unknown[]).includes(version)) {
    return {
      input: doc,
      issues: [
        {
          path: 'version',
          message: `unknown project version (got ${formatValue(version)}); use ${JSON_PROJECT_VERSIONS[0]}`,
        },
      ],
    };
  }
  return { input: doc, issues: [] };
}

/** Every problem of a project document (any supported version), [] when it is valid. */
export function projectIssues(doc: unknown, options: MigrateOptions = {}): ProjectIssue[] {
  const migrated = migrate(doc, options);
  if (migrated.issues.length > 0) return migrated.issues;
  const result = ProjectSchema.safeParse(migrated.input, { reportInput: true });
  if (result.success) return [];
  const issues = toIssues(result.error);
  return migrated.fromV0 ? issues.map(asV0Issue) : issues;
}

/**
 * Version-1 fields and the original config.yml's keys they come from (project-migrate.ts), the
 * more specific first: a migrated config's problem is named by the key its author wrote.
 */
const V0_FIELDS: [string, string][] = [
  ['specz.columns.zFlag', 'inputs.specz.0.columns.z_flag'],
  ['specz.columns.zErr', 'inputs.specz.0.columns.z_err'],
  ['specz.columns', 'inputs.specz.0.columns'],
  ['specz.path', 'inputs.specz.0.path'],
  ['photometry.location', 'inputs.dataset.path'],
  ['photometry.columns', 'param.selected_cols'],
  ['photometry.fluxType', 'param.flux_type'],
  ['photometry.convertToMagnitudes', 'param.convert_flux_to_mag'],
  ['photometry.dereddening', 'param.dereddening'],
  ['crossmatch.radiusArcsec', 'param.crossmatch.radius_arcsec'],
  ['crossmatch.nNeighbors', 'param.crossmatch.n_neighbors'],
  ['split.trainFraction', 'param.train_fraction'],
  ['split.seed', 'param.random_seed'],
  ['split.method', 'param.split_method'],
  ['output.format', 'output_format'],
  ['output.folder', 'output_dir'],
  ['name', 'output_name'],
];

function asV0Issue(issue: ProjectIssue): ProjectIssue {
  const found = V0_FIELDS.find(([v1]) => issue.path === v1 || issue.path.startsWith(`${v1}.`));
  return found ? { ...issue, path: found[1] + issue.path.slice(found[0].length) } : issue;
}

/**
 * Migrates an older project document (version 0 = the original config.yml) to the current
 * version and validates it. Throws UserError naming `fileName` and every bad field.
 */
export function migrateProject(
  doc: unknown,
  fileName: string,
  options: MigrateOptions = {},
): Project {
  const migrated = migrate(doc, options);
  if (migrated.issues.length > 0) throw issuesError(fileName, migrated.issues);
  const result = ProjectSchema.safeParse(migrated.input, { reportInput: true });
  if (!result.success) {
    const issues = toIssues(result.error);
    throw issuesError(fileName, migrated.fromV0 ? issues.map(asV0Issue) : issues);
  }
  return result.data;
}

function issuesError(fileName: string, issues: ProjectIssue[]): UserError {
  const lines = issues.map((i) => `${fileName}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
  return new UserError(lines.join('\n'));
}

/**
 * Parses a project document: JSON text (or an already parsed value), any supported version.
 * Throws UserError: `<fileName>: <field.path>: <reason> (got <value>)`, one line per problem.
 */
export function parseProject(
  json: string | unknown,
  fileName: string,
  options: MigrateOptions = {},
): Project {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = parseJsonText(json);
    } catch (err) {
      throw new UserError(
        `${fileName}: is not valid JSON (${(err as Error).message}); fix the file or save the project again from the app`,
      );
    }
  }
  return migrateProject(doc, fileName, options);
}

/** Project files are a few kB; a larger file (a catalog given by mistake, /dev/zero) is not read. */
const PROJECT_MAX_BYTES = 16 << 20;

/**
 * The text of a project file. A catalog given in its place (`tsm run specz.csv`, which said
 * "is not valid JSON (unexpected character 'i')") or a file too large to be one is refused,
 * saying how to give a catalog.
 */
export async function readProjectText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      bytes = Buffer.alloc(PROJECT_MAX_BYTES + 1);
      let size = 0;
      for (;;) {
        const { bytesRead } = await handle.read(bytes, size, bytes.length - size, null);
        size += bytesRead;
        if (bytesRead === 0 || size === bytes.length) break;
      }
      bytes = bytes.subarray(0, size);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new UserError(
        `${path}: is a folder, not a project file (*.tsm.json or config.yml). A HATS catalog folder is given to tsm run with --specz or --photometry.`,
      );
    }
    // Open project... said "(ENOENT: no such file or directory, open '<the path again>')"
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(
        `${path}: no such file; check the path (a project file is a *.tsm.json, or an original config.yml)`,
      );
    }
    throw new UserError(`${path}: cannot read the project file (${(err as Error).message})`);
  }
  const kind = catalogFileKind(path, bytes);
  if (kind) {
    throw new UserError(
      `${path}: is a ${kind} file, not a project file (*.tsm.json or config.yml). To use it as the spec-z catalog, give it to tsm run with --specz (and the photometric catalog with --photometry), or register it (the app's Catalogs page, or tsm register).`,
    );
  }
  if (bytes.length > PROJECT_MAX_BYTES) {
    throw new UserError(
      `${path}: is larger than ${PROJECT_MAX_BYTES >> 20} MB, so not a project file (*.tsm.json or config.yml, a few kB); check the path`,
    );
  }
  // a Latin-1 'café' became 'caf\ufffd', in names and paths, without a word
  if (!isUtf8(bytes)) {
    throw new UserError(
      `${path}: is not UTF-8 text (an editor saved it as Latin-1 or another encoding?); save it as UTF-8 and try again`,
    );
  }
  return bytes.toString('utf8');
}

const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.parquet', '.parq', '.pq', '.fits', '.fit']);
const HDF5_EXTENSIONS = new Set(['.h5', '.hdf5', '.hdf', '.hf5', '.he5']);

/** 'Parquet', 'FITS', 'HDF5', 'CSV' or 'TSV' for a catalog file, by its first bytes or name. */
function catalogFileKind(path: string, bytes: Buffer): string | null {
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return 'Parquet';
  if (bytes.subarray(0, 9).toString('latin1') === 'SIMPLE  =') return 'FITS';
  if (bytes.subarray(1, 4).toString('latin1') === 'HDF') return 'HDF5';
  const ext = extname(path).toLowerCase();
  if (HDF5_EXTENSIONS.has(ext)) return 'HDF5';
  if (!TABLE_EXTENSIONS.has(ext)) return null;
  if (ext === '.csv' || ext === '.tsv') return ext.slice(1).toUpperCase();
  return ext.startsWith('.p') ? 'Parquet' : 'FITS';
}

/**
 * Reads a project file: `*.tsm.json` (any version), or an original `config.yml`/`.yaml`
 * (version 0). Throws UserError naming the file when it cannot be read or is invalid.
 */
export async function loadProject(path: string, options: MigrateOptions = {}): Promise<Project> {
  const text = await readProjectText(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.yml' || ext === '.yaml') {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new UserError(`${path}: is not valid YAML (${firstLine(err)})`);
    }
    return migrateProject(doc, path, options);
  }
  return parseProject(text, path, options);
}

/**
 * Validates and writes a project as JSON of the version it needs (projectFileVersion: 1 unless
 * it has a field of version 2), atomically: `<path>.partial`, then rename, so a crash never
 * leaves a half-written project file. Returns the validated project.
 */
export async function saveProject(path: string, project: Project | ProjectInput): Promise<Project> {
  const valid = migrateProject(project, path);
  const partial = `${path}.partial`;
  try {
    await writeFile(partial, `${JSON.stringify(projectForFile(valid), null, 2)}\n`, 'utf8');
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    const advice = writeAdvice(err);
    throw new UserError(
      `${path}: cannot save the project (${(err as Error).message})${advice ? `; ${advice}` : ''}`,
    );
  }
  return valid;
}

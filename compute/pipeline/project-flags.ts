/**
 * `tsm run` flags as project fields: each flag overrides one field of the project file (or of the
 * defaults when no file is given). Values are checked by the project schema, and messages name
 * the flag: `--radius-arcsec (crossmatch.radiusArcsec): must be > 0 (got -1)`.
 */
import { extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDecimal } from '../cli/args';
import { UserError } from '../errors';
import { parseJsonText } from '../io/json-text';
import { firstLine, migrateProject, projectIssues, readProjectText } from './project';
import { JSON_PROJECT_VERSIONS, PROJECT_VERSION, type Project } from './project-schema';

/** `column`: an optional spec-z column (NONE or empty: none; no `auto`, nothing detects it). */
type Kind = 'string' | 'number' | 'path' | 'list' | 'nullable' | 'column';

/**
 * Whether `--id` says the spec-z catalog has no id column (NONE, none or empty), which silences
 * the run's note of a column named like one; recorded in the project as `specz.noIdColumn`.
 */
export function idDeclined(values: Record<string, string | boolean | undefined>): boolean {
  const id = values.id;
  return typeof id === 'string' && (id === '' || id.toLowerCase() === 'none');
}

/** flag -> [project field path, kind]. Booleans are listed in BOOLEAN_FLAGS. */
export const VALUE_FLAGS: Record<string, [string, Kind]> = {
  name: ['name', 'string'],
  description: ['description', 'string'],
  specz: ['specz.path', 'path'],
  'specz-id': ['specz.catalogId', 'string'],
  ra: ['specz.columns.ra', 'string'],
  dec: ['specz.columns.dec', 'string'],
  z: ['specz.columns.z', 'string'],
  id: ['specz.columns.id', 'column'],
  'z-flag': ['specz.columns.zFlag', 'column'],
  'z-err': ['specz.columns.zErr', 'column'],
  survey: ['specz.columns.survey', 'column'],
  'instrument-type': ['specz.columns.instrumentType', 'column'],
  photometry: ['photometry.location', 'path'],
  profile: ['photometry.profile', 'nullable'],
  columns: ['photometry.columns', 'list'],
  'flux-type': ['photometry.fluxType', 'string'],
  dereddening: ['photometry.dereddening.map', 'string'],
  'ebv-scale': ['photometry.dereddening.scale', 'number'],
  'radius-arcsec': ['crossmatch.radiusArcsec', 'number'],
  'n-neighbors': ['crossmatch.nNeighbors', 'number'],
  join: ['crossmatch.join', 'string'],
  split: ['split.method', 'string'],
  'train-fraction': ['split.trainFraction', 'number'],
  seed: ['split.seed', 'number'],
  'z-bins': ['split.zBins', 'number'],
  format: ['output.format', 'string'],
  out: ['output.folder', 'path'],
};

/** flag -> [field, value]. */
export const BOOLEAN_FLAGS: Record<string, [string, boolean]> = {
  magnitudes: ['photometry.convertToMagnitudes', true],
  'no-magnitudes': ['photometry.convertToMagnitudes', false],
  'unique-galaxies': ['uniqueGalaxies.enabled', true],
  'no-unique-galaxies': ['uniqueGalaxies.enabled', false],
  'one-to-one': ['uniqueGalaxies.oneToOne', true],
  'no-one-to-one': ['uniqueGalaxies.oneToOne', false],
};

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = doc;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = (typeof next === 'object' && next !== null ? next : (at[k] = {})) as Record<
      string,
      unknown
    >;
  }
  at[keys.at(-1)!] = value;
}

function flagValue(flag: string, field: string, raw: string, kind: Kind, cwd: string): unknown {
  switch (kind) {
    case 'number': {
      const n = parseDecimal(raw);
      if (n === null) {
        throw new UserError(`--${flag} (${field}): must be a decimal number (got '${raw}')`);
      }
      return n;
    }
    case 'path':
      return /^https?:\/\//i.test(raw) || isAbsolute(raw) ? raw : resolve(cwd, raw);
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'nullable':
      // NONE as tsm register spells it
      return raw === '' || raw.toLowerCase() === 'none' || raw === 'auto' ? null : raw;
    case 'column':
      // a run maps only the spec-z columns it is given: `auto` would read as a detection it
      // does not do (it meant no column, without a word)
      if (raw.toLowerCase() === 'auto') {
        throw new UserError(
          flag === 'id'
            ? `--id (${field}): 'auto' is not a column; give the id column's name (--id objid), or --id NONE if the catalog has no id (without --id no id is used, and the run names a column that looks like one)`
            : `--${flag} (${field}): 'auto' is not a column; give the column's name, or NONE for no such column`,
        );
      }
      return raw === '' || raw.toLowerCase() === 'none' ? null : raw;
    default:
      return raw;
  }
}

/** Project field -> the flag that set it (`--flux-type`), for the flags in `values`. */
export function fieldFlags(
  values: Record<string, string | boolean | undefined>,
): Map<string, string> {
  const byField = new Map<string, string>();
  for (const [flag, [field]] of Object.entries(VALUE_FLAGS)) {
    if (typeof values[flag] === 'string') byField.set(field, `--${flag}`);
  }
  for (const [flag, [field]] of Object.entries(BOOLEAN_FLAGS)) {
    if (values[flag] === true) byField.set(field, `--${flag}`);
  }
  return byField;
}

/**
 * A run's error in the words of the flags that set the fields it names: a leading
 * `photometry.fluxType: ...` becomes `--flux-type (photometry.fluxType): ...` (as the schema's
 * refusals read), and `(specz.columns.ra)` becomes `(--ra)`. Fields a project file set keep
 * their names.
 */
export function namingFlags(message: string, byField: Map<string, string>): string {
  let out = message;
  for (const [field, flag] of byField) {
    out = out.replaceAll(`(${field})`, `(${flag})`);
    if (out.startsWith(`${field}: `)) out = `${flag} (${field})${out.slice(field.length)}`;
  }
  return out;
}

/** Reads a project file as a version-1 document, without validating fields flags may fix. */
async function readDocument(
  file: string,
  onIgnoredKey?: (path: string) => void,
): Promise<Record<string, unknown>> {
  const text = await readProjectText(file);
  let doc: unknown;
  const yaml = ['.yml', '.yaml'].includes(extname(file).toLowerCase());
  try {
    doc = yaml ? parseYaml(text) : parseJsonText(text);
  } catch (err) {
    throw new UserError(`${file}: is not valid ${yaml ? 'YAML' : 'JSON'} (${firstLine(err)})`);
  }
  const version = (doc as { version?: unknown } | null)?.version;
  if (
    typeof doc === 'object' &&
    doc !== null &&
    (JSON_PROJECT_VERSIONS as readonly unknown[]).includes(version)
  ) {
    return structuredClone(doc) as Record<string, unknown>;
  }
  return migrateProject(doc, file, { onIgnoredKey }) as unknown as Record<string, unknown>;
}

/**
 * The project of a `tsm run`: the file (any version) or the defaults, with the flags applied,
 * validated. When `--specz` is given the file's `specz.catalogId` is cleared, and the reverse.
 * `onIgnoredKey` is told the keys of an original config.yml that it does not know.
 */
export async function projectFromFlags(
  file: string | null,
  values: Record<string, string | boolean | undefined>,
  cwd = process.cwd(),
  onIgnoredKey?: (path: string) => void,
): Promise<Project> {
  if (typeof values.specz === 'string' && typeof values['specz-id'] === 'string') {
    throw new UserError(
      'give the spec-z catalog once: --specz FILE (a file or HATS folder) or --specz-id ID (a registered catalog), not both',
    );
  }
  const doc: Record<string, unknown> = file
    ? await readDocument(file, onIgnoredKey)
    : { version: PROJECT_VERSION, name: 'tsm', specz: {}, photometry: {} };
  const byField = fieldFlags(values);
  for (const [flag, [field, kind]] of Object.entries(VALUE_FLAGS)) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    setPath(doc, field, flagValue(flag, field, raw, kind, cwd));
  }
  // --id NONE is recorded, so config.yml and run.json say it and a re-run does not note an id
  // column again; --id COL takes back a file's noIdColumn
  if (typeof values.id === 'string') {
    setPath(doc, 'specz.noIdColumn', idDeclined(values) ? true : undefined);
  }
  if (typeof values.specz === 'string') setPath(doc, 'specz.catalogId', null);
  if (typeof values['specz-id'] === 'string') setPath(doc, 'specz.path', null);
  for (const [flag, [field, value]] of Object.entries(BOOLEAN_FLAGS)) {
    if (values[flag] === true) setPath(doc, field, value);
  }
  const where = file ?? 'tsm run';
  const issues = projectIssues(doc);
  if (issues.length > 0) {
    const lines = issues.map((i) => {
      const flag = byField.get(i.path);
      return flag
        ? `${flag} (${i.path}): ${i.message}`
        : `${file ? `${file}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`;
    });
    if (!file && issues.some((i) => i.path === 'specz.path' || i.path === 'photometry.location')) {
      lines.push(
        "Give a project file, or at least --specz FILE and --photometry CATALOG. See 'tsm run --help'.",
      );
    }
    throw new UserError(lines.join('\n'));
  }
  return migrateProject(doc, where);
}

/**
 * Step 1-2 of a run: resolve the catalogs (spec-z, photometry + margin, survey profile, flux type,
 * dust map) and plan the aligned pixels. Only partitions overlapping the spec-z footprint are
 * in the plan (compute/crossmatch's alignment and MOC filter).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { planCrossmatch } from '../crossmatch/plan';
import { resolveOptions, type ResolvedCrossmatchOptions } from '../crossmatch/options';
import { DIST_COLUMN, planOutputColumns, type OutputColumns } from '../crossmatch/output';
import type { PixelTaskSpec } from '../crossmatch/pixel-task';
import { UserError } from '../errors';
import { openObjectCatalog } from '../hats/open';
import { configureRemoteDefaults, isRemoteLocation, openStore } from '../hats/store';
import type { ByteStore } from '../hats/byte-source';
import type { HttpSession } from '../hats/http-session';
import type { Pixel } from '../hats/types';
import { loadMoc } from '../crossmatch/moc';
import type { HttpOptionsInput } from '../hats/http-options';
import type { HatsCatalog } from '../hats/catalog';
import { CATALOG_SUFFIX, findFluxType, fluxTypeNeedsMap } from '../photometry/apply-photometry';
import { abZeroPoint, detectProfile } from '../photometry/detect-profile';
import type { DustMap } from '../photometry/dust-map';
import { openDustMap } from '../photometry/dust-maps';
import type { FluxType, SurveyProfile } from '../photometry/profiles';
import { holdsNumbers } from '../arrow/type-text';
import { TIE_RESULT_COLUMN, TRAINING_FLAG_COLUMN, TSM_SUFFIXES } from './output-columns';
import { checkOutputColumnTypes } from './output-types';
import { DUST_MAPS, type Project, type SpeczColumns } from './project-schema';
import { HATS_PARTITION_COLUMNS, openSpecz, type SpeczSource } from './specz-source';
import type { SpeczReadProgress } from '../io/read-progress';
import type { DustMapRef, TaskPhotometry } from './trainingset-task';

export interface PlanOptions {
  /** Folder against which relative project paths are resolved (the project file's folder). */
  baseDir?: string;
  /** App data folder: registered spec-z catalogs live in `<dataDir>/catalogs/<id>`. */
  dataDir?: string;
  /** Dust-map folder (default `<dataDir>/dustmaps`). */
  dustMapFolder?: string | null;
  signal?: AbortSignal;
  /** Remote settings (cache folder, offline, ...) for http(s) catalogs, here and in the workers. */
  remote?: HttpOptionsInput;
  /**
   * The session the catalogs are opened with here (default: the process's default session): a
   * run's own answers its cancel while a slow server is still being asked for the catalog.
   */
  session?: HttpSession;
  /** Told what is being opened, step by step (a remote catalog can take a while). */
  onStep?: (message: string) => void;
  /** Told the rows of a spec-z file read as they come (a million rows of text take a while). */
  onSpeczRead?: (progress: SpeczReadProgress) => void;
}

export interface RunPlan {
  /** Remote settings passed on to the worker tasks. */
  remote?: HttpOptionsInput;
  specz: SpeczSource;
  photometry: HatsCatalog;
  margin: HatsCatalog | null;
  profile: SurveyProfile;
  /** Spec-z role -> column of the spec-z catalog (registered catalogs use canonical names). */
  speczColumns: SpeczColumns;
  /** The dust map as opened in this thread (its `info` goes to run.json); null = none. */
  dustMap: DustMap | null;
  /** Warnings about the plan for run.json (a chosen dust map that the flux type does not use). */
  notes: string[];
  taskPhotometry: TaskPhotometry;
  options: ResolvedCrossmatchOptions;
  columns: OutputColumns;
  tasks: PixelTaskSpec[];
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** A project path made absolute against `baseDir` (URLs unchanged). */
export function resolvePath(path: string, baseDir: string): string {
  return isUrl(path) || isAbsolute(path) ? path : resolve(baseDir, path);
}

function dataColumns(names: string[]): string[] {
  return names.filter((n) => !HATS_PARTITION_COLUMNS.includes(n));
}

/** The photometric columns to read: the user's choice plus what matching and photometry need. */
function rightColumns(
  project: Project,
  profile: SurveyProfile,
  fluxType: string | null,
  all: string[],
  /** The catalog's own ra/dec (hats_col_ra/dec): the decision pass reads them. */
  positions: string[],
): string[] {
  const wanted = project.photometry.columns;
  if (wanted.length === 0) return dataColumns(all);
  for (const c of wanted) {
    if (!all.includes(c)) {
      throw new UserError(
        `photometry.columns: '${c}' is not a column of the photometric catalog; remove it or pick from: ${dataColumns(all).join(', ')}`,
      );
    }
  }
  const needed = [profile.idColumn, profile.raColumn, profile.decColumn, ...positions];
  if (fluxType) {
    for (const b of findFluxType(profile, fluxType).bands) {
      needed.push(
        b.flux ?? null,
        b.fluxErr ?? null,
        b.mag ?? null,
        b.magErr ?? null,
        b.magDered ?? null,
      );
    }
  }
  return [
    ...new Set([
      ...wanted,
      ...needed.filter((c): c is string => typeof c === 'string' && all.includes(c)),
    ]),
  ];
}

function dustMapRef(project: Project, options: PlanOptions): DustMapRef | null {
  const map = project.photometry.dereddening.map;
  if (map === 'none') return null;
  const folder =
    options.dustMapFolder !== undefined
      ? options.dustMapFolder
      : options.dataDir
        ? join(options.dataDir, 'dustmaps')
        : null;
  const known = (DUST_MAPS as readonly string[]).includes(map);
  return { spec: known ? map : resolvePath(map, options.baseDir ?? process.cwd()), folder };
}

/** Largest point_map.fits fetched over http(s) for planning; a bigger one is skipped. */
const REMOTE_MOC_MAX_BYTES = 8 << 20;

/**
 * The photometric catalog's MOC (`loadMoc`), except a remote point_map.fits above
 * {@link REMOTE_MOC_MAX_BYTES}: downloading it would cost more than the few partitions it saves.
 */
async function photometryMoc(catalog: HatsCatalog): Promise<Pixel[] | null> {
  if (isRemoteLocation(catalog.location)) {
    const store = catalog.store;
    if (!(await store.exists('point_map.fits'))) return null;
    if ((await store.open('point_map.fits').size()) > REMOTE_MOC_MAX_BYTES) return null;
  }
  return loadMoc(catalog);
}

/** The survey profile of a photometric catalog for a project (its profile and generic columns). */
export function projectProfile(catalog: HatsCatalog, project: Project): SurveyProfile {
  return detectProfile(
    {
      columns: catalog.schema.fields.map((f) => f.name),
      columnTypes: Object.fromEntries(catalog.schema.fields.map((f) => [f.name, String(f.type)])),
      obsCollection: catalog.properties.name,
      raColumn: catalog.raColumn,
      decColumn: catalog.decColumn,
      location: catalog.location,
    },
    {
      survey: project.photometry.profile ?? undefined,
      generic: project.photometry.generic ?? undefined,
    },
  );
}

/**
 * The flux and magnitude columns of the flux type hold numbers: a text column (a damaged or
 * hand-made catalog) was refused only by the photometry step, naming the profile, not the catalog.
 */
function checkBandColumnTypes(catalog: HatsCatalog, ft: FluxType, location: string): void {
  for (const b of ft.bands) {
    for (const key of ['flux', 'fluxErr', 'mag', 'magErr', 'magDered'] as const) {
      const name = b[key];
      const field = name ? catalog.schema.fields.find((f) => f.name === name) : undefined;
      if (!field || holdsNumbers(String(field.type))) continue;
      throw new UserError(
        `${location}: column '${field.name}' (${ft.label} ${key} of band ${b.band}) holds ${String(field.type)} values, not numbers. ` +
          'Choose another flux type (photometry.fluxType), or fix the catalog.',
      );
    }
  }
}

/** The columns a run adds after the photometric ones: DIST_COLUMN and the decisions'. */
const RUN_COLUMNS = [DIST_COLUMN, TIE_RESULT_COLUMN, TRAINING_FLAG_COLUMN];

/**
 * A photometric column named like a column the run adds or a spec-z column's `<name>_specz` (a
 * catalog saved from an lsdb crossmatch has `_dist_arcsec`, an earlier training set all of them)
 * is kept as `<name>_catalog` (the suffix again while taken), as the photometry step keeps DP1's
 * own `ebv`: the run failed with "internal error: crossmatch output would have two columns
 * named '_dist_arcsec'".
 */
function keepCatalogColumns(names: string[], reserved: string[]): (name: string) => string {
  const taken = new Set([...names, ...reserved]);
  const clash = new Set(reserved);
  return (name) => {
    if (!clash.has(name)) return name;
    let out = `${name}${CATALOG_SUFFIX}`;
    while (taken.has(out)) out += CATALOG_SUFFIX;
    taken.add(out);
    return out;
  };
}

/** A catalog location as openHats takes it: a URL through `session` when given. */
function storeOpener(session: HttpSession | undefined): (location: string) => string | ByteStore {
  return (location) =>
    session && isRemoteLocation(location) ? openStore(location, { session }) : location;
}

/** Resolves the catalogs of `project` and plans its tasks. */
export async function planRun(project: Project, options: PlanOptions = {}): Promise<RunPlan> {
  const baseDir = options.baseDir ?? process.cwd();
  if (options.remote) configureRemoteDefaults(options.remote);
  const location = resolvePath(project.photometry.location, baseDir);
  const opener = storeOpener(options.session);
  const step = options.onStep ?? (() => undefined);
  step(`Opening the photometric catalog ${location}`);
  const { catalog: photometry, margin } = await openObjectCatalog(opener(location));
  const columnNames = photometry.schema.fields.map((f) => f.name);
  const profile = projectProfile(photometry, project);
  const wantFlux = project.photometry.fluxType.toLowerCase();
  let fluxType: string | null = null;
  if (profile.fluxTypes.length > 0) {
    fluxType = findFluxType(profile, wantFlux === 'auto' ? undefined : wantFlux).id;
  } else if (wantFlux !== 'auto') {
    throw new UserError(
      `photometry.fluxType: '${wantFlux}' is not in ${location} (no flux or magnitude columns of a known survey); use auto`,
    );
  }
  if (fluxType) checkBandColumnTypes(photometry, findFluxType(profile, fluxType), location);
  const chosenMap = dustMapRef(project, options);
  const notes: string[] = [];
  let dust = chosenMap;
  if (chosenMap && fluxType) {
    const ft = findFluxType(profile, fluxType);
    if (!fluxTypeNeedsMap(ft, project.photometry.convertToMagnitudes)) {
      // the survey's own dereddened magnitudes are kept as they are: the map is not opened (its
      // files are not needed) nor recorded in run.json as if it had been applied
      dust = null;
      const columns = ft.bands.map((b) => b.magDered).join(', ');
      notes.push(
        `photometry.dereddening: the dust map '${project.photometry.dereddening.map}' was not applied: the ${ft.label} magnitudes of ${location} are already dereddened by the survey (${columns}) and are written as they are, without an ebv column. Choose the dust map none to say so; to deredden with the map, convert fluxes to magnitudes with a flux type that has flux columns.`,
      );
    }
  }
  const ab = abZeroPoint(profile.fluxUnit);
  if (fluxType && ab !== undefined && Math.abs(ab - profile.zeroPointMag) > 1e-9) {
    notes.push(
      `photometry.generic.zeroPointMag: ${profile.zeroPointMag} is not the AB zero point of the flux unit ${profile.fluxUnit} (${ab}): the magnitudes are ${profile.zeroPointMag} - 2.5 log10(f). For AB magnitudes set it to ${ab}, or leave it out to take the unit's.`,
    );
  }
  // Opened here too, to fail before any work and to record what the map is.
  const dustMap = dust && fluxType ? await openDustMap(dust.spec, { folder: dust.folder }) : null;
  // Only its `info` is used here (the tasks open their own): release its files right away.
  await dustMap?.close?.();
  const taskPhotometry: TaskPhotometry = {
    profile,
    fluxType,
    toMagnitudes: project.photometry.convertToMagnitudes,
    dustMap: dust,
    ebvScale: project.photometry.dereddening.scale,
  };

  const speczPath = project.specz.catalogId
    ? join(options.dataDir ?? '.', 'catalogs', project.specz.catalogId)
    : resolvePath(project.specz.path!, baseDir);
  step(`Opening the spec-z catalog ${speczPath}`);
  const specz = await openSpecz(
    speczPath,
    project.specz.columns,
    photometry,
    project.specz.catalogId !== null,
    opener,
    project.specz.noIdColumn === true,
    options.signal,
    { onProgress: options.onSpeczRead },
  );
  const leftCols = dataColumns(specz.catalog.schema.fields.map((f) => f.name));
  const rightCols = rightColumns(project, profile, fluxType, columnNames, [
    photometry.raColumn,
    photometry.decColumn,
  ]);
  checkOutputColumnTypes(
    project.output.format,
    { schema: specz.catalog.schema, columns: leftCols },
    { schema: photometry.schema, columns: rightCols },
  );
  const resolved = resolveOptions(specz.catalog, photometry, {
    radiusArcsec: project.crossmatch.radiusArcsec,
    nNeighbors: project.crossmatch.nNeighbors,
    how: project.crossmatch.join,
    rightMargin: margin ?? null,
    suffixes: TSM_SUFFIXES,
    suffixMethod: 'all_columns',
    columns: { left: leftCols, right: rightCols },
  });
  const columns = planOutputColumns(
    leftCols,
    rightCols,
    specz.catalog.healpixColumn,
    photometry.healpixColumn,
    resolved.suffixes,
    resolved.suffixMethod,
    keepCatalogColumns(rightCols, [
      ...RUN_COLUMNS,
      ...leftCols.map((c) => `${c}${resolved.suffixes[0]}`),
    ]),
  );
  // E(B-V) is looked up at the photometric position under its output name: a training set's
  // ra_specz, say, is ra_specz_catalog there, and ra_specz the spec-z RA
  const outputName = (c: string) => columns.right.find((r) => r.from === c)?.to ?? c;
  taskPhotometry.raColumn = outputName(profile.raColumn);
  taskPhotometry.decColumn = outputName(profile.decColumn);
  // lsdb plans with the catalogs' MOCs (hats-lsdb.md §3.2): point_map.fits, or the order-10
  // cells of a spec-z file's rows; without one, the partitions stand in (a superset).
  const mocs = { left: await loadMoc(specz.catalog), right: await photometryMoc(photometry) };
  const tasks = planCrossmatch(specz.catalog, photometry, margin ?? null, resolved, mocs);
  return {
    specz,
    photometry,
    margin: margin ?? null,
    profile,
    speczColumns: specz.columns,
    remote: options.remote,
    dustMap,
    notes,
    taskPhotometry,
    options: resolved,
    columns,
    tasks,
  };
}

/**
 * The one contract between the renderer and the main side (Electron IPC or the web bridge).
 * The preload, the web bridge client and the test fakes are all typed `: TsmApi`; main builds
 * its handler list from `TSM_METHODS` and validates every payload with zod (main/api-schemas.ts).
 * Everything here is plain JSON (plus Uint8Array for uploads), so both transports carry it.
 */
import type { RunProgress } from '../compute/pipeline/progress';
import type { Project, ProjectIssue, SpeczColumns } from '../compute/pipeline/project';
import type { ExportTarget } from '../compute/export/types';
import type { GenericChoices } from '../compute/photometry/detect-profile';
import type { SpeczReadProgress } from '../compute/io/read-progress';

export type { RunProgress, Project, ProjectIssue, ExportTarget, GenericChoices, SpeczReadProgress };

/** A table cell as it crosses the bridge: numbers, strings, booleans or null (BigInt -> string). */
export type Cell = string | number | boolean | null;

export interface AppInfo {
  name: string;
  version: string;
  transport: 'electron' | 'web';
  platform: string;
}

export interface Settings {
  /** Folder holding registered catalogs, runs, drafts and uploads. */
  dataDir: string;
  /** Folder holding dust maps (SFD, CSFD, Planck files); empty = none configured. */
  dustMapDir: string;
  /**
   * Worker threads per run (>= 1); null: chosen per run (one per core but one, or one per core for
   * a run that reads far more than it writes: compute/pipeline/auto-workers.ts).
   */
  workers: number | null;
  /** Byte cache for remote catalogs, in MB (0: the default; at most MAX_CACHE_MB). */
  cacheSizeMb: number;
  /**
   * Seconds after which a remote download that receives nothing (or trickles under 100 bytes/s)
   * stalls (above 0, at most MAX_STALL_SECONDS); null: the default (30 s, or TSM_STALL_SECONDS).
   */
  stallSeconds: number | null;
}

/** The largest cache size the Settings take, in MB (a terabyte). */
export const MAX_CACHE_MB = 1_000_000;
/** The longest stall timeout the Settings take, in seconds (a day, as TSM_STALL_SECONDS). */
export const MAX_STALL_SECONDS = 86_400;

// ---------------------------------------------------------------- catalogs

/**
 * Roles a spec-z column can play (the original upload's UCD step: RA, Dec, z, ID, z_err, z_flag,
 * survey; plus CRC's instrument type), keyed as in the project file's `specz.columns`.
 */
export const SPECZ_ROLES = [
  'ra',
  'dec',
  'z',
  'id',
  'zErr',
  'zFlag',
  'survey',
  'instrumentType',
] as const satisfies readonly (keyof SpeczColumns)[];
export type SpeczRole = (typeof SPECZ_ROLES)[number];
/** Role -> column name of the user's file: ra, dec and z are required, the others may be null. */
export type ColumnMapping = SpeczColumns;

export interface ColumnInfo {
  name: string;
  /** Arrow/physical type as text, e.g. "Float64", "Utf8". */
  type: string;
}

export interface SpeczPreview {
  path: string;
  format: string;
  columns: ColumnInfo[];
  /** The first rows of the file, one array per row in `columns` order. */
  rows: Cell[][];
  /** Auto-detected role -> column mapping (the user may change it); '' = not found. */
  mapping: ColumnMapping;
  /** The engine's words when ra, dec or z could not be detected. */
  mappingNote?: string;
}

export interface ValidationIssue {
  severity: 'error' | 'warning';
  /** The engine's words, shown as they are. */
  message: string;
  column?: string;
  count?: number;
}

export interface ValidationReport {
  ok: boolean;
  rowsRead: number;
  rowsValid: number;
  issues: ValidationIssue[];
  /** How ra/dec were read: 'deg', 'rad' or 'hms' (sexagesimal). */
  angleUnits?: string;
}

export interface NamedOption {
  name: string;
  label: string;
}

export interface PhotometricProfile {
  id: string;
  label: string;
  bands: string[];
  fluxTypes: NamedOption[];
  dustMaps: NamedOption[];
  /** True when fluxes can be converted into magnitudes. */
  canConvertToMag: boolean;
}

/** Sky coverage as partition centres (HEALPix NESTED) for the coverage map. */
export interface SkyCoverage {
  points: { raDeg: number; decDeg: number; order: number }[];
  /** Fraction of the sphere covered by the partitions, 0..1. */
  skyFraction: number;
  /** Partition outlines (closed rings of [raDeg, decDeg]); absent for very many partitions. */
  outlines?: [number, number][][];
}

export interface CatalogSummary {
  id: string;
  kind: 'specz' | 'photometric';
  name: string;
  /** Path or URL of the catalog (the registered HATS for spec-z). */
  location: string;
  /** The user's original file for spec-z catalogs. */
  sourcePath?: string;
  addedAt: string;
  /** Rows of the catalog (`hats_nrows`); null when the catalog does not record it. */
  rowCount: number | null;
  columns: ColumnInfo[];
  partitions: number;
  coverage: SkyCoverage;
  /** Spec-z: the registered catalog's columns per role (what a project's specz.columns uses). */
  mapping?: ColumnMapping;
  /** Spec-z: the user's file columns per role, as mapped at registration. */
  sourceMapping?: ColumnMapping;
  report?: ValidationReport;
  profile?: PhotometricProfile;
  /** Photometric: the user's column choices for the generic profile (setGenericColumns). */
  generic?: GenericChoices;
  /**
   * A run could not read it: a photometric catalog's local folder, or a spec-z catalog's stored
   * copy in the data folder, is no longer there (moved or deleted); checked each time the catalogs
   * are listed, never stored. URLs are not checked.
   */
  missing?: boolean;
  /**
   * A folder of the data folder's catalogs/ with tsm register's registration.json that cannot be
   * read (what is wrong and what to do): listed so that the user sees it, never stored, deleted
   * or offered to runs.
   */
  problem?: string;
}

/** How a spec-z file's ra/dec are written; sexagesimal means RA in hours. */
export type AngleUnitsChoice = 'deg' | 'rad' | 'sexagesimal';

export interface ValidateSpeczRequest {
  path: string;
  mapping: ColumnMapping;
  /** Absent: told from the values (and refused when degrees and radians both fit). */
  angleUnits?: AngleUnitsChoice;
  /**
   * The caller's id for this request, so that `cancelCatalogRequest` can stop it; its reading is
   * reported by `catalogProgress` events of this id.
   */
  requestId?: string;
}

export interface RegisterSpeczRequest extends ValidateSpeczRequest {
  name: string;
  /** Register the valid rows even when some rows were rejected. */
  skipInvalidRows?: boolean;
}

export interface AddPhotometricRequest {
  /** A local folder or an http(s) URL of a HATS catalog or collection. */
  location: string;
  name?: string;
  /** The caller's id for this request, so that `cancelCatalogRequest` can stop it. */
  requestId?: string;
}

// ---------------------------------------------------------------- projects

export interface ProjectFileRef {
  path: string;
  project: Project;
  /** Where Save writes it: `path`, but an original config.yml is saved as `config.tsm.json`. */
  savePath: string;
  /**
   * What opening or saving it noticed, one sentence each (an original config.yml's unknown keys, a
   * recent-projects list that could not be saved).
   */
  warnings?: string[];
}

/** What `exportProject` wrote ("Run on a cluster..."). */
export interface ExportWritten {
  target: ExportTarget;
  /** The chosen folder, absolute and normalised. */
  folder: string;
  /** Absolute paths of the files written, all inside `folder`. */
  paths: string[];
  /** Project fields the target cannot express, one sentence each. */
  unsupported: string[];
}

/** The wizard's autosaved draft: the form as it was, and the project file Save writes to. */
export interface DraftRef {
  project: Project;
  /** The project file the draft was opened from or last saved to (absolute); null: none yet. */
  projectPath: string | null;
  /** Changes with every save (a window tells another's save by it); null: an older draft's. */
  revision: string | null;
}

/**
 * What saveDraft did: saved it (its new revision), or not, as the draft on disk is no longer the
 * one the window last loaded or saved (another window saved its own since): `current` is that one.
 */
export type DraftSaved = { saved: true; revision: string } | { saved: false; current: DraftRef };

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

// ---------------------------------------------------------------- runs

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface RunCounts {
  rowsIn: number;
  matched: number;
  unmatched: number;
  duplicatesResolved: number;
  train: number;
  test: number;
  rowsOut: number;
}

export interface RunRecord {
  id: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  project: Project;
  /** Folder holding the output file and run.json. */
  outputDir: string;
  outputPath?: string;
  counts?: RunCounts;
  /** The engine's message when the run failed; why, when the app (not the user) cancelled it. */
  error?: string;
  /**
   * What the user should know about a run that finished (the engine's run.json `warnings`, e.g.
   * "No cross matches were found: ..." or a worker thread that was retried), shown as they are.
   * Absent or empty when there is nothing to say (and in records of older versions).
   */
  warnings?: string[];
  lastProgress?: RunProgress;
  /** When the run wrote its output (its modification time, ms): tells a later overwrite. */
  outputWrittenMs?: number;
  /**
   * The spec-z position and redshift columns as the output names them (before a `_specz`
   * suffix), where they differ from the project's: a spec-z file's radians `ra_rad` is written in
   * degrees as `ra`. Absent in records of older versions.
   */
  speczColumns?: { ra: string; dec: string; z: string };
  /**
   * The split's seed the run used (drawn at its start when the project left it empty), so a
   * re-run repeats the split. Absent in records of older versions and of runs that did not finish.
   */
  seed?: number;
  /**
   * The process running it, while it runs (compute/pipeline/app-record.ts runOwner): another
   * process on the data folder shows the run as running while that process lives and keeps the
   * record fresh, as failed once it is gone. Absent in records of older versions (and then a
   * record "running" in another process counts as one whose process is gone).
   */
  owner?: RunOwner;
  /**
   * Set when the record is read by a process that is not running it while the one that is lives:
   * which process ("Running in tsm run (pid 1234)...", with its progress), as the Runs page says.
   * Never stored.
   */
  runningElsewhere?: string;
}

/** Which process runs a run (RunRecord `owner`). */
export interface RunOwner {
  pid: number;
  /** The machine's host name (a data folder on a shared disk can be used from several). */
  host: string;
  /** Random per process: tells a process from a later one given the same pid. */
  token: string;
  /** What the process is, as the Runs page names it: "tsm run", "the app", "the web bridge". */
  program: string;
}

export interface Histogram {
  /** Bin edges (length = counts.length + 1). */
  edges: number[];
  counts: number[];
}

export interface QaData {
  /**
   * Sampled positions (at most a few thousand of each); unmatched spec-z rows are those without
   * a photometric partner. The counts are of all rows: matched output rows, and unmatched spec-z
   * rows (null when the spec-z catalog could no longer be read; `note` says why).
   */
  sky: {
    matched: [number, number][];
    unmatched: [number, number][];
    matchedCount: number;
    unmatchedCount: number | null;
    /**
     * The unmatched set also holds spec-z rows that matched but were dropped as duplicates
     * (unique galaxies, one-to-one, inner join): the output alone cannot tell them apart.
     */
    unmatchedIncludesDropped?: boolean;
    note?: string;
  };
  redshift: Histogram;
  separationArcsec: Histogram;
  magnitudes: { band: string; column: string; histogram: Histogram }[];
  /** Colour (e.g. g-r) against redshift, sampled. */
  colourVsRedshift?: { label: string; points: [number, number][] };
}

/** What a run has reported so far, for a page that starts following it after it started. */
export interface RunLog {
  /** Its latest progress; null before the first (or for a run this app session did not start). */
  progress: RunProgress | null;
  /** Its log lines in order (the progress messages; the last RUN_LOG_LINES of them). */
  lines: { elapsedMs: number; message: string }[];
}

/** A finished run's counts and the state of its output; the plots' data come by getRunQa. */
export interface RunResults {
  run: RunRecord;
  /** Set when the output file is no longer there (deleted or moved after the run). */
  outputMissing?: string;
  /** Set when the output was written again after this run (by a later run into its folder). */
  outputReplaced?: string;
}

export interface TablePage {
  columns: string[];
  rows: Cell[][];
  offset: number;
  total: number;
}

// ---------------------------------------------------------------- events

export type MenuCommand =
  | { command: 'new' }
  | { command: 'open' }
  | { command: 'save' }
  | { command: 'saveAs' }
  | { command: 'openRecent'; path: string }
  | { command: 'about' };

/** Every event main pushes to the renderer, with its payload. */
export interface TsmEvents {
  runProgress: { runId: string; progress: RunProgress };
  /** How far a validateSpecz or registerSpecz call sent with `requestId` read its file. */
  catalogProgress: { requestId: string; progress: SpeczReadProgress };
  runFinished: RunRecord;
  /** How far a getRunQa call has read the run's output, 0..1 (a few times per call). */
  qaProgress: { runId: string; fraction: number };
  menu: MenuCommand;
}
export type TsmEventName = keyof TsmEvents;
export const TSM_EVENTS: Record<TsmEventName, true> = {
  runProgress: true,
  catalogProgress: true,
  runFinished: true,
  qaProgress: true,
  menu: true,
};

/** What a native dialog should pick. */
export type PickKind =
  'speczFile' | 'projectFile' | 'catalogFolder' | 'saveProject' | 'exportFolder';

// ---------------------------------------------------------------- the contract

export interface TsmApi {
  getAppInfo(): Promise<AppInfo>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;

  /** A native dialog; resolves null when cancelled or when the transport has none (web). */
  pickPath(kind: PickKind): Promise<string | null>;
  /** Stores bytes under the data folder's uploads and returns the stored path (web fallback). */
  uploadFile(fileName: string, data: Uint8Array): Promise<string>;

  listCatalogs(): Promise<CatalogSummary[]>;
  getCatalog(id: string): Promise<CatalogSummary>;
  /**
   * The first rows and columns of a spec-z file or HATS catalog; with a `requestId`,
   * `cancelCatalogRequest` stops the reading (a remote catalog's downloads too).
   */
  previewSpecz(path: string, requestId?: string): Promise<SpeczPreview>;
  validateSpecz(request: ValidateSpeczRequest): Promise<ValidationReport>;
  registerSpecz(request: RegisterSpeczRequest): Promise<CatalogSummary>;
  addPhotometric(request: AddPhotometricRequest): Promise<CatalogSummary>;
  /**
   * Stops the previewSpecz, validateSpecz, registerSpecz or addPhotometric call sent with this `requestId` (its
   * reading of the file, its downloads and retries too): that call rejects and adds nothing.
   * Resolves at once, also when the call has finished already (what it added stays).
   */
  cancelCatalogRequest(requestId: string): Promise<void>;
  deleteCatalog(id: string): Promise<void>;
  /**
   * Names the columns of a photometric catalog no survey profile knows (id, ra, dec, band flux and
   * flux error, zero point, R_b): checked against its columns, stored with the catalog, and its
   * profile then offers the `custom` flux type and the dust maps. Resolves the updated catalog.
   */
  setGenericColumns(catalogId: string, choices: GenericChoices): Promise<CatalogSummary>;

  newProject(): Promise<Project>;
  validateProject(project: Project): Promise<ProjectIssue[]>;
  openProject(path: string): Promise<ProjectFileRef>;
  saveProject(path: string, project: Project): Promise<ProjectFileRef>;
  listRecentProjects(): Promise<RecentProject[]>;
  /**
   * Autosaves the wizard's form with the project file it belongs to (null: none yet). With
   * `baseRevision` (the revision the window last loaded or saved; null: none) it writes only over
   * that draft, and otherwise answers the draft another window saved meanwhile.
   */
  saveDraft(
    project: Project,
    projectPath: string | null,
    baseRevision?: string | null,
  ): Promise<DraftSaved>;
  loadDraft(): Promise<DraftRef | null>;
  /**
   * Writes the project for another system into `folder` (absolute; created if needed): `lsdb` =
   * LSDB + Dask Python job, `pzserver` = the original pipeline's config.yml. Resolves the paths.
   */
  exportProject(project: Project, target: ExportTarget, folder: string): Promise<ExportWritten>;

  startRun(project: Project): Promise<RunRecord>;
  /**
   * Cancels a run; resolves once it stopped. A run another process on this computer runs is
   * asked to stop through its folder (its record then says from where); one that ended, whose
   * process is gone or of another computer is refused with a message, nothing changed.
   */
  cancelRun(runId: string): Promise<void>;
  listRuns(): Promise<RunRecord[]>;
  /**
   * A run's log and progress so far (kept in memory for the runs this app session started; for
   * others, read from the log file their process writes, whose later events then come as
   * `runProgress` and `runFinished` as for this session's runs): a run page that opens after the
   * run started shows its whole log.
   */
  getRunLog(runId: string): Promise<RunLog>;
  /** A finished run's counts and output state, without reading the output (the page opens on it). */
  getRunResults(runId: string): Promise<RunResults>;
  /**
   * The QA plots' data of a finished run's output: read from the output (seconds for a million
   * rows; `qaProgress` events say how far), then kept beside the run's record. `requestId`: the
   * caller's id, so that `cancelRunQa` can stop it.
   */
  getRunQa(runId: string, requestId?: string): Promise<QaData>;
  /**
   * Stops the getRunQa call sent with `requestId` (the page left, another run opened, the window
   * closed): it rejects with a CancelledError, and the reading of the output stops when no other
   * call waits for it (nothing is kept). A call that already finished is not undone.
   */
  cancelRunQa(requestId: string): Promise<void>;
  getTablePage(runId: string, offset: number, limit: number): Promise<TablePage>;
  /** Opens the run's output folder in the file manager; resolves the folder path. */
  openOutputFolder(runId: string): Promise<string>;

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends TsmEventName>(event: E, listener: (payload: TsmEvents[E]) => void): () => void;
}

/** Every request method of TsmApi (not `on`); the compiler reports a missing or extra name. */
export type TsmMethod = Exclude<keyof TsmApi, 'on'>;
export const TSM_METHODS: Record<TsmMethod, true> = {
  getAppInfo: true,
  getSettings: true,
  updateSettings: true,
  pickPath: true,
  uploadFile: true,
  listCatalogs: true,
  getCatalog: true,
  previewSpecz: true,
  validateSpecz: true,
  registerSpecz: true,
  addPhotometric: true,
  cancelCatalogRequest: true,
  deleteCatalog: true,
  setGenericColumns: true,
  newProject: true,
  validateProject: true,
  openProject: true,
  saveProject: true,
  listRecentProjects: true,
  saveDraft: true,
  loadDraft: true,
  exportProject: true,
  startRun: true,
  cancelRun: true,
  listRuns: true,
  getRunLog: true,
  getRunResults: true,
  getRunQa: true,
  cancelRunQa: true,
  getTablePage: true,
  openOutputFolder: true,
};
export const TSM_METHOD_NAMES = Object.keys(TSM_METHODS) as TsmMethod[];

/** The IPC channel of a method or event (`tsm:<name>`). */
export const channelOf = (name: TsmMethod | TsmEventName): string => `tsm:${name}`;

export type TsmArgs<M extends TsmMethod> = Parameters<TsmApi[M]>;
export type TsmResult<M extends TsmMethod> = Awaited<ReturnType<TsmApi[M]>>;

import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { CancelledError, UserError } from '../compute/errors';
import type {
  AddPhotometricRequest,
  AngleUnitsChoice,
  CatalogSummary,
  ColumnMapping,
  GenericChoices,
  PhotometricProfile,
  RegisterSpeczRequest,
  SpeczPreview,
  SpeczReadProgress,
  ValidationReport,
} from '../preload/api';
import { readJsonFile, writeJsonFile } from './json-file';
import { newId } from './data-paths';
import { isLocalLocation } from './catalog-location';

const CANCELLED_MESSAGE = 'Cancelled: nothing was added.';
/** Cancels remembered for requests not arrived yet (the oldest is forgotten first). */
const MAX_EARLY_CANCELS = 100;

/** What a HATS catalog looks like to the catalogs page (compute/hats + compute/photometry). */
export type CatalogDescription = Pick<
  CatalogSummary,
  'name' | 'location' | 'rowCount' | 'columns' | 'partitions' | 'coverage' | 'profile'
>;

/** How a spec-z file's reading is stopped and followed. */
export interface ReadControl {
  signal?: AbortSignal;
  /** Told the rows read as they come (and when a registration's writing starts). */
  onProgress?: (progress: SpeczReadProgress) => void;
}

/** The engine operations the registry needs; main/engine.ts binds them to compute/. */
export interface CatalogEngine {
  previewSpecz(path: string, signal?: AbortSignal): Promise<SpeczPreview>;
  validateSpecz(
    path: string,
    mapping: ColumnMapping,
    angleUnits?: AngleUnitsChoice,
    control?: ReadControl,
  ): Promise<ValidationReport>;
  /**
   * Parses, validates and stores the file as a small HATS catalog under `dataDir`; resolves the
   * registered catalog's id and folder. Rejects with the validation report's words when the
   * file cannot be registered.
   */
  registerSpecz(request: {
    path: string;
    mapping: ColumnMapping;
    angleUnits?: AngleUnitsChoice;
    name: string;
    dataDir: string;
    skipInvalidRows: boolean;
    signal?: AbortSignal;
    onProgress?: ReadControl['onProgress'];
  }): Promise<{ id: string; location: string; report: ValidationReport; columns: ColumnMapping }>;
  /** Opens a HATS catalog or collection (folder or URL) and describes it. */
  describeHats(location: string, signal?: AbortSignal): Promise<CatalogDescription>;
  /** The generic profile of `catalog` from the user's column choices (throws naming a bad column). */
  genericProfile(catalog: CatalogSummary, choices: GenericChoices): Promise<PhotometricProfile>;
}

/**
 * The catalogs known to the app: spec-z catalogs registered from files (stored as HATS in the data
 * folder) and photometric HATS catalogs added by folder or URL. The list lives in
 * `<dataDir>/catalogs/index.json`.
 */
export class CatalogRegistry {
  /** Adds and registrations in progress, by the caller's request id. */
  private readonly inProgress = new Map<string, AbortController>();
  /** Request ids cancelled before their request arrived (two HTTP calls can cross). */
  private readonly cancelledEarly = new Set<string>();

  constructor(
    private readonly dataDir: () => Promise<string>,
    private readonly engine: CatalogEngine,
    /** Told how far the reading of a validate or register request with an id got (events). */
    private readonly onProgress?: (requestId: string, progress: SpeczReadProgress) => void,
  ) {}

  /** The progress callback of a request (none without an id or a listener). */
  private progressOf(requestId: string | undefined): ReadControl['onProgress'] {
    const onProgress = this.onProgress;
    if (requestId === undefined || !onProgress) return undefined;
    return (progress) => onProgress(requestId, progress);
  }

  /**
   * Stops the preview, validate, addPhotometric or registerSpecz call made with `requestId`: its reading,
   * requests and retries stop, it rejects with a CancelledError and adds nothing. A request that
   * already finished is not undone.
   */
  cancel(requestId: string): void {
    const controller = this.inProgress.get(requestId);
    if (controller) {
      controller.abort();
      return;
    }
    this.cancelledEarly.add(requestId);
    if (this.cancelledEarly.size > MAX_EARLY_CANCELS) {
      this.cancelledEarly.delete(this.cancelledEarly.values().next().value!);
    }
  }

  /** Runs `work` cancellable under `requestId` (when given). */
  private async cancellable<T>(
    requestId: string | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    if (requestId === undefined) return work(controller.signal);
    if (this.inProgress.has(requestId)) {
      throw new UserError(`The request '${requestId}' is already in progress.`);
    }
    if (this.cancelledEarly.delete(requestId)) throw new CancelledError(CANCELLED_MESSAGE);
    this.inProgress.set(requestId, controller);
    try {
      return await work(controller.signal);
    } catch (err) {
      throw controller.signal.aborted ? new CancelledError(CANCELLED_MESSAGE) : err;
    } finally {
      this.inProgress.delete(requestId);
    }
  }

  private async indexFile(): Promise<string> {
    return join(await this.dataDir(), 'catalogs', 'index.json');
  }

  async list(): Promise<CatalogSummary[]> {
    const stored = await readJsonFile(await this.indexFile(), []);
    return Array.isArray(stored) ? (stored as CatalogSummary[]) : [];
  }

  async get(id: string): Promise<CatalogSummary> {
    const found = (await this.list()).find((c) => c.id === id);
    if (!found) throw new UserError(`There is no catalog '${id}'; it may have been deleted.`);
    return found;
  }

  private async store(catalogs: CatalogSummary[]): Promise<void> {
    await writeJsonFile(await this.indexFile(), catalogs);
  }

  /** The first rows of a spec-z file; with a `requestId`, `cancel` stops the reading. */
  preview(path: string, requestId?: string): Promise<SpeczPreview> {
    return this.cancellable(requestId, (signal) => this.engine.previewSpecz(path, signal));
  }

  /**
   * Reads and checks every row of a spec-z file; with a `requestId`, `cancel` stops the reading
   * and its progress is reported under that id.
   */
  validate(
    path: string,
    mapping: ColumnMapping,
    angleUnits?: AngleUnitsChoice,
    requestId?: string,
  ): Promise<ValidationReport> {
    return this.cancellable(requestId, (signal) =>
      this.engine.validateSpecz(path, mapping, angleUnits, {
        signal,
        onProgress: this.progressOf(requestId),
      }),
    );
  }

  registerSpecz(request: RegisterSpeczRequest): Promise<CatalogSummary> {
    return this.cancellable(request.requestId, (signal) => this.register(request, signal));
  }

  private async register(
    request: RegisterSpeczRequest,
    signal: AbortSignal,
  ): Promise<CatalogSummary> {
    const name = request.name.trim();
    const existing = await this.list();
    if (existing.some((c) => c.kind === 'specz' && c.name === name)) {
      throw new UserError(
        `A redshift catalog named '${name}' exists already; choose another name.`,
      );
    }
    const registered = await this.engine.registerSpecz({
      path: request.path,
      mapping: request.mapping,
      angleUnits: request.angleUnits,
      name,
      dataDir: await this.dataDir(),
      skipInvalidRows: request.skipInvalidRows ?? false,
      signal,
      onProgress: this.progressOf(request.requestId),
    });
    // A spec-z catalog has no survey photometry: its profile would only say "generic".
    const { profile: _profile, ...description } = await this.engine.describeHats(
      registered.location,
    );
    if (signal.aborted) {
      // cancelled as the engine finished: its stored copy goes, as when cancelled earlier
      await this.removeStoredCopy(registered.location);
      throw new CancelledError(CANCELLED_MESSAGE);
    }
    const summary: CatalogSummary = {
      ...description,
      id: registered.id,
      kind: 'specz',
      name,
      location: registered.location,
      sourcePath: request.path,
      addedAt: new Date().toISOString(),
      mapping: registered.columns,
      sourceMapping: request.mapping,
      report: registered.report,
    };
    try {
      await this.store([...(await this.list()), summary]);
    } catch (err) {
      // not listed, the copy would only take space and the name (a full disk, say)
      await this.removeStoredCopy(registered.location);
      throw err;
    }
    // a copy uploaded from the browser for this registration is not needed any more: the
    // catalog is stored as HATS (the user's own files are never touched)
    const uploads = join(await this.dataDir(), 'uploads');
    const inUploads = relative(uploads, request.path);
    if (inUploads && !inUploads.startsWith('..') && !isAbsolute(inUploads)) {
      await rm(request.path, { force: true });
    }
    return summary;
  }

  addPhotometric(request: AddPhotometricRequest): Promise<CatalogSummary> {
    return this.cancellable(request.requestId, (signal) => this.addHats(request, signal));
  }

  private async addHats(
    request: AddPhotometricRequest,
    signal: AbortSignal,
  ): Promise<CatalogSummary> {
    const description = await this.engine.describeHats(request.location, signal);
    if (signal.aborted) throw new CancelledError(CANCELLED_MESSAGE);
    const name = request.name?.trim() || description.name;
    const existing = await this.list();
    // a project names its photometric catalog by location: two of one folder would be one to it
    // (checked before the name: the same folder again has the same name, and another name would
    // not do)
    const twin = existing.find(
      (c) => c.kind === 'photometric' && sameLocation(c.location, request.location),
    );
    if (twin) {
      throw new UserError(
        `${request.location} is already the photometric catalog '${twin.name}'; choose that one in the wizard (delete it first to add the folder again, under another name or with other columns).`,
      );
    }
    // the wizard lists photometric catalogs by name: two of one name could not be told apart
    if (existing.some((c) => c.kind === 'photometric' && c.name === name)) {
      throw new UserError(
        `A photometric catalog named '${name}' exists already; give this one another name.`,
      );
    }
    const summary: CatalogSummary = {
      ...description,
      id: newId('phot'),
      kind: 'photometric',
      name,
      location: request.location,
      addedAt: new Date().toISOString(),
    };
    await this.store([...existing, summary]);
    return summary;
  }

  /** Stores the generic-profile column choices of a photometric catalog and its new profile. */
  async setGenericColumns(id: string, choices: GenericChoices): Promise<CatalogSummary> {
    const target = await this.get(id);
    if (target.kind !== 'photometric') {
      throw new UserError(
        `'${target.name}' is a redshift catalog; band columns are chosen for photometric catalogs.`,
      );
    }
    const profile = await this.engine.genericProfile(target, choices);
    const updated: CatalogSummary = { ...target, profile, generic: choices };
    await this.store((await this.list()).map((c) => (c.id === id ? updated : c)));
    return updated;
  }

  /**
   * Forgets a catalog. A spec-z catalog's stored HATS copy inside the data folder is deleted too;
   * photometric catalogs are the user's own folders and are never touched.
   */
  async delete(id: string): Promise<void> {
    const catalogs = await this.list();
    const target = catalogs.find((c) => c.id === id);
    if (!target) throw new UserError(`There is no catalog '${id}'; it may have been deleted.`);
    await this.store(catalogs.filter((c) => c.id !== id));
    if (target.kind === 'specz') await this.removeStoredCopy(target.location);
  }

  /** Deletes a registered spec-z catalog's HATS copy, only when it is inside the data folder. */
  private async removeStoredCopy(location: string): Promise<void> {
    const inside = relative(await this.dataDir(), location);
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) {
      await rm(location, { recursive: true, force: true });
    }
  }
}

/** Whether two catalog locations name one folder or URL (trailing slashes, `.` and `..` aside). */
function sameLocation(a: string, b: string): boolean {
  const key = (l: string) => (isLocalLocation(l) ? resolve(l) : l).replace(/\/+$/, '');
  return key(a) === key(b);
}

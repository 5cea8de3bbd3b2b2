import { readdir, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { CancelledError, UserError } from '../compute/errors';
import { sanitizeCatalogName } from '../compute/io/specz-register';
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
import { readJsonFile, updateJsonFile } from './json-file';
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

/** A stored spec-z catalog's `registration.json`, as the catalogs page describes it. */
export interface StoredRegistration {
  registeredAt: string;
  /** The file or address registered. */
  sourcePath: string;
  report: ValidationReport;
  /** The file's columns per role. */
  sourceMapping: ColumnMapping;
  /** The stored catalog's columns per role. */
  columns: ColumnMapping;
}

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
  /**
   * The registration stored beside a spec-z catalog in the data folder (`tsm register` writes the
   * same); null when the folder has none. Throws naming the file when it cannot be read.
   */
  readRegistration(location: string): Promise<StoredRegistration | null>;
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
  /** Folders under catalogs/ the app is registering now (not to be adopted meanwhile). */
  private readonly registering = new Set<string>();

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

  /** The catalogs listed, with the unreadable folders of catalogs/ (`problem` set) at the end. */
  async list(): Promise<CatalogSummary[]> {
    const { catalogs, unreadable } = await this.current();
    return [...catalogs, ...unreadable];
  }

  /**
   * The catalogs of index.json plus the spec-z catalogs `tsm register` stored in the data folder
   * (folders of catalogs/ with a registration.json the list does not name), which are added to
   * index.json; the folders that cannot be read are answered apart, never stored nor deleted.
   */
  private async current(): Promise<{
    catalogs: CatalogSummary[];
    unreadable: CatalogSummary[];
  }> {
    const listed = await this.readIndex();
    const folder = join(await this.dataDir(), 'catalogs');
    let entries: string[];
    try {
      entries = (await readdir(folder, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && !e.name.endsWith('.partial'))
        .map((e) => e.name)
        .sort();
    } catch {
      return { catalogs: listed, unreadable: [] };
    }
    const known = new Set(listed.filter((c) => c.kind === 'specz').map((c) => c.id));
    const adopted: CatalogSummary[] = [];
    const unreadable: CatalogSummary[] = [];
    for (const id of entries) {
      if (known.has(id) || this.registering.has(id)) continue;
      const location = join(folder, id);
      try {
        const registration = await this.engine.readRegistration(location);
        if (!registration) continue; // not a registered catalog: not the app's to list
        const { profile: _profile, ...description } = await this.engine.describeHats(location);
        adopted.push({
          ...description,
          id,
          kind: 'specz',
          // tsm register's --name, made a folder name: what `tsm run --specz-id` takes
          name: id,
          location,
          sourcePath: registration.sourcePath,
          addedAt: registration.registeredAt,
          mapping: registration.columns,
          sourceMapping: registration.sourceMapping,
          report: registration.report,
        });
      } catch (err) {
        const modified = await stat(location).then(
          (s) => s.mtime.toISOString(),
          () => new Date().toISOString(),
        );
        unreadable.push({
          id,
          kind: 'specz',
          name: id,
          location,
          addedAt: modified,
          rowCount: null,
          columns: [],
          partitions: 0,
          coverage: { points: [], skyFraction: 0 },
          problem: `${location} looks like a catalog stored by tsm register, but it cannot be read: ${(err as Error).message}. Register its file again under another name, or move the folder out of ${folder}.`,
        });
      }
    }
    if (adopted.length === 0) return { catalogs: listed, unreadable };
    // added to the list as it is now: a catalog added or deleted while these were described (by
    // this process or another) is kept as it is
    const withAdopted = (latest: CatalogSummary[]) => [
      ...latest,
      ...adopted.filter((a) => !latest.some((c) => c.id === a.id)),
    ];
    // saved so that they are described once; a data folder that cannot be written still lists them
    const catalogs = await this.update(withAdopted).catch(async () =>
      withAdopted(await this.readIndex()),
    );
    return { catalogs, unreadable };
  }

  private async readIndex(): Promise<CatalogSummary[]> {
    const stored = await readJsonFile(await this.indexFile(), []);
    return Array.isArray(stored) ? (stored as CatalogSummary[]) : [];
  }

  /** The catalogs as stored (index.json with the adopted ones), without the unreadable folders. */
  private async stored(): Promise<CatalogSummary[]> {
    return (await this.current()).catalogs;
  }

  async get(id: string): Promise<CatalogSummary> {
    const found = (await this.list()).find((c) => c.id === id);
    if (!found) throw new UserError(`There is no catalog '${id}'; it may have been deleted.`);
    return found;
  }

  /**
   * Changes index.json under its lock (main/file-lock.ts): `change` gets the list as it is now,
   * so a catalog another process or request stored meanwhile is kept. Resolves the list saved.
   */
  private async update(
    change: (catalogs: CatalogSummary[]) => CatalogSummary[],
  ): Promise<CatalogSummary[]> {
    return updateJsonFile(await this.indexFile(), [], (stored) =>
      change(Array.isArray(stored) ? (stored as CatalogSummary[]) : []),
    );
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
    const folder = sanitizeCatalogName(name);
    // its folder appears under catalogs/ before it is in the list: not adopted meanwhile
    if (this.registering.has(folder)) {
      throw new UserError(`A redshift catalog named '${name}' is being registered already.`);
    }
    this.registering.add(folder);
    try {
      return await this.registerAs(name, request, signal);
    } finally {
      this.registering.delete(folder);
    }
  }

  private async registerAs(
    name: string,
    request: RegisterSpeczRequest,
    signal: AbortSignal,
  ): Promise<CatalogSummary> {
    const existing = await this.stored();
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
      // a browser upload's copy is removed below: the file's own name is what the user knows
      sourcePath:
        uploadedName(request.path, await this.dataDir()) ?? absoluteLocation(request.path),
      addedAt: new Date().toISOString(),
      mapping: registered.columns,
      sourceMapping: request.mapping,
      report: registered.report,
    };
    try {
      await this.stored(); // the catalogs tsm register stored meanwhile are listed first
      // another process of this data folder may have listed the new folder already
      await this.update((catalogs) => [...catalogs.filter((c) => c.id !== summary.id), summary]);
    } catch (err) {
      // not listed, the copy would only take space and the name (a full disk, say)
      await this.removeStoredCopy(registered.location);
      throw err;
    }
    // a copy uploaded from the browser for this registration is not needed any more: the
    // catalog is stored as HATS (the user's own files are never touched)
    if (uploadedName(request.path, await this.dataDir())) await rm(request.path, { force: true });
    return summary;
  }

  addPhotometric(request: AddPhotometricRequest): Promise<CatalogSummary> {
    return this.cancellable(request.requestId, (signal) => this.addHats(request, signal));
  }

  private async addHats(
    request: AddPhotometricRequest,
    signal: AbortSignal,
  ): Promise<CatalogSummary> {
    // a relative folder is stored as the absolute path it names now: projects and runs read the
    // location from elsewhere (a project file's folder, another working directory)
    const location = absoluteLocation(request.location);
    const description = await this.engine.describeHats(location, signal);
    if (signal.aborted) throw new CancelledError(CANCELLED_MESSAGE);
    const name = request.name?.trim() || description.name;
    const summary: CatalogSummary = {
      ...description,
      id: newId('phot'),
      kind: 'photometric',
      name,
      location,
      addedAt: new Date().toISOString(),
    };
    await this.stored(); // the catalogs tsm register stored are listed first
    // checked against the list as it is when saved: two adds at once do not both get in
    await this.update((existing) => {
      this.refuseTwin(existing, location, name, request.location);
      return [...existing, summary];
    });
    return summary;
  }

  /** Refuses a photometric catalog whose folder or name the list has already. */
  private refuseTwin(
    existing: CatalogSummary[],
    location: string,
    name: string,
    typed = location,
  ): void {
    // a project names its photometric catalog by location: two of one folder would be one to it
    // (checked before the name: the same folder again has the same name, and another name would
    // not do)
    const twin = existing.find(
      (c) => c.kind === 'photometric' && sameLocation(c.location, location),
    );
    if (twin) {
      throw new UserError(
        `${typed} is already the photometric catalog '${twin.name}'; choose that one in the wizard (delete it first to add the folder again, under another name or with other columns).`,
      );
    }
    // the wizard lists photometric catalogs by name: two of one name could not be told apart
    if (existing.some((c) => c.kind === 'photometric' && c.name === name)) {
      throw new UserError(
        `A photometric catalog named '${name}' exists already; give this one another name.`,
      );
    }
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
    await this.update((catalogs) => catalogs.map((c) => (c.id === id ? updated : c)));
    return updated;
  }

  /**
   * Forgets a catalog. A spec-z catalog's stored HATS copy inside the data folder is deleted too;
   * photometric catalogs are the user's own folders and are never touched.
   */
  async delete(id: string): Promise<void> {
    const { catalogs, unreadable } = await this.current();
    const target = catalogs.find((c) => c.id === id);
    const broken = unreadable.find((c) => c.id === id);
    if (broken) {
      // the app could not read it: it may not be a catalog at all, so it is the user's to remove
      throw new UserError(
        `${broken.location} cannot be read as a registered catalog, so the app does not delete it: move or delete the folder yourself.`,
      );
    }
    if (!target) throw new UserError(`There is no catalog '${id}'; it may have been deleted.`);
    await this.update((latest) => latest.filter((c) => c.id !== id));
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

/**
 * The name a browser upload had on the user's computer (`specz.fits (uploaded)`; its copy is
 * `uploads/<time>-<name>` in the data folder), null for a path that is not such a copy.
 */
function uploadedName(path: string, dataDir: string): string | null {
  const inUploads = relative(join(dataDir, 'uploads'), path);
  if (!inUploads || inUploads.startsWith('..') || isAbsolute(inUploads)) return null;
  return `${basename(path).replace(/^\d+-/, '')} (uploaded)`;
}

/** A local location as an absolute path (resolved against the working directory); a URL as it is. */
function absoluteLocation(location: string): string {
  return isLocalLocation(location) ? resolve(location) : location;
}

/** Whether two catalog locations name one folder or URL (trailing slashes, `.` and `..` aside). */
function sameLocation(a: string, b: string): boolean {
  const key = (l: string) => (isLocalLocation(l) ? resolve(l) : l).replace(/\/+$/, '');
  return key(a) === key(b);
}

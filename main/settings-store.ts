import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { UserError } from '../compute/errors';
import { MAX_WORKERS } from '../compute/pipeline/worker-limit';
import { MAX_CACHE_MB, MAX_STALL_SECONDS, type Settings } from '../preload/api';
import { readJsonFile, updateJsonFile } from './json-file';
import { refuseForeignFolder } from '../compute/io/data-folder';
import { makeWritableFolder } from '../compute/io/make-folder';
import { DataFolderGuard } from './data-folder';

export const settingsSchema = z.object({
  dataDir: z.string().min(1, 'The data folder must not be empty.'),
  dustMapDir: z.string(),
  workers: z
    .number()
    .int()
    .min(1, 'Workers must be at least 1.')
    .max(MAX_WORKERS, `Workers must be at most ${MAX_WORKERS}.`)
    .nullable(),
  cacheSizeMb: z.number().int().min(0, 'Cache size must be 0 MB or more.').max(MAX_CACHE_MB),
  stallSeconds: z
    .number()
    .positive('The stall timeout must be a number of seconds above 0, or empty for the default.')
    .max(MAX_STALL_SECONDS, `The stall timeout must be at most ${MAX_STALL_SECONDS} seconds.`)
    .nullable(),
});

/**
 * The settings of the app, kept in a JSON file (`settings.json` in the config folder). Another
 * process sharing the file (a second web bridge on the data folder, a second app) may save it at
 * any time: each `get` compares the file's inode, time and size with those of the copy read (one
 * stat) and reads it again when they differ, so the Settings page, a run started and every
 * request use the settings on disk, not the ones this process read first.
 */
export class SettingsStore {
  private cached: Settings | undefined;
  /** Whether the settings file names the data folder in use (it was chosen or saved). */
  private namesDataDir = false;
  /** The settings file's version (fileVersion) `cached` was read from; null: read it again. */
  private version: string | null = null;
  private readonly dataFolder = new DataFolderGuard();
  private listeners = new Set<(settings: Settings) => void>();

  constructor(
    private readonly file: string,
    private readonly defaults: Settings,
  ) {}

  /** The settings as the file holds them now (read again when it changed since it was read). */
  async get(): Promise<Settings> {
    // taken before the read: a save between the two is read again next time, never missed
    const version = await fileVersion(this.file);
    if (this.cached && version !== null && version === this.version) return this.cached;
    const { settings, namesDataDir } = this.fromStored(await readJsonFile(this.file, {}));
    const before = this.cached;
    const changed = before !== undefined && !sameSettings(before, settings);
    if (!before || changed) this.cached = settings;
    this.namesDataDir = namesDataDir;
    this.version = version;
    if (changed) for (const listener of this.listeners) listener(settings);
    return this.cached!;
  }

  /**
   * The settings a settings file holds, over the defaults, and whether the file names their data
   * folder (it was chosen or saved, not the default taken: DataFolderGuard).
   */
  private fromStored(stored: unknown): { settings: Settings; namesDataDir: boolean } {
    const fields: { dataDir?: unknown } = stored && typeof stored === 'object' ? stored : {};
    const merged = { ...this.defaults, ...fields };
    const parsed = settingsSchema.safeParse(merged);
    // a field edited by hand into something the app does not take is left at its default, not
    // every setting (the data folder too, silently: its catalogs and runs then not shown)
    const settings = parsed.success ? parsed.data : validFields(merged, this.defaults);
    return { settings, namesDataDir: fields.dataDir === settings.dataDir };
  }

  /**
   * The settings, once their data folder is checked to be there (made on a first use): for every
   * request that reads or writes the data folder. Throws, naming the folder and what to do, when
   * a data folder used before is gone (DataFolderGuard).
   */
  async checked(): Promise<Settings> {
    const settings = await this.get();
    await this.dataFolder.check(settings.dataDir, this.namesDataDir);
    return settings;
  }

  /**
   * Saves the settings with `patch` changed, holding the settings file's lock (main/file-lock.ts)
   * while it reads, checks and writes it (atomically): another process sharing it (the app and a
   * web bridge), or another store, that saved other settings meanwhile keeps them.
   */
  async update(patch: Partial<Settings>): Promise<Settings> {
    // a data folder gone is said before the settings file's folder is made for its lock (in the
    // web layout the file is inside it), as below once the saved settings are read
    const known = await this.get();
    if ((patch.dataDir ?? known.dataDir) === known.dataDir) {
      await this.dataFolder.check(known.dataDir, this.namesDataDir);
    }
    const next = await updateJsonFile(this.file, {}, async (stored) => {
      const { settings: current, namesDataDir } = this.fromStored(stored);
      const next = settingsSchema.parse({ ...current, ...patch });
      // saving other settings must not make a data folder that is gone again (empty); another
      // data folder chosen here is made, and set up, as the user asked
      const chosen = next.dataDir !== current.dataDir;
      if (!chosen) await this.dataFolder.check(next.dataDir, namesDataDir);
      // a folder of other files (a home folder) is not made a data folder
      else if (isAbsolute(next.dataDir)) await refuseForeignFolder(next.dataDir, 'The data folder');
      await checkFolders(next);
      if (chosen) await this.dataFolder.setUp(next.dataDir);
      return next;
    });
    this.cached = next;
    this.namesDataDir = true;
    // the file's version after this write is not known for sure (another process may have saved
    // it since the lock was released): the next get reads it again
    this.version = null;
    for (const listener of this.listeners) listener(next);
    return next;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The version of the file at `path`: its inode (each atomic save renames a new file over it),
 * modification time in ns and size; 'none' when it is not there; null when it cannot be told
 * (read it: readJsonFile names the problem).
 */
async function fileVersion(path: string): Promise<string | null> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : null;
  }
}

function sameSettings(a: Settings, b: Settings): boolean {
  return (Object.keys(settingsSchema.shape) as (keyof Settings)[]).every((k) => a[k] === b[k]);
}

/** The fields of `stored` that are valid one by one, the defaults for the others. */
function validFields(stored: Record<string, unknown>, defaults: Settings): Settings {
  const settings = { ...defaults };
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) Object.assign(settings, { [key]: field.data });
  }
  return settings;
}

/** Refuses folders that cannot be what they are for, naming them (nothing is saved then). */
async function checkFolders(settings: Settings): Promise<void> {
  if (!isAbsolute(settings.dataDir)) {
    throw new UserError(
      `The data folder must be a full path, such as /home/me/tsm-data (got '${settings.dataDir}').`,
    );
  }
  const data = await stat(settings.dataDir).catch(() => null);
  if (data && !data.isDirectory()) {
    throw new UserError(`The data folder ${settings.dataDir} is a file: choose a folder.`);
  }
  // made now, and checked to take files: a folder that cannot be made (below /proc) was
  // saved, and every page then showed nothing
  await makeWritableFolder(settings.dataDir, 'data folder');
  if (settings.dustMapDir === '') return;
  // a relative folder would depend on where the app was started from
  if (!isAbsolute(settings.dustMapDir)) {
    throw new UserError(
      `The dust-map folder must be a full path, such as /home/me/dustmaps (got '${settings.dustMapDir}'), or empty for the dustmaps folder inside the data folder.`,
    );
  }
  const dust = await stat(settings.dustMapDir).catch(() => null);
  if (!dust?.isDirectory()) {
    throw new UserError(
      `The dust-map folder ${settings.dustMapDir} ${dust ? 'is a file' : 'does not exist'}: choose the folder that holds the map files, or leave it empty for the dustmaps folder inside the data folder.`,
    );
  }
}

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../compute/errors';
import { DATA_FOLDER_MARKER, writeMarker } from '../compute/io/data-folder';
import { makeFolder } from '../compute/io/make-folder';

export { DATA_FOLDER_MARKER };

/** The error of a data folder that is gone (read and write requests alike). */
export function dataFolderGone(dir: string): UserError {
  return new UserError(
    `The data folder ${dir} is not there any more (deleted, moved, or its disk not connected), so its catalogs and runs cannot be shown and nothing is saved there: reconnect its disk (or put the folder back) and reload, or choose another data folder in Settings.`,
  );
}

/**
 * Tells a data folder used before and gone since (deleted, moved, its disk unmounted) from one
 * used for the first time, which is made as it always was. Before, the next write quietly made
 * an empty data folder at the old path (on the system disk when it was a mount point) and the
 * pages showed no catalogs and no runs without a word.
 *
 * A data folder was used before when its marker was found or written this session, or when the
 * settings file names it (the user chose it, or saved settings with it). The marker is needed
 * because the folder itself may stay (an empty mount point); the settings are needed because the
 * marker goes with the folder. A folder of an older version (no marker) that holds anything is
 * taken as used and marked.
 */
export class DataFolderGuard {
  /** Data folders seen this session: true when marked, false when the marker could not be written. */
  private readonly seen = new Map<string, boolean>();

  /** Throws dataFolderGone when `dir` was used and is gone; sets it up on a first use. */
  async check(dir: string, named: boolean): Promise<void> {
    const marker = await stat(join(dir, DATA_FOLDER_MARKER)).catch(() => null);
    if (marker) {
      this.seen.set(dir, true);
      return;
    }
    const marked = this.seen.get(dir);
    const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : ['(unreadable)'],
    );
    const missing = entries === null;
    if (marked === true || (marked === false && missing)) throw dataFolderGone(dir);
    if (marked === undefined && named && (missing || entries.length === 0)) {
      throw dataFolderGone(dir);
    }
    if (marked === false) return; // there, on a disk that took no marker (read-only, full)
    await this.setUp(dir);
  }

  /**
   * Makes `dir` a data folder: made when missing, its marker written. Best effort: a folder that
   * cannot be made or marked (a full or read-only disk) is left to the request that writes there,
   * whose error names it.
   */
  async setUp(dir: string): Promise<void> {
    try {
      await makeFolder(dir);
    } catch {
      return;
    }
    this.seen.set(dir, await writeMarker(dir));
  }
}

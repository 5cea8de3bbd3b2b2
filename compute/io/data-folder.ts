import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';
import { folderError, makeFolder } from './make-folder';

/**
 * The file the app (and `tsm register`) puts in a data folder when it starts using it. A data
 * folder is never empty then: an empty folder (a mount point whose disk is not mounted) or a
 * missing one where the app had used a data folder is a data folder gone, not a first use
 * (main/data-folder.ts).
 */
export const DATA_FOLDER_MARKER = '.tsm-data-folder';

export const MARKER_TEXT =
  'A data folder of Training Set Maker (catalogs, runs, the draft). Keep this file: the app reads a data folder without it as one whose disk is not connected.\n';

/**
 * What a data folder of any version holds (main/data-paths.ts, the web bridge's settings.json
 * and recent.json, the default dust-map folder): a folder without the marker that holds one of
 * them is the data folder of an older version.
 */
const DATA_FOLDER_ENTRIES = new Set([
  'catalogs',
  'runs',
  'uploads',
  'projects',
  'dustmaps',
  'draft.tsm.json',
  'settings.json',
  'recent.json',
]);

/**
 * Files the system puts in folders (a fresh disk's lost+found, the desktop's folder settings): a
 * folder holding only these is taken as empty.
 */
const SYSTEM_ENTRIES = new Set([
  'lost+found',
  '.DS_Store',
  '.localized',
  'Thumbs.db',
  'desktop.ini',
]);

/** Writes the marker; false when it cannot be written (a read-only or full disk). */
export async function writeMarker(dir: string): Promise<boolean> {
  return writeFile(join(dir, DATA_FOLDER_MARKER), MARKER_TEXT, { flag: 'wx' }).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code === 'EEXIST',
  );
}

/**
 * Refuses a folder that exists, holds other files and is no data folder (no marker, nothing a
 * data folder holds): a home folder or a folder of papers given by mistake, where the app would
 * put its catalogs, runs and settings among the user's files. `label` names where the folder
 * was given ("--data-dir", "The data folder"). A missing or empty folder passes (SYSTEM_ENTRIES
 * aside).
 */
export async function refuseForeignFolder(dir: string, label: string): Promise<void> {
  const entries = (await readdir(dir).catch(() => [])).filter((e) => !SYSTEM_ENTRIES.has(e));
  if (entries.length === 0) return;
  if (entries.includes(DATA_FOLDER_MARKER) || entries.some((e) => DATA_FOLDER_ENTRIES.has(e))) {
    return;
  }
  const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
  throw new UserError(
    `${label} ${dir} already holds other files (${shown}) and is not a Training Set Maker data folder (no ${DATA_FOLDER_MARKER}, catalogs/ or runs/ in it), so its catalogs, runs and settings would be put among them: give a new or empty folder, such as ${join(dir, 'tsm-data')}, or, to use this folder as it is, put an empty file named ${DATA_FOLDER_MARKER} in it.`,
  );
}

/**
 * The data folder given to the web bridge or `tsm register` (`--data-dir`, else the default),
 * checked before anything is written there: a missing one is made and marked, and the returned
 * note says so (print it once); an empty one, or one of an older version, is marked; one that
 * holds other files and is no data folder is refused (refuseForeignFolder), as is a file.
 * Throws a UserError naming `option` and the folder.
 */
export async function openDataFolder(dir: string, option: string): Promise<string | null> {
  const found = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw folderError(err, dir, option) ?? err;
  });
  if (found && !found.isDirectory()) {
    throw new UserError(`${option} ${dir} is a file: give a folder (a new one is made).`);
  }
  if (found) {
    await refuseForeignFolder(dir, option);
    await writeMarker(dir);
    return null;
  }
  try {
    await makeFolder(dir);
  } catch (err) {
    throw folderError(err, dir, option) ?? err;
  }
  await writeMarker(dir);
  return `Made a new, empty data folder ${dir} (it did not exist).`;
}

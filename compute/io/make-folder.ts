import type { Stats } from 'node:fs';
import { mkdir, open, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors';

/**
 * `mkdir -p` that always ends. Node's `mkdir(path, { recursive: true })` (Node 20) never returns
 * for a path whose parent exists but cannot hold it: under `/proc`, or below a dangling symbolic
 * link, it tries the child (ENOENT), then the parent (EEXIST), then the child again, forever,
 * at full CPU. Here the missing folders are found first (from the path up to the first one that
 * exists) and then made one by one, top down, so the first that cannot be made throws. Returns
 * the folders it made, deepest first.
 */
export async function makeFolder(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    const found = await stat(at).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err.code === 'ENOTDIR' ? notAFolder(at) : err; // a file further up the path
    });
    if (found) {
      checkFolder(found, at);
      break;
    }
    missing.push(at);
    if (dirname(at) === at) break;
  }
  const made: string[] = [];
  for (const folder of missing.reverse()) {
    const mine = await mkdir(folder).then(
      () => true,
      async (err: NodeJS.ErrnoException) => {
        // made meanwhile by someone else: fine when it is a folder
        if (err.code !== 'EEXIST' || !(await stat(folder).catch(() => null))?.isDirectory()) {
          throw err;
        }
        return false;
      },
    );
    if (mine) made.unshift(folder);
  }
  return made;
}

/**
 * makeFolder for a folder inside `base`, which must still be there: when `base` was removed
 * meanwhile (an output folder deleted during a run, or its disk unmounted) this fails with ENOENT
 * naming it instead of making it again, empty, at the old path.
 */
export async function makeFolderInside(base: string, folder: string): Promise<string[]> {
  await stat(base);
  return makeFolder(folder);
}

/**
 * Removes the folders `makeFolder` made (deepest first) that are still empty: what a failed run
 * leaves of its output folder when it wrote nothing there. A folder that holds anything stays.
 */
export async function removeEmptyFolders(made: readonly string[]): Promise<void> {
  for (const folder of made) {
    try {
      await rmdir(folder);
    } catch {
      return; // not empty (or gone): its parents are not empty either
    }
  }
}

function checkFolder(found: Stats, path: string): void {
  if (!found.isDirectory()) throw notAFolder(path);
}

/** The error of a folder to make where a file is in the way (at `path` or above it). */
function notAFolder(path: string): Error {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), {
    code: 'ENOTDIR',
    path,
    syscall: 'mkdir',
  });
}

/**
 * Makes the folder and checks that it takes new files (a probe file made and removed), so a
 * folder that exists but holds no files (`/proc`, a read-only disk) is refused before a long
 * run rather than when its output is written. Throws folderError's UserError for `role`. Returns
 * the folders it made (removeEmptyFolders undoes them).
 */
export async function makeWritableFolder(folder: string, role: string): Promise<string[]> {
  try {
    const made = await makeFolder(folder);
    const probe = join(folder, `.tsm-write-check-${process.pid}`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await rm(probe, { force: true });
    return made;
  } catch (err) {
    throw (
      folderError(err, folder, role) ??
      new UserError(
        `${role} ${folder} does not take new files (${(err as Error).message}): choose another ${role}`,
      )
    );
  }
}

/** Problems of a folder, by error code (ROLE: what the folder is). */
const FOLDER_PROBLEMS: Record<string, string> = {
  EACCES: 'is not writable (permission denied): choose another ROLE or fix its permissions',
  EPERM: 'is not writable (operation not permitted): choose another ROLE',
  EROFS: 'is on a read-only file system: choose another ROLE',
  ENOSPC: 'has no space left on its disk: free some space or choose another ROLE',
  EDQUOT: 'is over its disk quota: free some space or choose another ROLE',
};

/** What to do when a file cannot be written into a folder the user chose, by error code. */
const WRITE_ADVICE: Record<string, string> = {
  ENOSPC: 'free some space on its disk, or choose another folder',
  EDQUOT: 'free some space (its disk quota is used up), or choose another folder',
  EROFS: 'its folder is on a read-only file system: choose another folder',
  EACCES: 'no permission to write there: fix the permissions, or choose another folder',
  EPERM: 'no permission to write there: fix the permissions, or choose another folder',
};

/** What to do about a failed write of a file the user placed (null for other errors). */
export function writeAdvice(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code && WRITE_ADVICE[code]) || null;
}

/** What failing to make a folder means (these codes say other things of other calls). */
const MKDIR_PROBLEMS: Record<string, string> = {
  ENOENT: 'cannot be created there (its parent cannot hold folders): choose another ROLE',
  ENOTDIR: 'cannot be created: a file is in the way on its path: choose another ROLE',
  EEXIST: 'cannot be created: a file that is not a folder is in the way: choose another ROLE',
};

/**
 * The file-system errors of making or writing into `folder` as a UserError that names it and
 * says what to do; null for other errors and for paths outside it. `role`: what the folder is
 * ("output folder", "export folder", ...).
 */
export function folderError(err: unknown, folder: string, role: string): UserError | null {
  const { code, path, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  const advice = code
    ? (FOLDER_PROBLEMS[code] ?? (syscall === 'mkdir' ? MKDIR_PROBLEMS[code] : undefined))
    : undefined;
  if (!advice) return null;
  // errors of the folder, of a file in it, or of a parent made on the way to it
  const related = !path || path.startsWith(folder) || folder.startsWith(path);
  if (!related) return null;
  const text = advice.replace('ROLE', role);
  return new UserError(`${role} ${folder} ${text} (${(err as Error).message})`);
}

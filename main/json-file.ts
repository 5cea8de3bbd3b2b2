import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../compute/errors';
import { parseJsonText } from '../compute/io/json-text';
import { makeFolder } from '../compute/io/make-folder';
import { withFileLock, type FileLockOptions } from './file-lock';

/** Reads and parses a JSON file; resolves `fallback` when the file does not exist. */
export async function readJsonFile(path: string, fallback: unknown): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    // named, not a bare "EISDIR: illegal operation on a directory, read"
    throw new Error(
      `${path} cannot be read (${(err as Error).message}): a folder in the place of this file of the app, or no permission to read it? Move it out of the way or fix its permissions.`,
      { cause: err },
    );
  }
  try {
    return parseJsonText(text);
  } catch (err) {
    throw new Error(
      `${path} is not valid JSON (${(err as Error).message}); fix or delete the file.`,
      { cause: err },
    );
  }
}

/** What to do when a file of the app cannot be written, by error code. */
const WRITE_ADVICE: Record<string, string> = {
  ENOSPC: 'its disk is full: free some space and try again',
  EDQUOT: 'its disk quota is used up: free some space and try again',
  EROFS: 'its folder is on a read-only file system: make it writable and try again',
  EACCES: 'no permission to write in its folder: fix its permissions and try again',
  EPERM: 'no permission to write in its folder: fix its permissions and try again',
};

/**
 * Writes JSON atomically: to `<path>.partial`, then renamed over `path`. On failure (a full disk,
 * a read-only folder) the file keeps what it had, the `.partial` is removed, and the error names
 * the file and says what to do (Node's "ENOSPC: no space left on device, write" names neither).
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const partial = `${path}.partial`;
  try {
    await makeFolder(dirname(path));
    await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    if (err instanceof UserError) throw err;
    const advice = WRITE_ADVICE[(err as NodeJS.ErrnoException).code ?? ''];
    if (!advice) throw err;
    throw new UserError(`${path} cannot be saved (${(err as Error).message}): ${advice}.`, {
      cause: err,
    });
  }
}

/**
 * Reads a JSON file (`fallback` when it does not exist), changes it with `update` and writes the
 * result, holding the file's lock throughout (main/file-lock.ts), so that two processes sharing
 * the data folder (the app and a web bridge, say) or two requests at once do not lose each
 * other's change. `update` may throw to write nothing. Resolves what was written.
 */
export async function updateJsonFile<T>(
  path: string,
  fallback: unknown,
  update: (current: unknown) => T | Promise<T>,
  options?: FileLockOptions,
): Promise<T> {
  try {
    await makeFolder(dirname(path));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `${path} cannot be saved: its folder cannot be made (${(err as Error).message}); make the data folder writable and try again.`,
      { cause: err },
    );
  }
  return withFileLock(
    path,
    async () => {
      const next = await update(await readJsonFile(path, fallback));
      await writeJsonFile(path, next);
      return next;
    },
    options,
  );
}

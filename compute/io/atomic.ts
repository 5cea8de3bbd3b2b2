import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The suffix of every file or folder that is still being written. */
export const PARTIAL_SUFFIX = '.partial';

/** `<path>.partial`: where a writer puts its bytes until the output is complete. */
export function partialPath(finalPath: string): string {
  return `${finalPath}${PARTIAL_SUFFIX}`;
}

/**
 * Moves a finished `<path>.partial` (file or folder) to `path`. A folder already at `path` is
 * replaced: it is first moved aside, so a crash never leaves neither.
 */
export async function commitPartial(finalPath: string): Promise<void> {
  const partial = partialPath(finalPath);
  try {
    await rename(partial, finalPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw err;
    const aside = join(
      dirname(finalPath),
      `.${basename(finalPath)}.old-${randomBytes(4).toString('hex')}`,
    );
    await rename(finalPath, aside);
    await rename(partial, finalPath);
    await rm(aside, { recursive: true, force: true });
  }
}

/** Removes `<path>.partial` (file or folder) if it exists. */
export async function discardPartial(finalPath: string): Promise<void> {
  await rm(partialPath(finalPath), { recursive: true, force: true });
}

/**
 * Writes a small text or binary file atomically: `<path>.partial` then rename. Used for
 * `config.yml`, `run.json`, `hats.properties` and the like.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const partial = partialPath(path);
  try {
    await writeFile(partial, data);
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/** Writes `value` as pretty JSON atomically (e.g. `run.json`). */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Removes what a crashed writer may have left in a folder: entries named `*.partial` or
 * `*.partial.tmp` (files or folders). Call it before writing into an output folder.
 * Returns the names removed.
 */
export async function removeStalePartials(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter(
    (n) => n.endsWith(PARTIAL_SUFFIX) || n.endsWith(`${PARTIAL_SUFFIX}.tmp`),
  );
  for (const n of stale) await rm(join(dir, n), { recursive: true, force: true });
  return stale;
}

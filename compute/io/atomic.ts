import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * The end of a writer: renames its complete `<path>.partial` into place, or with `deferCommit`
 * leaves it for the caller to rename (a run renames its output with its run.json: run-commit.ts).
 * Returns the file's size.
 */
export async function finishPartialFile(path: string, deferCommit = false): Promise<number> {
  if (deferCommit) return (await stat(partialPath(path))).size;
  await commitPartial(path);
  return (await stat(path)).size;
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
 * Removes what a killed or crashed run left beside `finalPath`: `<name>.partial`,
 * `<name>.partial.tmp`, `<name><suffix>` for each of `sideSuffixes` (e.g. a spill file) and
 * `.<name>.old-*`, an output folder `commitPartial` had moved aside, but only while `<name>` is
 * there (a crash between its two renames leaves the aside as the only finished copy). Only this
 * output's names: another run writing into the same folder is left alone. Call it holding the
 * output's lock. Returns the names removed.
 */
export async function removeStalePartials(
  finalPath: string,
  sideSuffixes: readonly string[] = [],
): Promise<string[]> {
  const dir = dirname(finalPath);
  const name = basename(finalPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const own = new Set([
    partialPath(name),
    `${partialPath(name)}.tmp`,
    ...sideSuffixes.map((suffix) => `${name}${suffix}`),
  ]);
  const finalThere = names.includes(name);
  const aside = (n: string) => finalThere && /^\.(.+)\.old-[0-9a-f]{8}$/.exec(n)?.[1] === name;
  const stale = names.filter((n) => own.has(n) || aside(n)).sort();
  for (const n of stale) await rm(join(dir, n), { recursive: true, force: true });
  return stale;
}

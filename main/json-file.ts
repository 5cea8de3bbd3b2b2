import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseJsonText } from '../compute/io/json-text';
import { makeFolder } from '../compute/io/make-folder';

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

/** Writes JSON atomically: to `<path>.partial`, then renamed over `path`. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await makeFolder(dirname(path));
  const partial = `${path}.partial`;
  await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  await rename(partial, path);
}

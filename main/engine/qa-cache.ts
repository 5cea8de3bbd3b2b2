import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { QaData } from '../../preload/api';

/**
 * The QA plots' data of a run, kept in its folder (`<data folder>/runs/<run id>/`) beside its
 * record, so that only the first opening of a large output's results reads it (a 950k-row CSV:
 * seconds). Bump QA_CACHE_VERSION when computeQa gives other data for the same output: a file of
 * another version is not read. 3: a registered catalog's time became its registeredAt (d332ceb),
 * so plots kept saying a restored catalog was "registered again" are made again.
 */
export const QA_CACHE_FILE = 'qa-cache.json';
export const QA_CACHE_VERSION = 3;

/**
 * The size and modification time of an output: a file's, or for a folder (HATS) its files'
 * count, total size and latest time; null when it is not there.
 */
export async function outputStamp(
  path: string,
): Promise<{ size: number; mtimeMs: number; files?: number } | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  if (!info.isDirectory()) return { size: info.size, mtimeMs: info.mtimeMs };
  let size = 0;
  let mtimeMs = info.mtimeMs;
  let files = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = await stat(join(entry.parentPath, entry.name)).catch(() => null);
    if (!file) continue;
    files++;
    size += file.size;
    mtimeMs = Math.max(mtimeMs, file.mtimeMs);
  }
  return { size, mtimeMs, files };
}

const point = z.tuple([z.number(), z.number()]);
const histogram = z
  .object({ edges: z.array(z.number()), counts: z.array(z.number().int().min(0)) })
  .refine((h) => h.edges.length === (h.counts.length === 0 ? 0 : h.counts.length + 1));
const qaData: z.ZodType<QaData> = z.object({
  sky: z.object({
    matched: z.array(point),
    unmatched: z.array(point),
    matchedCount: z.number().int().min(0),
    unmatchedCount: z.number().int().min(0).nullable(),
    unmatchedIncludesDropped: z.boolean().optional(),
    note: z.string().optional(),
  }),
  redshift: histogram,
  separationArcsec: histogram,
  magnitudes: z.array(z.object({ band: z.string(), column: z.string(), histogram })),
  colourVsRedshift: z.object({ label: z.string(), points: z.array(point) }).optional(),
});
const cacheFile = z.object({ version: z.literal(QA_CACHE_VERSION), key: z.string(), qa: qaData });

/**
 * The cached QA data in `file` when it was computed for `key` (the output's stamp and what else
 * the data depend on, as JSON text); null when there is none, it is of another key or version
 * (the output was written again, the spec-z catalog registered again), or it is not valid.
 */
export async function readQaCache(file: string, key: string): Promise<QaData | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const cached = cacheFile.safeParse(parsed);
  return cached.success && cached.data.key === key ? cached.data.qa : null;
}

/**
 * Keeps the QA data in `file`, written whole or not at all (a `.partial` renamed over it), in the
 * run's folder only while that is there. A cache that cannot be written is left out: the next
 * opening reads the output again.
 */
export async function writeQaCache(file: string, key: string, qa: QaData): Promise<void> {
  const partial = `${file}.partial`;
  try {
    if (!(await stat(dirname(file))).isDirectory()) return;
    await writeFile(partial, JSON.stringify({ version: QA_CACHE_VERSION, key, qa }));
    await rename(partial, file);
  } catch {
    // no run folder, or no room or permission there: no half-written .partial left either
    await rm(partial, { force: true }).catch(() => undefined);
  }
}

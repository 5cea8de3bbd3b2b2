/**
 * Test helpers: find the HATS catalogs in the shared fixtures, read their properties and the
 * columns of their leaf parquet files (hyparquet; int64 columns come back as bigint).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

export interface FixtureCatalog {
  dir: string;
  props: Record<string, string>;
}

/** key=value lines of `hats.properties` (current) or `properties` (early HATS). */
export function readProperties(dir: string): Record<string, string> | undefined {
  const file = ['hats.properties', 'properties'].map((f) => join(dir, f)).find(existsSync);
  if (!file) return undefined;
  const props: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) props[m[1]] = m[2];
  }
  return props;
}

/** Every directory under `root` holding a catalog's properties file. */
export function findCatalogs(root: string): FixtureCatalog[] {
  const out: FixtureCatalog[] = [];
  const walk = (dir: string): void => {
    const props = readProperties(dir);
    if (props) out.push({ dir, props });
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory() && name !== 'dataset') walk(p);
    }
  };
  walk(root);
  return out;
}

/** All files under `dir` (recursive), sorted. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/**
 * Leaf data files of a catalog: `*.parquet` / `*.parq` under `dataset/Norder=*` (file or
 * directory suffix) or a custom tree (e.g. `parquet/1_44.parquet`). `_metadata`,
 * `_common_metadata`, index parts and `per_partition_statistics.parquet` are not leaves.
 */
export function leafFiles(cat: FixtureCatalog): string[] {
  return listFiles(cat.dir).filter((f) => {
    const rel = relative(cat.dir, f);
    if (!/\.(parquet|parq)$/.test(rel)) return false;
    if (rel.includes('Norder=')) return true;
    return rel.startsWith('parquet/');
  });
}

/** Order and pixel of a leaf from its path (`Norder=K/Dir=D/Npix=N...` or `K_N.parquet`). */
export function leafPixel(file: string): { order: number; pixel: number } {
  const m = /Norder=(\d+)\/Dir=\d+\/Npix=(\d+)/.exec(file) ?? /(\d+)_(\d+)\.parq/.exec(file);
  if (!m) throw new Error(`no pixel in ${file}`);
  return { order: Number(m[1]), pixel: Number(m[2]) };
}

/** Column names of a parquet file (top level). */
export async function columnNames(file: string): Promise<string[]> {
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(file));
  return meta.schema.slice(1).map((s) => s.name);
}

/** Read some columns of a parquet file as row objects. */
export async function readColumns(
  file: string,
  columns: string[],
): Promise<Record<string, unknown>[]> {
  const buf = await asyncBufferFromFile(file);
  return parquetReadObjects({ file: buf, columns, compressors });
}

import { writeFileAtomic } from './atomic';
import { join } from 'node:path';
import type { Pixel } from '../hats/types';

/** HATS release date and version we write (IVOA HATS Note 1.0, shared/reference/hats-lsdb.md §1.2). */
export const HATS_VERSION = 'v1.0';
export const HATS_RELEASE_DATE = '2025-08-22';

/** `2026-11-25T12:51UTC`, the format hats uses for `hats_creation_date`. */
export function hatsDate(date = new Date()): string {
  return `${date.toISOString().slice(0, 16)}UTC`;
}

/** Java-properties text with the given first comment line; values with newlines are refused. */
export function propertiesText(
  header: string,
  entries: Record<string, string | number | undefined>,
): string {
  const lines = [header];
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    const text = String(value);
    if (/[\r\n]/.test(text)) throw new Error(`property ${key} must be one line`);
    lines.push(`${key}=${text}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `hats.properties` and its legacy twin `properties` (hats `to_properties_file` writes
 * both; readers try `hats.properties` first), hats-lsdb.md §1.1.
 */
export async function writeCatalogProperties(
  catalogDir: string,
  entries: Record<string, string | number | undefined>,
): Promise<void> {
  const text = propertiesText('#HATS catalog', entries);
  await writeFileAtomic(join(catalogDir, 'hats.properties'), text);
  await writeFileAtomic(join(catalogDir, 'properties'), text);
}

/** Writes `collection.properties` (hats-lsdb.md §1.3). */
export async function writeCollectionProperties(
  collectionDir: string,
  entries: Record<string, string | number | undefined>,
): Promise<void> {
  await writeFileAtomic(
    join(collectionDir, 'collection.properties'),
    propertiesText('#HATS Collection', entries),
  );
}

/** `partition_info.csv`: `Norder,Npix`, one row per partition, in the given (breadth-first) order. */
export async function writePartitionInfo(catalogDir: string, pixels: Pixel[]): Promise<void> {
  const body = pixels.map((p) => `${p.order},${p.pixel}`).join('\n');
  await writeFileAtomic(
    join(catalogDir, 'partition_info.csv'),
    `Norder,Npix\n${body}${body ? '\n' : ''}`,
  );
}

/** `dataset/Norder=K/Dir=D/Npix=N.parquet` with Dir = floor(N / 10000) * 10000 (hats `paths.py`). */
export function leafRelPath(pixel: Pixel): string {
  const dir = Math.floor(pixel.pixel / 10_000) * 10_000;
  return `dataset/Norder=${pixel.order}/Dir=${dir}/Npix=${pixel.pixel}.parquet`;
}

/** Fraction of the sky covered by the pixels (`moc_sky_fraction`, 5 decimals like hats). */
export function skyFraction(pixels: Pixel[]): string {
  let f = 0;
  for (const p of pixels) f += 1 / (12 * 4 ** p.order);
  return f.toFixed(5);
}

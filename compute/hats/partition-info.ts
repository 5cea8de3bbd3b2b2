import type { ByteStore } from './byte-source';
import { HatsError, joinLocation } from './errors';
import type { Pixel } from './types';

/** Highest HEALPix order a partition may have here (pixel numbers stay exact doubles). */
export const MAX_PARTITION_ORDER = 24;

/**
 * Breadth-first ("nested") order of partitions: by `pixel << 2*(29-order)`, then by order
 * (`hats:src/hats/pixel_math/healpix_pixel_function.py::get_pixel_argsort`).
 */
export function comparePixels(a: Pixel, b: Pixel): number {
  const sa = BigInt(a.pixel) << BigInt(2 * (29 - a.order));
  const sb = BigInt(b.pixel) << BigInt(2 * (29 - b.order));
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.order - b.order;
}

/** `Dir = floor(Npix / 10000) * 10000` (`hats:src/hats/pixel_math/healpix_pixel.py::dir`). */
export function pixelDir(pixel: number): number {
  return Math.floor(pixel / 10000) * 10000;
}

/** `dataset/Norder=K/Dir=D/Npix=N` + suffix (a folder when the suffix is `/`). */
export function leafPath(pixel: Pixel, npixSuffix: string): string {
  return `dataset/Norder=${pixel.order}/Dir=${pixelDir(pixel.pixel)}/Npix=${pixel.pixel}${npixSuffix}`;
}

export function pixelKey(p: Pixel): string {
  return `${p.order}/${p.pixel}`;
}

function checkPixel(order: number, pixel: number, where: string): Pixel {
  if (!Number.isInteger(order) || order < 0 || order > MAX_PARTITION_ORDER) {
    throw new HatsError(
      `${where}: Norder=${order} is not an order between 0 and ${MAX_PARTITION_ORDER}.`,
    );
  }
  if (!Number.isInteger(pixel) || pixel < 0 || pixel >= 12 * 4 ** order) {
    throw new HatsError(
      `${where}: Npix=${pixel} is not a pixel of order ${order} (0..${12 * 4 ** order - 1}).`,
    );
  }
  return { order, pixel };
}

/**
 * Parses `partition_info.csv`: a header naming `Norder` and `Npix` (any other column, like the
 * legacy `Dir`, is ignored), then one partition per line (`hats:src/hats/catalog/partition_info.py`).
 */
export function parsePartitionInfo(text: string, file: string): Pixel[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim());
  const iOrder = header.indexOf('Norder');
  const iPix = header.indexOf('Npix');
  if (iOrder < 0 || iPix < 0) {
    throw new HatsError(
      `${file}: line 1 must be a header with Norder and Npix columns (found "${lines[0] ?? ''}"). ` +
        'Fix the file, or delete it so the partitions are found by listing dataset/.',
    );
  }
  const pixels: Pixel[] = [];
  const seen = new Map<string, number>();
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const cells = line.split(',').map((s) => s.trim());
    const order = cells[iOrder] === undefined || cells[iOrder] === '' ? NaN : Number(cells[iOrder]);
    const pixel = cells[iPix] === undefined || cells[iPix] === '' ? NaN : Number(cells[iPix]);
    if (!Number.isInteger(order) || !Number.isInteger(pixel)) {
      throw new HatsError(
        `${file}: line ${n + 1} ("${line}") is not "Norder,Npix" integers. Fix or delete the line.`,
      );
    }
    const p = checkPixel(order, pixel, `${file}: line ${n + 1}`);
    const key = pixelKey(p);
    if (seen.has(key))
      throw new HatsError(`${file}: line ${n + 1} repeats partition ${key}. Remove the duplicate.`);
    seen.set(key, n + 1);
    pixels.push(p);
  }
  pixels.sort(comparePixels);
  const overlap = findOverlap(pixels);
  if (overlap) {
    const [outer, inner] = overlap.map((p) => `line ${seen.get(pixelKey(p))} (${pixelName(p)})`);
    throw new HatsError(
      `${file}: ${inner} lies inside the partition of ${outer}, so its rows would be read twice. ` +
        'Remove the wrong line, or regenerate the catalog with hats-import.',
    );
  }
  return pixels;
}

function pixelName(p: Pixel): string {
  return `Norder=${p.order}, Npix=${p.pixel}`;
}

/**
 * The first partition lying inside another (hats refuses such a pixel tree), as [outer, inner],
 * or null; `sorted` is in {@link comparePixels} order, where a pixel comes before those inside it.
 */
function findOverlap(sorted: Pixel[]): [Pixel, Pixel] | null {
  let outer: Pixel | null = null;
  let outerEnd = -1;
  for (const p of sorted) {
    const scale = 4 ** (MAX_PARTITION_ORDER - p.order);
    if (outer && p.pixel * scale < outerEnd) return [outer, p];
    const end = (p.pixel + 1) * scale;
    if (end > outerEnd) [outer, outerEnd] = [p, end];
  }
  return null;
}

const NORDER_DIR = /^Norder=(\d+)\/$/;
const DIR_DIR = /^Dir=(\d+)\/$/;
const NPIX_ENTRY = /^Npix=(\d+)(.*)$/;

/** Listing entries may be URL-quoted (`Norder%3D1/`), as hats unquotes them too. */
function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * Finds the partitions by listing `dataset/Norder=K/Dir=D/Npix=N*` when there is no
 * partition_info.csv (`hats:src/hats/io/paths.py::get_healpix_from_path`).
 */
export async function listPartitions(store: ByteStore, npixSuffix: string): Promise<Pixel[]> {
  const where = joinLocation(store.root, 'dataset/');
  let top: string[];
  try {
    top = await store.list('dataset');
  } catch (err) {
    throw new HatsError(
      `${joinLocation(store.root, 'partition_info.csv')} is missing and ${where} cannot be listed ` +
        `(${(err as Error).message}): this is not a readable HATS catalog. Check the path, or add partition_info.csv.`,
    );
  }
  const pixels: Pixel[] = [];
  const leaves = new Map<string, string>();
  for (const orderEntry of top.map(decodeName)) {
    const mo = NORDER_DIR.exec(orderEntry);
    if (!mo) continue;
    for (const dirEntry of (await store.list(`dataset/${orderEntry.slice(0, -1)}`)).map(
      decodeName,
    )) {
      if (!DIR_DIR.test(dirEntry)) continue;
      const dirPath = `dataset/${orderEntry}${dirEntry.slice(0, -1)}`;
      for (const leaf of (await store.list(dirPath)).map(decodeName)) {
        const mp = NPIX_ENTRY.exec(leaf);
        if (!mp) continue;
        const isDir = leaf.endsWith('/');
        if (npixSuffix === '/' ? !isDir : isDir || mp[2] !== npixSuffix) continue;
        const path = joinLocation(store.root, `${dirPath}/${leaf}`);
        const p = checkPixel(Number(mo[1]), Number(mp[1]), path);
        leaves.set(pixelKey(p), path);
        pixels.push(p);
      }
    }
  }
  pixels.sort(comparePixels);
  const overlap = findOverlap(pixels);
  if (overlap) {
    const [outer, inner] = overlap.map((p) => leaves.get(pixelKey(p)));
    throw new HatsError(
      `${inner} lies inside the partition of ${outer}, so its rows would be read twice. ` +
        'Remove the wrong file, or regenerate the catalog with hats-import.',
    );
  }
  return pixels;
}

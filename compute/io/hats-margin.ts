import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { CancelledError, UserError } from '../errors';
import type { Pixel } from '../hats/types';
import { argsortBigInt, gatherTable } from './arrow-columns';
import { conformTable } from './arrow-schema';
import { ArrowSpillFile } from './arrow-spill';
import { healpixValues } from './hats-batch';
import { margin2order, neighbours, pix2xyf } from '../healpix';
import {
  leafRelPath,
  skyFraction,
  writeCatalogProperties,
  writePartitionInfo,
} from './hats-properties';
import { tableToParquetBytes } from './parquet-file';
import { makeFolderInside } from './make-folder';

export interface MarginOptions {
  /** Margin width in arcsec (`hats_margin_threshold`); TSM writes 5. */
  thresholdArcsec: number;
  /** Folder and `obs_collection` of the margin; default lsdb's `<catalog>_<threshold>arcs`. */
  name?: string;
}

/** HEALPix order of the margin cells for a threshold (hats `margin2order`, hats-lsdb.md §2). */
export function marginOrderFor(thresholdArcsec: number): number {
  return margin2order(thresholdArcsec / 60);
}

/**
 * The negative tree: the fewest pixels covering the sky outside the partitions (hats
 * `negative_tree.py`), found by descending from the 12 order-0 pixels.
 */
export function negativeTree(partitions: Pixel[]): Pixel[] {
  const maxOrder = Math.max(0, ...partitions.map((p) => p.order));
  const leafSet = new Set(partitions.map((p) => `${p.order}/${p.pixel}`));
  // pixels that contain at least one partition, per order
  const ancestors = new Set<string>();
  for (const p of partitions) {
    for (let o = p.order - 1; o >= 0; o--)
      ancestors.add(`${o}/${Math.floor(p.pixel / 4 ** (p.order - o))}`);
  }
  const out: Pixel[] = [];
  const visit = (order: number, pixel: number): void => {
    const key = `${order}/${pixel}`;
    if (leafSet.has(key)) return;
    if (!ancestors.has(key) || order >= maxOrder) {
      out.push({ order, pixel });
      return;
    }
    for (let c = 0; c < 4; c++) visit(order + 1, 4 * pixel + c);
  };
  for (let p = 0; p < 12; p++) visit(0, p);
  return out;
}

const sortKey = (p: Pixel): bigint => BigInt(p.pixel) << BigInt(2 * (29 - p.order));

const NONE: readonly number[] = [];

/**
 * The margin routing of hats-lsdb.md §1.4 and §2.4, looked up per row: returns a function giving,
 * for a cell at `marginOrder` (<= 24), the indices (ascending) of the targets whose margin holds
 * it: the targets that do not contain the cell and contain one of its 8 neighbours (a cell that
 * shares an edge or a corner with it; 7 where 3 base faces meet). `targets` must be sorted by
 * their nested range and cover the sky without overlap (partitions plus negative tree), all at
 * orders below `marginOrder`. The same sets as `marginPixels` of every target (the neighbour
 * relation is symmetric), but the work follows the rows: a cell inside its target's border needs
 * one binary search, a border cell 8 more, and border cells are kept for the next rows.
 */
export function marginRouter(
  targets: Pixel[],
  marginOrder: number,
): (cell: number) => readonly number[] {
  // first cell at marginOrder of each target; < 12 * 4^24 < 2^53, exact as numbers
  const starts = targets.map((t) => t.pixel * 4 ** (marginOrder - t.order));
  const targetOf = (cell: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= cell) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const border = new Map<number, readonly number[]>();
  let lastCell = -1;
  let last: readonly number[] = NONE;
  return (cell) => {
    if (cell === lastCell) return last;
    lastCell = cell;
    const cached = border.get(cell);
    if (cached) return (last = cached);
    const own = targetOf(cell);
    // the cell's place in its target's square of 2^d x 2^d cells: inside its border, every
    // neighbour is in the same target
    const side = 2 ** (marginOrder - targets[own].order);
    const { ix, iy } = pix2xyf(marginOrder, cell);
    const x = ix % side;
    const y = iy % side;
    if (x > 0 && x < side - 1 && y > 0 && y < side - 1) return (last = NONE);
    const found: number[] = [];
    for (const n of neighbours(marginOrder, cell)) {
      if (n < 0) continue;
      const ti = targetOf(n);
      if (ti !== own && !found.includes(ti)) found.push(ti);
    }
    found.sort((a, b) => a - b);
    border.set(cell, found);
    return (last = found);
  };
}

/**
 * Writes the margin catalog of a catalog being written (hats-lsdb.md §1.4 and §2.4): for every
 * target pixel P (the partitions plus the negative tree), the rows of other partitions whose
 * order-m cell (m = margin order) shares an edge or a corner with P. Like hats-import, no exact
 * distance cut: the margin is a superset of the rows within the threshold.
 */
export async function writeMarginCatalog(
  collectionRoot: string,
  catalogName: string,
  partitions: Pixel[],
  partitionRows: ArrowSpillFile[],
  schemaTable: Table,
  options: MarginOptions & { properties: Record<string, string | number>; signal?: AbortSignal },
): Promise<{ name: string; rows: number }> {
  const threshold = options.thresholdArcsec;
  if (!(threshold > 0))
    throw new UserError(`margin threshold must be > 0 arcsec (got ${threshold})`);
  const name = options.name ?? `${catalogName}_${threshold}arcs`;
  const highest = Math.max(...partitions.map((p) => p.order));
  const marginOrder = marginOrderFor(threshold);
  if (marginOrder > 24) {
    throw new UserError(
      `a ${threshold} arcsec margin is too thin (HEALPix order ${marginOrder} > 24); use at least 0.5 arcsec`,
    );
  }
  if (marginOrder < highest + 1) {
    throw new UserError(
      `a ${threshold} arcsec margin is wider than HEALPix cells at order ${highest + 1}; use a smaller threshold or larger partitions (partitionRows)`,
    );
  }
  // no partition (an empty catalog): an empty margin, nothing to route
  const targets =
    partitions.length === 0
      ? []
      : [...partitions, ...negativeTree(partitions)].sort((a, b) =>
          sortKey(a) < sortKey(b) ? -1 : 1,
        );
  const targetsOf = marginRouter(targets, marginOrder);
  const dir = join(collectionRoot, name);
  const tmp = join(collectionRoot, '.tmp');
  const spills = targets.map((_, i) => new ArrowSpillFile(join(tmp, `margin-${i}.arrows`)));
  const shift = BigInt(2 * (29 - marginOrder));
  for (const part of partitionRows) {
    for await (const table of part.tables()) {
      if (options.signal?.aborted) throw new CancelledError();
      const hp = healpixValues(table);
      const groups = new Map<number, number[]>();
      for (let i = 0; i < hp.length; i++) {
        const list = targetsOf(Number(hp[i] >> shift));
        for (const ti of list) {
          let g = groups.get(ti);
          if (!g) groups.set(ti, (g = []));
          g.push(i);
        }
      }
      for (const [ti, rows] of groups) await spills[ti].append(gatherTable(table, rows));
    }
  }
  const written: Pixel[] = [];
  let rows = 0;
  for (let i = 0; i < targets.length; i++) {
    const table = await spills[i].readAll();
    if (!table) continue;
    const sorted = conformTable(
      gatherTable(table, argsortBigInt(healpixValues(table))),
      schemaTable.schema,
    );
    const leaf = join(dir, leafRelPath(targets[i]));
    await makeFolderInside(collectionRoot, dirname(leaf));
    await writeFile(leaf, tableToParquetBytes(sorted));
    written.push(targets[i]);
    rows += table.numRows;
  }
  await makeFolderInside(collectionRoot, join(dir, 'dataset'));
  await writeFile(join(dir, 'dataset', '_common_metadata'), tableToParquetBytes(schemaTable));
  await writePartitionInfo(dir, written);
  await writeCatalogProperties(dir, {
    obs_collection: name,
    dataproduct_type: 'margin',
    hats_nrows: rows,
    hats_primary_table_url: catalogName,
    hats_margin_threshold: threshold,
    hats_order: written.length ? Math.max(...written.map((p) => p.order)) : 0,
    moc_sky_fraction: skyFraction(written),
    ...options.properties,
  });
  return { name, rows };
}

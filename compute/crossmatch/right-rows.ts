import { Table, type Vector } from 'apache-arrow';
import type { Pixel, PixelCatalog } from '../hats/types';
import { takeTable } from '../arrow/take';
import { coordinateColumn, pixelsAtOrder } from './rows';

/**
 * The right side of one aligned pixel, read in two steps: first only the columns the match needs
 * (coordinates), from the right partition and its margin; then, once the pairs are known, the
 * other columns of just the matched rows. A photometric partition holds about a hundred times
 * more rows than match a spec-z catalog, so the second step decodes a small part of what reading
 * whole partitions would (compute/hats `ReadOptions.rows`). Partitions that other tasks read too
 * come whole ("complete" pieces, cached by readCached) and skip the second step.
 */

/** Rows of one right partition (or margin partition) taking part in the match. */
export interface RightPiece {
  catalog: PixelCatalog;
  pixel: Pixel;
  /** The match columns of those rows. */
  table: Table;
  /** Partition row number of each table row; null when the table is the whole partition. */
  rows: Uint32Array | null;
  /** The table already holds every right column (nothing to read after the match). */
  complete: boolean;
}

/**
 * Partitions read recently (per thread and catalog): neighbouring tasks read the same right
 * partitions, and a coarse left partition is shared by every aligned pixel inside it.
 */
const recentByCatalog = new WeakMap<PixelCatalog, Map<string, Promise<Table>>>();
export const RECENT_MAX = 3;

export function readCached(
  catalog: PixelCatalog,
  pixel: Pixel,
  columns: string[] | undefined,
  signal?: AbortSignal,
  keep = RECENT_MAX,
): Promise<Table> {
  let recent = recentByCatalog.get(catalog);
  if (!recent) recentByCatalog.set(catalog, (recent = new Map()));
  const key = `${pixel.order}/${pixel.pixel}|${columns?.join(',') ?? '*'}`;
  let p = recent.get(key);
  if (p)
    recent.delete(key); // re-inserted below as the most recent
  else {
    p = catalog.readPartition(pixel, { columns, signal });
    p.catch(() => recent.delete(key));
  }
  recent.set(key, p);
  while (recent.size > keep) recent.delete(recent.keys().next().value as string);
  return p;
}

/**
 * Rows of the border partitions (with all their `columns`: neighbouring tasks share these
 * partitions) whose pixel at `order` is one of `cells` and that `isNear` the aligned pixel when given (compute/healpix `PixelDistance.isNear`: never false for a row truly
 * within the radius, so no pair is lost).
 */
export async function readBorderPieces(
  right: PixelCatalog,
  border: { order: number; cells: number[]; partitions: Pixel[] },
  columns: string[],
  isNear: ((raDeg: number, decDeg: number) => boolean) | null,
  signal?: AbortSignal,
): Promise<RightPiece[]> {
  const cells = new Set(border.cells);
  const out: RightPiece[] = [];
  for (const pixel of border.partitions) {
    const t = await readCached(right, pixel, columns, signal);
    const where = `${right.location} Norder=${pixel.order} Npix=${pixel.pixel}`;
    const ra = coordinateColumn(t, right.raColumn, where);
    const dec = coordinateColumn(t, right.decColumn, where);
    const px = pixelsAtOrder(t, right.healpixColumn, right.healpixOrder, border.order, ra, dec);
    const keep: number[] = [];
    for (let i = 0; i < px.length; i++) {
      if (cells.has(px[i]) && (!isNear || isNear(ra[i], dec[i]))) keep.push(i);
    }
    if (keep.length === 0) continue;
    if (keep.length === t.numRows) {
      out.push({ catalog: right, pixel, table: t, rows: null, complete: true });
    } else {
      const rows = Uint32Array.from(keep);
      out.push({ catalog: right, pixel, table: takeTable(t, rows), rows, complete: true });
    }
  }
  return out;
}

/**
 * The right table the output is built from: for every piece, its rows that `rightIdx` refers to
 * (indices into the pieces one after the other; -1 = no match), with the match columns and the
 * `deferred` columns read now. `rightIdx` is rewritten in place to index that table.
 */
export async function materializeRight(
  pieces: RightPiece[],
  deferred: string[],
  rightIdx: Int32Array,
  emptySchemaOf: PixelCatalog,
  signal?: AbortSignal,
): Promise<Table> {
  const starts = [0];
  for (const p of pieces) starts.push(starts[starts.length - 1] + p.table.numRows);
  // new index of every matched piece row (0 = not needed, else 1 + row in the output table)
  const slot = new Int32Array(starts[pieces.length]);
  for (const r of rightIdx) if (r >= 0) slot[r] = 1;
  const tables: Table[] = [];
  let next = 0;
  for (let p = 0; p < pieces.length; p++) {
    const used: number[] = [];
    for (let r = starts[p]; r < starts[p + 1]; r++) {
      if (slot[r]) {
        used.push(r - starts[p]);
        slot[r] = ++next;
      }
    }
    if (used.length === 0) continue;
    tables.push(await pieceRows(pieces[p], Uint32Array.from(used), deferred, signal));
  }
  for (let i = 0; i < rightIdx.length; i++)
    if (rightIdx[i] >= 0) rightIdx[i] = slot[rightIdx[i]] - 1;
  return concatTables(tables, emptySchemaOf);
}

/** Rows `used` of a piece's table, with its `deferred` columns read now unless it has them. */
async function pieceRows(
  piece: RightPiece,
  used: Uint32Array,
  deferred: string[],
  signal?: AbortSignal,
): Promise<Table> {
  const picked = takeTable(piece.table, used);
  if (piece.complete || deferred.length === 0) return picked;
  const rows = piece.rows ? used.map((u) => piece.rows![u]) : used;
  const read = await piece.catalog.readPartition(piece.pixel, { columns: deferred, rows, signal });
  if (read.numRows !== rows.length) {
    throw new Error(
      `${piece.catalog.location}: ${read.numRows} rows read of partition (${piece.pixel.order},${piece.pixel.pixel}), ${rows.length} asked`,
    );
  }
  const columns: Record<string, Vector> = {};
  for (const f of picked.schema.fields) columns[f.name] = picked.getChild(f.name)!;
  for (const f of read.schema.fields) columns[f.name] = read.getChild(f.name)!;
  return new Table(columns);
}

/**
 * Concatenates tables column by column (partition and margin files may differ in schema metadata);
 * none gives an empty table with the catalog's schema.
 */
export function concatTables(tables: Table[], catalog: PixelCatalog | null): Table {
  if (tables.length === 0) return catalog ? new Table(catalog.schema) : new Table();
  if (tables.length === 1) return tables[0];
  const columns: Record<string, Vector> = {};
  for (const field of tables[0].schema.fields) {
    const parts = tables.map((t, i) => {
      const v = t.getChild(field.name);
      if (!v)
        throw new Error(`crossmatch: column '${field.name}' is missing from right input ${i}`);
      return v;
    });
    columns[field.name] = parts[0].concat(...parts.slice(1));
  }
  return new Table(columns);
}

import type { Table } from 'apache-arrow';
import { PixelDistance } from '../healpix';
import type { Pixel, PixelCatalog } from '../hats/types';
import { matchPartition } from './match-partition';
import { borderOrder } from './plan';
import type { ResolvedCrossmatchOptions } from './options';
import { buildOutputTable, joinRows, type OutputColumns } from './output';
import {
  RECENT_MAX,
  concatTables,
  materializeRight,
  readBorderPieces,
  readCached,
  type RightPiece,
} from './right-rows';
import { coordinateColumn, countNoPosition, pixelsAtOrder, sortedPixelRange } from './rows';

/** Right rows to add from neighbouring partitions (border-row mode, no usable margin). */
export interface BorderSpec {
  /** Order of `cells`. */
  order: number;
  /** Cells outside the aligned pixel whose rows may lie within the radius of it. */
  cells: number[];
  /** Right partitions (not `right`) that overlap `cells`. */
  partitions: Pixel[];
}

/** A pixel's crossmatch output and how many of its left (spec-z) rows found a match. */
export interface PixelMatch {
  table: Table;
  /**
   * Left rows with at least one match: with several neighbours a row gives several output rows,
   * and two rows of equal values are still two rows, so neither the output nor the values tell.
   */
  leftRowsMatched: number;
  /**
   * Rows whose ra or dec is NaN or infinite, which can never match: of the task's left rows, and
   * of its right partition `spec.right` (not its margin or border rows, which are other
   * partitions' rows; several tasks may read one right partition, so the caller counts it once).
   */
  noPosition: { left: number; right: number };
}

/** One aligned pixel of the plan (hats-lsdb.md §3.2 step 4), plus border rows when needed. */
export interface PixelTaskSpec {
  aligned: Pixel;
  left: Pixel;
  right: Pixel | null;
  border: BorderSpec | null;
}

/** The catalogs a task reads; `left` may be given as the rows already read (user files). */
export interface PixelSources {
  left: PixelCatalog;
  leftRows?: Table;
  right: PixelCatalog;
  margin: PixelCatalog | null;
}

const withColumns = (wanted: string[] | undefined, needed: string[]): string[] | undefined =>
  wanted ? [...new Set([...needed, ...wanted])] : undefined;

/**
 * Crossmatches one aligned pixel (lsdb `perform_crossmatch`): the left rows of the aligned pixel
 * (cut by spatial index range so each left row is processed once) against the whole right
 * partition, its same-pixel margin partition and, in border-row mode, the rows of neighbouring
 * right partitions near the aligned pixel. Returns one output table in lsdb row order.
 */
export async function crossmatchPixel(
  sources: PixelSources,
  spec: PixelTaskSpec,
  options: ResolvedCrossmatchOptions,
  columns: OutputColumns,
  signal?: AbortSignal,
): Promise<PixelMatch> {
  const { left, right, margin } = sources;
  const leftCols = withColumns(options.columns.left, [
    left.raColumn,
    left.decColumn,
    left.healpixColumn,
  ]);
  const rightCols = withColumns(options.columns.right, [right.raColumn, right.decColumn]);

  const leftPart = sources.leftRows ?? (await readCached(left, spec.left, leftCols, signal));
  const where = `${left.location} Norder=${spec.left.order} Npix=${spec.left.pixel}`;
  let leftRa = coordinateColumn(leftPart, left.raColumn, where);
  let leftDec = coordinateColumn(leftPart, left.decColumn, where);
  let leftSel: Uint32Array | null = null;
  // the left partition is coarser than the aligned pixel, or holds a user file's rows
  const cut = spec.aligned.order > spec.left.order || sources.leftRows !== undefined;
  const range = cut
    ? sortedPixelRange(
        leftPart,
        left.healpixColumn,
        left.healpixOrder,
        spec.aligned.order,
        spec.aligned.pixel,
      )
    : null;
  if (range) {
    const [start, end] = range;
    if (end - start !== leftRa.length) {
      leftSel = new Uint32Array(end - start).map((_, i) => start + i);
      leftRa = leftRa.subarray(start, end);
      leftDec = leftDec.subarray(start, end);
    }
  } else if (cut) {
    const px = pixelsAtOrder(
      leftPart,
      left.healpixColumn,
      left.healpixOrder,
      spec.aligned.order,
      leftRa,
      leftDec,
    );
    const keep: number[] = [];
    for (let i = 0; i < px.length; i++) if (px[i] === spec.aligned.pixel) keep.push(i);
    if (keep.length !== px.length) {
      leftSel = Uint32Array.from(keep);
      leftRa = leftRa.filter((_, i) => px[i] === spec.aligned.pixel);
      leftDec = leftDec.filter((_, i) => px[i] === spec.aligned.pixel);
    }
  }

  // The match needs the coordinates (and the spatial index for border rows). A right partition
  // that only this task reads gives just those now, and its other columns for the matched rows
  // afterwards (right-rows.ts); one that other tasks read too (several aligned pixels in it, or
  // border rows of neighbouring tasks) is decoded whole once and cached, as decoding it again
  // for every task would cost more than the rows it saves.
  const matchCols = [right.raColumn, right.decColumn];
  if (spec.border && right.schema.fields.some((f) => f.name === right.healpixColumn))
    matchCols.push(right.healpixColumn);
  const deferred = (rightCols ?? right.schema.fields.map((f) => f.name)).filter(
    (c) => !matchCols.includes(c),
  );
  const allCols = [...matchCols, ...deferred];
  const pieces: RightPiece[] = [];
  if (leftRa.length > 0) {
    if (spec.right) {
      const shared = spec.border !== null || spec.aligned.order > spec.right.order;
      const columns = shared ? allCols : matchCols;
      // a right partition is reused only by the next aligned pixels (plan order) unless border
      // rows also read it from neighbouring tasks: keep one table then, not three
      const keep = spec.border ? RECENT_MAX : 1;
      const table = await readCached(right, spec.right, columns, signal, keep);
      pieces.push({ catalog: right, pixel: spec.right, table, rows: null, complete: shared });
      if (options.useMargin && margin && hasPartition(margin, spec.right)) {
        const marginRows = await margin.readPartition(spec.right, { columns, signal });
        pieces.push({
          catalog: margin,
          pixel: spec.right,
          table: marginRows,
          rows: null,
          complete: shared,
        });
      }
    }
    if (spec.border) {
      // Cells at the radius' own scale already form a tight strip; coarser (capped) cells are
      // trimmed with the exact distance test, which costs more per row.
      let isNear: ((ra: number, dec: number) => boolean) | null = null;
      if (spec.border.order < borderOrder(options.radiusArcsec)) {
        const near = new PixelDistance(spec.aligned.order, spec.aligned.pixel);
        const radiusDeg = options.radiusArcsec / 3600;
        isNear = (ra, dec) => near.isNear(ra, dec, radiusDeg);
      }
      pieces.push(...(await readBorderPieces(right, spec.border, allCols, isNear, signal)));
    }
  }
  // the right partition's rows come first (pieces[0])
  const rightOwn = spec.right && pieces.length > 0 ? pieces[0].table.numRows : 0;
  const matchTable = concatTables(
    pieces.map((p) => p.table),
    right,
  );
  const rightRa = coordinateColumn(matchTable, right.raColumn, right.location);
  const rightDec = coordinateColumn(matchTable, right.decColumn, right.location);

  const m = matchPartition(leftRa, leftDec, rightRa, rightDec, options);
  const rows = joinRows(options.how, leftRa.length, m.leftIdx, m.rightIdx, m.distArcsec);
  if (leftSel) for (let i = 0; i < rows.left.length; i++) rows.left[i] = leftSel[rows.left[i]];
  const rightTable = await materializeRight(pieces, deferred, rows.right, right, signal);
  const table = buildOutputTable(
    leftPart,
    rightTable,
    columns,
    rows.left,
    rows.right,
    rows.dist,
    rows.nullDistFrom,
  );
  return {
    table,
    leftRowsMatched: distinctSorted(m.leftIdx),
    noPosition: {
      left: countNoPosition(leftRa, leftDec, leftRa.length),
      right: countNoPosition(rightRa, rightDec, rightOwn),
    },
  };
}

/** The number of distinct values of an ascending array (matches come in left-row order). */
function distinctSorted(values: Uint32Array): number {
  let n = values.length > 0 ? 1 : 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) n++;
  return n;
}

function hasPartition(catalog: PixelCatalog, p: Pixel): boolean {
  return catalog.partitions.some((q) => q.order === p.order && q.pixel === p.pixel);
}

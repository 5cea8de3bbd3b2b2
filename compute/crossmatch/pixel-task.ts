import { Table, type Vector } from 'apache-arrow';
import { PixelDistance } from '../healpix';
import type { Pixel, PixelCatalog } from '../hats/types';
import { matchPartition } from './match-partition';
import { borderOrder } from './plan';
import type { ResolvedCrossmatchOptions } from './options';
import { buildOutputTable, joinRows, type OutputColumns } from './output';
import { coordinateColumn, pixelsAtOrder, sortedPixelRange } from './rows';
import { takeRows } from '../arrow/take';

/** Right rows to add from neighbouring partitions (border-row mode, no usable margin). */
export interface BorderSpec {
  /** Order of `cells`. */
  order: number;
  /** Cells outside the aligned pixel whose rows may lie within the radius of it. */
  cells: number[];
  /** Right partitions (not `right`) that overlap `cells`. */
  partitions: Pixel[];
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
): Promise<Table> {
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

  const pieces: Table[] = [];
  if (leftRa.length > 0) {
    if (spec.right) {
      // a right partition is reused only by the next aligned pixels (plan order) unless border
      // rows also read it from neighbouring tasks: keep one table then, not three
      const keep = spec.border ? RECENT_MAX : 1;
      pieces.push(await readCached(right, spec.right, rightCols, signal, keep));
      if (options.useMargin && margin && hasPartition(margin, spec.right)) {
        pieces.push(await margin.readPartition(spec.right, { columns: rightCols, signal }));
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
      pieces.push(...(await readBorderRows(right, spec.border, rightCols, isNear, signal)));
    }
  }
  const rightTable = concatTables(pieces, right);
  const rightRa = coordinateColumn(rightTable, right.raColumn, right.location);
  const rightDec = coordinateColumn(rightTable, right.decColumn, right.location);

  const m = matchPartition(leftRa, leftDec, rightRa, rightDec, options);
  const rows = joinRows(options.how, leftRa.length, m.leftIdx, m.rightIdx, m.distArcsec);
  if (leftSel) for (let i = 0; i < rows.left.length; i++) rows.left[i] = leftSel[rows.left[i]];
  return buildOutputTable(
    leftPart,
    rightTable,
    columns,
    rows.left,
    rows.right,
    rows.dist,
    rows.nullDistFrom,
  );
}

/**
 * Partitions read recently (per thread and catalog): neighbouring tasks read the same right
 * partitions, and a coarse left partition is shared by every aligned pixel inside it.
 */
const recentByCatalog = new WeakMap<PixelCatalog, Map<string, Promise<Table>>>();
const RECENT_MAX = 3;

function readCached(
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

function hasPartition(catalog: PixelCatalog, p: Pixel): boolean {
  return catalog.partitions.some((q) => q.order === p.order && q.pixel === p.pixel);
}

/**
 * Rows of the border partitions whose pixel at `border.order` is one of `border.cells` and that
 * `isNear` the aligned pixel when given (compute/healpix `PixelDistance.isNear`: never false for
 * a row truly within the radius, so no pair is lost).
 */
async function readBorderRows(
  right: PixelCatalog,
  border: BorderSpec,
  columns: string[] | undefined,
  isNear: ((raDeg: number, decDeg: number) => boolean) | null,
  signal?: AbortSignal,
): Promise<Table[]> {
  const cells = new Set(border.cells);
  const out: Table[] = [];
  for (const p of border.partitions) {
    const t = await readCached(right, p, columns, signal);
    const where = `${right.location} Norder=${p.order} Npix=${p.pixel}`;
    const ra = coordinateColumn(t, right.raColumn, where);
    const dec = coordinateColumn(t, right.decColumn, where);
    const px = pixelsAtOrder(t, right.healpixColumn, right.healpixOrder, border.order, ra, dec);
    const keep: number[] = [];
    for (let i = 0; i < px.length; i++) {
      if (cells.has(px[i]) && (!isNear || isNear(ra[i], dec[i]))) keep.push(i);
    }
    if (keep.length === 0) continue;
    out.push(keep.length === t.numRows ? t : selectRows(t, keep));
  }
  return out;
}

/** Rows `keep` of a table, gathered into one chunk per column. */
function selectRows(t: Table, keep: number[]): Table {
  const idx = Uint32Array.from(keep);
  const columns: Record<string, Vector> = {};
  for (const field of t.schema.fields) columns[field.name] = takeRows(t.getChild(field.name)!, idx);
  return new Table(columns);
}

/**
 * Concatenates tables column by column (partition and margin files may differ in schema metadata);
 * none gives an empty table with the catalog's schema.
 */
function concatTables(tables: Table[], catalog: PixelCatalog | null): Table {
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

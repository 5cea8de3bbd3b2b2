import { Field, Float64, Schema, Table, makeData, makeVector, type Vector } from 'apache-arrow';
import type { JoinHow, SuffixMethod } from './options';
import { locateRows, takeRows } from '../arrow/take';

/** Name of the distance column (lsdb `_dist_arcsec`). */
export const DIST_COLUMN = '_dist_arcsec';

/** Which input columns go to the output, and under which names. */
export interface OutputColumns {
  /** The left spatial index column, kept first under its own name (lsdb's output index). */
  index: string | null;
  left: { from: string; to: string }[];
  right: { from: string; to: string }[];
}

/**
 * Output names as lsdb `Catalog.crossmatch` (hats-lsdb.md §3.4): left columns then right columns,
 * each with its suffix ('all_columns') or only where the name is on both sides
 * ('overlapping_columns'), then `_dist_arcsec`. The spatial index columns are not data columns in
 * lsdb: the left one is kept first, as the index, and the right one is dropped.
 */
export function planOutputColumns(
  leftColumns: string[],
  rightColumns: string[],
  leftIndex: string,
  rightIndex: string,
  suffixes: [string, string],
  suffixMethod: SuffixMethod,
  /** A last renaming of the right columns' output names (tsm run: its own columns' names). */
  renameRight: (name: string) => string = (name) => name,
): OutputColumns {
  const l = leftColumns.filter((c) => c !== leftIndex);
  const r = rightColumns.filter((c) => c !== rightIndex);
  const both = new Set(l.filter((c) => r.includes(c)));
  const name = (c: string, s: string) =>
    suffixMethod === 'all_columns' || both.has(c) ? `${c}${s}` : c;
  const out: OutputColumns = {
    index: leftColumns.includes(leftIndex) ? leftIndex : null,
    left: l.map((c) => ({ from: c, to: name(c, suffixes[0]) })),
    right: r.map((c) => ({ from: c, to: renameRight(name(c, suffixes[1])) })),
  };
  const seen = new Set<string>();
  for (const n of [
    out.index,
    ...out.left.map((c) => c.to),
    ...out.right.map((c) => c.to),
    DIST_COLUMN,
  ]) {
    if (n === null) continue;
    if (seen.has(n)) {
      throw new Error(
        `crossmatch output would have two columns named '${n}': choose other suffixes`,
      );
    }
    seen.add(n);
  }
  return out;
}

/**
 * Assembles one output partition: rows `leftRows[i]` of `left` beside rows `rightRows[i]` of
 * `right` (-1 = null, for left-join rows without a match) and their distance (NaN = null).
 */
export function buildOutputTable(
  left: Table,
  right: Table,
  columns: OutputColumns,
  leftRows: Int32Array | Uint32Array,
  rightRows: Int32Array,
  distArcsec: Float64Array,
  nullDistFrom: number,
): Table {
  const vectors: Record<string, Vector> = {};
  const col = (t: Table, name: string, side: string): Vector => {
    const v = t.getChild(name);
    if (!v) throw new Error(`crossmatch: ${side} column '${name}' is missing from a partition`);
    return v;
  };
  // where the rows are among each side's record batches, found once for all its columns
  const atLeft = locateRows(left, leftRows);
  const atRight = locateRows(right, rightRows);
  const fromLeft = (name: string) => takeRows(col(left, name, 'left'), leftRows, atLeft);
  if (columns.index) vectors[columns.index] = fromLeft(columns.index);
  for (const c of columns.left) vectors[c.to] = fromLeft(c.from);
  for (const c of columns.right) {
    vectors[c.to] = takeRows(col(right, c.from, 'right'), rightRows, atRight);
  }
  vectors[DIST_COLUMN] = distVector(distArcsec, nullDistFrom);
  return new Table(vectors);
}

/**
 * The output of a crossmatch that found no pair, with every column it would have had (the input
 * columns' types, all nullable) and no rows.
 */
export function emptyOutputTable(left: Schema, right: Schema, columns: OutputColumns): Table {
  const field = (schema: Schema, from: string, to: string): Field => {
    const f = schema.fields.find((x) => x.name === from);
    if (!f) throw new Error(`crossmatch: column '${from}' is missing from the catalog's schema`);
    return new Field(to, f.type, true, f.metadata);
  };
  return new Table(
    new Schema([
      ...(columns.index ? [field(left, columns.index, columns.index)] : []),
      ...columns.left.map((c) => field(left, c.from, c.to)),
      ...columns.right.map((c) => field(right, c.from, c.to)),
      new Field(DIST_COLUMN, new Float64(), true),
    ]),
  );
}

/** Float64 distances; rows from `nullFrom` on are null (the unmatched rows of a left join). */
function distVector(dist: Float64Array, nullFrom: number): Vector {
  const n = dist.length;
  let nullBitmap: Uint8Array | undefined;
  if (nullFrom < n) {
    nullBitmap = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < nullFrom; i++) nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(
    makeData({
      type: new Float64(),
      length: n,
      data: dist,
      nullBitmap,
      nullCount: n - Math.min(nullFrom, n),
    }),
  );
}

/**
 * The row pairs of one task in lsdb order (§3.3, §3.5): matches in left order then distance; for
 * a left join, then every left row without a match, once, in left order.
 */
export function joinRows(
  how: JoinHow,
  nLeft: number,
  leftIdx: Uint32Array,
  rightIdx: Uint32Array,
  distArcsec: Float64Array,
): { left: Int32Array; right: Int32Array; dist: Float64Array; nullDistFrom: number } {
  const matched = leftIdx.length;
  let unmatched = 0;
  let hit: Uint8Array | undefined;
  if (how === 'left') {
    hit = new Uint8Array(nLeft);
    for (let i = 0; i < matched; i++) hit[leftIdx[i]] = 1;
    for (let i = 0; i < nLeft; i++) if (!hit[i]) unmatched++;
  }
  const total = matched + unmatched;
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const dist = new Float64Array(total);
  left.set(leftIdx);
  right.set(rightIdx);
  dist.set(distArcsec);
  if (hit) {
    let o = matched;
    for (let i = 0; i < nLeft; i++) {
      if (!hit[i]) {
        left[o] = i;
        right[o] = -1;
        dist[o] = NaN;
        o++;
      }
    }
  }
  return { left, right, dist, nullDistFrom: matched };
}

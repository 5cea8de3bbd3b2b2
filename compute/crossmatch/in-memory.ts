import { Int64, Schema, Table, makeData, makeVector, type Vector } from 'apache-arrow';
import { UserError } from '../errors';
import { ang2pixNestBatch } from '../healpix';
import type { Pixel, PixelCatalog, ReadOptions } from '../hats/types';
import { sortPixels } from './align';
import type { CatalogInfo } from './worker-task';
import { coordinateColumn } from './rows';
import { takeRows, takeTable } from '../arrow/take';

export interface InMemoryCatalogOptions {
  name: string;
  raColumn: string;
  decColumn: string;
  /** Path of the file the rows came from, for messages. Default `memory:<name>`. */
  location?: string;
  /** A pixel with more rows is split into its 4 children (up to `maxOrder`). Default 100,000. */
  maxRowsPerPartition?: number;
  /** Highest partition order. Default 7 (lsdb `from_dataframe` highest_order). */
  maxOrder?: number;
}

/** Name of the spatial index column added to user rows (hats `SPATIAL_INDEX_COLUMN`). */
export const HEALPIX_29 = '_healpix_29';

/**
 * A user table (CSV/Parquet rows with ra/dec in degrees) as a PixelCatalog: `_healpix_29` is
 * computed (HEALPix NESTED order 29) and put first, rows are sorted by it, and the sky is split
 * from order 0 down, a pixel being split while it holds more than `maxRowsPerPartition` rows.
 */
export class InMemoryCatalog implements PixelCatalog {
  readonly name: string;
  readonly location: string;
  readonly raColumn: string;
  readonly decColumn: string;
  readonly healpixColumn = HEALPIX_29;
  readonly healpixOrder = 29;
  readonly schema: Schema;
  readonly partitions: Pixel[];
  private readonly ranges = new Map<string, [number, number]>();

  constructor(
    private readonly table: Table,
    options: InMemoryCatalogOptions,
  ) {
    this.name = options.name;
    this.location = options.location ?? `memory:${options.name}`;
    this.raColumn = options.raColumn;
    this.decColumn = options.decColumn;
    this.schema = table.schema;
    const maxRows = options.maxRowsPerPartition ?? 100_000;
    const maxOrder = options.maxOrder ?? 7;
    const px = pixelsOf(table, maxOrder);
    const parts: Pixel[] = [];
    const split = (order: number, pixel: number, start: number, end: number): void => {
      if (start === end) return;
      if (end - start <= maxRows || order === maxOrder) {
        parts.push({ order, pixel });
        this.ranges.set(`${order}/${pixel}`, [start, end]);
        return;
      }
      const scale = 4 ** (maxOrder - order - 1);
      let s = start;
      for (let c = 4 * pixel; c < 4 * pixel + 4; c++) {
        let e = s;
        while (e < end && Math.floor(px[e] / scale) === c) e++;
        split(order + 1, c, s, e);
        s = e;
      }
    };
    let s = 0;
    for (let face = 0; face < 12; face++) {
      let e = s;
      while (e < px.length && Math.floor(px[e] / 4 ** maxOrder) === face) e++;
      split(0, face, s, e);
      s = e;
    }
    this.partitions = sortPixels(parts);
  }

  /** Order-10 cells holding rows (lsdb `from_dataframe`: `MOC.from_lonlat(max_norder=10)`). */
  moc(): Pixel[] {
    const px = pixelsOf(this.table, 10);
    const out: Pixel[] = [];
    for (let i = 0; i < px.length; i++) {
      if (i === 0 || px[i] !== px[i - 1]) out.push({ order: 10, pixel: px[i] });
    }
    return out;
  }

  /** The fields a worker needs to use rows of this catalog sent with a task. */
  info(): CatalogInfo {
    const { name, location, raColumn, decColumn, healpixColumn, healpixOrder } = this;
    return { name, location, raColumn, decColumn, healpixColumn, healpixOrder };
  }

  /** All rows of a partition (empty when the catalog has no such partition). */
  partitionRows(pixel: Pixel): Table {
    const r = this.ranges.get(`${pixel.order}/${pixel.pixel}`);
    return r ? this.table.slice(r[0], r[1]) : this.table.slice(0, 0);
  }

  async readPartition(pixel: Pixel, options: ReadOptions = {}): Promise<Table> {
    let rows = this.partitionRows(pixel);
    if (options.columns) rows = rows.select(options.columns);
    return options.rows ? takeTable(rows, options.rows) : rows;
  }
}

/** Pixel at `order` of each row of a table sorted by `_healpix_29`. */
function pixelsOf(table: Table, order: number): Float64Array {
  const h = table.getChild(HEALPIX_29)!.toArray() as BigInt64Array;
  const out = new Float64Array(h.length);
  const shift = BigInt(2 * (29 - order));
  for (let i = 0; i < h.length; i++) out[i] = Number(h[i] >> shift);
  return out;
}

/**
 * Builds an {@link InMemoryCatalog} from rows with ra/dec columns in degrees. The rows get a
 * `_healpix_29` column (replacing one of that name) and are sorted by it. Null, NaN or
 * out-of-range coordinates are a UserError naming the column.
 */
export function inMemoryCatalog(table: Table, options: InMemoryCatalogOptions): InMemoryCatalog {
  const where = options.location ?? options.name;
  const ra = coordinateColumn(table, options.raColumn, where);
  const dec = coordinateColumn(table, options.decColumn, where);
  for (let i = 0; i < ra.length; i++) {
    if (!Number.isFinite(ra[i])) {
      throw new UserError(
        `${where}: row ${i + 1} has ${options.raColumn}=${ra[i]}; give ra in degrees`,
      );
    }
    if (!(dec[i] >= -90 && dec[i] <= 90)) {
      throw new UserError(
        `${where}: row ${i + 1} has ${options.decColumn}=${dec[i]}; dec must be in [-90, 90] degrees`,
      );
    }
  }
  const h = ang2pixNestBatch(29, ra, dec);
  const order = Uint32Array.from({ length: h.length }, (_, i) => i);
  order.sort((a, b) => (h[a] < h[b] ? -1 : h[a] > h[b] ? 1 : a - b));
  const sortedH = new BigInt64Array(h.length);
  for (let i = 0; i < h.length; i++) sortedH[i] = h[order[i]];
  const columns: Record<string, Vector> = {
    [HEALPIX_29]: makeVector(makeData({ type: new Int64(), length: h.length, data: sortedH })),
  };
  for (const field of table.schema.fields) {
    if (field.name === HEALPIX_29) continue;
    columns[field.name] = takeRows(table.getChild(field.name)!, order);
  }
  return new InMemoryCatalog(new Table(columns), options);
}

import { access } from 'node:fs/promises';
import {
  Bool,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  Uint32,
  Uint64,
  Utf8,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { h5wasmLoaded, hdf5ErrorReason, loadH5wasm, type H5wasm } from './h5wasm';
import {
  COMPOUND,
  FLOAT,
  INTEGER,
  compoundLayout,
  decodeMembers,
  type H5Member,
} from './hdf5-decode';
import { UserError, errorMessage } from '../errors';

type H5File = InstanceType<H5wasm['h5']['File']>;
type H5Group = InstanceType<H5wasm['h5']['Group']>;
type H5Dataset = InstanceType<H5wasm['h5']['Dataset']>;

/** A table found in an HDF5 file: a compound dataset (astropy, h5py, PyTables) or a pandas "fixed" frame. */
export interface Hdf5TableRef {
  path: string;
  kind: 'compound' | 'pandas-fixed';
}

function walk(group: H5Group, prefix: string, out: Hdf5TableRef[]): void {
  const { h5 } = h5wasmLoaded();
  for (const key of group.keys()) {
    const path = `${prefix}/${key}`;
    if (key.endsWith('.__table_column_meta__')) continue; // astropy's metadata, not a table
    const entity = group.get(key);
    if (entity instanceof h5.Dataset) {
      if (entity.metadata.type === COMPOUND && (entity.shape?.length ?? 0) === 1)
        out.push({ path, kind: 'compound' });
    } else if (entity instanceof h5.Group) {
      const keys = entity.keys();
      if (keys.includes('axis0') && keys.some((k) => /^block\d+_values$/.test(k)))
        out.push({ path, kind: 'pandas-fixed' });
      else walk(entity, path, out);
    }
  }
}

/** Every table-like object in the file, in file order. */
export function listHdf5Tables(file: H5File): Hdf5TableRef[] {
  const out: Hdf5TableRef[] = [];
  walk(file, '', out);
  return out;
}

function toVector(values: unknown[], boolColumn: boolean): Vector {
  const first = values.find((v) => v !== null && v !== undefined);
  if (boolColumn)
    return vectorFromArray(
      values.map((v) => (v === null ? null : Boolean(Number(v)))),
      new Bool(),
    );
  if (typeof first === 'bigint') return vectorFromArray(values as bigint[], new Int64());
  if (typeof first === 'string')
    return vectorFromArray(
      values.map((v) => (v === null ? null : String(v).replace(/\0+$/, ''))),
      new Utf8(),
    );
  if (typeof first === 'boolean') return vectorFromArray(values as boolean[], new Bool());
  if (values.includes(null)) return vectorFromArray(values as (number | null)[], new Float64());
  return makeVector(Float64Array.from(values as number[]));
}

/**
 * A compound member's values as a column: `mask` (astropy's `<name>.mask` column, true = null)
 * makes nulls.
 */
function memberVector(m: H5Member, values: unknown[], bool: boolean, mask?: unknown[]): Vector {
  const masked = mask ? values.map((v, i) => (Number(mask[i]) ? null : v)) : values;
  const first = masked.find((v) => v !== null && v !== undefined);
  if (ArrayBuffer.isView(first) || Array.isArray(first)) return listVector(m, masked);
  const hasNull = mask?.some((v) => Number(v)) ?? false;
  if (bool) return toVector(masked, true);
  if (m.type === INTEGER && m.size === 8) {
    return vectorFromArray(
      masked.map((v) => (v === null ? null : BigInt(v as number | bigint))),
      m.signed ? new Int64() : new Uint64(),
    );
  }
  if (m.type === INTEGER && m.size === 4 && !m.signed) {
    // above 2^31 an Int32 column would turn these negative
    return hasNull
      ? vectorFromArray(masked as (number | null)[], new Uint32())
      : makeVector(Uint32Array.from(masked as number[]));
  }
  if (m.type === INTEGER) {
    return hasNull
      ? vectorFromArray(masked as (number | null)[], new Int32())
      : makeVector(Int32Array.from(masked as number[]));
  }
  if (m.type === FLOAT && m.size === 4) {
    return hasNull
      ? vectorFromArray(masked as (number | null)[], new Float32())
      : makeVector(Float32Array.from(masked as number[]));
  }
  return toVector(masked, false);
}

/**
 * An array member (numpy field shape (n,), several values a row) as a list per row: 64-bit
 * integers as Int64 (exact), other numbers as Float64 (they read as NaN when taken for one value).
 */
function listVector(m: H5Member, values: unknown[]): Vector {
  const rows = values.map((v) =>
    v === null || v === undefined ? null : Array.from(v as ArrayLike<number | bigint>),
  );
  const sample = rows.find((r) => r !== null && r.length > 0)?.[0];
  const wide = typeof sample === 'bigint';
  const item = wide ? new Int64() : new Float64();
  return vectorFromArray(
    rows.map((r) => r && (wide ? r.map((x) => BigInt(x)) : r.map((x) => Number(x)))),
    new List(new Field('item', item, true)),
  ) as Vector;
}

/**
 * Rows [start, end) of a compound dataset as a table; `file` names the file in errors. A member
 * that h5wasm cannot decode (a big-endian array or enum beside little-endian members) is an error,
 * never wrong values.
 */
function compoundBatch(
  file: string,
  ds: H5Dataset,
  start: number,
  end: number,
  bools: Set<string>,
  wanted?: Set<string>,
): Table {
  const members = ds.metadata.compound_type!.members;
  const names = new Set(members.map((m) => m.name));
  // astropy's masked columns: `<name>.mask` beside `<name>` (Table.write(serialize_meta=True))
  const isMask = (name: string) => name.endsWith('.mask') && names.has(name.slice(0, -5));
  // a column asked for comes with its mask
  const read = (m: H5Member) =>
    !wanted || wanted.has(isMask(m.name) ? m.name.slice(0, -5) : m.name);
  const { readable } = compoundLayout(ds.metadata);
  const unreadable = members.find((m) => read(m) && !readable(m));
  if (unreadable) {
    throw new UserError(
      `${file}: dataset ${ds.path}: column '${unreadable.name}' is big-endian and of a type this app reads only when the whole table is big-endian or little-endian; save the table with one byte order (numpy: a.astype(a.dtype.newbyteorder('<'))), or as Parquet`,
    );
  }
  const decoded = readChecked(file, ds, () => decodeMembers(ds, start, end, read));
  const rows = members.every((m, j) => !read(m) || decoded[j] !== null)
    ? []
    : readChecked(file, ds, () => ds.slice([[start, end]]) as unknown as unknown[][]);
  const valuesOf = (j: number) => decoded[j] ?? rows.map((r) => r[j]);
  const masks = new Map<string, unknown[]>();
  members.forEach((m, j) => {
    if (read(m) && isMask(m.name)) masks.set(m.name.slice(0, -5), valuesOf(j));
  });
  const columns: Record<string, Vector> = {};
  members.forEach((m, j) => {
    if (!read(m) || isMask(m.name)) return;
    columns[m.name] = memberVector(m, valuesOf(j), bools.has(m.name), masks.get(m.name));
  });
  return new Table(columns);
}

/**
 * Runs an h5wasm read of `ds`; a failed read (h5wasm throws HDF5's error) becomes a UserError
 * naming the file, the dataset and, for a compression filter this HDF5 build lacks, the filter.
 */
function readChecked<T>(file: string, ds: H5Dataset, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof UserError) throw err;
    const reason = hdf5ErrorReason(err);
    const filter = /required filter '([^']*)' is not registered/.exec(reason)?.[1];
    if (filter !== undefined) {
      throw new UserError(
        `${file}: dataset ${ds.path} is compressed with the '${filter}' filter, which this app cannot read (it reads gzip, shuffle, fletcher32, nbit and scaleoffset); save it again with gzip, e.g. h5py: f.create_dataset(name, data=table, compression='gzip'), or as Parquet`,
      );
    }
    throw new UserError(
      `${file}: cannot read dataset ${ds.path}${reason ? ` (${reason})` : ''}; the file is corrupt or truncated: export it again, or give the catalog as CSV, FITS or Parquet`,
    );
  }
}

function pandasFixedTable(file: string, group: H5Group): Table {
  const columns: Record<string, Vector> = {};
  const axis0 = group.get('axis0') as H5Dataset;
  const names = readChecked(file, axis0, () => axis0.value as unknown as string[]);
  const keys = group.keys().filter((k) => /^block\d+_items$/.test(k));
  const byName = new Map<string, Vector>();
  for (const itemsKey of keys) {
    const itemsDs = group.get(itemsKey) as H5Dataset;
    const items = readChecked(file, itemsDs, () => itemsDs.value as unknown as string[]);
    const valuesDs = group.get(itemsKey.replace('_items', '_values')) as H5Dataset;
    if (!valuesDs.shape || valuesDs.shape.length !== 2) {
      throw new UserError(
        `${group.path}: pandas stored the columns ${items.join(', ')} as Python objects (pickled); save the table with format='table' or as Parquet`,
      );
    }
    const [nrows, ncols] = valuesDs.shape;
    const flat = readChecked(
      file,
      valuesDs,
      () => valuesDs.value as unknown as ArrayLike<number | bigint>,
    );
    items.forEach((name, c) => {
      const vals = new Array(nrows);
      for (let r = 0; r < nrows; r++) vals[r] = flat[r * ncols + c];
      byName.set(String(name), toVector(vals, false));
    });
  }
  for (const n of names) if (byName.has(String(n))) columns[String(n)] = byName.get(String(n))!;
  return new Table(columns);
}

export interface Hdf5ReadOptions {
  dataset?: string;
  batchRows?: number;
  /** Told the table's rows before the first batch (progress reports). */
  onTotalRows?: (rows: number) => void;
}

/**
 * Streams the table of an HDF5 file as Arrow tables: a compound dataset (astropy `Table.write`,
 * h5py structured arrays, pandas/PyTables `format='table'` with data columns, our writer) or a
 * pandas `format='fixed'` frame. With several tables, `dataset` names the one to read; without
 * it the file must hold exactly one. Every failure (a corrupt or truncated file included) is a
 * UserError naming the file.
 */
export async function* readHdf5Table(
  path: string,
  options: Hdf5ReadOptions = {},
): AsyncGenerator<Table> {
  try {
    yield* readTable(path, options);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      typeof code === 'string'
        ? `${path}: cannot open the file (${errorMessage(err)}); check the path`
        : `${path}: cannot read the HDF5 file${hdf5ErrorReason(err) ? ` (${hdf5ErrorReason(err)})` : ''}; the file is corrupt or truncated: export it again, or give the catalog as CSV, FITS or Parquet`,
    );
  }
}

/** What {@link readHdf5Table} reads. */
export interface Hdf5ReadOptions {
  /** The table to read when the file holds several. */
  dataset?: string;
  batchRows?: number;
  /**
   * The rows [startRow, endRow) only (default: all), sliced out of the dataset without reading
   * the others (a pandas `format='fixed'` frame is read whole, then cut).
   */
  startRow?: number;
  endRow?: number;
  /**
   * These columns only (default: all): the others' bytes are not decoded (a pandas
   * `format='fixed'` frame is read whole, then cut).
   */
  columns?: string[];
}

/** readHdf5Table without the error wrapping. */
async function* readTable(path: string, options: Hdf5ReadOptions): AsyncGenerator<Table> {
  await access(path);
  const { h5 } = await loadH5wasm();
  let file: H5File;
  try {
    file = new h5.File(path, 'r');
  } catch (err) {
    const reason = hdf5ErrorReason(err);
    throw new UserError(
      `${path}: not a readable HDF5 file: it is corrupt, truncated or of another format${reason ? ` (${reason})` : ''}; export it again, or give the catalog as CSV, FITS or Parquet`,
    );
  }
  try {
    const tables = listHdf5Tables(file);
    const wanted = options.dataset?.replace(/^\/?/, '/');
    const chosen = wanted
      ? tables.find((t) => t.path === wanted || t.path === `${wanted}/table`)
      : tables.length === 1
        ? tables[0]
        : undefined;
    if (!chosen) {
      const list = tables.map((t) => t.path).join(', ') || 'none';
      throw new UserError(
        wanted
          ? `${path}: no table '${options.dataset}' (tables: ${list}); pick one with tsm register --table NAME`
          : `${path}: ${tables.length} tables (${list}); pick one with tsm register --table NAME`,
      );
    }
    if (chosen.kind === 'pandas-fixed') {
      const table = pandasFixedTable(path, file.get(chosen.path) as H5Group);
      options.onTotalRows?.(table.numRows);
      const { startRow, endRow } = options;
      const rows =
        startRow === undefined && endRow === undefined
          ? table
          : table.slice(startRow ?? 0, endRow ?? table.numRows);
      yield options.columns ? rows.select(options.columns) : rows;
      return;
    }
    const ds = file.get(chosen.path) as H5Dataset;
    const boolAttr = ds.attrs['tsm_bool_columns']?.value;
    const bools = new Set(typeof boolAttr === 'string' ? boolAttr.split(',') : []);
    const total = Math.min(ds.shape![0], options.endRow ?? Infinity);
    const batchRows = options.batchRows ?? 65_536;
    const only = options.columns && new Set(options.columns);
    options.onTotalRows?.(total);
    for (let s = Math.max(0, options.startRow ?? 0); s < total; s += batchRows)
      yield compoundBatch(path, ds, s, Math.min(total, s + batchRows), bools, only);
  } finally {
    file.close();
  }
}

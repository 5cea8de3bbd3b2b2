/**
 * The spec-z side of a run: a HATS catalog (a registered catalog, or a HATS folder given by
 * path), or a user file (CSV/text, Parquet, FITS, HDF5) read into memory and partitioned along the photometric catalog's
 * partitions, so each photometric partition is read once. Spec-z catalogs are small (up to a few
 * million rows); the photometric side is never loaded whole.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { DataType, Table, Type, makeVector, type Vector } from 'apache-arrow';
import { ipcBuffer } from '../arrow/packed-table';
import type { CatalogRef } from '../crossmatch/worker-task';
import type { PixelTaskSpec } from '../crossmatch/pixel-task';
import { UserError, throwIfCancelled } from '../errors';
import type { ByteStore } from '../hats/byte-source';
import { openHats } from '../hats/open';
import type { Pixel, PixelCatalog } from '../hats/types';
import { ang2pixNestBatch, ang2pixNestNumber } from '../healpix';
import { gatherTable, integersAsText } from '../io/arrow-columns';
import { describeFitsTable, readFitsTable } from '../io/fits-reader';
import { readHdf5Table } from '../io/hdf5-reader';
import { readDelimited } from '../io/delimited-reader';
import { streamParquetFile } from '../io/parquet-reader';
import { ReadMeter, type ReadProgressOptions } from '../io/read-progress';
import { repeatedRows } from '../io/repeated-rows';
import { IdSet } from '../io/id-set';
import { collectGarbage } from './collect-garbage';
import { catalogFolderName } from './sanitize-name';
import { PARTIAL_SUFFIX } from '../io/atomic';
import { sniffDelimited } from '../io/delimited-sniff';
import { convertText, isNumberText } from '../io/text-types';
import {
  TextAfterNumbers,
  checkTextAfterNumbers,
  delimitedNotes,
  fitsNotes,
  fitsTablesHint,
  readAgainReason,
  textAfterNumbersNote,
  textAtLine,
} from '../io/specz-source';
import type { SpeczColumns } from './project-schema';
import { detectAngleUnits, toDegrees } from '../io/specz-angles';
import { detectIdColumn } from '../io/specz-columns';
import { isRemoteLocation } from '../hats/store';
import { SpeczRowNames } from './specz-row-names';

/** Columns HATS adds to leaf files; never data (the original drops them too). */
export const HATS_PARTITION_COLUMNS = ['Norder', 'Dir', 'Npix'];
export const HEALPIX_29 = '_healpix_29';

export interface SpeczSource {
  catalog: PixelCatalog;
  kind: 'hats' | 'file';
  rowsIn: number;
  /** The spec-z columns in use. */
  columns: SpeczColumns;
  /** Where a task finds its spec-z rows. */
  ref(spec: PixelTaskSpec): CatalogRef;
  /**
   * What a file read as it is holds that a registered catalog would not (rows `tsm register`
   * rejects: redshifts that are no number or negative, repeated ids), for the run's warnings.
   */
  notes?: string[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    throw new UserError(`${path}: spec-z catalog not found; check specz.path (or --specz)`);
  }
}

function checkColumns(
  catalog: { location: string; schema: { fields: { name: string }[] } },
  columns: SpeczColumns,
  hint?: string,
) {
  const names = new Set(catalog.schema.fields.map((f) => f.name));
  for (const [field, column] of Object.entries(columns)) {
    if (column !== null && !names.has(column)) {
      throw new UserError(
        `${catalog.location}: spec-z column '${column}' (specz.columns.${field}) not found; its columns are ${[...names].join(', ')}` +
          (hint ? ` (${hint})` : ''),
      );
    }
  }
}

const FITS_EXTENSIONS = ['.fits', '.fit', '.fts'];
const HDF5_EXTENSIONS = ['.hdf5', '.h5', '.hdf', '.hf5', '.he5'];
const PARQUET_EXTENSIONS = ['.parquet', '.parq', '.pq'];

/** Whether readSpeczTable reads the file as delimited text (by its extension). */
function isDelimitedFile(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ![...FITS_EXTENSIONS, ...HDF5_EXTENSIONS, ...PARQUET_EXTENSIONS, '.fz'].includes(ext);
}

/** How a spec-z file is read: its progress reports, and rows per batch (default the readers'). */
export interface SpeczReading extends ReadProgressOptions {
  batchRows?: number;
}

/**
 * A text file's columns that hold text after numbers in their first lines ('J1234+5678' after
 * integer ids, a flag 'A'): read as text throughout, as tsm register reads them, but the
 * `numeric` ones (ra, dec, z, z_err), whose text stops the run; `notes` is told of each.
 */
export interface SpeczTextColumns {
  numeric?: (string | null | undefined)[];
  id?: string | null;
  notes?: string[];
  /**
   * Numeric columns (z, z_err) whose text in a later batch is kept as NaN, as the same text in
   * the first batch is, rather than stopping the run; `unparsed` gets their rows (1-based).
   */
  lenient?: (string | null | undefined)[];
  unparsed?: Map<string, number[]>;
  /** Told the lines of a text file's rows, so warnings name the lines as tsm register does. */
  rowNames?: SpeczRowNames;
}

/** A streamed batch of a spec-z file, with the part of the file read with it (when known). */
interface FilePart {
  table: Table;
  fraction?: number;
}

/**
 * Concatenates streamed batches into one table (spec-z catalogs fit in memory); a cancel is
 * answered between batches, not once a large file is read to its end, and the rows read are
 * reported as they come (`reading`).
 */
async function concatBatches(
  path: string,
  batches: AsyncIterable<FilePart>,
  signal?: AbortSignal,
  reading: ReadProgressOptions = {},
  /** Columns of integers that turned text in a later batch: earlier parts' integers as text. */
  textFrom: string[] = [],
  /** The file's meter, when it may be read again (its progress does not start over). */
  meter = new ReadMeter(reading),
): Promise<Table> {
  let parts: Table[] = [];
  for await (const { table: t, fraction } of batches) {
    throwIfCancelled(signal);
    if (t.numRows > 0) parts.push(t);
    meter.add(t.numRows, fraction);
  }
  meter.done();
  if (parts.length === 0) throw new UserError(`${path}: the spec-z table has no rows`);
  if (textFrom.length > 0) parts = parts.map((t) => integersAsText(t, textFrom));
  return parts.length === 1 ? parts[0] : parts[0].concat(...parts.slice(1));
}

/**
 * The tables of a reader that is told its table's rows before the first one (`onTotalRows`),
 * each with the part of the table read.
 */
async function* withRowFraction(
  read: (onTotalRows: (rows: number) => void) => AsyncIterable<Table>,
): AsyncGenerator<FilePart> {
  let total: number | undefined;
  let rows = 0;
  for await (const table of read((n) => (total = n))) {
    rows += table.numRows;
    yield { table, ...(total ? { fraction: Math.min(1, rows / total) } : {}) };
  }
}

/**
 * Reads a spec-z file into one Arrow table with compute/io's readers: CSV/TSV/text
 * (`readDelimited`), Parquet (`streamParquetFile`, a row group at a time), FITS (first binary
 * table, `readFitsTable`) and HDF5 (the file's only table, `readHdf5Table`), chosen by extension;
 * `reading` is told the rows read as they come.
 */
export async function readSpeczTable(
  path: string,
  signal?: AbortSignal,
  reading: SpeczReading = {},
  text: SpeczTextColumns = {},
): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (ext === '.fz') {
    throw new UserError(
      `${path}: tile-compressed FITS (.fz) is not read; decompress it first (funpack), or give a FITS, HDF5, CSV or Parquet file`,
    );
  }
  const { batchRows } = reading;
  let parts: AsyncIterable<FilePart>;
  if (FITS_EXTENSIONS.includes(ext)) {
    parts = withRowFraction((onTotalRows) => readFitsTable(path, { batchRows, onTotalRows }));
  } else if (HDF5_EXTENSIONS.includes(ext)) {
    parts = withRowFraction((onTotalRows) => readHdf5Table(path, { batchRows, onTotalRows }));
  } else if (PARQUET_EXTENSIONS.includes(ext)) {
    // whole row groups (by default), as a table read at once has them
    parts = withRowFraction((onTotalRows) =>
      streamParquetFile(path, { batchRows: batchRows ?? Infinity, onTotalRows }),
    );
  } else {
    // a column with text after numbers: text from there on when its integers before read back as
    // written (ids 1, 2, then 'J1234+5678'; concatBatches); else the file again, with that
    // column as text throughout (a flag 3.0 then 'A', ids '007' then 'J1')
    const found: TextAfterNumbers[] = [];
    const meter = new ReadMeter(reading);
    for (;;) {
      const values = new Map<TextAfterNumbers, string>();
      const textFrom: string[] = [];
      try {
        const table = await concatBatches(
          path,
          delimitedTables(path, batchRows, text, found, values, textFrom),
          signal,
          reading,
          textFrom,
          meter,
        );
        for (const e of found) text.notes?.push(textAfterNumbersNote(path, e, values.get(e)));
        return table;
      } catch (err) {
        if (!(err instanceof TextAfterNumbers) || found.some((e) => e.column === err.column))
          throw err;
        found.push(err);
        meter.again(readAgainReason(err));
      }
    }
  }
  return concatBatches(path, parts, signal, reading);
}

/**
 * A delimited text file's typed batches (compute/io `readDelimited` types the columns from the
 * first batch); a row that cannot be split, or a ra or dec cell (a z or z_err one but in
 * `text.lenient`) that does not fit its column's type, stops the run with its line number; text
 * after numbers in another column is text from there on (readDelimited's `textAfterIntegers`:
 * `textFrom` and `asText` get it) or throws TextAfterNumbers (`readSpeczTable` reads the file
 * again with the `asText` columns as text); `values` gets the text of each line that made it.
 */
async function* delimitedTables(
  path: string,
  batchRows: number | undefined,
  text: SpeczTextColumns,
  asText: TextAfterNumbers[],
  values: Map<TextAfterNumbers, string>,
  textFrom: string[],
): AsyncGenerator<FilePart> {
  const textColumns = asText.map((e) => e.column);
  let rowsBefore = 0;
  text.unparsed?.clear();
  text.rowNames?.clear();
  // (only when the numeric columns are known: none is read as text otherwise)
  const { numeric } = text;
  const isTextable = (column: string) => !!numeric && !numeric.includes(column);
  const textAfterIntegers = numeric ? isTextable : undefined;
  for await (const batch of readDelimited(path, { batchRows, textColumns, textAfterIntegers })) {
    if (batch.rejected.length > 0) {
      const r = batch.rejected[0];
      throw new UserError(`${path}: line ${r.line}: ${r.reason}; fix the file and try again`);
    }
    const textable = batch.table.schema.fields.map((f) => f.name).filter(isTextable);
    checkTextAfterNumbers(batch, textable, text.id);
    // integer ids, then text: the integers read so far become text (concatBatches), the file is
    // not read again
    for (const [column, line] of Object.entries(batch.textFrom ?? {})) {
      const e = new TextAfterNumbers(column, line, column === text.id);
      asText.push(e);
      textFrom.push(column);
    }
    for (const e of asText) {
      const value = textAtLine(batch, e.column, e.line);
      if (value !== undefined) values.set(e, value);
    }
    for (const [column, bad] of Object.entries(batch.unparsed ?? {})) {
      if (text.lenient?.includes(column)) {
        let rows = text.unparsed?.get(column);
        for (let i = bad.indexOf(1); i >= 0; i = bad.indexOf(1, i + 1)) {
          if (!rows) text.unparsed?.set(column, (rows = []));
          rows?.push(rowsBefore + i + 1);
        }
        continue;
      }
      const row = bad.indexOf(1);
      if (row >= 0) {
        throw new UserError(
          `${path}: line ${batch.lines[row]} has no valid ${column}: it is not a number, where the column's first rows are numbers; fix or remove it`,
        );
      }
    }
    rowsBefore += batch.table.numRows;
    text.rowNames?.addLines(batch.lines);
    yield { table: batch.table, fraction: batch.fraction };
  }
}

/** A pixel's NESTED uniq number, 4^(order+1) + pixel: one number per (order, pixel), exact to order 24. */
const uniq = (order: number, pixel: number) => 4 ** (order + 1) + pixel;

/**
 * The pixel (among `partitions`) containing each row; a row outside every partition gets the
 * coarsest pixel holding it that contains no partition, so the spec-z pixels never overlap each
 * other (alignment needs a pixel tree) and rows outside the photometry make few pixels.
 * Pixels come from ang2pix at the deepest order needed (<= 24, exact in a double), coarser
 * orders by integer division by 4^Δorder (NESTED scheme), so no BigInt is made per row.
 * Returns the pixels in the order of their first row, and the rows of each as one index sorted by
 * pixel (`rows[starts[k], starts[k + 1])` are pixel k's, ascending): typed arrays, not an object
 * and an array entry per row.
 */
function partitionOfRows(
  raDeg: Float64Array,
  decDeg: Float64Array,
  partitions: Pixel[],
): { pixels: Pixel[]; rows: Uint32Array; starts: Int32Array } {
  const orders = [...new Set(partitions.map((p) => p.order))].sort((a, b) => a - b);
  const deepest = Math.min(24, Math.max(0, ...orders));
  const bySet = new Set(partitions.map((p) => uniq(p.order, p.pixel)));
  // every proper ancestor of a partition: a pixel there would overlap that partition
  const ancestors = new Set<number>();
  for (const p of partitions) {
    for (let o = 0; o < p.order; o++)
      ancestors.add(uniq(o, Math.floor(p.pixel / 4 ** (p.order - o))));
  }
  const pixels: Pixel[] = [];
  const indexOf = new Map<number, number>();
  const of = new Int32Array(raDeg.length);
  for (let i = 0; i < raDeg.length; i++) {
    const deep = ang2pixNestNumber(deepest, raDeg[i], decDeg[i]);
    let found = -1;
    let order = 0;
    for (const o of orders) {
      const pixel = Math.floor(deep / 4 ** (deepest - o));
      if (bySet.has(uniq(o, pixel))) {
        found = pixel;
        order = o;
        break;
      }
    }
    for (let o = 0; found < 0 && o <= deepest; o++) {
      const pixel = Math.floor(deep / 4 ** (deepest - o));
      if (!ancestors.has(uniq(o, pixel))) {
        found = pixel;
        order = o;
      }
    }
    const key = uniq(order, found);
    let k = indexOf.get(key);
    if (k === undefined) {
      k = pixels.length;
      indexOf.set(key, k);
      pixels.push({ order, pixel: found });
    }
    of[i] = k;
  }
  const starts = new Int32Array(pixels.length + 1);
  for (let i = 0; i < of.length; i++) starts[of[i] + 1]++;
  for (let k = 1; k <= pixels.length; k++) starts[k] += starts[k - 1];
  const next = starts.slice(0, pixels.length);
  const rows = new Uint32Array(of.length);
  for (let i = 0; i < of.length; i++) rows[next[of[i]]++] = i;
  return { pixels, rows, starts };
}

/**
 * The order-10 cells holding the rows, ascending, each once: the MOC lsdb gives a DataFrame
 * catalog (`from_dataframe`: `MOC.from_lonlat(max_norder=10)`), read by compute/crossmatch's
 * `loadMoc` through `moc()`.
 */
function order10Cells(raDeg: Float64Array, decDeg: Float64Array): Int32Array {
  const cells = new Int32Array(raDeg.length);
  for (let i = 0; i < raDeg.length; i++) cells[i] = ang2pixNestNumber(10, raDeg[i], decDeg[i]);
  cells.sort();
  let n = 0;
  for (let i = 0; i < cells.length; i++)
    if (i === 0 || cells[i] !== cells[i - 1]) cells[n++] = cells[i];
  return cells.slice(0, n);
}

/** A spec-z file as an in-memory PixelCatalog partitioned like `alongside` (the photometry). */
export async function speczFromFile(
  path: string,
  given: SpeczColumns,
  alongside: PixelCatalog,
  signal?: AbortSignal,
  /** Told the rows read as they come (a million rows of text take a while). */
  reading?: SpeczReading,
): Promise<SpeczSource> {
  let columns = given;
  const textNotes: string[] = [];
  // a z or z_err that is text in a later batch of a text file: kept as NaN, as in the first
  const unparsed = new Map<string, number[]>();
  // a text file's rows are named by their lines, as tsm register's report names them
  const rowNames = new SpeczRowNames();
  let table = await readSpeczTable(path, signal, reading, {
    rowNames,
    numeric: [given.ra, given.dec, given.z, given.zErr],
    id: given.id,
    notes: textNotes,
    lenient: [given.z, given.zErr],
    unparsed,
  });
  const location = path;
  const fits = FITS_EXTENSIONS.includes(extname(path).toLowerCase())
    ? await describeFitsTable(path)
    : undefined;
  const hint =
    fits &&
    fitsTablesHint(
      fits,
      'a run reads the first: register the file with tsm register --table EXTNAME and run it with --specz-id',
    );
  checkColumns({ location, schema: table.schema }, columns, hint);
  const zErrNotes = zErrTextNotes(
    path,
    table,
    columns.zErr,
    rowNames,
    columns.zErr ? unparsed.get(columns.zErr) : undefined,
  );
  table = numbersFromText(table, [columns.z, columns.zErr]);
  const raVec = table.getChild(columns.ra)!;
  const decVec = table.getChild(columns.dec)!;
  for (const [vec, name] of [
    [raVec, columns.ra],
    [decVec, columns.dec],
  ] as const) {
    if (vec.nullCount > 0) {
      let row = 0;
      while (vec.isValid(row)) row++;
      throw new UserError(
        `${path}: ${rowNames.one(row)} has no ${name} value (${vec.nullCount} empty in all); fix or remove those rows`,
      );
    }
  }
  // units as tsm register tells them (a `_rad` name, sexagesimal text, values beyond radian
  // ranges), but values that fit both are degrees, as before: tsm run has no --angle-units
  const units = detectAngleUnits(
    path,
    { name: columns.ra, vec: raVec },
    { name: columns.dec, vec: decVec },
    'deg',
  );
  const ra = toDegrees(raVec, units, true);
  const dec = toDegrees(decVec, units, false);
  for (let i = 0; i < ra.length; i++) {
    if (!Number.isFinite(ra[i]) || !Number.isFinite(dec[i]) || Math.abs(dec[i]) > 90) {
      throw new UserError(
        `${path}: ${rowNames.one(i)} has no valid position (${columns.ra}=${ra[i]}, ${columns.dec}=${dec[i]}); fix or remove it`,
      );
    }
  }
  const notes = [...textNotes, ...zErrNotes, ...fileNotes(path, table, columns, ra, dec, rowNames)];
  // what register's report says of a text file (Latin-1, a header naming a column twice)
  if (isDelimitedFile(path))
    notes.unshift(...(delimitedNotes(path, await sniffDelimited(path)) ?? []));
  if (fits) notes.unshift(...(fitsNotes(path, fits) ?? []));
  const converted = units !== 'deg' || raVec.type.typeId === Type.Utf8;
  // radians become degrees under a name without the radian suffix (ra_rad -> ra), as
  // tsm register names them, unless the file has a column of that name already
  const names = new Set(table.schema.fields.map((f) => f.name));
  const degreesName = (name: string) => {
    const bare = name.replace(/_?rad(ians?)?$/i, '');
    return units === 'rad' && bare && bare !== name && !names.has(bare) ? bare : name;
  };
  const raOut = converted ? degreesName(columns.ra) : columns.ra;
  const decOut = converted ? degreesName(columns.dec) : columns.dec;
  if (converted) {
    const renamed = raOut !== columns.ra || decOut !== columns.dec ? ` as ${raOut}/${decOut}` : '';
    notes.push(
      `${path}: ${columns.ra}/${columns.dec} were read as ${units === 'rad' ? 'radians' : units === 'sexagesimal' ? 'sexagesimal text (ra in hours)' : 'text'} and are written in degrees${renamed}`,
    );
  }
  const h29 = ang2pixNestBatch(29, ra, dec);
  const dropped = new Set([...HATS_PARTITION_COLUMNS, HEALPIX_29]);
  const vectors: Record<string, Vector> = { [HEALPIX_29]: makeVector(h29) };
  for (const f of table.schema.fields) {
    if (dropped.has(f.name)) continue;
    // the crossmatch and the output take the positions in degrees
    if (converted && f.name === columns.ra) vectors[raOut] = makeVector(ra);
    else if (converted && f.name === columns.dec) vectors[decOut] = makeVector(dec);
    else vectors[f.name] = table.getChild(f.name)!;
  }
  table = new Table(vectors);
  columns = { ...columns, ra: raOut, dec: decOut };
  const { pixels: partitions, rows, starts } = partitionOfRows(ra, dec, alongside.partitions);
  // the cells now, so the positions in degrees are not kept for them (8 bytes a row each)
  const cells = order10Cells(ra, dec);
  const indexOf = new Map(partitions.map((p, k) => [uniq(p.order, p.pixel), k]));
  const rowsOf = (pixel: Pixel): Uint32Array => {
    const k = indexOf.get(uniq(pixel.order, pixel.pixel));
    return k === undefined ? new Uint32Array(0) : rows.subarray(starts[k], starts[k + 1]);
  };
  const catalog: PixelCatalog & { moc(): Pixel[] } = {
    name: 'specz',
    location,
    raColumn: columns.ra,
    decColumn: columns.dec,
    healpixColumn: HEALPIX_29,
    healpixOrder: 29,
    schema: table.schema,
    partitions,
    readPartition: async (pixel) => gatherTable(table, rowsOf(pixel)),
    moc: () => Array.from(cells, (pixel) => ({ order: 10, pixel })),
  };
  // what reading the file left (its batches' texts and buffers) goes before the crossmatch
  // allocates: V8 would keep it until its next full collection
  collectGarbage();
  const info = {
    name: catalog.name,
    location,
    raColumn: columns.ra,
    decColumn: columns.dec,
    healpixColumn: HEALPIX_29,
    healpixOrder: 29,
  };
  return {
    catalog,
    kind: 'file',
    ...(notes.length > 0 ? { notes } : {}),
    rowsIn: table.numRows,
    columns,
    ref(spec) {
      return { info, rowsIpc: ipcBuffer(gatherTable(table, rowsOf(spec.left))) };
    },
  };
}

const isText = (type: DataType | undefined) =>
  type?.typeId === Type.Utf8 ||
  (DataType.isDictionary(type) && type.dictionary.typeId === Type.Utf8);

/**
 * A note on the rows whose z_err, stored as text, is not a number: the run keeps them with a NaN
 * z_err (it said nothing), where tsm register rejects them. `later`: the rows of a numeric z_err
 * column that held text in a later batch of a text file (NaN already).
 */
function zErrTextNotes(
  path: string,
  table: Table,
  column: string | null | undefined,
  names: SpeczRowNames,
  later: number[] = [],
): string[] {
  const vec = column ? table.getChild(column) : null;
  if (!vec) return [];
  // (0-based)
  const rows = later.slice(0, 5).map((r) => r - 1);
  let bad = later.length;
  for (let i = 0; isText(vec.type) && i < vec.length; i++) {
    const t = ((vec.get(i) as string | null) ?? '').trim();
    if (t === '' || isNumberText(t)) continue;
    bad++;
    if (rows.length < 5) rows.push(i);
  }
  if (bad === 0) return [];
  return [
    `${path}: ${bad} row${bad > 1 ? 's have' : ' has'} a z_err that is not a number in column '${column}' (${names.list(rows, bad)}); they are in the training set with z_err NaN: register the file (tsm register, or the app's Catalogs page) to leave them out`,
  ];
}

/**
 * z and z_err columns a file stores as text (a Parquet string column of numbers) as float64, as
 * tsm register stores them: the output's z is a number, whatever the file's type.
 */
function numbersFromText(table: Table, names: (string | null | undefined)[]): Table {
  const text = names.filter((n): n is string => !!n && isText(table.getChild(n)?.type));
  if (text.length === 0) return table;
  const vectors: Record<string, Vector> = {};
  for (const f of table.schema.fields) {
    const vec = table.getChild(f.name)!;
    vectors[f.name] = text.includes(f.name) ? convertText(vec, 'float64') : vec;
  }
  return new Table(vectors);
}

/** Rows the file keeps that registering it would leave out (see SpeczSource.notes). */
function fileNotes(
  path: string,
  table: Table,
  columns: SpeczColumns,
  ra: Float64Array,
  dec: Float64Array,
  names: SpeczRowNames,
): string[] {
  const notes: string[] = [];
  const z = table.getChild(columns.z);
  let zs: Float64Array | null = null;
  if (z) {
    const lines: number[] = [];
    let bad = 0;
    // a numeric column without nulls is read as its array (a million get() calls cost ~0.1 s)
    const plain = z.nullCount === 0 ? (z.toArray() as ArrayLike<unknown>) : null;
    zs = new Float64Array(z.length);
    for (let i = 0; i < z.length; i++) {
      const v = plain ? plain[i] : (z.get(i) as unknown);
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
      zs[i] = n;
      // infinite too: tsm register rejects it as not numeric
      if (!(n >= 0 && n < Infinity)) {
        bad++;
        if (lines.length < 5) lines.push(i);
      }
    }
    if (bad > 0) {
      notes.push(
        `${path}: ${bad} row${bad > 1 ? 's have' : ' has'} a redshift that is negative, infinite or no number in column '${columns.z}' (${names.list(lines, bad)}); they are in the training set as they are: register the file (tsm register, or the app's Catalogs page) to leave them out`,
      );
    }
  }
  const id = columns.id ? table.getChild(columns.id) : null;
  if (id) {
    // ids as text in typed arrays (a Set of a million ids took ~60 MB that stayed to the end)
    const seen = new IdSet();
    let repeated = 0;
    for (let i = 0; i < id.length; i++) {
      const v = id.get(i) as unknown;
      if (v === null || v === undefined) continue;
      if (!seen.add(String(v))) repeated++;
    }
    if (repeated > 0) {
      notes.push(
        `${path}: ${repeated} row${repeated > 1 ? 's repeat' : ' repeats'} an id of column '${columns.id}' used by an earlier row; the rows of one id are one spec-z object for the split and unique galaxies: register the file to keep only the first`,
      );
    }
  } else if (zs) {
    const copies = repeatedRows(ra, dec, zs);
    if (copies.length > 0) {
      const first = copies.slice(0, 5);
      notes.push(
        `${path}: ${copies.length} row${copies.length > 1 ? 's repeat' : ' repeats'} the ra, dec and z of an earlier row (${names.list(first, copies.length)}); without an id column (--id) they cannot be told apart and each counts as a spec-z`,
      );
    }
  }
  return notes;
}

/**
 * The column names `tsm register` gives the roles (compute/io/specz-validate.ts): a registered
 * catalog uses these, whatever the original file called them.
 */
export function registeredColumns(names: string[]): SpeczColumns {
  const has = (c: string) => (names.includes(c) ? c : null);
  return {
    ra: 'ra',
    dec: 'dec',
    z: 'z',
    id: has('id'),
    zFlag: has('z_flag'),
    zErr: has('z_err'),
    survey: has('survey'),
    instrumentType: has('instrument_type'),
  };
}

/**
 * A column that `tsm register` would take as the id while the run maps none (`specz.columns.id`
 * null, not declined with `--id NONE` / `specz.noIdColumn`): said, not used, as using it would
 * change the split of runs made before.
 */
function unusedIdNote(path: string, names: string[], columns: SpeczColumns): string | null {
  if (columns.id !== null) return null;
  const id = detectIdColumn(names, Object.values(columns));
  if (!id) return null;
  return `${path}: column '${id}' looks like an id (tsm register would map it), but the run maps no id column, so repeated ids are not checked and the split and unique galaxies tell spec-z apart by ra and dec: pass --id ${id} (specz.columns.id in a project file) to use it, or --id NONE (specz.noIdColumn: true) if it is not an id`;
}

/**
 * Opens the spec-z catalog: a HATS catalog or collection folder, else a file. A registered
 * catalog (`registered`) uses the canonical column names of `tsm register`.
 */
/**
 * What a registered catalog's id that is not there may have meant: the folder its name is stored
 * under (the app's catalog 'My spec-z' is catalogs/My_spec-z), else the ids there.
 */
async function registeredHint(path: string): Promise<string> {
  const id = basename(path);
  const ids = await readdir(dirname(path), { withFileTypes: true }).then(
    (entries) =>
      entries
        .filter(
          (e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.endsWith(PARTIAL_SUFFIX),
        )
        .map((e) => e.name)
        .sort(),
    () => [] as string[],
  );
  const asFolder = catalogFolderName(id);
  if (asFolder !== id && ids.includes(asFolder)) {
    return `. A catalog named '${id}' is stored as '${asFolder}', its id: --specz-id ${asFolder} (the app's catalog page shows it)`;
  }
  return ids.length > 0 ? `. The catalogs in ${dirname(path)}: ${ids.join(', ')}` : '';
}

export async function openSpecz(
  path: string,
  wanted: SpeczColumns,
  alongside: PixelCatalog,
  registered = false,
  /** How a HATS location is opened (run-plan.ts: through the run's session). */
  opener: (location: string) => string | ByteStore = (location) => location,
  /**
   * The user said the catalog has no id column (`specz.noIdColumn`, `--id NONE`): no note of one
   * that looks like it.
   */
  idDeclined = false,
  /** The run's cancel, answered while a spec-z file is read. */
  signal?: AbortSignal,
  /** Told the rows of a spec-z file read as they come. */
  reading?: SpeczReading,
): Promise<SpeczSource> {
  if (
    registered &&
    !(await stat(path).then(
      () => true,
      () => false,
    ))
  ) {
    throw new UserError(
      `${path}: no registered spec-z catalog there (deleted, or another data folder?): register the file again (the app's Catalogs page, or tsm register <file> --name <id> with the same --data-dir), or choose another spec-z catalog${await registeredHint(path)}`,
    );
  }
  // a URL is a HATS catalog or collection (spec-z files are read from this computer)
  const idNote = (source: SpeczSource): SpeczSource => {
    const names = source.catalog.schema.fields.map((f) => f.name);
    const note = registered || idDeclined ? null : unusedIdNote(path, names, source.columns);
    return note ? { ...source, notes: [...(source.notes ?? []), note] } : source;
  };
  if (!isRemoteLocation(path) && !(await isDirectory(path))) {
    return idNote(await speczFromFile(path, wanted, alongside, signal, reading));
  }
  const opened = await openHats(opener(path));
  const catalog = opened.kind === 'collection' ? opened.main : opened;
  const columns = registered ? registeredColumns(catalog.schema.fields.map((f) => f.name)) : wanted;
  checkColumns(catalog, columns);
  const rowsIn = catalog.properties.totalRows ?? NaN;
  return idNote({
    catalog,
    kind: 'hats',
    rowsIn,
    columns,
    ref: () => ({ location: catalog.location }),
  });
}

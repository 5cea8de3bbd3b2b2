import type { Table } from 'apache-arrow';
import { hdf5ErrorReason, loadH5wasm, type H5wasm } from '../../compute/io/h5wasm';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '../../compute/errors';
import { openHats } from '../../compute/hats';
import { readDelimitedColumns } from '../../compute/io/delimited-columns';
import { readDelimited } from '../../compute/io/delimited-reader';
import { indexDelimitedRows, type DelimitedRowIndex } from '../../compute/io/delimited-rows';
import { sniffDelimited, type DelimitedLayout } from '../../compute/io/delimited-sniff';
import { readFitsHdus, readFitsTable } from '../../compute/io/fits-reader';
import { listHdf5Tables, readHdf5Table } from '../../compute/io/hdf5-reader';
import { streamParquetFile } from '../../compute/io/parquet-file';
import {
  readParquetFields,
  readParquetRowCount,
  readParquetRows,
} from '../../compute/io/parquet-reader';

/** Formats the results page can read back, by output format or file extension. */
type Readable = 'parquet' | 'fits' | 'hdf5' | 'hats' | 'csv';

function formatOf(path: string): Readable | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq' || ext === '.parq') return 'parquet';
  if (ext === '.fits' || ext === '.fit') return 'fits';
  if (ext === '.hdf5' || ext === '.h5' || ext === '.hf5') return 'hdf5';
  if (ext === '.hats' || ext === '') return 'hats';
  if (ext === '.csv') return 'csv';
  return null;
}

function notReadable(path: string): UserError {
  return new UserError(
    `${path}: reading ${extname(path) || 'this format'} files back is not supported; open the file in another tool.`,
  );
}

/**
 * Streams a table file or HATS catalog as Arrow tables, through compute/io's readers (and
 * compute/hats for HATS), so memory stays bounded by one batch; with `columns`, those only
 * (the others are not read, or not decoded where they share the rows' bytes: CSV, FITS, HDF5).
 */
export async function* readTableBatches(path: string, columns?: string[]): AsyncGenerator<Table> {
  const format = formatOf(path);
  switch (format) {
    case 'parquet':
      yield* streamParquetFile(path, { columns, batchRows: 65_536 });
      return;
    case 'fits':
      yield* readFitsTable(path, { batchRows: 65_536, columns });
      return;
    case 'hdf5':
      yield* readHdf5Table(path, { batchRows: 65_536, columns });
      return;
    case 'hats': {
      const catalog = await openOutputHats(path);
      for (const pixel of catalog.partitions) {
        yield await catalog.readPartition(pixel, columns ? { columns } : undefined);
      }
      return;
    }
    case 'csv':
      // compute/io types the columns from the first batch (numbers, booleans, text); with
      // `columns`, the other fields are skipped, not parsed
      if (columns) yield* readDelimitedColumns(path, columns, { batchRows: 65_536 });
      else for await (const batch of readDelimited(path, { batchRows: 65_536 })) yield batch.table;
      return;
    default:
      throw notReadable(path);
  }
}

/** The header cards of the first binary table (FITS Standard 4.0 §7.3); null: none. */
async function fitsTableCards(path: string): Promise<Map<string, string> | null> {
  const handle = await open(path, 'r');
  try {
    const hdus = await readFitsHdus(handle, (await handle.stat()).size, path);
    return hdus.find((h) => h.cards.get('XTENSION') === 'BINTABLE')?.cards ?? null;
  } finally {
    await handle.close();
  }
}

/** TTYPEn of the first binary table, as readFitsTable reads it. */
async function fitsColumns(path: string): Promise<string[]> {
  const cards = await fitsTableCards(path);
  const n = Number(cards?.get('TFIELDS') ?? 0);
  return Array.from({ length: n }, (_, k) => cards?.get(`TTYPE${k + 1}`) ?? `col${k + 1}`);
}

/** The file's one compound dataset (the writer's table), given to `use` while the file is open. */
async function withHdf5Table<T>(
  path: string,
  use: (ds: InstanceType<H5wasm['h5']['Dataset']> | null) => T,
): Promise<T> {
  const { h5 } = await loadH5wasm();
  let file: InstanceType<H5wasm['h5']['File']>;
  try {
    file = new h5.File(path, 'r');
  } catch (err) {
    throw new UserError(
      `${path}: not a readable HDF5 file (${hdf5ErrorReason(err)}); run it again`,
    );
  }
  try {
    const [table] = listHdf5Tables(file).filter((t) => t.kind === 'compound');
    return use(table ? (file.get(table.path) as InstanceType<H5wasm['h5']['Dataset']>) : null);
  } finally {
    file.close();
  }
}

/** Member names of the file's one compound dataset, from its datatype. */
const hdf5Columns = (path: string): Promise<string[]> =>
  withHdf5Table(path, (ds) => (ds?.metadata.compound_type?.members ?? []).map((m) => m.name));

/** The output as a HATS catalog (a collection's main catalog). */
async function openOutputHats(path: string) {
  const opened = await openHats(path);
  return opened.kind === 'collection' ? opened.main : opened;
}

/**
 * The column names of an output file or HATS catalog without reading any row: the Parquet footer,
 * the CSV header, the FITS table header, the HDF5 compound type, HATS `_common_metadata`. For
 * outputs with no rows, where {@link readTableBatches} yields no batch to take them from.
 */
export async function readOutputColumns(path: string): Promise<string[]> {
  switch (formatOf(path)) {
    case 'parquet':
      return (await readParquetFields(path)).map((f) => f.name);
    case 'csv':
      return (await sniffDelimited(path)).columns;
    case 'fits':
      return fitsColumns(path);
    case 'hdf5':
      return hdf5Columns(path);
    case 'hats':
      return (await openOutputHats(path)).schema.fields.map((f) => f.name);
    default:
      return [];
  }
}

/** A CSV output's layout and row index, kept for the few files paged through lately. */
const csvIndexes = new Map<
  string,
  Promise<{ layout: DelimitedLayout; index: DelimitedRowIndex }>
>();
const CSV_INDEXES_KEPT = 8;

/**
 * Where the rows of a CSV output start (one scan of its bytes, kept while the file is unchanged):
 * a page far into a million-row CSV is then parsed from near its first row.
 */
async function csvRowIndex(path: string) {
  const { size, mtimeMs } = await stat(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  let cached = csvIndexes.get(key);
  if (!cached) {
    cached = (async () => {
      const layout = await sniffDelimited(path);
      return { layout, index: await indexDelimitedRows(path, layout) };
    })();
    cached.catch(() => csvIndexes.delete(key));
    csvIndexes.set(key, cached);
    if (csvIndexes.size > CSV_INDEXES_KEPT) csvIndexes.delete(csvIndexes.keys().next().value!);
  }
  return cached;
}

/**
 * The rows of an output without reading them: the Parquet footer, the FITS table's NAXIS2 (FITS
 * Standard 4.0 §7.3.1), the HDF5 table's shape, the HATS leaf files' footers, a scan of a CSV file's line ends.
 */
export async function readOutputRowCount(path: string): Promise<number> {
  switch (formatOf(path)) {
    case 'parquet':
      return readParquetRowCount(path);
    case 'fits':
      return Number((await fitsTableCards(path))?.get('NAXIS2') ?? 0);
    case 'hdf5':
      return withHdf5Table(path, (ds) => ds?.shape?.[0] ?? 0);
    case 'hats': {
      const catalog = await openOutputHats(path);
      let rows = 0;
      for (const pixel of catalog.partitions) rows += await catalog.partitionRowCount(pixel);
      return rows;
    }
    case 'csv':
      return (await csvRowIndex(path)).index.rows;
    default:
      throw notReadable(path);
  }
}

/**
 * The rows [start, end) of an output, reading only what holds them (bounded memory, and a page
 * near the end of a large output costs what the first page costs): the Parquet row groups, FITS
 * and HDF5 rows, and HATS partitions they fall in; a CSV file from the indexed row before them.
 */
export async function* readOutputRows(
  path: string,
  start: number,
  end: number,
): AsyncGenerator<Table> {
  if (end <= start) return;
  switch (formatOf(path)) {
    case 'parquet':
      yield* readParquetRows(path, start, end);
      return;
    case 'fits':
      yield* readFitsTable(path, { startRow: start, endRow: end });
      return;
    case 'hdf5':
      yield* readHdf5Table(path, { startRow: start, endRow: end });
      return;
    case 'hats': {
      const catalog = await openOutputHats(path);
      let first = 0; // the catalog's row number of the partition's first row
      for (const pixel of catalog.partitions) {
        const rows = await catalog.partitionRowCount(pixel);
        const from = Math.max(start, first);
        const to = Math.min(end, first + rows);
        if (from < to) {
          const wanted = Uint32Array.from({ length: to - from }, (_, i) => from - first + i);
          yield* catalog.streamPartition(pixel, { rows: wanted });
        }
        first += rows;
        if (first >= end) return;
      }
      return;
    }
    case 'csv': {
      const { layout, index } = await csvRowIndex(path);
      const k = Math.floor(start / index.every);
      if (k >= index.starts.length) return;
      let skip = start - k * index.every;
      let left = end - start;
      const batchRows = skip + left;
      for await (const batch of readDelimited(path, {
        layout,
        startByte: index.starts[k],
        batchRows,
      })) {
        const table = batch.table.slice(skip, skip + left);
        skip = Math.max(0, skip - batch.table.numRows);
        left -= table.numRows;
        if (table.numRows > 0) yield table;
        if (left <= 0) return;
      }
      return;
    }
    default:
      throw notReadable(path);
  }
}

import type { Table } from 'apache-arrow';
import { hdf5ErrorReason, loadH5wasm, type H5wasm } from '../../compute/io/h5wasm';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '../../compute/errors';
import { openHats } from '../../compute/hats';
import { readDelimited } from '../../compute/io/delimited-reader';
import { sniffDelimited } from '../../compute/io/delimited-sniff';
import { readFitsHdus, readFitsTable } from '../../compute/io/fits-reader';
import { listHdf5Tables, readHdf5Table } from '../../compute/io/hdf5-reader';
import { streamParquetFile } from '../../compute/io/parquet-file';
import { readParquetFields, readParquetRowCount } from '../../compute/io/parquet-reader';

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

/**
 * Streams a table file or HATS catalog as Arrow tables, through compute/io's readers (and
 * compute/hats for HATS), so memory stays bounded by one batch.
 */
export async function* readTableBatches(path: string, columns?: string[]): AsyncGenerator<Table> {
  const format = formatOf(path);
  switch (format) {
    case 'parquet':
      yield* streamParquetFile(path, { columns, batchRows: 65_536 });
      return;
    case 'fits':
      yield* readFitsTable(path, { batchRows: 65_536 });
      return;
    case 'hdf5':
      yield* readHdf5Table(path, { batchRows: 65_536 });
      return;
    case 'hats': {
      const opened = await openHats(path);
      const catalog = opened.kind === 'collection' ? opened.main : opened;
      for (const pixel of catalog.partitions) {
        yield await catalog.readPartition(pixel, columns ? { columns } : undefined);
      }
      return;
    }
    case 'csv':
      // compute/io types the columns from the first batch (numbers, booleans, text).
      for await (const batch of readDelimited(path, { batchRows: 65_536 })) yield batch.table;
      return;
    default:
      throw new UserError(
        `${path}: reading ${extname(path) || 'this format'} files back is not supported; open the file in another tool.`,
      );
  }
}

/** TTYPEn of the first binary table (FITS Standard 4.0 §7.3), as readFitsTable reads it. */
async function fitsColumns(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const hdus = await readFitsHdus(handle, (await handle.stat()).size, path);
    const table = hdus.find((h) => h.cards.get('XTENSION') === 'BINTABLE');
    if (!table) return [];
    const n = Number(table.cards.get('TFIELDS') ?? 0);
    return Array.from({ length: n }, (_, k) => table.cards.get(`TTYPE${k + 1}`) ?? `col${k + 1}`);
  } finally {
    await handle.close();
  }
}

/** Member names of the file's one compound dataset (the writer's table), from its datatype. */
async function hdf5Columns(path: string): Promise<string[]> {
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
    if (!table) return [];
    const ds = file.get(table.path) as InstanceType<H5wasm['h5']['Dataset']>;
    return (ds.metadata.compound_type?.members ?? []).map((m) => m.name);
  } finally {
    file.close();
  }
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
    case 'hats': {
      const opened = await openHats(path);
      const catalog = opened.kind === 'collection' ? opened.main : opened;
      return catalog.schema.fields.map((f) => f.name);
    }
    default:
      return [];
  }
}

/**
 * The rows of an output from its metadata, where the format keeps them without reading the rows
 * (the Parquet footer); null for the others, whose rows must be counted.
 */
export async function readOutputRowCount(path: string): Promise<number | null> {
  return formatOf(path) === 'parquet' ? readParquetRowCount(path) : null;
}

import type { Table } from 'apache-arrow';
import { extname } from 'node:path';
import { UserError } from '../../compute/errors';
import { openHats } from '../../compute/hats';
import { readDelimited } from '../../compute/io/delimited-reader';
import { readFitsTable } from '../../compute/io/fits-reader';
import { readHdf5Table } from '../../compute/io/hdf5-reader';
import { streamParquetFile } from '../../compute/io/parquet-file';

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

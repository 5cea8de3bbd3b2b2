import { UserError } from '../errors';
import { createCsvWriter } from './csv-writer';
import { createFitsWriter } from './fits-writer';
import { createHatsTableWriter } from './hats-table-writer';
import { createHdf5Writer } from './hdf5-writer';
import { createParquetWriter } from './parquet-writer';
import {
  OUTPUT_FORMATS,
  type OutputFormat,
  type TableWriter,
  type TableWriterOptions,
} from './table-writer';

/** File name extension of each output format (HATS is a folder). */
export const OUTPUT_EXTENSIONS: Record<OutputFormat, string> = {
  parquet: '.parquet',
  csv: '.csv',
  fits: '.fits',
  hdf5: '.hdf5',
  hats: '.hats',
};

/**
 * A streaming, atomic writer for one output format; see {@link TableWriter}. Call `abort()` when
 * the run fails or is cancelled: it removes `<outPath>.partial` and any temporary files.
 */
export function createTableWriter(
  format: OutputFormat,
  outPath: string,
  options: TableWriterOptions = {},
): TableWriter {
  switch (format) {
    case 'parquet':
      return createParquetWriter(outPath, options);
    case 'csv':
      return createCsvWriter(outPath, options);
    case 'fits':
      return createFitsWriter(outPath, options);
    case 'hdf5':
      return createHdf5Writer(outPath, options);
    case 'hats':
      return createHatsTableWriter(outPath, options);
    default:
      throw new UserError(
        `unknown output format '${String(format)}'; use one of ${OUTPUT_FORMATS.join(', ')}`,
      );
  }
}

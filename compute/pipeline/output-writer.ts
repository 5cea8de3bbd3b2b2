/**
 * Writes the training-set rows to the chosen format with compute/io's streaming writers
 * (everything under `<path>.partial`, renamed at the end; removed on failure or cancel).
 * File names follow the original (tsm-domain.md §5): `<name>.parquet|csv|fits|hdf5`, and for
 * HATS a collection folder `<name>.hats` with catalog `catalog` and margin `margin_5arcs` (5").
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { partialPath } from '../io/atomic';
import { createCsvWriter } from '../io/csv-writer';
import { createFitsWriter } from '../io/fits-writer';
import { createHdf5Writer } from '../io/hdf5-writer';
import { writeHatsCatalog } from '../io/hats-writer';
import { createParquetWriter } from '../io/parquet-writer';
import type { TableWriter, TableWriterOptions } from '../io/table-writer';
import type { OutputFormat } from './project-schema';

const EXTENSIONS: Record<OutputFormat, string> = {
  parquet: '.parquet',
  csv: '.csv',
  fits: '.fits',
  hdf5: '.hdf5',
  hats: '.hats',
};

/** HATS output margin width, as the original TSM (`margin_5arcs`). */
export const HATS_MARGIN_ARCSEC = 5;

/** The output path for a sanitized training-set name. */
export function outputPath(folder: string, safeName: string, format: OutputFormat): string {
  return join(folder, `${safeName}${EXTENSIONS[format]}`);
}

export interface WrittenOutput {
  path: string;
  rows: number;
  bytes: number;
}

async function folderBytes(path: string): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  let total = 0;
  for (const e of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}

function tableWriter(
  format: Exclude<OutputFormat, 'hats'>,
  path: string,
  options: TableWriterOptions,
): TableWriter {
  switch (format) {
    case 'parquet':
      return createParquetWriter(path, options);
    case 'csv':
      return createCsvWriter(path, options);
    case 'fits':
      return createFitsWriter(path, options);
    case 'hdf5':
      return createHdf5Writer(path, options);
  }
}

export interface WriteOutputOptions {
  format: OutputFormat;
  path: string;
  /** Run parameters for the file's own metadata (Parquet key-values, FITS cards, ...). */
  metadata: Record<string, string>;
  /** Parquet: columns stored without compression (the run's is_training_set, run.ts says why). */
  uncompressedColumns?: readonly string[];
  /** Spec-z position columns of the output (HATS partitioning). */
  raColumn: string;
  decColumn: string;
  /**
   * Units per output column, where the format carries them (FITS TUNIT, HDF5 attributes, the
   * Arrow field metadata of Parquet and HATS files; output-units.ts).
   */
  units?: Record<string, string>;
  /** Leave the complete `<path>.partial` for the caller to rename (run-commit.ts). */
  deferCommit?: boolean;
  signal?: AbortSignal;
}

/**
 * Streams `batches` into the output. A failure or cancel removes the partial output and rethrows.
 */
export async function writeOutput(
  batches: AsyncIterable<Table>,
  options: WriteOutputOptions,
): Promise<WrittenOutput> {
  const { format, path, signal } = options;
  if (format === 'hats') {
    const result = await writeHatsCatalog(path, batches, {
      name: 'catalog',
      // lsdb names the catalog by this: the training set's name, not its folder's
      title: basename(path).replace(/\.hats$/, ''),
      raColumn: options.raColumn,
      decColumn: options.decColumn,
      margin: { thresholdArcsec: HATS_MARGIN_ARCSEC, name: `margin_${HATS_MARGIN_ARCSEC}arcs` },
      properties: Object.fromEntries(
        Object.entries(options.metadata).map(([k, v]) => [`tsm_${k}`, v]),
      ),
      units: options.units,
      deferCommit: options.deferCommit,
      // the run made its output folder: removed during the run, it is not made again
      inExistingFolder: true,
      signal,
    });
    const written = options.deferCommit ? partialPath(result.path) : result.path;
    return { path: result.path, rows: result.rows, bytes: await folderBytes(written) };
  }
  const writer = tableWriter(format, path, {
    metadata: options.metadata,
    uncompressedColumns: options.uncompressedColumns,
    units: options.units,
    deferCommit: options.deferCommit,
    signal,
  });
  try {
    for await (const batch of batches) await writer.write(batch);
    const result = await writer.close();
    return { path: result.path, rows: result.rows, bytes: result.bytes };
  } catch (err) {
    await writer.abort().catch(() => undefined);
    throw err;
  }
}

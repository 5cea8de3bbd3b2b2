import type { Schema, Table } from 'apache-arrow';

/** Output formats of a training set. */
export const OUTPUT_FORMATS = ['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Options common to every table writer. */
export interface TableWriterOptions {
  /** Expected schema; batches with other columns are refused. Default: the first batch's. */
  schema?: Schema;
  /** The run's parameters: Parquet footer key-values, FITS HIERARCH cards, HDF5 attributes and astropy meta, HATS properties (`tsm_` keys). Ignored by CSV (see config.yml). */
  metadata?: Record<string, string>;
  /** Units per column (FITS TUNIT, astropy meta); a field's `unit` metadata also counts. */
  units?: Record<string, string>;
  /** Parquet and HATS rows per row group / partition sizing. */
  rowGroupRows?: number;
  /** Parquet: columns stored without compression (parquet-encode.ts EncodeOptions). */
  uncompressedColumns?: readonly string[];
  /** HATS only: position columns, partition size, margin. */
  hats?: {
    raColumn?: string;
    decColumn?: string;
    partitionRows?: number;
    marginThresholdArcsec?: number;
    name?: string;
  };
  /** `close()` leaves the complete `<path>.partial` for the caller to rename (commitPartial). */
  deferCommit?: boolean;
  signal?: AbortSignal;
}

export interface WriteResult {
  path: string;
  rows: number;
  /** Size on disk (for HATS: the whole folder). */
  bytes: number;
}

/**
 * A streaming writer: batches are written in the order given, memory stays bounded, bytes go to
 * `<path>.partial`, and `close()` renames it to `path`. `abort()` removes the partial output; a
 * writer that failed has already removed it.
 */
export interface TableWriter {
  write(batch: Table): Promise<void>;
  close(): Promise<WriteResult>;
  abort(): Promise<void>;
}

/** Column types a writer cannot store are refused with the column name. */
export function describeColumns(schema: Schema): string {
  return schema.fields.map((f) => `${f.name} (${f.type})`).join(', ');
}

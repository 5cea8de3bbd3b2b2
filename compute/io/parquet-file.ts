import { DataType, Table, tableToIPC } from 'apache-arrow';
import { encodeParquetFile, parquetSchemaFor } from './parquet-encode';
import { parquetWasm, type ParquetWasm } from './parquet-wasm';

/** Options of the Parquet writers. */
export interface ParquetWriteOptions {
  /** Rows per row group (default 100 000: a few MB per column chunk, what readers like). */
  rowGroupRows?: number;
  /** Key-value metadata of the file footer (beside ARROW:schema). */
  metadata?: Record<string, string>;
}

/**
 * parquet-wasm writer properties: snappy, column statistics per column chunk (pyarrow's default;
 * per page they cost a 950k-row training set 0.65 s of its 2.6 s encode), row groups of
 * `rowGroupRows`, and dictionary encoding off for float columns (random floats do not repeat; a
 * dictionary page per row group bloats them by ~40%, shared/reference/js-libs.md §1) and for
 * 64-bit integers (object ids and spatial indices, all distinct: building the dictionary until
 * it overflows cost a 95k-row training set 21% of its write time and saved no bytes).
 */
export function parquetWriterProperties(
  table: Table | { schema: Table['schema'] },
  options: ParquetWriteOptions = {},
): ParquetWasm.WriterProperties {
  const pq = parquetWasm();
  let builder = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.SNAPPY)
    .setStatisticsEnabled(pq.EnabledStatistics.Chunk)
    .setMaxRowGroupSize(options.rowGroupRows ?? 100_000)
    .setCreatedBy('training-set-maker (parquet-wasm)');
  for (const field of table.schema.fields) {
    const isInt64 = DataType.isInt(field.type) && field.type.bitWidth === 64;
    if (DataType.isFloat(field.type) || isInt64) {
      builder = builder.setColumnDictionaryEnabled(field.name, false);
    }
  }
  const metadata = options.metadata ?? {};
  if (Object.keys(metadata).length > 0) {
    builder = builder.setKeyValueMetadata(new Map(Object.entries(metadata)));
  }
  return builder.build();
}

/**
 * Serialises a whole (small) Arrow table to Parquet bytes (HATS leaves, `_common_metadata`):
 * flat columns with parquet-encode.ts, other types and tables of no row with parquet-wasm.
 */
export function tableToParquetBytes(table: Table, options: ParquetWriteOptions = {}): Uint8Array {
  if (table.numRows > 0 && parquetSchemaFor(table.schema)) return encodeParquetFile(table, options);
  const pq = parquetWasm();
  const wasmTable = pq.Table.fromIPCStream(tableToIPC(table, 'stream'));
  return pq.writeParquet(wasmTable, parquetWriterProperties(table, options));
}

// Reading is done with hyparquet (parquet-reader.ts): parquet-wasm aborts the process on some
// corrupt files, so it only writes here.
export { readParquetFile, streamParquetFile } from './parquet-reader';

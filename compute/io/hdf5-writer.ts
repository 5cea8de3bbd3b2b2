import type { Table } from 'apache-arrow';
import { conciseHdf5Error, loadH5wasm, type H5wasm } from './h5wasm';
import { createFixedWidthWriter } from './fixed-width-writer';
import { astropyMetaLines, hdf5ColumnData, hdf5Members, needsMask, unitsOf } from './hdf5-layout';
import { hasStringColumns } from './string-width-spill';
import { dtypeBytes, packCompoundRows, writePackedRows } from './hdf5-rows';
import type { TableWriter, TableWriterOptions } from './table-writer';

/** Name of the table dataset in our HDF5 files (tables_io's and pandas' usual key). */
export const HDF5_DATASET = 'data';

type H5File = InstanceType<H5wasm['h5']['File']>;
type H5Dataset = ReturnType<H5File['create_dataset']>;

/**
 * Streaming HDF5 writer on h5wasm (shared/reference/js-libs.md §4): ONE compound dataset `data`
 * (what astropy `Table.read(path='data')`, `pandas.read_hdf(key='data')` and h5py read), created
 * with an unlimited first dimension and grown batch by batch with `resize` + `write_slice`;
 * `data.__table_column_meta__` carries astropy's column datatypes, units and the run's parameters
 * (also written as attributes of the dataset). Strings are fixed-length `S<n>`, so with string
 * columns the batches go to a temporary Arrow file first to learn the longest value.
 */
export function createHdf5Writer(path: string, options: TableWriterOptions = {}): TableWriter {
  const metadata = options.metadata ?? {};
  return createFixedWidthWriter(
    path,
    options,
    (partial, schema, layout) => {
      const members = hdf5Members(schema, layout);
      let file: H5File | undefined;
      let dataset: H5Dataset | undefined;
      let written = 0;
      return conciseErrors({
        async start(): Promise<void> {
          const { h5 } = await loadH5wasm();
          const rowBytes = members.reduce((sum, m) => sum + dtypeBytes(m.dtype), 0);
          // ~1 MB chunks; a small table's one chunk no larger than it (a 54-row file took 1 MB)
          const chunkRows = Math.min(
            Math.max(1024, Math.floor((1 << 20) / Math.max(1, rowBytes))),
            Math.max(1, layout.rows ?? Infinity),
          );
          file = new h5.File(partial, 'w');
          const empty = new Map<string, unknown>(members.map((m) => [m.name, []]));
          dataset = file.create_dataset({
            name: HDF5_DATASET,
            data: empty as Map<string, never>,
            shape: [0],
            maxshape: [null],
            chunks: [chunkRows],
            dtype: members.map((m) => [m.name, m.dtype]),
          });
        },
        async append(batch: Table): Promise<void> {
          const n = batch.numRows;
          dataset!.resize([written + n]);
          const ds = dataset as unknown as { file_id: bigint; path: string };
          if (!writePackedRows(ds.file_id, ds.path, written, n, packCompoundRows(members, batch))) {
            const data = new Map<string, unknown>();
            for (const m of members) {
              data.set(m.name, hdf5ColumnData(m, batch.getChild(m.maskOf ?? m.name)!));
            }
            dataset!.write_slice([[written, written + n]], data as Map<string, never>);
          }
          written += n;
        },
        async finish(): Promise<void> {
          const lines = astropyMetaLines(members, unitsOf(schema, options.units), metadata);
          const width = Math.max(1, ...lines.map((l) => new TextEncoder().encode(l).length));
          file!.create_dataset({
            name: `${HDF5_DATASET}.__table_column_meta__`,
            data: lines,
            dtype: `S${width}`,
          });
          for (const [k, v] of Object.entries(metadata)) dataset!.create_attribute(k, v);
          const bools = members.filter((m) => m.isBool).map((m) => m.name);
          if (bools.length > 0) dataset!.create_attribute('tsm_bool_columns', bools.join(','));
          file!.close();
          file = undefined;
        },
        async closeQuietly(): Promise<void> {
          try {
            file?.close();
          } catch {
            // already closed or broken: the partial file is removed next
          }
          file = undefined;
        },
      });
      // the mask columns are declared before the rows: rows wait until it is known which
      // columns have nulls (and how wide the strings are)
    },
    (schema) => hasStringColumns(schema) || schema.fields.some((f) => f.nullable && needsMask(f)),
  );
}

/** The steps of a writer, their HDF5 failures as one line ("HDF5: <reason>"), not HDF5's stack. */
function conciseErrors<T extends object>(steps: T): T {
  const out = { ...steps };
  for (const [name, step] of Object.entries(steps)) {
    if (typeof step !== 'function') continue;
    (out as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await (step as (...a: unknown[]) => unknown).apply(steps, args);
      } catch (err) {
        throw conciseHdf5Error(err);
      }
    };
  }
  return out;
}

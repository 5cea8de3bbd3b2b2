import type { Schema, Table } from 'apache-arrow';
import { CancelledError } from '../errors';
import { discardPartial, finishPartialFile, partialPath } from './atomic';
import { assertSameColumns } from './schema-check';
import { hasStringColumns, StringWidthSpill } from './string-width-spill';
import type { TableWriter, TableWriterOptions, WriteResult } from './table-writer';

/** One output file of a format with fixed-width rows, written by createFixedWidthWriter. */
export interface FixedWidthFile {
  /** Creates the file and writes what comes before the rows. */
  start(): Promise<void>;
  /** Appends the rows of a batch. */
  append(batch: Table): Promise<void>;
  /** Writes what needs the row count or comes after the rows, and closes the file. */
  finish(rows: number): Promise<void>;
  /** Closes the file after a failure, ignoring errors (the partial file is removed next). */
  closeQuietly(): Promise<void>;
}

/** What the rows held back before the file is made tell about each column. */
export interface ColumnLayout {
  /** Bytes of the column's longest UTF-8 value (at least 1). */
  widthBytes(name: string): number;
  /** Whether the column has a null (only known for tables that were held back: `holdBack`). */
  hasNulls(name: string): boolean;
  /** The table's rows, when they were held back (known before the file is made). */
  rows?: number;
}

/**
 * Makes the output at `partialPath` for `schema` and the `layout` its rows have. Nothing is
 * opened before `start()`.
 */
export type MakeFixedWidthFile = (
  partialPath: string,
  schema: Schema,
  layout: ColumnLayout,
) => FixedWidthFile;

/**
 * The streaming TableWriter of a format whose string columns are fixed-width and declared before
 * the rows (FITS, HDF5): numeric tables go straight to the file; with string columns (or what
 * `holdBack` says) the batches wait in a StringWidthSpill until `close()` knows the widths. Bytes go to `<path>.partial`,
 * renamed to `path` when complete; on failure, or `abort()`, the partial output and the spill
 * are removed.
 */
export function createFixedWidthWriter(
  path: string,
  options: TableWriterOptions,
  makeFile: MakeFixedWidthFile,
  /** Whether the rows of a table wait for the layout (default: when it has string columns). */
  holdBack: (schema: Schema) => boolean = hasStringColumns,
): TableWriter {
  const partial = partialPath(path);
  const spill = new StringWidthSpill(`${partial}.tmp`);
  let schema: Schema | undefined = options.schema;
  let file: FixedWidthFile | undefined;
  let rows = 0;

  async function started(s: Schema, knownRows?: number): Promise<FixedWidthFile> {
    if (!file) {
      const f = makeFile(partial, s, {
        widthBytes: (name) => spill.widthBytes(name),
        hasNulls: (name) => spill.hasNulls(name),
        rows: knownRows,
      });
      file = f;
      await f.start();
    }
    return file;
  }

  async function cleanup(): Promise<void> {
    await file?.closeQuietly();
    file = undefined;
    await spill.remove();
    await discardPartial(path);
  }

  return {
    async write(batch: Table): Promise<void> {
      schema ??= batch.schema;
      assertSameColumns(path, schema, batch.schema);
      if (batch.numRows === 0) return;
      if (holdBack(schema)) await spill.append(schema, batch);
      else await (await started(schema)).append(batch);
      rows += batch.numRows;
    },
    async close(): Promise<WriteResult> {
      try {
        if (!schema) throw new Error(`${path}: nothing to write and no schema given`);
        // held back rows are all known now (a streamed file was made by the first write)
        const f = await started(schema, rows);
        // the held back rows can be most of the work (a million rows of FITS: seconds): a cancel
        // stops it between batches, as the batches given to write() do
        for await (const t of spill.tables()) {
          const signal = options.signal;
          if (signal?.aborted) {
            throw signal.reason instanceof Error ? signal.reason : new CancelledError();
          }
          await f.append(t);
        }
        await f.finish(rows);
        file = undefined;
        await spill.remove();
        return { path, rows, bytes: await finishPartialFile(path, options.deferCommit) };
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
    abort: cleanup,
  };
}

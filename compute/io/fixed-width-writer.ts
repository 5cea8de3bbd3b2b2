import { stat } from 'node:fs/promises';
import type { Schema, Table } from 'apache-arrow';
import { commitPartial, discardPartial, partialPath } from './atomic';
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

/**
 * Makes the output at `partialPath` for `schema`, string columns `widthBytes(name)` bytes wide.
 * Nothing is opened before `start()`.
 */
export type MakeFixedWidthFile = (
  partialPath: string,
  schema: Schema,
  widthBytes: (name: string) => number,
) => FixedWidthFile;

/**
 * The streaming TableWriter of a format whose string columns are fixed-width and declared before
 * the rows (FITS, HDF5): numeric tables go straight to the file; with string columns the batches
 * wait in a StringWidthSpill until `close()` knows the widths. Bytes go to `<path>.partial`,
 * renamed to `path` when complete; on failure, or `abort()`, the partial output and the spill
 * are removed.
 */
export function createFixedWidthWriter(
  path: string,
  options: TableWriterOptions,
  makeFile: MakeFixedWidthFile,
): TableWriter {
  const partial = partialPath(path);
  const spill = new StringWidthSpill(`${partial}.tmp`);
  let schema: Schema | undefined = options.schema;
  let file: FixedWidthFile | undefined;
  let rows = 0;

  async function started(s: Schema): Promise<FixedWidthFile> {
    if (!file) {
      const f = makeFile(partial, s, (name) => spill.widthBytes(name));
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
      if (hasStringColumns(schema)) await spill.append(schema, batch);
      else await (await started(schema)).append(batch);
      rows += batch.numRows;
    },
    async close(): Promise<WriteResult> {
      try {
        if (!schema) throw new Error(`${path}: nothing to write and no schema given`);
        const f = await started(schema);
        for await (const t of spill.tables()) await f.append(t);
        await f.finish(rows);
        file = undefined;
        await spill.remove();
        await commitPartial(path);
        return { path, rows, bytes: (await stat(path)).size };
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
    abort: cleanup,
  };
}

import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { Table, tableToIPC } from 'apache-arrow';
import { parquetWasm, type ParquetWasm } from './parquet-wasm';
import { commitPartial, discardPartial, partialPath } from './atomic';
import { parquetWriterProperties, tableToParquetBytes } from './parquet-file';
import { conformTable, nullableSchema } from './arrow-schema';
import { assertSameColumns } from './schema-check';
import type { TableWriter, TableWriterOptions, WriteResult } from './table-writer';

/**
 * Rows per row group of streamed outputs. The encoder buffers a whole row group in wasm memory,
 * which never shrinks: 100 000 rows of a ~80-column training set peaked at +160 MB, 32 768 rows
 * at +70 MB (bench, 1M x 100k), while each group stays a few MB per column set, as readers like.
 */
const STREAM_ROW_GROUP_ROWS = 32_768;

/**
 * Streaming Parquet writer on parquet-wasm's `transformParquetStream` (the route that bounds
 * memory for large outputs, shared/reference/js-libs.md §1): batches become wasm RecordBatches
 * pulled by the encoder one at a time; the encoder holds at most one row group (default 32 768
 * rows) before flushing it to `<path>.partial`.
 */
export function createParquetWriter(path: string, options: TableWriterOptions = {}): TableWriter {
  const partial = partialPath(path);
  let controller!: ReadableStreamDefaultController<ParquetWasm.RecordBatch>;
  let wakeWriter: (() => void) | undefined;
  const input = new ReadableStream<ParquetWasm.RecordBatch>(
    {
      start: (c) => {
        controller = c;
      },
      pull: () => {
        wakeWriter?.();
        wakeWriter = undefined;
      },
    },
    { highWaterMark: 1 },
  );
  let done: Promise<void> | undefined;
  let failure: unknown;
  // one all-nullable schema for every batch: parquet-wasm encodes with the first batch's schema
  // and would drop the nulls of later batches under a non-nullable field
  let schema = options.schema && nullableSchema(options.schema);
  let rows = 0;
  let finished = false;

  function start(first: Table): void {
    const props = parquetWriterProperties(first, {
      rowGroupRows: options.rowGroupRows ?? STREAM_ROW_GROUP_ROWS,
      metadata: options.metadata,
    });
    done = parquetWasm()
      .transformParquetStream(input, props)
      .then((bytes: ReadableStream<Uint8Array>) =>
        bytes.pipeTo(Writable.toWeb(createWriteStream(partial)) as WritableStream<Uint8Array>),
      );
    done.catch((err: unknown) => {
      failure = err;
      wakeWriter?.();
    });
  }

  return {
    async write(batch: Table): Promise<void> {
      if (finished) throw new Error(`${path}: write after close`);
      if (failure) throw failure;
      schema ??= nullableSchema(batch.schema);
      assertSameColumns(path, schema, batch.schema);
      if (batch.numRows === 0) return;
      const conformed = conformTable(batch, schema);
      if (!done) start(conformed);
      const wasm = parquetWasm().Table.fromIPCStream(tableToIPC(conformed, 'stream'));
      const batches = wasm.recordBatches();
      // free the wasm Table now (its batches share the buffers): left to the GC finaliser, the
      // tables of many batches pile up in the wasm heap (3.5 GB peak for 10M x 40 rows)
      wasm.free();
      for (const rb of batches) {
        while ((controller.desiredSize ?? 1) <= 0 && !failure) {
          await new Promise<void>((resolve) => (wakeWriter = resolve));
        }
        if (failure) throw failure;
        controller.enqueue(rb);
      }
      rows += batch.numRows;
      // let file writes complete before the next batch: the encoder pushes its output without
      // backpressure, so without a macrotask turn the encoded bytes pile up in memory
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async close(): Promise<WriteResult> {
      finished = true;
      if (!done) {
        if (!schema) throw new Error(`${path}: nothing to write and no schema given`);
        // no rows: write an empty file with the schema
        await writeFile(
          partial,
          tableToParquetBytes(new Table(schema), { metadata: options.metadata }),
        );
      } else {
        controller.close();
        try {
          await done;
        } catch (err) {
          await discardPartial(path);
          throw err;
        }
      }
      await commitPartial(path);
      return { path, rows, bytes: (await stat(path)).size };
    },
    async abort(): Promise<void> {
      finished = true;
      if (done) {
        controller.error(new Error('aborted'));
        await done.catch(() => undefined);
      }
      await discardPartial(path);
    },
  };
}

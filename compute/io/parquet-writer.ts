import { createWriteStream } from 'node:fs';
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { Field, Schema, Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import { parquetWasm, type ParquetWasm } from './parquet-wasm';
import { discardPartial, finishPartialFile, partialPath } from './atomic';
import { parquetWriterProperties, tableToParquetBytes } from './parquet-file';
import { conformTable, nullableSchema } from './arrow-schema';
import {
  PARQUET_MAGIC,
  ROW_GROUP_ROWS,
  encodeRowGroup,
  encodeRowGroupColumns,
  joinRowGroups,
  parquetFooter,
  parquetSchemaFor,
  placeRowGroup,
  type EncodeOptions,
  type EncodedColumnChunk,
  type RowGroup,
} from './parquet-encode';
import { assertSameColumns } from './schema-check';
import type { TableWriter, TableWriterOptions, WriteResult } from './table-writer';
import { shortWriteError } from './short-write';

/**
 * Streaming Parquet writer. Flat columns (numbers, booleans, strings: every training set) go
 * through parquet-encode.ts: batches are gathered into row groups of `rowGroupRows` rows (default
 * 65 536), each encoded and appended to `<path>.partial` in order, the footer last; memory holds
 * one row group. Other column types go through parquet-wasm (`createWasmParquetWriter`).
 */
export function createParquetWriter(path: string, options: TableWriterOptions = {}): TableWriter {
  let inner: TableWriter | undefined;
  let schema = options.schema && nullableSchema(options.schema);
  const choose = (s: Schema): TableWriter =>
    parquetSchemaFor(s)
      ? createEncodedParquetWriter(path, s, options)
      : createWasmParquetWriter(path, { ...options, schema: s });
  return {
    async write(batch: Table): Promise<void> {
      schema ??= nullableSchema(batch.schema);
      inner ??= choose(schema);
      await inner.write(batch);
    },
    async close(): Promise<WriteResult> {
      if (!schema) throw new Error(`${path}: nothing to write and no schema given`);
      inner ??= choose(schema);
      return inner.close();
    },
    async abort(): Promise<void> {
      if (inner) await inner.abort();
      else await discardPartial(path);
    },
  };
}

/**
 * A Parquet file assembled from encoded row groups, written in order to `<path>.partial`; the
 * footer is written and the file renamed to `path` by `finish`. A row group may leave room for
 * its last columns, filled later (`appendWithRoom`, `fillRoom`).
 */
export class ParquetFileWriter {
  private readonly partial: string;
  private handle: FileHandle | undefined;
  private position = 0;
  private readonly placed: RowGroup[] = [];
  private readonly encodeOptions: EncodeOptions;
  rows = 0;

  constructor(
    readonly path: string,
    options: EncodeOptions = {},
  ) {
    this.partial = partialPath(path);
    this.encodeOptions = options;
  }

  /**
   * Encodes `table` as the next row group and appends it, one column chunk at a time: memory
   * holds the rows and two encoded column chunks (one being written), not the whole encoded row
   * group and the previous one (10M x 1M: the write's peak 365-375 -> 270-336 MiB).
   */
  async append(table: Table): Promise<void> {
    await this.start();
    const start = this.position;
    const group = await this.writeColumns(encodeRowGroupColumns(table, 0, this.encodeOptions));
    this.placed.push(placeRowGroup(group, start));
    this.rows += table.numRows;
  }

  /**
   * Appends the first columns of a row group (`first`) and leaves room for the rest, whose
   * values come later (`fillRoom`, in the same order): `shape` has those columns' rows and
   * nulls, any values. They must be columns this writer stores uncompressed, so their size does
   * not depend on the values.
   */
  async appendWithRoom(first: Table, shape: Table): Promise<RowGroupRoom> {
    await this.start();
    const start = this.position;
    const group = await this.writeColumns(encodeRowGroupColumns(first, 0, this.encodeOptions));
    const offset = this.position - start;
    const rest = encodeRowGroup(shape, offset, this.encodeOptions);
    this.position += rest.byteLength;
    return { start, first: group, offset, byteLength: rest.byteLength };
  }

  /** Writes the rest of a row group appended by `appendWithRoom` into its room. */
  async fillRoom(room: RowGroupRoom, rest: Table): Promise<void> {
    const encoded = encodeRowGroup(rest, room.offset, this.encodeOptions);
    if (encoded.byteLength !== room.byteLength) {
      throw new Error(
        `${this.path}: the last columns take ${encoded.byteLength} bytes, ${room.byteLength} were left for them`,
      );
    }
    await this.writeAt(encoded.parts, encoded.byteLength, room.start + room.offset);
    this.placed.push(placeRowGroup(joinRowGroups(room.first, encoded.rowGroup), room.start));
    this.rows += rest.numRows;
  }

  private async start(): Promise<void> {
    if (this.handle) return;
    this.handle = await open(this.partial, 'w');
    await this.handle.write(PARQUET_MAGIC, 0, PARQUET_MAGIC.length, 0);
    this.position = PARQUET_MAGIC.length;
  }

  /** Writes each column chunk while the next one is encoded; returns the group's metadata. */
  private async writeColumns(columns: Generator<EncodedColumnChunk, RowGroup>): Promise<RowGroup> {
    let writing: Promise<void> = Promise.resolve();
    let next = columns.next();
    try {
      for (; !next.done; next = columns.next()) {
        await writing;
        writing = this.write(next.value.parts, next.value.byteLength);
      }
    } catch (err) {
      await writing.catch(() => undefined); // no write left running behind the error
      throw err;
    }
    await writing;
    return next.value;
  }

  private async write(parts: Uint8Array[], byteLength: number): Promise<void> {
    await this.writeAt(parts, byteLength, this.position);
    this.position += byteLength;
  }

  private async writeAt(parts: Uint8Array[], byteLength: number, position: number): Promise<void> {
    const { bytesWritten } = await this.handle!.writev(parts, position);
    if (bytesWritten !== byteLength) throw shortWriteError(this.path, bytesWritten, byteLength);
  }

  /** Writes the footer and renames the file into place; on failure removes it. */
  async finish(
    schema: Schema,
    metadata?: Record<string, string>,
    deferCommit = false,
  ): Promise<WriteResult> {
    try {
      if (!this.handle) {
        // no row at all: an empty file with the schema (parquet-encode.ts parquetFooter says why)
        await writeFile(this.partial, tableToParquetBytes(new Table(schema), { metadata }));
      } else {
        const footer = parquetFooter(schema, this.placed, metadata);
        await this.writeAt([footer], footer.length, this.position);
        await this.handle.close();
        this.handle = undefined;
      }
    } catch (err) {
      await this.abort();
      throw err;
    }
    return {
      path: this.path,
      rows: this.rows,
      bytes: await finishPartialFile(this.path, deferCommit),
    };
  }

  async abort(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await discardPartial(this.path);
  }
}

/** Where `appendWithRoom` left room for the rest of a row group. */
export interface RowGroupRoom {
  /** File position of the row group. */
  start: number;
  /** The first columns' metadata, offsets from the row group's start. */
  first: RowGroup;
  /** Where the room starts, from the row group's start, and its size. */
  offset: number;
  byteLength: number;
}

/** Record batches cut and gathered into row groups of `groupRows` rows (the last one shorter). */
export class RowGroupGatherer {
  private pending: RecordBatch[] = [];
  private pendingRows = 0;

  constructor(
    private readonly schema: Schema,
    private readonly groupRows: number,
  ) {}

  /** Adds the rows of `table` (of the gatherer's schema); returns the row groups they filled. */
  add(table: Table): Table[] {
    const full: Table[] = [];
    for (const b of table.batches) {
      let offset = 0;
      while (offset < b.numRows) {
        const take = Math.min(b.numRows - offset, this.groupRows - this.pendingRows);
        this.pending.push(offset === 0 && take === b.numRows ? b : b.slice(offset, offset + take));
        this.pendingRows += take;
        offset += take;
        if (this.pendingRows === this.groupRows) full.push(this.take());
      }
    }
    return full;
  }

  /** The rows not yet in a returned group, as the last (shorter) group; null when none. */
  rest(): Table | null {
    return this.pendingRows > 0 ? this.take() : null;
  }

  /** Drops the rows not yet in a returned group. */
  clear(): void {
    this.pending = [];
    this.pendingRows = 0;
  }

  private take(): Table {
    const rows = new Table(this.schema, this.pending);
    this.clear();
    return rows;
  }
}

/**
 * The schema with each column's unit as the field's `unit` metadata, as FITS TUNIT and HDF5
 * attributes carry them: it goes into the footer's Arrow schema, which pyarrow reads as the
 * field's metadata (Parquet's own schema has no place for it).
 */
export function withUnits(schema: Schema, units: Record<string, string> | undefined): Schema {
  if (!units || Object.keys(units).length === 0) return schema;
  const fields = schema.fields.map((f) => {
    const unit = units[f.name];
    if (unit === undefined) return f;
    return new Field(f.name, f.type, f.nullable, new Map([...f.metadata, ['unit', unit]]));
  });
  return new Schema(fields, schema.metadata);
}

function createEncodedParquetWriter(
  path: string,
  schema: Schema,
  options: TableWriterOptions,
): TableWriter {
  const groups = new RowGroupGatherer(schema, options.rowGroupRows ?? ROW_GROUP_ROWS);
  const file = new ParquetFileWriter(path, {
    uncompressed: new Set(options.uncompressedColumns ?? []),
  });
  let finished = false;

  return {
    async write(batch: Table): Promise<void> {
      if (finished) throw new Error(`${path}: write after close`);
      assertSameColumns(path, schema, batch.schema);
      if (batch.numRows === 0) return;
      for (const group of groups.add(conformTable(batch, schema))) await file.append(group);
    },
    async close(): Promise<WriteResult> {
      finished = true;
      try {
        const last = groups.rest();
        if (last) await file.append(last);
      } catch (err) {
        await file.abort();
        throw err;
      }
      return file.finish(withUnits(schema, options.units), options.metadata, options.deferCommit);
    },
    async abort(): Promise<void> {
      finished = true;
      groups.clear();
      await file.abort();
    },
  };
}

/**
 * Rows per row group of parquet-wasm's streamed outputs. Its encoder buffers a whole row group
 * in wasm memory, which never shrinks: 100 000 rows of a ~80-column training set peaked at
 * +160 MB, 32 768 rows at +70 MB (bench, 1M x 100k).
 */
const STREAM_ROW_GROUP_ROWS = 32_768;

/**
 * Streaming Parquet writer on parquet-wasm's `transformParquetStream` (the route that bounds
 * memory for large outputs, shared/reference/js-libs.md §1): batches become wasm RecordBatches
 * pulled by the encoder one at a time; the encoder holds at most one row group (default 32 768
 * rows) before flushing it to `<path>.partial`.
 */
function createWasmParquetWriter(path: string, options: TableWriterOptions = {}): TableWriter {
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
  // and would drop the nulls of later batches under a non-nullable field; with the units as
  // field metadata, which parquet-wasm keeps in the footer's Arrow schema
  const outSchema = (s: Schema) => withUnits(nullableSchema(s), options.units);
  let schema = options.schema && outSchema(options.schema);
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
      schema ??= outSchema(batch.schema);
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
      return { path, rows, bytes: await finishPartialFile(path, options.deferCommit) };
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

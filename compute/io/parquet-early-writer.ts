/**
 * A Parquet output whose leading columns are encoded while the rows still arrive and whose last
 * columns come at the end: a training set's is_training_set is known only after the decision pass
 * over every row, but its ~70 other columns are final as soon as the crossmatch gives them. Those
 * are gathered into row groups, encoded (parquet-encode.ts) and appended to `<path>.early.partial`
 * during the crossmatch; `finish` copies each group into `<path>.partial` with the late columns
 * encoded after it, then writes the footer and renames the file into place. The file is the one
 * createParquetWriter makes of the whole rows: same row groups, pages and bytes.
 *
 * Why: encoding is most of a Parquet write (Snappy, statistics), and during the crossmatch the main
 * thread mostly waits for the worker threads; after it, the write is all there is left to do.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Schema, type Table } from 'apache-arrow';
import { conformTable, nullableSchema } from './arrow-schema';
import { partialPath } from './atomic';
import { encodeRowGroupColumns, ROW_GROUP_ROWS, type RowGroup } from './parquet-encode';
import { ParquetFileWriter, RowGroupGatherer } from './parquet-writer';
import { assertSameColumns } from './schema-check';
import type { WriteResult } from './table-writer';

/** One row group of the early columns in the side file. */
interface EarlyGroup {
  /** Byte range in the side file. */
  offset: number;
  byteLength: number;
  /** Its metadata, offsets from the group's start. */
  rowGroup: RowGroup;
  /** Rows of each record batch of the group (the late columns are cut the same way). */
  batchRows: number[];
}

/** The late columns of the rows from `offset`, in record batches of `batchRows` rows. */
export type LateColumns = (offset: number, batchRows: readonly number[]) => Table;

export class EarlyParquetWriter {
  /** Rows added so far. */
  rows = 0;
  private readonly earlyPath: string;
  private readonly earlySchema: Schema;
  private readonly groups: RowGroupGatherer;
  private readonly encoded: EarlyGroup[] = [];
  private handle: FileHandle | undefined;
  private bytes = 0;

  /**
   * `schema` is the whole output's: its first fields are the early columns `add` takes, the
   * `lateColumns` last ones come at `finish`.
   */
  constructor(
    readonly path: string,
    readonly schema: Schema,
    private readonly lateColumns: number,
    options: { rowGroupRows?: number } = {},
  ) {
    this.schema = nullableSchema(schema);
    if (!(Number.isInteger(lateColumns) && lateColumns >= 1 && lateColumns < schema.fields.length))
      throw new Error(`${path}: ${lateColumns} late columns of ${schema.fields.length}`);
    this.earlyPath = partialPath(`${path}.early`);
    this.earlySchema = new Schema(this.schema.fields.slice(0, -lateColumns), this.schema.metadata);
    this.groups = new RowGroupGatherer(this.earlySchema, options.rowGroupRows ?? ROW_GROUP_ROWS);
  }

  /** Adds rows of the early columns; every full row group is encoded into the side file. */
  async add(table: Table): Promise<void> {
    assertSameColumns(this.path, this.earlySchema, table.schema);
    if (table.numRows === 0) return;
    for (const group of this.groups.add(conformTable(table, this.earlySchema))) {
      await this.encode(group);
    }
    this.rows += table.numRows;
  }

  /**
   * Encodes the rows not yet in a full row group as the last one: call after the last `add` to let
   * them go before `finish` (which does it otherwise).
   */
  async endRows(): Promise<void> {
    const last = this.groups.rest();
    if (last) await this.encode(last);
  }

  private async encode(group: Table): Promise<void> {
    this.handle ??= await open(this.earlyPath, 'w');
    const offset = this.bytes;
    const columns = encodeRowGroupColumns(group);
    let next = columns.next();
    for (; !next.done; next = columns.next()) {
      const { parts, byteLength } = next.value;
      const { bytesWritten } = await this.handle.writev(parts);
      if (bytesWritten !== byteLength) {
        throw new Error(`${this.earlyPath}: wrote ${bytesWritten} of ${byteLength} bytes`);
      }
      this.bytes += byteLength;
    }
    this.encoded.push({
      offset,
      byteLength: this.bytes - offset,
      rowGroup: next.value,
      batchRows: group.batches.map((b) => b.numRows),
    });
  }

  /**
   * Writes the output: each row group's early columns copied from the side file, `late`'s
   * columns for its rows encoded after them, the footer with `metadata`. Removes the side file;
   * on failure or abort (`signal`) removes the partial output too.
   */
  async finish(
    late: LateColumns,
    options: { metadata?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<WriteResult> {
    const file = new ParquetFileWriter(this.path);
    const lateSchema = new Schema(this.schema.fields.slice(-this.lateColumns));
    try {
      await this.endRows();
      if (this.encoded.length === 0) throw new Error(`${this.path}: no rows to write`);
      await this.handle?.close();
      this.handle = await open(this.earlyPath, 'r');
      let buffer = new Uint8Array(0);
      let row = 0;
      for (const group of this.encoded) {
        options.signal?.throwIfAborted();
        if (buffer.length < group.byteLength) buffer = new Uint8Array(group.byteLength);
        const early = buffer.subarray(0, group.byteLength);
        const { bytesRead } = await this.handle.read(early, 0, group.byteLength, group.offset);
        if (bytesRead !== group.byteLength) throw new Error(`${this.earlyPath}: truncated`);
        const rows = Number(group.rowGroup.num_rows);
        const lateRows = late(row, group.batchRows);
        assertSameColumns(this.path, lateSchema, lateRows.schema);
        if (lateRows.numRows !== rows) {
          throw new Error(`${this.path}: late columns of ${lateRows.numRows} rows for ${rows}`);
        }
        await file.appendAfterEarly(early, group.rowGroup, conformTable(lateRows, lateSchema));
        row += rows;
      }
      await this.removeSideFile();
    } catch (err) {
      await file.abort();
      await this.abort();
      throw err;
    }
    return file.finish(this.schema, options.metadata);
  }

  /** Removes the side file (and nothing else: the output is not started before `finish`). */
  async abort(): Promise<void> {
    await this.removeSideFile();
  }

  private async removeSideFile(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.earlyPath, { force: true });
  }
}

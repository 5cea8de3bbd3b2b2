/**
 * The crossmatched rows between the match pass and the write pass: an append-only file of Arrow
 * IPC streams (one per task), read back one table at a time through a file stream, so neither
 * pass holds more than one task's rows. (compute/io's ArrowSpillFile reads its file whole; this
 * one streams, which a training set of millions of rows needs.)
 */
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { RecordBatchReader, Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { conformTable, nullableSchema } from '../io/arrow-schema';

export class StreamingSpill {
  private handle: FileHandle | null = null;
  /** Rows appended so far. */
  rows = 0;
  /** Row count of each appended table, in order. */
  readonly tableRows: number[] = [];

  constructor(readonly path: string) {}

  /** Appends one table (empty tables are recorded with 0 rows and not written). */
  async append(table: Table): Promise<void> {
    this.tableRows.push(table.numRows);
    if (table.numRows === 0) return;
    this.handle ??= await open(this.path, 'w');
    await this.handle.write(tableToIPC(table, 'stream'));
    this.rows += table.numRows;
  }

  /** Appends an Arrow IPC stream produced elsewhere (a worker), without decoding it. */
  async appendIpc(ipc: Uint8Array, numRows: number): Promise<void> {
    this.tableRows.push(numRows);
    if (numRows === 0) return;
    this.handle ??= await open(this.path, 'w');
    await this.handle.write(ipc);
    this.rows += numRows;
  }

  /** Closes the file for writing; call before `tables()`. */
  async finish(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }

  /**
   * The non-empty appended tables, one at a time, in order, all under one all-nullable schema
   * (tasks' tables differ in nullability, see compute/io/arrow-schema.ts).
   */
  async *tables(): AsyncGenerator<Table> {
    if (this.rows === 0) return;
    let schema: Schema | undefined;
    for await (const reader of RecordBatchReader.readAll(createReadStream(this.path))) {
      const batches: RecordBatch[] = [];
      for await (const batch of reader) batches.push(batch);
      if (batches.length === 0) continue;
      schema ??= nullableSchema(batches[0].schema);
      yield conformTable(new Table(batches), schema);
    }
  }

  /** Closes and deletes the file. */
  async remove(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await rm(this.path, { force: true });
  }
}

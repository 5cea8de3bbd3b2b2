import { createReadStream } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { RecordBatchReader, Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { concatNullable, conformTable, nullableSchema } from './arrow-schema';

/**
 * An append-only temporary file of Arrow IPC streams (one stream per appended table), used to
 * keep memory bounded when a writer needs more than one pass over its input.
 */
export class ArrowSpillFile {
  rows = 0;
  constructor(readonly path: string) {}

  async append(table: Table): Promise<void> {
    if (table.numRows === 0) return;
    await appendFile(this.path, tableToIPC(table, 'stream'));
    this.rows += table.numRows;
  }

  /**
   * The appended tables, one at a time, in order, read from the file as a stream: memory holds
   * one appended table, never the whole file. Every table comes under one all-nullable schema
   * (appended tables may differ in nullability, see arrow-schema.ts); `prepare` is given each
   * table first (columns that changed type: integers that turned text).
   */
  async *tables(prepare?: (table: Table) => Table): AsyncGenerator<Table> {
    if (this.rows === 0) return;
    let schema: Schema | undefined;
    const input = createReadStream(this.path, { highWaterMark: 1 << 20 });
    try {
      for await (const reader of RecordBatchReader.readAll(input)) {
        const batches: RecordBatch[] = [];
        for await (const batch of reader) batches.push(batch);
        if (batches.length === 0) continue;
        const table = prepare ? prepare(new Table(batches)) : new Table(batches);
        schema ??= nullableSchema(table.schema);
        yield conformTable(table, schema);
      }
    } finally {
      input.destroy();
    }
  }

  /** Everything appended, as one table (only for pieces known to be small, like one partition). */
  async readAll(): Promise<Table | undefined> {
    const tables: Table[] = [];
    for await (const t of this.tables()) tables.push(t);
    return concatNullable(tables);
  }
}

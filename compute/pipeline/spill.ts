/**
 * The crossmatched rows between the match pass and the write pass: an append-only file of Arrow
 * IPC streams (one per task), read back one table at a time, so neither pass holds more than one
 * task's rows. (compute/io's ArrowSpillFile reads its file whole; this one reads a table at a
 * time, which a training set of millions of rows needs.)
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tableFromIPC, tableToIPC, type Schema, type Table } from 'apache-arrow';
import { conformTable, nullableSchema } from '../io/arrow-schema';
import { shortWriteError } from '../io/short-write';

/** Where one non-empty appended table is in the spill file. */
interface SpillSegment {
  offset: number;
  length: number;
}

export class StreamingSpill {
  private handle: FileHandle | null = null;
  /** Rows appended so far. */
  rows = 0;
  /** Row count of each appended table, in order. */
  readonly tableRows: number[] = [];
  /** Byte range of each non-empty appended table, in order (one Arrow IPC stream each). */
  private readonly segments: SpillSegment[] = [];
  private bytes = 0;

  constructor(readonly path: string) {}

  /** Appends one table (empty tables are recorded with 0 rows and not written). */
  async append(table: Table): Promise<void> {
    this.tableRows.push(table.numRows);
    if (table.numRows === 0) return;
    await this.write(tableToIPC(table, 'stream'), table.numRows);
  }

  private async write(ipc: Uint8Array, rows: number): Promise<void> {
    this.handle ??= await open(this.path, 'w');
    const { bytesWritten } = await this.handle.write(ipc);
    if (bytesWritten !== ipc.length) throw shortWriteError(this.path, bytesWritten, ipc.length);
    this.segments.push({ offset: this.bytes, length: ipc.length });
    this.bytes += ipc.length;
    this.rows += rows;
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
    const file = await open(this.path, 'r');
    // each table read whole into one buffer the Arrow vectors then view (no stream chunks joined
    // into copies); the next one is read while the caller works on this one
    const read = async ({ offset, length }: SpillSegment): Promise<Uint8Array> => {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await file.read(bytes, 0, length, offset);
      if (bytesRead !== length) throw new Error(`${this.path}: the spill file is truncated`);
      return bytes;
    };
    const segments = this.segments;
    let next: Promise<Uint8Array> | null = segments.length > 0 ? read(segments[0]) : null;
    try {
      for (let i = 0; i < segments.length; i++) {
        const bytes = await next!;
        next = i + 1 < segments.length ? read(segments[i + 1]) : null;
        const table = tableFromIPC(bytes);
        if (table.batches.length === 0) continue;
        schema ??= nullableSchema(table.schema);
        yield conformTable(table, schema);
      }
    } finally {
      // a read still running (the caller stopped early) ends before the file closes
      await next?.catch(() => undefined);
      await file.close();
    }
  }

  /** Closes and deletes the file. */
  async remove(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await rm(this.path, { force: true });
  }
}

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schema, Table } from 'apache-arrow';
import { ArrowSpillFile } from './arrow-spill';
import { isStringField, maxUtf8Bytes } from './fits-columns';
import { makeFolder } from './make-folder';

/** Whether `schema` has a string column, so its batches must wait for the column widths. */
export function hasStringColumns(schema: Schema): boolean {
  return schema.fields.some(isStringField);
}

/**
 * Holds back the batches of a table with string columns until the widest value of each is known,
 * for formats whose strings are fixed-width and declared before the rows (FITS `TFORMn = 'nA'`,
 * HDF5 `S<n>`). Batches go to a temporary Arrow file (ArrowSpillFile) so memory stays bounded,
 * and the longest UTF-8 byte length of every string column is kept as they pass.
 */
export class StringWidthSpill {
  private readonly widthsBytes = new Map<string, number>();
  /** Columns with a null in some batch. */
  private readonly withNulls = new Set<string>();
  private file: ArrowSpillFile | undefined;

  /** @param tmpDir folder for the spill file, created on the first append, removed by `remove`. */
  constructor(readonly tmpDir: string) {}

  /** Records the longest UTF-8 value of each string column of `schema` in `batch`, then spills it. */
  async append(schema: Schema, batch: Table): Promise<void> {
    if (!this.file) {
      await makeFolder(this.tmpDir);
      this.file = new ArrowSpillFile(join(this.tmpDir, 'rows.arrows'));
    }
    for (const f of schema.fields.filter(isStringField)) {
      const bytes = maxUtf8Bytes(batch.getChild(f.name)!);
      this.widthsBytes.set(f.name, Math.max(this.widthBytes(f.name), bytes));
    }
    for (const f of schema.fields)
      if (batch.getChild(f.name)!.nullCount > 0) this.withNulls.add(f.name);
    await this.file.append(batch);
  }

  /**
   * Width in bytes of column `name`: its longest UTF-8 value so far, and at least 1 (neither FITS
   * nor HDF5 has zero-width strings); 1 for a column never seen.
   */
  widthBytes(name: string): number {
    return this.widthsBytes.get(name) ?? 1;
  }

  /** Whether column `name` has a null in a batch appended so far. */
  hasNulls(name: string): boolean {
    return this.withNulls.has(name);
  }

  /** The spilled batches in order, one at a time (nothing when nothing was appended). */
  async *tables(): AsyncGenerator<Table> {
    if (this.file) yield* this.file.tables();
  }

  /** Deletes the temporary folder (after the output is complete, or when it is abandoned). */
  async remove(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
  }
}

/**
 * A Parquet output whose leading columns are encoded while the rows still arrive and whose last
 * columns come at the end: a training set's is_training_set is known only after the decision pass
 * over every row, but its ~70 other columns are final as soon as the crossmatch gives them. Those
 * are gathered into row groups, encoded (parquet-encode.ts) and written to `<path>.partial` during
 * the crossmatch, each followed by room for the late columns; `finish` fills the rooms, writes the
 * footer and renames the file into place. The late columns are stored uncompressed, so their size
 * is known before their values. The file is the one createParquetWriter makes of the whole rows
 * with the same columns uncompressed: same row groups, pages and bytes.
 *
 * Why: encoding is most of a Parquet write (Snappy, statistics), and during the crossmatch the main
 * thread mostly waits for the worker threads; after it, the write is all there is left to do.
 */
import {
  DataType,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  type Data,
  type Field,
} from 'apache-arrow';
import { conformTable, nullableSchema } from './arrow-schema';
import { ROW_GROUP_ROWS } from './parquet-encode';
import {
  ParquetFileWriter,
  RowGroupGatherer,
  withUnits,
  type RowGroupRoom,
} from './parquet-writer';
import { assertSameColumns } from './schema-check';
import type { WriteResult } from './table-writer';

/** The late columns of the rows from `offset`, in record batches of `batchRows` rows. */
export type LateColumns = (offset: number, batchRows: readonly number[]) => Table;

/** One row group written but for its late columns. */
interface EarlyGroup {
  room: RowGroupRoom;
  /** Rows of each record batch of the group (the late columns are cut the same way). */
  batchRows: number[];
}

export class EarlyParquetWriter {
  /** Rows added so far. */
  rows = 0;
  readonly schema: Schema;
  private readonly earlySchema: Schema;
  private readonly lateSchema: Schema;
  private readonly groups: RowGroupGatherer;
  private readonly file: ParquetFileWriter;
  private readonly written: EarlyGroup[] = [];

  /**
   * `schema` is the whole output's: its first fields are the early columns `add` takes, the
   * `lateColumns` last ones (numbers without nulls) come at `finish`.
   */
  constructor(
    readonly path: string,
    schema: Schema,
    lateColumns: number,
    options: { rowGroupRows?: number } = {},
  ) {
    this.schema = nullableSchema(schema);
    const fields = this.schema.fields;
    if (!(Number.isInteger(lateColumns) && lateColumns >= 1 && lateColumns < fields.length)) {
      throw new Error(`${path}: ${lateColumns} late columns of ${fields.length}`);
    }
    const late = fields.slice(-lateColumns);
    const notFixed = late.find((f) => !(DataType.isInt(f.type) || DataType.isFloat(f.type)));
    if (notFixed) throw new Error(`${path}: late column ${notFixed.name} is not a number column`);
    this.earlySchema = new Schema(fields.slice(0, -lateColumns), this.schema.metadata);
    this.lateSchema = new Schema(late);
    this.groups = new RowGroupGatherer(this.earlySchema, options.rowGroupRows ?? ROW_GROUP_ROWS);
    this.file = new ParquetFileWriter(path, { uncompressed: new Set(late.map((f) => f.name)) });
  }

  /** Adds rows of the early columns; every full row group is encoded and written. */
  async add(table: Table): Promise<void> {
    assertSameColumns(this.path, this.earlySchema, table.schema);
    if (table.numRows === 0) return;
    for (const group of this.groups.add(conformTable(table, this.earlySchema))) {
      await this.write(group);
    }
    this.rows += table.numRows;
  }

  /**
   * Writes the rows not yet in a full row group as the last one: call after the last `add` to let
   * them go before `finish` (which does it otherwise).
   */
  async endRows(): Promise<void> {
    const last = this.groups.rest();
    if (last) await this.write(last);
  }

  private async write(group: Table): Promise<void> {
    const batchRows = group.batches.map((b) => b.numRows);
    const room = await this.file.appendWithRoom(group, zeros(this.lateSchema, batchRows));
    this.written.push({ room, batchRows });
  }

  /**
   * Completes the output: `late`'s columns for each row group's rows written into its room, the
   * footer with `metadata`, the file renamed into place. On failure or abort (`signal`) the
   * partial file is removed.
   */
  async finish(
    late: LateColumns,
    options: {
      metadata?: Record<string, string>;
      /** Units per column, as the fields' `unit` metadata (parquet-writer.ts withUnits). */
      units?: Record<string, string>;
      signal?: AbortSignal;
      deferCommit?: boolean;
    } = {},
  ): Promise<WriteResult> {
    try {
      await this.endRows();
      if (this.written.length === 0) throw new Error(`${this.path}: no rows to write`);
      let row = 0;
      for (const { room, batchRows } of this.written) {
        options.signal?.throwIfAborted();
        const rows = Number(room.first.num_rows);
        const columns = late(row, batchRows);
        assertSameColumns(this.path, this.lateSchema, columns.schema);
        if (columns.numRows !== rows) {
          throw new Error(`${this.path}: late columns of ${columns.numRows} rows for ${rows}`);
        }
        await this.file.fillRoom(room, conformTable(columns, this.lateSchema));
        row += rows;
      }
    } catch (err) {
      await this.file.abort();
      throw err;
    }
    return this.file.finish(
      withUnits(this.schema, options.units),
      options.metadata,
      options.deferCommit,
    );
  }

  /** Removes the partial output. */
  async abort(): Promise<void> {
    await this.file.abort();
  }
}

/** Number columns of zeros without nulls, in record batches of `batchRows` rows. */
function zeros(schema: Schema, batchRows: readonly number[]): Table {
  const type = new Struct(schema.fields);
  const zero = (f: Field, length: number): Data => {
    const ArrayType = (f.type as unknown as { ArrayType: new (n: number) => ArrayLike<number> })
      .ArrayType;
    const props = { type: f.type, length, nullCount: 0, data: new ArrayType(length) };
    return makeData(props as never) as Data;
  };
  const batches = batchRows.map(
    (length) =>
      new RecordBatch(
        schema,
        makeData({
          type,
          length,
          nullCount: 0,
          children: schema.fields.map((f) => zero(f, length)),
        }),
      ),
  );
  return new Table(schema, batches);
}

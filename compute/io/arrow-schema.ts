/**
 * One schema for every batch of an output. apache-arrow's `new Table({ ...vectors })` marks a
 * field nullable only when that vector has nulls, so batches of one output disagree on
 * nullability; Arrow tables, IPC readers and Parquet encoders then refuse the mix or (parquet-wasm
 * started on a non-nullable first batch) drop later nulls. Writers normalise every batch to the
 * all-nullable schema of the first one.
 */
import { RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';

/** `schema` with every field nullable (names, types, field and schema metadata kept). */
export function nullableSchema(schema: Schema): Schema {
  if (schema.fields.every((f) => f.nullable)) return schema;
  return new Schema(
    schema.fields.map((f) => f.clone({ nullable: true })),
    schema.metadata,
  );
}

function columnsOf(schema: Schema): string {
  return schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
}

/**
 * The rows of `table` under `schema`: same column names and types in the same order; nullability,
 * metadata and the type objects taken from `schema`. Throws naming both column lists when names or types differ.
 * No data is copied.
 */
export function conformTable(table: Table, schema: Schema): Table {
  if (table.schema === schema) return table;
  const a = columnsOf(schema);
  const b = columnsOf(table.schema);
  if (a !== b) throw new Error(`a batch has columns [${b}] but the output has [${a}]`);
  const type = new Struct(schema.fields);
  const batches = table.batches.map((batch) => {
    const data = makeData({
      type,
      length: batch.numRows,
      nullCount: 0,
      // the schema's type objects too: Arrow compares types by class, and `Float` read from IPC
      // is not an instance of the `Float64` that makeVector builds (same Arrow type)
      children: batch.data.children.map((child, i) =>
        child.type === schema.fields[i].type ? child : child.clone(schema.fields[i].type),
      ),
    });
    return new RecordBatch(schema, data);
  });
  return new Table(schema, batches);
}

/** Tables (possibly with different nullability) concatenated under their all-nullable schema. */
export function concatNullable(tables: Table[]): Table | undefined {
  if (tables.length === 0) return undefined;
  const schema = nullableSchema(tables[0].schema);
  return new Table(
    schema,
    tables.flatMap((t) => conformTable(t, schema).batches),
  );
}

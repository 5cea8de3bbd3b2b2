import {
  Table,
  Type,
  RecordBatch,
  Schema,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { takeRows, takeTable } from '../arrow/take';

type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** Plain numeric Arrow types whose `toArray()` is a typed array of the values. */
function isPlainNumeric(type: DataType): boolean {
  return type.typeId === Type.Int || type.typeId === Type.Float;
}

/**
 * A column as a Float64Array (nulls become NaN). Throws with the column name when the column is
 * missing or not numeric.
 */
export function columnFloat64(table: Table, name: string): Float64Array {
  const vec = table.getChild(name);
  if (!vec) throw new Error(`column '${name}' is missing`);
  if (!isPlainNumeric(vec.type)) throw new Error(`column '${name}' is not numeric (${vec.type})`);
  const out = new Float64Array(vec.length);
  const values = vec.toArray() as NumericArray;
  for (let i = 0; i < out.length; i++) out[i] = Number(values[i]);
  if (vec.nullCount > 0) for (let i = 0; i < out.length; i++) if (!vec.isValid(i)) out[i] = NaN;
  return out;
}

/** The rows `indices` of one vector, in that order, with the same Arrow type (nested too). */
export function gatherVector(vec: Vector, indices: ArrayLike<number>): Vector {
  const rows =
    indices instanceof Int32Array || indices instanceof Uint32Array
      ? indices
      : Int32Array.from(indices);
  return takeRows(vec, rows);
}

/** The rows `indices` of a table (schema and its metadata kept). */
export function gatherTable(table: Table, indices: ArrayLike<number>): Table {
  const rows =
    indices instanceof Int32Array || indices instanceof Uint32Array
      ? indices
      : Int32Array.from(indices);
  return withSchemaOf(takeTable(table, rows), table.schema);
}

/** Rows [start, end) of a table as a new table. */
export function sliceTable(table: Table, start: number, end: number): Table {
  return table.slice(start, end);
}

/**
 * The integer columns among `names` as text (`String(value)`, null kept): the batches read before
 * a text file's column of integers turned text (SourceBatch.textFrom); other columns as they are.
 */
export function integersAsText(table: Table, names: Iterable<string>): Table {
  const wanted = new Set(names);
  const change = table.schema.fields.filter(
    (f) => wanted.has(f.name) && f.type.typeId === Type.Int,
  );
  if (change.length === 0) return table;
  const vectors: Record<string, Vector> = {};
  for (const f of table.schema.fields) {
    const vec = table.getChild(f.name)!;
    if (!change.includes(f)) {
      vectors[f.name] = vec;
      continue;
    }
    const texts: (string | null)[] = new Array(vec.length);
    for (let i = 0; i < vec.length; i++) {
      const v = vec.get(i) as bigint | number | null;
      texts[i] = v === null ? null : String(v);
    }
    vectors[f.name] = vectorFromArray(texts, new Utf8());
  }
  return new Table(vectors);
}

/** Re-attach the schema metadata and field metadata of `schema` to a table built from vectors. */
export function withSchemaOf(table: Table, schema: Schema): Table {
  if (schema.metadata.size === 0 && schema.fields.every((f) => f.metadata.size === 0)) return table;
  const fields = table.schema.fields.map((f) => {
    const original = schema.fields.find((g) => g.name === f.name);
    return original ? f.clone({ metadata: original.metadata }) : f;
  });
  const next = new Schema(fields, schema.metadata);
  return new Table(
    next,
    table.batches.map((b) => new RecordBatch(next, b.data)),
  );
}

/**
 * Indices 0..n-1 sorted by a BigInt64 key (stable). Compares the two 32-bit halves as numbers
 * (high word signed, low word unsigned) instead of BigInts: no BigInt is created per comparison.
 */
export function argsortBigInt(keys: BigInt64Array): Uint32Array {
  const n = keys.length;
  const words = new Int32Array(keys.buffer, keys.byteOffset, n * 2);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const hi = new Int32Array(n);
  const lo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = words[2 * i + (little ? 1 : 0)];
    lo[i] = words[2 * i + (little ? 0 : 1)] >>> 0;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b] || a - b);
  return Uint32Array.from(order);
}

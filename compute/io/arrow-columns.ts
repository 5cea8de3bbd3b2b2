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

/** Below this many keys a comparison sort beats the radix sort's passes. */
const RADIX_MIN_KEYS = 2048;
const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;

/**
 * Indices 0..n-1 sorted by a BigInt64 key (stable): an LSD radix sort on four 16-bit digits of
 * the key (the top one with its sign bit flipped, so negatives come first), skipping a digit every
 * key shares (the high digits of a field's HEALPix indices). A comparison sort of 1M random
 * order-29 indices took ~1 s of a HATS write; no BigInt is created.
 */
export function argsortBigInt(keys: BigInt64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = (words[2 * i + (little ? 1 : 0)] ^ 0x80000000) >>> 0;
    lo[i] = words[2 * i + (little ? 0 : 1)];
  }
  if (n < RADIX_MIN_KEYS) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b] || a - b);
    return Uint32Array.from(order);
  }
  // every digit's counts in one read of the keys: digits 0-1 of the low word, 2-3 of the high
  const counts = new Int32Array(4 * DIGITS);
  for (let i = 0; i < n; i++) {
    counts[lo[i] & 0xffff]++;
    counts[DIGITS + (lo[i] >>> 16)]++;
    counts[2 * DIGITS + (hi[i] & 0xffff)]++;
    counts[3 * DIGITS + (hi[i] >>> 16)]++;
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let orderOut = new Uint32Array(n);
  let hiOut = new Uint32Array(n);
  let loOut = new Uint32Array(n);
  for (let digit = 0; digit < 4; digit++) {
    const base = digit * DIGITS;
    const word = digit < 2 ? lo : hi;
    const shift = (digit % 2) * DIGIT_BITS;
    if (counts[base + ((word[0] >>> shift) & 0xffff)] === n) continue; // one value: order kept
    let sum = 0;
    for (let b = base; b < base + DIGITS; b++) {
      const count = counts[b];
      counts[b] = sum;
      sum += count;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[base + ((word[i] >>> shift) & 0xffff)]++;
      orderOut[at] = order[i];
      hiOut[at] = hi[i];
      loOut[at] = lo[i];
    }
    [order, orderOut] = [orderOut, order];
    [hi, hiOut] = [hiOut, hi];
    [lo, loOut] = [loOut, lo];
  }
  return order;
}

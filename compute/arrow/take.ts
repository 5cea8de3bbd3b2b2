import {
  DataType,
  Table,
  Type,
  Vector,
  makeBuilder,
  type Bool,
  type Utf8,
  makeData,
  makeVector,
  type Data,
} from 'apache-arrow';

type FixedCtor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** Typed array of the values buffer for fixed-width numeric Arrow types (bitWidth / float precision). */
function fixedCtor(type: DataType): FixedCtor | undefined {
  if (type.typeId === Type.Int) {
    const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
    if (bitWidth === 8) return isSigned ? Int8Array : Uint8Array;
    if (bitWidth === 16) return isSigned ? Int16Array : Uint16Array;
    if (bitWidth === 32) return isSigned ? Int32Array : Uint32Array;
    return isSigned ? BigInt64Array : BigUint64Array;
  }
  if (type.typeId === Type.Float) {
    const { precision } = type as unknown as { precision: number };
    if (precision === 1) return Float32Array;
    if (precision === 2) return Float64Array;
  }
  // times are counts in their unit: taken as stored (Arrow's getters and setters go through
  // milliseconds as a double, which cut nanoseconds)
  if (
    DataType.isTimestamp(type) ||
    DataType.isDate(type) ||
    DataType.isTime(type) ||
    DataType.isDuration(type)
  ) {
    return (type as unknown as { ArrayType: FixedCtor }).ArrayType;
  }
  return undefined;
}

/**
 * Rows `indices` of `vector` as a new vector of the same type; index -1 gives null (left-join rows
 * with no match). Fixed-width numbers, strings and booleans are gathered straight from their
 * buffers; other types (nested) go through an Arrow builder.
 */
export function takeRows(
  vector: Vector,
  indices: Int32Array | Uint32Array,
  /** locateRows of `indices` over the vector's chunks, when the caller takes several columns. */
  locations?: RowLocations,
): Vector {
  const type = vector.type as DataType;
  const n = indices.length;
  const Ctor = fixedCtor(type);
  if (Ctor) {
    const out = new Ctor(n);
    const { bitmap, nullCount } = gatherFixed(vector.data, indices, out, locations);
    return makeVector(
      makeData({ type, length: n, data: out, nullBitmap: bitmap, nullCount } as never),
    );
  }
  if (type.typeId === Type.Utf8) return takeUtf8(vector, indices, locations);
  if (type.typeId === Type.Bool) return takeBool(vector, indices, locations);
  const builder = makeBuilder({ type, nullValues: [null, undefined] });
  for (let i = 0; i < n; i++) {
    const src = indices[i];
    builder.append(src < 0 ? null : plainValue(vector.get(src)));
  }
  return makeVector(builder.finish().flush());
}

/** Rows `indices` of every column of a table (-1 gives nulls), one chunk per column. */
export function takeTable(table: Table, indices: Int32Array | Uint32Array): Table {
  const columns: Record<string, Vector> = {};
  const locations = locateRows(table, indices);
  for (const field of table.schema.fields) {
    columns[field.name] = takeRows(table.getChild(field.name)!, indices, locations);
  }
  return new Table(columns);
}

/**
 * A nested value as plain arrays and objects: Arrow's builders do not read the vectors a struct
 * row's list fields come back as (they append nulls instead).
 */
function plainValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (value instanceof Vector) return Array.from(value as Iterable<unknown>, plainValue);
  const json = (value as { toJSON?: () => unknown }).toJSON?.();
  if (json === undefined || json === value) return value;
  if (Array.isArray(json)) return json.map(plainValue);
  if (json && typeof json === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json)) out[k] = plainValue(v);
    return out;
  }
  return json;
}

/** The chunk holding global row `row`, given the chunks' first rows (`starts`, then the total). */
function chunkOf(starts: readonly number[], row: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where rows `indices` are among the chunks of a table whose columns all have chunks of
 * `chunkLengths` rows (a table of record batches): found once for every column of a take.
 */
export interface RowLocations {
  chunkLengths: number[];
  /** Per index: its chunk (-1 for a negative index). */
  chunk: Int32Array;
  /** Per index: its row in that chunk. */
  local: Int32Array;
}

/** RowLocations of `indices` in `table`'s record batches; null for a table of one batch. */
export function locateRows(
  table: Table,
  indices: Int32Array | Uint32Array,
): RowLocations | undefined {
  const chunkLengths = table.batches.map((b) => b.numRows);
  return chunkLengths.length < 2 ? undefined : locateInChunks(chunkLengths, indices);
}

/** RowLocations of `indices` over chunks of `chunkLengths` rows (boundaries by binary search). */
function locateInChunks(chunkLengths: number[], indices: Int32Array | Uint32Array): RowLocations {
  const starts = [0];
  for (const length of chunkLengths) starts.push(starts[starts.length - 1] + length);
  const n = indices.length;
  const chunk = new Int32Array(n);
  const local = new Int32Array(n);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const row = indices[i];
    if (row < 0) {
      chunk[i] = -1;
      continue;
    }
    if (row < starts[c] || row >= starts[c + 1]) c = chunkOf(starts, row);
    chunk[i] = c;
    local[i] = row - starts[c];
  }
  return { chunkLengths, chunk, local };
}

/** Whether `locations` were found over chunks of the lengths `chunks` have. */
function fits(locations: RowLocations, chunks: readonly Data[]): boolean {
  const lengths = locations.chunkLengths;
  return lengths.length === chunks.length && chunks.every((c, k) => c.length === lengths[k]);
}

/** The chunk and row within it of each index of a take: `locations` when they fit the chunks. */
function located(
  chunks: readonly Data[],
  indices: Int32Array | Uint32Array,
  locations: RowLocations | undefined,
): RowLocations {
  if (locations && fits(locations, chunks)) return locations;
  return locateInChunks(
    chunks.map((c) => c.length),
    indices,
  );
}

function nullMask(n: number): {
  bitmap: Uint8Array;
  setNull: (i: number) => void;
  count: () => number;
} {
  const bitmap = new Uint8Array((n + 7) >> 3).fill(0xff);
  let nulls = 0;
  return {
    bitmap,
    setNull: (i) => {
      bitmap[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    },
    count: () => nulls,
  };
}

/** Utf8 rows copied byte for byte (no decode to JS strings and back). */
function takeUtf8(
  vector: Vector,
  indices: Int32Array | Uint32Array,
  locations?: RowLocations,
): Vector {
  const n = indices.length;
  const chunks = vector.data;
  if (chunks.length === 1 && chunks[0].nullCount === 0) return takeUtf8OneChunk(vector, indices);
  const { chunk: chunkOfRow, local: localOfRow } = located(chunks, indices, locations);
  // Data.nullCount is a getter that does some work: read once per chunk
  const hasNulls = chunks.map((c) => c.nullCount > 0);
  const isValid = (c: number, local: number) =>
    c >= 0 && (!hasNulls[c] || chunks[c].getValid(local));
  const offsetsOf = chunks.map((c) => c.valueOffsets as Int32Array);
  const valuesOf = chunks.map((c) => c.values as Uint8Array);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = chunkOfRow[i];
    const local = localOfRow[i];
    if (isValid(c, local)) total += offsetsOf[c][local + 1] - offsetsOf[c][local];
  }
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(total);
  const mask = nullMask(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const c = chunkOfRow[i];
    const local = localOfRow[i];
    if (isValid(c, local)) {
      const o = offsetsOf[c];
      const values = valuesOf[c];
      for (let j = o[local], end = o[local + 1]; j < end; j++) bytes[used++] = values[j];
    } else mask.setNull(i);
    offsets[i + 1] = used;
  }
  return maskedVector(vector, n, { data: bytes, valueOffsets: offsets }, mask);
}

/** takeUtf8 of a vector of one chunk without nulls: its offsets and bytes read directly. */
function takeUtf8OneChunk(vector: Vector, indices: Int32Array | Uint32Array): Vector {
  const n = indices.length;
  const chunk = vector.data[0];
  const o = chunk.valueOffsets as Int32Array;
  const values = chunk.values as Uint8Array;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const src = indices[i];
    if (src >= 0) total += o[src + 1] - o[src];
  }
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(total);
  const mask = nullMask(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const src = indices[i];
    if (src < 0) mask.setNull(i);
    else for (let j = o[src], end = o[src + 1]; j < end; j++) bytes[used++] = values[j];
    offsets[i + 1] = used;
  }
  return maskedVector(vector, n, { data: bytes, valueOffsets: offsets }, mask);
}

/** Boolean rows bit by bit. */
function takeBool(
  vector: Vector,
  indices: Int32Array | Uint32Array,
  locations?: RowLocations,
): Vector {
  const n = indices.length;
  const out = new Uint8Array((n + 7) >> 3);
  const mask = nullMask(n);
  if (vector.data.length === 1 && vector.data[0].nullCount === 0) {
    // one chunk without nulls: its bits read directly
    const chunk = vector.data[0];
    const bits = chunk.values as Uint8Array;
    let byte = 0; // the output byte being filled, stored every 8 rows
    for (let i = 0; i < n; i++) {
      const src = indices[i];
      if (src < 0) mask.setNull(i);
      else {
        const bit = chunk.offset + src;
        byte |= ((bits[bit >> 3] >> (bit & 7)) & 1) << (i & 7);
      }
      if ((i & 7) === 7) {
        out[i >> 3] = byte;
        byte = 0;
      }
    }
    if ((n & 7) !== 0) out[n >> 3] = byte;
    return maskedVector(vector, n, { data: out }, mask);
  }
  const chunks = vector.data;
  const { chunk: chunkOfRow, local: localOfRow } = located(chunks, indices, locations);
  const bitsOf = chunks.map((c) => c.values as Uint8Array);
  const offsetOf = chunks.map((c) => c.offset);
  const hasNulls = chunks.map((c) => c.nullCount > 0); // a getter that does some work
  for (let i = 0; i < n; i++) {
    const c = chunkOfRow[i];
    const local = localOfRow[i];
    if (c < 0 || (hasNulls[c] && !chunks[c].getValid(local))) {
      mask.setNull(i);
      continue;
    }
    const bit = offsetOf[c] + local;
    if ((bitsOf[c][bit >> 3] >> (bit & 7)) & 1) out[i >> 3] |= 1 << (i & 7);
  }
  return maskedVector(vector, n, { data: out }, mask);
}

/** `n` rows of `vector`'s type (strings or booleans) from their buffers and null mask. */
function maskedVector(
  vector: Vector,
  n: number,
  buffers: { data: Uint8Array; valueOffsets?: Int32Array },
  mask: ReturnType<typeof nullMask>,
): Vector {
  const nullCount = mask.count();
  return makeVector(
    makeData({
      type: vector.type as Utf8 | Bool,
      length: n,
      ...buffers,
      nullBitmap: nullCount > 0 ? mask.bitmap : undefined,
      nullCount,
    } as never),
  );
}

/** The null mask of a gather that left `skipped` rows of negative index empty. */
function skippedAsNulls(
  indices: Int32Array | Uint32Array,
  skipped: number,
): { bitmap: Uint8Array | undefined; nullCount: number } {
  if (skipped === 0) return { bitmap: undefined, nullCount: 0 };
  const nulls = nullMask(indices.length);
  for (let i = 0; i < indices.length; i++) if (indices[i] < 0) nulls.setNull(i);
  return { bitmap: nulls.bitmap, nullCount: nulls.count() };
}

// The gathers of 32-bit words (8- and 4-byte values: nearly every column): `target[i] =
// source[indices[i]]` per value (or by chunk and row), rows with a negative index left 0 and
// counted. Functions of their own keep each loop's accesses monomorphic.

function gatherLocatedWordPairs(
  target: Int32Array,
  sources: Int32Array[],
  chunk: Int32Array,
  local: Int32Array,
): number {
  let skipped = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c < 0) skipped++;
    else {
      const source = sources[c];
      const src = local[i];
      target[2 * i] = source[2 * src];
      target[2 * i + 1] = source[2 * src + 1];
    }
  }
  return skipped;
}

function gatherLocatedWords(
  target: Int32Array,
  sources: Int32Array[],
  chunk: Int32Array,
  local: Int32Array,
): number {
  let skipped = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c < 0) skipped++;
    else target[i] = sources[c][local[i]];
  }
  return skipped;
}

function gatherWordPairs(
  target: Int32Array,
  source: Int32Array,
  indices: Int32Array | Uint32Array,
): number {
  let skipped = 0;
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    if (src < 0) skipped++;
    else {
      target[2 * i] = source[2 * src];
      target[2 * i + 1] = source[2 * src + 1];
    }
  }
  return skipped;
}

function gatherWords(
  target: Int32Array,
  source: Int32Array,
  indices: Int32Array | Uint32Array,
): number {
  let skipped = 0;
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i];
    if (src < 0) skipped++;
    else target[i] = source[src];
  }
  return skipped;
}

/**
 * Gathers fixed-width values as raw 32-bit words (or 16/8-bit units): one monomorphic loop for
 * every numeric type, bit-exact, and no BigInt made per int64 value.
 */
function gatherFixed(
  chunks: readonly Data[],
  indices: Int32Array | Uint32Array,
  out: ArrayBufferView & { BYTES_PER_ELEMENT: number },
  locations?: RowLocations,
): { bitmap: Uint8Array | undefined; nullCount: number } {
  const n = indices.length;
  const bytes = out.BYTES_PER_ELEMENT;
  const unit = bytes >= 4 ? 4 : bytes;
  const words = Math.max(1, bytes / 4);
  const view = (b: ArrayBufferView, length: number) =>
    unit === 4
      ? new Int32Array(b.buffer, b.byteOffset, length * words)
      : unit === 2
        ? new Int16Array(b.buffer, b.byteOffset, length)
        : new Uint8Array(b.buffer, b.byteOffset, length);
  const target = view(out, n);
  const sources = chunks.map((c) => view(c.values as ArrayBufferView, c.length));
  if (unit === 4 && chunks.length === 1 && chunks[0].nullCount === 0) {
    // one chunk without nulls (a crossmatch's columns): a loop per word count
    const source = sources[0] as Int32Array;
    const skipped =
      words === 2
        ? gatherWordPairs(target as Int32Array, source, indices)
        : gatherWords(target as Int32Array, source, indices);
    return skippedAsNulls(indices, skipped);
  }
  const located =
    unit === 4 && locations && fits(locations, chunks) && chunks.every((c) => c.nullCount === 0);
  if (located) {
    // several chunks without nulls (a partition and its margin): the rows found once per table
    const { chunk, local } = locations;
    const skipped =
      words === 2
        ? gatherLocatedWordPairs(target as Int32Array, sources as Int32Array[], chunk, local)
        : gatherLocatedWords(target as Int32Array, sources as Int32Array[], chunk, local);
    return skippedAsNulls(indices, skipped);
  }
  const starts = [0];
  for (const c of chunks) starts.push(starts[starts.length - 1] + c.length);
  const hasNulls = chunks.map((c) => c.nullCount > 0); // a getter that does some work
  const anyNulls = hasNulls.includes(true);
  let mask: ReturnType<typeof nullMask> | undefined;
  const setNull = (i: number) => (mask ??= nullMask(n)).setNull(i);
  let c = 0;
  for (let i = 0; i < n; i++) {
    let src = indices[i];
    if (src < 0) {
      setNull(i);
      continue;
    }
    if (sources.length > 1) {
      // rows usually come in runs from one chunk: look the chunk up only when the run ends
      if (src < starts[c] || src >= starts[c + 1]) c = chunkOf(starts, src);
      src -= starts[c];
    }
    if (anyNulls && hasNulls[c] && !chunks[c].getValid(src)) {
      setNull(i);
      continue;
    }
    const from = sources[c];
    if (words === 2) {
      target[2 * i] = from[2 * src];
      target[2 * i + 1] = from[2 * src + 1];
    } else target[i] = from[src];
  }
  return { bitmap: mask?.bitmap, nullCount: mask?.count() ?? 0 };
}

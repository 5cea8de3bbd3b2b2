/**
 * Arrow tables to Parquet row groups, written straight from the Arrow buffers: each flat column
 * becomes one column chunk of PLAIN data pages (v1) with RLE / bit-packed definition levels,
 * Snappy-compressed per page where that pays (`compresses`); the Thrift page headers and the
 * footer are hyparquet-writer's.
 *
 * Why not parquet-wasm here: its encoder copies every batch into a wasm heap that grows and never
 * shrinks (+100 MB at the end of a 100k-row run, the run's peak), and runs on one thread. A row
 * group encoded here has offsets relative to its own start, so worker threads can encode row
 * groups in parallel and the file writer places them (`placeRowGroup`). Types without a mapping
 * here (`parquetSchemaFor` returns null) are written by parquet-wasm instead (parquet-writer.ts).
 */
import { Buffer } from 'node:buffer';
import { DataType, Schema, Table, tableToIPC, type Data, type Field } from 'apache-arrow';
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { snappyCompressor } from 'hysnappy';

// The footer types as hyparquet-writer's own hyparquet declares them (it pins its version).
type FileMetaData = Parameters<typeof writeMetadata>[1];
export type RowGroup = FileMetaData['row_groups'][number];
type ColumnChunk = RowGroup['columns'][number];
type SchemaElement = FileMetaData['schema'][number];
type Statistics = NonNullable<NonNullable<ColumnChunk['meta_data']>['statistics']>;

/** Uncompressed bytes of values per data page (readers decode a page at a time). */
const PAGE_BYTES = 1 << 20;
/** Rows per page of string columns. */
const STRING_PAGE_ROWS = 16_384;

const CREATED_BY = 'training-set-maker';

type ColumnKind = 'bool' | 'int32' | 'int64' | 'float' | 'double' | 'utf8';

interface ColumnPlan {
  kind: ColumnKind;
  element: SchemaElement;
  /** Bytes per PLAIN value (0 for strings and booleans). */
  width: number;
  /** Whether min/max are written (signed integers, floats, booleans). */
  minMax: boolean;
}

function columnPlan(field: Field): ColumnPlan | null {
  const t = field.type;
  const base = { name: field.name, repetition_type: 'OPTIONAL' as const };
  if (DataType.isBool(t)) {
    return { kind: 'bool', element: { ...base, type: 'BOOLEAN' }, width: 0, minMax: true };
  }
  if (DataType.isFloat(t)) {
    if (t.precision === 1) {
      return { kind: 'float', element: { ...base, type: 'FLOAT' }, width: 4, minMax: true };
    }
    if (t.precision === 2) {
      return { kind: 'double', element: { ...base, type: 'DOUBLE' }, width: 8, minMax: true };
    }
    return null; // half floats
  }
  if (DataType.isInt(t)) {
    const { bitWidth, isSigned } = t;
    // the converted type only: hyparquet-writer writes the INTEGER logical type's i8 bit width
    // as an i32, which arrow-rs rejects; every reader maps INT_8 ... UINT_64 the same way
    const converted = `${isSigned ? 'INT' : 'UINT'}_${bitWidth}` as const;
    if (bitWidth === 64) {
      const element: SchemaElement = isSigned
        ? { ...base, type: 'INT64' }
        : { ...base, type: 'INT64', converted_type: converted };
      return { kind: 'int64', element, width: 8, minMax: isSigned };
    }
    const element: SchemaElement =
      isSigned && bitWidth === 32
        ? { ...base, type: 'INT32' }
        : { ...base, type: 'INT32', converted_type: converted };
    return { kind: 'int32', element, width: 4, minMax: isSigned };
  }
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) {
    const element: SchemaElement = {
      ...base,
      type: 'BYTE_ARRAY',
      converted_type: 'UTF8',
      logical_type: { type: 'STRING' },
    };
    return { kind: 'utf8', element, width: 0, minMax: false };
  }
  return null;
}

/** The Parquet leaf schema of `schema`, or null when a column has no mapping here. */
export function parquetSchemaFor(schema: Schema): SchemaElement[] | null {
  const leaves: SchemaElement[] = [];
  for (const field of schema.fields) {
    const plan = columnPlan(field);
    if (!plan) return null;
    leaves.push(plan.element);
  }
  return [{ name: 'schema', num_children: leaves.length }, ...leaves];
}

/**
 * A row group's bytes, as pieces to write in order (some are views of the table's own buffers),
 * with its metadata; offsets count from the group's first byte.
 */
export interface EncodedRowGroup {
  parts: Uint8Array[];
  byteLength: number;
  rowGroup: RowGroup;
}

let compress: ((input: Uint8Array) => Uint8Array) | undefined;
/** The page body handed to Snappy (grown as needed, never shrunk: about one page). */
let scratch = new Uint8Array(0);

function snappy(input: Uint8Array): Uint8Array {
  compress ??= snappyCompressor();
  return compress(input);
}

/** Bytes of a page's start that decide whether its column chunk is compressed. */
const SAMPLE_BYTES = 1 << 16;

/**
 * Whether Snappy saves at least a tenth on the start of a column chunk's first page (the whole
 * page when it is at most twice that start). Random float mantissas (fluxes, magnitudes: most of
 * a training set) do not compress (ratio 1.001), so their chunks are stored uncompressed, which
 * the format allows per column chunk: that halves the encoding time of a training set and costs
 * its size nothing.
 */
function compresses(body: Uint8Array): boolean {
  const sample = body.subarray(0, SAMPLE_BYTES);
  return savesATenth(snappy(sample).length, sample.length);
}

function savesATenth(packed: number, size: number): boolean {
  return packed < 0.9 * size;
}

function varint(out: number[], value: number): void {
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function isValid(bitmap: Uint8Array, bit: number): boolean {
  return (bitmap[bit >> 3] & (1 << (bit & 7))) !== 0;
}

/** `count` bits of `bits` from bit `start`, as bytes starting at bit 0 (LSB first). */
function bitSlice(bits: Uint8Array, start: number, count: number): Uint8Array {
  const bytes = (count + 7) >> 3;
  if ((start & 7) === 0) return bits.subarray(start >> 3, (start >> 3) + bytes);
  const out = new Uint8Array(bytes);
  const shift = start & 7;
  let src = start >> 3;
  for (let i = 0; i < bytes; i++, src++) {
    out[i] = (bits[src] >> shift) | ((bits[src + 1] ?? 0) << (8 - shift));
  }
  return out;
}

/**
 * Definition levels of `count` rows (bit width 1), with the 4-byte length of v1 pages: one RLE
 * run when all are valid, else one bit-packed run, which for bit width 1 is the validity bitmap.
 */
function definitionLevels(data: Data, start: number, count: number): Uint8Array {
  const header: number[] = [];
  let body: Uint8Array;
  if (data.nullCount === 0 || !data.nullBitmap) {
    varint(header, count * 2);
    body = Uint8Array.of(1);
  } else {
    const groups = (count + 7) >> 3;
    varint(header, groups * 2 + 1);
    body = bitSlice(data.nullBitmap, data.offset + start, count);
  }
  const out = new Uint8Array(4 + header.length + body.length);
  new DataView(out.buffer).setUint32(0, header.length + body.length, true);
  out.set(header, 4);
  out.set(body, 4 + header.length);
  return out;
}

interface PageValues {
  bytes: Uint8Array;
  /** Non-null values in the page. */
  values: number;
}

function plainFixed(data: Data, plan: ColumnPlan, start: number, count: number): PageValues {
  // Arrow slices value and offset buffers with the data; validity and boolean bits go by offset
  const values = data.values as Float64Array | Float32Array | Int32Array | BigInt64Array;
  if (data.nullCount === 0 || !data.nullBitmap) {
    const view = values.subarray(start, start + count);
    return { bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength), values: count };
  }
  const bitmap = data.nullBitmap;
  const bit = data.offset;
  const bytes = new Uint8Array(count * plan.width);
  let n = 0;
  if (plan.width === 8) {
    // as 32-bit halves: a Float64Array copy may canonicalise NaN payloads (and int64 bits)
    const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const dst = new Int32Array(bytes.buffer);
    for (let i = start; i < start + count; i++) {
      if (!isValid(bitmap, bit + i)) continue;
      dst[2 * n] = src[2 * i];
      dst[2 * n + 1] = src[2 * i + 1];
      n++;
    }
  } else {
    const src = new Int32Array(values.buffer, values.byteOffset, values.length);
    const dst = new Int32Array(bytes.buffer);
    for (let i = start; i < start + count; i++) if (isValid(bitmap, bit + i)) dst[n++] = src[i];
  }
  return { bytes: bytes.subarray(0, n * plan.width), values: n };
}

/** Narrow integers (8 and 16 bits) widened to PLAIN INT32. */
function plainWidened(data: Data, start: number, count: number): PageValues {
  const values = data.values as Int8Array | Int16Array | Uint8Array | Uint16Array;
  const out = new Int32Array(count);
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  let n = 0;
  for (let i = start; i < start + count; i++) {
    if (!bitmap || isValid(bitmap, data.offset + i)) out[n++] = values[i];
  }
  return { bytes: new Uint8Array(out.buffer, 0, n * 4), values: n };
}

function plainBool(data: Data, start: number, count: number): PageValues {
  const values = data.values as Uint8Array;
  const first = data.offset + start;
  if (data.nullCount === 0 || !data.nullBitmap) {
    return { bytes: bitSlice(values, first, count), values: count };
  }
  const out = new Uint8Array((count + 7) >> 3);
  let n = 0;
  for (let i = first; i < first + count; i++) {
    if (!isValid(data.nullBitmap, i)) continue;
    if (isValid(values, i)) out[n >> 3] |= 1 << (n & 7);
    n++;
  }
  return { bytes: out.subarray(0, (n + 7) >> 3), values: n };
}

function plainUtf8(data: Data, start: number, count: number): PageValues {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const chars = data.values as Uint8Array;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  const at = (i: number) => Number(offsets[i]);
  const out = new Uint8Array(4 * count + at(start + count) - at(start));
  const view = new DataView(out.buffer);
  let pos = 0;
  let n = 0;
  for (let i = start; i < start + count; i++) {
    if (bitmap && !isValid(bitmap, data.offset + i)) continue;
    const from = at(i);
    const to = at(i + 1);
    view.setUint32(pos, to - from, true);
    out.set(chars.subarray(from, to), pos + 4);
    pos += 4 + to - from;
    n++;
  }
  return { bytes: out.subarray(0, pos), values: n };
}

function pageValues(data: Data, plan: ColumnPlan, start: number, count: number): PageValues {
  switch (plan.kind) {
    case 'bool':
      return plainBool(data, start, count);
    case 'utf8':
      return plainUtf8(data, start, count);
    case 'int32':
      return (data.values as ArrayLike<number> & { BYTES_PER_ELEMENT: number })
        .BYTES_PER_ELEMENT === 4
        ? plainFixed(data, plan, start, count)
        : plainWidened(data, start, count);
    default:
      return plainFixed(data, plan, start, count);
  }
}

function rowsPerPage(plan: ColumnPlan): number {
  if (plan.kind === 'utf8') return STRING_PAGE_ROWS;
  if (plan.kind === 'bool') return PAGE_BYTES * 8;
  return PAGE_BYTES / plan.width;
}

type Bound = number | bigint | boolean;

/** Chunk min/max over the valid, non-NaN values (null when there is none). */
function minMax(data: Data, plan: ColumnPlan): [Bound, Bound] | null {
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  const end = data.offset + data.length;
  if (plan.kind === 'bool') return minMaxBool(data.values as Uint8Array, data.offset, end, bitmap);
  if (plan.kind === 'int64') return minMaxBigInt(data.values as BigInt64Array, data, bitmap);
  if (plan.kind === 'double') return minMaxFloat64(data.values as Float64Array, data, bitmap);
  if (plan.kind === 'float') return minMaxFloat32(data.values as Float32Array, data, bitmap);
  return minMaxInteger(data.values as Int32Array, data, bitmap);
}

// One loop per element type, each monomorphic (this runs over every value of the output: one
// loop for the three took twice as long); minMaxInteger takes the rarer 8- and 16-bit arrays too.

function minMaxFloat64(
  values: Float64Array,
  data: Data,
  bitmap: Uint8Array | undefined,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  let seen = false;
  for (let i = 0; i < data.length; i++) {
    if (bitmap && !isValid(bitmap, data.offset + i)) continue;
    const v = values[i];
    if (v !== v) continue; // NaN
    seen = true;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return seen ? [lo, hi] : null;
}

function minMaxFloat32(
  values: Float32Array,
  data: Data,
  bitmap: Uint8Array | undefined,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  let seen = false;
  for (let i = 0; i < data.length; i++) {
    if (bitmap && !isValid(bitmap, data.offset + i)) continue;
    const v = values[i];
    if (v !== v) continue; // NaN
    seen = true;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return seen ? [lo, hi] : null;
}

function minMaxInteger(
  values: Int32Array,
  data: Data,
  bitmap: Uint8Array | undefined,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (bitmap && !isValid(bitmap, data.offset + i)) continue;
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * The bounds of int64 values compared as 32-bit words (signed high, unsigned low), so no BigInt
 * is made per value (a 950k-row write spent ~60 ms and garbage on them).
 */
function minMaxBigInt(
  values: BigInt64Array,
  data: Data,
  bitmap: Uint8Array | undefined,
): [bigint, bigint] | null {
  const words = new Int32Array(values.buffer, values.byteOffset, 2 * data.length);
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < data.length; i++) {
    if (bitmap && !isValid(bitmap, data.offset + i)) continue;
    if (lo < 0) {
      lo = hi = i;
      continue;
    }
    const high = words[2 * i + 1];
    const low = words[2 * i] >>> 0;
    const loHigh = words[2 * lo + 1];
    if (high < loHigh || (high === loHigh && low < words[2 * lo] >>> 0)) lo = i;
    const hiHigh = words[2 * hi + 1];
    if (high > hiHigh || (high === hiHigh && low > words[2 * hi] >>> 0)) hi = i;
  }
  return lo < 0 ? null : [values[lo], values[hi]];
}

/**
 * Whether false and true occur among the valid bits [start, end) of a boolean column, a byte at a
 * time: [min, max] as Parquet's statistics want them, null when every value is null.
 */
function minMaxBool(
  values: Uint8Array,
  start: number,
  end: number,
  bitmap: Uint8Array | undefined,
): [boolean, boolean] | null {
  if (end <= start) return null;
  let trues = 0;
  let falses = 0;
  const first = start >> 3;
  const last = (end - 1) >> 3;
  for (let b = first; b <= last; b++) {
    let mask = bitmap ? bitmap[b] : 0xff;
    if (b === first) mask &= (0xff << (start & 7)) & 0xff;
    if (b === last) mask &= 0xff >> (7 - ((end - 1) & 7));
    trues |= values[b] & mask;
    falses |= ~values[b] & mask;
    if (trues !== 0 && falses !== 0) break;
  }
  if (trues === 0 && falses === 0) return null;
  return [falses === 0, trues !== 0];
}

function statistics(chunks: readonly Data[], plan: ColumnPlan): Statistics {
  let nulls = 0;
  let lo: Bound | undefined;
  let hi: Bound | undefined;
  for (const data of chunks) {
    nulls += data.nullCount;
    if (!plan.minMax) continue;
    const range = minMax(data, plan);
    if (!range) continue;
    if (lo === undefined || range[0] < lo) lo = range[0];
    if (hi === undefined || range[1] > hi) hi = range[1];
  }
  const stats: Statistics = { null_count: BigInt(nulls) };
  if (lo !== undefined && hi !== undefined) {
    // -0.0 and 0.0 compare equal: write the bounds the spec asks for (min -0, max +0)
    if (plan.kind === 'float' || plan.kind === 'double') {
      if (lo === 0) lo = -0;
      if (hi === 0) hi = 0;
    }
    stats.min_value = lo;
    stats.max_value = hi;
  }
  return stats;
}

interface EncodedChunk {
  parts: Uint8Array[];
  chunk: ColumnChunk;
  uncompressed: number;
  compressed: number;
}

function encodeColumn(
  chunks: readonly Data[],
  plan: ColumnPlan,
  offset: number,
  compress: boolean,
): EncodedChunk {
  const parts: Uint8Array[] = [];
  let uncompressed = 0;
  let compressed = 0;
  let rows = 0;
  const perPage = rowsPerPage(plan);
  let codec: 'SNAPPY' | 'UNCOMPRESSED' | undefined;
  for (const data of chunks) {
    for (let start = 0; start < data.length; start += perPage) {
      const count = Math.min(perPage, data.length - start);
      const levels = definitionLevels(data, start, count);
      const values = pageValues(data, plan, start, count);
      const size = levels.length + values.bytes.length;
      // Snappy wants the page body in one piece: it is put together in a reused buffer
      const body = () => {
        if (scratch.length < size) scratch = new Uint8Array(Math.max(size, 2 * scratch.length));
        scratch.set(levels);
        scratch.set(values.bytes, levels.length);
        return scratch.subarray(0, size);
      };
      let packed: Uint8Array[] | undefined;
      if (codec === undefined) {
        if (!compress) codec = 'UNCOMPRESSED';
        else if (size > 2 * SAMPLE_BYTES) codec = compresses(body()) ? 'SNAPPY' : 'UNCOMPRESSED';
        else {
          // a small first page decides for its chunk whole: Snappy runs on it once, not twice
          const whole = snappy(body());
          codec = savesATenth(whole.length, size) ? 'SNAPPY' : 'UNCOMPRESSED';
          if (codec === 'SNAPPY') packed = [whole];
        }
      }
      packed ??= codec === 'SNAPPY' ? [snappy(body())] : [levels, values.bytes];
      const packedSize = packed.reduce((n, p) => n + p.length, 0);
      const header = new ByteWriter();
      writePageHeader(header, {
        type: 'DATA_PAGE',
        uncompressed_page_size: size,
        compressed_page_size: packedSize,
        data_page_header: {
          num_values: count,
          encoding: 'PLAIN',
          definition_level_encoding: 'RLE',
          repetition_level_encoding: 'RLE',
        },
      });
      const head = header.getBytes();
      parts.push(head, ...packed);
      uncompressed += head.length + size;
      compressed += head.length + packedSize;
      rows += count;
    }
  }
  const chunk: ColumnChunk = {
    file_offset: BigInt(offset),
    meta_data: {
      type: plan.element.type!,
      encodings: ['PLAIN', 'RLE'],
      path_in_schema: [plan.element.name],
      codec: codec ?? 'SNAPPY',
      num_values: BigInt(rows),
      total_uncompressed_size: BigInt(uncompressed),
      total_compressed_size: BigInt(compressed),
      data_page_offset: BigInt(offset),
      statistics: statistics(chunks, plan),
    },
  };
  return { parts, chunk, uncompressed, compressed };
}

/** One column chunk of a row group being encoded: its bytes, and where it starts in the group. */
export interface EncodedColumnChunk {
  parts: Uint8Array[];
  byteLength: number;
}

export interface EncodeOptions {
  /**
   * Columns stored without compression, whatever Snappy would do: their size then depends only
   * on the rows and nulls, not on the values (parquet-early-writer.ts reserves their room).
   */
  uncompressed?: ReadonlySet<string>;
}

/**
 * Encodes every row of `table` as one row group (offsets from `startOffset`, default 0), one
 * column chunk at a time: each chunk is yielded before the next is encoded, so a writer can put it
 * in the file and let its bytes go; the generator returns the row group's metadata (its sizes
 * count this table's columns only). Throws for unmapped types.
 */
export function* encodeRowGroupColumns(
  table: Table,
  startOffset = 0,
  options: EncodeOptions = {},
): Generator<EncodedColumnChunk, RowGroup> {
  const columns: ColumnChunk[] = [];
  let offset = startOffset;
  let uncompressed = 0;
  for (const field of table.schema.fields) {
    const plan = columnPlan(field);
    if (!plan)
      throw new Error(`Parquet encoder: column '${field.name}' (${field.type}) has no mapping`);
    const column = table.getChild(field.name)!;
    const compress = !options.uncompressed?.has(field.name);
    const encoded = encodeColumn(column.data, plan, offset, compress);
    columns.push(encoded.chunk);
    offset += encoded.compressed;
    uncompressed += encoded.uncompressed;
    yield { parts: encoded.parts, byteLength: encoded.compressed };
  }
  return {
    columns,
    total_byte_size: BigInt(uncompressed),
    num_rows: BigInt(table.numRows),
    file_offset: BigInt(startOffset),
    total_compressed_size: BigInt(offset - startOffset),
  };
}

/**
 * One row group from two encoded parts of its columns: `first` (offsets from 0) and `second`
 * (encoded with `startOffset` = `first`'s byte length, so its chunks follow `first`'s).
 */
export function joinRowGroups(first: RowGroup, second: RowGroup): RowGroup {
  if (first.num_rows !== second.num_rows) {
    throw new Error(
      `Parquet encoder: joining row groups of ${first.num_rows} and ${second.num_rows} rows`,
    );
  }
  return {
    columns: [...first.columns, ...second.columns],
    total_byte_size: first.total_byte_size + second.total_byte_size,
    num_rows: first.num_rows,
    file_offset: first.file_offset,
    total_compressed_size:
      (first.total_compressed_size ?? 0n) + (second.total_compressed_size ?? 0n),
  };
}

/** Encodes every row of `table` as one row group (offsets from `startOffset`), all in memory. */
export function encodeRowGroup(
  table: Table,
  startOffset = 0,
  options: EncodeOptions = {},
): EncodedRowGroup {
  const parts: Uint8Array[] = [];
  const columns = encodeRowGroupColumns(table, startOffset, options);
  let next = columns.next();
  while (!next.done) {
    parts.push(...next.value.parts);
    next = columns.next();
  }
  const rowGroup = next.value;
  return { parts, byteLength: Number(rowGroup.total_compressed_size), rowGroup };
}

/** Rows per row group of a training set (a few MB per row group and column set). */
export const ROW_GROUP_ROWS = 65_536;

/**
 * A whole (small) table of at least one row as Parquet file bytes, in row groups of at most
 * `rowGroupRows` (empty tables: parquet-file.ts `tableToParquetBytes`, see `parquetFooter`).
 */
export function encodeParquetFile(
  table: Table,
  options: { rowGroupRows?: number; metadata?: Record<string, string> } = {},
): Uint8Array {
  const groupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
  const parts: Uint8Array[] = [PARQUET_MAGIC];
  const placed: RowGroup[] = [];
  let position = PARQUET_MAGIC.length;
  for (let start = 0; start < table.numRows; start += groupRows) {
    const group = encodeRowGroup(table.slice(start, Math.min(table.numRows, start + groupRows)));
    placed.push(placeRowGroup(group.rowGroup, position));
    parts.push(...group.parts);
    position += group.byteLength;
  }
  parts.push(parquetFooter(table.schema, placed, options.metadata));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `rowGroup` with its offsets moved to file position `position`. */
export function placeRowGroup(rowGroup: RowGroup, position: number): RowGroup {
  const base = BigInt(position);
  return {
    ...rowGroup,
    file_offset: (rowGroup.file_offset ?? 0n) + base,
    columns: rowGroup.columns.map((c) => ({
      ...c,
      file_offset: c.file_offset + base,
      meta_data: c.meta_data && {
        ...c.meta_data,
        data_page_offset: c.meta_data.data_page_offset + base,
      },
    })),
  };
}

/** The IPC-encapsulated schema message readers expect under `ARROW:schema`, base64. */
function arrowSchemaBase64(schema: Schema): string {
  const ipc = tableToIPC(new Table(schema), 'stream');
  const length = new DataView(ipc.buffer, ipc.byteOffset).getInt32(4, true);
  return Buffer.from(ipc.subarray(0, 8 + length)).toString('base64');
}

/** Leading magic of a Parquet file. */
export const PARQUET_MAGIC = new TextEncoder().encode('PAR1');

/** The footer (metadata, its length, `PAR1`) of a file of `rowGroups`, already placed. */
export function parquetFooter(
  schema: Schema,
  rowGroups: RowGroup[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const elements = parquetSchemaFor(schema);
  if (!elements) throw new Error('Parquet encoder: the schema has columns without a mapping');
  if (rowGroups.length === 0) {
    // hyparquet-writer types an empty Thrift list's elements as bytes, which arrow-rs and
    // pyarrow refuse in the row-group list: files without rows are parquet-wasm's
    throw new Error(
      'Parquet encoder: a file needs a row group (write empty files with parquet-wasm)',
    );
  }
  const file: FileMetaData = {
    version: 1,
    schema: elements,
    num_rows: rowGroups.reduce((sum, g) => sum + g.num_rows, 0n),
    row_groups: rowGroups,
    key_value_metadata: [
      // also in the Arrow schema: pyarrow shows that one's metadata as the schema's, not the footer's
      {
        key: 'ARROW:schema',
        value: arrowSchemaBase64(
          new Schema(schema.fields, new Map([...schema.metadata, ...Object.entries(metadata)])),
        ),
      },
      ...Object.entries(metadata).map(([key, value]) => ({ key, value })),
    ],
    created_by: CREATED_BY,
    metadata_length: 0,
  };
  const writer = new ByteWriter();
  writeMetadata(writer, file);
  writer.appendBytes(PARQUET_MAGIC);
  return writer.getBytes();
}

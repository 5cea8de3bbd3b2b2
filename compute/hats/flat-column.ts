import { DataType, Type, makeData, type Data, type Field } from 'apache-arrow';
import type { ColumnChunk, CompressionCodec, FileMetaData, SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';

/**
 * A fast path for the columns that make up most of a photometric catalog: flat (not nested),
 * OPTIONAL or REQUIRED, fixed-width numbers or booleans, PLAIN or dictionary encoded in v1/v2
 * data pages. hyparquet decodes these through plain JS arrays (definition levels, dictionary
 * indices, booleans, BigInt per int64 value, then `assembleLists` to place the nulls), which the
 * scale benchmark's profile showed as most of the read cost; here the same pages go straight
 * into Arrow buffers and a validity bitmap. hyparquet still parses the page headers (thrift),
 * decompresses pages and decodes the RLE/bit-packed runs; any other column, or a page this path
 * does not know, goes through hyparquet's general reader (`FlatColumnUnsupported`).
 */
export interface FlatColumnPlan {
  field: Field;
  /** Bytes per value (0 for booleans, stored as bits). */
  width: 0 | 4 | 8;
  optional: boolean;
  codec: CompressionCodec;
  /** Byte range of the column chunk in the file. */
  start: number;
  end: number;
}

/** Thrown when a page uses something the fast path does not decode; the caller falls back. */
export class FlatColumnUnsupported extends Error {}

const ENCODINGS = new Set(['PLAIN', 'RLE', 'RLE_DICTIONARY', 'PLAIN_DICTIONARY', 'BIT_PACKED']);

/** The plan to read `field` of `rowGroup` with the fast path, or null when it does not apply. */
export function planFlatColumn(
  metadata: FileMetaData,
  rowGroup: number,
  field: Field,
): FlatColumnPlan | null {
  const chunk = metadata.row_groups[rowGroup].columns.find(
    (c: ColumnChunk) =>
      c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === field.name,
  );
  const meta = chunk?.meta_data;
  if (!meta || chunk.file_path) return null;
  const element = topLevelElement(metadata, field.name);
  if (!element || element.num_children || element.repetition_type === 'REPEATED') return null;
  if (!meta.encodings.every((e) => ENCODINGS.has(e))) return null;
  const width = widthFor(field.type, meta.type, element);
  if (width === null) return null;
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  return {
    field,
    width,
    optional: element.repetition_type !== 'REQUIRED',
    codec: meta.codec,
    start,
    end: start + Number(meta.total_compressed_size),
  };
}

function topLevelElement(metadata: FileMetaData, name: string): SchemaElement | undefined {
  const schema = metadata.schema;
  let i = 1;
  while (i < schema.length) {
    if (schema[i].name === name) return schema[i];
    i = skipSubtree(schema, i);
  }
  return undefined;
}

function skipSubtree(schema: SchemaElement[], i: number): number {
  let pending = schema[i].num_children ?? 0;
  i++;
  while (pending-- > 0) i = skipSubtree(schema, i);
  return i;
}

/** Bytes per value when Arrow's type stores the physical values unchanged, else null. */
function widthFor(type: DataType, physical: string, element: SchemaElement): 0 | 4 | 8 | null {
  const logical = element.logical_type;
  const plainInt = (bits: number) =>
    !element.converted_type &&
    (!logical || (logical.type === 'INTEGER' && logical.bitWidth === bits && logical.isSigned));
  switch (type.typeId) {
    case Type.Float:
      if (physical === 'DOUBLE' && DataType.isFloat(type) && type.precision === 2 && !logical)
        return 8;
      if (physical === 'FLOAT' && DataType.isFloat(type) && type.precision === 1 && !logical)
        return 4;
      return null;
    case Type.Int:
      if (!DataType.isInt(type) || !type.isSigned) return null;
      if (physical === 'INT64' && type.bitWidth === 64 && plainInt(64)) return 8;
      if (physical === 'INT32' && type.bitWidth === 32 && plainInt(32)) return 4;
      return null;
    case Type.Bool:
      return physical === 'BOOLEAN' && !logical ? 0 : null;
    default:
      return null;
  }
}

/** Decodes one column chunk (`bytes` = the plan's byte range) into Arrow data of `rows` rows. */
export function decodeFlatColumn(plan: FlatColumnPlan, bytes: Uint8Array, rows: number): Data {
  const { width, optional } = plan;
  const values = new Uint8Array(width === 0 ? (rows + 7) >> 3 : rows * width);
  const validity = optional ? new Uint8Array((rows + 7) >> 3) : null;
  let nullCount = 0;
  let dictionary: Uint8Array | null = null;
  let row = 0;
  const reader = {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  };
  while (row < rows) {
    if (reader.offset >= bytes.byteLength) throw new Error(`column chunk ends after ${row} rows`);
    const header = parquetHeader(reader);
    const body = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const dph = header.dictionary_page_header!;
      if (width === 0 || (dph.encoding !== 'PLAIN' && dph.encoding !== 'PLAIN_DICTIONARY'))
        throw new FlatColumnUnsupported(`dictionary page encoding ${dph.encoding}`);
      const page = decompress(body, header.uncompressed_page_size, plan.codec);
      dictionary = page.slice(0, dph.num_values * width); // aligned copy
      continue;
    }
    let levels: Uint8Array | null; // null: every value present
    let data: Uint8Array;
    let count: number;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const dph = header.data_page_header!;
      count = dph.num_values;
      encoding = dph.encoding;
      const page = decompress(body, header.uncompressed_page_size, plan.codec);
      let offset = 0;
      levels = null;
      if (optional) {
        const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
        const length = view.getUint32(0, true);
        levels = definitionLevels(page.subarray(4, 4 + length), count);
        offset = 4 + length;
      }
      data = page.subarray(offset);
    } else if (header.type === 'DATA_PAGE_V2') {
      const dph = header.data_page_header_v2!;
      if (dph.repetition_levels_byte_length) throw new FlatColumnUnsupported('repetition levels');
      count = dph.num_values;
      encoding = dph.encoding;
      const levelBytes = dph.definition_levels_byte_length;
      levels = optional ? definitionLevels(body.subarray(0, levelBytes), count) : null;
      const rest = body.subarray(levelBytes);
      data = dph.is_compressed
        ? decompress(rest, header.uncompressed_page_size - levelBytes, plan.codec)
        : rest;
    } else {
      throw new FlatColumnUnsupported(`page type ${header.type}`);
    }
    if (row + count > rows) throw new Error(`column chunk has more than ${rows} values`);
    let present = count;
    if (validity && !levels) setBits(validity, row, count);
    else if (validity && levels) {
      present = 0;
      for (let i = 0; i < count; i++) {
        if (levels[i]) {
          present++;
          validity[(row + i) >> 3] |= 1 << ((row + i) & 7);
        }
      }
      nullCount += count - present;
    }
    const presentLevels = present < count ? levels : null;
    if (encoding === 'PLAIN') {
      placePlain(values, width, row, count, data, present, presentLevels);
    } else if (encoding === 'RLE' && width === 0) {
      const bits = new Uint8Array(present);
      const length = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
      decodeHybrid(data.subarray(0, 4 + length), 4, 1, bits);
      placeBits(values, row, count, (k) => bits[k], presentLevels);
    } else if (encoding.endsWith('_DICTIONARY') && width !== 0) {
      if (!dictionary) throw new Error('dictionary-encoded page without a dictionary page');
      placeDictionary(values, width, row, count, data, present, dictionary, presentLevels);
    } else {
      throw new FlatColumnUnsupported(`encoding ${encoding}`);
    }
    row += count;
  }
  const { field } = plan;
  const typed =
    width === 0
      ? values
      : new (field.type.ArrayType as new (b: ArrayBuffer) => ArrayLike<unknown>)(values.buffer);
  return makeData({
    type: field.type,
    length: rows,
    data: typed,
    nullBitmap: nullCount > 0 ? validity : undefined,
    nullCount,
  } as never);
}

/**
 * Definition levels (bit width 1) of one page from their RLE/bit-packed bytes; null when one RLE
 * run says every value is present, the common case, so no per-value array is made.
 */
function definitionLevels(bytes: Uint8Array, count: number): Uint8Array | null {
  // varint run header: (run length << 1) | 0 for an RLE run, then the value in one byte
  let header = 0;
  let shift = 0;
  let i = 0;
  while (i < bytes.length && i < 5) {
    const b = bytes[i++];
    header |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  if ((header & 1) === 0 && header >>> 1 >= count && bytes[i] === 1) return null;
  const levels = scratch(count);
  decodeHybrid(bytes, 0, 1, levels);
  return levels;
}

const scratchBuffers = [new ArrayBuffer(1 << 16), new ArrayBuffer(1 << 16)];

/**
 * A reused buffer of at least `bytes` bytes, slot 0 for definition levels and 1 for dictionary
 * indices (decoding is synchronous, one page at a time per thread), so that pages do not each
 * allocate them.
 */
function scratch(bytes: number, slot: 0 | 1 = 0): Uint8Array {
  if (scratchBuffers[slot].byteLength < bytes) scratchBuffers[slot] = new ArrayBuffer(bytes * 2);
  return new Uint8Array(scratchBuffers[slot], 0, bytes);
}

/** Sets bits `[from, from + n)` of a bitmap, whole bytes at a time in the middle. */
function setBits(bitmap: Uint8Array, from: number, n: number): void {
  let i = from;
  const end = from + n;
  while (i < end && (i & 7) !== 0) bitmap[i >> 3] |= 1 << (i++ & 7);
  if (end - i >= 8) {
    bitmap.fill(0xff, i >> 3, end >> 3);
    i = end & ~7;
  }
  while (i < end) bitmap[i >> 3] |= 1 << (i++ & 7);
}

function decompress(body: Uint8Array, size: number, codec: CompressionCodec): Uint8Array {
  return decompressPage(body, size, codec, compressors);
}

/** PLAIN values: `present` packed values for `count` rows (the absent ones stay zero). */
function placePlain(
  out: Uint8Array,
  width: 0 | 4 | 8,
  row: number,
  count: number,
  data: Uint8Array,
  present: number,
  levels: Uint8Array | null,
): void {
  if (width === 0) {
    if (data.byteLength < (present + 7) >> 3) throw new Error('boolean page is truncated');
    placeBits(out, row, count, (k) => (data[k >> 3] >> (k & 7)) & 1, levels);
    return;
  }
  if (data.byteLength < present * width) throw new Error('data page is truncated');
  if (!levels || present === count) {
    out.set(data.subarray(0, count * width), row * width);
    return;
  }
  // copy runs of present values
  let k = 0;
  let i = 0;
  while (i < count) {
    if (levels[i] === 0) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < count && levels[i] !== 0) i++;
    const n = i - runStart;
    out.set(data.subarray(k * width, (k + n) * width), (row + runStart) * width);
    k += n;
  }
}

function placeBits(
  out: Uint8Array,
  row: number,
  count: number,
  bit: (k: number) => number,
  levels: Uint8Array | null,
): void {
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (levels && levels[i] === 0) continue;
    if (bit(k++)) out[(row + i) >> 3] |= 1 << ((row + i) & 7);
  }
}

function placeDictionary(
  out: Uint8Array,
  width: 4 | 8,
  row: number,
  count: number,
  data: Uint8Array,
  present: number,
  dictionary: Uint8Array,
  levels: Uint8Array | null,
): void {
  const indexBytes = scratch(present * 4, 1);
  const indices = new Int32Array(indexBytes.buffer, 0, present);
  if (present > 0) {
    const bitWidth = data[0];
    if (bitWidth > 32) throw new Error(`dictionary index width ${bitWidth} is invalid`);
    if (bitWidth > 0) decodeHybrid(data, 1, bitWidth, indices);
    else indices.fill(0);
  }
  const words = width >> 2;
  const dict = new Int32Array(dictionary.buffer, dictionary.byteOffset, dictionary.byteLength >> 2);
  const entries = dict.length / words;
  const target = new Int32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
  for (let k = 0; k < present; k++) {
    if (indices[k] >>> 0 >= entries) throw new Error(`dictionary index ${indices[k]} out of range`);
  }
  if (!levels && words === 2) {
    for (let i = 0, to = row * 2; i < count; i++, to += 2) {
      const from = indices[i] * 2;
      target[to] = dict[from];
      target[to + 1] = dict[from + 1];
    }
    return;
  }
  if (!levels) {
    for (let i = 0; i < count; i++) target[row + i] = dict[indices[i]];
    return;
  }
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (levels[i] === 0) continue;
    const to = (row + i) * words;
    const from = indices[k++] * words;
    target[to] = dict[from];
    if (words === 2) target[to + 1] = dict[from + 1];
  }
}

/**
 * Parquet's RLE / bit-packed hybrid encoding (parquet-format Encodings.md) of `out.length` values
 * of `bitWidth` bits from `bytes[start..]`. hyparquet's `readRleBitPackedHybrid` does the same
 * one bit-shift step at a time into any array; this one unpacks whole values with a 32-bit
 * accumulator (widths up to 24 bits, which covers dictionaries of 16 million entries).
 */
export function decodeHybrid(
  bytes: Uint8Array,
  start: number,
  bitWidth: number,
  out: Uint8Array | Int32Array,
): void {
  if (bitWidth > 24) throw new FlatColumnUnsupported(`index width ${bitWidth}`);
  const count = out.length;
  const end = bytes.length;
  const valueBytes = (bitWidth + 7) >> 3;
  const mask = bitWidth === 0 ? 0 : (1 << bitWidth) - 1;
  let pos = start;
  let seen = 0;
  while (seen < count) {
    let header = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= end) throw new Error(`encoded values end after ${seen} of ${count}`);
      b = bytes[pos++];
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (header % 2 === 1) {
      // bit-packed: (header >> 1) groups of 8 values, bitWidth bytes per group
      const groups = Math.floor(header / 2);
      const stop = Math.min(count, seen + groups * 8);
      const packedEnd = pos + groups * bitWidth;
      if (packedEnd > end && stop - seen > ((end - pos) * 8) / Math.max(bitWidth, 1)) {
        throw new Error(`bit-packed run is cut short after ${seen} of ${count} values`);
      }
      let acc = 0;
      let bits = 0;
      let p = pos;
      for (let i = seen; i < stop; i++) {
        while (bits < bitWidth) {
          acc |= bytes[p++] << bits;
          bits += 8;
        }
        out[i] = acc & mask;
        acc >>>= bitWidth;
        bits -= bitWidth;
      }
      seen = stop;
      pos = packedEnd;
    } else {
      // RLE: header >> 1 repeats of one little-endian value
      const run = Math.floor(header / 2);
      if (pos + valueBytes > end) throw new Error(`RLE run is cut short after ${seen} values`);
      let value = 0;
      for (let k = 0; k < valueBytes; k++) value |= bytes[pos++] << (8 * k);
      out.fill(value & (mask || 0), seen, Math.min(count, seen + run));
      seen += run;
    }
  }
}

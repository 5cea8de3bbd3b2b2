import type { CompressionCodec } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';

/**
 * Walks the pages of one flat column chunk for compute/hats/flat-column.ts: hyparquet parses the
 * page headers (thrift) and decompresses; this module reads the definition levels, builds the
 * validity bitmap, and hands each page's values to the caller still encoded.
 */

/** Thrown when a page uses something the fast path does not decode; the caller falls back. */
export class FlatColumnUnsupported extends Error {}

/** One data page of `count` rows starting at `row`, `present` of them with a value. */
export interface DataPage {
  row: number;
  count: number;
  present: number;
  /** Definition level per row (0 = null), or null when every row has a value. */
  levels: Uint8Array | null;
  /** The encoded values, decompressed. */
  data: Uint8Array;
  encoding: string;
}

export interface PageSink {
  dictionary(page: Uint8Array, numValues: number, encoding: string): void;
  data(page: DataPage): void;
}

/**
 * Reads the pages of a column chunk of `rows` rows into `sink`; returns the validity bitmap of an
 * OPTIONAL column (null when REQUIRED) and its null count.
 */
export function readColumnPages(
  chunk: { optional: boolean; codec: CompressionCodec },
  bytes: Uint8Array,
  rows: number,
  sink: PageSink,
): { validity: Uint8Array | null; nullCount: number } {
  const { optional, codec } = chunk;
  const validity = optional ? new Uint8Array((rows + 7) >> 3) : null;
  let nullCount = 0;
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
      sink.dictionary(
        decompress(body, header.uncompressed_page_size, codec),
        dph.num_values,
        dph.encoding,
      );
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
      const page = decompress(body, header.uncompressed_page_size, codec);
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
        ? decompress(rest, header.uncompressed_page_size - levelBytes, codec)
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
    sink.data({ row, count, present, levels: present < count ? levels : null, data, encoding });
    row += count;
  }
  return { validity, nullCount };
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
export function scratch(bytes: number, slot: 0 | 1 = 0): Uint8Array {
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

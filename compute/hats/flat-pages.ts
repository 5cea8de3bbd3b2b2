import type { CompressionCodec } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { snappyUncompressInPlace } from './snappy-in-place';

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
  /** The encoded values, decompressed (valid only during the sink call). */
  data: Uint8Array;
  encoding: string;
  /** When only some rows are read: where they go and which values they are. */
  picks: PagePicks | null;
}

/**
 * The selected rows of one page: they fill output slots `out`, `out + 1`, ...; `values[k]` is the
 * index of slot `out + k`'s value among the page's present values, or -1 for a null.
 */
export interface PagePicks {
  out: number;
  values: Int32Array;
}

export interface PageSink {
  dictionary(page: Uint8Array, numValues: number, encoding: string): void;
  data(page: DataPage): void;
}

/**
 * Reads the pages of a column chunk of `rows` rows into `sink`; returns the validity bitmap of an
 * OPTIONAL column (null when REQUIRED) and its null count. With `select` (ascending row numbers,
 * each once) only those rows are read, in that order: the bitmap then has one bit per selected
 * row, and pages holding none of them are not decompressed.
 */
export function readColumnPages(
  chunk: { optional: boolean; codec: CompressionCodec },
  bytes: Uint8Array,
  rows: number,
  sink: PageSink,
  select?: Uint32Array,
): { validity: Uint8Array | null; nullCount: number } {
  const { optional, codec } = chunk;
  const outRows = select ? select.length : rows;
  const validity = optional ? new Uint8Array((outRows + 7) >> 3) : null;
  let nullCount = 0;
  let row = 0;
  let picked = 0; // selected rows before this page
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
      const page = decompress(body, header.uncompressed_page_size, codec);
      sink.dictionary(
        codec === 'SNAPPY' ? page.slice() : page, // kept by the sink beyond the next page
        dph.num_values,
        dph.encoding,
      );
      continue;
    }
    let levels: Uint8Array | null; // null: every value present
    let data: Uint8Array;
    let count: number;
    let encoding: string;
    let pickEnd = picked;
    if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
      count = (header.data_page_header ?? header.data_page_header_v2)!.num_values;
      if (select) {
        while (pickEnd < select.length && select[pickEnd] < row + count) pickEnd++;
        if (pickEnd === picked) {
          row += count; // no selected row here: skip the page undecoded
          continue;
        }
      }
    }
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
    if (levels) {
      present = 0;
      for (let i = 0; i < count; i++) if (levels[i]) present++;
    }
    const dense = present < count ? levels : null;
    let picks: PagePicks | null = null;
    if (select) {
      picks = pickValues(select, picked, pickEnd, row, dense);
      if (validity) nullCount += markPicked(validity, picks);
      picked = pickEnd;
    } else if (validity && !dense) setBits(validity, row, count);
    else if (validity && dense) {
      for (let i = 0; i < count; i++) {
        if (dense[i]) validity[(row + i) >> 3] |= 1 << ((row + i) & 7);
      }
      nullCount += count - present;
    }
    sink.data({ row, count, present, levels: dense, data, encoding, picks });
    row += count;
  }
  return { validity, nullCount };
}

/**
 * Output slots `from..to` take rows `select[from..to)` of the page starting at `row`: the index of
 * each one's value among the page's present values (the rows before it with a level), or -1.
 */
function pickValues(
  select: Uint32Array,
  from: number,
  to: number,
  row: number,
  levels: Uint8Array | null,
): PagePicks {
  const values = new Int32Array(scratch((to - from) * 4, 2).buffer, 0, to - from);
  if (!levels) {
    for (let k = from; k < to; k++) values[k - from] = select[k] - row;
    return { out: from, values };
  }
  let i = 0;
  let value = 0;
  for (let k = from; k < to; k++) {
    const r = select[k] - row;
    for (; i < r; i++) value += levels[i];
    values[k - from] = levels[r] ? value : -1;
  }
  return { out: from, values };
}

/** Sets the validity bits of the picked slots that have a value; returns how many are null. */
function markPicked(validity: Uint8Array, picks: PagePicks): number {
  let nulls = 0;
  const { out, values } = picks;
  for (let k = 0; k < values.length; k++) {
    if (values[k] < 0) nulls++;
    else validity[(out + k) >> 3] |= 1 << ((out + k) & 7);
  }
  return nulls;
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

const scratchBuffers = [0, 1, 2].map(() => new ArrayBuffer(1 << 16));

/**
 * A reused buffer of at least `bytes` bytes, slot 0 for definition levels, 1 for dictionary
 * indices and 2 for picked rows (decoding is synchronous, one page at a time per thread), so that
 * pages do not each allocate them.
 */
export function scratch(bytes: number, slot: 0 | 1 | 2 = 0): Uint8Array {
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

/** A decompressed page; a Snappy page is valid until the next decompress (snappy-in-place.ts). */
function decompress(body: Uint8Array, size: number, codec: CompressionCodec): Uint8Array {
  return decompressPage(body, size, codec, codec === 'SNAPPY' ? inPlace : compressors);
}

const inPlace = { SNAPPY: snappyUncompressInPlace };

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

/**
 * As {@link decodeHybrid}, but only the values at `positions` (ascending; -1 = none, giving -1):
 * runs are skipped by their headers and bit-packed values read where they lie, so a page costs
 * its run count plus the values picked, not its value count.
 */
export function decodeHybridAt(
  bytes: Uint8Array,
  start: number,
  bitWidth: number,
  positions: Int32Array,
  out: Int32Array,
): void {
  if (bitWidth > 24) throw new FlatColumnUnsupported(`index width ${bitWidth}`);
  const n = positions.length;
  const end = bytes.length;
  const valueBytes = (bitWidth + 7) >> 3;
  const mask = bitWidth === 0 ? 0 : (1 << bitWidth) - 1;
  let k = 0;
  while (k < n && positions[k] < 0) out[k++] = -1;
  let pos = start;
  let seen = 0; // values in the runs before `pos`
  while (k < n) {
    let header = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= end) throw new Error(`encoded values end after ${seen}`);
      b = bytes[pos++];
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    const runLength = header % 2 === 1 ? Math.floor(header / 2) * 8 : Math.floor(header / 2);
    const runEnd = seen + runLength;
    if (header % 2 === 1) {
      for (; k < n && positions[k] < runEnd; k++) {
        if (positions[k] < 0) {
          out[k] = -1;
          continue;
        }
        const bit = (positions[k] - seen) * bitWidth;
        const at = pos + (bit >> 3);
        const offset = bit & 7;
        if (at + ((offset + bitWidth + 7) >> 3) > end)
          throw new Error(`bit-packed run is cut short at value ${positions[k]}`);
        const word =
          bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
        out[k] = (word >>> offset) & mask;
      }
      pos += (runLength / 8) * bitWidth;
    } else {
      if (pos + valueBytes > end) throw new Error(`RLE run is cut short after ${seen} values`);
      let value = 0;
      for (let j = 0; j < valueBytes; j++) value |= bytes[pos++] << (8 * j);
      for (; k < n && positions[k] < runEnd; k++) out[k] = positions[k] < 0 ? -1 : value & mask;
    }
    seen = runEnd;
  }
}

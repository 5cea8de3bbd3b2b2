import { decodeHybrid, decodeHybridAt, scratch, type DataPage, type PagePicks } from './flat-pages';

/**
 * Places one data page's fixed-width values (4 or 8 bytes, or bits for booleans) into the
 * column's Arrow value buffer `out` at the page's rows, or at its picked slots when only some
 * rows are read; rows without a value stay zero.
 */

/** PLAIN values: `present` packed values for `count` rows. */
export function placePlain(out: Uint8Array, width: 0 | 4 | 8, page: DataPage): void {
  const { row, count, present, levels, data, picks } = page;
  if (width === 0) {
    if (data.byteLength < (present + 7) >> 3) throw new Error('boolean page is truncated');
    const bit = (k: number) => (data[k >> 3] >> (k & 7)) & 1;
    if (picks) pickBits(out, picks, bit);
    else placeBits(out, row, count, bit, levels);
    return;
  }
  if (data.byteLength < present * width) throw new Error('data page is truncated');
  if (picks) {
    if (width === 8) pickBytes8(out, data, picks);
    else pickBytes4(out, data, picks);
    return;
  }
  if (!levels) {
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

// The picked values of a page copied byte by byte (a page's values need not be aligned for a
// wider view), unrolled per width.

function pickBytes8(out: Uint8Array, data: Uint8Array, picks: PagePicks): void {
  const { values } = picks;
  for (let k = 0, to = picks.out * 8; k < values.length; k++, to += 8) {
    const from = values[k] * 8;
    if (from < 0) continue;
    out[to] = data[from];
    out[to + 1] = data[from + 1];
    out[to + 2] = data[from + 2];
    out[to + 3] = data[from + 3];
    out[to + 4] = data[from + 4];
    out[to + 5] = data[from + 5];
    out[to + 6] = data[from + 6];
    out[to + 7] = data[from + 7];
  }
}

function pickBytes4(out: Uint8Array, data: Uint8Array, picks: PagePicks): void {
  const { values } = picks;
  for (let k = 0, to = picks.out * 4; k < values.length; k++, to += 4) {
    const from = values[k] * 4;
    if (from < 0) continue;
    out[to] = data[from];
    out[to + 1] = data[from + 1];
    out[to + 2] = data[from + 2];
    out[to + 3] = data[from + 3];
  }
}

/** RLE-encoded booleans (4-byte length, then RLE/bit-packed runs of width 1). */
export function decodeBooleanRle(out: Uint8Array, page: DataPage): void {
  const { data } = page;
  const bits = new Uint8Array(page.present);
  const length = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  decodeHybrid(data.subarray(0, 4 + length), 4, 1, bits);
  if (page.picks) pickBits(out, page.picks, (k) => bits[k]);
  else placeBits(out, page.row, page.count, (k) => bits[k], page.levels);
}

/** Bits of the picked values into their output slots. */
function pickBits(out: Uint8Array, picks: PagePicks, bit: (k: number) => number): void {
  const { values } = picks;
  for (let k = 0; k < values.length; k++) {
    const slot = picks.out + k;
    if (values[k] >= 0 && bit(values[k])) out[slot >> 3] |= 1 << (slot & 7);
  }
}

export function placeBits(
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

/**
 * Dictionary indices of the picked rows of a page (aligned with `picks.values`; -1 for nulls),
 * decoding only those.
 */
export function pickedDictionaryIndices(page: DataPage, entries: number): Int32Array {
  const { data, picks } = page;
  const positions = picks!.values;
  const indices = new Int32Array(scratch(positions.length * 4, 1).buffer, 0, positions.length);
  const bitWidth = page.present > 0 ? data[0] : 0;
  if (bitWidth > 32) throw new Error(`dictionary index width ${bitWidth} is invalid`);
  decodeHybridAt(data, 1, bitWidth, positions, indices);
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] >= entries) throw new Error(`dictionary index ${indices[k]} out of range`);
  }
  return indices;
}

/** Dictionary indices of a page's present values (bit width in the first byte). */
export function dictionaryIndices(page: DataPage, entries: number): Int32Array {
  const { data, present } = page;
  const indices = new Int32Array(scratch(present * 4, 1).buffer, 0, present);
  if (present > 0) {
    const bitWidth = data[0];
    if (bitWidth > 32) throw new Error(`dictionary index width ${bitWidth} is invalid`);
    if (bitWidth > 0) decodeHybrid(data, 1, bitWidth, indices);
    else indices.fill(0);
  }
  for (let k = 0; k < present; k++) {
    if (indices[k] >>> 0 >= entries) throw new Error(`dictionary index ${indices[k]} out of range`);
  }
  return indices;
}

/** Dictionary-encoded values: each present row gets its dictionary entry (4 or 8 bytes). */
export function placeDictionary(
  out: Uint8Array,
  width: 4 | 8,
  page: DataPage,
  dictionary: Uint8Array,
): void {
  const { row, count, levels, picks } = page;
  const words = width >> 2;
  const dict = new Int32Array(dictionary.buffer, dictionary.byteOffset, dictionary.byteLength >> 2);
  const target = new Int32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
  if (picks) {
    const picked = pickedDictionaryIndices(page, dict.length / words);
    for (let k = 0, to = picks.out * words; k < picked.length; k++, to += words) {
      if (picked[k] < 0) continue;
      const from = picked[k] * words;
      target[to] = dict[from];
      if (words === 2) target[to + 1] = dict[from + 1];
    }
    return;
  }
  const indices = dictionaryIndices(page, dict.length / words);
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

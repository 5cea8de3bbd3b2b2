import { makeData, type Data, type Utf8 } from 'apache-arrow';
import { FlatColumnUnsupported, readColumnPages, type DataPage, type PageSink } from './flat-pages';
import { dictionaryIndices, pickedDictionaryIndices } from './flat-values';
import type { FlatColumnPlan } from './flat-column';

/**
 * Flat UTF-8 string columns (BYTE_ARRAY, PLAIN or dictionary encoded) straight into an Arrow Utf8
 * vector: the bytes are copied as they are (no decode to JS strings), nulls are empty entries.
 * PLAIN byte arrays are a 4-byte little-endian length then the bytes (parquet-format
 * Encodings.md), in data pages and dictionary pages alike.
 */
export function decodeUtf8Column(
  plan: FlatColumnPlan,
  bytes: Uint8Array,
  rows: number,
  select?: Uint32Array,
): Data {
  const length = select ? select.length : rows;
  const sink = new Utf8Sink(
    new Int32Array(length + 1),
    Math.max(1024, select ? 16 * length : bytes.byteLength),
  );
  const { validity, nullCount } = readColumnPages(plan, bytes, rows, sink, select);
  const { offsets, used } = sink;
  if (used > 0x7fffffff) throw new FlatColumnUnsupported('more than 2 GB of strings');
  return makeData({
    type: plan.field.type as Utf8,
    length,
    nullCount,
    nullBitmap: nullCount > 0 ? validity : undefined,
    valueOffsets: offsets,
    data: sink.out.subarray(0, used),
  });
}

/**
 * Gathers the byte arrays of a column's pages into Arrow's offsets and bytes. A class, not an
 * object literal of closures made per column: V8 compiled each such closure anew (29 times per
 * run on its background threads, bench 10M x 1M), a class method once.
 */
class Utf8Sink implements PageSink {
  out: Uint8Array;
  used = 0;
  private dictionaryArrays: { data: Uint8Array; starts: Int32Array } | null = null;

  constructor(
    readonly offsets: Int32Array,
    capacity: number,
  ) {
    this.out = new Uint8Array(capacity);
  }

  private append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    let { out, used } = this;
    if (used + n > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, used + n));
      bigger.set(out.subarray(0, used));
      out = this.out = bigger;
    }
    // short strings (the usual case) by hand: a subarray per value costs more than the copy
    if (n < 64) for (let j = start; j < end; j++) out[used++] = src[j];
    else {
      out.set(src.subarray(start, end), used);
      used += n;
    }
    this.used = used;
  }

  dictionary(page: Uint8Array, numValues: number, encoding: string): void {
    if (encoding !== 'PLAIN' && encoding !== 'PLAIN_DICTIONARY')
      throw new FlatColumnUnsupported(`dictionary page encoding ${encoding}`);
    this.dictionaryArrays = { data: page, starts: byteArrayStarts(page, numValues) };
  }

  data(page: DataPage): void {
    const { row, count, levels, data, encoding, picks } = page;
    const { offsets } = this;
    if (picks) {
      // entries[k]: the byte array of `source` that row k takes (-1 = null)
      let source = data;
      let starts: Int32Array;
      let entries = picks.values;
      if (encoding === 'PLAIN') starts = byteArrayStarts(data, page.present);
      else if (encoding.endsWith('_DICTIONARY')) {
        const dictionary = this.requireDictionary();
        ({ data: source, starts } = dictionary);
        entries = pickedDictionaryIndices(page, starts.length - 1);
      } else throw new FlatColumnUnsupported(`encoding ${encoding}`);
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k];
        if (e >= 0) this.append(source, starts[e] + 4, starts[e + 1]);
        offsets[picks.out + k + 1] = this.used;
      }
      return;
    }
    if (encoding === 'PLAIN') {
      const starts = byteArrayStarts(data, page.present);
      let k = 0;
      for (let i = 0; i < count; i++) {
        if (!levels || levels[i] !== 0) {
          this.append(data, starts[k] + 4, starts[k + 1]);
          k++;
        }
        offsets[row + i + 1] = this.used;
      }
    } else if (encoding.endsWith('_DICTIONARY')) {
      const { data: dict, starts } = this.requireDictionary();
      const indices = dictionaryIndices(page, starts.length - 1);
      let k = 0;
      for (let i = 0; i < count; i++) {
        if (!levels || levels[i] !== 0) {
          const e = indices[k++];
          this.append(dict, starts[e] + 4, starts[e + 1]);
        }
        offsets[row + i + 1] = this.used;
      }
    } else throw new FlatColumnUnsupported(`encoding ${encoding}`);
  }

  private requireDictionary(): { data: Uint8Array; starts: Int32Array } {
    if (!this.dictionaryArrays)
      throw new Error('dictionary-encoded page without a dictionary page');
    return this.dictionaryArrays;
  }
}

/**
 * Where each of `n` PLAIN byte arrays starts (its length prefix), plus the end of the last one:
 * entry k is bytes [starts[k] + 4, starts[k + 1]). The loop checks its bounds once per value and
 * throws after it: a throw (and a DataView) inside made it ten times slower, and it runs over
 * every value of a page even when a few rows are picked.
 */
function byteArrayStarts(data: Uint8Array, n: number): Int32Array {
  const starts = new Int32Array(n + 1);
  const end = data.length;
  let pos = 0;
  let k = 0;
  while (k < n && pos + 4 <= end) {
    starts[k++] = pos;
    const length = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16) | (data[pos + 3] << 24);
    // a length of 2 GiB or more (negative here) cannot fit in the page
    pos = length < 0 ? end + 1 : pos + 4 + length;
  }
  if (k < n || pos > end) throw new Error(`byte array ${k} of ${n} is cut short`);
  starts[n] = pos;
  return starts;
}

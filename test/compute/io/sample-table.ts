import { Bool, Float32, Float64, Int32, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';

/** Names with the characters writers must escape: comma, quote, newline, non-ASCII, empty, null. */
export const NAMES = ['plain', 'a,b', 'q"uote', 'line\nbreak', 'ünïcödé', '', null, '  padded'];
export const BIG_ID = 9007199254740993n; // 2^53 + 1: not representable as a float64

/** Rows [start, start + n) of a deterministic table with every column type we promise to keep. */
export function sampleBatch(start: number, n: number): Table {
  const idx = Array.from({ length: n }, (_, k) => start + k);
  return new Table({
    id: vectorFromArray(
      idx.map((i) => BIG_ID + BigInt(i) * 1_000_003n),
      new Int64(),
    ),
    ra: vectorFromArray(
      idx.map((i) => (i % 97 === 5 ? NaN : (i * 0.123456789012345) % 360)),
      new Float64(),
    ),
    mag: vectorFromArray(
      idx.map((i) => (i % 11 === 0 ? 0.1 : 18 + (i % 1000) / 333)),
      new Float32(),
    ),
    n: vectorFromArray(
      idx.map((i) => i - 1000),
      new Int32(),
    ),
    flag: vectorFromArray(
      idx.map((i) => (i % 13 === 0 ? null : i % 2 === 0)),
      new Bool(),
    ),
    name: vectorFromArray(
      idx.map((i) => NAMES[i % NAMES.length]),
      new Utf8(),
    ),
  });
}

export const SAMPLE_BATCHES: [number, number][] = [
  [0, 1000],
  [1000, 1],
  [1001, 1499],
];

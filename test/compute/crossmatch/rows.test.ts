/**
 * sortedPixelRange against a direct oracle (the rows whose index, shifted to the pixel's order,
 * equals the pixel), on sorted int64 spatial indices in one chunk and in several; and its refusal
 * (null, the caller then computes pixels row by row) of unsorted indices, whether they go down in
 * the high or only in the low 32-bit word, of nulls and of a finer order than the index's.
 */
import { Int64, Table, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { sortedPixelRange } from '../../../compute/crossmatch/rows';
import { mulberry32 } from './sky';

const FROM_ORDER = 29;

function tableOf(indices: (bigint | null)[], chunks = 1): Table {
  const size = Math.ceil(indices.length / chunks);
  const batches = Array.from(
    { length: chunks },
    (_, c) =>
      new Table({
        _healpix_29: vectorFromArray(indices.slice(c * size, (c + 1) * size), new Int64()),
      }).batches[0],
  );
  return new Table(batches);
}

function oracle(indices: bigint[], order: number, pixel: number): [number, number] {
  const shift = BigInt(2 * (FROM_ORDER - order));
  const rows = indices.flatMap((v, i) => (v >> shift === BigInt(pixel) ? [i] : []));
  return rows.length === 0
    ? [indices.findIndex((v) => v >> shift > BigInt(pixel)), -1]
    : [rows[0], rows[rows.length - 1] + 1];
}

describe('sortedPixelRange', () => {
  // indices of order-29 pixels in a few order-5 pixels, with low words crossing 2^31
  const rand = mulberry32(44);
  const indices = Array.from({ length: 3000 }, () => {
    const pixel5 = BigInt(100 + Math.floor(rand() * 4));
    return (pixel5 << 48n) + BigInt(Math.floor(rand() * 2 ** 47));
  }).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it('finds the rows of a pixel by binary search, in one chunk or several', () => {
    for (const chunks of [1, 3]) {
      const table = tableOf(indices, chunks);
      for (const [order, pixel] of [
        [5, 100],
        [5, 101],
        [5, 103],
        [6, 4 * 102 + 1],
        [3, 6],
      ]) {
        const got = sortedPixelRange(table, '_healpix_29', FROM_ORDER, order, pixel)!;
        const [start, end] = oracle(indices, order, pixel);
        expect(got[0], `${chunks} chunks, order ${order} pixel ${pixel}`).toBe(start);
        if (end >= 0) expect(got[1]).toBe(end);
        else expect(got[1]).toBe(got[0]); // no row: an empty range
        if (end >= 0) expect(end - start).toBeGreaterThan(10);
      }
    }
  });

  it('answers for the chunks asked about when two tables share their first chunk', () => {
    const a = tableOf(indices, 3);
    expect(sortedPixelRange(a, '_healpix_29', FROM_ORDER, 5, 101)).toEqual(oracle(indices, 5, 101));
    // the same first row group, then other rows: sorted in b, going down in c
    const tail = indices.slice(1000).map((v) => v + (1n << 50n));
    const b = new Table([a.batches[0], tableOf(tail).batches[0]]);
    const bIndices = [...indices.slice(0, 1000), ...tail];
    for (const pixel of [101, 104, 105]) {
      const got = sortedPixelRange(b, '_healpix_29', FROM_ORDER, 5, pixel)!;
      const [start, end] = oracle(bIndices, 5, pixel);
      expect(got[0], `pixel ${pixel}`).toBe(start);
      if (end >= 0) expect(got[1]).toBe(end);
    }
    const c = new Table([a.batches[0], tableOf([indices[0]]).batches[0]]);
    expect(sortedPixelRange(c, '_healpix_29', FROM_ORDER, 5, 101)).toBeNull();
    // and again on the first table (answers kept per table)
    expect(sortedPixelRange(a, '_healpix_29', FROM_ORDER, 5, 103)).toEqual(oracle(indices, 5, 103));
  });

  it('refuses unsorted indices, nulls and an order finer than the index', () => {
    const downInLow = [...indices];
    // same high word, lower low word
    downInLow[1500] = downInLow[1499] - 1n;
    expect(downInLow[1500] >> 32n).toBe(downInLow[1499] >> 32n);
    const downInHigh = [...indices];
    downInHigh[2000] = downInHigh[0];
    for (const unsorted of [downInLow, downInHigh]) {
      expect(sortedPixelRange(tableOf(unsorted), '_healpix_29', FROM_ORDER, 5, 101)).toBeNull();
    }
    const withNull: (bigint | null)[] = [...indices];
    withNull[10] = null;
    expect(sortedPixelRange(tableOf(withNull), '_healpix_29', FROM_ORDER, 5, 101)).toBeNull();
    expect(sortedPixelRange(tableOf(indices), '_healpix_29', 5, 6, 101)).toBeNull();
    expect(sortedPixelRange(tableOf(indices), 'missing', FROM_ORDER, 5, 101)).toBeNull();
  });
});

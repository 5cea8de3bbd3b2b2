import {
  Bool,
  Field,
  Float32,
  Float64,
  Int16,
  Int64,
  Int8,
  List,
  Struct,
  Table,
  Uint32,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { locateRows, takeRows, takeTable } from '../../../compute/arrow/take';
import { mulberry32 } from '../crossmatch/sky';

describe('takeRows', () => {
  it('equals Vector.get per index (several chunks, nulls, -1 = null) for numbers, strings, booleans', () => {
    const rand = mulberry32(3);
    const kinds: [DataType, () => unknown][] = [
      [new Float64(), () => (rand() - 0.5) * 1e6],
      [new Float32(), () => Math.fround(rand() * 100)],
      [new Int64(), () => BigInt(Math.floor((rand() - 0.5) * 2 ** 53)) * 1024n],
      [new Int16(), () => Math.floor((rand() - 0.5) * 60000)],
      [new Int8(), () => Math.floor((rand() - 0.5) * 250)],
      [new Uint32(), () => Math.floor(rand() * 2 ** 32)],
      [new Utf8(), () => `s${Math.floor(rand() * 1000)}é`],
      [new Bool(), () => rand() < 0.5],
    ];
    for (const [type, value] of kinds) {
      const parts = [50, 1, 80].map((n, c) =>
        vectorFromArray(
          Array.from({ length: n }, () => (c === 2 && rand() < 0.2 ? null : value())),
          type,
        ),
      );
      const vector = parts[0].concat(parts[1], parts[2]);
      expect(vector.data.length).toBe(3);
      const indices = Int32Array.from({ length: 400 }, () =>
        rand() < 0.1 ? -1 : Math.floor(rand() * vector.length),
      );
      const got = takeRows(vector, indices);
      expect(got.type.toString()).toBe(type.toString());
      const want = Array.from(indices, (i) => (i < 0 ? null : vector.get(i)));
      expect(Array.from({ length: got.length }, (_, i) => got.get(i))).toEqual(want);
      expect(want.filter((v) => v === null).length).toBeGreaterThan(10);
      // the same with the rows located once for a table's columns (takeTable, buildOutputTable)
      const locations = locateRows(new Table({ v: vector }), indices)!;
      expect(locations.chunkLengths).toEqual([50, 1, 80]);
      const gotLocated = takeRows(vector, indices, locations);
      expect(Array.from({ length: gotLocated.length }, (_, i) => gotLocated.get(i))).toEqual(want);
    }
  });
});

describe('takeRows of one chunk without nulls (the per-type loops)', () => {
  it('equals Vector.get for every fixed width, strings and booleans, with Int32 and Uint32 indices, -1 giving null', () => {
    const rand = mulberry32(21);
    const kinds: [DataType, () => unknown][] = [
      [new Float64(), () => (rand() - 0.5) * 1e300],
      [new Int64(), () => BigInt(Math.floor((rand() - 0.5) * 2 ** 53)) * 4099n],
      [new Float32(), () => Math.fround((rand() - 0.5) * 1e30)],
      [new Uint32(), () => Math.floor(rand() * 2 ** 32)],
      [new Int16(), () => Math.floor((rand() - 0.5) * 60000)],
      [new Int8(), () => Math.floor((rand() - 0.5) * 250)],
      [new Utf8(), () => `s${Math.floor(rand() * 1000)}é`.repeat(Math.floor(rand() * 3))],
      [new Bool(), () => rand() < 0.5],
    ];
    for (const [type, value] of kinds) {
      const vector = vectorFromArray(
        Array.from({ length: 300 }, () => value()),
        type,
      );
      expect(vector.data.length).toBe(1);
      expect(vector.nullCount).toBe(0);
      const random = Array.from({ length: 700 }, () => Math.floor(rand() * vector.length));
      const withNulls = Int32Array.from(random, (r, i) => (i % 9 === 4 ? -1 : r));
      for (const indices of [Int32Array.from(random), Uint32Array.from(random), withNulls]) {
        const got = takeRows(vector, indices);
        const want = Array.from(indices, (i) => (i < 0 ? null : vector.get(i)));
        expect(
          Array.from({ length: got.length }, (_, i) => got.get(i)),
          type.toString(),
        ).toEqual(want);
        expect(got.nullCount).toBe(want.filter((v) => v === null).length);
      }
    }
  });
});

describe('takeTable of a table of several record batches', () => {
  it('equals Vector.get per column with the rows located once (and without, for a column with nulls)', () => {
    const rand = mulberry32(34);
    const batches = [70, 1, 130, 45].map((rows, b) => {
      const t = new Table({
        f64: vectorFromArray(
          Array.from({ length: rows }, () => (rand() - 0.5) * 1e10),
          new Float64(),
        ),
        i64: vectorFromArray(
          Array.from({ length: rows }, () => BigInt(Math.floor(rand() * 2 ** 40)) - 2n ** 39n),
          new Int64(),
        ),
        f32: vectorFromArray(
          Array.from({ length: rows }, () => Math.fround(rand() * 1000)),
          new Float32(),
        ),
        withNulls: vectorFromArray(
          Array.from({ length: rows }, (_, i) => (b === 2 && i % 5 === 0 ? null : i)),
          new Float64(),
        ),
      });
      return t.batches[0];
    });
    const table = new Table(batches);
    expect(table.batches.length).toBe(4);
    const n = table.numRows;
    const indices = Int32Array.from({ length: 900 }, (_, i) =>
      i % 11 === 0 ? -1 : Math.floor(rand() * n),
    );
    const located = locateRows(table, indices)!;
    expect(Array.from(located.chunk).filter((c) => c === 3).length).toBeGreaterThan(100);
    const taken = takeTable(table, indices);
    for (const name of ['f64', 'i64', 'f32', 'withNulls'] as const) {
      const column = table.getChild(name)!;
      const want = Array.from(indices, (i) => (i < 0 ? null : column.get(i)));
      const got = taken.getChild(name)!;
      expect(
        Array.from({ length: got.length }, (_, i) => got.get(i)),
        name,
      ).toEqual(want);
    }
    expect(locateRows(new Table([batches[0]]), indices)).toBeUndefined();
  });
});

describe('takeRows over many chunks', () => {
  it('equals Vector.get for ascending, descending and random rows', () => {
    const rand = mulberry32(8);
    const parts = Array.from({ length: 40 }, (_, c) =>
      vectorFromArray(
        Array.from({ length: 1 + Math.floor(rand() * 30) }, (_, i) =>
          i % 7 === 3 ? null : c * 100 + i,
        ),
        new Float64(),
      ),
    );
    const vector = parts[0].concat(...parts.slice(1));
    const n = vector.length;
    for (const indices of [
      Int32Array.from({ length: n }, (_, i) => i),
      Int32Array.from({ length: n }, (_, i) => n - 1 - i),
      Int32Array.from({ length: 3 * n }, () => Math.floor(rand() * n)),
    ]) {
      const got = takeRows(vector, indices);
      const want = Array.from(indices, (i) => vector.get(i));
      expect(Array.from({ length: got.length }, (_, i) => got.get(i))).toEqual(want);
    }
  });
});

describe('takeRows on sliced chunks', () => {
  it('reads strings and booleans of a chunk that starts inside its buffers', () => {
    const strings = vectorFromArray(['a', 'bb', null, 'dddd', 'e', 'ff'], new Utf8()).slice(2);
    // no null in the slice: read straight from the chunk's offsets
    const dense = vectorFromArray(['a', 'bb', 'ccc', 'dddd', 'e', 'ff'], new Utf8()).slice(2);
    const bools = vectorFromArray([true, false, null, true, false, true, true], new Bool()).slice(
      3,
    );
    const idx = Int32Array.from([3, -1, 0, 1, 2]);
    for (const v of [strings, dense, bools]) {
      const got = takeRows(v, idx);
      expect(Array.from({ length: got.length }, (_, i) => got.get(i))).toEqual(
        Array.from(idx, (i) => (i < 0 ? null : v.get(i))),
      );
    }
  });

  it('keeps the values of nested columns (a struct of lists, lists of structs)', () => {
    const structOfLists = new Struct([
      new Field('mag', new List(new Field('item', new Float64(), true)), true),
      new Field('band', new List(new Field('item', new Utf8(), true)), true),
    ]);
    const listOfStructs = new List(
      new Field('item', new Struct([new Field('id', new Int64(), true)]), true),
    );
    const rows = [
      { mag: [18.5, 19.25], band: ['g', 'r'] },
      null,
      { mag: [], band: ['z'] },
      { mag: [21, null], band: null },
    ];
    const lists = [[{ id: 7n }], null, [], [{ id: 1n }, { id: null }]];
    const indices = Int32Array.of(3, 0, -1, 2, 1, 3);
    const plain = (v: unknown) =>
      JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    for (const [type, values] of [
      [structOfLists, rows],
      [listOfStructs, lists],
    ] as const) {
      const vector = vectorFromArray(values as unknown[], type as DataType);
      const taken = takeRows(vector, indices);
      expect(taken.type.toString()).toBe(vector.type.toString());
      const got = Array.from({ length: indices.length }, (_, i) => plain(taken.get(i)));
      const want = Array.from(indices, (i) => (i < 0 ? 'null' : plain(vector.get(i))));
      expect(got).toEqual(want);
      expect(got.filter((g) => g !== 'null').length).toBe(4);
    }
  });
});

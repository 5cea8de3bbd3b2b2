/**
 * Arrow table -> parquet (parquet-wasm, i.e. the Rust parquet writer) -> this reader: every
 * supported type comes back with the same Arrow type and values, nulls included.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bool,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Field,
  Map_,
  Struct,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import type { DecodedArray } from 'hyparquet';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { openHats } from '../../../compute/hats';
import { LocalFileSource } from '../../../compute/hats/byte-source';
import { concatDecoded, piecesToArrowData, toArrowData } from '../../../compute/hats/arrow-columns';
import { openParquet, readRowGroup } from '../../../compute/hats/parquet-file';
import { arrowSchemaFromParquet } from '../../../compute/hats/parquet-schema';
import { tempCopy } from './helpers';
import { LSDB_DATA } from '../../fixtures';

const COLUMNS: [string, DataType, unknown[]][] = [
  ['f64', new Float64(), [1.5, null, -2.25, 1e300]],
  ['f32', new Float32(), [0.5, 3.25, null, -1]],
  ['i8', new Int8(), [-128, 127, null, 0]],
  ['i16', new Int16(), [-32768, 32767, 1, null]],
  ['i32', new Int32(), [-2147483648, 2147483647, null, 7]],
  ['i64', new Int64(), [-(2n ** 63n), 2n ** 62n + 1n, null, 3187422220182231470n]],
  ['u8', new Uint8(), [0, 255, null, 1]],
  ['u16', new Uint16(), [0, 65535, 2, null]],
  ['u32', new Uint32(), [0, 4294967295, null, 5]],
  ['u64', new Uint64(), [0n, 2n ** 64n - 1n, null, 42n]],
  ['flag', new Bool(), [true, false, null, true]],
  ['name', new Utf8(), ['NGC 1', null, 'é→★', '']],
  ['mags', new List(new Field('item', new Float64(), true)), [[1, 2], [], null, [3.5]]],
];

function valuesOf(t: Table, name: string): unknown[] {
  return Array.from({ length: t.numRows }, (_, i) => {
    const v = t.getChild(name)!.get(i);
    return v && typeof v === 'object' && 'toArray' in v ? Array.from(v.toArray()) : v;
  });
}

describe('parquet types round trip', () => {
  it('reads every supported type with nulls, as the writer wrote it', async () => {
    const input = new Table(
      Object.fromEntries(COLUMNS.map(([n, type, values]) => [n, vectorFromArray(values, type)])),
    );
    const dir = tempCopy(join(LSDB_DATA, 'small_sky_npix_as_dir', 'dataset', 'Norder=0'));
    const path = join(dir, 'types.parquet');
    writeFileSync(path, pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(input, 'stream'))));

    const file = await openParquet(new LocalFileSource(path));
    const { schema, unsupported } = arrowSchemaFromParquet(file.metadata);
    expect(unsupported.size).toBe(0);
    expect(schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      COLUMNS.map(([n, type]) => `${n}:${type}`),
    );
    const t = await readRowGroup(file, 0, schema.fields);
    for (const [name, , values] of COLUMNS) expect(valuesOf(t, name), name).toEqual(values);
    const nulls = Object.fromEntries(COLUMNS.map(([n]) => [n, t.getChild(n)!.nullCount]));
    expect(nulls).toEqual(
      Object.fromEntries(COLUMNS.map(([n, , v]) => [n, v.filter((x) => x === null).length])),
    );
  });
});

describe('toArrowData', () => {
  it('uses typed arrays zero-copy', () => {
    const values = new Float64Array([1, 2, 3]);
    expect(toArrowData(values, new Float64()).values).toBe(values);
    const big = new BigInt64Array([1n, 2n]);
    expect(toArrowData(big, new Int64()).values).toBe(big);
  });

  it('converts plain arrays (dictionary pages) to typed arrays with a validity bitmap', () => {
    const d = toArrowData([1, undefined, 3] as unknown as Float64Array, new Float64());
    expect(d.values).toBeInstanceOf(Float64Array);
    expect(Array.from(d.values as Float64Array)).toEqual([1, 0, 3]);
    expect(d.nullCount).toBe(1);
    const i64 = toArrowData([5n, 7] as unknown as BigInt64Array, new Int64());
    expect(Array.from(i64.values as BigInt64Array)).toEqual([5n, 7n]);
  });
});

describe('piecesToArrowData', () => {
  it('equals concat + slice + toArrowData for mixed typed / plain pieces, with nulls and a skip', () => {
    type Case = [DecodedArray[], DataType];
    const cases: Case[] = [
      [
        [
          new Float64Array([1.5, 2]),
          [3, undefined, 5] as unknown as DecodedArray,
          new Float32Array([0.1, 7]),
        ],
        new Float64(),
      ],
      [
        [
          [1n, 2n, null] as unknown as DecodedArray,
          new BigInt64Array([4n, 5n]),
          [6n] as unknown as DecodedArray,
        ],
        new Int64(),
      ],
      [[new Int32Array([1, 2, 3]), new Int32Array([4, 5, 6])], new Int32()],
      [[new Float32Array([0.1, 0.2]), new Float32Array([0.3])], new Float32()],
    ];
    for (const [pieces, type] of cases) {
      const total = pieces.reduce((n, p) => n + p.length, 0);
      for (const [skip, length] of [
        [0, total],
        [1, total - 2],
        [2, total - 2],
        [0, 1],
      ]) {
        const want = toArrowData(
          concatDecoded(pieces).slice(skip, skip + length) as DecodedArray,
          type,
        );
        const got = piecesToArrowData(pieces, skip, length, type);
        expect(got.length).toBe(length);
        expect(got.nullCount).toBe(want.nullCount);
        expect(got.values).toEqual(want.values);
        expect(got.nullBitmap).toEqual(want.nullBitmap);
      }
    }
  });
});

describe('unsupported columns', () => {
  it('leaves a MAP column out of the schema and refuses it by name only when requested', async () => {
    const entries = new Struct([
      new Field('key', new Utf8(), false),
      new Field('value', new Int32(), true),
    ]);
    const input = new Table({
      ra: vectorFromArray([1.5, 2.5], new Float64()),
      tags: vectorFromArray(
        [new Map([['a', 1]]), new Map([['b', 2]])],
        new Map_(new Field('entries', entries, false)),
      ),
    });
    // A one-partition catalog whose leaf has the MAP column.
    const dir = tempCopy(join(LSDB_DATA, 'small_sky'));
    rmSync(join(dir, 'dataset', '_common_metadata'));
    rmSync(join(dir, 'dataset', '_metadata'));
    writeFileSync(join(dir, 'hats.properties'), 'obs_collection=tags\ndataproduct_type=map\n');
    const leaf = join(dir, 'dataset', 'Norder=0', 'Dir=0', 'Npix=11.parquet');
    writeFileSync(leaf, pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(input, 'stream'))));
    const cat = await openHats(dir);
    if (cat.kind !== 'catalog') throw new Error('expected a catalog');
    expect(cat.columnNames).toEqual(['ra']);
    expect(cat.unsupportedColumns).toEqual(new Map([['tags', 'MAP columns are not supported']]));
    const all = await cat.readPartition({ order: 0, pixel: 11 });
    expect(all.schema.fields.map((f) => f.name)).toEqual(['ra']);
    expect(Array.from(all.getChild('ra')!.toArray())).toEqual([1.5, 2.5]);
    await expect(cat.readPartition({ order: 0, pixel: 11 }, { columns: ['tags'] })).rejects.toThrow(
      `${dir}: column tags cannot be read (MAP columns are not supported). Choose other columns.`,
    );
  });
});

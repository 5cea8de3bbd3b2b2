import {
  Bool,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeUtf8,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  tableFromIPC,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import {
  PARQUET_MAGIC,
  encodeRowGroup,
  parquetFooter,
  parquetSchemaFor,
  placeRowGroup,
} from '../../../compute/io/parquet-encode';
import { tableToParquetBytes } from '../../../compute/io/parquet-file';

/** A whole file from row groups encoded one table each (what the writers do). */
function parquetFile(tables: Table[], metadata: Record<string, string> = {}): Uint8Array {
  const parts: Uint8Array[] = [PARQUET_MAGIC];
  let position = PARQUET_MAGIC.length;
  const groups = [];
  for (const t of tables) {
    const g = encodeRowGroup(t);
    groups.push(placeRowGroup(g.rowGroup, position));
    parts.push(...g.parts);
    position += g.byteLength;
  }
  parts.push(parquetFooter(tables[0].schema, groups, metadata));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** rows [start, start + n): every mapped type, with nulls, NaN, -0 and extreme integers. */
function everyType(start: number, n: number): Table {
  const idx = Array.from({ length: n }, (_, k) => start + k);
  const nul = <T>(i: number, v: T, every = 7): T | null => (i % every === 3 ? null : v);
  const col = <T extends DataType>(type: T, f: (i: number) => unknown) =>
    vectorFromArray(idx.map(f) as never[], type);
  return new Table({
    i8: col(new Int8(), (i) => nul(i, (i % 256) - 128)),
    i16: col(new Int16(), (i) => nul(i, ((i * 37) % 65536) - 32768)),
    i32: col(new Int32(), (i) => (i % 5 === 0 ? -2147483648 : i * 1000 - 7)),
    i64: col(new Int64(), (i) =>
      nul(i, i % 4 === 0 ? -1n : i % 4 === 1 ? -(2n ** 63n) : BigInt(i) * 10n ** 12n + 3n),
    ),
    // no nulls; high words -1, 0 and 1, each with low words across the whole unsigned range
    i64dense: col(
      new Int64(),
      (i) => BigInt((i % 3) - 1) * 2n ** 32n + ((BigInt(i) * 2654435761n) % 2n ** 32n),
    ),
    u8: col(new Uint8(), (i) => nul(i, i % 256)),
    u16: col(new Uint16(), (i) => (i * 7) % 65536),
    u32: col(new Uint32(), (i) => nul(i, 4294967295 - i)),
    u64: col(new Uint64(), (i) => 2n ** 64n - 1n - BigInt(i)),
    f32: col(new Float32(), (i) => nul(i, i % 9 === 0 ? NaN : i % 9 === 1 ? -0 : i / 3)),
    f64: col(new Float64(), (i) => nul(i, i % 11 === 0 ? NaN : Math.sin(i) * 1e6, 5)),
    dense: col(new Float64(), (i) => i * 0.25),
    constant: col(new Float64(), () => 1.5),
    nothing: col(new Float64(), () => null),
    flag: col(new Bool(), (i) => nul(i, i % 3 === 0, 4)),
    allTrue: col(new Bool(), () => true),
    allFalse: col(new Bool(), () => false),
    name: col(new Utf8(), (i) => nul(i, ['', 'ünïcödé', 'a,b', `row ${i}`][i % 4])),
    big: col(new LargeUtf8(), (i) => `large ${i}`),
  });
}

function rowsOf(t: Table): Record<string, unknown>[] {
  return t.toArray().map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
}

/** Values as comparable keys (NaN, -0 and bigints kept apart). */
function canonical(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (typeof v === 'bigint') return `${v}n`;
  return v;
}

function canonicalRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, canonical(v)])));
}

describe('Parquet encoder', () => {
  // three row groups: aligned, unaligned slice (offset 3, nulls straddling bytes), two chunks
  const whole = everyType(0, 3000);
  const sliced = everyType(5000, 1203).slice(3, 1200);
  const chunked = new Table([...everyType(9000, 500).batches, ...everyType(9500, 77).batches]);
  const tables = [whole, sliced, chunked];
  const expected = canonicalRows(tables.flatMap(rowsOf));
  const file = parquetFile(tables, { training_set: 'enc', radius_arcsec: '1' });

  it('is read back value for value by arrow-rs (parquet-wasm), with the Arrow types', () => {
    const back = tableFromIPC(pq.readParquet(file).intoIPCStream());
    expect(back.schema.fields.map((f) => [f.name, String(f.type)])).toEqual(
      whole.schema.fields.map((f) => [f.name, String(f.type)]),
    );
    expect(canonicalRows(rowsOf(back))).toEqual(expected);
  });

  it('is read back value for value by hyparquet, with the run metadata', async () => {
    const buffer = file.slice().buffer;
    const rows = await parquetReadObjects({ file: buffer });
    const asArrow = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => {
          // hyparquet gives 8-32 bit integers as numbers, 64-bit ones as bigints
          if (k === 'u64' && typeof v === 'bigint') return [k, BigInt.asUintN(64, v)];
          return [k, v];
        }),
      ),
    );
    expect(canonicalRows(asArrow)).toEqual(expected);
    const meta = parquetMetadata(buffer);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([3000, 1197, 577]);
    const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    expect(kv.training_set).toBe('enc');
    expect(kv.radius_arcsec).toBe('1');
    expect(kv['ARROW:schema']).toBeTruthy();
  });

  it('writes chunk statistics equal to a direct computation', () => {
    const meta = parquetMetadata(file.slice().buffer);
    tables.forEach((t, g) => {
      const rows = rowsOf(t);
      const names = ['i8', 'i32', 'i64', 'i64dense', 'f32', 'f64', 'flag', 'allTrue', 'allFalse'];
      for (const name of [...names, 'name', 'u32', 'nothing']) {
        const col = meta.row_groups[g].columns.find(
          (c) => c.meta_data?.path_in_schema[0] === name,
        )!;
        const stats = col.meta_data!.statistics!;
        const values = rows.map((r) => r[name]);
        expect(Number(stats.null_count), name).toBe(values.filter((v) => v === null).length);
        const present = values.filter((v) => v !== null && !Number.isNaN(v)) as (
          number | bigint | boolean
        )[];
        if (name === 'name' || name === 'u32' || name === 'nothing') {
          // unsigned and string bounds are not written, nor bounds of a column of nulls
          expect(stats.min_value, name).toBeUndefined();
          continue;
        }
        const sorted = [...present].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(stats.min_value, name).toEqual(sorted[0]);
        expect(stats.max_value, name).toEqual(sorted[sorted.length - 1]);
      }
    });
  });

  it('compresses the column chunks Snappy shrinks and stores random floats as they are', () => {
    const meta = parquetMetadata(file.slice().buffer);
    const codec = (name: string) =>
      meta.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema[0] === name)!.meta_data!
        .codec;
    expect(codec('constant')).toBe('SNAPPY');
    expect(codec('big')).toBe('SNAPPY');
    expect(codec('f64')).toBe('UNCOMPRESSED');
  });

  it('splits long columns into pages of about 1 MB, read back whole', () => {
    const n = 300_000; // 2.4 MB of float64: three pages
    const big = new Table({
      x: vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 1000 === 0 ? null : i * 1.5)),
        new Float64(),
      ),
    });
    const one = parquetFile([big]);
    const back = tableFromIPC(pq.readParquet(one).intoIPCStream()).getChild('x')!;
    expect(back.length).toBe(n);
    expect(back.nullCount).toBe(300);
    expect(back.get(299_999)).toBe(299_999 * 1.5);
    expect(back.get(131_000)).toBeNull();
    expect(back.get(131_072)).toBe(131_072 * 1.5);
  });

  it('leaves files without rows to parquet-wasm (an empty row-group list is mistyped)', () => {
    expect(() => parquetFooter(whole.schema, [])).toThrow(/needs a row group/);
    const empty = tableToParquetBytes(new Table(whole.schema), { metadata: { k: 'v' } });
    const back = tableFromIPC(pq.readParquet(empty).intoIPCStream());
    expect(back.numRows).toBe(0);
    expect(back.schema.fields.map((f) => f.name)).toEqual(whole.schema.fields.map((f) => f.name));
  });

  it('has no mapping for nested or temporal columns (the writer falls back to parquet-wasm)', () => {
    const t = new Table({
      when: vectorFromArray([new Date(0)]),
    });
    expect(parquetSchemaFor(t.schema)).toBeNull();
    expect(() => encodeRowGroup(t)).toThrow(/column 'when'/);
    expect(parquetSchemaFor(whole.schema)).toHaveLength(whole.numCols + 1);
  });
});

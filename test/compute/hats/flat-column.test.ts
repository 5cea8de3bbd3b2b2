/**
 * The fast flat-column decoder (compute/hats/flat-column.ts) against the values that were written:
 * tables with nulls, NaN, -0, infinities, int64 beyond 2^53 and booleans, written by an
 * independent writer (parquet-wasm, the Rust parquet crate) as v1 and v2 data pages, with and
 * without dictionaries, three codecs and pages of ~1 KiB (many pages per column chunk), then read
 * back both through `readRowGroup` and through the decoder directly (so a silent fallback to
 * hyparquet's general reader cannot hide a bug).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool,
  DataType,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  vectorFromArray,
  makeVector,
  tableToIPC,
  type Vector,
} from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileSource } from '../../../compute/hats/byte-source';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { decodeFlatColumn, planFlatColumn } from '../../../compute/hats/flat-column';
import { decodeHybrid, decodeHybridAt } from '../../../compute/hats/flat-pages';
import { openParquet, readRowGroup } from '../../../compute/hats/parquet-file';

const ROWS = 2500;
const dir = mkdtempSync(join(tmpdir(), 'tsm-flat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic values; every 7th row null in the nullable columns. */
function sourceTable(): Table {
  const isNull = (i: number) => i % 7 === 3;
  const specials = [Number.NaN, -0, Infinity, -Infinity, 1e-310];
  const f64 = Float64Array.from({ length: ROWS }, (_, i) =>
    i % 11 === 0 ? specials[(i / 11) % specials.length] : Math.sin(i) * 1e3,
  );
  const f32 = Float32Array.from({ length: ROWS }, (_, i) => (i % 13 === 0 ? NaN : i / 3));
  // few distinct int64 values (dictionary-friendly), some beyond 2^53 and negative
  const i64 = BigInt64Array.from(
    { length: ROWS },
    (_, i) => BigInt(i % 5) * 9007199254740993n * (i % 2 ? -1n : 1n),
  );
  const i32 = Int32Array.from({ length: ROWS }, (_, i) => (i * 7919) % 100003);
  const bits = (f: (i: number) => boolean) => {
    const out = new Uint8Array((ROWS + 7) >> 3);
    for (let i = 0; i < ROWS; i++) if (f(i)) out[i >> 3] |= 1 << (i & 7);
    return out;
  };
  const valid = bits((i) => !isNull(i));
  const nullCount = Array.from({ length: ROWS }, (_, i) => isNull(i)).filter(Boolean).length;
  const strings = (f: (i: number) => string, nullable: boolean) =>
    vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => (nullable && isNull(i) ? null : f(i))),
      new Utf8(),
    );
  const col = (type: DataType, data: unknown, nullable: boolean) =>
    makeVector(
      makeData({
        type,
        length: ROWS,
        data,
        ...(nullable ? { nullBitmap: valid.slice(), nullCount } : {}),
      } as never),
    );
  const columns: [string, Vector, boolean][] = [
    ['f64', col(new Float64(), f64, true), true],
    ['f64_required', col(new Float64(), f64.slice(), false), false],
    ['f32', col(new Float32(), f32, true), true],
    ['i64', col(new Int64(), i64, true), true],
    ['i64_required', col(new Int64(), i64.slice(), false), false],
    ['i32', col(new Int32(), i32, true), true],
    [
      'flag',
      col(
        new Bool(),
        bits((i) => i % 3 === 0),
        true,
      ),
      true,
    ],
    [
      'flag_required',
      col(
        new Bool(),
        bits((i) => i % 5 < 2),
        false,
      ),
      false,
    ],
    ['band', strings((i) => ['u', 'g', 'r', 'i', 'z', 'y', 'ünïcødé'][i % 7], true), true],
    ['name', strings((i) => `object-${i * 7919}`, true), true],
    ['name_required', strings((i) => (i % 3 ? `n${i}` : ''), false), false],
  ];
  const fields = columns.map(([name, v, nullable]) => new Field(name, v.type, nullable));
  const schema = new Schema(fields);
  const data = makeData({
    type: new Struct(fields),
    length: ROWS,
    nullCount: 0,
    children: columns.map(([, v]) => v.data[0]),
  });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

const CONFIGS = [pq.WriterVersion.V1, pq.WriterVersion.V2].flatMap((version) =>
  [true, false].flatMap((dictionary) =>
    [pq.Compression.SNAPPY, pq.Compression.ZSTD, pq.Compression.UNCOMPRESSED].map(
      (compression) => ({ version, dictionary, compression }),
    ),
  ),
);

function write(table: Table, config: (typeof CONFIGS)[number], path: string): void {
  const props = new pq.WriterPropertiesBuilder()
    .setWriterVersion(config.version)
    .setDictionaryEnabled(config.dictionary)
    .setCompression(config.compression)
    .setDataPageSizeLimit(1024)
    .setWriteBatchSize(100)
    .setMaxRowGroupSize(1000)
    .build();
  const wasm = pq.Table.fromIPCStream(tableToIPC(table, 'stream'));
  writeFileSync(path, pq.writeParquet(wasm, props));
}

function expectSameValues(got: Vector, want: Vector, offset: number, what: string): void {
  expect(got.length, what).toBeGreaterThan(0);
  for (let i = 0; i < got.length; i++) {
    const a: unknown = got.get(i);
    const b: unknown = want.get(offset + i);
    if (!Object.is(a, b)) {
      throw new Error(`${what}: row ${offset + i} is ${String(a)}, expected ${String(b)}`);
    }
  }
}

/**
 * Rows to read of a row group: sparse (most ~1 KiB pages hold none, so they are skipped), about
 * one in three at random, and the first and last row only.
 */
function selections(rows: number): Uint32Array[] {
  const every = (keep: (i: number) => boolean) =>
    Uint32Array.from({ length: rows }, (_, i) => i).filter(keep);
  return [
    every((i) => i % 397 === 5),
    every((i) => (i * 2654435761) % 2 ** 32 < 2 ** 32 / 3),
    Uint32Array.of(0, rows - 1),
  ];
}

function expectPicked(
  got: Vector,
  want: Vector,
  offset: number,
  select: Uint32Array,
  what: string,
): void {
  expect(got.length, what).toBe(select.length);
  for (let k = 0; k < select.length; k++) {
    const a: unknown = got.get(k);
    const b: unknown = want.get(offset + select[k]);
    if (!Object.is(a, b)) {
      throw new Error(`${what}: row ${offset + select[k]} is ${String(a)}, expected ${String(b)}`);
    }
  }
  let nulls = 0;
  for (const r of select) if (want.get(offset + r) === null) nulls++;
  expect(got.nullCount, what).toBe(nulls);
}

describe('flat columns decoded straight into Arrow', () => {
  const table = sourceTable();

  it.each(CONFIGS.map((c) => [JSON.stringify(c), c] as const))(
    'equal the written values: %s',
    async (_name, config) => {
      const path = join(
        dir,
        `${config.version}-${config.dictionary}-${config.compression}.parquet`,
      );
      write(table, config, path);
      const file = await openParquet(new LocalFileSource(path));
      expect(file.metadata.row_groups.length).toBe(3);
      const fields = table.schema.fields;
      const bytes = new Uint8Array(await file.buffer.slice(0, file.buffer.byteLength));
      for (let rg = 0; rg < 3; rg++) {
        const offset = file.rowGroupStarts[rg];
        const rows = file.rowGroupStarts[rg + 1] - offset;
        const read = await readRowGroup(file, rg, fields);
        for (const f of fields) {
          const want = table.getChild(f.name)!;
          expectSameValues(read.getChild(f.name)!, want, offset, `${f.name} rg ${rg} (reader)`);
          const plan = planFlatColumn(file.metadata, rg, f);
          // parquet-rs writes v2 integers and strings without a dictionary with DELTA_*
          // encodings, which the fast path leaves to hyparquet; everything else takes it
          const encodings = file.metadata.row_groups[rg].columns.find(
            (c) => c.meta_data?.path_in_schema[0] === f.name,
          )!.meta_data!.encodings;
          if (encodings.some((e) => e.startsWith('DELTA'))) {
            expect(config.version, `${f.name}: DELTA only in v2`).toBe(pq.WriterVersion.V2);
            expect(plan, `${f.name} is left to hyparquet`).toBeNull();
            continue;
          }
          expect(plan, `${f.name} takes the fast path`).not.toBeNull();
          const direct = makeVector(
            decodeFlatColumn(plan!, bytes.subarray(plan!.start, plan!.end), rows),
          );
          expectSameValues(direct, want, offset, `${f.name} rg ${rg} (decoder)`);
          expect(direct.nullCount).toBe(
            Array.from({ length: rows }, (_, i) => want.get(offset + i) === null).filter(Boolean)
              .length,
          );
          for (const select of selections(rows)) {
            const picked = makeVector(
              decodeFlatColumn(plan!, bytes.subarray(plan!.start, plan!.end), rows, select),
            );
            expectPicked(picked, want, offset, select, `${f.name} rg ${rg} (decoder, selected)`);
          }
        }
        for (const select of selections(rows)) {
          const picked = await readRowGroup(file, rg, fields, select);
          for (const f of fields) {
            const what = `${f.name} rg ${rg} (reader, ${select.length} selected)`;
            expectPicked(picked.getChild(f.name)!, table.getChild(f.name)!, offset, select, what);
          }
        }
      }
    },
  );

  it('names the file and row group when a page is cut short', async () => {
    const path = join(dir, 'cut.parquet');
    write(table, CONFIGS[1], path); // v1, dictionary, zstd
    const file = await openParquet(new LocalFileSource(path));
    const plan = planFlatColumn(file.metadata, 0, table.schema.fields[0])!;
    const bytes = new Uint8Array(await file.buffer.slice(0, file.buffer.byteLength));
    bytes.fill(0xff, plan.start + 40, plan.start + 400); // garbage inside the first pages
    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, bytes);
    const reopened = await openParquet(new LocalFileSource(corrupt));
    await expect(readRowGroup(reopened, 0, table.schema.fields)).rejects.toThrow(
      new RegExp(`^${corrupt}: row group 0 cannot be decoded \\(column f64: .+\\)\\. The file`),
    );
  });

  it.each([
    ['beyond the page', [0xff, 0xff, 0xff, 0x7f]],
    ['of 2 GiB or more', [0xff, 0xff, 0xff, 0xff]],
  ])('refuses a PLAIN string whose length runs %s', async (_, length) => {
    const strings = table.select(['name_required']);
    const path = join(dir, 'strings.parquet');
    write(
      strings,
      { ...CONFIGS[0], dictionary: false, compression: pq.Compression.UNCOMPRESSED },
      path,
    );
    const bytes = readFileSync(path);
    // rows 0-2 are '', 'n1', 'n2': each a 4-byte little-endian length, then the bytes
    const rows = [0, 0, 0, 0, 2, 0, 0, 0, 0x6e, 0x31, 2, 0, 0, 0, 0x6e, 0x32];
    const at = bytes.indexOf(Buffer.from(rows));
    expect(at).toBeGreaterThan(0);
    bytes.set(length, at + 10); // the length of 'n2'
    const corrupt = join(dir, 'strings-corrupt.parquet');
    writeFileSync(corrupt, bytes);
    const reopened = await openParquet(new LocalFileSource(corrupt));
    await expect(readRowGroup(reopened, 0, strings.schema.fields)).rejects.toThrow(
      /column name_required: byte array \d+ of \d+ is cut short/,
    );
  });
});

/** Encodes values as RLE / bit-packed hybrid runs (parquet-format Encodings.md), mixing both. */
function encodeHybrid(values: number[], width: number, runs: number[]): Uint8Array {
  const out: number[] = [];
  const varint = (n: number) => {
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
  };
  let i = 0;
  for (let r = 0; i < values.length; r++) {
    const len = Math.min(runs[r % runs.length], values.length - i);
    if (r % 2 === 0) {
      // RLE run of the value at i
      varint(len * 2);
      for (let k = 0; k < (width + 7) >> 3; k++) out.push((values[i] >>> (8 * k)) & 0xff);
      for (let k = 0; k < len; k++) values[i + k] = values[i];
      i += len;
    } else {
      const groups = Math.ceil(len / 8);
      varint(groups * 2 + 1);
      const bits = new Uint8Array(groups * width);
      for (let k = 0; k < groups * 8; k++) {
        const v = k < len ? values[i + k] : 0;
        for (let b = 0; b < width; b++) {
          if ((v >>> b) & 1) bits[(k * width + b) >> 3] |= 1 << ((k * width + b) & 7);
        }
      }
      out.push(...bits);
      i += groups * 8;
    }
  }
  return Uint8Array.from(out);
}

describe('decodeHybrid', () => {
  it('equals the encoded values and hyparquet for bit widths 1 to 24', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let width = 1; width <= 24; width++) {
      const n = 1000 + width * 37;
      const values = Array.from({ length: n + 64 }, () => Math.floor(rand() * 2 ** width));
      const runs = [1 + Math.floor(rand() * 40), 8 * (1 + Math.floor(rand() * 30)), 300, 16];
      const bytes = encodeHybrid(values, width, runs);
      const got = new Int32Array(n);
      decodeHybrid(bytes, 0, width, got);
      const oracle = new Int32Array(n);
      readRleBitPackedHybrid(
        { view: new DataView(bytes.buffer), offset: 0 },
        width,
        oracle,
        bytes.length,
      );
      expect(Array.from(got), `width ${width}`).toEqual(values.slice(0, n));
      expect(Array.from(got), `width ${width} vs hyparquet`).toEqual(Array.from(oracle));
      // only some positions: ascending, with nulls (-1) among them, the last value included
      const positions = Int32Array.from(
        Array.from({ length: n }, (_, i) => i).filter((i) => i === n - 1 || rand() < 0.05),
        (i) => (rand() < 0.1 ? -1 : i),
      );
      const picked = new Int32Array(positions.length);
      decodeHybridAt(bytes, 0, width, positions, picked);
      expect(Array.from(picked), `width ${width}, ${positions.length} positions`).toEqual(
        Array.from(positions, (p) => (p < 0 ? -1 : values[p])),
      );
    }
  });

  it('refuses runs cut short instead of reading past the page', () => {
    const bytes = encodeHybrid(
      Array.from({ length: 64 }, (_, i) => i),
      7,
      [1, 63],
    );
    expect(() =>
      decodeHybrid(bytes.subarray(0, bytes.length - 20), 0, 7, new Int32Array(64)),
    ).toThrow(/cut short/);
    expect(() => decodeHybrid(bytes.subarray(0, 0), 0, 7, new Int32Array(64))).toThrow(/end after/);
    const last = Int32Array.of(63);
    expect(() =>
      decodeHybridAt(bytes.subarray(0, bytes.length - 20), 0, 7, last, new Int32Array(1)),
    ).toThrow(/cut short/);
    expect(() => decodeHybridAt(bytes.subarray(0, 0), 0, 7, last, new Int32Array(1))).toThrow(
      /end after/,
    );
  });
});

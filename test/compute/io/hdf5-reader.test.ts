/**
 * The HDF5 reader decodes compound rows from the dataset's raw bytes (h5wasm's own `slice`
 * took 5.4 s for 58k rows x 70 columns). Its oracle is h5wasm's decoding of the same rows, and
 * the table the file was written from.
 */
import fs, { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bool,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  Vector,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadH5wasm } from '../../../compute/io/h5wasm';
import { HDF5_DATASET, createHdf5Writer } from '../../../compute/io/hdf5-writer';
import { readHdf5Table } from '../../../compute/io/hdf5-reader';
import { useTempDir } from './helpers';

const tmp = useTempDir('tsm-hdf5-');

const n = 1000;
const pick = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
const SOURCE: [string, DataType, unknown[]][] = [
  ['i8', new Int8(), pick((i) => (i % 256) - 128)],
  ['i16', new Int16(), pick((i) => i * 37 - 20_000)],
  ['i32', new Int32(), pick((i) => i * 2_000_003 - 1_000_000_000)],
  ['i64', new Int64(), pick((i) => BigInt(i) * 9_000_000_000_000_007n - 4n * 10n ** 18n)],
  ['u8', new Uint8(), pick((i) => i % 256)],
  ['u16', new Uint16(), pick((i) => (i * 65) % 65_536)],
  ['u32', new Uint32(), pick((i) => i * 4_000_001)], // above 2^31 from row 537: read as negative
  ['u64', new Uint64(), pick((i) => BigInt(i) * 18_000_000_000_000_000n)],
  ['f32', new Float32(), pick((i) => Math.fround(Math.sin(i) * 1e5))],
  ['f64', new Float64(), pick((i) => Math.cos(i) / 7)],
  ['text', new Utf8(), pick((i) => ['Café', 'naïve', '', 'x'.repeat(i % 40), 'Ωmega'][i % 5])],
  ['flag', new Bool(), pick((i) => i % 3 === 0)],
  ['nulls', new Int32(), pick((i) => (i % 4 === 0 ? null : i))],
];

describe('readHdf5Table', () => {
  it('gives the values h5wasm decodes, and the values written, for every member type', async () => {
    const path = join(tmp.dir, 't.h5');
    const columns = Object.fromEntries(
      SOURCE.map(([name, type, values]) => [name, vectorFromArray(values as never[], type)]),
    );
    const writer = createHdf5Writer(path);
    await writer.write(new Table(columns));
    await writer.close();

    const batches: Table[] = [];
    for await (const b of readHdf5Table(path, { batchRows: 300 })) batches.push(b);
    expect(batches.map((b) => b.numRows)).toEqual([300, 300, 300, 100]);
    const read = (name: string) => batches.flatMap((b) => [...b.getChild(name)!]);
    for (const [name, , values] of SOURCE) {
      // the first differing row and its values, not a 1000-row diff
      const got = read(name);
      const bad = got.findIndex((v, i) => v !== values[i]);
      expect([bad, got[bad], values[bad]], name).toEqual([-1, undefined, undefined]);
    }

    // h5wasm's own decoding of the raw members, row by row
    const { h5 } = await loadH5wasm();
    const file = new h5.File(path, 'r');
    try {
      const ds = file.get(HDF5_DATASET) as InstanceType<typeof h5.Dataset>;
      const members = ds.metadata.compound_type!.members.map((m) => m.name);
      const rows = ds.slice([[250, 700]]) as unknown as unknown[][];
      for (const name of ['i8', 'i16', 'i32', 'u8', 'u16', 'u32', 'f32', 'f64', 'text']) {
        const j = members.indexOf(name);
        const oracle = rows.map((r) => {
          const v = (r[j] as ArrayLike<number> | string) ?? null;
          return typeof v === 'string' ? v : Number((v as ArrayLike<number>)[0] ?? v);
        });
        expect(read(name).slice(250, 700), name).toEqual(oracle);
      }
    } finally {
      file.close();
    }
  });
});

describe('readHdf5Table of some columns', () => {
  it('decodes only those (a column with nulls with its mask), the values of the full read', async () => {
    const path = join(tmp.dir, 'some.h5');
    const columns = Object.fromEntries(
      SOURCE.map(([name, type, values]) => [name, vectorFromArray(values as never[], type)]),
    );
    const writer = createHdf5Writer(path);
    await writer.write(new Table(columns));
    await writer.close();
    const wanted = ['u64', 'nulls', 'f32', 'text', 'absent'];
    const full: Table[] = [];
    for await (const b of readHdf5Table(path, { batchRows: 300 })) full.push(b);
    const some: Table[] = [];
    for await (const b of readHdf5Table(path, { batchRows: 300, columns: wanted })) some.push(b);
    expect(some.map((b) => b.numRows)).toEqual([300, 300, 300, 100]);
    some.forEach((b, k) => {
      expect(b.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
        'u64: Uint64',
        'f32: Float32',
        'text: Utf8',
        'nulls: Int32',
      ]);
      for (const name of ['u64', 'nulls', 'f32', 'text']) {
        expect([...b.getChild(name)!], name).toEqual([...full[k].getChild(name)!]);
      }
    });
    expect(some[0].getChild('nulls')!.get(4)).toBeNull();
  });
});

/** Files written by h5py 3.16 (HDF5 2.0.0) and what h5py reads (fixtures/make_hdf5_edge_cases.py). */
const FIX = join(import.meta.dirname, 'fixtures');
const H5PY: Record<string, Record<string, (number | string | boolean)[]>> = JSON.parse(
  readFileSync(join(FIX, 'byte_orders.json'), 'utf8'),
);

async function readAll(path: string, dataset?: string): Promise<Table[]> {
  const batches: Table[] = [];
  for await (const b of readHdf5Table(path, { dataset, batchRows: 5 })) batches.push(b);
  return batches;
}

/**
 * What h5wasm printed on stderr while `run` ran: emscripten writes fd 2 with
 * `fs.writeSync(2, buffer, offset, length)` and reuses the buffer, so it is read at each call.
 */
async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const printed: string[] = [];
  const writeSync = fs.writeSync.bind(fs) as (...args: unknown[]) => number;
  const spy = vi.spyOn(fs, 'writeSync').mockImplementation(((...args: unknown[]) => {
    const [fd, data, offset, length] = args;
    if (fd === 2) {
      printed.push(
        typeof data === 'string'
          ? data
          : Buffer.from(
              (data as Uint8Array).buffer,
              (data as Uint8Array).byteOffset + Number(offset ?? 0),
              Number(length),
            ).toString(),
      );
    }
    return writeSync(...args);
  }) as typeof fs.writeSync);
  try {
    await run();
    return printed.join('');
  } finally {
    spy.mockRestore();
  }
}

describe('readHdf5Table on files h5py wrote', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(Object.keys(H5PY))(
    'reads each member of %s in its own byte order, as h5py does',
    async (dataset) => {
      const batches = await readAll(join(FIX, 'byte_orders.h5'), dataset);
      for (const [column, expected] of Object.entries(H5PY[dataset])) {
        const got = batches
          .flatMap((b) => [...b.getChild(column)!])
          .map((v) =>
            typeof v === 'bigint'
              ? String(v)
              : v instanceof Vector
                ? Array.from(v.toArray() as ArrayLike<number>) // an array member's list
                : v,
          );
        // h5py's bool is a 0/1 int8 enum, which the reader gives as numbers
        const want = expected.map((v) => (typeof v === 'boolean' ? Number(v) : v));
        expect(got, `${dataset}.${column}`).toEqual(want);
      }
    },
  );

  it('refuses a big-endian array beside little-endian members, naming the file, dataset and column', async () => {
    const path = join(FIX, 'byte_orders.h5');
    await expect(readAll(path, 'big_array_in_mixed')).rejects.toThrow(
      `${path}: dataset /big_array_in_mixed: column 'arr' is big-endian`,
    );
  });

  it('refuses a dataset compressed with a filter h5wasm lacks in one line naming the filter', async () => {
    const path = join(FIX, 'lzf.h5');
    let message = '';
    const stderr = await stderrOf(() =>
      readAll(path).catch((err: Error) => {
        message = `${err.name}: ${err.message}`;
      }),
    );
    expect(message).toMatch(
      new RegExp(`^UserError: ${path}: dataset /specz is compressed with the 'lzf' filter.*gzip`),
    );
    expect(message).not.toContain('\n');
    expect(stderr).toBe('');
  });

  it('calls a truncated file corrupt or truncated, in one line, and prints no HDF5 error stack', async () => {
    const path = join(FIX, 'truncated.h5');
    let message = '';
    const stderr = await stderrOf(() =>
      readAll(path).catch((err: Error) => {
        message = `${err.name}: ${err.message}`;
      }),
    );
    expect(message).toMatch(new RegExp(`^UserError: ${path}: .*corrupt, truncated`));
    expect(message).not.toMatch(/name not defined|HDF5-DIAG|\n/);
    expect(stderr).toBe('');
  });
});

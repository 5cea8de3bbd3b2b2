/**
 * The spec-z Parquet reader (hyparquet): the same Arrow types and values as parquet-wasm (an
 * independent implementation, the reader used before) on every Parquet file of the shared
 * fixtures; streaming by row group in batches of at most `batchRows`; column choice; and
 * UserErrors naming the file for a missing file, a missing column and a non-Parquet file.
 */
import { openAsBlob, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Field,
  Float64,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  type DataType,
} from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { takeRows } from '../../../compute/arrow/take';
import { createParquetWriter } from '../../../compute/io/parquet-writer';
import {
  readParquetFields,
  readParquetFile,
  streamParquetFile,
} from '../../../compute/io/parquet-reader';
import { tableToParquetBytes } from '../../../compute/io/parquet-file';
import { registerSpeczCatalog } from '../../../compute/io/specz-register';
import { FIXTURES, TSM_EXAMPLE } from '../../fixtures';
import { tempDir } from '../../reliability/helpers';

const { dir, cleanup } = tempDir('tsm-parquet-reader-');
afterAll(cleanup);

function parquetFiles(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) out.push(...parquetFiles(p));
    else if (/\.(parquet|parq)$/.test(e.name) && statSync(p).size < 2_000_000) out.push(p);
  }
  return out;
}

async function readWithParquetWasm(path: string): Promise<Table> {
  const file = await pq.ParquetFile.fromFile(await openAsBlob(path));
  try {
    return tableFromIPC((await file.read({})).intoIPCStream());
  } finally {
    file.free();
  }
}

/** Column name -> type and JSON of every value (BigInts as text), for comparisons. */
function describeTable(t: Table): Record<string, string> {
  const out: Record<string, string> = {};
  const text = (v: unknown) =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  for (const f of t.schema.fields) {
    const column = t.getChild(f.name)!;
    const values: string[] = [];
    for (let i = 0; i < t.numRows; i++) {
      const v: unknown = column.get(i);
      values.push(v !== null && typeof v === 'object' ? text(v) : String(v));
    }
    out[f.name] = `${String(f.type)}: ${values.join('|')}`;
  }
  return out;
}

describe('readParquetFile (hyparquet) against parquet-wasm', () => {
  const files = parquetFiles(FIXTURES);

  it('finds the fixture Parquet files', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('every fixture Parquet file: same columns, types and values', async () => {
    const differ: string[] = [];
    for (const path of files) {
      const ours = describeTable(await readParquetFile(path));
      const theirs = describeTable(await readWithParquetWasm(path));
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ.push(path);
    }
    expect(differ).toEqual([]);
  }, 120_000);
});

// microseconds came back as milliseconds, and a gather went through Arrow's millisecond doubles
describe('timestamps of every unit', () => {
  const rows = 40;
  const base = 1_614_834_367_123_456_789n; // 2021-03-04T05:06:07.123456789Z in ns
  const counts = (unit: bigint) =>
    BigInt64Array.from({ length: rows }, (_, i) => base / unit + BigInt(i) * 1_001n);
  const column = (type: DataType, values: BigInt64Array) =>
    makeVector(makeData({ type, length: rows, data: values } as never));
  const written: Table = new Table({
    ms: column(new TimestampMillisecond(), counts(1_000_000n)),
    us: column(new TimestampMicrosecond(), counts(1_000n)),
    ns: column(new TimestampNanosecond(), counts(1n)),
    utc: column(new TimestampMicrosecond('UTC'), counts(1_000n)),
  });
  const path = join(dir, 'timestamps.parquet');

  it('reads each unit as written by parquet-wasm, count for count, and gathers them so', async () => {
    writeFileSync(path, pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(written, 'stream'))));
    const read = await readParquetFile(path);
    const order = Int32Array.from({ length: rows }, (_, i) => rows - 1 - i);
    for (const name of ['ms', 'us', 'ns', 'utc']) {
      const theirs = await readWithParquetWasm(path);
      // a UTC instant stays one (its zone was dropped)
      expect(String(read.getChild(name)!.type)).toBe(String(theirs.getChild(name)!.type));
      expect(String(read.getChild(name)!.type)).toBe(String(written.getChild(name)!.type));
      const raw = (t: Table) => Array.from(t.getChild(name)!.data[0].values as BigInt64Array);
      expect(raw(read)).toEqual(raw(written));
      const gathered = takeRows(read.getChild(name)!, order);
      expect(Array.from(gathered.data[0].values as BigInt64Array)).toEqual(
        Array.from(order, (i) => raw(read)[i]),
      );
    }
  });
});

describe('streamParquetFile', () => {
  const rows = 250;
  const written = tableFromArrays({
    id: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i) * 1_000_000_007n),
    ra: Float64Array.from({ length: rows }, (_, i) => (i * 1.37) % 360),
    z: Float32Array.from({ length: rows }, (_, i) => i / 100),
    survey: Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 'SDSS' : 'DESI')),
  });
  const path = join(dir, 'groups.parquet');

  it('writes 3 row groups of at most 100 rows (the fixture of the next tests)', async () => {
    const w = createParquetWriter(path, { rowGroupRows: 100 });
    await w.write(written);
    await w.close();
    const file = await pq.ParquetFile.fromFile(await openAsBlob(path));
    expect(file.metadata().numRowGroups()).toBe(3);
    file.free();
  });

  it('yields batches of at most batchRows, per row group, with every value', async () => {
    const sizes: number[] = [];
    const parts: Table[] = [];
    for await (const t of streamParquetFile(path, { batchRows: 40 })) {
      sizes.push(t.numRows);
      parts.push(t);
    }
    expect(sizes).toEqual([40, 40, 20, 40, 40, 20, 40, 10]);
    const all = parts[0].concat(...parts.slice(1));
    expect(all.getChild('id')!.toArray()).toEqual(written.getChild('id')!.toArray());
    expect(all.getChild('ra')!.toArray()).toEqual(written.getChild('ra')!.toArray());
    expect(all.getChild('z')!.toArray()).toEqual(written.getChild('z')!.toArray());
    expect(all.getChild('survey')!.toArray()).toEqual(written.getChild('survey')!.toArray());
  });

  it('reads only the chosen columns, in the order asked', async () => {
    const t = await readParquetFile(path, ['z', 'id']);
    expect(t.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual([
      'z: Float32',
      'id: Int64',
    ]);
    expect(t.getChild('id')!.get(249)).toBe(249n * 1_000_000_007n);
    expect(await readParquetFields(path)).toHaveLength(4);
  });

  it('a file with no rows: the columns, no batch', async () => {
    const empty = join(dir, 'empty.parquet');
    const w = createParquetWriter(empty);
    await w.write(written.slice(0, 0));
    await w.close();
    expect((await readParquetFields(empty)).map((f) => f.name)).toEqual([
      'id',
      'ra',
      'z',
      'survey',
    ]);
    expect((await readParquetFile(empty)).numRows).toBe(0);
    const batches: Table[] = [];
    for await (const t of streamParquetFile(empty)) batches.push(t);
    expect(batches.reduce((n, t) => n + t.numRows, 0)).toBe(0);
  });
});

describe('errors name the file', () => {
  const specz = join(TSM_EXAMPLE, 'specz.parquet');

  it('a missing column', async () => {
    await expect(readParquetFile(specz, ['ra', 'nope'])).rejects.toThrow(
      new UserError(`${specz}: no column nope; it has ra, dec, z, id: choose one of these`),
    );
  });

  it('a missing file', async () => {
    const p = join(dir, 'none.parquet');
    await expect(readParquetFile(p)).rejects.toThrow(
      new UserError(
        `${p}: cannot open the file (ENOENT: no such file or directory, stat '${p}'); check the path`,
      ),
    );
  });

  it('a text file named .parquet, and a Parquet file cut in half', async () => {
    const text = join(dir, 'text.parquet');
    writeFileSync(text, 'ra,dec,z\n1,2,0.1\n');
    const advice =
      'the file is not valid Parquet (corrupt or truncated?): export it again, or give the catalog as CSV, FITS or HDF5';
    await expect(readParquetFile(text)).rejects.toThrow(
      new UserError(
        `${text}: cannot read the file (invalid Parquet footer: parquet file invalid (footer != PAR1)); ${advice}`,
      ),
    );
    const half = join(dir, 'half.parquet');
    const bytes = new Uint8Array(
      await (await openAsBlob(join(dir, 'groups.parquet'))).arrayBuffer(),
    );
    writeFileSync(half, bytes.subarray(0, bytes.length >> 1));
    const err = await readParquetFile(half).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      new RegExp(`^${half.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the file \\(`),
    );
    expect((err as Error).message.endsWith(advice)).toBe(true);
  });
});

describe('column names a spec-z file must not have', () => {
  /** A 2-row Parquet file of float64 columns named `names` (pyarrow writes such files). */
  function withNames(file: string, names: string[]): string {
    const fields = names.map((n) => new Field(n, new Float64(), true));
    const schema = new Schema(fields);
    const children = names.map((_, i) => makeVector(Float64Array.of(10 + i, 20 + i)).data[0]);
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(fields), length: 2, nullCount: 0, children }),
    );
    const path = join(dir, file);
    writeFileSync(path, tableToParquetBytes(new Table(schema, [batch])));
    return path;
  }

  it('a column without a name is refused, naming it (registration failed with an internal error)', async () => {
    const path = withNames('unnamed.parquet', ['ra', 'dec', 'z', '']);
    const message = `${path}: column 4 has no name; give it one (pandas: df.rename, pyarrow: table.rename_columns) and write the file again`;
    await expect(readParquetFile(path)).rejects.toThrow(message);
    await expect(
      registerSpeczCatalog(path, { dataDir: join(dir, 'data-unnamed') }),
    ).rejects.toThrow(message);
  });

  it('two columns of one name are refused (only the first was read, in silence)', async () => {
    const path = withNames('twice.parquet', ['ra', 'dec', 'z', 'ra']);
    const message = `${path}: columns 1 and 4 are both named 'ra'; rename or drop one of them and write the file again`;
    await expect(readParquetFields(path)).rejects.toThrow(message);
    await expect(readParquetFile(path)).rejects.toThrow(message);
  });
});

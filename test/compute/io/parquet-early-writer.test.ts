import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bool, Float64, Int32, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStalePartials } from '../../../compute/io/atomic';
import { EarlyParquetWriter } from '../../../compute/io/parquet-early-writer';
import { createParquetWriter } from '../../../compute/io/parquet-writer';

/** Rows [start, start + n) of the early columns: numbers, nulls, strings, booleans. */
function early(start: number, n: number): Table {
  const idx = Array.from({ length: n }, (_, k) => start + k);
  return new Table({
    id: vectorFromArray(
      idx.map((i) => BigInt(i) * 1_000_003n),
      new Int64(),
    ),
    mag: vectorFromArray(
      idx.map((i) => (i % 7 === 3 ? null : 20 + Math.sin(i))),
      new Float64(),
    ),
    survey: vectorFromArray(
      idx.map((i) => ['DESI', 'VVDS', ''][i % 3]),
      new Utf8(),
    ),
    flag: vectorFromArray(
      idx.map((i) => (i % 5 === 0 ? null : i % 2 === 0)),
      new Bool(),
    ),
  });
}

/** The late column of every row of the run: 1 train, 0 test. */
const FLAGS = Int32Array.from({ length: 400 }, (_, i) => ((i * 2654435761) % 10 < 7 ? 1 : 0));

function late(offset: number, batchRows: readonly number[]): Table {
  let at = offset;
  const batches = batchRows.flatMap((n) => {
    const part = new Table({
      is_training_set: vectorFromArray(Array.from(FLAGS.subarray(at, at + n)), new Int32()),
    });
    at += n;
    return part.batches;
  });
  return new Table(batches);
}

/** The run's rows in batches of these sizes (they straddle the 64-row groups). */
const BATCHES = [10, 70, 1, 64, 33, 0, 90, 52];

function whole(start: number, n: number): Table {
  const e = early(start, n);
  return new Table({
    ...Object.fromEntries(e.schema.fields.map((f) => [f.name, e.getChild(f.name)!])),
    is_training_set: vectorFromArray(Array.from(FLAGS.subarray(start, start + n)), new Int32()),
  });
}

describe('EarlyParquetWriter', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-early-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const schema = whole(0, 1).schema;

  it('writes the file createParquetWriter makes of the whole rows (late columns uncompressed), byte for byte', async () => {
    const metadata = { training_set: 'early' };
    const reference = createParquetWriter(join(dir, 'reference.parquet'), {
      rowGroupRows: 64,
      metadata,
      uncompressedColumns: ['is_training_set'],
    });
    const writer = new EarlyParquetWriter(join(dir, 'early.parquet'), schema, 1, {
      rowGroupRows: 64,
    });
    const asked: Array<[number, number[]]> = [];
    let start = 0;
    for (const n of BATCHES) {
      await reference.write(whole(start, n));
      await writer.add(early(start, n));
      start += n;
    }
    expect(writer.rows).toBe(start);
    const expected = await reference.close();
    const result = await writer.finish(
      (offset, batchRows) => {
        asked.push([offset, [...batchRows]]);
        return late(offset, batchRows);
      },
      { metadata },
    );
    expect(result).toEqual({ path: join(dir, 'early.parquet'), rows: 320, bytes: expected.bytes });
    const bytes = await readFile(result.path);
    expect(Buffer.compare(bytes, await readFile(expected.path))).toBe(0);
    // one row group per 64 rows, the late columns asked for in the early batches' pieces
    expect(asked.map(([offset]) => offset)).toEqual([0, 64, 128, 192, 256]);
    expect(asked[0][1]).toEqual([10, 54]);
    expect(asked[1][1]).toEqual([16, 1, 47]);
    // and read back value for value by another reader
    const rows = (await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    })) as Record<string, unknown>[];
    expect(rows).toHaveLength(320);
    expect(rows[75]).toEqual({
      id: 75n * 1_000_003n,
      mag: 20 + Math.sin(75),
      survey: 'DESI',
      flag: null,
      is_training_set: FLAGS[75],
    });
    expect(rows.filter((r) => r.is_training_set === 1).length).toBe(
      FLAGS.subarray(0, 320).reduce((a, b) => a + b, 0),
    );
    expect(await readdir(dir)).not.toContain('early.parquet.partial');
    const codecs = parquetMetadata(bytes.buffer.slice(bytes.byteOffset)).row_groups.map((g) =>
      g.columns.map((c) => c.meta_data?.codec),
    );
    expect(codecs[0].at(-1)).toBe('UNCOMPRESSED');
    expect(codecs[0][0]).toBe('SNAPPY'); // the ids compress
  });

  it('writes the early columns into <path>.partial as they come, which abort removes', async () => {
    const writer = new EarlyParquetWriter(join(dir, 'aborted.parquet'), schema, 1, {
      rowGroupRows: 64,
    });
    await writer.add(early(0, 100));
    expect(await readdir(dir)).toContain('aborted.parquet.partial');
    await writer.abort();
    expect((await readdir(dir)).filter((n) => n.startsWith('aborted'))).toEqual([]);
  });

  it('a stale side file is one of the partials a new run clears', async () => {
    const writer = new EarlyParquetWriter(join(dir, 'crashed.parquet'), schema, 1, {
      rowGroupRows: 64,
    });
    await writer.add(early(0, 70));
    expect(await removeStalePartials(join(dir, 'crashed.parquet'))).toEqual([
      'crashed.parquet.partial',
    ]);
  });

  it('refuses late columns of another row count or name, leaving no file behind', async () => {
    for (const [name, bad] of [
      ['short', (offset: number) => late(offset, [3])],
      ['renamed', () => new Table({ train: vectorFromArray([1], new Int32()) })],
    ] as const) {
      const path = join(dir, `${name}.parquet`);
      const writer = new EarlyParquetWriter(path, schema, 1, { rowGroupRows: 64 });
      await writer.add(early(0, 100));
      await expect(writer.finish(bad)).rejects.toThrow(
        name === 'short' ? /late columns of 3 rows for 64/ : /columns \[train: Int32\]/,
      );
      expect((await readdir(dir)).filter((n) => n.startsWith(name))).toEqual([]);
    }
  });

  it('stops at a cancelled signal and removes what it wrote', async () => {
    const path = join(dir, 'cancelled.parquet');
    const writer = new EarlyParquetWriter(path, schema, 1, { rowGroupRows: 64 });
    await writer.add(early(0, 200));
    const controller = new AbortController();
    let calls = 0;
    const finishing = writer.finish(
      (offset, batchRows) => {
        if (++calls === 2) controller.abort(new Error('stopped by the user'));
        return late(offset, batchRows);
      },
      { signal: controller.signal },
    );
    await expect(finishing).rejects.toThrow('stopped by the user');
    expect((await readdir(dir)).filter((n) => n.startsWith('cancelled'))).toEqual([]);
  });

  it('refuses late columns that are not numbers (their room must not depend on the values)', () => {
    const s = new Table({ id: vectorFromArray([1n], new Int64()), note: vectorFromArray(['a']) })
      .schema;
    expect(() => new EarlyParquetWriter(join(dir, 'text.parquet'), s, 1)).toThrow(
      /late column note is not a number column/,
    );
  });

  it('refuses early rows whose columns are not the schema’s first ones', async () => {
    const writer = new EarlyParquetWriter(join(dir, 'wrong.parquet'), schema, 1);
    await expect(writer.add(whole(0, 5))).rejects.toThrow(/is_training_set: Int32/);
    await writer.abort();
  });
});

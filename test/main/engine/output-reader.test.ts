import fs, { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableWriter, OUTPUT_EXTENSIONS } from '../../../compute/io/create-table-writer';
import { OUTPUT_FORMATS, type OutputFormat } from '../../../compute/io/table-writer';
import {
  readOutputRowCount,
  readOutputRows,
  readTableBatches,
} from '../../../main/engine/output-reader';
import { readPage } from '../../../main/engine/results';

/** Rows of each output: enough for several row groups, FITS/HDF5 batches and HATS partitions. */
const ROWS = 150_000;
let dir: string;
const paths = {} as Record<OutputFormat, string>;

/** Rows in a 10 x 10 degree field (a few HATS partitions), each with its own id and text. */
function rowsTable(start: number, n: number): Table {
  const i = Array.from({ length: n }, (_, k) => start + k);
  return new Table({
    id: vectorFromArray(i, new Int32()),
    ra: vectorFromArray(
      i.map((k) => 50 + ((k * 0.0137) % 10)),
      new Float64(),
    ),
    dec: vectorFromArray(
      i.map((k) => -30 + ((k * 0.0071) % 10)),
      new Float64(),
    ),
    z: vectorFromArray(
      i.map((k) => k / ROWS),
      new Float64(),
    ),
    name: vectorFromArray(
      i.map((k) => `row ${k}, "${k % 7}"`),
      new Utf8(),
    ),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-output-reader-'));
  for (const format of OUTPUT_FORMATS) {
    paths[format] = join(dir, `out${OUTPUT_EXTENSIONS[format]}`);
    const writer = createTableWriter(format, paths[format], {
      rowGroupRows: 20_000,
      hats: { partitionRows: 40_000 },
    });
    for (let s = 0; s < ROWS; s += 50_000) await writer.write(rowsTable(s, 50_000));
    await writer.close();
  }
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Size of an output on disk (a HATS folder: its files). */
function sizeOf(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.size;
  return fs
    .readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/**
 * The bytes read from files while `work` runs, through every way the readers read: FileHandle.read
 * (Parquet, FITS, HATS, the CSV index), fs.read (the CSV stream), fs.readSync (h5wasm).
 */
async function bytesReadBy(work: () => Promise<unknown>): Promise<number> {
  let bytes = 0;
  const handle = await open(paths.csv, 'r');
  const proto = Object.getPrototypeOf(handle) as { read: (...a: unknown[]) => Promise<unknown> };
  await handle.close();
  const { read: handleRead } = proto;
  const { read, readSync } = fs;
  proto.read = async function (this: unknown, ...args: unknown[]) {
    const result = (await handleRead.apply(this, args)) as { bytesRead: number };
    bytes += result.bytesRead;
    return result;
  };
  (fs as { read: unknown }).read = (...args: unknown[]) => {
    const callback = args.pop() as (err: unknown, n: number, buffer: unknown) => void;
    (read as (...a: unknown[]) => void)(...args, (err: unknown, n: number, buffer: unknown) => {
      bytes += n ?? 0;
      callback(err, n, buffer);
    });
  };
  (fs as { readSync: unknown }).readSync = (...args: unknown[]) => {
    const n = (readSync as (...a: unknown[]) => number)(...args);
    bytes += n;
    return n;
  };
  try {
    await work();
  } finally {
    proto.read = handleRead;
    (fs as { read: unknown }).read = read;
    (fs as { readSync: unknown }).readSync = readSync;
  }
  return bytes;
}

/** Every row of the output as readTableBatches streams it (the whole file), as JSON objects. */
async function allRows(path: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const t of readTableBatches(path)) {
    for (const row of t) rows.push(row!.toJSON());
  }
  return rows;
}

describe.each(OUTPUT_FORMATS)('a %s output read back a page at a time', (format) => {
  it('counts its rows without reading them', async () => {
    expect(await readOutputRowCount(paths[format])).toBe(ROWS);
  });

  it('gives rows far into the file as the whole file streamed gives them', async () => {
    const all = await allRows(paths[format]);
    expect(all).toHaveLength(ROWS);
    for (const [start, end] of [
      [0, 25],
      [19_990, 20_015], // across a row group
      [123_456, 123_481],
      [ROWS - 5, ROWS],
    ]) {
      const got: Record<string, unknown>[] = [];
      for await (const t of readOutputRows(paths[format], start, end)) {
        for (const row of t) got.push(row!.toJSON());
      }
      expect(got.map((r) => r.id)).toEqual(all.slice(start, end).map((r) => r.id));
      expect(got.map((r) => r.name)).toEqual(all.slice(start, end).map((r) => r.name));
    }
  }, 60_000);

  it('reads a small part of the file for a page near its end', async () => {
    await readPage(paths[format], 0, 25); // the first page: a CSV is indexed once
    const size = sizeOf(paths[format]);
    let page: Awaited<ReturnType<typeof readPage>> | undefined;
    const bytes = await bytesReadBy(async () => {
      page = await readPage(paths[format], ROWS - 30, 25);
    });
    expect(page!.rows).toHaveLength(25);
    expect(page!.offset).toBe(ROWS - 30);
    expect(page!.total).toBe(ROWS);
    // the old reader streamed the whole file to reach the page: `size` bytes
    expect(bytes).toBeLessThan(size / 4);
  }, 60_000);

  it('gives the last page for an offset past the end', async () => {
    const page = await readPage(paths[format], 10_000_000, 25);
    expect(page.offset).toBe(Math.floor((ROWS - 1) / 25) * 25);
    expect(page.rows).toHaveLength(ROWS - page.offset);
    expect(page.total).toBe(ROWS);
  }, 60_000);
});

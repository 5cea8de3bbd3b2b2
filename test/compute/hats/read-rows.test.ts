/**
 * `readPartition(pixel, { rows })` (only some rows of a partition, as the crossmatch reads the
 * non-coordinate columns of matched rows) against reading the whole partition and picking the
 * same rows: flat columns (the fast decoder, skipping pages), nested columns (hyparquet, then
 * picked), a partition of two files with several row groups each, and bad row lists.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { HatsCatalog, openHats } from '../../../compute/hats';
import { LSDB_DATA } from '../../fixtures';
import { tempCopy } from './helpers';

async function catalogAt(location: string): Promise<HatsCatalog> {
  const opened = await openHats(location);
  if (!(opened instanceof HatsCatalog)) throw new Error('expected a catalog');
  return opened;
}

/** Every third row plus the last, a sparse pick, and a run across the middle. */
function rowLists(n: number): Uint32Array[] {
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  return [
    all.filter((i) => i % 3 === 1 || i === n - 1),
    all.filter((i) => i % 17 === 0),
    all.filter((i) => i >= n / 3 && i < (2 * n) / 3),
    new Uint32Array(0),
  ];
}

function expectPicked(whole: Table, picked: Table, rows: Uint32Array, what: string): void {
  expect(picked.numRows, what).toBe(rows.length);
  expect(picked.schema.fields.map((f) => f.name)).toEqual(whole.schema.fields.map((f) => f.name));
  for (const f of whole.schema.fields) {
    const a = whole.getChild(f.name)!;
    const b = picked.getChild(f.name)!;
    expect(b.type.toString(), `${what} ${f.name}`).toBe(a.type.toString());
    for (let k = 0; k < rows.length; k++) {
      const want = JSON.stringify(a.get(rows[k]), (_, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      );
      const got = JSON.stringify(b.get(k), (_, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      );
      if (got !== want) throw new Error(`${what} ${f.name} row ${rows[k]}: ${got} != ${want}`);
    }
  }
}

async function checkEveryPartition(cat: HatsCatalog, columns?: string[]): Promise<number> {
  let checked = 0;
  for (const pixel of cat.partitions) {
    const whole = await cat.readPartition(pixel, { columns });
    for (const rows of rowLists(whole.numRows)) {
      const picked = await cat.readPartition(pixel, { columns, rows });
      expectPicked(whole, picked, rows, `${cat.name} ${pixel.order}/${pixel.pixel}`);
      checked += rows.length;
    }
  }
  return checked;
}

describe('reading only some rows of a partition', () => {
  it('equals the whole partition picked, flat and nested columns', async () => {
    const flat = await catalogAt(
      join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1'),
    );
    expect(await checkEveryPartition(flat)).toBeGreaterThan(100);
    const source = await catalogAt(join(LSDB_DATA, 'small_sky_order3_source'));
    expect(await checkEveryPartition(source, ['source_id', 'mag', 'band'])).toBeGreaterThan(1000);
    const nested = await catalogAt(join(LSDB_DATA, 'small_sky_order1_nested_sources', 'catalog'));
    const isNested = nested.schema.fields.some((f) => (f.type.children?.length ?? 0) > 0);
    expect(isNested, 'the fixture has nested columns').toBe(true);
    expect(await checkEveryPartition(nested)).toBeGreaterThan(100);
  });

  it('reads across the files and row groups of a partition folder', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_npix_as_dir'));
    const folder = join(copy, 'dataset', 'Norder=0', 'Dir=0', 'Npix=11');
    const before = await catalogAt(copy);
    const whole = await before.readPartition({ order: 0, pixel: 11 });
    // the same rows as two files of row groups of 7 rows
    rmSync(join(folder, readdirSync(folder)[0]));
    const half = Math.floor(whole.numRows / 2);
    const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(7).build();
    for (const [name, part] of [
      ['part0.parquet', whole.slice(0, half)],
      ['part1.parquet', whole.slice(half)],
    ] as const) {
      const wasm = pq.Table.fromIPCStream(tableToIPC(part, 'stream'));
      writeFileSync(join(folder, name), pq.writeParquet(wasm, props));
    }
    const cat = await catalogAt(copy);
    const reread = await cat.readPartition({ order: 0, pixel: 11 });
    expect(reread.batches.length).toBeGreaterThan(4);
    expectPicked(
      whole,
      reread,
      Uint32Array.from({ length: whole.numRows }, (_, i) => i),
      'all',
    );
    for (const rows of rowLists(whole.numRows)) {
      const picked = await cat.readPartition({ order: 0, pixel: 11 }, { rows });
      expectPicked(whole, picked, rows, `${rows.length} rows of two files`);
    }
  });

  it('refuses rows out of order or beyond the partition', async () => {
    const cat = await catalogAt(join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1'));
    const pixel = cat.partitions[0];
    const n = (await cat.readPartition(pixel, { columns: ['id'] })).numRows;
    await expect(cat.readPartition(pixel, { rows: Uint32Array.of(3, 1) })).rejects.toThrow(
      /rows to read must be ascending/,
    );
    await expect(cat.readPartition(pixel, { rows: Uint32Array.of(0, n) })).rejects.toThrow(
      new RegExp(`row ${n} asked of a partition of ${n} rows`),
    );
  });
});

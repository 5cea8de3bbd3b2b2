import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LSDB_DATA } from '../../fixtures';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { smallSkyTable, useTempDir } from './helpers';

const tmp = useTempDir();

async function* inBatches(rowsPerBatch: number) {
  const t = smallSkyTable();
  for (let s = 0; s < t.numRows; s += rowsPerBatch) yield t.slice(s, s + rowsPerBatch);
}

describe('writeHatsCatalog', () => {
  it('partitions small_sky like lsdb from_dataframe (partition_rows=50, orders 0..5)', async () => {
    const out = join(tmp.dir, 'small_sky');
    const result = await writeHatsCatalog(out, smallSkyTable(), {
      name: 'small_sky',
      partitionRows: 50,
      lowestOrder: 0,
      highestOrder: 5,
    });
    // hats-lsdb.md §3.8: small_sky.csv with partition_rows=50 -> (1,44),(1,45),(1,46),(1,47)
    expect(result.partitions.map((p) => [p.order, p.pixel])).toEqual([
      [1, 44],
      [1, 45],
      [1, 46],
      [1, 47],
    ]);
    expect(result.rows).toBe(131);
    expect(readFileSync(join(out, 'partition_info.csv'), 'utf8')).toBe(
      'Norder,Npix\n1,44\n1,45\n1,46\n1,47\n',
    );
    const props = readFileSync(join(out, 'hats.properties'), 'utf8');
    expect(props.split('\n')[0]).toBe('#HATS catalog');
    expect(props).toContain('obs_collection=small_sky\n');
    expect(props).toContain('dataproduct_type=object\n');
    expect(props).toContain('hats_nrows=131\n');
    expect(props).toContain('hats_col_healpix=_healpix_29\n');
    expect(readFileSync(join(out, 'properties'), 'utf8')).toBe(props);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(existsSync(join(out, '.tmp'))).toBe(false);
  });

  it('writes leaves sorted by _healpix_29 (first column) equal to the fixture values', async () => {
    const out = join(tmp.dir, 'ss');
    await writeHatsCatalog(out, smallSkyTable(), { name: 'ss' });
    // default partitionRows (1e6): one partition, the whole order-0 pixel 11, like the fixture
    const leaf = await readParquetFile(join(out, 'dataset/Norder=0/Dir=0/Npix=11.parquet'));
    const fixture = await readParquetFile(
      join(LSDB_DATA, 'small_sky/dataset/Norder=0/Dir=0/Npix=11.parquet'),
    );
    expect(leaf.schema.fields.map((f) => f.name)).toEqual([
      '_healpix_29',
      'id',
      'ra',
      'dec',
      'ra_error',
      'dec_error',
    ]);
    const ours = leaf.getChild('_healpix_29')!.toArray() as BigInt64Array;
    for (let i = 1; i < ours.length; i++) expect(ours[i] >= ours[i - 1]).toBe(true);
    const byId = new Map<bigint, bigint>();
    const fid = fixture.getChild('id')!.toArray() as BigInt64Array;
    const fhp = fixture.getChild('_healpix_29')!.toArray() as BigInt64Array;
    fid.forEach((id, i) => byId.set(id, fhp[i]));
    const ids = leaf.getChild('id')!.toArray() as BigInt64Array;
    ids.forEach((id, i) => expect(ours[i]).toBe(byId.get(id)));
    expect(byId.get(707n)).toBe(3187422220182231470n); // hats-lsdb.md §1.5 test vector
    const common = await readParquetFile(join(out, 'dataset/_common_metadata'));
    expect(common.numRows).toBe(0);
    expect(common.schema.fields.map((f) => String(f.type))).toEqual(
      leaf.schema.fields.map((f) => String(f.type)),
    );
  });

  it('gives the same partitions and rows from a stream of batches', async () => {
    const out = join(tmp.dir, 'streamed');
    const result = await writeHatsCatalog(out, inBatches(17), {
      name: 'streamed',
      partitionRows: 50,
      highestOrder: 5,
    });
    expect(result.partitions.map((p) => p.pixel)).toEqual([44, 45, 46, 47]);
    let total = 0;
    const seen = new Set<bigint>();
    for (const p of result.partitions) {
      const t = await readParquetFile(join(out, `dataset/Norder=1/Dir=0/Npix=${p.pixel}.parquet`));
      expect(t.numRows).toBe(p.rows);
      total += t.numRows;
      for (const id of t.getChild('id')!.toArray() as BigInt64Array) seen.add(id);
      const hp = t.getChild('_healpix_29')!.toArray() as BigInt64Array;
      for (const h of hp) expect(Number(h >> 56n)).toBe(p.pixel);
    }
    expect(total).toBe(131);
    expect(seen.size).toBe(131);
  });

  it('leaves nothing behind when cancelled', async () => {
    const out = join(tmp.dir, 'cancelled');
    const controller = new AbortController();
    async function* source() {
      yield smallSkyTable().slice(0, 50);
      controller.abort();
      yield smallSkyTable().slice(50);
    }
    await expect(
      writeHatsCatalog(out, source(), { name: 'c', signal: controller.signal }),
    ).rejects.toThrow();
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('refuses a NaN position naming the row', async () => {
    const t = smallSkyTable();
    const ra = t.getChild('ra')!.toArray() as Float64Array;
    ra[3] = NaN;
    await expect(writeHatsCatalog(join(tmp.dir, 'x'), t, { name: 'x' })).rejects.toThrow(
      /row 4: ra=NaN/,
    ); // 1-based data row;
    expect(readdirSync(tmp.dir)).toEqual([]);
  });
});

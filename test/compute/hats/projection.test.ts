import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Float64,
  Int64,
  Uint64,
  Uint8,
  Utf8,
  tableFromIPC,
  tableToIPC,
  type Table,
} from 'apache-arrow';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { HatsCatalog, HatsError, openHats } from '../../../compute/hats';
import { LSDB_DATA, TSM_EXAMPLE } from '../../fixtures';
import { CountingStore, tempCopy } from './helpers';

async function catalogAt(location: string | CountingStore): Promise<HatsCatalog> {
  const opened = await openHats(location);
  if (!(opened instanceof HatsCatalog)) throw new Error('expected a catalog');
  return opened;
}

const SOURCE = join(LSDB_DATA, 'small_sky_source');
const PIX = { order: 2, pixel: 177 };
const LEAF = join(SOURCE, 'dataset', 'Norder=2', 'Dir=0', 'Npix=177.parquet');

describe('column projection', () => {
  it('returns only the requested columns, in the requested order, equal to hyparquet', async () => {
    const cat = await catalogAt(SOURCE);
    const t = await cat.readPartition(PIX, {
      columns: ['mag', 'source_id', 'band', '_healpix_29'],
    });
    expect(t.schema.fields.map((f) => f.name)).toEqual(['mag', 'source_id', 'band', '_healpix_29']);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(LEAF), compressors });
    expect(t.numRows).toBe(rows.length);
    expect(t.numRows).toBe(1510);
    expect(Array.from(t.getChild('mag')!.toArray() as Float64Array)).toEqual(
      rows.map((r) => r.mag),
    );
    expect(Array.from(t.getChild('source_id')!.toArray() as BigInt64Array)).toEqual(
      rows.map((r) => r.source_id),
    );
    expect(t.getChild('band')!.toArray()).toEqual(rows.map((r) => r.band));
    expect(Array.from(t.getChild('_healpix_29')!.toArray() as BigInt64Array)).toEqual(
      rows.map((r) => r._healpix_29),
    );
  });

  it('reads fewer bytes for one column than for all of them', async () => {
    const one = new CountingStore(SOURCE);
    await (await catalogAt(one)).readPartition(PIX, { columns: ['mag'] });
    const all = new CountingStore(SOURCE);
    await (await catalogAt(all)).readPartition(PIX);
    // mag is 1 of 8 columns.
    expect(one.total).toBeGreaterThan(0);
    expect(one.total).toBeLessThan(all.total / 4);
  });

  it('parses a leaf footer once when a partition is read again', async () => {
    const store = new CountingStore(SOURCE);
    const cat = await catalogAt(store);
    const before = store.footerReads;
    const first = await cat.readPartition(PIX, { columns: ['mag'] });
    expect(store.footerReads).toBe(before + 1);
    const again = await cat.readPartition(PIX, { columns: ['mag', 'band'] });
    expect(store.footerReads).toBe(before + 1);
    expect(again.getChild('mag')!.toArray()).toEqual(first.getChild('mag')!.toArray());
  });

  it('maps parquet types to Arrow types, with _healpix_29 as exact, sorted BigInt64', async () => {
    const cat = await catalogAt(SOURCE);
    const types = Object.fromEntries(cat.schema.fields.map((f) => [f.name, f.type]));
    expect(types._healpix_29).toBeInstanceOf(Int64);
    expect(types.source_ra).toBeInstanceOf(Float64);
    expect(types.band).toBeInstanceOf(Utf8);
    for (const p of cat.partitions) {
      const h = (await cat.readPartition(p, { columns: ['_healpix_29'] }))
        .getChild('_healpix_29')!
        .toArray();
      expect(h).toBeInstanceOf(BigInt64Array);
      for (let i = 1; i < h.length; i++) expect(h[i] >= h[i - 1]).toBe(true);
      // Every row lies in its partition: h >> 2*(29-order) == pixel.
      expect(h[0] >> BigInt(2 * (29 - p.order))).toBe(BigInt(p.pixel));
      expect(h[h.length - 1] >> BigInt(2 * (29 - p.order))).toBe(BigInt(p.pixel));
    }
  });

  it('reads unsigned legacy columns (hats v0.1 Norder uint8, Dir/Npix uint64)', async () => {
    const cat = await catalogAt(join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog'));
    expect(cat.propertiesFile).toBe('properties');
    expect(cat.properties.hatsVersion).toBe('v0.1');
    const t = await cat.readPartition(
      { order: 0, pixel: 4 },
      { columns: ['Norder', 'Dir', 'Npix'] },
    );
    expect(t.schema.fields.map((f) => f.type.constructor)).toEqual([Uint8, Uint64, Uint64]);
    expect(t.numRows).toBe(40);
    expect(Array.from(t.getChild('Npix')!.toArray() as BigUint64Array)).toEqual(
      new Array(40).fill(4n),
    );
    expect(Array.from(t.getChild('Norder')!.toArray() as Uint8Array)).toEqual(
      new Array(40).fill(0),
    );
  });

  it('names the available columns when an unknown one is requested', async () => {
    const cat = await catalogAt(join(LSDB_DATA, 'small_sky'));
    const err = await cat
      .readPartition({ order: 0, pixel: 11 }, { columns: ['ra', 'mag_r'] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(HatsError);
    expect(err.message).toContain('unknown column mag_r');
    expect(err.message).toContain(
      'Available columns: _healpix_29, id, ra, dec, ra_error, dec_error',
    );
  });

  it('gives an empty table with the requested schema for a pixel the catalog does not have', async () => {
    const cat = await catalogAt(join(LSDB_DATA, 'small_sky_xmatch'));
    const t = await cat.readPartition({ order: 1, pixel: 47 }, { columns: ['id', 'ra'] });
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['id', 'Int64'],
      ['ra', 'Float64'],
    ]);
  });

  it('reads a nested (struct of lists) column', async () => {
    const opened = await openHats(join(LSDB_DATA, 'small_sky_order1_nested_sources'));
    if (opened.kind !== 'collection') throw new Error('expected a collection');
    const t = await opened.main.readPartition(
      { order: 1, pixel: 44 },
      { columns: ['id', 'sources'] },
    );
    const leaf = join(
      LSDB_DATA,
      'small_sky_order1_nested_sources',
      'catalog',
      'dataset',
      'Norder=1',
      'Dir=0',
      'Npix=44.parquet',
    );
    const rows = await parquetReadObjects({
      file: await asyncBufferFromFile(leaf),
      columns: ['sources'],
      compressors,
    });
    expect(t.numRows).toBe(rows.length);
    const first = t.getChild('sources')!.get(0)!.toJSON();
    expect(Array.from(first.mag.toArray())).toEqual(rows[0].sources.mag);
    expect(Array.from(first.source_id.toArray())).toEqual(rows[0].sources.source_id);
  });
});

describe('streamPartition', () => {
  it('yields one table per row group, and readPartition joins them', async () => {
    // Rewrite small_sky's single leaf with 50-row row groups (parquet-wasm), so it has 3 of them.
    const dir = tempCopy(join(LSDB_DATA, 'small_sky'));
    const leaf = join(dir, 'dataset', 'Norder=0', 'Dir=0', 'Npix=11.parquet');
    const original = tableFromIPC(pq.readParquet(readFileSync(leaf)).intoIPCStream());
    const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(50).build();
    writeFileSync(
      leaf,
      pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(original, 'stream')), props),
    );

    const cat = await catalogAt(dir);
    const sizes: number[] = [];
    const ids: bigint[] = [];
    for await (const t of cat.streamPartition({ order: 0, pixel: 11 }, { columns: ['id'] })) {
      sizes.push(t.numRows);
      ids.push(...(t.getChild('id')!.toArray() as BigInt64Array));
    }
    expect(sizes).toEqual([50, 50, 31]);
    expect(ids).toEqual(Array.from(original.getChild('id')!.toArray() as BigInt64Array));
    const whole = await cat.readPartition({ order: 0, pixel: 11 }, { columns: ['id', 'ra'] });
    expect(whole.numRows).toBe(131);
    expect(whole.batches).toHaveLength(3);
  });

  it('reads every file of a partition folder, in name order (hats_npix_suffix=/)', async () => {
    const dir = tempCopy(join(LSDB_DATA, 'small_sky_npix_as_dir'));
    const folder = join(dir, 'dataset', 'Norder=0', 'Dir=0', 'Npix=11');
    const original = tableFromIPC(
      pq.readParquet(readFileSync(join(folder, 'part0.parquet'))).intoIPCStream(),
    );
    const write = (name: string, t: Table) =>
      writeFileSync(
        join(folder, name),
        pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(t, 'stream'))),
      );
    write('part0.parquet', original.slice(0, 70));
    write('part1.parquet', original.slice(70));
    const cat = await catalogAt(dir);
    const sizes: number[] = [];
    for await (const t of cat.streamPartition({ order: 0, pixel: 11 })) sizes.push(t.numRows);
    expect(sizes).toEqual([70, 61]);
    const whole = await cat.readPartition({ order: 0, pixel: 11 }, { columns: ['id'] });
    expect(Array.from(whole.getChild('id')!.toArray() as BigInt64Array)).toEqual(
      Array.from(original.getChild('id')!.toArray() as BigInt64Array),
    );
  });

  it('stops when the signal is aborted', async () => {
    const cat = await catalogAt(SOURCE);
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(cat.readPartition(PIX, { signal: controller.signal })).rejects.toThrow('stop now');
  });
});

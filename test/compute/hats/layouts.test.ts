import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HatsCatalog,
  HatsCollection,
  HatsError,
  openHats,
  openObjectCatalog,
} from '../../../compute/hats';
import { LocalDirStore, type ByteStore } from '../../../compute/hats/byte-source';
import { HATS_DATA, LSDB_DATA } from '../../fixtures';
import { tempCopy } from './helpers';

async function catalogAt(location: string): Promise<HatsCatalog> {
  const opened = await openHats(location);
  if (!(opened instanceof HatsCatalog)) throw new Error('expected a catalog');
  return opened;
}

/** Every `_healpix_29` value of the catalog, sorted. */
async function sortedIds(cat: HatsCatalog): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (const p of cat.partitions) {
    ids.push(
      ...((await cat.readPartition(p, { columns: ['_healpix_29'] }))
        .getChild('_healpix_29')!
        .toArray() as BigInt64Array),
    );
  }
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HatsError);
  return err as Error;
}

describe('leaf layouts', () => {
  it('reads a partition stored as a folder of files (hats_npix_suffix=/)', async () => {
    const cat = await catalogAt(join(HATS_DATA, 'small_sky_npix_as_dir'));
    expect(cat.properties.npixSuffix).toBe('/');
    expect(cat.partitionPath({ order: 0, pixel: 11 })).toMatch(
      /dataset\/Norder=0\/Dir=0\/Npix=11\/$/,
    );
    expect(await sortedIds(cat)).toEqual(
      await sortedIds(await catalogAt(join(HATS_DATA, 'small_sky'))),
    );
  });

  it('reads .parq leaves (hats_npix_suffix=.parq)', async () => {
    const cat = await catalogAt(join(LSDB_DATA, 'small_sky_npix_alt_suffix'));
    expect(cat.partitionPath({ order: 0, pixel: 11 })).toMatch(/Npix=11\.parq$/);
    expect(await sortedIds(cat)).toEqual(
      await sortedIds(await catalogAt(join(LSDB_DATA, 'small_sky'))),
    );
  });

  it('lists dataset/ when partition_info.csv is missing', async () => {
    for (const name of [
      'small_sky_order1_collection/small_sky_order1',
      'small_sky_npix_as_dir',
      'small_sky_source',
    ]) {
      const original = await catalogAt(join(LSDB_DATA, name));
      const copy = tempCopy(join(LSDB_DATA, name));
      rmSync(join(copy, 'partition_info.csv'));
      const cat = await catalogAt(copy);
      expect(cat.partitionSource).toBe('dataset/ listing');
      expect(cat.partitions).toEqual(original.partitions);
      expect(await sortedIds(cat)).toEqual(await sortedIds(original));
    }
  });

  it('decodes URL-quoted names when listing (Norder%3D1/)', async () => {
    class QuotingStore extends LocalDirStore {
      override async list(relPath: string): Promise<string[]> {
        return (await super.list(relPath)).map((n) => n.replaceAll('=', '%3D'));
      }
      override child(relPath: string): ByteStore {
        return new QuotingStore(join(this.root, relPath));
      }
    }
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_source'));
    rmSync(join(copy, 'partition_info.csv'));
    const cat = await openHats(new QuotingStore(copy));
    if (!(cat instanceof HatsCatalog)) throw new Error('expected a catalog');
    expect(cat.partitions).toEqual(
      (await catalogAt(join(LSDB_DATA, 'small_sky_source'))).partitions,
    );
    expect(cat.partitions).toHaveLength(14);
  });

  it('reads the schema from _metadata, then a leaf file, when _common_metadata is missing', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_xmatch'));
    rmSync(join(copy, 'dataset', '_common_metadata'));
    expect((await catalogAt(copy)).schemaSource).toBe('dataset/_metadata');
    rmSync(join(copy, 'dataset', '_metadata'));
    const cat = await catalogAt(copy);
    expect(cat.schemaSource).toBe('leaf file');
    expect(cat.columnNames).toEqual([
      '_healpix_29',
      'id',
      'ra',
      'dec',
      'ra_error',
      'dec_error',
      'calculated_dist',
    ]);
  });

  it('reads legacy partition_info.csv with Norder,Npix,Dir', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky'));
    writeFileSync(
      join(copy, 'partition_info.csv'),
      readFileSync(join(LSDB_DATA, 'raw/small_sky_no_metadata/partition_info.csv')),
    );
    const cat = await catalogAt(copy);
    expect(cat.partitions).toEqual([{ order: 0, pixel: 11 }]);
    expect((await cat.readPartition(cat.partitions[0])).numRows).toBe(131);
  });
});

describe('collections and margins', () => {
  const COLLECTION = join(LSDB_DATA, 'small_sky_order1_collection');

  it('opens the default margin and the others by name', async () => {
    const coll = await openHats(COLLECTION);
    if (!(coll instanceof HatsCollection)) throw new Error('expected a collection');
    expect(coll.name).toBe('small_sky_order1_collection');
    expect(coll.defaultMarginName).toBe('small_sky_order1_margin_1deg');
    expect(coll.marginNames).toEqual([
      'small_sky_order1_margin_1deg',
      'small_sky_order1_margin_2deg',
    ]);
    expect((await coll.openMargin()).marginThresholdArcsec).toBe(3600);
    const m2 = await coll.openMargin('small_sky_order1_margin_2deg');
    expect(m2.marginThresholdArcsec).toBe(7200);
    expect(m2.properties.primaryTableUrl).toBe('small_sky_order1_collection/small_sky_order1');
    const err = await errorOf(coll.openMargin('margin_5deg'));
    expect(err.message).toContain('no margin named margin_5deg');
    expect(err.message).toContain('small_sky_order1_margin_1deg, small_sky_order1_margin_2deg');
  });

  it('openObjectCatalog: default margin, named margin, none, or a margin path', async () => {
    expect((await openObjectCatalog(COLLECTION)).margin?.name).toBe('small_sky_order1_margin_1deg');
    const named = await openObjectCatalog(COLLECTION, { margin: 'small_sky_order1_margin_2deg' });
    expect(named.margin?.marginThresholdArcsec).toBe(7200);
    expect((await openObjectCatalog(COLLECTION, { margin: 'none' })).margin).toBeUndefined();
    const plain = await openObjectCatalog(join(LSDB_DATA, 'small_sky_xmatch'), {
      margin: join(LSDB_DATA, 'small_sky_xmatch_margin'),
    });
    expect(plain.catalog.name).toBe('small_sky_xmatch');
    expect(plain.margin?.name).toBe('small_sky_xmatch_margin');
    expect((await openObjectCatalog(join(LSDB_DATA, 'small_sky_xmatch'))).margin).toBeUndefined();
  });

  it('refuses a margin path that is not a margin, and a missing one with the known names', async () => {
    const notMargin = await errorOf(
      openObjectCatalog(join(LSDB_DATA, 'small_sky_xmatch'), {
        margin: join(LSDB_DATA, 'small_sky'),
      }),
    );
    expect(notMargin.message).toMatch(/small_sky is a object catalog, not a margin catalog/);
    const missing = await errorOf(openObjectCatalog(COLLECTION, { margin: 'margin_5deg' }));
    expect(missing.message).toBe(
      "margin margin_5deg: no such folder; check the path. The collection's margins are: small_sky_order1_margin_1deg, small_sky_order1_margin_2deg.",
    );
    expect(missing.message).toContain(
      "The collection's margins are: small_sky_order1_margin_1deg, small_sky_order1_margin_2deg",
    );
  });

  it('refuses map, association, index and margin catalogs as the object side', async () => {
    for (const [name, pattern] of [
      ['square_map', /square_map is a map catalog, not an object catalog/],
      [
        'small_sky_to_o1source',
        /small_sky_to_o1source is an association catalog, not an object catalog/,
      ],
      [
        'small_sky_order1_collection/small_sky_order1_id_index',
        /small_sky_order1_id_index is an index catalog/,
      ],
      [
        'small_sky_xmatch_margin',
        /is a margin catalog, not an object catalog. Open its primary catalog instead \(hats_primary_table_url=small_sky_xmatch\)/,
      ],
    ] as const) {
      expect((await errorOf(openObjectCatalog(join(LSDB_DATA, name)))).message).toMatch(pattern);
    }
  });
});

describe('broken catalogs give a HatsError naming the file', () => {
  it('truncated leaf parquet', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_xmatch'));
    const leaf = join(copy, 'dataset', 'Norder=1', 'Dir=0', 'Npix=45.parquet');
    truncateSync(leaf, Math.floor(statSync(leaf).size / 2));
    const cat = await catalogAt(copy);
    expect((await cat.readPartition({ order: 1, pixel: 44 })).numRows).toBe(41);
    const err = await errorOf(cat.readPartition({ order: 1, pixel: 45 }));
    expect(err.message).toContain(leaf);
    expect(err.message).toMatch(/corrupt or truncated parquet footer/);
  });

  it('truncated _common_metadata', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky'));
    truncateSync(join(copy, 'dataset', '_common_metadata'), 100);
    const err = await errorOf(openHats(copy));
    expect(err.message).toContain(join(copy, 'dataset', '_common_metadata'));
    expect(err.message).toMatch(/schema file has a corrupt or truncated parquet footer/);
  });

  it('missing leaf file of a listed partition', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_xmatch'));
    rmSync(join(copy, 'dataset', 'Norder=1', 'Dir=0', 'Npix=46.parquet'));
    const err = await errorOf((await catalogAt(copy)).readPartition({ order: 1, pixel: 46 }));
    expect(err.message).toMatch(
      /Npix=46\.parquet: leaf file of partition \(1,46\) cannot be opened/,
    );
  });

  it('empty partition folder (hats_npix_suffix=/)', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_npix_as_dir'));
    rmSync(join(copy, 'dataset', 'Norder=0', 'Dir=0', 'Npix=11', 'part0.parquet'));
    const err = await errorOf((await catalogAt(copy)).readPartition({ order: 0, pixel: 11 }));
    expect(err.message).toBe(
      `${join(copy, 'dataset/Norder=0/Dir=0/Npix=11/')}: partition (0,11) is listed in partition_info.csv but its ` +
        'leaf data cannot be read (the folder has no parquet file). The catalog is incomplete or uses a custom ' +
        'layout: re-download it or regenerate it with hats-import.',
    );
  });

  it('broken properties files', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky'));
    rmSync(join(copy, 'properties'));
    const file = join(copy, 'hats.properties');
    writeFileSync(file, '#HATS catalog\nobs_collection=small_sky\ndataproduct_type=galaxies\n');
    let err = await errorOf(openHats(copy));
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/dataproduct_type is missing or not one of object, source/);
    writeFileSync(file, 'obs_collection=small_sky\ndataproduct_type=object\nhats_col_ra=ra\n');
    err = await errorOf(openHats(copy));
    expect(err.message).toMatch(
      /hats\.properties: hats_col_ra and hats_col_dec are required for a object catalog/,
    );
    writeFileSync(
      file,
      'obs_collection=s\ndataproduct_type=object\nhats_col_ra=ra\nhats_col_dec=dec\nhats_nrows=lots\n',
    );
    expect((await errorOf(openHats(copy))).message).toMatch(
      /hats\.properties: hats_nrows must be an integer/,
    );
    writeFileSync(
      file,
      'obs_collection=s\ndataproduct_type=object\nhats_col_ra=RA\nhats_col_dec=dec\n',
    );
    expect((await errorOf(openHats(copy))).message).toBe(
      `${file}: hats_col_ra=RA but dataset/_common_metadata has no such column ` +
        '(columns: _healpix_29, id, ra, dec, ra_error, dec_error). Fix the properties file or regenerate the catalog.',
    );
    rmSync(file);
    err = await errorOf(openHats(copy));
    expect(err.message).toMatch(/no hats\.properties, properties or collection\.properties file/);
  });

  it('unreadable partition_info.csv line N', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_xmatch'));
    const file = join(copy, 'partition_info.csv');
    writeFileSync(file, 'Norder,Npix\n1,44\n1,4x\n');
    expect((await errorOf(openHats(copy))).message).toBe(
      `${file}: line 3 ("1,4x") is not "Norder,Npix" integers. Fix or delete the line.`,
    );
    writeFileSync(file, 'Norder,Npix\n1,48\n');
    expect((await errorOf(openHats(copy))).message).toMatch(
      /line 2: Npix=48 is not a pixel of order 1 \(0\.\.47\)/,
    );
    writeFileSync(file, 'order,pixel\n1,44\n');
    expect((await errorOf(openHats(copy))).message).toMatch(
      /line 1 must be a header with Norder and Npix/,
    );
  });

  it('broken collection.properties', async () => {
    const copy = tempCopy(join(LSDB_DATA, 'small_sky_order1_collection'));
    const file = join(copy, 'collection.properties');
    writeFileSync(
      file,
      'obs_collection=c\nhats_primary_table_url=small_sky_order1\nall_margins=a b\ndefault_margin=c\n',
    );
    expect((await errorOf(openHats(copy))).message).toBe(
      `${file}: default_margin=c is not listed in all_margins. Fix the file or regenerate the collection.`,
    );
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJavaProperties } from '../../../compute/hats/java-properties';
import {
  parseCatalogProperties,
  parseCollectionProperties,
} from '../../../compute/hats/properties';
import { HATS_DATA, LSDB_DATA, TSM_EXAMPLE } from '../../fixtures';

const read = (path: string) => readFileSync(path, 'utf8');

describe('parseJavaProperties', () => {
  it('handles separators, comments, escapes and continued lines', () => {
    expect(
      parseJavaProperties(
        '#c\n! c\n a = 1\nb:2\nc 3\nd=x\\:y\\=z\ne=one \\\n   two\nf=\\u00e9\\t\ng\n',
      ),
    ).toEqual({ a: '1', b: '2', c: '3', d: 'x:y=z', e: 'one two', f: 'é\t', g: '' });
  });

  it('reads the hats v0.1 date escape of the TSM example (18\\:47)', () => {
    const raw = parseJavaProperties(read(join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog/properties')));
    expect(raw.hats_creation_date).toBe('2024-11-14T18:47UTC');
  });
});

describe('parseCatalogProperties', () => {
  it('types the fields of small_sky_xmatch_margin/hats.properties', () => {
    const file = join(LSDB_DATA, 'small_sky_xmatch_margin', 'hats.properties');
    const p = parseCatalogProperties(read(file), file);
    expect(p).toMatchObject({
      name: 'small_sky_xmatch_margin',
      catalogType: 'margin',
      totalRows: 39,
      raColumn: 'ra',
      decColumn: 'dec',
      healpixColumn: '_healpix_29',
      healpixOrder: 29,
      primaryTableUrl: 'small_sky_xmatch',
      marginThresholdArcsec: 8245.167388361773,
      npixSuffix: '.parquet',
      maxOrder: 1,
      mocSkyFraction: 0.33333,
    });
    expect(p.raw.hats_builder).toMatch(/^hats-import v0\.6\.6/);
  });

  it('defaults healpix column/order and npix suffix for the legacy hats v0.1 properties', () => {
    const file = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog/properties');
    const p = parseCatalogProperties(read(file), file);
    expect(p).toMatchObject({
      name: 'mini_dataset',
      totalRows: 40,
      healpixColumn: '_healpix_29',
      healpixOrder: 29,
    });
    expect(p.npixSuffix).toBe('.parquet');
    expect(p.hatsVersion).toBe('v0.1');
  });

  it('reads healpix13, default columns and the info_only variants', () => {
    const h13 = join(LSDB_DATA, 'small_sky_healpix13/small_sky_healpix13/hats.properties');
    expect(parseCatalogProperties(read(h13), h13)).toMatchObject({
      healpixColumn: 'healpix13',
      healpixOrder: 13,
    });
    const dc = join(LSDB_DATA, 'small_sky_order1_default_columns/hats.properties');
    expect(parseCatalogProperties(read(dc), dc).defaultColumns).toEqual(['ra', 'dec', 'id']);
    const info = (name: string) => {
      const f = join(HATS_DATA, 'info_only', name, 'properties');
      return parseCatalogProperties(read(f), f);
    };
    expect(info('catalog')).toMatchObject({
      name: 'catalog',
      catalogType: 'object',
      totalRows: 10,
      defaultColumns: ['psf', 'mean_mag_r'],
    });
    expect(info('dataset').defaultColumns).toBeUndefined();
    expect(info('margin_cache')).toMatchObject({
      catalogType: 'margin',
      marginThresholdArcsec: 0.5,
      primaryTableUrl: 'catalog',
    });
    expect(info('index_catalog')).toMatchObject({ catalogType: 'index', totalRows: 100 });
    expect(info('index_catalog').raw.hats_index_extra_column).toBe('mjd band');
  });

  it('refuses a negative or absurd hats_nrows and an order outside 0..29, naming the file, key and value (tsm inspect showed "rows -5")', () => {
    const base = 'obs_collection=x\ndataproduct_type=map\n';
    const fails = (line: string, problem: string) =>
      expect(() => parseCatalogProperties(base + line, '/cat/hats.properties')).toThrow(
        `/cat/hats.properties: ${problem}. Fix the file or regenerate the catalog with hats-import.`,
      );
    const rows = 'is not a count of rows (a whole number from 0 to 9007199254740991)';
    fails('hats_nrows=-5\n', `hats_nrows=-5 ${rows}`);
    fails('hats_nrows=1e30\n', `hats_nrows=1e30 ${rows}`);
    fails('hats_nrows=12.5\n', 'hats_nrows must be an integer (it is 12.5)');
    for (const key of ['hats_order', 'hats_col_healpix_order', 'hats_skymap_order']) {
      fails(`${key}=30\n`, `${key}=30 is not a HEALPix order (0 to 29)`);
      fails(`${key}=-1\n`, `${key}=-1 is not a HEALPix order (0 to 29)`);
    }
    // the bounds themselves are taken
    expect(
      parseCatalogProperties(
        base + 'hats_nrows=0\nhats_order=29\nhats_col_healpix_order=0\nhats_skymap_order=29\n',
        'f',
      ),
    ).toMatchObject({ totalRows: 0, maxOrder: 29, healpixOrder: 0, skymapOrder: 29 });
  });

  it('treats hats_nrows=None as unknown', () => {
    const p = parseCatalogProperties(
      'obs_collection=x\ndataproduct_type=map\nhats_nrows=None\n',
      'f',
    );
    expect(p.totalRows).toBeUndefined();
  });
});

describe('parseCollectionProperties', () => {
  it('reads small_sky_order1_collection', () => {
    const file = join(LSDB_DATA, 'small_sky_order1_collection/collection.properties');
    expect(parseCollectionProperties(read(file), file)).toMatchObject({
      name: 'small_sky_order1_collection',
      primaryTableUrl: 'small_sky_order1',
      allMargins: ['small_sky_order1_margin_1deg', 'small_sky_order1_margin_2deg'],
      defaultMargin: 'small_sky_order1_margin_1deg',
      allIndexes: { id: 'small_sky_order1_id_index' },
    });
  });

  it('reads index pairs and the older `name=` key', () => {
    const nested = join(LSDB_DATA, 'small_sky_order1_nested_sources/collection.properties');
    expect(parseCollectionProperties(read(nested), nested).allIndexes).toEqual({
      id: 'small_sky_order1_object_id_index',
      'sources.source_id': 'small_sky_order1_source_id_index',
    });
    const info = join(HATS_DATA, 'info_only/collection/collection.properties');
    expect(parseCollectionProperties(read(info), info)).toMatchObject({
      name: 'small_sky_01',
      defaultMargin: 'small_sky_order1_margin',
      defaultIndex: 'id',
    });
  });

  it('names the file and every problem', () => {
    expect(() => parseCollectionProperties('all_indexes=id\n', '/c/collection.properties')).toThrow(
      '/c/collection.properties: obs_collection (the collection name) is missing; hats_primary_table_url (the main catalog folder) is missing; all_indexes must hold pairs "field folder"',
    );
  });
});

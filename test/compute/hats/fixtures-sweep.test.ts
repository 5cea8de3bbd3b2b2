/**
 * Every HATS folder under the shared fixtures opens and reads with the expected row counts, or
 * fails with a HatsError naming the problem. The folders are found by walking the fixture trees,
 * so a new fixture without an expectation fails the test.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  HatsCatalog,
  HatsError,
  leafPath,
  openHats,
  openObjectCatalog,
} from '../../../compute/hats';
import { FIXTURES, HATS_DATA, LSDB_DATA, TSM_EXAMPLE } from '../../fixtures';

interface CatalogExpect {
  rows: number;
  partitions: number;
  type: 'object' | 'source' | 'margin' | 'map' | 'association';
  /** Collections: margin name -> rows. */
  margins?: Record<string, number>;
}
type Expect = CatalogExpect | { error: RegExp };

const L = 'lsdb-tests/tests/data';
const H = 'hats-tests/tests/data';
const T = 'tsm-example/data-example';
const INDEX = { error: /is an index catalog \(dataproduct_type=index\)/ };
const NO_DATASET = { error: /partition_info\.csv is missing and .*dataset\/ cannot be listed/ };

// Row counts: hats-lsdb.md §4 and each catalog's hats_nrows (checked below against _metadata too).
const EXPECTED: Record<string, Expect> = {
  [`${L}/raw/small_sky_no_metadata`]: {
    error: /Npix=11\.parquet: leaf file of the first partition.*ENOENT/,
  },
  [`${L}/small_sky`]: { rows: 131, partitions: 1, type: 'object' },
  [`${L}/small_sky_healpix13`]: {
    rows: 131,
    partitions: 4,
    type: 'object',
    margins: { small_sky_healpix13_1deg: 23, small_sky_healpix13_2deg: 47 },
  },
  [`${L}/small_sky_healpix13/small_sky_healpix13`]: { rows: 131, partitions: 4, type: 'object' },
  [`${L}/small_sky_healpix13/small_sky_healpix13_1deg`]: {
    rows: 23,
    partitions: 5,
    type: 'margin',
  },
  [`${L}/small_sky_healpix13/small_sky_healpix13_2deg`]: {
    rows: 47,
    partitions: 7,
    type: 'margin',
  },
  [`${L}/small_sky_healpix13/small_sky_healpix13_id`]: INDEX,
  [`${L}/small_sky_left_xmatch`]: { rows: 132, partitions: 5, type: 'object' },
  [`${L}/small_sky_npix_alt_suffix`]: { rows: 131, partitions: 1, type: 'object' },
  [`${L}/small_sky_npix_as_dir`]: { rows: 131, partitions: 1, type: 'object' },
  [`${L}/small_sky_order1_collection`]: {
    rows: 131,
    partitions: 4,
    type: 'object',
    margins: { small_sky_order1_margin_1deg: 23, small_sky_order1_margin_2deg: 47 },
  },
  [`${L}/small_sky_order1_collection/small_sky_order1`]: {
    rows: 131,
    partitions: 4,
    type: 'object',
  },
  [`${L}/small_sky_order1_collection/small_sky_order1_id_index`]: INDEX,
  [`${L}/small_sky_order1_collection/small_sky_order1_margin_1deg`]: {
    rows: 23,
    partitions: 5,
    type: 'margin',
  },
  [`${L}/small_sky_order1_collection/small_sky_order1_margin_2deg`]: {
    rows: 47,
    partitions: 7,
    type: 'margin',
  },
  // Leaves live under parquet/1_44.parquet (a custom path generator): refused at read time.
  [`${L}/small_sky_order1_custom_tree`]: {
    error:
      /Npix=44\.parquet: leaf file of partition \(1,44\) cannot be opened.*catalog is incomplete/,
  },
  [`${L}/small_sky_order1_default_columns`]: { rows: 131, partitions: 4, type: 'object' },
  [`${L}/small_sky_order1_nested_sources`]: {
    rows: 131,
    partitions: 4,
    type: 'object',
    margins: { small_sky_order1_nested_sources_margin: 47 },
  },
  [`${L}/small_sky_order1_nested_sources/catalog`]: { rows: 131, partitions: 4, type: 'object' },
  [`${L}/small_sky_order1_nested_sources/small_sky_order1_nested_sources_margin`]: {
    rows: 47,
    partitions: 7,
    type: 'margin',
  },
  [`${L}/small_sky_order1_nested_sources/small_sky_order1_object_id_index`]: INDEX,
  [`${L}/small_sky_order1_nested_sources/small_sky_order1_source_id_index`]: INDEX,
  [`${L}/small_sky_order1_no_pandas_meta`]: { rows: 131, partitions: 4, type: 'object' },
  [`${L}/small_sky_order1_source_collection`]: {
    rows: 17161,
    partitions: 5,
    type: 'source',
    margins: { small_sky_order1_source_margin: 6388 },
  },
  [`${L}/small_sky_order1_source_collection/small_sky_order1_source`]: {
    rows: 17161,
    partitions: 5,
    type: 'source',
  },
  [`${L}/small_sky_order1_source_collection/small_sky_order1_source_band_index`]: INDEX,
  [`${L}/small_sky_order1_source_collection/small_sky_order1_source_margin`]: {
    rows: 6388,
    partitions: 7,
    type: 'margin',
  },
  [`${L}/small_sky_order1_source_collection/small_sky_order1_source_object_id_index`]: INDEX,
  [`${L}/small_sky_order3_source`]: { rows: 17161, partitions: 43, type: 'source' },
  [`${L}/small_sky_order3_source_margin`]: { rows: 5102, partitions: 35, type: 'margin' },
  [`${L}/small_sky_source`]: { rows: 17161, partitions: 14, type: 'source' },
  [`${L}/small_sky_source_margin`]: { rows: 1717, partitions: 14, type: 'margin' },
  [`${L}/small_sky_to_o1source`]: { rows: 131, partitions: 4, type: 'association' },
  [`${L}/small_sky_xmatch`]: { rows: 111, partitions: 3, type: 'object' },
  [`${L}/small_sky_xmatch_margin`]: { rows: 39, partitions: 7, type: 'margin' },
  [`${L}/square_map`]: { rows: 12, partitions: 12, type: 'map' },
  // Properties-only folders: the properties parse (see properties.test.ts), but there is no data.
  [`${H}/info_only/catalog`]: NO_DATASET,
  [`${H}/info_only/dataset`]: NO_DATASET,
  [`${H}/info_only/margin_cache`]: NO_DATASET,
  [`${H}/info_only/index_catalog`]: INDEX,
  [`${H}/info_only/collection`]: {
    error:
      /small_sky_order1: no hats\.properties or properties file, but .*collection\.properties \(hats_primary_table_url\)/,
  },
  [`${H}/small_sky`]: { rows: 131, partitions: 1, type: 'object' },
  [`${H}/small_sky_healpix13`]: { rows: 131, partitions: 1, type: 'object' },
  [`${H}/small_sky_nested`]: { rows: 131, partitions: 13, type: 'object' },
  [`${H}/small_sky_npix_alt_suffix`]: { rows: 131, partitions: 1, type: 'object' },
  [`${H}/small_sky_npix_as_dir`]: { rows: 131, partitions: 1, type: 'object' },
  [`${H}/small_sky_o1_collection`]: {
    rows: 131,
    partitions: 4,
    type: 'object',
    margins: { small_sky_order1_margin: 47, small_sky_order1_margin_10arcs: 0 },
  },
  [`${H}/small_sky_o1_collection/small_sky_order1`]: { rows: 131, partitions: 4, type: 'object' },
  [`${H}/small_sky_o1_collection/small_sky_order1_id_index`]: INDEX,
  [`${H}/small_sky_o1_collection/small_sky_order1_margin`]: {
    rows: 47,
    partitions: 7,
    type: 'margin',
  },
  [`${H}/small_sky_o1_collection/small_sky_order1_margin_10arcs`]: {
    rows: 0,
    partitions: 0,
    type: 'margin',
  },
  [`${H}/small_sky_source`]: { rows: 17161, partitions: 14, type: 'source' },
  [`${H}/small_sky_source_object_index`]: INDEX,
  // An association catalog without leaf files (hats_assn_leaf_files=False): nothing to read.
  [`${H}/small_sky_to_small_sky_order1`]: {
    error:
      /small_sky_to_small_sky_order1 is an association catalog without leaf files \(hats_assn_leaf_files=False\): it only records how small_sky and small_sky_order1 are linked/,
  },
  [`${H}/square_map`]: { rows: 12, partitions: 12, type: 'map' },
  [`${T}/dr2/mag/auto/sfd/catalog`]: { rows: 40, partitions: 1, type: 'object' },
  [`${T}/specz_collection`]: {
    rows: 80,
    partitions: 2,
    type: 'object',
    margins: { margin_10arcs: 0 },
  },
  [`${T}/specz_collection/catalog`]: { rows: 80, partitions: 2, type: 'object' },
  [`${T}/specz_collection/margin_10arcs`]: { rows: 0, partitions: 0, type: 'margin' },
};

const PROPERTY_FILES = ['hats.properties', 'properties', 'collection.properties'];

/** Folders holding a HATS properties file (catalog `dataset/` folders are not descended into). */
function findHatsFolders(dir: string, out: string[] = []): string[] {
  const names = readdirSync(dir);
  const isHats = names.some((n) => PROPERTY_FILES.includes(n));
  if (isHats) out.push(dir);
  for (const n of names) {
    const p = join(dir, n);
    if (isHats && n === 'dataset') continue;
    if (statSync(p).isDirectory()) findHatsFolders(p, out);
  }
  return out;
}

/** Rows per leaf path in `dataset/_metadata` (an oracle independent of partition_info.csv). */
async function metadataRows(catalog: HatsCatalog): Promise<Map<string, number> | undefined> {
  const file = join(catalog.location, 'dataset', '_metadata');
  try {
    statSync(file);
  } catch {
    return undefined;
  }
  const md = await parquetMetadataAsync(await asyncBufferFromFile(file));
  const rows = new Map<string, number>();
  for (const rg of md.row_groups) {
    const path = `dataset/${rg.columns[0].file_path}`;
    rows.set(path, (rows.get(path) ?? 0) + Number(rg.num_rows));
  }
  return rows;
}

async function readAll(catalog: HatsCatalog): Promise<number> {
  const oracle = await metadataRows(catalog);
  let total = 0;
  for (const p of catalog.partitions) {
    const n = (await catalog.readPartition(p)).numRows;
    if (oracle) {
      const leaf = leafPath(p, catalog.properties.npixSuffix);
      const expected = [...oracle]
        .filter(([path]) => path === leaf || path.startsWith(leaf))
        .reduce((s, [, r]) => s + r, 0);
      expect(n, `${catalog.location} ${leaf} vs _metadata`).toBe(expected);
    }
    total += n;
  }
  if (catalog.totalRows !== undefined)
    expect(total, `${catalog.location} vs hats_nrows`).toBe(catalog.totalRows);
  return total;
}

const folders = [LSDB_DATA, HATS_DATA, TSM_EXAMPLE].flatMap((root) => findHatsFolders(root));
const found = folders.map((f) => relative(FIXTURES, f)).sort();

describe('every fixture HATS folder', () => {
  it('has an expectation (and every expectation has a folder)', () => {
    expect(found).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(found)('%s', async (rel) => {
    const expected = EXPECTED[rel];
    const location = join(FIXTURES, rel);
    if ('error' in expected) {
      const err = await (async () => {
        const opened = await openHats(location);
        await readAll(opened.kind === 'collection' ? opened.main : opened);
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HatsError);
      expect((err as Error).message).toMatch(expected.error);
      expect((err as Error).message).toContain(location);
      return;
    }
    const opened = await openHats(location);
    const main = opened.kind === 'collection' ? opened.main : opened;
    expect(opened.kind).toBe(expected.margins ? 'collection' : 'catalog');
    expect(main.properties.catalogType).toBe(expected.type);
    expect(main.partitions).toHaveLength(expected.partitions);
    expect(await readAll(main)).toBe(expected.rows);
    if (opened.kind === 'collection') {
      const got: Record<string, number> = {};
      for (const name of opened.marginNames)
        got[name] = await readAll(await opened.openMargin(name));
      expect(got).toEqual(expected.margins);
    }
    const objectSide = openObjectCatalog(location);
    if (expected.type === 'object' || expected.type === 'source') {
      expect((await objectSide).catalog.name).toBe(main.name);
    } else {
      await expect(objectSide).rejects.toThrow(/not an object catalog/);
    }
  });
});

/**
 * Values read through the HATS reader (hyparquet) equal those of an independent reader
 * (parquet-wasm, the Rust parquet crate) for every partition of fixture catalogs covering
 * int64/double/uint8/uint64/string/nested columns, and margins.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import * as pq from 'parquet-wasm/node';
import { describe, expect, it } from 'vitest';
import { HatsCatalog, leafPath, openHats } from '../../../compute/hats';
import { FIXTURES, LSDB_DATA, TSM_EXAMPLE } from '../../fixtures';

function columnValues(t: Table, name: string): unknown[] {
  const v = t.getChild(name)!;
  return Array.from({ length: t.numRows }, (_, i) => {
    const x = v.get(i);
    return x !== null && typeof x === 'object'
      ? JSON.stringify(x.toJSON(), (_k, y) => (typeof y === 'bigint' ? `${y}n` : y))
      : x;
  });
}

const CATALOGS = [
  ...[
    'small_sky_source',
    'small_sky_source_margin',
    'small_sky_left_xmatch',
    'small_sky_order1_no_pandas_meta',
    'small_sky_order1_nested_sources/catalog',
    'small_sky_healpix13/small_sky_healpix13_2deg',
  ].map((n) => join(LSDB_DATA, n)),
  join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog'),
].map((location) => [relative(FIXTURES, location), location]);

describe('values equal parquet-wasm', () => {
  it.each(CATALOGS)('%s', async (name, location) => {
    const cat = (await openHats(location)) as HatsCatalog;
    expect(cat).toBeInstanceOf(HatsCatalog);
    let rows = 0;
    for (const p of cat.partitions) {
      const mine = await cat.readPartition(p);
      const oracle = tableFromIPC(
        pq
          .readParquet(readFileSync(join(location, leafPath(p, cat.properties.npixSuffix))))
          .intoIPCStream(),
      );
      expect(mine.numRows).toBe(oracle.numRows);
      for (const f of cat.schema.fields) {
        expect(columnValues(mine, f.name), `${name} ${p.order}/${p.pixel} ${f.name}`).toEqual(
          columnValues(oracle, f.name),
        );
      }
      rows += mine.numRows;
    }
    expect(rows).toBe(cat.totalRows);
  });
});

/**
 * ang2pix against every stored spatial index in the shared HATS fixtures, bit for bit.
 *
 * Catalogs checked: every catalog (object, source, margin) whose properties name ra/dec columns
 * (`hats_col_ra` / `hats_col_dec`) and that has leaf files. The spatial column is
 * `hats_col_healpix` at `hats_col_healpix_order` (default `_healpix_29` at 29; small_sky_healpix13
 * uses `healpix13` at 13); when a leaf also has `_healpix_29`, it is checked too.
 * Skipped (no ra/dec columns to recompute from): index catalogs (`*_id_index`, `*_index`,
 * `small_sky_source_object_index`), association catalogs (`small_sky_to_o1source`,
 * `small_sky_to_small_sky_order1`) and maps (`square_map`). `info_only/*`,
 * `raw/small_sky_no_metadata` and `small_sky_order1_margin_10arcs` have properties but no leaves.
 */
import { describe, expect, it } from 'vitest';
import { ang2pixNestBatch } from '../../../compute/healpix';
import { HATS_DATA, LSDB_DATA } from '../../fixtures';
import { columnNames, findCatalogs, leafFiles, readColumns } from './fixture-catalogs';

interface Totals {
  catalogs: number;
  files: number;
  rows: number;
  values: number;
  mismatches: string[];
}

async function checkTree(root: string): Promise<Totals> {
  const t: Totals = { catalogs: 0, files: 0, rows: 0, values: 0, mismatches: [] };
  for (const cat of findCatalogs(root)) {
    const ra = cat.props.hats_col_ra;
    const dec = cat.props.hats_col_dec;
    if (!ra || !dec) continue;
    const files = leafFiles(cat);
    if (files.length === 0) continue;
    t.catalogs++;
    const hpCol = cat.props.hats_col_healpix ?? '_healpix_29';
    const hpOrder = Number(cat.props.hats_col_healpix_order ?? 29);
    for (const file of files) {
      const names = await columnNames(file);
      const checks: [string, number][] = [[hpCol, hpOrder]];
      if (hpCol !== '_healpix_29' && names.includes('_healpix_29'))
        checks.push(['_healpix_29', 29]);
      const rows = await readColumns(file, [ra, dec, ...checks.map((c) => c[0])]);
      const raDeg = Float64Array.from(rows, (r) => r[ra] as number);
      const decDeg = Float64Array.from(rows, (r) => r[dec] as number);
      t.files++;
      t.rows += rows.length;
      for (const [col, order] of checks) {
        const got = ang2pixNestBatch(order, raDeg, decDeg);
        rows.forEach((r, i) => {
          const stored = BigInt(r[col] as bigint | number);
          t.values++;
          if (got[i] !== stored && t.mismatches.length < 20) {
            t.mismatches.push(`${file} row ${i} ${col}: stored ${stored}, computed ${got[i]}`);
          }
        });
      }
    }
  }
  return t;
}

describe('ang2pixNest reproduces the stored HATS spatial indices', () => {
  it('LSDB test catalogs: every row of every leaf file with ra/dec', async () => {
    const t = await checkTree(LSDB_DATA);
    console.log(
      `LSDB fixtures: ${t.catalogs} catalogs, ${t.files} leaf files, ${t.rows} rows, ${t.values} values checked`,
    );
    expect(t.mismatches).toEqual([]);
    // hats-lsdb.md "Checked on this machine": 65,875 stored _healpix_29 values with ra/dec.
    expect(t.rows).toBeGreaterThanOrEqual(65_875);
    expect(t.catalogs).toBeGreaterThanOrEqual(20);
  });

  it('hats test catalogs: every row of every leaf file with ra/dec', async () => {
    const t = await checkTree(HATS_DATA);
    console.log(
      `hats fixtures: ${t.catalogs} catalogs, ${t.files} leaf files, ${t.rows} rows, ${t.values} values checked`,
    );
    expect(t.mismatches).toEqual([]);
    expect(t.rows).toBeGreaterThan(17_000);
  });
});

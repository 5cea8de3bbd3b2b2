/**
 * marginPixels on real data: rebuild every margin partition of the LSDB margin fixtures from the
 * primary catalog's rows with the hats-import rule (hats-lsdb.md §2.4) and compare row sets.
 * Targets = primary partitions + negative-tree pixels; margin partition P holds the rows whose
 * pixel at the margin order lies in marginPixels(P); empty partitions are not written.
 */
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { margin2order, marginPixels, mindistArcmin } from '../../../compute/healpix';
import { LSDB_DATA } from '../../fixtures';
import { leafFiles, leafPixel, readColumns, readProperties } from './fixture-catalogs';

const MARGINS = [
  'small_sky_xmatch_margin',
  'small_sky_order1_collection/small_sky_order1_margin_1deg',
  'small_sky_order1_collection/small_sky_order1_margin_2deg',
  'small_sky_source_margin',
  'small_sky_order3_source_margin',
  'small_sky_order1_source_collection/small_sky_order1_source_margin',
  'small_sky_order1_nested_sources/small_sky_order1_nested_sources_margin',
  'small_sky_healpix13/small_sky_healpix13_1deg',
  'small_sky_healpix13/small_sky_healpix13_2deg',
];

interface Pix {
  order: number;
  pixel: number;
}

/** Margin order: k when the threshold is hats-import's mindist(k) (margin_order given), else margin2order. */
function marginOrderOf(thresholdArcsec: number): number {
  for (let k = 0; k <= 24; k++) {
    if (Math.abs(mindistArcmin(k) * 60 - thresholdArcsec) < 1e-6 * thresholdArcsec) return k;
  }
  return margin2order(thresholdArcsec / 60);
}

/** Fewest pixels covering the sky outside the tree (hats `negative_tree.py`, by recursion). */
function negativeTree(tree: Pix[]): Pix[] {
  const out: Pix[] = [];
  const range = (p: Pix): [number, number] => [
    p.pixel * 4 ** (24 - p.order),
    (p.pixel + 1) * 4 ** (24 - p.order),
  ];
  const treeRanges = tree.map(range);
  const visit = (p: Pix): void => {
    const [s, e] = range(p);
    if (treeRanges.some(([ts, te]) => ts <= s && e <= te)) return; // covered
    if (!treeRanges.some(([ts, te]) => ts < e && s < te)) {
      out.push(p);
      return;
    }
    for (let c = 0; c < 4; c++) visit({ order: p.order + 1, pixel: p.pixel * 4 + c });
  };
  for (let f = 0; f < 12; f++) visit({ order: 0, pixel: f });
  return out;
}

async function rowsOf(file: string, ra: string, dec: string, hp: string) {
  const rows = await readColumns(file, [ra, dec, hp]);
  return rows.map((r) => ({ h: BigInt(r[hp] as bigint), key: `${r[hp]}|${r[ra]}|${r[dec]}` }));
}

describe('margin partitions rebuilt with marginPixels', () => {
  for (const rel of MARGINS) {
    it(rel, async () => {
      const dir = join(LSDB_DATA, rel);
      const props = readProperties(dir)!;
      const primaryDir = [dirname(dir), LSDB_DATA]
        .map((base) => join(base, props.hats_primary_table_url))
        .find((d) => existsSync(d))!;
      const primary = { dir: primaryDir, props: readProperties(primaryDir)! };
      const ra = props.hats_col_ra;
      const dec = props.hats_col_dec;
      const hp = props.hats_col_healpix ?? '_healpix_29';
      const hpOrder = Number(props.hats_col_healpix_order ?? 29);
      const m = marginOrderOf(Number(props.hats_margin_threshold));

      const primaryFiles = leafFiles(primary);
      const tree = primaryFiles.map(leafPixel);
      const primaryRows = (
        await Promise.all(primaryFiles.map((f) => rowsOf(f, ra, dec, hp)))
      ).flat();
      const shift = BigInt(2 * (hpOrder - m));
      const q = primaryRows.map((r) => Number(r.h >> shift));

      const expected = new Map<string, string[]>();
      for (const t of [...tree, ...negativeTree(tree)]) {
        const cells = new Set(marginPixels(t.order, t.pixel, m - t.order));
        const keys = primaryRows.filter((_, i) => cells.has(q[i])).map((r) => r.key);
        if (keys.length > 0) expected.set(`${t.order}/${t.pixel}`, keys.sort());
      }

      const actual = new Map<string, string[]>();
      for (const f of leafFiles({ dir, props })) {
        const p = leafPixel(f);
        const keys = (await rowsOf(f, ra, dec, hp)).map((r) => r.key);
        actual.set(`${p.order}/${p.pixel}`, [
          ...(actual.get(`${p.order}/${p.pixel}`) ?? []),
          ...keys,
        ]);
      }
      for (const [k, v] of actual) actual.set(k, v.sort());

      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, v] of expected) expect(actual.get(k), `partition ${k}`).toEqual(v);
      const total = [...actual.values()].reduce((s, v) => s + v.length, 0);
      console.log(`${rel}: margin order ${m}, ${actual.size} partitions, ${total} rows reproduced`);
      expect(total).toBeGreaterThan(0);
    });
  }
});

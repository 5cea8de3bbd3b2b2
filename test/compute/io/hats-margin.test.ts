import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Int64, Table, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Pixel } from '../../../compute/hats/types';
import { marginPixels } from '../../../compute/healpix';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { marginOrderFor, marginRouter, negativeTree } from '../../../compute/io/hats-margin';
import { leafRelPath } from '../../../compute/io/hats-properties';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { LSDB_DATA } from '../../fixtures';
import { smallSkyTable, useTempDir } from './helpers';

const tmp = useTempDir();

const FIXTURE = join(LSDB_DATA, 'small_sky_order1_collection', 'small_sky_order1_margin_1deg');

async function idsOf(path: string): Promise<bigint[]> {
  const t = await readParquetFile(path);
  return [...(t.getChild('id')!.toArray() as BigInt64Array)].sort((a, b) => (a < b ? -1 : 1));
}

describe('writeHatsCatalog with a margin', () => {
  it('negative tree of the four order-1 pixels of base pixel 11 is the other 11 base pixels', () => {
    const neg = negativeTree([44, 45, 46, 47].map((pixel) => ({ order: 1, pixel })));
    expect(neg).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((pixel) => ({ order: 0, pixel })));
  });

  it('gives the same margin partitions and rows as hats-import (small_sky_order1_margin_1deg)', async () => {
    const out = join(tmp.dir, 'ss.hats');
    const res = await writeHatsCatalog(out, smallSkyTable(), {
      name: 'small_sky_order1',
      partitionRows: 50,
      highestOrder: 5,
      margin: { thresholdArcsec: 3600, name: 'margin_1deg' },
    });
    expect(res.marginRows).toBe(23); // fixture hats.properties: hats_nrows=23
    const props = readFileSync(join(out, 'collection.properties'), 'utf8');
    expect(props).toContain('hats_primary_table_url=small_sky_order1\n');
    expect(props).toContain('default_margin=margin_1deg\n');
    expect(readFileSync(join(res.catalogDir, 'partition_info.csv'), 'utf8')).toBe(
      'Norder,Npix\n1,44\n1,45\n1,46\n1,47\n',
    );
    expect(readFileSync(join(res.marginDir!, 'partition_info.csv'), 'utf8')).toBe(
      readFileSync(join(FIXTURE, 'partition_info.csv'), 'utf8'),
    );
    const marginProps = readFileSync(join(res.marginDir!, 'hats.properties'), 'utf8');
    expect(marginProps).toContain('dataproduct_type=margin\n');
    expect(marginProps).toContain('hats_margin_threshold=3600\n');
    const margin = {
      partitions: [
        { order: 0, pixel: 4 },
        ...[44, 45, 46, 47].map((pixel) => ({ order: 1, pixel })),
      ],
    };
    for (const p of margin.partitions) {
      const rel = `dataset/Norder=${p.order}/Dir=0/Npix=${p.pixel}.parquet`;
      expect(await idsOf(join(res.marginDir!, rel))).toEqual(await idsOf(join(FIXTURE, rel)));
    }
  });
});

/** Seeded uniform numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The oracle: the former routing, by enumerating every target's margin cells along its edges
 * (marginPixels, checked against hats' margin fixtures in test/compute/healpix): cell at the
 * margin order -> indices of the targets whose margin holds it, ascending.
 */
function edgeEnumeration(targets: Pixel[], marginOrder: number): Map<number, number[]> {
  const cellTargets = new Map<number, number[]>();
  targets.forEach((t, ti) => {
    for (const cell of marginPixels(t.order, t.pixel, marginOrder - t.order)) {
      const list = cellTargets.get(cell);
      if (list) list.push(ti);
      else cellTargets.set(cell, [ti]);
    }
  });
  return cellTargets;
}

const rangeStart = (p: Pixel): number => p.pixel * 4 ** (24 - p.order);

/** Partitions plus negative tree, sorted by nested range, as writeMarginCatalog makes them. */
function targetsOf(partitions: Pixel[]): Pixel[] {
  return [...partitions, ...negativeTree(partitions)].sort((a, b) => rangeStart(a) - rangeStart(b));
}

/** Random partitions: base pixels split at random down to `maxOrder`, some of the leaves kept. */
function randomPartitions(rand: () => number, maxOrder: number, keep: number): Pixel[] {
  const out: Pixel[] = [];
  const visit = (order: number, pixel: number): void => {
    if (order < maxOrder && rand() < 0.45) {
      for (let c = 0; c < 4; c++) visit(order + 1, 4 * pixel + c);
    } else if (rand() < keep) out.push({ order, pixel });
  };
  for (let p = 0; p < 12; p++) visit(0, p);
  return out.length ? out : [{ order: maxOrder, pixel: 0 }];
}

/** Points within `radiusDeg` of the poles, the 3-face and 4-face vertices, and anywhere. */
function testPositions(rand: () => number, n: number, radiusDeg: number): [number, number][] {
  const vertexDec = (Math.asin(2 / 3) * 180) / Math.PI;
  const special: [number, number][] = [
    [0, 90],
    [0, -90],
    ...[0, 90, 180, 270].flatMap((ra): [number, number][] => [
      [ra, vertexDec], // where 3 base pixels meet (polar faces 0-3 / 8-11 and an equatorial one)
      [ra, -vertexDec],
      [ra + 45, 0], // where 4 meet
    ]),
  ];
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      out.push([360 * rand(), (Math.asin(2 * rand() - 1) * 180) / Math.PI]);
      continue;
    }
    const [ra, dec] = special[i % special.length];
    const d = Math.max(-90, Math.min(90, dec + radiusDeg * (2 * rand() - 1)));
    const cos = Math.max(Math.cos((d * Math.PI) / 180), 1e-3);
    out.push([(((ra + (radiusDeg * (2 * rand() - 1)) / cos) % 360) + 360) % 360, d]);
  }
  return out;
}

describe('marginRouter', () => {
  it('routes every cell at the margin order as the edge enumeration of every target does', () => {
    const rand = seeded(7);
    const layouts: Pixel[][] = [
      [44, 45, 46, 47].map((pixel) => ({ order: 1, pixel })), // small_sky_order1
      [{ order: 0, pixel: 4 }], // an equatorial base pixel: 3-face vertices at its top and bottom
      [
        { order: 2, pixel: 0 },
        { order: 2, pixel: 63 },
        { order: 1, pixel: 47 },
      ], // pole corners
      [{ order: 3, pixel: 4 * 16 * 4 + 63 }], // order 3 at a corner of base pixel 4
    ];
    for (let i = 0; i < 8; i++) layouts.push(randomPartitions(rand, 3, 0.5));
    let compared = 0;
    for (const partitions of layouts) {
      const targets = targetsOf(partitions);
      const highest = Math.max(...targets.map((t) => t.order));
      for (let m = highest + 1; m <= Math.min(highest + 3, 6); m++) {
        const oracle = edgeEnumeration(targets, m);
        const route = marginRouter(targets, m);
        // every cell, in a shuffled order (the router keeps the last cell and the border cells)
        const cells = Array.from({ length: 12 * 4 ** m }, (_, c) => c);
        for (let k = cells.length - 1; k > 0; k--) {
          const j = Math.floor(rand() * (k + 1));
          [cells[k], cells[j]] = [cells[j], cells[k]];
        }
        for (const cell of [...cells, ...cells.slice(0, 1000)]) {
          const got = route(cell);
          const want = oracle.get(cell) ?? [];
          if (got.length !== want.length || got.some((t, k) => t !== want[k])) {
            expect({ partitions, m, cell, got }).toEqual({ partitions, m, cell, got: want });
          }
        }
        compared += oracle.size;
      }
    }
    expect(compared).toBeGreaterThan(10_000); // margin cells compared, not an empty loop
  });
});

describe('writeMarginCatalog routing', () => {
  const tmp = useTempDir();

  it('writes the margin partitions and rows the edge enumeration gives, near poles and base-pixel corners', async () => {
    const rand = seeded(2026);
    const threshold = 600; // 10 arcmin: margin order 7
    const m = marginOrderFor(threshold);
    expect(m).toBe(7);
    const positions = testPositions(rand, 1000, 2);
    const table = new Table({
      id: vectorFromArray(
        positions.map((_, i) => BigInt(i)),
        new Int64(),
      ),
      ra: vectorFromArray(
        positions.map((p) => p[0]),
        new Float64(),
      ),
      dec: vectorFromArray(
        positions.map((p) => p[1]),
        new Float64(),
      ),
    });
    const layouts: [number, number][] = [
      [1000, 6], // partitionRows, highestOrder: the base pixels
      [80, 6],
      [30, 5],
    ];
    const seen = new Set<string>();
    for (const [partitionRows, highestOrder] of layouts) {
      const out = join(tmp.dir, `out-${partitionRows}.hats`);
      const res = await writeHatsCatalog(out, table, {
        name: 'cat',
        partitionRows,
        highestOrder,
        margin: { thresholdArcsec: threshold, name: 'margin' },
      });
      seen.add(res.partitions.map((p) => `${p.order}/${p.pixel}`).join(','));
      // the oracle: every row of the catalog (id, _healpix_29) routed by the edge enumeration
      const rows: { id: bigint; h: bigint }[] = [];
      for (const p of res.partitions) {
        const t = await readParquetFile(join(res.catalogDir, leafRelPath(p)));
        const ids = t.getChild('id')!.toArray() as BigInt64Array;
        const hs = t.getChild('_healpix_29')!.toArray() as BigInt64Array;
        for (let i = 0; i < t.numRows; i++) rows.push({ id: ids[i], h: hs[i] });
      }
      const targets = targetsOf(res.partitions);
      const oracle = edgeEnumeration(targets, m);
      const want = new Map<number, { id: bigint; h: bigint }[]>();
      const shift = BigInt(2 * (29 - m));
      for (const r of rows) {
        for (const ti of oracle.get(Number(r.h >> shift)) ?? []) {
          if (!want.has(ti)) want.set(ti, []);
          want.get(ti)!.push(r);
        }
      }
      const wantPixels = [...want.keys()].sort((a, b) => a - b).map((ti) => targets[ti]);
      expect(readFileSync(join(res.marginDir!, 'partition_info.csv'), 'utf8')).toBe(
        `Norder,Npix\n${wantPixels.map((p) => `${p.order},${p.pixel}\n`).join('')}`,
      );
      let total = 0;
      for (const [ti, list] of want) {
        const t = await readParquetFile(join(res.marginDir!, leafRelPath(targets[ti])));
        const sorted = [...list].sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
        expect([...(t.getChild('id')!.toArray() as BigInt64Array)]).toEqual(
          sorted.map((r) => r.id),
        );
        total += list.length;
      }
      expect(res.marginRows).toBe(total);
      expect(total).toBeGreaterThan(100);
    }
    expect(seen.size).toBe(layouts.length); // as many different partition layouts
  });
});

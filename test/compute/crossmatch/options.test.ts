import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossmatch } from '../../../compute/crossmatch/crossmatch';
import { inMemoryCatalog } from '../../../compute/crossmatch/in-memory';
import { UserError } from '../../../compute/errors';
import { openObjectCatalog } from '../../../compute/hats';
import type { PixelCatalog } from '../../../compute/hats/types';
import { LSDB_DATA } from '../../fixtures';
import { collect, expectSamePairs, pairsOf, readExpected } from './golden';

let smallSky: PixelCatalog;
let xmatch: PixelCatalog;
let margin: PixelCatalog;

beforeAll(async () => {
  smallSky = (await openObjectCatalog(join(LSDB_DATA, 'small_sky'))).catalog;
  const r = await openObjectCatalog(join(LSDB_DATA, 'small_sky_xmatch'), {
    margin: join(LSDB_DATA, 'small_sky_xmatch_margin'),
  });
  xmatch = r.catalog;
  margin = r.margin!;
});

describe('crossmatch option checks (lsdb §3.1), before any partition is read', () => {
  const bad: [string, object, RegExp][] = [
    ['radius 0', { radiusArcsec: 0 }, /radiusArcsec must be a positive/],
    ['radius < 0', { radiusArcsec: -1 }, /radiusArcsec must be a positive/],
    ['n = 0', { radiusArcsec: 1, nNeighbors: 0 }, /nNeighbors must be an integer >= 1/],
    ['min < 0', { radiusArcsec: 1, minRadiusArcsec: -1 }, /minRadiusArcsec must be >= 0/],
    [
      'min = radius',
      { radiusArcsec: 1, minRadiusArcsec: 1 },
      /minRadiusArcsec \(1\) must be smaller than radiusArcsec \(1\)/,
    ],
    ['bad how', { radiusArcsec: 1, how: 'outer' }, /how must be 'inner' or 'left'/],
    [
      'unknown column',
      { radiusArcsec: 1, columns: { right: ['nope'] } },
      /right column 'nope' not found/,
    ],
  ];
  for (const [what, opts, msg] of bad) {
    it(`rejects ${what} with a UserError naming the parameter`, () => {
      expect(() => crossmatch(smallSky, xmatch, opts as never)).toThrow(UserError);
      expect(() => crossmatch(smallSky, xmatch, opts as never)).toThrow(msg);
    });
  }

  it('a margin thinner than the radius is an error with borderRows off, and falls back to border rows with auto', async () => {
    expect(() =>
      crossmatch(smallSky, xmatch, { radiusArcsec: 9000, rightMargin: margin, borderRows: 'off' }),
    ).toThrow(/Cross match radius is greater than margin threshold/);
    const tables = await collect(
      crossmatch(smallSky, xmatch, {
        radiusArcsec: 9000,
        nNeighbors: 1,
        rightMargin: margin,
        workers: 0,
      }),
    );
    expect(tables.reduce((s, t) => s + t.numRows, 0)).toBeGreaterThan(0);
  });

  it('reports catalogs that do not overlap', () => {
    const a = inMemoryCatalog(
      tableFromArrays({ ra: new Float64Array([135]), dec: new Float64Array([45]) }),
      {
        name: 'a',
        raColumn: 'ra',
        decColumn: 'dec',
      },
    );
    expect(() => crossmatch(a, xmatch, { radiusArcsec: 1 })).toThrow(/Catalogs do not overlap/);
  });
});

describe('output columns (lsdb §3.4)', () => {
  it('suffixes every column by default, then _dist_arcsec; the left spatial index comes first', async () => {
    const [t] = await collect(
      crossmatch(smallSky, xmatch, { radiusArcsec: 36, workers: 0, borderRows: 'off' }),
    );
    const names = t.schema.fields.map((f) => f.name);
    expect(names[0]).toBe('_healpix_29');
    expect(names).toContain('ra_small_sky');
    expect(names).toContain('calculated_dist_small_sky_xmatch');
    expect(names).not.toContain('_healpix_29_small_sky_xmatch');
    expect(names.at(-1)).toBe('_dist_arcsec');
  });

  it("suffixes only the shared names with 'overlapping_columns', and keeps only the chosen columns", async () => {
    const [t] = await collect(
      crossmatch(smallSky, xmatch, {
        radiusArcsec: 36,
        workers: 0,
        borderRows: 'off',
        suffixMethod: 'overlapping_columns',
        suffixes: ['_l', '_r'],
        columns: { left: ['id'], right: ['id', 'calculated_dist'] },
      }),
    );
    expect(t.schema.fields.map((f) => f.name)).toEqual([
      '_healpix_29',
      'id_l',
      'id_r',
      'calculated_dist',
      '_dist_arcsec',
    ]);
  });
});

describe('inMemoryCatalog (a user file on the left)', () => {
  it('partitions by _healpix_29 and matches like the HATS copy, also through the workers', async () => {
    const hats = await smallSky.readPartition({ order: 0, pixel: 11 });
    const userRows = hats.select(['id', 'ra', 'dec']);
    const user = inMemoryCatalog(userRows, {
      name: 'small_sky',
      raColumn: 'ra',
      decColumn: 'dec',
      maxRowsPerPartition: 40,
    });
    expect(user.partitions.length).toBeGreaterThan(1);
    const total = (await Promise.all(user.partitions.map((p) => user.readPartition(p)))).reduce(
      (s, t) => s + t.numRows,
      0,
    );
    expect(total).toBe(131);
    // The computed index equals the stored one for every row.
    const stored = new Map<number, bigint>();
    for (let i = 0; i < hats.numRows; i++)
      stored.set(hats.getChild('id')!.get(i), hats.getChild('_healpix_29')!.get(i));
    for (const p of user.partitions) {
      const t = await user.readPartition(p);
      for (let i = 0; i < t.numRows; i++)
        expect(t.getChild('_healpix_29')!.get(i)).toBe(stored.get(t.getChild('id')!.get(i)));
    }
    for (const workers of [0, 2]) {
      const tables = await collect(
        crossmatch(user, xmatch, {
          radiusArcsec: 7200,
          nNeighbors: 3,
          rightMargin: margin,
          workers,
        }),
      );
      expectSamePairs(
        pairsOf(tables, 'id_small_sky', 'id_small_sky_xmatch'),
        readExpected('xmatch_correct_3n_2t.csv'),
      );
    }
  });

  it('rejects NaN and out-of-range coordinates naming the column', () => {
    const t = tableFromArrays({ ra: new Float64Array([1, NaN]), dec: new Float64Array([0, 0]) });
    expect(() =>
      inMemoryCatalog(t, { name: 'u', raColumn: 'ra', decColumn: 'dec', location: 'u.csv' }),
    ).toThrow(/u.csv: row 2 has ra=NaN/);
    const t2 = tableFromArrays({ ra: new Float64Array([1]), dec: new Float64Array([91]) });
    expect(() => inMemoryCatalog(t2, { name: 'u', raColumn: 'ra', decColumn: 'dec' })).toThrow(
      /dec must be in \[-90, 90\]/,
    );
  });
});

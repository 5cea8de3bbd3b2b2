import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossmatch } from '../../../compute/crossmatch/crossmatch';
import type { CrossmatchOptions } from '../../../compute/crossmatch/options';
import { openObjectCatalog } from '../../../compute/hats';
import type { PixelCatalog } from '../../../compute/hats/types';
import { LSDB_DATA } from '../../fixtures';
import {
  collect,
  expectDistanceOrder,
  expectSamePairs,
  pairsOf,
  readExpected,
  type Pair,
} from './golden';

const at = (name: string) => join(LSDB_DATA, name);
let smallSky: PixelCatalog;
let xmatch: PixelCatalog;
let xmatchMargin: PixelCatalog;
let leftXmatch: PixelCatalog;

beforeAll(async () => {
  smallSky = (await openObjectCatalog(at('small_sky'))).catalog;
  const withMargin = await openObjectCatalog(at('small_sky_xmatch'), {
    margin: at('small_sky_xmatch_margin'),
  });
  xmatch = withMargin.catalog;
  xmatchMargin = withMargin.margin!;
  expect(xmatchMargin.marginThresholdArcsec).toBeCloseTo(8245.167388361773, 9);
  leftXmatch = (await openObjectCatalog(at('small_sky_left_xmatch'))).catalog;
});

async function run(
  left: PixelCatalog,
  right: PixelCatalog,
  options: CrossmatchOptions,
): Promise<Pair[]> {
  const tables = await collect(crossmatch(left, right, { workers: 0, ...options }));
  const pairs = pairsOf(tables, 'id_' + left.name, 'id_' + right.name);
  expectDistanceOrder(pairs);
  for (const p of pairs)
    if (p.distArcsec !== null) expect(p.distArcsec).toBeLessThan(options.radiusArcsec);
  return pairs;
}

describe('crossmatch equals LSDB golden files (hats-lsdb.md §4)', () => {
  it('xmatch_correct.csv: r=36", n=1, no margin -> 103 rows', async () => {
    const got = await run(smallSky, xmatch, { radiusArcsec: 36, borderRows: 'off' });
    expectSamePairs(got, readExpected('xmatch_correct.csv'));
    expect(got.length).toBe(103);
  });

  it('xmatch_correct_0_005.csv: r=18" -> 36 rows, also with min radius 1"', async () => {
    const want = readExpected('xmatch_correct_0_005.csv');
    expect(want.length).toBe(36);
    expectSamePairs(await run(smallSky, xmatch, { radiusArcsec: 18, borderRows: 'off' }), want);
    expectSamePairs(
      await run(smallSky, xmatch, { radiusArcsec: 18, minRadiusArcsec: 1, borderRows: 'off' }),
      want,
    );
  });

  it('xmatch_correct_002_005.csv: r=18", min=7.2" -> 30 rows', async () => {
    const got = await run(smallSky, xmatch, {
      radiusArcsec: 18,
      minRadiusArcsec: 7.2,
      borderRows: 'off',
    });
    expectSamePairs(got, readExpected('xmatch_correct_002_005.csv'));
    expect(got.length).toBe(30);
  });

  it('xmatch_correct_3n_2t_no_margin.csv: r=7200", n=3, no margin, borderRows off -> 185 rows', async () => {
    const got = await run(smallSky, xmatch, {
      radiusArcsec: 7200,
      nNeighbors: 3,
      borderRows: 'off',
    });
    expectSamePairs(got, readExpected('xmatch_correct_3n_2t_no_margin.csv'));
    expect(got.length).toBe(185);
  });

  it('xmatch_correct_3n_2t.csv: r=7200", n=3, with the margin -> 190 rows', async () => {
    const got = await run(smallSky, xmatch, {
      radiusArcsec: 7200,
      nNeighbors: 3,
      rightMargin: xmatchMargin,
    });
    expectSamePairs(got, readExpected('xmatch_correct_3n_2t.csv'));
    expect(got.length).toBe(190);
  });

  it('border rows (auto, no margin) give the same 190 rows as the margin', async () => {
    const got = await run(smallSky, xmatch, { radiusArcsec: 7200, nNeighbors: 3 });
    expectSamePairs(got, readExpected('xmatch_correct_3n_2t.csv'));
  });

  it('xmatch_correct_3n_2t_negative.csv: left pixel (2,66) matched through margin pixel (0,4) -> 191 rows', async () => {
    const got = await run(leftXmatch, xmatch, {
      radiusArcsec: 7200,
      nNeighbors: 3,
      rightMargin: xmatchMargin,
    });
    expectSamePairs(got, readExpected('xmatch_correct_3n_2t_negative.csv'));
    expect(got.filter((p) => p.left === 699).map((p) => p.right)).toEqual([779]);
  });

  it('xmatch_correct_05_2_3n_margin.csv: r=7200", n=3, min=1800", margin -> 78 rows', async () => {
    const got = await run(smallSky, xmatch, {
      radiusArcsec: 7200,
      nNeighbors: 3,
      minRadiusArcsec: 1800,
      rightMargin: xmatchMargin,
    });
    expectSamePairs(got, readExpected('xmatch_correct_05_2_3n_margin.csv'));
    expect(got.length).toBe(78);
  });
});

describe('crossmatch: other LSDB test numbers', () => {
  it('n=50, r=7200", min=1800", no margin -> 72 rows', async () => {
    const got = await run(smallSky, xmatch, {
      radiusArcsec: 7200,
      nNeighbors: 50,
      minRadiusArcsec: 1800,
      borderRows: 'off',
    });
    expect(got.length).toBe(72);
  });

  it('small_sky self-match r=18" -> 131 rows, all at distance 0 (equal names: suffixes "" and "_right")', async () => {
    const tables = await collect(crossmatch(smallSky, smallSky, { radiusArcsec: 18, workers: 0 }));
    const pairs = pairsOf(tables, 'id', 'id_right');
    expect(pairs.length).toBe(131);
    expect(new Set(pairs.map((p) => p.left)).size).toBe(131);
    for (const p of pairs) expect(p.distArcsec).toBe(0);
    // small_sky has objects at identical positions (e.g. 723 and 811): a tie goes to the row
    // that comes first in the partition; every other row matches itself.
    const others = pairs.filter((p) => p.right !== p.left);
    expect(others.length).toBeLessThan(10);
    const ra = new Map<number, number>();
    for (const t of tables)
      for (let i = 0; i < t.numRows; i++)
        ra.set(Number(t.getChild('id')!.get(i)), t.getChild('ra')!.get(i));
    for (const p of others) expect(ra.get(p.right!)).toBe(ra.get(p.left));
  });

  it('small_sky_xmatch x small_sky_healpix13 collection (healpix13 at order 13), r=36", n=2 -> 103 rows', async () => {
    // As lsdb open_catalog(collection): the main catalog plus its default margin (1deg).
    const { catalog: right, margin } = await openObjectCatalog(at('small_sky_healpix13'));
    expect(right.healpixColumn).toBe('healpix13');
    expect(right.healpixOrder).toBe(13);
    expect(margin?.marginThresholdArcsec).toBe(3600);
    const tables = await collect(
      crossmatch(xmatch, right, {
        radiusArcsec: 36,
        nNeighbors: 2,
        workers: 0,
        rightMargin: margin,
      }),
    );
    const pairs = pairsOf(tables, 'id_small_sky_xmatch', 'id_small_sky_healpix13');
    expect(pairs.length).toBe(103);
    expect(pairs.some((p, i) => i > 0 && pairs[i - 1].left === p.left)).toBe(true); // n=2 used
    expect(tables.reduce((s, t) => s + t.numRows, 0)).toBe(103);
  });

  it('left join = the inner rows plus every unmatched left row once, with null right columns', async () => {
    const inner = readExpected('xmatch_correct.csv');
    const got = await run(smallSky, xmatch, { radiusArcsec: 36, how: 'left', borderRows: 'off' });
    const matched = new Set(inner.map((p) => p.left));
    const ids = await collect(
      crossmatch(smallSky, xmatch, {
        radiusArcsec: 36,
        how: 'left',
        workers: 0,
        borderRows: 'off',
      }),
    );
    expect(ids.length).toBe(4); // (1,44), (1,45), (1,46) and (1,47) with no right partition
    const unmatched: Pair[] = [];
    for (const p of got) if (!matched.has(p.left)) unmatched.push(p);
    expect(unmatched.length).toBe(131 - matched.size);
    expectSamePairs(got, [
      ...inner,
      ...unmatched.map((p) => ({ left: p.left, right: null, distArcsec: null })),
    ]);
  });
});

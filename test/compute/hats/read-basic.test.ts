import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HatsCatalog, HatsCollection, openHats, openObjectCatalog } from '../../../compute/hats';
import { LSDB_DATA } from '../../fixtures';

async function catalogAt(path: string): Promise<HatsCatalog> {
  const opened = await openHats(path);
  expect(opened).toBeInstanceOf(HatsCatalog);
  return opened as HatsCatalog;
}

describe('openHats + readPartition', () => {
  it('reads small_sky: 131 rows in partition (0,11), id 707 at (308.5, -69.5)', async () => {
    const cat = await catalogAt(join(LSDB_DATA, 'small_sky'));
    expect(cat.name).toBe('small_sky');
    expect(cat.partitions).toEqual([{ order: 0, pixel: 11 }]);
    const t = await cat.readPartition({ order: 0, pixel: 11 });
    expect(t.numRows).toBe(131);
    const ids = t.getChild('id')!.toArray() as BigInt64Array;
    const i = ids.indexOf(707n);
    expect(t.getChild('ra')!.get(i)).toBe(308.5);
    expect(t.getChild('dec')!.get(i)).toBe(-69.5);
    // hats-lsdb.md §1.5 test vector.
    expect(t.getChild('_healpix_29')!.get(i)).toBe(3187422220182231470n);
  });

  it('reads small_sky_xmatch partitions (1,44)=41, (1,45)=29, (1,46)=41', async () => {
    const cat = await catalogAt(join(LSDB_DATA, 'small_sky_xmatch'));
    const counts = [];
    for (const p of cat.partitions)
      counts.push([p.order, p.pixel, (await cat.readPartition(p)).numRows]);
    expect(counts).toEqual([
      [1, 44, 41],
      [1, 45, 29],
      [1, 46, 41],
    ]);
  });

  it('reads the xmatch margin: 39 rows in 7 partitions, threshold 8245.167 arcsec', async () => {
    const m = await catalogAt(join(LSDB_DATA, 'small_sky_xmatch_margin'));
    expect(m.properties.catalogType).toBe('margin');
    expect(m.marginThresholdArcsec).toBeCloseTo(8245.167388361773, 9);
    const counts = [];
    for (const p of m.partitions)
      counts.push(`${p.order}/${p.pixel}:${(await m.readPartition(p)).numRows}`);
    // Breadth-first order: (0,7) and (0,8) sort before (1,44..47), the children of (0,11).
    expect(counts).toEqual(['0/4:1', '0/7:3', '0/8:1', '1/44:10', '1/45:8', '1/46:6', '1/47:10']);
  });

  it('opens a collection with its default margin', async () => {
    const { catalog, margin } = await openObjectCatalog(
      join(LSDB_DATA, 'small_sky_order1_collection'),
    );
    expect(catalog.name).toBe('small_sky_order1');
    expect(margin?.name).toBe('small_sky_order1_margin_1deg');
    expect(margin?.marginThresholdArcsec).toBe(3600);
    const coll = await openHats(join(LSDB_DATA, 'small_sky_order1_collection'));
    expect(coll).toBeInstanceOf(HatsCollection);
  });
});

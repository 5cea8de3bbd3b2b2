import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { negativeTree } from '../../../compute/io/hats-margin';
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

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHats } from '../../../compute/hats';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { smallSkyTable, useTempDir } from './helpers';

const tmp = useTempDir();

describe('our HATS reader (compute/hats) opens what writeHatsCatalog writes', () => {
  it('is opened by our HATS reader, partitions and rows intact', async () => {
    const out = join(tmp.dir, 'plain');
    await writeHatsCatalog(out, smallSkyTable(), {
      name: 'plain',
      partitionRows: 50,
      highestOrder: 5,
    });
    const cat = await openHats(out);
    expect(cat.kind).toBe('catalog');
    if (cat.kind !== 'catalog') return;
    expect(cat.name).toBe('plain');
    expect(cat.totalRows).toBe(131);
    let rows = 0;
    for (const p of cat.partitions) rows += (await cat.readPartition(p)).numRows;
    expect(rows).toBe(131);
    const t = await cat.readPartition({ order: 1, pixel: 44 }, { columns: ['id', 'ra'] });
    expect(t.schema.fields.map((f) => f.name)).toContain('ra');
  });

  it('opens a collection with its margin', async () => {
    const out = join(tmp.dir, 'c.hats');
    await writeHatsCatalog(out, smallSkyTable(), {
      name: 'cat',
      partitionRows: 50,
      highestOrder: 5,
      margin: { thresholdArcsec: 3600 },
    });
    const opened = await openHats(out);
    expect(opened.kind).toBe('collection');
    if (opened.kind !== 'collection') return;
    expect(opened.main.partitions.length).toBe(4);
    const margin = await opened.openMargin();
    expect(margin.name).toBe('cat_3600arcs');
    let rows = 0;
    for (const p of margin.partitions) rows += (await margin.readPartition(p)).numRows;
    expect(rows).toBe(23);
  });
});

/**
 * A spec-z file with rows outside every photometric partition, next to partitions of mixed
 * orders: the rows outside used to get an order-0 pixel that contained a deeper partition
 * ("pixel tree has overlapping pixels", a plain Error). Every run must now give the pairs a brute
 * force over all photometric rows gives, for inner and left joins.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs } from '../../../compute/demo/surveys';
import { openHats } from '../../../compute/hats';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { sepArcsec } from '../../helpers/separation';

const dir = mkdtempSync(join(tmpdir(), 'tsm-outside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spec-z rows outside the photometric partitions', () => {
  // 40 positions over the sky; the generated catalogs cover them with partitions of orders 0
  // and 1 (seed 1: 1/1 inside 0/0, no 0/0), and the spec-z rows in 0/0 outside 1/1 are outside
  let s = 11;
  const u = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i < 40; i++) {
    ra.push(360 * u());
    dec.push(-60 + 120 * u());
  }
  const specz = join(dir, 'specz.parquet');
  writeFileSync(
    specz,
    tableToParquetBytes(
      tableFromArrays({
        id: Int32Array.from(ra, (_, i) => i),
        ra: Float64Array.from(ra),
        dec: Float64Array.from(dec),
        z: Float64Array.from(ra, (_, i) => 0.1 + i / 100),
      }),
    ),
  );

  it.each(['inner', 'left'] as const)('%s join equals a brute force', async (join_) => {
    const [, dp1] = await generateSurveyCatalogs(join(dir, `cat-${join_}`), {
      seed: 1,
      rows: 160,
      specz: { raDeg: ra, decDeg: dec },
    });
    expect(dp1.survey).toBe('lsst-dp1');
    const opened = await openHats(dp1.path);
    const catalog = opened.kind === 'collection' ? opened.main : opened;
    // the layout this test is about: a partition at order 1 and none of its order-0 parent
    expect(catalog.partitions.some((p) => p.order === 1)).toBe(true);
    const objects: { ra: number; dec: number }[] = [];
    for (const p of catalog.partitions) {
      const t = await catalog.readPartition(p);
      const r = t.getChild('coord_ra')!.toArray() as Float64Array;
      const d = t.getChild('coord_dec')!.toArray() as Float64Array;
      r.forEach((x, k) => objects.push({ ra: x, dec: d[k] }));
    }
    const matched = ra.filter((_, i) =>
      objects.some((o) => sepArcsec(ra[i], dec[i], o.ra, o.dec) < 1),
    ).length;
    expect(matched).toBeGreaterThan(0);
    expect(matched).toBeLessThan(40);

    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: `outside ${join_}`,
          specz: { path: specz, columns: { id: 'id' } },
          photometry: { location: dp1.path, dereddening: { map: 'none' } },
          crossmatch: { join: join_ },
          output: { folder: join(dir, `out-${join_}`) },
        },
        'test',
      ),
      { workers: 0 },
    );
    expect(result.counts.matchedSpecz).toBe(matched);
    const rows = (await readParquetFile(result.outputPath)).numRows;
    expect(rows).toBe(join_ === 'inner' ? matched : 40);
  });
});

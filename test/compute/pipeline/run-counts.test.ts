/**
 * A run's counts are of spec-z rows, as "rows in" is: a spec-z file that repeats rows and has
 * no id, matched with two neighbours, gave "matched" as distinct positions and "unmatched" as
 * rows in minus that (60,000 rows: 14,576 matched and 45,424 unmatched where 2,114 rows had no
 * match). The oracle is a brute force over every photometric row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs } from '../../../compute/demo/surveys';
import { openHats } from '../../../compute/hats';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { sepArcsec } from '../../helpers/separation';

const dir = mkdtempSync(join(tmpdir(), 'tsm-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run counts with repeated spec-z rows and several neighbours', () => {
  // 30 positions; the first 10 are written three times each (no id column), so 50 rows
  let s = 3;
  const u = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i < 30; i++) {
    ra.push(360 * u());
    dec.push(-60 + 120 * u());
  }
  const rows = [...ra.keys(), ...ra.keys()].filter((i, k) => k < 30 || i < 10);
  rows.push(...rows.filter((i, k) => k >= 30));
  const speczFile = join(dir, 'specz.parquet');
  let photometry = '';
  let objects: { ra: number; dec: number }[] = [];
  const RADIUS = 3;

  beforeAll(async () => {
    writeFileSync(
      speczFile,
      tableToParquetBytes(
        tableFromArrays({
          ra: Float64Array.from(rows, (i) => ra[i]),
          dec: Float64Array.from(rows, (i) => dec[i]),
          z: Float64Array.from(rows, (i) => 0.1 + i / 100),
        }),
      ),
    );
    const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
      seed: 2,
      rows: 160,
      specz: { raDeg: ra, decDeg: dec },
    });
    photometry = cats.find((c) => c.survey === 'lsst-dp1')!.path;
    const opened = await openHats(photometry);
    const catalog = opened.kind === 'collection' ? opened.main : opened;
    objects = [];
    for (const p of catalog.partitions) {
      const t = await catalog.readPartition(p);
      const r = t.getChild('coord_ra')!.toArray() as Float64Array;
      const d = t.getChild('coord_dec')!.toArray() as Float64Array;
      r.forEach((x, k) => objects.push({ ra: x, dec: d[k] }));
    }
  }, 120_000);

  it.each([0, 1])('counts rows, not positions (%i worker threads)', async (workers) => {
    const within = rows.map(
      (i) => objects.filter((o) => sepArcsec(ra[i], dec[i], o.ra, o.dec) < RADIUS).length,
    );
    const matched = within.filter((n) => n > 0).length;
    const pairs = within.reduce((sum, n) => sum + Math.min(2, n), 0);
    // the case this test is about: repeated rows among the matched, some with two neighbours
    expect(rows).toHaveLength(50);
    expect(rows.slice(30).filter((i) => within[i] > 0).length).toBeGreaterThan(0);
    expect(within.some((n) => n >= 2)).toBe(true);
    expect(matched).toBeLessThan(50);

    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: `counts ${workers}`,
          specz: { path: speczFile },
          photometry: { location: photometry, dereddening: { map: 'none' } },
          crossmatch: { radiusArcsec: RADIUS, nNeighbors: 2 },
          output: { folder: join(dir, `out-${workers}`) },
        },
        'test',
      ),
      { workers },
    );
    expect(result.counts).toMatchObject({
      speczIn: 50,
      matchedSpecz: matched,
      unmatchedSpecz: 50 - matched,
      matchedRows: pairs,
      written: pairs,
    });
    expect((await readParquetFile(result.outputPath)).numRows).toBe(pairs);
    // rows 31-50 repeat rows 1-10 twice: said, as register's report says it
    expect(result.warnings).toContain(
      `${speczFile}: 20 rows repeat the ra, dec and z of an earlier row (rows 31, 32, 33, 34, 35, ...); without an id column (--id) they cannot be told apart and each counts as a spec-z`,
    );
  });
});

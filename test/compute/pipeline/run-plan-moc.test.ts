/**
 * planRun plans with MOCs as lsdb does: the photometric catalog's point_map.fits and the order-10
 * cells of a spec-z file's rows. A partition whose spec-z rows all lie far from every photometric
 * object is left out, and no pair is lost (brute-force oracle over every photometric row).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCrossmatch } from '../../../compute/crossmatch/plan';
import { openHats } from '../../../compute/hats/open';
import { ang2pixNestNumber } from '../../../compute/healpix';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject, type Project } from '../../../compute/pipeline/project';
import { autoWorkers, runSize } from '../../../compute/pipeline/auto-workers';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { planRun } from '../../../compute/pipeline/run-plan';
import { LSDB_DATA } from '../../fixtures';

/** 3 order-1 partitions (44-46), point_map.fits at order 4, no margin (border-row mode). */
const PHOTOMETRY = join(LSDB_DATA, 'small_sky_xmatch');

/** Great-circle distance in degrees (haversine). */
function sepDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const d = Math.PI / 180;
  const s =
    Math.sin(((dec2 - dec1) * d) / 2) ** 2 +
    Math.cos(dec1 * d) * Math.cos(dec2 * d) * Math.sin(((ra2 - ra1) * d) / 2) ** 2;
  return (2 * Math.asin(Math.sqrt(s))) / d;
}

describe('planRun with MOCs', () => {
  let dir: string;
  let objects: { ra: number; dec: number; id: number }[];
  const specz = { id: [] as string[], ra: [] as number[], dec: [] as number[] };
  let emptyPixel = -1;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-plan-moc-'));
    const opened = await openHats(PHOTOMETRY);
    if (opened.kind !== 'catalog') throw new Error('expected a catalog');
    objects = [];
    for (const p of opened.partitions) {
      const t = await opened.readPartition(p);
      const ra = t.getChild('ra')!.toArray() as Float64Array;
      const dec = t.getChild('dec')!.toArray() as Float64Array;
      const id = t.getChild('id')!.toArray() as BigInt64Array;
      for (let i = 0; i < t.numRows; i++)
        objects.push({ ra: ra[i], dec: dec[i], id: Number(id[i]) });
    }
    // spec-z on 10 objects of partitions 44-45 (0.1" away) ...
    const byPixel = (o: { ra: number; dec: number }) => ang2pixNestNumber(1, o.ra, o.dec);
    for (const pix of [44, 45]) {
      for (const o of objects.filter((x) => byPixel(x) === pix).slice(0, 5)) {
        specz.id.push(`on${o.id}`);
        specz.ra.push(o.ra);
        specz.dec.push(o.dec + 0.1 / 3600);
      }
    }
    // ... and in partition 46 only where no object is within 10 degrees
    emptyPixel = 46;
    let seed = 5;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    while (specz.id.filter((s) => s.startsWith('far')).length < 5) {
      const ra = 360 * rand();
      const dec = -90 + 180 * rand();
      if (ang2pixNestNumber(1, ra, dec) !== emptyPixel) continue;
      if (objects.some((o) => sepDeg(ra, dec, o.ra, o.dec) < 10)) continue;
      specz.id.push(`far${specz.id.length}`);
      specz.ra.push(ra);
      specz.dec.push(dec);
    }
    await writeFile(
      join(dir, 'specz.parquet'),
      tableToParquetBytes(
        tableFromArrays({
          id: specz.id,
          ra: Float64Array.from(specz.ra),
          dec: Float64Array.from(specz.dec),
          z: Float64Array.from(specz.ra, (_, i) => 0.1 + i / 100),
        }),
      ),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const project = (photometry = PHOTOMETRY, out = 'out'): Project =>
    parseProject(
      {
        version: 1,
        name: 'moc',
        specz: { path: join(dir, 'specz.parquet'), columns: { id: 'id' } },
        photometry: { location: photometry, dereddening: { map: 'none' } },
        split: { seed: 1 },
        output: { folder: join(dir, out) },
      },
      'test',
    );

  it('drops the partition with no object near its spec-z rows, and keeps every pair', async () => {
    const plan = await planRun(project());
    const without = planCrossmatch(plan.specz.catalog, plan.photometry, plan.margin, plan.options);
    const key = (t: { aligned: { order: number; pixel: number } }) =>
      `${t.aligned.order}/${t.aligned.pixel}`;
    expect(without.map(key).sort()).toEqual(['1/44', '1/45', '1/46']);
    expect(plan.tasks.map(key).sort()).toEqual(['1/44', '1/45']);

    const result = await runTrainingSet(project(), { workers: 0 });
    const rows = (await readParquetFile(result.outputPath)).toArray();
    // brute force: spec-z with an object within 1"
    const expected = specz.id.filter((_, i) =>
      objects.some((o) => sepDeg(specz.ra[i], specz.dec[i], o.ra, o.dec) * 3600 < 1),
    );
    expect(expected).toHaveLength(10);
    expect(rows.map((r) => String(r.id_specz ?? r.id)).sort()).toEqual(expected.sort());
    expect(result.pixels).toBe(2);
    expect(result.workers).toBe(0);
  });

  it('sizes the run from the partitions it reads, and records the worker threads it took', async () => {
    const plan = await planRun(project());
    // 2 of the catalog's 3 partitions, which hold `objects` together; 15 spec-z rows, 1 neighbour
    expect(plan.photometry.partitions).toHaveLength(3);
    const size = runSize(plan);
    expect(size.photometricRows).toBeCloseTo((objects.length * 2) / 3, 9);
    expect(size.outputRows).toBe(15);

    const result = await runTrainingSet(project());
    expect(result.workers).toBe(autoWorkers(size));
    const record = JSON.parse(await readFile(result.runJsonPath, 'utf8')) as { workers: number };
    expect(record.workers).toBe(result.workers);
  });

  it('gives a run that reads far more than it writes a worker per core, with the same output', async () => {
    // the same catalog, its properties claiming 3M rows: 2M read for 15 spec-z rows
    const big = join(dir, 'claims-3M-rows');
    await cp(PHOTOMETRY, big, { recursive: true });
    for (const file of ['properties', 'hats.properties']) {
      const text = await readFile(join(big, file), 'utf8');
      await writeFile(join(big, file), text.replace(/^hats_nrows=\d+$/m, 'hats_nrows=3000000'));
    }
    const size = runSize(await planRun(project(big)));
    expect(size).toEqual({ photometricRows: 2_000_000, outputRows: 15 });
    const cores = availableParallelism();
    expect(autoWorkers(size)).toBe(cores);

    const chosen = await runTrainingSet(project(big, 'out-chosen'));
    expect(chosen.workers).toBe(cores);
    const one = await runTrainingSet(project(big, 'out-one'), { workers: 1 });
    const rows = async (path: string) => (await readParquetFile(path)).toArray().map(String);
    expect(await rows(chosen.outputPath)).toEqual(await rows(one.outputPath));
    expect(chosen.counts.matchedRows).toBe(10);
  });
});

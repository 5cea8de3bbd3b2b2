/**
 * Two regressions on a DP1-like generated survey catalog (compute/demo/surveys, ~2% null
 * fluxes): null fluxes stay null in the Parquet and HATS outputs (batches of one output used to
 * disagree on nullability: nulls became 0.0 in Parquet and HATS output threw "Table and inner
 * RecordBatch schemas must be equivalent"), and the generic profile's column choices stored in
 * the project reach the run (magnitudes zp - 2.5 log10(flux) under the chosen flux type id).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs } from '../../../compute/demo/surveys';
import { openHats } from '../../../compute/hats/open';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject, type ProjectInput } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';

type Row = Record<string, unknown>;
const rowsOf = (t: Table): Row[] => t.toArray().map((r) => ({ ...(r.toJSON() as Row) }));

async function hatsRows(path: string): Promise<Row[]> {
  const opened = await openHats(path);
  const catalog = opened.kind === 'collection' ? opened.main : opened;
  const out: Row[] = [];
  for (const p of catalog.partitions) out.push(...rowsOf(await catalog.readPartition(p)));
  return out;
}

describe('runTrainingSet: null fluxes and generic profile choices', () => {
  let dir: string;
  let catalogPath: string;
  let speczFile: string;
  /** objectId -> input row of the photometric catalog. */
  const input = new Map<string, Row>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-nulls-'));
    let seed = 5;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const ra = Array.from({ length: 30 }, () => 150 + 4 * rand());
    const dec = Array.from({ length: 30 }, () => 1 + 4 * rand());
    const catalogs = await generateSurveyCatalogs(join(dir, 'catalogs'), {
      seed: 3,
      specz: { raDeg: ra, decDeg: dec },
      rows: 900,
    });
    catalogPath = catalogs.find((c) => c.survey === 'lsst-dp1')!.path;
    for (const r of await hatsRows(catalogPath)) input.set(String(r.objectId), r);
    // one spec-z on every object (exact positions): every object is matched, nulls included
    const objects = [...input.values()];
    speczFile = join(dir, 'specz.parquet');
    await writeFile(
      speczFile,
      tableToParquetBytes(
        tableFromArrays({
          id: objects.map((_, i) => `s${i}`),
          ra: Float64Array.from(objects, (o) => Number(o.coord_ra)),
          dec: Float64Array.from(objects, (o) => Number(o.coord_dec)),
          z: Float64Array.from(objects, (_, i) => (i % 100) / 100),
        }),
      ),
    );
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const project = (folder: string, photometry: Partial<ProjectInput['photometry']> = {}) =>
    parseProject(
      {
        version: 1,
        name: folder,
        specz: { path: speczFile, columns: { id: 'id' } },
        photometry: { location: catalogPath, dereddening: { map: 'none' }, ...photometry },
        crossmatch: { radiusArcsec: 0.01 },
        split: { seed: 1 },
        output: { folder: join(dir, folder) },
      },
      'test',
    );

  for (const format of ['parquet', 'hats'] as const) {
    it(`${format}: a null input flux is null in the output, other fluxes unchanged`, async () => {
      const p = project(`nulls-${format}`);
      const result = await runTrainingSet(
        { ...p, output: { ...p.output, format } },
        { workers: 0 },
      );
      const rows =
        format === 'parquet'
          ? rowsOf(await readParquetFile(result.outputPath))
          : await hatsRows(result.outputPath);
      expect(rows.length).toBe(input.size);
      let nulls = 0;
      for (const r of rows) {
        const src = input.get(String(r.objectId))!;
        for (const b of ['u', 'g', 'r', 'i', 'z', 'y']) {
          const c = `${b}_cModelFlux`;
          if (src[c] === null) {
            nulls++;
            expect(r[c], `${r.objectId} ${c}`).toBeNull();
          } else if (Number.isNaN(src[c])) {
            expect(r[c]).toBeNaN();
          } else {
            expect(r[c]).toBe(src[c]);
          }
        }
      }
      // ~2% of 6 x 900 fluxes are null in the input
      expect(nulls).toBeGreaterThan(20);
    }, 120_000);
  }

  it('generic profile: the stored column choices give mag_custom_<band> = zp - 2.5 log10(flux)', async () => {
    const zp = 31.4;
    const result = await runTrainingSet(
      project('generic', {
        profile: 'generic',
        generic: {
          bands: [
            { band: 'g', flux: 'g_cModelFlux', fluxErr: 'g_cModelFluxErr' },
            { band: 'r', flux: 'r_cModelFlux' },
          ],
          zeroPointMag: zp,
        },
      }),
      { workers: 0 },
    );
    const rows = rowsOf(await readParquetFile(result.outputPath));
    expect(rows.length).toBe(input.size);
    let checked = 0;
    for (const r of rows) {
      for (const b of ['g', 'r']) {
        const f = Number(input.get(String(r.objectId))![`${b}_cModelFlux`]);
        if (!(f > 0)) continue;
        expect(Number(r[`mag_custom_${b}`])).toBeCloseTo(zp - 2.5 * Math.log10(f), 9);
        checked++;
      }
      const f = Number(r.g_cModelFlux);
      const err = Number(r.g_cModelFluxErr);
      if (f > 0) expect(Number(r.magerr_custom_g)).toBeCloseTo(((2.5 / Math.LN10) * err) / f, 9);
    }
    expect(checked).toBeGreaterThan(1500);
    expect(Object.keys(rows[0])).not.toContain('mag_custom_u');
  }, 120_000);
});

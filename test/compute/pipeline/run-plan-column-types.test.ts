/**
 * A survey catalog whose flux column holds text (a hand-made or damaged catalog): the run is
 * refused before any work, naming the catalog and the column; before, the photometry step
 * refused it mid-run as "LSST DP1: column 'g_cModelFlux' is Utf8, not a number column."
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { readSpeczPositions } from '../../../compute/demo/surveys';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';

let dir: string;
let photometry: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-column-types-'));
  const { raDeg, decDeg } = await readSpeczPositions(demoSpeczPath());
  const flux = Float64Array.from(raDeg, (_, i) => 1000 * (i + 1));
  photometry = (
    await writeHatsCatalog(
      join(dir, 'dp1_object'),
      new Table({
        objectId: makeVector(Int32Array.from(raDeg, (_, i) => i)),
        coord_ra: makeVector(Float64Array.from(raDeg)),
        coord_dec: makeVector(Float64Array.from(decDeg)),
        // cModel fluxes: g as text, r as numbers; PSF fluxes as numbers
        g_cModelFlux: vectorFromArray(Array.from(flux, String), new Utf8()),
        r_cModelFlux: makeVector(flux.slice()),
        g_psfFlux: makeVector(flux.slice()),
        r_psfFlux: makeVector(flux.slice()),
      }),
      { name: 'dp1_object', raColumn: 'coord_ra', decColumn: 'coord_dec' },
    )
  ).path;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const project = (out: string, fluxType: string) =>
  parseProject(
    {
      version: 1,
      name: 'text flux',
      specz: { path: demoSpeczPath(), columns: { id: 'id' } },
      photometry: { location: photometry, fluxType, dereddening: { map: 'sfd-lowres' } },
      split: { seed: 1 },
      output: { folder: out },
    },
    'test',
  );

describe('flux columns that hold text', () => {
  it('are refused before the run, naming the catalog and the column; nothing is written', async () => {
    const out = join(dir, 'out-cmodel');
    const err = await runTrainingSet(project(out, 'cmodel'), { workers: 0 }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('UserError');
    expect((err as Error).message).toBe(
      `${photometry}: column 'g_cModelFlux' (cModel flux of band g) holds Utf8 values, not numbers. Choose another flux type (photometry.fluxType), or fix the catalog.`,
    );
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('of another flux type do not stop a run: PSF magnitudes from the numeric columns', async () => {
    const result = await runTrainingSet(project(join(dir, 'out-psf'), 'psf'), { workers: 0 });
    const t = await readParquetFile(result.outputPath);
    const id = t.getChild('objectId')!.toArray() as Int32Array;
    const mag = t.getChild('mag_psf_g')!.toArray() as Float64Array;
    expect(t.numRows).toBeGreaterThan(0);
    // nJy: m = 31.4 - 2.5 log10(1000 (id + 1))
    for (let i = 0; i < t.numRows; i++) {
      expect(mag[i]).toBeCloseTo(31.4 - 2.5 * Math.log10(1000 * (id[i] + 1)), 10);
    }
  });
});

describe('photometry.columns without the catalog position columns', () => {
  it('still reads hats_col_ra/dec where the profile positions differ (the decision pass said "column \'ra\' is missing from the crossmatch output")', async () => {
    const { raDeg, decDeg } = await readSpeczPositions(demoSpeczPath());
    // a DP1 catalog (coord_ra/coord_dec) positioned by other columns, ra/dec, in its properties
    const location = (
      await writeHatsCatalog(
        join(dir, 'dp1_object_radec'),
        new Table({
          objectId: makeVector(Int32Array.from(raDeg, (_, i) => i)),
          ra: makeVector(Float64Array.from(raDeg)),
          dec: makeVector(Float64Array.from(decDeg)),
          coord_ra: makeVector(Float64Array.from(raDeg)),
          coord_dec: makeVector(Float64Array.from(decDeg)),
          g_cModelFlux: makeVector(Float64Array.from(raDeg, () => 1000)),
        }),
        { name: 'dp1_object' },
      )
    ).path;
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'few columns',
          specz: { path: demoSpeczPath(), columns: { id: 'id' } },
          photometry: { location, columns: ['objectId'], dereddening: { map: 'none' } },
          split: { seed: 1 },
          output: { folder: join(dir, 'out-few') },
        },
        'test',
      ),
      { workers: 0 },
    );
    const t = await readParquetFile(result.outputPath);
    expect(t.numRows).toBe(raDeg.length);
    const dist = t.getChild('_dist_arcsec')!.toArray() as Float64Array;
    expect(Math.max(...dist)).toBeLessThan(1e-6);
  });
});

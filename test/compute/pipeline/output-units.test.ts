/**
 * A run's FITS and HDF5 training sets carry column units (README: TUNIT; units in
 * data.__table_column_meta__): degrees for positions, arcsec for the separation, mag for
 * magnitudes and E(B-V), the profile's unit (nJy for LSST) for fluxes.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { readFitsHdus } from '../../../compute/io/fits-reader';
import { parseProject } from '../../../compute/pipeline/project';
import type { OutputFormat } from '../../../compute/pipeline/project-schema';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { demoDp1Catalog } from '../../helpers/sky-catalogs';

let dir: string;
let photometry: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, photometry, cleanup } = await demoDp1Catalog('tsm-units-'));
}, 60_000);
afterAll(() => cleanup());

const run = (format: OutputFormat) =>
  runTrainingSet(
    parseProject(
      {
        version: 1,
        name: 'units',
        specz: { path: demoSpeczPath(), columns: { id: 'id' } },
        photometry: { location: photometry, dereddening: { map: 'sfd-lowres' } },
        split: { seed: 1 },
        output: { folder: join(dir, format), format },
      },
      'test',
    ),
    { workers: 0 },
  );

/** What the units of a DP1 training set must be (columns of the run, by role). */
const EXPECTED: Record<string, string> = {
  ra: 'deg',
  dec: 'deg',
  coord_ra: 'deg',
  coord_dec: 'deg',
  _dist_arcsec: 'arcsec',
  g_cModelFlux: 'nJy',
  g_cModelFluxErr: 'nJy',
  mag_cmodel_g: 'mag',
  magerr_cmodel_g: 'mag',
  mag_dered_cmodel_g: 'mag',
  ebv: 'mag',
};

describe('units of the FITS and HDF5 outputs', () => {
  it('FITS: TUNIT of every column with a unit, none for the rest', async () => {
    const result = await run('fits');
    const handle = await open(result.outputPath, 'r');
    const hdus = await readFitsHdus(handle, (await stat(result.outputPath)).size, 'ts.fits');
    await handle.close();
    const cards = hdus[1].cards;
    const units = new Map<string, string | undefined>();
    for (let k = 1; cards.has(`TTYPE${k}`); k++)
      units.set(cards.get(`TTYPE${k}`)!, cards.get(`TUNIT${k}`));
    for (const [name, unit] of Object.entries(EXPECTED)) expect(units.get(name), name).toBe(unit);
    for (const name of ['z', 'id', 'is_training_set', '_healpix_29'])
      expect(units.get(name), name).toBeUndefined();
  }, 60_000);

  it("HDF5: astropy's column meta names the same units", async () => {
    const result = await run('hdf5');
    await h5wasm.ready;
    const f = new h5wasm.File(result.outputPath, 'r');
    try {
      const meta = (f.get('data.__table_column_meta__') as InstanceType<typeof h5wasm.Dataset>)
        .value as string[];
      for (const [name, unit] of Object.entries(EXPECTED))
        expect(
          meta.some((l) => l.startsWith(`- {name: "${name}", unit: "${unit}"`)),
          name,
        ).toBe(true);
      expect(meta.find((l) => l.startsWith('- {name: "z"'))).not.toContain('unit');
    } finally {
      f.close();
    }
  }, 60_000);
});

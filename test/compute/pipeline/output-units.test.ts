/**
 * A run's FITS, HDF5, Parquet and HATS training sets carry column units (README: TUNIT; units in
 * data.__table_column_meta__; the `unit` metadata of the Arrow fields in the footer of the
 * Parquet file and of every Parquet file of the HATS catalog and margin): degrees for positions,
 * arcsec for the separation, mag for magnitudes and E(B-V), the profile's unit (nJy for LSST) for
 * fluxes.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Field, Float64, List, Table, vectorFromArray } from 'apache-arrow';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { readFitsHdus } from '../../../compute/io/fits-reader';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { outputUnits } from '../../../compute/pipeline/output-units';
import { parseProject } from '../../../compute/pipeline/project';
import type { OutputFormat } from '../../../compute/pipeline/project-schema';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { ColumnIndex, desDr2Profile } from '../../../compute/photometry/profiles';
import { demoDp1Catalog } from '../../helpers/sky-catalogs';
import { parquetUnits } from '../../helpers/parquet-units';

let dir: string;
let photometry: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, photometry, cleanup } = await demoDp1Catalog('tsm-units-'));
}, 60_000);
afterAll(() => cleanup());

const run = (format: OutputFormat, unique = false, specz = demoSpeczPath(), tag = '') =>
  runTrainingSet(
    parseProject(
      {
        version: 1,
        name: 'units',
        specz: { path: specz, columns: { id: 'id' } },
        photometry: { location: photometry, dereddening: { map: 'sfd-lowres' } },
        split: { seed: 1 },
        uniqueGalaxies: { enabled: unique },
        output: { folder: join(dir, `${format}${unique ? '-unique' : ''}${tag}`), format },
      },
      'test',
    ),
    { workers: 0 },
  );

/**
 * The demo spec-z file with a list column (two numbers a row): a training set of it has a column
 * the Parquet encoder does not map, so its Parquet files are written by parquet-wasm.
 */
async function speczWithList(): Promise<string> {
  const table = await readParquetFile(demoSpeczPath());
  const n = table.numRows;
  const withList = new Table({
    ...Object.fromEntries(table.schema.fields.map((f) => [f.name, table.getChild(f.name)!])),
    mags: vectorFromArray(
      Array.from({ length: n }, (_, i) => [i, i + 0.5]),
      new List(new Field('item', new Float64(), true)),
    ),
  });
  const path = join(dir, 'specz-with-list.parquet');
  const writer = createTableWriter('parquet', path);
  await writer.write(withList);
  await writer.close();
  return path;
}

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

/** Every Parquet file of a HATS output: leaves and `_common_metadata`, catalog and margin. */
async function hatsParquetFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && (e.name.endsWith('.parquet') || e.name === '_common_metadata'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Asserts the units of EXPECTED in a Parquet file's footer, and none for the other columns. */
async function expectUnits(path: string): Promise<void> {
  const units = await parquetUnits(path);
  for (const [name, unit] of Object.entries(EXPECTED)) expect(units.get(name), name).toBe(unit);
  for (const name of ['z', 'id', 'is_training_set', '_healpix_29', 'mags'])
    expect(units.get(name), name).toBeUndefined();
}

describe('units of the Parquet output', () => {
  // written early (encoded as the pixels arrive) or after the decisions (unique galaxies)
  for (const unique of [false, true]) {
    it(`the footer's Arrow fields name them (${unique ? 'unique galaxies' : 'written early'}), as pyarrow reads them`, async () => {
      const result = await run('parquet', unique);
      await expectUnits(result.outputPath);
    }, 60_000);
  }

  it('names them too where parquet-wasm writes the file (a list column)', async () => {
    const result = await run('parquet', false, await speczWithList(), '-list');
    expect((await readParquetFile(result.outputPath)).getChild('mags')).not.toBeNull();
    await expectUnits(result.outputPath);
  }, 60_000);
});

describe('units of the HATS output', () => {
  // flat columns (parquet-encode.ts) and a list column (parquet-wasm)
  for (const list of [false, true]) {
    it(`every Parquet file of the catalog and its margin names them${list ? ' (a list column)' : ''}`, async () => {
      const specz = list ? await speczWithList() : demoSpeczPath();
      const result = await run('hats', false, specz, list ? '-list' : '');
      const files = await hatsParquetFiles(result.outputPath);
      const names = files.map((f) => relative(result.outputPath, f));
      expect(names).toContain('catalog/dataset/_common_metadata');
      expect(names).toContain('margin_5arcs/dataset/_common_metadata');
      expect(names.filter((f) => f.startsWith('catalog/dataset/Norder=')).length).toBeGreaterThan(
        0,
      );
      for (const file of files) await expectUnits(file);
    }, 60_000);
  }

  it("an empty training set's _common_metadata names them too (no partition, written by parquet-wasm)", async () => {
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'units',
          specz: { path: demoSpeczPath(), columns: { id: 'id' } },
          photometry: { location: photometry, dereddening: { map: 'sfd-lowres' } },
          crossmatch: { radiusArcsec: 1e-7 },
          split: { seed: 1 },
          output: { folder: join(dir, 'hats-empty'), format: 'hats' },
        },
        'test',
      ),
      { workers: 0 },
    );
    expect(result.counts.written).toBe(0);
    const files = await hatsParquetFiles(result.outputPath);
    expect(files.map((f) => relative(result.outputPath, f))).toEqual([
      'catalog/dataset/_common_metadata',
      'margin_5arcs/dataset/_common_metadata',
    ]);
    for (const file of files) await expectUnits(file);
  }, 60_000);
});

describe('units the readers parse', () => {
  it("DES fluxes are in 'count', the FITS standard's spelling ('counts' made astropy warn and give an UnrecognizedUnit)", () => {
    const columns = ['COADD_OBJECT_ID', 'RA', 'DEC', 'FLUX_AUTO_G', 'FLUXERR_AUTO_G', 'MAG_AUTO_G'];
    const units = outputUnits({
      profile: desDr2Profile(new ColumnIndex(columns), 'test'),
      degrees: ['RA', 'DEC'],
      columns,
    });
    expect(units).toEqual({
      RA: 'deg',
      DEC: 'deg',
      FLUX_AUTO_G: 'count',
      FLUXERR_AUTO_G: 'count',
      MAG_AUTO_G: 'mag',
    });
  });
});

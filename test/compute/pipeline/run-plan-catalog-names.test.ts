/**
 * A photometric catalog whose position columns are named like a spec-z column's `<name>_specz`
 * (an earlier training set written as HATS: its RA is the spec-z's ra_specz) has them kept as
 * ra_specz_catalog / dec_specz_catalog. The run looked E(B-V) up at ra_specz / dec_specz of the
 * output, the spec-z position, and gave the unit deg to ra_specz (the spec-z RA, deg anyway)
 * instead of ra_specz_catalog, which had none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { openDustMap } from '../../../compute/photometry/dust-maps';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { parquetUnits } from '../../helpers/parquet-units';

let dir: string;
let photometry: string;
let speczFile: string;
const N = 60;
/** Each spec-z row sits 50 arcsec north of its object: a bilinear map differs between them. */
const OFFSET_DEG = 50 / 3600;
const objRa = Float64Array.from({ length: N }, (_, i) => 30 + 0.37 * i);
const objDec = Float64Array.from({ length: N }, (_, i) => -20 + 0.11 * i);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-catalog-names-'));
  photometry = (
    await writeHatsCatalog(
      join(dir, 'phot'),
      tableFromArrays({
        oid: Int32Array.from({ length: N }, (_, i) => i),
        // as in a training set made from a catalog with its own ra, dec: the spec-z ones are
        // ra_specz, dec_specz (and the HATS catalog's positions)
        ra: objRa,
        dec: objDec,
        ra_specz: objRa,
        dec_specz: objDec,
        flux_g: Float64Array.from({ length: N }, () => 1000),
      }),
      { name: 'earlier_training_set', raColumn: 'ra_specz', decColumn: 'dec_specz' },
    )
  ).path;
  speczFile = join(dir, 'specz.parquet');
  await writeFile(
    speczFile,
    tableToParquetBytes(
      tableFromArrays({
        id: Int32Array.from({ length: N }, (_, i) => 100 + i),
        ra: objRa,
        dec: Float64Array.from(objDec, (d) => d + OFFSET_DEG),
        z: Float64Array.from({ length: N }, (_, i) => 0.01 * (i + 1)),
      }),
    ),
  );
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a photometric catalog's RA/Dec named like spec-z columns (ra_specz)", () => {
  it('looks E(B-V) up at the photometric position (ra_specz_catalog) and gives it the unit deg', async () => {
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'names',
          specz: { path: speczFile, columns: { id: 'id' } },
          photometry: {
            location: photometry,
            profile: 'generic',
            generic: {
              idColumn: 'oid',
              raColumn: 'ra_specz',
              decColumn: 'dec_specz',
              bands: [{ band: 'g', flux: 'flux_g' }],
              extinction: { g: 3.2 },
            },
            dereddening: { map: 'sfd-lowres' },
          },
          crossmatch: { radiusArcsec: 60 },
          split: { seed: 1 },
          output: { folder: join(dir, 'out') },
        },
        'test',
      ),
      { workers: 0 },
    );
    const table = await readParquetFile(result.outputPath);
    const names = table.schema.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['ra_specz', 'ra_specz_catalog', 'ebv']));
    expect(table.numRows).toBe(N);
    const oid = table.getChild('oid')!.toArray() as Int32Array;
    const ebv = table.getChild('ebv')!.toArray() as Float64Array;
    const phRa = table.getChild('ra_specz_catalog')!.toArray() as Float64Array;
    const phDec = table.getChild('dec_specz_catalog')!.toArray() as Float64Array;
    const szDec = table.getChild('dec_specz')!.toArray() as Float64Array;
    oid.forEach((o, i) => {
      expect(phDec[i]).toBe(objDec[o]);
      expect(szDec[i]).toBeCloseTo(objDec[o] + OFFSET_DEG, 12);
    });
    // the oracle: the same map at the objects' positions, not at the spec-z rows'
    const map = await openDustMap('sfd-lowres');
    const atObjects = await map.ebv(Array.from(phRa), Array.from(phDec));
    const atSpecz = await map.ebv(Array.from(phRa), Array.from(szDec));
    await map.close?.();
    ebv.forEach((v, i) => expect(v).toBeCloseTo(atObjects[i], 12));
    // the test tells the two apart: the positions give other E(B-V) values
    expect(atObjects.some((v, i) => Math.abs(v - atSpecz[i]) > 1e-6)).toBe(true);
    const units = await parquetUnits(result.outputPath);
    for (const name of ['ra_specz', 'dec_specz', 'ra_specz_catalog', 'dec_specz_catalog'])
      expect(units.get(name), name).toBe('deg');
  }, 60_000);
});

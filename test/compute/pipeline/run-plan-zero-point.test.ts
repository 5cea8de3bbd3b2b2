/**
 * A generic catalog's fluxes in uJy: without a zero point the run takes the unit's AB zero point
 * (23.9; it took 31.4, nJy's, and wrote magnitudes 7.5 mag too faint), and a zero point that is
 * not the unit's is written as given, with a warning in run.json.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { readSpeczPositions } from '../../../compute/demo/surveys';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';

let dir: string;
let photometry: string;
/** Flux in uJy per object id: 1, 10, 100 or 1000. */
const fluxOf = (id: number) => 10 ** (id % 4);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-zero-point-'));
  const { raDeg, decDeg } = await readSpeczPositions(demoSpeczPath());
  const oid = Int32Array.from(raDeg, (_, i) => i);
  photometry = (
    await writeHatsCatalog(
      join(dir, 'phot'),
      tableFromArrays({
        oid,
        ra: Float64Array.from(raDeg),
        dec: Float64Array.from(decDeg),
        flux_g: Float64Array.from(oid, fluxOf),
      }),
      { name: 'phot' },
    )
  ).path;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = async (name: string, zeroPointMag?: number) => {
  const result = await runTrainingSet(
    parseProject(
      {
        version: 1,
        name,
        specz: { path: demoSpeczPath(), columns: { id: 'id' } },
        photometry: {
          location: photometry,
          profile: 'generic',
          generic: {
            idColumn: 'oid',
            raColumn: 'ra',
            decColumn: 'dec',
            fluxUnit: 'uJy',
            ...(zeroPointMag === undefined ? {} : { zeroPointMag }),
            bands: [{ band: 'g', flux: 'flux_g' }],
          },
          dereddening: { map: 'none' },
        },
        split: { seed: 1 },
        output: { folder: join(dir, name) },
      },
      'test',
    ),
    { workers: 0 },
  );
  const table = await readParquetFile(result.outputPath);
  const ids = table.getChild('oid')!.toArray() as Int32Array;
  const mags = table.getChild('mag_custom_g')!.toArray() as Float64Array;
  const record = JSON.parse(await readFile(result.runJsonPath, 'utf8')) as {
    warnings: string[];
    photometry: { zeroPointMag: number };
  };
  return { ids, mags, record };
};

describe('the zero point of a generic catalog in uJy', () => {
  it('is 23.9 (AB) when the project gives none', async () => {
    const { ids, mags, record } = await run('no-zp');
    expect(ids.length).toBe(80);
    // 1 uJy = 23.9, 10 uJy = 21.4, 100 uJy = 18.9, 1000 uJy = 16.4 (AB)
    const ab: Record<number, number> = { 1: 23.9, 10: 21.4, 100: 18.9, 1000: 16.4 };
    ids.forEach((id, i) => expect(mags[i]).toBeCloseTo(ab[fluxOf(id)], 12));
    expect(record.photometry.zeroPointMag).toBe(23.9);
    expect(record.warnings).toEqual([]);
  }, 60_000);

  it("is the project's when given, with a warning when it is not the unit's", async () => {
    const { ids, mags, record } = await run('zp-31.4', 31.4);
    ids.forEach((id, i) => expect(mags[i]).toBeCloseTo(31.4 - 2.5 * Math.log10(fluxOf(id)), 12));
    expect(record.warnings).toEqual([
      "photometry.generic.zeroPointMag: 31.4 is not the AB zero point of the flux unit uJy (23.9): the magnitudes are 31.4 - 2.5 log10(f). For AB magnitudes set it to 23.9, or leave it out to take the unit's.",
    ]);
  }, 60_000);
});

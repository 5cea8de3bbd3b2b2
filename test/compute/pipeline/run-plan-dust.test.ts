/**
 * A DES DR2 catalog that carries only the survey's dereddened magnitudes (`MAG_AUTO_*_DERED`
 * with `MAGERR_AUTO_*`, as LIneA's DES DR2 HATS copy does; tsm-domain.md §2.3) needs no dust
 * map: the chosen map (the default sfd included) is neither opened nor recorded as applied, and
 * the run says so in its warnings.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
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
/** A dust-map folder without any map file. */
let emptyDustDir: string;
/** The catalog's dereddened g magnitude per object id (99 = the survey's non-detection). */
const gDered = new Map<number, number>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-survey-dered-'));
  emptyDustDir = join(dir, 'dustmaps');
  await mkdir(emptyDustDir);
  const { raDeg, decDeg } = await readSpeczPositions(demoSpeczPath());
  const n = raDeg.length;
  // one object 0.1 arcsec north of each spec-z position
  const id = Int32Array.from({ length: n }, (_, i) => 1000 + i);
  const g = Float32Array.from({ length: n }, (_, i) => (i % 10 === 3 ? 99 : 19 + (i % 7) * 0.5));
  id.forEach((v, i) => gDered.set(v, g[i]));
  const table = tableFromArrays({
    COADD_OBJECT_ID: id,
    RA: Float64Array.from(raDeg),
    DEC: Float64Array.from(decDeg, (d) => d + 0.1 / 3600),
    MAG_AUTO_G_DERED: g,
    MAGERR_AUTO_G: Float32Array.from({ length: n }, (_, i) => (g[i] === 99 ? 99 : 0.05)),
    MAG_AUTO_R_DERED: Float32Array.from({ length: n }, (_, i) => 18.5 + (i % 5) * 0.25),
    MAGERR_AUTO_R: Float32Array.from({ length: n }, () => 0.04),
  });
  photometry = (
    await writeHatsCatalog(join(dir, 'des_dr2'), table, {
      name: 'des_dr2',
      raColumn: 'RA',
      decColumn: 'DEC',
      margin: { thresholdArcsec: 5 },
    })
  ).path;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

interface RunJson {
  warnings: string[];
  photometry: {
    profile: string;
    dustMap: unknown;
    extinction: unknown;
    ebvScale: unknown;
  } | null;
}

const runJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as RunJson;

const run = (name: string, map?: string) =>
  runTrainingSet(
    parseProject(
      {
        version: 1,
        name,
        specz: { path: demoSpeczPath(), columns: { id: 'id' } },
        photometry: { location: photometry, ...(map ? { dereddening: { map } } : {}) },
        split: { seed: 3 },
        output: { folder: join(dir, name) },
      },
      'test',
    ),
    { workers: 0, dustMapFolder: emptyDustDir },
  );

describe('a catalog of survey-dereddened magnitudes and a dust map', () => {
  it('runs with the default sfd without its files and keeps the survey values', async () => {
    const result = await run('default-map');
    const record = await runJson(result.runJsonPath);
    expect(record.photometry?.profile).toBe('des-dr2');
    expect(record.photometry?.dustMap).toBeNull();
    // nor the coefficients and scale that would have gone with it
    expect(record.photometry?.extinction).toBeNull();
    expect(record.photometry?.ebvScale).toBeNull();
    expect(record.warnings).toContainEqual(
      expect.stringContaining(
        "photometry.dereddening: the dust map 'sfd' was not applied: the AUTO magnitudes of",
      ),
    );
    expect(record.warnings.join('\n')).toContain('(MAG_AUTO_G_DERED, MAG_AUTO_R_DERED)');
    expect(record.warnings.join('\n')).toContain(
      'to deredden with the map, convert fluxes to magnitudes with a flux type that has flux columns.',
    );
    const table = await readParquetFile(result.outputPath);
    expect(table.schema.fields.map((f) => f.name)).not.toContain('ebv');
    const ids = table.getChild('COADD_OBJECT_ID')!.toArray() as Int32Array;
    const mag = table.getChild('mag_dered_auto_g')!.toArray() as Float64Array;
    expect(table.numRows).toBe(80);
    for (let i = 0; i < table.numRows; i++) {
      const want = gDered.get(ids[i])!;
      if (want === 99) expect(mag[i]).toBeNaN();
      else expect(mag[i]).toBe(want);
    }
  }, 60_000);

  it('does not record the embedded map as applied when it was not', async () => {
    const record = await runJson((await run('lowres-map', 'sfd-lowres')).runJsonPath);
    expect(record.photometry?.dustMap).toBeNull();
    expect(record.photometry?.extinction).toBeNull();
    expect(record.warnings.join('\n')).toContain("the dust map 'sfd-lowres' was not applied");
  }, 60_000);
});

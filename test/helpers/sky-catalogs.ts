import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { demoSpeczPath } from '../../compute/demo/demo';
import {
  generateSurveyCatalogs,
  readSpeczPositions,
  type GeneratedCatalog,
} from '../../compute/demo/surveys';
import { tableToParquetBytes } from '../../compute/io/parquet-file';

/**
 * 50 spec-z positions spread over the sky (seeded) written as `<dir>/specz.parquet` (id, ra, dec,
 * z), and the generated survey catalogs around them under `<dir>/catalogs`: several partitions,
 * so a run has several tasks.
 */
export async function skySpeczAndCatalogs(
  dir: string,
): Promise<{ speczFile: string; catalogs: GeneratedCatalog[] }> {
  let seed = 77;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const ra = Array.from({ length: 50 }, () => 360 * rand());
  const dec = Array.from({ length: 50 }, () => -60 + 120 * rand());
  const speczFile = join(dir, 'specz.parquet');
  await writeFile(
    speczFile,
    tableToParquetBytes(
      tableFromArrays({
        id: ra.map((_, i) => `s${i}`),
        ra: Float64Array.from(ra),
        dec: Float64Array.from(dec),
        z: Float64Array.from(ra, (_, i) => 0.1 + i / 100),
      }),
    ),
  );
  const catalogs = await generateSurveyCatalogs(join(dir, 'catalogs'), {
    seed: 5,
    specz: { raDeg: ra, decDeg: dec },
    rows: 200,
  });
  return { speczFile, catalogs };
}

/**
 * The demo spec-z file and the generated LSST DP1 catalog around its positions (seed 5) in a new
 * temporary folder: what a test of a whole run needs. `cleanup` removes the folder.
 */
export async function demoDp1Catalog(
  prefix: string,
): Promise<{ dir: string; specz: string; photometry: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const specz = demoSpeczPath();
  const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed: 5,
    specz: await readSpeczPositions(specz),
  });
  const photometry = cats.find((c) => c.survey === 'lsst-dp1')!.path;
  return { dir, specz, photometry, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

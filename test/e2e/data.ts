import { tableFromArrays } from 'apache-arrow';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSurveyCatalogs, readSpeczPositions } from '../../compute/demo/surveys';
import { tableToParquetBytes } from '../../compute/io/parquet-file';
import { TSM_EXAMPLE } from '../fixtures';

/** The original TSM example spec-z file (40 rows), read from the shared fixtures. */
export const EXAMPLE_SPECZ = join(TSM_EXAMPLE, 'specz.parquet');

export interface E2eData {
  /** DP1-like HATS collection with counterparts of the example spec-z rows. */
  dp1Example: string;
  /** A spec-z Parquet file of `wideRows` positions over the whole sky (a run with many pixels). */
  wideSpecz: string;
  /** DP1-like collection with counterparts of the wide spec-z rows. */
  dp1Wide: string;
  /** A CSV whose rows break the spec-z rules (Dec beyond 90, z not a number). */
  badCsv: string;
}

/**
 * Test catalogs for the browser tests, generated with the engine's survey generator
 * (compute/demo/surveys, seeded) into `dir`.
 */
export async function makeE2eData(dir: string, wideRows = 8000): Promise<E2eData> {
  mkdirSync(dir, { recursive: true });
  const example = await generateSurveyCatalogs(join(dir, 'example'), {
    seed: 7,
    specz: await readSpeczPositions(EXAMPLE_SPECZ),
  });
  // A seeded LCG spreads the wide spec-z rows uniformly on the sphere.
  let state = 12345;
  const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ra = Float64Array.from({ length: wideRows }, () => rnd() * 360);
  const dec = Float64Array.from(
    { length: wideRows },
    () => (Math.asin(2 * rnd() - 1) * 180) / Math.PI,
  );
  const z = Float64Array.from({ length: wideRows }, () => rnd() * 2);
  const wideSpecz = join(dir, 'wide_specz.parquet');
  writeFileSync(wideSpecz, tableToParquetBytes(tableFromArrays({ ra, dec, z })));
  const wide = await generateSurveyCatalogs(join(dir, 'wide'), {
    seed: 8,
    specz: { raDeg: ra, decDeg: dec },
    rows: wideRows,
  });
  const badCsv = join(dir, 'bad_specz.csv');
  writeFileSync(badCsv, 'ra,dec,z\n10.0,-5.0,0.5\n11.0,120.0,0.7\n12.0,-6.0,abc\n');
  const dp1 = (list: typeof example) => list.find((c) => c.survey === 'lsst-dp1')!.path;
  return { dp1Example: dp1(example), wideSpecz, dp1Wide: dp1(wide), badCsv };
}

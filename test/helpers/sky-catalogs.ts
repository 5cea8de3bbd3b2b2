import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { generateSurveyCatalogs, type GeneratedCatalog } from '../../compute/demo/surveys';
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

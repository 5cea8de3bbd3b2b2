import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll } from 'vitest';
import { generateSurveyCatalogs, readSpeczPositions } from '../../compute/demo/surveys';
import { readParquetFile, tableToParquetBytes } from '../../compute/io/parquet-file';
import { TSM_EXAMPLE } from '../fixtures';

/**
 * Writes a copy of the Parquet spec-z file `source` with every Dec moved `shiftArcsec` north
 * (other columns as they are): catalogs generated at the original positions then match nothing
 * within a smaller radius, for the "no cross match" tests.
 */
export async function writeShiftedSpecz(
  source: string,
  dest: string,
  shiftArcsec: number,
): Promise<void> {
  const t = await readParquetFile(source);
  const dec = Float64Array.from(
    t.getChild('dec')!.toArray() as Float64Array,
    (d) => d + shiftArcsec / 3600,
  );
  const columns = Object.fromEntries(t.schema.fields.map((f) => [f.name, t.getChild(f.name)!]));
  await writeFile(dest, tableToParquetBytes(new Table({ ...columns, dec: vectorFromArray(dec) })));
}

/**
 * The inputs of a run that matches nothing: a DP1 catalog generated (with `seed`) at the spec-z
 * positions of `specz`, and `specz` moved `shiftArcsec` north, written into `dir`.
 */
export async function noMatchInputs(
  dir: string,
  specz: string,
  seed: number,
  shiftArcsec: number,
): Promise<{ photometry: string; shifted: string }> {
  const catalogs = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed,
    specz: await readSpeczPositions(specz),
  });
  const shifted = join(dir, 'shifted_specz.parquet');
  await writeShiftedSpecz(specz, shifted, shiftArcsec);
  return { photometry: catalogs.find((c) => c.survey === 'lsst-dp1')!.path, shifted };
}

/**
 * noMatchInputs of the example's spec-z (moved 5 arcsec north: inside the catalog's partitions,
 * beyond 1 arcsec; DP1 seed 5) for the tests of the file that calls it (at its top level), in a
 * temp folder of their own, made before them and removed after them.
 */
export function useNoMatchInputs(prefix: string): {
  readonly dir: string;
  readonly photometry: string;
  readonly shifted: string;
} {
  let made: { dir: string; photometry: string; shifted: string } | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made = { dir, ...(await noMatchInputs(dir, join(TSM_EXAMPLE, 'specz.parquet'), 5, 5)) };
  }, 120_000);
  afterAll(() => {
    if (made) rmSync(made.dir, { recursive: true, force: true });
  });
  const ready = () => {
    if (!made) throw new Error('useNoMatchInputs: the inputs are made in beforeAll');
    return made;
  };
  return {
    get dir() {
      return ready().dir;
    },
    get photometry() {
      return ready().photometry;
    },
    get shifted() {
      return ready().shifted;
    },
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Int64, Table, vectorFromArray } from 'apache-arrow';
import { LSDB_DATA } from '../../fixtures';

import { tempDir as sharedTempDir, useTempDir as sharedUseTempDir } from '../../helpers/temp-dir';

/** test/helpers/temp-dir.ts's tempDir, named tsm-io-* by default. */
export function tempDir(prefix = 'tsm-io-'): { dir: string; cleanup: () => void } {
  return sharedTempDir(prefix);
}

/** test/helpers/temp-dir.ts's useTempDir, named tsm-io-* by default. */
export function useTempDir(prefix = 'tsm-io-'): { readonly dir: string } {
  return sharedUseTempDir(prefix);
}

/** LSDB's `raw/small_sky/small_sky.csv` (131 objects: id, ra, dec, ra_error, dec_error). */
export function smallSkyTable(): Table {
  const lines = readFileSync(join(LSDB_DATA, 'raw', 'small_sky', 'small_sky.csv'), 'utf8')
    .trim()
    .split('\n');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const float64 = (k: number) =>
    vectorFromArray(
      rows.map((r) => r[k]),
      new Float64(),
    );
  return new Table({
    id: vectorFromArray(
      rows.map((r) => BigInt(r[0])),
      new Int64(),
    ),
    ra: float64(1),
    dec: float64(2),
    ra_error: float64(3),
    dec_error: float64(4),
  });
}

import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int64, Table, vectorFromArray } from 'apache-arrow';
import { LSDB_DATA } from '../../fixtures';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'tsm-io-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** LSDB's `raw/small_sky/small_sky.csv` (131 objects: id, ra, dec, ra_error, dec_error). */
export function smallSkyTable(): Table {
  const lines = readFileSync(join(LSDB_DATA, 'raw', 'small_sky', 'small_sky.csv'), 'utf8')
    .trim()
    .split('\n');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return new Table({
    id: vectorFromArray(
      rows.map((r) => BigInt(r[0])),
      new Int64(),
    ),
    ra: vectorFromArray(
      rows.map((r) => r[1]),
      new Float64(),
    ),
    dec: vectorFromArray(
      rows.map((r) => r[2]),
      new Float64(),
    ),
    ra_error: vectorFromArray(
      rows.map((r) => r[3]),
      new Float64(),
    ),
    dec_error: vectorFromArray(
      rows.map((r) => r[4]),
      new Float64(),
    ),
  });
}

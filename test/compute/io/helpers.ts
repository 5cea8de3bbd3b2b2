import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int64, Table, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach } from 'vitest';
import { LSDB_DATA } from '../../fixtures';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'tsm-io-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh temporary folder for every test of the file (or of the `describe` it is called in),
 * removed after the test: call at the top, read `.dir` inside the tests.
 */
export function useTempDir(prefix = 'tsm-io-'): { readonly dir: string } {
  let current: { dir: string; cleanup: () => void } | undefined;
  beforeEach(() => {
    current = tempDir(prefix);
  });
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  return {
    get dir(): string {
      if (!current) throw new Error('useTempDir: .dir is only set while a test runs');
      return current.dir;
    },
  };
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

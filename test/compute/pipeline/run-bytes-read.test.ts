import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { LSDB_DATA } from '../../fixtures';

const dir = mkdtempSync(join(tmpdir(), 'tsm-bytes-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes of the .parquet leaves of a catalog's Norder=N folder. */
function leafBytes(catalog: string, order: number): number {
  const root = join(catalog, 'dataset', `Norder=${order}`, 'Dir=0');
  return readdirSync(root)
    .filter((f) => f.endsWith('.parquet'))
    .reduce((sum, f) => sum + statSync(join(root, f)).size, 0);
}

describe("a run's bytes read", () => {
  // small_sky: one order-0 partition (131 rows); small_sky_order1: four order-1 partitions inside
  // it, with a 1 deg margin. Each of the 4 tasks reads the one spec-z partition, from the cache
  // after the first: it was counted 4 times.
  it('counts each partition file once, however many tasks share it', async () => {
    const specz = join(LSDB_DATA, 'small_sky');
    const collection = join(LSDB_DATA, 'small_sky_order1_collection');
    const project = parseProject(
      {
        version: 1,
        name: 'bytes',
        // small_sky has no redshift: ra_error stands in (positive numbers)
        specz: { path: specz, columns: { ra: 'ra', dec: 'dec', z: 'ra_error', id: 'id' } },
        photometry: { location: collection, dereddening: { map: 'none' } },
        crossmatch: { radiusArcsec: 90 },
        split: { seed: 1 },
        output: { folder: join(dir, 'out') },
      },
      'bytes.tsm.json',
    );
    const result = await runTrainingSet(project, { workers: 0 });
    expect(result.pixels).toBe(4);
    const expected =
      leafBytes(specz, 0) +
      leafBytes(join(collection, 'small_sky_order1'), 1) +
      leafBytes(join(collection, 'small_sky_order1_margin_1deg'), 1);
    expect(result.bytesRead).toBe(expected);
  });
});

/**
 * Messages about the photometric catalog name the folder the user gave: for a HATS collection it
 * named the catalog inside it (`<folder>/small_sky_order1`), a folder the user never typed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../compute/pipeline/project';
import { planRun } from '../../../compute/pipeline/run-plan';
import { LSDB_DATA } from '../../fixtures';

const collection = join(LSDB_DATA, 'small_sky_order1_collection');

describe('planRun on a collection', () => {
  it('names the collection folder when the flux type is not in it', async () => {
    const project = parseProject(
      {
        version: 1,
        name: 'collection',
        specz: { path: join(LSDB_DATA, 'raw', 'small_sky', 'small_sky.csv') },
        photometry: { location: collection, fluxType: 'cmodel', dereddening: { map: 'none' } },
      },
      'test',
    );
    await expect(planRun(project)).rejects.toThrow(
      `photometry.fluxType: 'cmodel' is not in ${collection} (no flux or magnitude columns of a known survey); use auto`,
    );
  });
});

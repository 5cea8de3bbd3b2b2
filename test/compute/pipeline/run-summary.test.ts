import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { summaryLines } from '../../../compute/pipeline/run-summary';
import { TSM_EXAMPLE } from '../../fixtures';

const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');

describe('summaryLines', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-summary-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("says '1 row', '1 pair' and '1 pixel' of a run of one spec-z row (it said '1 rows', '1 pixels'), and a warning after what it is about (it began 'photometry.dereddening.map:')", async () => {
    // the first row of the example's specz.parquet, which has a DES object within 1 arcsec
    const specz = join(dir, 'one.csv');
    await writeFile(specz, 'id,ra,dec,z\n1049057662,3.542895,-33.801623,0.70844\n');
    const project = parseProject(
      {
        version: 1,
        name: 'one',
        specz: { path: specz, columns: { id: 'id' } },
        photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
        uniqueGalaxies: { enabled: true, oneToOne: true },
        split: { seed: 1 },
        output: { folder: join(dir, 'out') },
      },
      'test',
    );
    const result = await runTrainingSet(project, { workers: 0 });
    const lines = summaryLines(project, result);
    expect(lines[0]).toMatch(/^Training set 'one': 1 row written to /);
    expect(lines).toContain(
      '  matched              1 spec-z, 1 pair within 1 arcsec (1 neighbour max)',
    );
    expect(lines).toContain(
      '  unique galaxies      0 duplicate groups: 1 row kept, 0 dropped, 0 unresolved (0 rows, tie_result 2), 0 stars',
    );
    expect(lines).toContain(
      '  one-to-one           0 rows dropped (photometric object used by a nearer spec-z)',
    );
    expect(lines.find((l) => l.startsWith('  time'))).toMatch(
      /^ {2}time {17}\d\d:\d\d \(1 pixel, .* read, in the main thread\)$/,
    );
    // a warning stored after its field path (run.json) is said after what it is about
    const ebv =
      "the dust map 'sfd' (SFD_dust_4096_ngp.fits) gave no value (NaN) at 1 of 1 matched positions: NaN E(B-V) gives NaN dereddened magnitudes (or fluxes). Check that the map holds E(B-V) (the file, its column, its blank pixels), or choose another map.";
    const warned = summaryLines(project, {
      ...result,
      warnings: [`photometry.dereddening.map: ${ebv}`],
    });
    expect(warned.filter((l) => l.startsWith('Warning: '))).toEqual([
      `Warning: Dereddening: ${ebv}`,
    ]);
  });
});

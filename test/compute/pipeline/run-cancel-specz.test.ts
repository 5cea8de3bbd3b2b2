/**
 * Ctrl-C (or the app's Cancel) while a run reads a large spec-z text file: the file was read to
 * its end before the cancel was looked at (18 s for a million-row CSV). The read now stops at
 * the next batch of rows. Shown with a file of 200,000 rows whose last line is broken: read to
 * the end, the run fails on that line; stopped early, it is cancelled.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { generateSurveyCatalogs, readSpeczPositions } from '../../../compute/demo/surveys';
import { CancelledError } from '../../../compute/errors';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';

let dir: string;
let photometry: string;
let specz: string;
const ROWS = 200_000;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-cancel-specz-'));
  const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed: 5,
    specz: await readSpeczPositions(demoSpeczPath()),
  });
  photometry = cats.find((c) => c.survey === 'lsst-dp1')!.path;
  const lines = ['id,ra,dec,z'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`${i},${(i * 0.0017) % 360},${-30 + (i % 600) / 10},0.5`);
  lines.push(`${ROWS},1,2,3,4,5`); // one field too many: a read to the end stops here
  specz = join(dir, 'specz.csv');
  await writeFile(specz, `${lines.join('\n')}\n`);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const project = (out: string) =>
  parseProject(
    {
      version: 1,
      name: 'cancel',
      specz: { path: specz, columns: { id: 'id' } },
      photometry: { location: photometry, dereddening: { map: 'none' } },
      split: { seed: 3 },
      output: { folder: out, format: 'parquet' },
    },
    'test',
  );

describe('cancel while the spec-z file is read', () => {
  it('without a cancel, the run reads to the broken last line', async () => {
    await expect(runTrainingSet(project(join(dir, 'full')), { workers: 0 })).rejects.toThrow(
      `line ${ROWS + 2}`,
    );
  }, 60_000);

  it('stops reading at the cancel, with its reason, and writes nothing', async () => {
    const controller = new AbortController();
    const out = join(dir, 'cancelled');
    const run = runTrainingSet(project(out), {
      workers: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.message?.startsWith('Opening the spec-z catalog'))
          controller.abort(new CancelledError('Cancelled by Ctrl-C'));
      },
    });
    await expect(run).rejects.toThrow(new CancelledError('Cancelled by Ctrl-C'));
    await expect(rm(out)).rejects.toThrow('ENOENT');
  }, 60_000);
});

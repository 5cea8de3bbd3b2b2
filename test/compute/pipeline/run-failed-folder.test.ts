/** A run that fails leaves no trace in the output folders it made for itself (README: "writes nothing"). */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { demoDp1Catalog } from '../../helpers/sky-catalogs';

let dir: string;
let cleanup: () => Promise<void>;
/** The generated DP1 catalog with one leaf file removed: the crossmatch fails at that pixel. */
let broken: string;

beforeAll(async () => {
  let photometry: string;
  ({ dir, photometry, cleanup } = await demoDp1Catalog('tsm-failed-folder-'));
  broken = join(dir, 'broken');
  await cp(photometry, broken, { recursive: true });
  const leaves: string[] = [];
  const walk = async (at: string) => {
    for (const e of await readdir(at, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(at, e.name));
      else if (e.name.startsWith('Npix=')) leaves.push(join(at, e.name));
    }
  };
  await walk(join(broken, 'dp1_object', 'dataset')); // the collection's main catalog
  await rm(leaves[0]);
}, 60_000);
afterAll(() => cleanup());

const project = (folder: string) =>
  parseProject(
    {
      version: 1,
      name: 'broken',
      specz: { path: demoSpeczPath(), columns: { id: 'id' } },
      photometry: { location: broken, dereddening: { map: 'sfd-lowres' } },
      split: { seed: 1 },
      output: { folder },
    },
    'test',
  );

describe('the output folder of a failed run', () => {
  it('is removed again when the run made it (and its parents) and wrote nothing there', async () => {
    const folder = join(dir, 'new', 'deeper', 'out');
    await expect(runTrainingSet(project(folder), { workers: 0 })).rejects.toThrow(
      /The catalog is incomplete/,
    );
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(existsSync(dir)).toBe(true);
  }, 60_000);

  it('stays when it was there before, with what it held', async () => {
    const folder = join(dir, 'kept');
    await mkdir(folder);
    await writeFile(join(folder, 'notes.txt'), 'mine');
    await expect(runTrainingSet(project(folder), { workers: 0 })).rejects.toThrow(
      /The catalog is incomplete/,
    );
    expect(await readdir(folder)).toEqual(['notes.txt']);
  }, 60_000);
});

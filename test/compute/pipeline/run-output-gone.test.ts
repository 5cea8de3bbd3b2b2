/** The output folder removed while a run is in progress (deleted, or its disk unmounted). */
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { parseProject } from '../../../compute/pipeline/project';
import type { RunProgress } from '../../../compute/pipeline/progress';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { demoDp1Catalog } from '../../helpers/sky-catalogs';

let photometry: string;
let cleanup: () => Promise<void>;
let base: string;

beforeAll(async () => {
  ({ photometry, cleanup } = await demoDp1Catalog('tsm-output-gone-'));
  base = await mkdtemp(join(tmpdir(), 'tsm-output-gone-out-'));
}, 60_000);
afterAll(async () => {
  await cleanup();
  await rm(base, { recursive: true, force: true });
});

const project = (folder: string, format: string) =>
  parseProject(
    {
      version: 1,
      name: 'gone',
      specz: { path: demoSpeczPath(), columns: { id: 'id' } },
      photometry: { location: photometry, dereddening: { map: 'sfd-lowres' } },
      split: { seed: 1 },
      output: { folder, format },
    },
    'test',
  );

describe('an output folder removed during the run', () => {
  for (const format of ['parquet', 'csv', 'hats']) {
    it(`${format}: says so, and does not make the folder again`, async () => {
      // there before the run, as the app makes it (the run then does not remove it when empty)
      const folder = join(base, format);
      await mkdir(folder);
      const messages: string[] = [];
      const onProgress = (p: RunProgress) => {
        // removed as the writing starts
        if (p.stage === 'write') rmSync(folder, { recursive: true, force: true });
        if (p.stage === 'failed' && p.message) messages.push(p.message);
      };
      const expected = `The output folder ${folder} was removed while the run was in progress (deleted, or its disk unmounted), so nothing was written: make sure the folder is there, or choose another output folder, and run again.`;
      await expect(
        runTrainingSet(project(folder, format), { workers: 0, onProgress }),
      ).rejects.toThrow(expected);
      expect(messages).toEqual([expected]);
      expect(existsSync(folder)).toBe(false);
    }, 60_000);
  }
});

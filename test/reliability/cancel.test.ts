/**
 * Cancelling a run at every stage (resolve, plan, crossmatch, split, write), in this thread and
 * with a worker, for every output format: the run throws CancelledError, no `.partial` is left,
 * and the output of the previous run in the same folder is byte for byte intact.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../compute/errors';
import { parseProject, type Project } from '../../compute/pipeline/project';
import type { RunStage } from '../../compute/pipeline/progress';
import { runTrainingSet } from '../../compute/pipeline/run';
import {
  makeSyntheticCatalogs,
  partialsUnder,
  snapshot,
  tempDir,
  type SyntheticCatalogs,
} from './helpers';

const { dir, cleanup } = tempDir('tsm-rel-cancel-');
afterAll(cleanup);
let cats: SyntheticCatalogs;

beforeAll(async () => {
  cats = await makeSyntheticCatalogs(dir, {
    photometricRows: 40_000,
    speczEvery: 10,
    partitionRows: 4_000,
    seed: 5,
  });
}, 120_000);

const FORMATS = ['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const;

function project(folder: string, format: (typeof FORMATS)[number], unique = false): Project {
  return parseProject(
    {
      version: 1,
      name: 'cancel me',
      specz: { path: cats.specz, columns: { id: 'id' } },
      photometry: { location: cats.photometry, dereddening: { map: 'none' } },
      uniqueGalaxies: { enabled: unique },
      split: { seed: 8 },
      output: { folder, format },
    },
    'cancel.tsm.json',
  );
}

/**
 * Runs once to completion, then again with a cancel at the first event of `stage` (after
 * `delayMs`); returns what the second run did and checks the folder.
 */
async function cancelAt(
  folder: string,
  format: (typeof FORMATS)[number],
  stage: RunStage,
  options: { workers: number; delayMs?: number; unique?: boolean },
) {
  const first = await runTrainingSet(project(folder, format, options.unique), { workers: 0 });
  expect(first.counts.written).toBe(cats.speczMatched);
  const before = snapshot(folder);
  const controller = new AbortController();
  const stages: RunStage[] = [];
  const outcome = await runTrainingSet(project(folder, format, options.unique), {
    workers: options.workers,
    signal: controller.signal,
    onProgress: (p) => {
      stages.push(p.stage);
      if (p.stage === stage && !controller.signal.aborted) {
        const abort = () => controller.abort(new CancelledError(`stop at ${stage}`));
        if (options.delayMs) setTimeout(abort, options.delayMs);
        else abort();
      }
    },
  }).catch((e: unknown) => e);
  expect(stages).toContain(stage);
  expect(partialsUnder(folder)).toEqual([]);
  if (outcome instanceof Error) {
    expect(outcome).toBeInstanceOf(CancelledError);
    expect(stages.at(-1)).toBe('cancelled');
    // The previous output, run.json and config.yml are untouched.
    expect(snapshot(folder)).toEqual(before);
  } else {
    // The run finished before the cancel arrived: a complete new output (same seed, same rows).
    expect(stages.at(-1)).toBe('done');
    expect((outcome as { counts: { written: number } }).counts.written).toBe(cats.speczMatched);
  }
  return outcome;
}

describe('cancel at every stage: nothing partial, the previous output intact', () => {
  const stages: RunStage[] = ['resolve', 'plan', 'crossmatch', 'split', 'write'];
  for (const stage of stages) {
    for (const workers of [0, 1]) {
      it(`at ${stage}, ${workers} worker(s), parquet`, async () => {
        const outcome = await cancelAt(join(dir, `s-${stage}-${workers}`), 'parquet', stage, {
          workers,
        });
        expect(outcome).toBeInstanceOf(CancelledError);
      });
    }
  }

  it('at unique-galaxies', async () => {
    const outcome = await cancelAt(join(dir, 'unique'), 'parquet', 'unique-galaxies', {
      workers: 0,
      unique: true,
    });
    expect(outcome).toBeInstanceOf(CancelledError);
  });

  for (const format of FORMATS) {
    it(`while writing ${format} (cancel 0 and 40 ms into the write)`, async () => {
      for (const delayMs of [0, 40]) {
        await cancelAt(join(dir, `w-${format}-${delayMs}`), format, 'write', {
          workers: 0,
          delayMs,
        });
      }
    });
  }

  it('an already aborted signal: nothing is created at all', async () => {
    const folder = join(dir, 'never');
    const controller = new AbortController();
    controller.abort(new CancelledError('before start'));
    const err = await runTrainingSet(project(folder, 'parquet'), {
      workers: 0,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(() => snapshot(folder)).toThrow(/ENOENT/);
  });
});

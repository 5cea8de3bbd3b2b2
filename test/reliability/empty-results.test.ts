/**
 * The app's results engine (main/engine/results.ts) on a run that matched nothing (an empty
 * training set, every column, 0 rows): every output format reads back as an empty page and QA
 * data with no matched point, every spec-z being on the sky map as unmatched, and nothing else.
 * (empty-results-page.test.tsx renders exactly this data.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import type { OutputFormat } from '../../compute/pipeline/project-schema';
import { runTrainingSet } from '../../compute/pipeline/run';
import { createResultsEngine, readPage } from '../../main/engine/results';
import type { RunRecord } from '../../preload/api';
import { useNoMatchInputs } from '../helpers/shifted-specz';

/** The example's spec-z moved 5 arcsec north, and a DP1 catalog at its positions. */
const inputs = useNoMatchInputs('tsm-empty-results-');

async function emptyRun(format: OutputFormat): Promise<RunRecord> {
  const base = defaultProject();
  const project = {
    ...base,
    name: `empty ${format}`,
    specz: { ...base.specz, path: inputs.shifted, columns: { ...base.specz.columns, id: 'id' } },
    photometry: {
      ...base.photometry,
      location: inputs.photometry,
      dereddening: { map: 'sfd-lowres' as const, scale: 1 },
    },
    split: { ...base.split, seed: 1 },
    output: { format, folder: join(inputs.dir, `out-${format}`) },
  };
  const startedAt = new Date().toISOString();
  const result = await runTrainingSet(project, {
    workers: 0,
    dataDir: inputs.dir,
    baseDir: inputs.dir,
  });
  expect(result.counts).toMatchObject({ speczIn: 80, matchedRows: 0, written: 0 });
  return {
    id: `run-${format}`,
    name: project.name,
    status: 'done',
    startedAt,
    finishedAt: new Date().toISOString(),
    project,
    outputDir: join(inputs.dir, `out-${format}`),
    outputPath: result.outputPath,
    counts: {
      rowsIn: 80,
      matched: 0,
      unmatched: 80,
      duplicatesResolved: 0,
      train: 0,
      test: 0,
      rowsOut: 0,
    },
  };
}

describe('results of an empty training set', () => {
  it.each(['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const)(
    '%s: 0 rows with the column names, no matched point, every spec-z on the sky map as unmatched',
    async (format) => {
      const run = await emptyRun(format);
      const page = await readPage(run.outputPath!, 0, 25);
      expect(page.total).toBe(0);
      expect(page.rows).toEqual([]);
      const qa = await createResultsEngine(async () => inputs.dir).qa(run);
      // the preview still names the columns, read from the empty file's schema
      expect(page).toMatchObject({ rows: [], offset: 0, total: 0 });
      expect(page.columns).toEqual(
        expect.arrayContaining(['z', '_dist_arcsec', 'is_training_set']),
      );
      expect(qa).toEqual({
        sky: {
          matched: [],
          unmatched: expect.any(Array) as unknown,
          matchedCount: 0,
          unmatchedCount: 80,
        },
        redshift: { edges: [], counts: [] },
        separationArcsec: { edges: [], counts: [] },
        magnitudes: [],
        colourVsRedshift: undefined,
      });
      // the shifted spec-z positions, every one
      expect(qa.sky.unmatched).toHaveLength(80);
      expect(qa.sky.unmatched.every(([, d]) => Math.abs(d) < 90)).toBe(true);
    },
    60_000,
  );
});

/**
 * A run that matches nothing, through the app's engine binding (main/engine/run-engine.ts) and
 * results engine: the run succeeds with the engine's "No cross matches were found" warning, and
 * the results table of its empty output names the columns in every format. Oracle for the
 * columns: the page of a run of the same project on unshifted spec-z rows (rows in every format),
 * whose columns come from its first batch.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProject, type Project } from '../../../compute/pipeline/project';
import type { OutputFormat } from '../../../compute/pipeline/project-schema';
import { readPage } from '../../../main/engine/results';
import { runWithEngine } from '../../../main/engine/run-engine';
import type { RunOutcome } from '../../../main/run-manager';
import { TSM_EXAMPLE } from '../../fixtures';
import { useNoMatchInputs } from '../../helpers/shifted-specz';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
/** The example's spec-z moved 5 arcsec north, and a DP1 catalog at its positions. */
const inputs = useNoMatchInputs('tsm-app-empty-');

function project(format: OutputFormat, speczPath: string, folder: string): Project {
  const base = defaultProject();
  return {
    ...base,
    name: 'app set',
    specz: { ...base.specz, path: speczPath, columns: { ...base.specz.columns, id: 'id' } },
    photometry: {
      ...base.photometry,
      location: inputs.photometry,
      dereddening: { map: 'sfd-lowres', scale: 1 },
    },
    split: { ...base.split, seed: 1 },
    output: { format, folder: join(inputs.dir, folder) },
  };
}

const run = (p: Project): Promise<RunOutcome> =>
  runWithEngine(p, {
    signal: new AbortController().signal,
    onProgress: () => undefined,
    workers: 0,
    dataDir: inputs.dir,
    dustMapDir: '',
    cacheSizeMb: 0,
    stallSeconds: null,
  });

describe('a run without a single cross match, through the app engine', () => {
  it.each(['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const)(
    '%s: done with the no-match warning; the table page names every column with no row',
    async (format) => {
      const empty = await run(project(format, inputs.shifted, `empty-${format}`));
      expect(empty.counts).toEqual({
        rowsIn: 80,
        matched: 0,
        unmatched: 80,
        duplicatesResolved: 0,
        train: 0,
        test: 0,
        rowsOut: 0,
      });
      expect(empty.warnings).toHaveLength(1);
      expect(empty.warnings![0]).toMatch(/^No cross matches were found: no spec-z row of /);
      expect(empty.warnings![0]).toContain('within 1 arcsec');
      // the same words as the engine's run.json
      const runJson = JSON.parse(
        await readFile(join(inputs.dir, `empty-${format}`, 'run.json'), 'utf8'),
      ) as { warnings: string[] };
      expect(empty.warnings).toEqual(runJson.warnings);

      const full = await run(project(format, SPECZ, `full-${format}`));
      expect(full.warnings).toEqual([]);
      const fullPage = await readPage(full.outputPath, 0, 5);
      expect(fullPage.rows.length).toBe(5);
      expect(fullPage.columns).toEqual(
        expect.arrayContaining(['z', '_dist_arcsec', 'is_training_set']),
      );

      const page = await readPage(empty.outputPath, 0, 25);
      expect(page).toEqual({ columns: fullPage.columns, rows: [], offset: 0, total: 0 });
    },
    90_000,
  );
});

/**
 * `tsm run --specz FILE` read the whole file before its plan without a word (~20 s for a
 * million-row CSV between "Opening the spec-z catalog" and the plan), and a Parquet file was read
 * whole, deaf to a cancel. The read now reports the rows read and the part of the file (a run's
 * progress `speczRead`), and a Parquet file is read a row group at a time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../compute/errors';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import type { SpeczReadProgress } from '../../../compute/io/read-progress';
import { parseProject } from '../../../compute/pipeline/project';
import type { RunProgress } from '../../../compute/pipeline/progress';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { readSpeczTable } from '../../../compute/pipeline/specz-source';
import { TSM_EXAMPLE } from '../../fixtures';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet'); // 80 rows, one row group
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-specz-source-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const following = (events: SpeczReadProgress[]) => ({
  progressIntervalMs: 0,
  onProgress: (p: SpeczReadProgress) => events.push(p),
});

describe('readSpeczTable', () => {
  it('reports the rows read of every format, with the part of the file', async () => {
    const table = await readParquetFile(SPECZ);
    const files: string[] = [SPECZ];
    for (const format of ['fits', 'hdf5', 'csv'] as const) {
      const path = join(dir, `specz.${format}`);
      const writer = createTableWriter(format, path);
      await writer.write(table);
      await writer.close();
      files.push(path);
    }
    for (const path of files) {
      const events: SpeczReadProgress[] = [];
      const read = await readSpeczTable(path, undefined, { batchRows: 30, ...following(events) });
      expect(read.numRows).toBe(80);
      expect(
        events.map((e) => [e.phase, e.rowsRead]),
        path,
      ).toEqual([
        ['read', 30],
        ['read', 60],
        ['read', 80],
        ['read', 80],
      ]);
      const fractions = events.map((e) => e.fraction!);
      // a table's rows, or a text file's bytes up to the last line read: growing, ending at 1
      if (!path.endsWith('.csv')) expect(fractions).toEqual([30 / 80, 60 / 80, 1, 1]);
      expect(fractions.slice(0, 2).every((f, i) => f > 0 && f < fractions[i + 1])).toBe(true);
      expect(fractions.slice(2)).toEqual([1, 1]);
    }
  });

  it('stops reading a Parquet file of several row groups at a cancel', async () => {
    const path = join(dir, 'groups.parquet');
    await writeFile(path, tableToParquetBytes(await readParquetFile(SPECZ), { rowGroupRows: 20 }));
    const events: SpeczReadProgress[] = [];
    const controller = new AbortController();
    const reading = readSpeczTable(path, controller.signal, {
      progressIntervalMs: 0,
      onProgress: (p) => {
        events.push(p);
        controller.abort(new CancelledError('Cancelled by Ctrl-C'));
      },
    });
    await expect(reading).rejects.toThrow(new CancelledError('Cancelled by Ctrl-C'));
    expect(events).toEqual([{ phase: 'read', rowsRead: 20, fraction: 0.25 }]);
  });
});

describe('a run of a spec-z file', () => {
  it("says how far the file's reading got while it resolves, without log lines", async () => {
    const project = parseProject(
      {
        version: 1,
        name: 'progress',
        specz: { path: SPECZ },
        photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
        split: { seed: 1 },
        output: { folder: join(dir, 'out'), format: 'parquet' },
      },
      'test',
    );
    const events: RunProgress[] = [];
    await runTrainingSet(project, { workers: 0, onProgress: (p) => events.push(p) });
    const reads = events.filter((e) => e.speczRead);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.stage === 'resolve' && e.message === undefined)).toBe(true);
    expect(reads.at(-1)!.speczRead).toEqual({ phase: 'read', rowsRead: 80, fraction: 1 });
    const plan = events.findIndex((e) => e.stage === 'plan');
    expect(events.indexOf(reads.at(-1)!)).toBeLessThan(plan);
    expect(events.slice(plan).some((e) => e.speczRead)).toBe(false);
  });
});

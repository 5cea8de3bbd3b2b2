/**
 * A training-set run whose worker thread dies on one pixel (TSM_TEST_WORKER_FAULT, worker-fault.ts):
 * on the first attempt only, the pixel is run again on a fresh thread and the output is identical
 * to a normal run; on every attempt, the run fails with a UserError naming the pixel and the
 * catalogs, and writes nothing (no output, no run record, no `.partial`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { readParquetFile } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { planRun } from '../../../compute/pipeline/run-plan';
import { WORKER_FAULT_ENV } from '../../../compute/pipeline/worker-fault';
import { makeSyntheticCatalogs, tempDir, type SyntheticCatalogs } from '../../reliability/helpers';

const { dir, cleanup } = tempDir('tsm-worker-fault-');
afterAll(cleanup);
afterEach(() => {
  delete process.env[WORKER_FAULT_ENV];
});

let cats: SyntheticCatalogs;
/** The aligned pixel of the plan's third task, `order/pixel`. */
let pixel: string;
let reference: { rows: string; runColumns: string[] };

const project = (out: string) =>
  parseProject(
    {
      version: 1,
      name: 'faulty',
      specz: { path: cats.specz, columns: { id: 'id' } },
      photometry: { location: cats.photometry, dereddening: { map: 'none' } },
      split: { seed: 11 },
      output: { folder: out },
    },
    'faulty.tsm.json',
  );

const rowsOf = async (path: string) =>
  JSON.stringify(
    (await readParquetFile(path)).toArray().map((r) => r.toJSON()),
    (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
  );

beforeAll(async () => {
  cats = await makeSyntheticCatalogs(dir, {
    photometricRows: 20_000,
    speczEvery: 10,
    partitionRows: 2_000,
    seed: 4,
  });
  const plan = await planRun(project(join(dir, 'plan')));
  expect(plan.tasks.length).toBeGreaterThan(4);
  const a = plan.tasks[2].aligned;
  pixel = `${a.order}/${a.pixel}`;
  const r = await runTrainingSet(project(join(dir, 'reference')), { workers: 2 });
  expect(r.counts.written).toBe(cats.speczMatched);
  reference = { rows: await rowsOf(r.outputPath), runColumns: r.columns };
}, 120_000);

describe('a worker thread that dies on one pixel', () => {
  it.each(['exit', 'throw'] as const)(
    '%s on the first attempt: the pixel is retried, the output is identical to a normal run',
    async (how) => {
      process.env[WORKER_FAULT_ENV] = `${how}:${pixel}:first`;
      const out = join(dir, `retry-${how}`);
      const log: string[] = [];
      const r = await runTrainingSet(project(out), {
        workers: 2,
        onProgress: (p) => p.message && log.push(p.message),
      });
      expect(await rowsOf(r.outputPath)).toBe(reference.rows);
      expect(r.columns).toEqual(reference.runColumns);
      const [order, npix] = pixel.split('/');
      const retried = `pixel Norder=${order} Npix=${npix}: its worker thread stopped (${how === 'exit' ? 'worker exited with code: 70' : 'injected uncaught error in a worker thread'}); running it again on a fresh worker thread`;
      expect(r.warnings).toEqual([retried]);
      expect(log).toContain(`Warning: ${retried}`);
      const record = JSON.parse(await readFile(r.runJsonPath, 'utf8'));
      expect(record.warnings).toEqual([retried]);
    },
    60_000,
  );

  it('exit on every attempt: the run fails naming the pixel and the catalogs, nothing is written', async () => {
    process.env[WORKER_FAULT_ENV] = `exit:${pixel}:always`;
    const out = join(dir, 'always');
    const err = await runTrainingSet(project(out), { workers: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const [order, npix] = pixel.split('/');
    expect((err as Error).message).toMatch(
      new RegExp(
        `^The worker thread crossmatching pixel Norder=${order} Npix=${npix} stopped twice \\(worker exited with code: 70\\), so the run stopped and wrote nothing\\. ` +
          `The pixel reads spec-z ${cats.specz} Norder=\\d+ Npix=\\d+, photometric catalog ${cats.photometry} Norder=\\d+ Npix=\\d+\\. ` +
          'It may need more memory than a worker thread has, or one of those files may be damaged: check them, free some memory, or run with fewer workers \\(--workers 1\\)\\.$',
      ),
    );
    // nothing written: the folder the run made for its output is removed again
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('the variable is ignored for other pixels and for tasks run in this thread (workers 0)', async () => {
    process.env[WORKER_FAULT_ENV] = `exit:${pixel}:always`;
    const r = await runTrainingSet(project(join(dir, 'inline')), { workers: 0 });
    expect(await rowsOf(r.outputPath)).toBe(reference.rows);
    process.env[WORKER_FAULT_ENV] = 'exit:0/0:always';
    const r2 = await runTrainingSet(project(join(dir, 'other')), { workers: 2 });
    expect(await rowsOf(r2.outputPath)).toBe(reference.rows);
    expect(r2.warnings).toEqual([]);
  }, 60_000);
});

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CancelledError, UserError } from '../../../compute/errors';
import { defaultProject } from '../../../compute/pipeline/project';
import * as outputReader from '../../../main/engine/output-reader';
import { computeQa } from '../../../main/engine/qa';
import { QA_CANCELLED, runningQaWorkers } from '../../../main/engine/qa-thread';
import { computeRunQa } from '../../../main/engine/run-qa';
import { createResultsEngine } from '../../../main/engine/results';
import type { RunRecord } from '../../../preload/api';

// main's own reads of an output's batches, counted: the plots' data must not need any
vi.mock('../../../main/engine/output-reader', async (original) => {
  const real = await original<typeof import('../../../main/engine/output-reader')>();
  return {
    ...real,
    readTableBatches: vi.fn((path: string, columns?: string[]) =>
      real.readTableBatches(path, columns),
    ),
  };
});
const mainReads = vi.mocked(outputReader.readTableBatches);

/** A CSV output of a left join: `rows` rows, each 4th without a match (several 65,536-row batches). */
const ROWS = 300_000;
let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-qa-thread-'));
  csv = join(dir, 'out.csv');
  const lines = ['id,ra,dec,z,_dist_arcsec,mag_dered_cmodel_g,mag_dered_cmodel_r,split'];
  for (let i = 0; i < ROWS; i++) {
    const matched = i % 4 !== 0;
    const g = 20 + (i % 500) / 100;
    lines.push(
      [
        i,
        ((i * 0.0137) % 360).toFixed(6),
        (((i * 0.0071) % 120) - 60).toFixed(6),
        ((i % 3000) / 1000).toFixed(4),
        matched ? ((i % 997) / 1000).toFixed(4) : '',
        matched ? g.toFixed(3) : '',
        matched ? (g - 0.4 - (i % 7) / 10).toFixed(3) : '',
        i % 10 < 7 ? 'train' : 'test',
      ].join(','),
    );
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The finished run whose output is the CSV, with a folder in the data folder (its cache's). */
function csvRun(id: string): RunRecord {
  mkdirSync(join(dir, 'runs', id), { recursive: true });
  const base = defaultProject();
  return {
    id,
    name: id,
    status: 'done',
    startedAt: new Date().toISOString(),
    project: {
      ...base,
      specz: { ...base.specz, path: join(dir, 'specz.parquet') },
      crossmatch: { ...base.crossmatch, join: 'left' },
      output: { format: 'csv', folder: dir },
    },
    outputDir: dir,
    outputPath: csv,
    counts: {
      rowsIn: ROWS,
      matched: ROWS - ROWS / 4,
      unmatched: ROWS / 4,
      duplicatesResolved: 0,
      train: 0,
      test: 0,
      rowsOut: ROWS,
    },
  };
}

const cacheOf = (run: RunRecord) => join(dir, 'runs', run.id, 'qa-cache.json');

describe("the plots' data of a large CSV output", () => {
  it("are computed off main's thread: a table page asked for meanwhile comes first", async () => {
    const run = csvRun('r-busy');
    const engine = createResultsEngine(async () => dir);
    mainReads.mockClear();
    const events: string[] = [];
    let started!: () => void;
    const reading = new Promise<void>((resolve) => (started = resolve));
    const qa = engine
      .qa(run, (fraction) => {
        events.push(fraction < 1 ? 'progress' : 'read');
        started();
      })
      .then((data) => {
        events.push('plots');
        return data;
      });
    // once the worker reads the output, a page far into it (the CSV's row index is made first)
    await reading;
    events.push('page asked');
    const page = await engine.page(run, 250_000, 25);
    events.push('page');
    expect(page.rows[0][0]).toBe(250_000);
    const data = await qa;
    expect(events.indexOf('page')).toBeLessThan(events.indexOf('plots'));
    expect(events.at(-1)).toBe('plots');
    // main's thread did not read one batch of the output for the plots
    expect(mainReads).not.toHaveBeenCalled();
    expect(data.sky.matchedCount).toBe(ROWS - ROWS / 4);
    expect(data.sky.unmatchedCount).toBe(ROWS / 4);
    // the data the plots had when main computed them (the same function over the same batches)
    const columns = ['ra', 'dec', 'z', '_dist_arcsec', 'mag_dered_cmodel_g', 'mag_dered_cmodel_r'];
    const before = await computeQa(
      () => outputReader.readTableBatches(csv, columns),
      run.project.specz.columns,
    );
    expect(JSON.stringify(data)).toBe(JSON.stringify(before));
    expect(existsSync(cacheOf(run))).toBe(true);
    expect(runningQaWorkers()).toBe(0);
  }, 60_000);

  it('stop when no page waits for them any more: the thread ends, nothing is kept', async () => {
    const run = csvRun('r-cancel');
    const engine = createResultsEngine(async () => dir);
    const leave = new AbortController();
    const stay = new AbortController();
    let started!: () => void;
    const reading = new Promise<void>((resolve) => (started = resolve));
    // the page opened twice (two windows): one leaving does not stop the other's plots
    const first = engine.qa(run, () => started(), leave.signal);
    const second = engine.qa(run, undefined, stay.signal);
    await reading;
    expect(runningQaWorkers()).toBe(1);
    leave.abort();
    await expect(first).rejects.toThrow(new CancelledError(QA_CANCELLED));
    expect(runningQaWorkers()).toBe(1);
    stay.abort();
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    // the worker thread is gone by the time the last call is told, and no data were kept
    expect(runningQaWorkers()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(cacheOf(run))).toBe(false);
    expect(existsSync(`${cacheOf(run)}.partial`)).toBe(false);
    // opened again: computed from the start, and kept
    const data = await engine.qa(run);
    expect(data.sky.matchedCount).toBe(ROWS - ROWS / 4);
    expect(existsSync(cacheOf(run))).toBe(true);
    // a call cancelled before it asks computes nothing
    const gone = new AbortController();
    gone.abort();
    await expect(engine.qa(csvRun('r-never'), undefined, gone.signal)).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(runningQaWorkers()).toBe(0);
  }, 60_000);

  it('stop when the page leaves while the opening looks at the files (it computed them all)', async () => {
    const run = csvRun('r-left-early');
    const engine = createResultsEngine(async () => dir);
    const leave = new AbortController();
    const told: number[] = [];
    const opening = engine.qa(run, (f) => told.push(f), leave.signal);
    // the opening is at its first await (the data folder, the output's stamp)
    leave.abort();
    await expect(opening).rejects.toBeInstanceOf(CancelledError);
    expect(runningQaWorkers()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(told).toEqual([]);
    expect(existsSync(cacheOf(run))).toBe(false);
  }, 60_000);

  it("fail with the reader's error, as main's thread gave it, and keep nothing", async () => {
    const run = { ...csvRun('r-broken'), outputPath: join(dir, 'broken.csv') };
    writeFileSync(run.outputPath, 'ra,dec,z\n1,2,0.5\n3,4,"0.7\n');
    const onMain = await computeRunQa(run, dir, () => undefined).then(
      () => new Error('no error'),
      (err: Error) => err,
    );
    expect(onMain).toBeInstanceOf(UserError);
    expect(onMain.message).toContain(run.outputPath);
    const inWorker = createResultsEngine(async () => dir).qa(run);
    await expect(inWorker).rejects.toThrow(new UserError(onMain.message));
    await expect(inWorker).rejects.toBeInstanceOf(UserError);
    expect(existsSync(cacheOf(run))).toBe(false);
    expect(runningQaWorkers()).toBe(0);
  });
});

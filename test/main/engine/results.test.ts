import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { Table, vectorFromArray, type Vector } from 'apache-arrow';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, readSpeczPositions } from '../../../compute/demo/surveys';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { defaultProject } from '../../../compute/pipeline/project';
import { registerSpeczCatalog } from '../../../compute/io/specz-register';
import { runTrainingSet, type RunResult } from '../../../compute/pipeline/run';
import { readTableBatches } from '../../../main/engine/output-reader';
import { PositionSet } from '../../../main/engine/position-set';
import { computeQa, MAX_PLOT_POINTS, Reservoir } from '../../../main/engine/qa';
import { QA_CACHE_VERSION } from '../../../main/engine/qa-cache';
import { computeRunQaInWorker } from '../../../main/engine/qa-thread';
import { createResultsEngine, readPage, type ComputeRunQa } from '../../../main/engine/results';
import type { QaData, RunRecord } from '../../../preload/api';
import { TSM_EXAMPLE } from '../../fixtures';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
let dir: string;
let result: RunResult;
let record: RunRecord;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-results-'));
  const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed: 5,
    specz: await readSpeczPositions(SPECZ),
  });
  const base = defaultProject();
  const project = {
    ...base,
    name: 'results test',
    specz: { ...base.specz, path: SPECZ },
    photometry: {
      ...base.photometry,
      location: cats.find((c) => c.survey === 'lsst-dp1')!.path,
      fluxType: 'cmodel',
      dereddening: { map: 'sfd-lowres' as const, scale: 1 },
    },
    split: { ...base.split, seed: 1 },
    output: { format: 'parquet' as const, folder: join(dir, 'out') },
  };
  const startedAt = new Date().toISOString();
  result = await runTrainingSet(project, { workers: 0, dataDir: dir, baseDir: dir });
  record = {
    id: 'r1',
    name: project.name,
    status: 'done',
    startedAt,
    project,
    outputDir: join(dir, 'out'),
    outputPath: result.outputPath,
  };
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('results of a real run (compute/pipeline/run.ts output)', () => {
  it('pages through the output: every row once, in order, with the run total', async () => {
    const total = result.counts.written;
    expect(total).toBeGreaterThan(25);
    const first = await readPage(result.outputPath, 0, 25);
    const rest = await readPage(result.outputPath, 25, 1000);
    expect(first.total).toBe(total);
    expect(first.rows).toHaveLength(25);
    expect(rest.rows).toHaveLength(total - 25);
    expect(first.columns).toEqual(result.columns);
    const zAt = first.columns.indexOf('z');
    const ids = [...first.rows, ...rest.rows].map((r) => r[first.columns.indexOf('id')]);
    expect(new Set(ids).size).toBe(total);
    expect(typeof first.rows[0][zAt]).toBe('number');
  });

  it('pages through an output of several row groups from its footer count, stopping at the page', async () => {
    const table = await readParquetFile(result.outputPath);
    const path = join(dir, 'groups.parquet');
    writeFileSync(path, tableToParquetBytes(table, { rowGroupRows: 7 }));
    const total = table.numRows;
    const page = await readPage(path, 15, 10);
    expect(page.total).toBe(total);
    expect(page.offset).toBe(15);
    const idAt = page.columns.indexOf('id');
    expect(page.rows.map((r) => r[idAt])).toEqual(
      Array.from({ length: 10 }, (_, i) => Number(table.getChild('id')!.get(15 + i))),
    );
    const last = await readPage(path, total - 3, 10);
    expect(last.rows).toHaveLength(3);
    expect(last.total).toBe(total);
  });

  it('splits the spec-z sky into the run counts of matched and unmatched objects', async () => {
    const qa = await createResultsEngine(async () => dir).qa(record);
    expect(qa.sky.matched).toHaveLength(result.counts.matchedSpecz);
    expect(qa.sky.unmatched).toHaveLength(result.counts.unmatchedSpecz);
    expect(qa.sky.matched.length + qa.sky.unmatched.length).toBe(result.counts.speczIn);
    expect(qa.sky.matchedCount).toBe(result.counts.matchedRows);
    expect(qa.sky.unmatchedCount).toBe(result.counts.unmatchedSpecz);
    expect(qa.sky.note).toBeUndefined();
    expect(qa.redshift.counts.reduce((a, b) => a + b, 0)).toBe(result.counts.written);
    expect(qa.separationArcsec.edges.at(-1)).toBeLessThanOrEqual(project().crossmatch.radiusArcsec);
    expect(qa.magnitudes.map((m) => m.band)).toEqual(['u', 'g', 'r', 'i', 'z', 'y']);
    expect(qa.magnitudes[1].column).toBe('mag_dered_cmodel_g');
    expect(qa.colourVsRedshift?.label).toBe('g-r');
    expect(qa.sky.unmatchedIncludesDropped).toBeUndefined();
  });

  it('says how much of the output and spec-z it has read, to each page asking, up to all', async () => {
    const rowsOut = result.counts.written;
    const rowsIn = result.counts.speczIn;
    const counted = { ...record, id: 'r-progress', counts: { ...counts(), rowsIn, rowsOut } };
    const engine = createResultsEngine(async () => dir);
    const first: number[] = [];
    const second: number[] = [];
    const [a, b] = await Promise.all([
      engine.qa(counted, (f) => first.push(f)),
      engine.qa(counted, (f) => second.push(f)),
    ]);
    expect(a).toBe(b);
    // the output's rows, then the spec-z catalog's (one batch each here)
    expect(first).toEqual([rowsOut / (rowsOut + rowsIn), 1]);
    expect(second).toEqual(first);
    // a finished computation is not told again
    const later: number[] = [];
    await engine.qa(counted, (f) => later.push(f));
    expect(later).toEqual([]);
  });

  it('says when the spec-z missing from the output include rows dropped as duplicates', async () => {
    const counts = {
      rowsIn: 80,
      matched: 40,
      unmatched: 40,
      duplicatesResolved: 3,
      train: 0,
      test: 0,
      rowsOut: 37,
    };
    const qa = await createResultsEngine(async () => dir).qa({ ...record, id: 'r-dup', counts });
    expect(qa.sky.unmatchedIncludesDropped).toBe(true);
  });
});

describe('results of a run whose spec-z file gives ra/dec in radians', () => {
  it('show the same sky as the run in degrees (the output names them ra/dec, in degrees)', async () => {
    const degrees = await readParquetFile(SPECZ);
    const columns: Record<string, Vector> = {};
    const radians = (name: string) =>
      vectorFromArray(
        Float64Array.from(
          degrees.getChild(name)!.toArray() as Float64Array,
          (v) => (v * Math.PI) / 180,
        ),
      );
    for (const f of degrees.schema.fields) {
      if (f.name === 'ra' || f.name === 'dec') columns[`${f.name}_rad`] = radians(f.name);
      else columns[f.name] = degrees.getChild(f.name)!;
    }
    const file = join(dir, 'specz_rad.parquet');
    writeFileSync(file, tableToParquetBytes(new Table(columns)));
    const base = record.project;
    const project = {
      ...base,
      name: 'radians',
      specz: {
        ...base.specz,
        path: file,
        columns: { ...base.specz.columns, ra: 'ra_rad', dec: 'dec_rad' },
      },
      output: { ...base.output, folder: join(dir, 'out-rad') },
    };
    const startedAt = new Date().toISOString();
    const run = await runTrainingSet(project, { workers: 0, dataDir: dir, baseDir: dir });
    expect(run.speczColumns).toMatchObject({ ra: 'ra', dec: 'dec' });
    const rad: RunRecord = {
      ...record,
      id: 'r-rad',
      startedAt,
      project,
      outputDir: join(dir, 'out-rad'),
      outputPath: run.outputPath,
      speczColumns: { ra: 'ra', dec: 'dec', z: run.speczColumns.z },
    };
    const engine = createResultsEngine(async () => dir);
    const [qa, deg] = await Promise.all([engine.qa(rad), engine.qa(record)]);
    expect(qa.sky.note).toBeUndefined();
    expect(qa.sky.matchedCount).toBe(deg.sky.matchedCount);
    expect(qa.sky.unmatchedCount).toBe(deg.sky.unmatchedCount);
    expect(qa.sky.matched).toHaveLength(deg.sky.matched.length);
    const sorted = (points: [number, number][]) =>
      [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const unmatched = sorted(qa.sky.unmatched);
    sorted(deg.sky.unmatched).forEach(([ra, dec], k) => {
      expect(unmatched[k][0]).toBeCloseTo(ra, 9);
      expect(unmatched[k][1]).toBeCloseTo(dec, 9);
    });
    expect(unmatched.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('results of a run whose spec-z catalog is gone', () => {
  it("are read from the run's own output; only the unmatched spec-z are missing, and said so", async () => {
    const gone = join(dir, 'deleted-specz.parquet');
    const orphan: RunRecord = {
      ...record,
      id: 'r-orphan',
      project: { ...record.project, specz: { ...record.project.specz, path: gone } },
    };
    const qa = await createResultsEngine(async () => dir).qa(orphan);
    expect(qa.sky.matched).toHaveLength(result.counts.matchedSpecz);
    expect(qa.sky.matchedCount).toBe(result.counts.matchedRows);
    expect(qa.sky.unmatched).toEqual([]);
    expect(qa.sky.unmatchedCount).toBeNull();
    expect(qa.sky.note).toMatch(
      new RegExp(
        `^The unmatched spec-z are not shown: the spec-z file ${gone} can no longer be read \\(.*ENOENT`,
      ),
    );
    expect(qa.redshift.counts.reduce((a, b) => a + b, 0)).toBe(result.counts.written);
    const registered: RunRecord = {
      ...orphan,
      id: 'r-orphan-registered',
      project: {
        ...record.project,
        specz: { ...record.project.specz, path: null, catalogId: 'deleted_catalog' },
      },
    };
    const qa2 = await createResultsEngine(async () => dir).qa(registered);
    expect(qa2.sky.note).toMatch(
      /^The unmatched spec-z are not shown: the spec-z catalog 'deleted_catalog' can no longer be read/,
    );
  });
});

describe('results of a run whose registered spec-z catalog was copied (a data folder restored) after it', () => {
  it('show the unmatched spec-z: the catalog was registered before the run', async () => {
    await registerSpeczCatalog(SPECZ, { dataDir: dir, name: 'restored' });
    const catalogDir = join(dir, 'catalogs', 'restored');
    const { registeredAt } = JSON.parse(
      readFileSync(join(catalogDir, 'registration.json'), 'utf8'),
    ) as { registeredAt: string };
    const run: RunRecord = {
      ...record,
      id: 'r-restored',
      startedAt: new Date(Date.parse(registeredAt) + 1000).toISOString(),
      project: {
        ...record.project,
        specz: { ...record.project.specz, path: null, catalogId: 'restored' },
      },
    };
    // `cp -r` of the data folder: the files have the copy's time, a minute after the run
    const copied = new Date(Date.now() + 60_000);
    utimesSync(catalogDir, copied, copied);
    const qa = await createResultsEngine(async () => dir).qa(run);
    expect(qa.sky.note).toBeUndefined();
    expect(qa.sky.unmatched).toHaveLength(result.counts.unmatchedSpecz);
    expect(qa.sky.unmatchedCount).toBe(result.counts.unmatchedSpecz);
    // registered after the run started: another catalog of that name, as before
    const earlier: RunRecord = {
      ...run,
      id: 'r-before-registration',
      startedAt: new Date(Date.parse(registeredAt) - 1000).toISOString(),
    };
    const qa2 = await createResultsEngine(async () => dir).qa(earlier);
    expect(qa2.sky.note).toBe(
      "The unmatched spec-z are not shown: the spec-z catalog 'restored' was registered again after this run.",
    );
  });
});

describe('results of a run whose spec-z file was written again after it', () => {
  it("leave the unmatched spec-z out rather than show another file's", async () => {
    const copy = join(dir, 'specz-copy.parquet');
    copyFileSync(SPECZ, copy);
    const later: RunRecord = {
      ...record,
      id: 'r-rewritten',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      project: { ...record.project, specz: { ...record.project.specz, path: copy } },
    };
    const qa = await createResultsEngine(async () => dir).qa(later);
    expect(qa.sky.note).toBe(
      `The unmatched spec-z are not shown: the spec-z file ${copy} was written again after this run.`,
    );
    expect(qa.sky.unmatchedCount).toBeNull();
    expect(qa.sky.matchedCount).toBe(result.counts.matchedRows);
  });
});

const project = () => record.project;
/** Run counts of a record (the test's record has none; their rowsOut sizes the progress). */
const counts = () => ({
  rowsIn: 0,
  matched: 0,
  unmatched: 0,
  duplicatesResolved: 0,
  train: 0,
  test: 0,
  rowsOut: 0,
});

describe('reading a CSV output back', () => {
  it('gives the same rows as the Parquet output of the same project and seed', async () => {
    const csvProject = {
      ...record.project,
      output: { format: 'csv' as const, folder: join(dir, 'csv') },
    };
    const csv = await runTrainingSet(csvProject, { workers: 0, dataDir: dir, baseDir: dir });
    const fromCsv = await readPage(csv.outputPath, 0, 1000);
    const fromParquet = await readPage(result.outputPath, 0, 1000);
    expect(fromCsv.total).toBe(fromParquet.total);
    expect(fromCsv.columns).toEqual(fromParquet.columns);
    for (const name of ['z', 'ra', '_dist_arcsec', 'is_training_set']) {
      const c = fromCsv.columns.indexOf(name);
      const p = fromParquet.columns.indexOf(name);
      const csvValues = fromCsv.rows.map((r) => Number(r[c]));
      const parquetValues = fromParquet.rows.map((r) => Number(r[p]));
      csvValues.forEach((v, i) => expect(v).toBeCloseTo(parquetValues[i], 9));
    }
  });
});

/**
 * The QA data as the results page computed it before it read only the plotted columns: every
 * column of every row of the output, read once for the positions the output holds and twice more
 * for the plots (computeQa given the unmatched spec-z sample, as then).
 */
async function qaByFullRead(run: RunRecord): Promise<QaData> {
  const path = run.outputPath!;
  const specz = run.speczColumns!;
  const seen = new PositionSet(0);
  for await (const t of readTableBatches(path)) {
    const ra = t.getChild(specz.ra)!;
    const dec = t.getChild(specz.dec)!;
    for (let i = 0; i < t.numRows; i++) seen.add(Number(ra.get(i)), Number(dec.get(i)));
  }
  const speczTable = await readParquetFile(SPECZ);
  const ra = speczTable.getChild('ra')!;
  const dec = speczTable.getChild('dec')!;
  const sample = new Reservoir(MAX_PLOT_POINTS, 2);
  for (let i = 0; i < speczTable.numRows; i++) {
    if (!seen.has(ra.get(i) as number, dec.get(i) as number)) sample.add(ra.get(i), dec.get(i));
  }
  return computeQa(() => readTableBatches(path), specz, {
    points: sample.points,
    count: sample.count,
  });
}

describe('the plots of an output in each format', () => {
  it.each(['parquet', 'csv', 'fits', 'hdf5', 'hats'] as const)(
    'are those of every column read (%s), from the plotted columns only',
    async (format) => {
      const project = {
        ...record.project,
        output: { format, folder: join(dir, `qa-${format}`) },
      };
      const run = await runTrainingSet(project, { workers: 0, dataDir: dir, baseDir: dir });
      const formatRecord: RunRecord = {
        ...record,
        id: `r-${format}`,
        project,
        outputPath: run.outputPath,
        speczColumns: run.speczColumns,
      };
      const qa = await createResultsEngine(async () => dir).qa(formatRecord);
      expect(qa.sky.matchedCount).toBe(result.counts.matchedRows);
      expect(qa.sky.unmatchedCount).toBe(result.counts.unmatchedSpecz);
      // computed in a worker thread: the same data, to the byte, as main computes them
      expect(JSON.stringify(qa)).toBe(JSON.stringify(await qaByFullRead(formatRecord)));
    },
    60_000,
  );
});

describe("the plots' data kept in the run's folder", () => {
  it('are read back by the next opening while the output is the same, and made again when not', async () => {
    const runDir = join(dir, 'runs', 'r-cache');
    mkdirSync(runDir, { recursive: true });
    const output = join(runDir, 'out.parquet');
    copyFileSync(result.outputPath, output);
    const run: RunRecord = { ...record, id: 'r-cache', outputDir: runDir, outputPath: output };
    const cacheFile = join(runDir, 'qa-cache.json');
    const fresh = await createResultsEngine(async () => dir).qa(run);
    const kept = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(kept.version).toBe(QA_CACHE_VERSION);
    expect(kept.qa).toEqual(fresh);
    expect(JSON.parse(kept.key)).toMatchObject({
      output,
      stamp: { size: statSync(output).size, mtimeMs: statSync(output).mtimeMs },
      specz: SPECZ,
    });
    // the next opening (another app session) takes the kept data: the output is not read
    kept.qa.sky.matchedCount = 123_456;
    writeFileSync(cacheFile, JSON.stringify(kept));
    const next = await createResultsEngine(async () => dir).qa(run);
    expect(next.sky.matchedCount).toBe(123_456);
    // written again (another run into the folder): the kept data are stale, made again and kept
    const later = new Date(statSync(output).mtimeMs + 5_000);
    utimesSync(output, later, later);
    expect(await createResultsEngine(async () => dir).qa(run)).toEqual(fresh);
    const rewritten = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(rewritten.qa.sky.matchedCount).toBe(fresh.sky.matchedCount);
    expect(JSON.parse(rewritten.key).stamp.mtimeMs).toBe(statSync(output).mtimeMs);
    // a file that is not the app's (cut short, edited wrong, of another version) is made again
    for (const bad of [
      JSON.stringify(rewritten).slice(0, 500),
      JSON.stringify({ ...rewritten, version: 0 }),
      JSON.stringify({
        ...rewritten,
        qa: { ...rewritten.qa, redshift: { edges: [0], counts: [1] } },
      }),
      JSON.stringify({
        ...rewritten,
        qa: { ...rewritten.qa, sky: { ...rewritten.qa.sky, matchedCount: -1 } },
      }),
    ]) {
      writeFileSync(cacheFile, bad);
      expect(await createResultsEngine(async () => dir).qa(run)).toEqual(fresh);
      expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toEqual(rewritten);
    }
  });

  it('are made again when the spec-z file was written again after them (its unmatched rows go)', async () => {
    const runDir = join(dir, 'runs', 'r-cache-specz');
    mkdirSync(runDir, { recursive: true });
    const specz = join(runDir, 'specz.parquet');
    copyFileSync(SPECZ, specz);
    const run: RunRecord = {
      ...record,
      id: 'r-cache-specz',
      startedAt: new Date(Date.now() + 60_000).toISOString(),
      project: { ...record.project, specz: { ...record.project.specz, path: specz } },
    };
    const before = await createResultsEngine(async () => dir).qa(run);
    expect(before.sky.unmatchedCount).toBe(result.counts.unmatchedSpecz);
    const later = new Date(Date.now() + 120_000);
    utimesSync(specz, later, later);
    const after = await createResultsEngine(async () => dir).qa(run);
    expect(after.sky.unmatchedCount).toBeNull();
    expect(after.sky.note).toBe(
      `The unmatched spec-z are not shown: the spec-z file ${specz} was written again after this run.`,
    );
  });

  it('are not kept for a run without a folder in the data folder', async () => {
    const run: RunRecord = { ...record, id: 'r-no-folder' };
    await createResultsEngine(async () => dir).qa(run);
    expect(existsSync(join(dir, 'runs', 'r-no-folder'))).toBe(false);
  });
});

describe("the plots' data of a run whose registered spec-z catalog moves, in one app session", () => {
  /** A run of the test's output in a folder of its own, its spec-z a catalog registered as `name`. */
  async function registeredRun(id: string, name: string) {
    const runDir = join(dir, 'runs', id);
    mkdirSync(runDir, { recursive: true });
    const output = join(runDir, 'out.parquet');
    copyFileSync(result.outputPath, output);
    await registerSpeczCatalog(SPECZ, { dataDir: dir, name });
    const catalogDir = join(dir, 'catalogs', name);
    const { registeredAt } = JSON.parse(
      readFileSync(join(catalogDir, 'registration.json'), 'utf8'),
    ) as { registeredAt: string };
    const run: RunRecord = {
      ...record,
      id,
      // started as it was registered: a catalog registered again later is another one
      startedAt: registeredAt,
      outputDir: runDir,
      outputPath: output,
      project: {
        ...record.project,
        specz: { ...record.project.specz, path: null, catalogId: name },
      },
    };
    return { run, catalogDir, away: join(dir, `${name}-moved-away`) };
  }
  const unreadable = (name: string) =>
    new RegExp(
      `^The unmatched spec-z are not shown: the spec-z catalog '${name}' can no longer be read`,
    );
  /** The part of the data that depends on the spec-z catalog. */
  const skyOf = (qa: QaData) => ({
    note: qa.sky.note,
    unmatched: qa.sky.unmatched.length,
    unmatchedCount: qa.sky.unmatchedCount,
  });
  const shown = () => ({
    note: undefined,
    unmatched: result.counts.unmatchedSpecz,
    unmatchedCount: result.counts.unmatchedSpecz,
  });

  it('are of the catalog as it is at each opening: moved away, moved back, registered again', async () => {
    const { run, catalogDir, away } = await registeredRun('r-session', 'session');
    // one engine, as the app keeps for its whole session (the e2e tests' web bridge too)
    const engine = createResultsEngine(async () => dir);
    expect(skyOf(await engine.qa(run))).toEqual(shown());
    renameSync(catalogDir, away);
    const gone = await engine.qa(run);
    expect(gone.sky.note).toMatch(unreadable('session'));
    expect(gone.sky.unmatchedCount).toBeNull();
    expect(gone.sky.matchedCount).toBe(result.counts.matchedRows);
    renameSync(away, catalogDir);
    expect(skyOf(await engine.qa(run))).toEqual(shown());
    // deleted and registered again under its name: another catalog, whatever its rows
    rmSync(catalogDir, { recursive: true });
    await registerSpeczCatalog(SPECZ, { dataDir: dir, name: 'session' });
    expect((await engine.qa(run)).sky.note).toBe(
      "The unmatched spec-z are not shown: the spec-z catalog 'session' was registered again after this run.",
    );
  });

  it("are made again when a partition file leaves the catalog's folders (its folder's time is the same)", async () => {
    const { run, catalogDir, away } = await registeredRun('r-partition', 'partition');
    expect(skyOf(await createResultsEngine(async () => dir).qa(run))).toEqual(shown());
    const partition = readdirSync(catalogDir, { recursive: true, encoding: 'utf8' }).find((f) =>
      /Npix=\d+\.parquet$/.test(f),
    )!;
    const folderTime = statSync(catalogDir).mtimeMs;
    renameSync(join(catalogDir, partition), away);
    expect(statSync(catalogDir).mtimeMs).toBe(folderTime);
    // another app session: the data kept in the run's folder are not this catalog's now
    expect((await createResultsEngine(async () => dir).qa(run)).sky.note).toMatch(
      unreadable('partition'),
    );
    renameSync(away, join(catalogDir, partition));
    expect(skyOf(await createResultsEngine(async () => dir).qa(run))).toEqual(shown());
  });

  it('are not kept when the catalog moved while they were computed (its data are not those once it is back)', async () => {
    const { run, catalogDir, away } = await registeredRun('r-moved-meanwhile', 'meanwhile');
    let computed = 0;
    // the catalog moved away after the opening looked at it, before the thread read it
    const movingAway: ComputeRunQa = (...args) => {
      computed++;
      if (computed === 1) renameSync(catalogDir, away);
      return computeRunQaInWorker(...args);
    };
    const engine = createResultsEngine(async () => dir, movingAway);
    // one opening: a second one at once could look at the files after the move and rightly
    // compute its own (sharing is tested above, 'says how much of the output ...')
    const a = await engine.qa(run);
    expect(computed).toBe(1);
    expect(a.sky.note).toMatch(unreadable('meanwhile'));
    expect(existsSync(join(dir, 'runs', run.id, 'qa-cache.json'))).toBe(false);
    renameSync(away, catalogDir);
    // back: the same session and the next one show its unmatched spec-z
    expect(skyOf(await engine.qa(run))).toEqual(shown());
    expect(computed).toBe(2);
    expect(skyOf(await createResultsEngine(async () => dir).qa(run))).toEqual(shown());
    // and keep them: the next opening reads no catalog
    await engine.qa(run);
    await createResultsEngine(async () => dir, movingAway).qa(run);
    expect(computed).toBe(2);
  });

  it('of a left join are kept whatever becomes of the catalog (the output holds the unmatched rows; it is not read)', async () => {
    const { run: inner, catalogDir, away } = await registeredRun('r-left', 'left');
    const run: RunRecord = {
      ...inner,
      project: { ...inner.project, crossmatch: { ...inner.project.crossmatch, join: 'left' } },
    };
    let computed = 0;
    const counting: ComputeRunQa = (...args) => {
      computed++;
      return computeRunQaInWorker(...args);
    };
    const first = await createResultsEngine(async () => dir, counting).qa(run);
    renameSync(catalogDir, away);
    expect(await createResultsEngine(async () => dir, counting).qa(run)).toEqual(first);
    expect(computed).toBe(1);
    renameSync(away, catalogDir);
  });
});

/**
 * "No matches is a result, not a crash": a run whose spec-z rows have no photometric counterpart
 * succeeds and writes an empty training set in every output format with the full output schema.
 * The oracle for "full schema" is a normal run of the same project on spec-z that do match: the
 * empty output must have exactly its columns and types (read back with our readers), 0 rows.
 */
import { open, readFile, rm, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, vectorFromArray, type Schema, type Vector } from 'apache-arrow';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { generateSurveyCatalogs, readSpeczPositions } from '../../../compute/demo/surveys';
import { openHats } from '../../../compute/hats/open';
import { readFitsHdus } from '../../../compute/io/fits-reader';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject, type ProjectInput } from '../../../compute/pipeline/project';
import type { OutputFormat } from '../../../compute/pipeline/project-schema';
import { runTrainingSet, type RunResult } from '../../../compute/pipeline/run';

let dir: string;
let photometry: string;
/** Two spec-z rows at dec +80: far from the generated catalog (no aligned pixel at all). */
let far: string;
const SPECZ = demoSpeczPath();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-nomatch-'));
  const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed: 5,
    specz: await readSpeczPositions(SPECZ),
  });
  photometry = cats.find((c) => c.survey === 'lsst-dp1')!.path;
  far = join(dir, 'far.parquet');
  // the demo spec-z's first two rows (same columns, same order, same types), moved to dec +80
  const demo = await readParquetFile(SPECZ);
  const columns: Record<string, Vector> = {};
  for (const f of demo.schema.fields) columns[f.name] = demo.getChild(f.name)!.slice(0, 2);
  columns.ra = vectorFromArray(Float64Array.of(10, 11));
  columns.dec = vectorFromArray(Float64Array.of(80, 81));
  await writeFile(far, tableToParquetBytes(new Table(columns)));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function project(out: string, format: OutputFormat, extra: Partial<ProjectInput> = {}) {
  return parseProject(
    {
      version: 1,
      name: 'empty set',
      specz: { path: SPECZ, columns: { id: 'id' } },
      photometry: { location: photometry, dereddening: { map: 'sfd-lowres' } },
      uniqueGalaxies: { enabled: true },
      split: { seed: 3 },
      output: { folder: out, format },
      ...extra,
    },
    'test',
  );
}

// the collection's folder, as the user gave it (it named the catalog inside, <folder>/dp1_object)
const warningFor = (specz: string, radius: number) =>
  `No cross matches were found: no spec-z row of ${specz} has a photometric object of ${photometry} within ${radius} arcsec. Check that the catalogs overlap on the sky, or use a larger radius.`;

const fields = (s: Schema) => s.fields.map((f) => `${f.name}:${String(f.type)}`);

/** FITS table header: NAXIS2 and every TTYPE/TFORM. */
async function fitsColumns(path: string): Promise<{ rows: number; columns: string[] }> {
  const handle = await open(path, 'r');
  try {
    const hdus = await readFitsHdus(handle, (await handle.stat()).size, path);
    const t = hdus.find((h) => h.cards.get('XTENSION') === 'BINTABLE')!;
    const n = Number(t.cards.get('TFIELDS'));
    const columns = Array.from(
      { length: n },
      (_, k) => `${t.cards.get(`TTYPE${k + 1}`)}:${t.cards.get(`TFORM${k + 1}`)}`,
    );
    return { rows: Number(t.cards.get('NAXIS2')), columns };
  } finally {
    await handle.close();
  }
}

/** HDF5 `data` dataset: its length and compound members (name and dtype). */
async function hdf5Columns(path: string): Promise<{ rows: number; columns: string[] }> {
  await h5wasm.ready;
  const file = new h5wasm.File(path, 'r');
  try {
    const ds = file.get('data') as InstanceType<typeof h5wasm.Dataset>;
    const members = ds.metadata.compound_type!.members;
    return { rows: ds.shape![0], columns: members.map((m) => `${m.name}:${m.type}/${m.size}`) };
  } finally {
    file.close();
  }
}

/** The output as our readers see it: rows and the column names with their types. */
async function readBack(
  format: OutputFormat,
  path: string,
): Promise<{ rows: number; columns: string[] }> {
  switch (format) {
    case 'parquet': {
      const t = await readParquetFile(path);
      return { rows: t.numRows, columns: fields(t.schema) };
    }
    case 'csv': {
      const lines = (await readFile(path, 'utf8')).split('\r\n').filter((l) => l !== '');
      return { rows: lines.length - 1, columns: lines[0].split(',') };
    }
    case 'fits':
      return fitsColumns(path);
    case 'hdf5':
      return hdf5Columns(path);
    case 'hats': {
      const opened = await openHats(path);
      if (opened.kind !== 'collection') throw new Error('expected a collection');
      let rows = 0;
      for (const p of opened.main.partitions) rows += (await opened.main.readPartition(p)).numRows;
      return { rows, columns: fields(opened.main.schema) };
    }
  }
}

const FORMATS: OutputFormat[] = ['parquet', 'csv', 'fits', 'hdf5', 'hats'];

describe('a run without any cross match', () => {
  const reference = new Map<OutputFormat, { rows: number; columns: string[] }>();

  beforeAll(async () => {
    for (const format of FORMATS) {
      const r = await runTrainingSet(project(join(dir, `ref-${format}`), format), { workers: 0 });
      expect(r.counts.written).toBeGreaterThan(0);
      expect(r.warnings).toEqual([]);
      reference.set(format, await readBack(format, r.outputPath));
    }
  }, 120_000);

  it.each(FORMATS)(
    '%s: spec-z outside the footprint gives an empty output with every column and type',
    async (format) => {
      const out = join(dir, `far-${format}`);
      const progress: string[] = [];
      const r: RunResult = await runTrainingSet(
        project(out, format, { specz: { path: far, columns: { id: 'id' } } }),
        { workers: 0, onProgress: (p) => p.message && progress.push(p.message) },
      );
      const warning = warningFor(far, 1);
      expect(r.pixels).toBe(0);
      expect(r.warnings).toEqual([warning]);
      expect(r.counts).toMatchObject({
        speczIn: 2,
        matchedRows: 0,
        matchedSpecz: 0,
        unmatchedSpecz: 2,
        written: 0,
        train: 0,
        test: 0,
      });
      expect(progress).toContain(`Warning: ${warning}`);
      const back = await readBack(format, r.outputPath);
      expect(back.rows).toBe(0);
      expect(back.columns).toEqual(reference.get(format)!.columns);
      expect(r.columns).toEqual(reference.get('parquet')!.columns.map((c) => c.split(':')[0]));
      // the run record says what happened
      const record = JSON.parse(await readFile(r.runJsonPath, 'utf8'));
      expect(record.status).toBe('done');
      expect(record.warnings).toEqual([warning]);
      expect(record.counts).toMatchObject({ matchedRows: 0, written: 0 });
      expect(record.output.columns).toEqual(r.columns);
      // nothing partial left beside the output
      expect((await readdir(out)).filter((n) => n.includes('partial'))).toEqual([]);
    },
    60_000,
  );

  it('spec-z inside the footprint but beyond the radius: the same empty schema, with workers', async () => {
    const radius = 1e-5;
    const r = await runTrainingSet(
      project(join(dir, 'tiny'), 'parquet', { crossmatch: { radiusArcsec: radius } }),
      { workers: 1 },
    );
    expect(r.pixels).toBeGreaterThan(0);
    expect(r.counts).toMatchObject({ speczIn: 80, matchedRows: 0, written: 0 });
    expect(r.warnings).toEqual([warningFor(SPECZ, radius)]);
    const back = await readBack('parquet', r.outputPath);
    expect(back).toEqual({ rows: 0, columns: reference.get('parquet')!.columns });
  }, 60_000);

  it('a left join keeps every spec-z row (no photometry) and warns the same way', async () => {
    const r = await runTrainingSet(
      project(join(dir, 'left'), 'parquet', {
        specz: { path: far, columns: { id: 'id' } },
        crossmatch: { join: 'left' },
      }),
      { workers: 0 },
    );
    expect(r.counts).toMatchObject({ matchedRows: 0, written: 2, unmatchedSpecz: 2 });
    expect(r.warnings).toEqual([warningFor(far, 1)]);
    const t = await readParquetFile(r.outputPath);
    expect(t.numRows).toBe(2);
    expect(t.getChild('_dist_arcsec')!.nullCount).toBe(2);
  }, 60_000);
});

/**
 * A spec-z file with column names beyond ASCII ('désignation', 'Δz') written as FITS: a FITS
 * header holds printable ASCII only, and the names came out as 'd?signation' and '?z' without a
 * word. The run now says so (summary and run.json warnings), naming each column and what it
 * became; the other formats keep the names and warn about nothing.
 */
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, vectorFromArray, type Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpeczPath } from '../../../compute/demo/demo';
import { generateSurveyCatalogs, readSpeczPositions } from '../../../compute/demo/surveys';
import { readFitsHdus } from '../../../compute/io/fits-reader';
import { readParquetFile, tableToParquetBytes } from '../../../compute/io/parquet-file';
import { parseProject } from '../../../compute/pipeline/project';
import type { OutputFormat } from '../../../compute/pipeline/project-schema';
import { runTrainingSet } from '../../../compute/pipeline/run';

let dir: string;
let photometry: string;
let specz: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-fits-names-'));
  const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
    seed: 5,
    specz: await readSpeczPositions(demoSpeczPath()),
  });
  photometry = cats.find((c) => c.survey === 'lsst-dp1')!.path;
  // the demo spec-z with two more columns named in Latin-1 and Greek letters
  const demo = await readParquetFile(demoSpeczPath());
  const columns: Record<string, Vector> = {};
  for (const f of demo.schema.fields) columns[f.name] = demo.getChild(f.name)!;
  columns['désignation'] = vectorFromArray(Array.from({ length: demo.numRows }, (_, i) => `g${i}`));
  columns['Δz'] = vectorFromArray(new Float64Array(demo.numRows).fill(0.001));
  specz = join(dir, 'specz.parquet');
  await writeFile(specz, tableToParquetBytes(new Table(columns)));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (format: OutputFormat) =>
  runTrainingSet(
    parseProject(
      {
        version: 1,
        name: 'names',
        specz: { path: specz, columns: { id: 'id' } },
        photometry: { location: photometry, dereddening: { map: 'none' } },
        split: { seed: 3 },
        output: { folder: join(dir, format), format },
      },
      'test',
    ),
    { workers: 0 },
  );

describe('FITS output of non-ASCII column names', () => {
  it('warns, naming each column and the name written', async () => {
    const r = await run('fits');
    expect(r.counts.written).toBeGreaterThan(0);
    expect(r.warnings).toEqual([
      "FITS column names are ASCII only, so 2 columns are written under another name: 'désignation' as 'd?signation', 'Δz' as '?z'. Rename them in the spec-z file, or choose another format (parquet, csv, hdf5 or hats keep the names).",
    ]);
    const handle = await open(r.outputPath, 'r');
    try {
      const hdus = await readFitsHdus(handle, (await handle.stat()).size, r.outputPath);
      const table = hdus.find((h) => h.cards.get('XTENSION') === 'BINTABLE')!;
      const names = Array.from({ length: Number(table.cards.get('TFIELDS')) }, (_, k) =>
        table.cards.get(`TTYPE${k + 1}`),
      );
      expect(names).toContain('d?signation');
      expect(names).toContain('?z');
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('says nothing in Parquet, which keeps the names', async () => {
    const r = await run('parquet');
    expect(r.warnings).toEqual([]);
    const names = (await readParquetFile(r.outputPath)).schema.fields.map((f) => f.name);
    expect(names).toContain('désignation');
    expect(names).toContain('Δz');
  }, 60_000);
});

/**
 * `tsm run --specz FILE` reads FITS and HDF5 spec-z files directly (compute/io's readers), like
 * CSV and Parquet: the same spec-z table written by compute/io's writers in four formats gives the
 * same training set (row count, pairs, distances) against a generated DES DR2 catalog.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Field, Float64, List, Table, tableFromArrays, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, type GeneratedCatalog } from '../../../compute/demo/surveys';
import { createTableWriter } from '../../../compute/io/create-table-writer';
import { readParquetFile } from '../../../compute/io/parquet-file';
import type { OutputFormat } from '../../../compute/io/table-writer';
import { readSpeczTable } from '../../../compute/pipeline/specz-source';
import { parseProject } from '../../../compute/pipeline/project';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { PROJECT_ROOT } from '../../fixtures';

const exec = promisify(execFile);
const FITS_FIXTURES = join(PROJECT_ROOT, 'test', 'compute', 'io', 'fixtures');
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

/** 60 spec-z positions in a 2x2 degree field (deterministic). */
function speczTable(): Table {
  let seed = 1234;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const n = 60;
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  const z = new Float64Array(n);
  const flag = new Int32Array(n);
  const id: string[] = [];
  for (let i = 0; i < n; i++) {
    id.push(`g${i}`);
    ra[i] = 150 + 2 * rand();
    dec[i] = 1 + 2 * rand();
    z[i] = Math.round(rand() * 2000) / 1000;
    flag[i] = rand() < 0.5 ? 3 : 4;
  }
  return tableFromArrays({ id, ra, dec, z, z_flag: flag });
}

type Row = Record<string, unknown>;
const key = (r: Row) => `${String(r.id)}>${String(r.COADD_OBJECT_ID)}`;

describe('tsm run --specz with FITS and HDF5 files', () => {
  let dir: string;
  let des: GeneratedCatalog;
  const table = speczTable();
  const files: Partial<Record<OutputFormat, string>> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-specz-formats-'));
    for (const [format, ext] of [
      ['csv', 'csv'],
      ['parquet', 'parquet'],
      ['fits', 'fits'],
      ['hdf5', 'h5'],
    ] as const) {
      const path = join(dir, `specz.${ext}`);
      const writer = createTableWriter(format, path);
      await writer.write(table);
      await writer.close();
      files[format] = path;
    }
    const catalogs = await generateSurveyCatalogs(join(dir, 'catalogs'), {
      seed: 3,
      specz: {
        raDeg: Array.from(table.getChild('ra')!.toArray() as Float64Array),
        decDeg: Array.from(table.getChild('dec')!.toArray() as Float64Array),
      },
      rows: 200,
    });
    des = catalogs.find((c) => c.survey === 'des-dr2')!;
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the four files back to the same values', async () => {
    for (const path of Object.values(files)) {
      const t = await readSpeczTable(path);
      expect(t.numRows).toBe(60);
      for (const c of ['ra', 'dec', 'z']) {
        expect(Array.from(t.getChild(c)!.toArray() as ArrayLike<number>, Number)).toEqual(
          Array.from(table.getChild(c)!.toArray() as Float64Array),
        );
      }
      expect(t.getChild('id')!.toArray()).toEqual(table.getChild('id')!.toArray());
    }
  });

  it('gives the same rows from CSV, Parquet, FITS and HDF5 spec-z files', async () => {
    const results: Record<string, Row[]> = {};
    for (const [format, path] of Object.entries(files)) {
      const out = join(dir, `out-${format}`);
      const r = await exec(
        process.execPath,
        [
          CLI,
          'run',
          '--specz',
          path,
          '--photometry',
          des.path,
          '--id',
          'id',
          '--z-flag',
          'z_flag',
          '--dereddening',
          'none',
          '--seed',
          '9',
          '--out',
          out,
          '--progress',
          'none',
          '--workers',
          '0',
        ],
        { cwd: dir },
      );
      expect(r.stdout).toContain('rows written');
      const t = await readParquetFile(join(out, 'tsm.parquet'));
      results[format] = t.toArray().map((row) => ({ ...(row.toJSON() as Row) }));
    }
    const reference = results.parquet;
    // the generator plants a counterpart for most positions: a real, non-trivial match count
    const planted = new Set(Array.from(des.counterpartOf).filter((i) => i >= 0)).size;
    expect(reference.length).toBeGreaterThan(planted / 2);
    expect(reference.length).toBeLessThanOrEqual(60);
    for (const format of ['csv', 'fits', 'hdf5']) {
      const rows = results[format];
      expect(rows, format).toHaveLength(reference.length);
      expect(rows.map(key).sort(), format).toEqual(reference.map(key).sort());
      const dist = new Map(reference.map((r) => [key(r), Number(r._dist_arcsec)]));
      for (const r of rows) expect(Number(r._dist_arcsec)).toBeCloseTo(dist.get(key(r))!, 9);
    }
  }, 120_000);

  // tsm register rejects these rows; a file read as it is keeps them, and now says so
  // an infinite z ('inf' in the text) was not counted: register rejects it as not numeric
  it('warns about redshifts that are negative, infinite or no number and about repeated ids in a file', async () => {
    const csv = join(dir, 'flawed.csv');
    const ra = table.getChild('ra')!.toArray() as Float64Array;
    const dec = table.getChild('dec')!.toArray() as Float64Array;
    // and a header naming z twice (register's report said so; tsm run did not)
    const lines = ['id,ra,dec,z,z'];
    for (let i = 0; i < 10; i++) {
      const z = i === 0 ? '-1' : i === 5 ? 'nan' : i === 7 ? 'inf' : '0.5';
      lines.push(`${i === 2 ? 'g4' : `g${i}`},${ra[i]},${dec[i]},${z},9`);
    }
    await writeFile(csv, `${lines.join('\n')}\n`);
    const project = parseProject(
      {
        version: 1,
        name: 'flawed',
        specz: { path: csv, columns: { id: 'id' } },
        photometry: { location: des.path, dereddening: { map: 'none' } },
        crossmatch: { join: 'left' },
        split: { seed: 1 },
        output: { folder: join(dir, 'out-flawed') },
      },
      'flawed.tsm.json',
    );
    const result = await runTrainingSet(project, { workers: 0 });
    expect(result.counts.written).toBe(10); // kept: a left join writes every spec-z row
    expect(result.warnings).toEqual([
      `${csv}: columns 4 and 5 are both named 'z'; column 5 is read as 'z_5'. Rename one of them in the file if column 5 is the one to use.`,
      `${csv}: 3 rows have a redshift that is negative, infinite or no number in column 'z' (lines 2, 7, 9); they are in the training set as they are: register the file (tsm register, or the app's Catalogs page) to leave them out`,
      `${csv}: 1 row repeats an id of column 'id' used by an earlier row; the rows of one id are one spec-z object for the split and unique galaxies: register the file to keep only the first`,
    ]);
  });

  // a Parquet file of numbers stored as text: z came out as text, with a false warning
  it('reads ra, dec, z and z_err stored as numeric text as numbers, as tsm register does', async () => {
    const n = table.numRows;
    const text = (c: string) =>
      vectorFromArray(
        Array.from(table.getChild(c)!.toArray() as Float64Array, (v) => String(v)),
        new Utf8(),
      );
    const zErr = Array.from({ length: n }, (_, i) => 0.001 * (i + 1));
    const textual = new Table({
      id: table.getChild('id')!,
      ra: text('ra'),
      dec: text('dec'),
      z: text('z'),
      z_err: vectorFromArray(zErr.map(String), new Utf8()),
    });
    const path = join(dir, 'text-numbers.parquet');
    const writer = createTableWriter('parquet', path);
    await writer.write(textual);
    await writer.close();
    expect(textual.getChild('z')!.type.toString()).toBe('Utf8');
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'text',
          specz: { path, columns: { id: 'id', zErr: 'z_err' } },
          photometry: { location: des.path, dereddening: { map: 'none' } },
          crossmatch: { join: 'left' },
          split: { seed: 1 },
          output: { folder: join(dir, 'out-text') },
        },
        'text.tsm.json',
      ),
      { workers: 0 },
    );
    expect(result.warnings.filter((w) => /redshift/.test(w))).toEqual([]);
    const out = await readParquetFile(join(dir, 'out-text', 'text.parquet'));
    expect(out.numRows).toBe(n);
    expect(out.getChild('z')!.type.toString()).toBe('Float64');
    expect(out.getChild('z_err')!.type.toString()).toBe('Float64');
    const zOf = new Map(
      Array.from({ length: n }, (_, i) => [
        String(table.getChild('id')!.get(i)),
        [Number(table.getChild('z')!.get(i)), zErr[i]],
      ]),
    );
    for (let i = 0; i < out.numRows; i++) {
      const [z, err] = zOf.get(String(out.getChild('id')!.get(i)))!;
      expect(out.getChild('z')!.get(i)).toBe(z);
      expect(out.getChild('z_err')!.get(i)).toBe(err);
    }
  });

  // the FITS writer refused it after the whole crossmatch, pointing at --columns (photometric)
  it('refuses, before the crossmatch, a spec-z list column that FITS or HDF5 output cannot store', async () => {
    const n = table.numRows;
    const withList = new Table({
      ...Object.fromEntries(table.schema.fields.map((f) => [f.name, table.getChild(f.name)!])),
      mags: vectorFromArray(
        Array.from({ length: n }, (_, i) => [i, i + 0.5]),
        new List(new Field('item', new Float64(), true)),
      ),
    });
    const path = join(dir, 'with-list.parquet');
    const writer = createTableWriter('parquet', path);
    await writer.write(withList);
    await writer.close();
    for (const [format, label] of [
      ['fits', 'FITS'],
      ['hdf5', 'HDF5'],
    ] as const) {
      const stages: string[] = [];
      await expect(
        runTrainingSet(
          parseProject(
            {
              version: 1,
              name: `list ${format}`,
              specz: { path },
              photometry: { location: des.path, dereddening: { map: 'none' } },
              split: { seed: 1 },
              output: { folder: join(dir, `out-list-${format}`), format },
            },
            'list.tsm.json',
          ),
          { workers: 0, onProgress: (p) => stages.push(p.stage) },
        ),
      ).rejects.toThrow(
        `the spec-z column 'mags' has type List<Float64>, which ${label} output cannot store (one number or text a cell): write Parquet, CSV or HATS, or remove it from the spec-z file`,
      );
      expect(stages).not.toContain('crossmatch');
    }
  });

  // tsm register tells radians by the column names; tsm run read them as degrees (0 matches)
  it('reads radians named so (ra_rad) and sexagesimal text as tsm register does, and says so', async () => {
    const ra = table.getChild('ra')!.toArray() as Float64Array;
    const dec = table.getChild('dec')!.toArray() as Float64Array;
    const rad = join(dir, 'radians.csv');
    const sexa = join(dir, 'sexagesimal.csv');
    const hms = (deg: number, hours: boolean) => {
      const sign = deg < 0 ? '-' : '+';
      let v = (Math.abs(deg) / (hours ? 15 : 1)) * 3600;
      const a = Math.floor(v / 3600);
      v -= a * 3600;
      const b = Math.floor(v / 60);
      const c = (v - b * 60).toFixed(4);
      return `${hours ? '' : sign}${a}:${b}:${c}`;
    };
    const rows = (f: (i: number) => string) =>
      Array.from({ length: 60 }, (_, i) => f(i)).join('\n');
    await writeFile(
      rad,
      `id,ra_rad,dec_rad,z\n${rows((i) => `g${i},${(ra[i] * Math.PI) / 180},${(dec[i] * Math.PI) / 180},0.5`)}\n`,
    );
    await writeFile(
      sexa,
      `id,ra,dec,z\n${rows((i) => `g${i},${hms(ra[i], true)},${hms(dec[i], false)},0.5`)}\n`,
    );
    const run = (path: string, raCol: string, decCol: string, name: string) =>
      runTrainingSet(
        parseProject(
          {
            version: 1,
            name,
            specz: { path, columns: { id: 'id', ra: raCol, dec: decCol } },
            photometry: { location: des.path, dereddening: { map: 'none' } },
            split: { seed: 1 },
            output: { folder: join(dir, `out-${name}`) },
          },
          `${name}.tsm.json`,
        ),
        { workers: 0 },
      );
    const degrees = await run(files.csv!, 'ra', 'dec', 'deg');
    const radians = await run(rad, 'ra_rad', 'dec_rad', 'rad');
    const text = await run(sexa, 'ra', 'dec', 'sexa');
    expect(degrees.counts.matchedSpecz).toBeGreaterThan(20);
    expect(radians.counts.matchedSpecz).toBe(degrees.counts.matchedSpecz);
    expect(text.counts.matchedSpecz).toBe(degrees.counts.matchedSpecz);
    expect(radians.warnings).toContain(
      `${rad}: ra_rad/dec_rad were read as radians and are written in degrees as ra/dec`,
    );
    expect(text.warnings).toContain(
      `${sexa}: ra/dec were read as sexagesimal text (ra in hours) and are written in degrees`,
    );
    const out = await readParquetFile(radians.outputPath);
    const first = out.get(0)!.toJSON() as Row;
    const k = Array.from({ length: 60 }, (_, i) => `g${i}`).indexOf(String(first.id));
    // named as tsm register names them, so the output reads back as degrees
    expect(first).not.toHaveProperty('ra_rad');
    expect(Number(first.ra_specz ?? first.ra)).toBeCloseTo(ra[k], 9);
  });

  // astropy's files (test/compute/io/fixtures/make_fits_fixtures.py): far from this field, so
  // the run matches nothing, but its warnings and output columns are those of the file
  const runFits = (name: string) =>
    runTrainingSet(
      parseProject(
        {
          version: 1,
          name: `fits ${name}`,
          specz: { path: join(FITS_FIXTURES, name) },
          photometry: { location: des.path, dereddening: { map: 'none' } },
          output: { folder: join(dir, `out-${name}`) },
        },
        'test',
      ),
      { workers: 0 },
    );

  it('warns about the vector columns of a FITS file it leaves out', async () => {
    const result = await runFits('astropy_vector.fits');
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/: column vec holds several values per row \(a FITS vector column\)/),
    );
  });

  it('keeps a FITS uint64 column unsigned', async () => {
    const result = await runFits('astropy_unsigned.fits');
    const t = await readParquetFile(result.outputPath);
    expect(String(t.schema.fields.find((f) => f.name === 'u64')!.type)).toBe('Uint64');
  });
});

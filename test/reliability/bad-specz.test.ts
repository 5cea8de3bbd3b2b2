/**
 * Bad spec-z inputs, through both doors: registration (`registerSpeczCatalog`, `tsm register`)
 * and a run with a spec-z file (`runTrainingSet`). Each case checks the exact message (it names
 * the file and says what to do) and that nothing was written: no registered catalog, no output,
 * no `.partial` left, the input untouched.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../compute/errors';
import { createHdf5Writer } from '../../compute/io/hdf5-writer';
import { SpeczRejectedError, registerSpeczCatalog } from '../../compute/io/specz-register';
import { parseProject } from '../../compute/pipeline/project';
import { runTrainingSet } from '../../compute/pipeline/run';
import { TSM_EXAMPLE } from '../fixtures';
import { snapshot, tempDir } from './helpers';

const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');
const { dir, cleanup } = tempDir('tsm-rel-specz-');
afterAll(cleanup);

let n = 0;
/** Writes a spec-z file in its own folder and returns its path. */
function specz(name: string, text: string | Buffer): string {
  const folder = join(dir, `case-${++n}`);
  mkdirSync(folder);
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** Registers `path`; expects a refusal with `message`, and no catalog written. */
async function refusedRegistration(path: string, message: string, options = {}) {
  const dataDir = join(dir, `data-${n}`);
  mkdirSync(dataDir);
  const input = snapshot(join(path, '..'));
  const err = await registerSpeczCatalog(path, { dataDir, ...options }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toBe(message);
  // Nothing registered, nothing half-written, the input unchanged.
  expect(Object.keys(snapshot(dataDir)).filter((p) => p !== 'catalogs/')).toEqual([]);
  expect(snapshot(join(path, '..'))).toEqual(input);
  return err as UserError;
}

/** Runs a project with `path` as spec-z; expects `message`, and nothing in the output folder. */
async function refusedRun(path: string, message: string, join_: 'inner' | 'left' = 'inner') {
  const out = join(dir, `out-${n}`);
  const project = parseProject(
    {
      version: 1,
      name: 'bad',
      specz: { path },
      photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
      crossmatch: { join: join_ },
      split: { seed: 1 },
      output: { folder: out },
    },
    'bad.tsm.json',
  );
  const err = await runTrainingSet(project, { workers: 0 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toBe(message);
  // The folder may exist (created when the plan is made) but holds nothing.
  expect(Object.keys(snapshotOrEmpty(out))).toEqual([]);
}

function snapshotOrEmpty(path: string): Record<string, string> {
  try {
    return snapshot(path);
  } catch {
    return {};
  }
}

describe('bad spec-z files', () => {
  it('empty file: "no data lines" on registration and on a run', async () => {
    const p = specz('empty.csv', '');
    await refusedRegistration(p, `${p}: no data lines (only comments or blank lines)`);
    await refusedRun(p, `${p}: no data lines (only comments or blank lines)`);
  });

  it('header without rows: "no valid rows; nothing was registered" / "the file has no rows"', async () => {
    const p = specz('header.csv', 'ra,dec,z\n');
    await refusedRegistration(p, `${p}: no valid rows; nothing was registered`);
    await refusedRun(p, `${p}: the spec-z table has no rows`);
  });

  it('wrong delimiter given: says the delimiter looks wrong', async () => {
    const p = specz('semi.csv', 'ra;dec;z\n10;20;0.1\n11;21;0.2\n');
    await refusedRegistration(
      p,
      `${p}: splitting on "," gives a single column; the delimiter looks wrong (leave it out to detect it)`,
      { delimiter: ',' },
    );
  });

  it('mixed delimiters (header ; rows ,): one column read, asks whether the delimiter is right', async () => {
    const p = specz('mixed.csv', 'ra;dec;z\n10,20,0.1\n11,21,0.2\n');
    await refusedRegistration(
      p,
      `${p}: no column found for ra, dec, z among [ra;dec;z]; name them with --ra COLUMN --dec COLUMN --z COLUMN (only one column was read: is the delimiter right?)`,
    );
  });

  it('binary junk: not text (it said "could not find a delimiter")', async () => {
    const p = specz('junk.csv', Buffer.from([0, 1, 2, 3, 255, 254, 10, 0, 0, 10]));
    await refusedRegistration(
      p,
      `${p}: is not text (it holds binary data), so not a table the app reads: give a CSV or other delimited text, Parquet, FITS or HDF5 file`,
    );
  });

  it('missing dec column: named, with the option that maps it', async () => {
    const p = specz('nodec.csv', 'ra,declination_x,z\n10,20,0.1\n');
    await refusedRegistration(
      p,
      `${p}: no column found for dec among [ra, declination_x, z]; name them with --dec COLUMN`,
    );
    await refusedRun(
      p,
      `${p}: spec-z column 'dec' (specz.columns.dec) not found; its columns are ra, declination_x, z`,
    );
  });

  it('misnamed ra column in a run: names the project field to fix', async () => {
    const p = specz('radeg.csv', 'RA_deg,dec,z\n10,20,0.1\n');
    await refusedRun(
      p,
      `${p}: spec-z column 'ra' (specz.columns.ra) not found; its columns are RA_deg, dec, z`,
    );
  });

  it('ra/dec as text in every row', async () => {
    const p = specz('text.csv', 'ra,dec,z\nabc,20,0.1\n10,xyz,0.2\n');
    await refusedRegistration(
      p,
      `${p}: columns ra/dec hold no numeric or sexagesimal positions; check the ra/dec mapping`,
    );
    // tsm run reads the units as tsm register does, so it refuses the file in the same words
    await refusedRun(
      p,
      `${p}: columns ra/dec hold no numeric or sexagesimal positions; check the ra/dec mapping`,
    );
  });

  it('decimal commas, as a spreadsheet in a European locale saves them (it said only "check the ra/dec mapping")', async () => {
    const p = specz(
      'excel.csv',
      '\ufeffid;ra;dec;z\r\n1;3,542895;-33,801623;0,70844\r\n2;15,5;-25,6;0,04\r\n',
    );
    const message = `${p}: columns ra/dec hold no numeric or sexagesimal positions: values such as '3,542895' have a decimal comma; save the file with decimal points (from a spreadsheet in a locale that writes 3.5, not 3,5) and try again`;
    await refusedRegistration(p, message);
    await refusedRun(p, message);
  });

  it('ra as text in one row: refused with its line, valid rows offered with --skip-invalid', async () => {
    const p = specz('onetext.csv', 'ra,dec,z\n10,20,0.1\nabc,21,0.2\n13,22,0.4\n');
    const err = await refusedRegistration(
      p,
      `${p}: 1 of 3 rows are invalid, so the file was not registered; fix them, or register the 2 valid rows with --skip-invalid`,
    );
    expect(err).toBeInstanceOf(SpeczRejectedError);
    expect((err as SpeczRejectedError).report.reasons).toEqual([
      { reason: 'ra or dec missing or not a number', count: 1, first: [3] },
    ]);
  });

  it('NaN and infinite coordinates: rejected with their lines; a run names the same line', async () => {
    const p = specz('nan.csv', 'ra,dec,z\n10,20,0.1\nNaN,21,0.2\n12,Infinity,0.3\n13,22,0.4\n');
    const err = await refusedRegistration(
      p,
      `${p}: 2 of 4 rows are invalid, so the file was not registered; fix them, or register the 2 valid rows with --skip-invalid`,
    );
    expect((err as SpeczRejectedError).report.reasons).toEqual([
      { reason: 'ra or dec missing or not a number', count: 2, first: [3, 4] },
    ]);
    await refusedRun(p, `${p}: line 3 has no valid position (ra=NaN, dec=21); fix or remove it`);
    const inf = specz('inf.csv', 'ra,dec,z\n10,20,0.1\n-Infinity,21,0.2\n');
    await refusedRun(
      inf,
      `${inf}: line 3 has no valid position (ra=-Infinity, dec=21); fix or remove it`,
    );
  });

  /** The reader's message for the 29-byte file below: its footer claims 544499061 bytes. */
  const garbageParquet = (p: string) =>
    `${p}: cannot read the file (invalid Parquet footer: parquet metadata length 544499061 exceeds available buffer 21); the file is not valid Parquet (corrupt or truncated?): export it again, or give the catalog as CSV, FITS or HDF5`;

  it('garbage named .parquet: the file is named (run)', async () => {
    const p = specz('garbage.parquet', 'PAR1 this is not parquet PAR1');
    await refusedRun(p, garbageParquet(p));
  });

  it('garbage named .parquet: registration names the file (UserError)', async () => {
    const p = specz('garbage.parquet', 'PAR1 this is not parquet PAR1');
    await refusedRegistration(p, garbageParquet(p));
  });

  it('an HDF5 file cut after 4 KiB: registration names the file (UserError)', async () => {
    const whole = join(dir, 'whole.h5');
    const w = createHdf5Writer(whole);
    await w.write(
      tableFromArrays({
        ra: Float64Array.from([10, 11]),
        dec: Float64Array.from([20, 21]),
        z: Float64Array.from([0.1, 0.2]),
      }),
    );
    await w.close();
    const p = specz('cut.h5', readFileSync(whole).subarray(0, 4096));
    const err = await registerSpeczCatalog(p, { dataDir: join(dir, 'data-h5') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^.*cut\.h5: not a readable HDF5 file: it is corrupt, truncated or of another format \(truncated file: eof = 4096, .*\); export it again, or give the catalog as CSV, FITS or Parquet$/,
    );
    expect(message.startsWith(`${p}: `)).toBe(true);
  });
});

describe('a spec-z catalog outside the photometric footprint', () => {
  it('inner join: succeeds with an empty output (every column, 0 rows) and a clear warning', async () => {
    const { readParquetFile } = await import('../../compute/io/parquet-file');
    const p = specz('far.csv', 'ra,dec,z\n10.5,80.25,0.1\n11.5,81.25,0.2\n');
    const out = join(dir, 'far-out');
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'far',
          specz: { path: p },
          photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
          split: { seed: 1 },
          output: { folder: out },
        },
        'far.tsm.json',
      ),
      { workers: 0 },
    );
    const warning = `No cross matches were found: no spec-z row of ${p} has a photometric object of ${PHOTOMETRY} within 1 arcsec. Check that the catalogs overlap on the sky, or use a larger radius.`;
    expect(result.warnings).toEqual([warning]);
    expect(result.counts).toMatchObject({
      speczIn: 2,
      matchedRows: 0,
      matchedSpecz: 0,
      unmatchedSpecz: 2,
      written: 0,
    });
    expect(Object.keys(snapshot(out)).sort()).toEqual(['config.yml', 'far.parquet', 'run.json']);
    const table = await readParquetFile(result.outputPath);
    expect(table.numRows).toBe(0);
    // The columns of a matching run on this catalog (run-example.test.ts), with their types.
    expect(table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual([
      '_healpix_29: Int64',
      'ra_specz: Float64',
      'dec_specz: Float64',
      'z: Float64',
      'ra: Float64',
      'dec: Float64',
      'id: Int64',
      '_dist_arcsec: Float64',
      'is_training_set: Int32',
    ]);
    const { readFile } = await import('node:fs/promises');
    const record = JSON.parse(await readFile(result.runJsonPath, 'utf8')) as { warnings: string[] };
    expect(record.warnings).toEqual([warning]);
  });

  it('left join: a result with every spec-z row unmatched, all in the training set', async () => {
    const p = specz('far-left.csv', 'ra,dec,z\n10,80,0.1\n11,81,0.2\n');
    const out = join(dir, 'far-left-out');
    const result = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'far',
          specz: { path: p },
          photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
          crossmatch: { join: 'left' },
          split: { seed: 1, trainFraction: 0.5 },
          output: { folder: out, format: 'csv' },
        },
        'far.tsm.json',
      ),
      { workers: 0 },
    );
    expect(result.counts).toMatchObject({
      speczIn: 2,
      matchedRows: 0,
      matchedSpecz: 0,
      unmatchedSpecz: 2,
      written: 2,
    });
    expect(Object.keys(snapshot(out)).sort()).toEqual(['config.yml', 'far.csv', 'run.json']);
  });
});

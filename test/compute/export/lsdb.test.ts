import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../compute/errors';
import { exportProject, writeExport, type ExportResult } from '../../../compute/export';
import { LSDB_REQUIREMENTS } from '../../../compute/export/lsdb';
import { parseProject, type ProjectInput } from '../../../compute/pipeline/project';
import { embeddedMapPath } from '../../../compute/photometry/dust-maps';
import { ebvValuesWarning } from '../../../compute/photometry/ebv-values';
import {
  ColumnIndex,
  desDr2Profile,
  lsstDp02Profile,
  lsstDp1Profile,
} from '../../../compute/photometry/profiles';

const base: ProjectInput = {
  version: 1,
  name: 'lsdb job',
  specz: { path: 'specz.csv', columns: { id: 'id', zFlag: 'flag', instrumentType: 'kind' } },
  photometry: { location: 'https://data.lsdb.io/hats/dp1/object_collection' },
  crossmatch: { radiusArcsec: 2.5, nNeighbors: 4, join: 'left' },
  uniqueGalaxies: { enabled: true, oneToOne: true },
  split: { method: 'stratified', trainFraction: 0.65, seed: 987654321, zBins: 7 },
  output: { format: 'hdf5', folder: 'results' },
};

const project = (extra: Partial<ProjectInput> = {}) =>
  parseProject({ ...base, ...extra }, 'test.tsm.json');

function file(result: ExportResult, name: string): string {
  const f = result.files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in ${result.files.map((x) => x.name).join(', ')}`);
  return f.content;
}

/** The PARAMS JSON of tsm_job.py, read as Python reads a raw triple-quoted string. */
function embeddedParams(script: string): unknown {
  const open = 'PARAMS = json.loads(\n    r"""\n';
  const start = script.indexOf(open);
  expect(start).toBeGreaterThan(0);
  const from = start + open.length;
  const end = script.indexOf('"""', from);
  expect(script.slice(end, end + 8)).toBe('"""\n)\n\n\n'.slice(0, 8));
  return JSON.parse(script.slice(from, end));
}

describe('exportProject(project, "lsdb")', () => {
  it('writes the script, pinned requirements and a README', () => {
    const result = exportProject(project(), 'lsdb', { baseDir: '/home/u/proj', tsmVersion: '9.9' });
    expect(result.target).toBe('lsdb');
    expect(result.files.map((f) => f.name)).toEqual([
      'tsm_job.py',
      'requirements.txt',
      'README.md',
    ]);
    const req = file(result, 'requirements.txt')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(req).toEqual(LSDB_REQUIREMENTS.map(([n, v]) => `${n}==${v}`));
    for (const line of req) expect(line).toMatch(/^[a-z][a-z0-9[\]-]*==\d+(\.\d+)+$/);
    expect(req.map((l) => l.split('==')[0])).toEqual(
      expect.arrayContaining(['lsdb', 'dask[distributed]', 'pyarrow', 'astropy', 'healpy']),
    );
    // no dust map needed for map "sfd" (the user supplies the SFD files)
    expect(result.resources).toEqual([]);
  });

  it('embeds every parameter of the project in the script', () => {
    const p = project();
    const script = file(
      exportProject(p, 'lsdb', { baseDir: '/home/u/proj', tsmVersion: '9.9' }),
      'tsm_job.py',
    );
    expect(script.startsWith('#!/usr/bin/env python3\n')).toBe(true);
    expect(script).not.toContain('__PARAMS__');
    expect(embeddedParams(script)).toEqual({
      project: p,
      speczLocation: '/home/u/proj/specz.csv',
      photometryLocation: 'https://data.lsdb.io/hats/dp1/object_collection',
      outputFolder: '/home/u/proj/results',
      safeName: 'lsdb_job',
      dustMap: 'sfd',
      tsmVersion: '9.9',
    });
    // the steps the job runs on LSDB: crossmatch with the app's suffixes (the photometric one
    // removed on the workers), a LocalCluster or a scheduler address, the keyed splitmix64 draw
    // of compute/trainingset/hash.ts
    expect(script).toContain('suffixes=(SPECZ_SUFFIX, PHOT_MARK), suffix_method="all_columns"');
    expect(script).toContain('SPECZ_SUFFIX = "_specz"');
    expect(script).toContain('Client(args.scheduler)');
    expect(script).toContain('LocalCluster(n_workers=args.workers');
    for (const constant of [
      '0xCBF29CE484222325',
      '0x100000001B3',
      '0x9E3779B97F4A7C15',
      '0xBF58476D1CE4E5B9',
      '0x94D049BB133111EB',
    ])
      expect(script).toContain(constant);
    expect(script).toContain('"tie_result"');
    expect(script).toContain('"is_training_set"');
  });

  it("writes each column's unit as tsm run does (Parquet field metadata, FITS TUNIT, HDF5 column meta)", () => {
    // the exported job wrote no units while tsm run's Parquet, FITS and HDF5 carry them
    const script = file(exportProject(project(), 'lsdb', { tsmVersion: '9.9' }), 'tsm_job.py');
    const cols = new ColumnIndex(['ebv', 'EBV_SFD98']);
    for (const p of [
      lsstDp02Profile(cols, 't'),
      lsstDp1Profile(cols, 't'),
      desDr2Profile(cols, 't'),
    ])
      expect(script).toContain(`"fluxUnit": "${p.fluxUnit}"`);
    expect(script).toContain('"ebvColumn": cols.get("EBV_SFD98")');
    expect(script).toContain('MAGNITUDE_COLUMN = re.compile(r"(mag|magerr|mag_dered)_")');
    expect(script).toContain(
      'units = output_units(profile, [ra_out, dec_out, *catalog_positions], list(out.columns))',
    );
    expect(script).toContain('f.with_metadata({"unit": units[f.name]})');
    expect(script).toContain('astropy_table(df, units=units)');
    expect(script).toContain('astropy_table(df, bools_as_int8=True, units=units)');
  });

  it("warns of a dust map's NaN or negative E(B-V) at the matched positions as tsm run does (ebv-values.ts)", () => {
    // the job applied such a map without a word, where tsm run warns
    const script = file(exportProject(project(), 'lsdb', { tsmVersion: '9.9' }), 'tsm_job.py');
    const said = ebvValuesWarning(
      { name: 'NAME', files: ['A', 'B'] },
      { positions: 3000, nan: 1000, negative: 2000 },
    )!;
    const m =
      /^the dust map 'NAME' \(A, B\) gave (no value \(NaN\) at 1,000) and (a negative E\(B-V\) at 2,000) of 3,000 matched positions: (.*)(\. Check .*)$/.exec(
        said,
      )!;
    expect(m).not.toBeNull();
    expect(script).toContain(
      `where = f"'{dust.name}'" + (f" ({', '.join(dust.files)})" if dust.files else "")`,
    );
    expect(script).toContain(`got.append(f"${m[1].replace('1,000', '{nan:,}')}")`);
    expect(script).toContain(`got.append(f"${m[2].replace('2,000', '{negative:,}')}")`);
    for (const effect of m[3].split('; ')) expect(script).toContain(`effects.append("${effect}")`);
    expect(script).toContain(
      `return f"the dust map {where} gave {' and '.join(got)} of {len(ebv):,} matched positions: {'; '.join(effects)}${m[4]}"`,
    );
    // over the matched rows, only when the map gave the ebv column, into run.json's warnings
    expect(script).toContain(
      'bad_ebv = ebv_values_warning(dust_info, _float(df, "ebv")[~np.isnan(dist)])',
    );
    expect(script).toContain('if dust_info is not None and needs_dust_map(ft, to_mag):');
    expect(script).toContain('warnings.append("photometry.dereddening.map: " + bad_ebv)');
    // the map's name and files as tsm run's DustMapInfo
    expect(script).toContain('return _named(HealpixMap(name), Path(name).name, [name])');
    expect(script).toContain('return _named(SfdMap(ngp, sgp), "sfd", [ngp, sgp])');
    expect(script).toContain('return _named(dust, name, found)');
  });

  it("stops with an error naming the catalog where lsdb's crossmatch meets a NaN or infinite position", () => {
    // scipy's KD-tree raised 'data must be finite' from deep inside the Dask computation
    const script = file(exportProject(project(), 'lsdb'), 'tsm_job.py');
    expect(script).toContain(
      '        try:\n            df = done.compute()\n        except ValueError as err:\n',
    );
    expect(script).toContain('if "must be finite" not in str(err):');
    expect(script).toContain(
      `+ f" has rows whose ra or dec is NaN or infinite, which lsdb's crossmatch cannot take ({err}); tsm run leaves them out and counts them in its warnings. Remove those rows from the catalog, or run the project with tsm run."`,
    );
  });

  it("writes the units into a HATS output's files, which lsdb writes without them", () => {
    const script = file(
      exportProject(project({ output: { format: 'hats', folder: 'r' } }), 'lsdb'),
      'tsm_job.py',
    );
    expect(script).toContain(
      '        cat.write_catalog(str(tmp), as_collection=True, overwrite=True)\n        _hats_units(tmp, units)\n',
    );
    // every catalog of the collection: leaves, then _metadata and _common_metadata from them
    expect(script).toContain(
      'for common in sorted(Path(root).glob("*/dataset/_common_metadata")):',
    );
    expect(script).toContain('leaves = sorted(dataset.glob("Norder=*/Dir=*/Npix=*.parquet"))');
    expect(script).toContain(
      'pq.write_table(pa.Table.from_arrays(table.columns, schema=with_units(table.schema)), leaf)',
    );
    expect(script).toContain(
      'write_parquet_metadata(dataset.parent, create_per_partition_stats=stats)',
    );
  });

  it("refuses a HEALPix map file's COORDSYS or ORDERING that tsm run refuses (healpix-map.ts)", () => {
    // the job read COORDSYS = 'E' (ecliptic) as equatorial and ORDERING = 'X' as RING, silently
    const script = file(exportProject(project(), 'lsdb', { tsmVersion: '9.9' }), 'tsm_job.py');
    expect(script).toContain(
      `raise UserError(f"{path}: COORDSYS = '{c}' is not supported (Galactic 'G' or equatorial 'C' expected).")`,
    );
    expect(script).toContain(
      `raise UserError(f"{path}: ORDERING = '{ordering}'; RING or NESTED expected.")`,
    );
    expect(script).toContain(
      'equatorial = c in ("C", "Q", "ICRS") or c.startswith(("CEL", "EQU"))',
    );
  });

  it("names a photometric catalog's columns that the run writes <name>_catalog, as tsm run does", () => {
    // the job renamed only ebv: against an earlier training set (_dist_arcsec, is_training_set,
    // ra_specz, ebv beside ebv_catalog) lsdb stopped with "Duplicate column names found"
    const script = file(exportProject(project(), 'lsdb', { tsmVersion: '9.9' }), 'tsm_job.py');
    expect(script).toContain('RUN_COLUMNS = ("_dist_arcsec", "tie_result", "is_training_set")');
    // the crossmatch suffixes the photometric columns; the workers name them
    expect(script).toContain(
      'catalog_names = keep_catalog_columns(right_cols, [*RUN_COLUMNS, *(c + SPECZ_SUFFIX for c in left_cols)])',
    );
    expect(script).toContain('    df = df.rename(columns=names)\n    if drop:');
    // the suffix again while the name is taken, in both renamings
    expect(script.match(/while new in taken:\n\s+new \+= CATALOG_SUFFIX/g)).toHaveLength(2);
    // E(B-V) at the photometric position under its output name (ra_specz_catalog)
    expect(script).toContain('ebv = dust.ebv(_float(df, positions[0]), _float(df, positions[1]))');
    expect(script).not.toContain('profile["raColumn"]), _float(df, profile["decColumn"])');
  });

  it('keys a DECIMAL(p, 0) spec-z id by its exact digits, as the run reads it (decimal-columns.ts)', () => {
    // pandas gives DECIMAL ids as decimal.Decimal: js_number took float(x), so every id of
    // 18446744073709551615 - k hashed as 18446744073709552000, one group (0 train, 40 test where
    // tsm run gives 24 / 16 on the same file)
    const script = file(exportProject(project(), 'lsdb'), 'tsm_job.py');
    const body = script.slice(
      script.indexOf('def js_number(x):'),
      script.indexOf('    x = float(x)'),
    );
    expect(body).toContain(
      'if isinstance(x, decimal.Decimal) and x.is_finite() and x.as_tuple().exponent >= 0:\n' +
        '        # a DECIMAL(p, 0) id, which the app reads exactly (compute/hats/decimal-columns.ts)\n' +
        '        return str(int(x))\n',
    );
    expect(script).toContain('\nimport decimal\n');
  });

  it('keeps names with quotes, backslashes and line breaks intact inside the raw string', () => {
    const name = 'a """ b \\ c\\\n"end"\\';
    const p = project({ name, description: 'x\\"""\\' });
    const script = file(exportProject(p, 'lsdb'), 'tsm_job.py');
    const params = embeddedParams(script) as { project: { name: string; description: string } };
    expect(params.project.name).toBe(name);
    expect(params.project.description).toBe('x\\"""\\');
  });

  it('leaves relative paths alone without a base folder and resolves registered catalogs', () => {
    const rel = embeddedParams(file(exportProject(project(), 'lsdb'), 'tsm_job.py')) as Record<
      string,
      string
    >;
    expect(rel.speczLocation).toBe('specz.csv');
    expect(rel.outputFolder).toBe('results');
    const reg = exportProject(project({ specz: { catalogId: 'deep2', columns: {} } }), 'lsdb', {
      dataDir: '/data',
    });
    expect((embeddedParams(file(reg, 'tsm_job.py')) as Record<string, string>).speczLocation).toBe(
      '/data/catalogs/deep2',
    );
    expect(reg.unsupported.join(' ')).toContain('specz.catalogId');
  });

  it('says when the split cannot be the same (no seed) and ships the embedded map when used', () => {
    const result = exportProject(
      project({
        split: { seed: null },
        photometry: { location: 'cat', dereddening: { map: 'sfd-lowres' } },
      }),
      'lsdb',
    );
    expect(result.unsupported.join(' ')).toContain('split.seed is empty');
    expect(file(result, 'README.md')).toContain('split.seed is empty');
    expect(result.resources).toEqual([
      { name: 'dustmaps/sfd-lowres-healpix64.fits', resource: 'sfd-lowres' },
    ]);
  });

  it('refuses an unknown target', () => {
    expect(() => exportProject(project(), 'spark' as never)).toThrow(/lsdb or pzserver/);
  });
});

describe('writeExport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-export-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the files and copies the embedded dust map byte for byte', async () => {
    const result = exportProject(
      project({ photometry: { location: 'cat', dereddening: { map: 'sfd-lowres' } } }),
      'lsdb',
    );
    const written = await writeExport(result, join(dir, 'job'));
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual([
      'job/tsm_job.py',
      'job/requirements.txt',
      'job/README.md',
      'job/dustmaps/sfd-lowres-healpix64.fits',
    ]);
    expect(await readFile(join(dir, 'job', 'tsm_job.py'), 'utf8')).toBe(file(result, 'tsm_job.py'));
    const copy = await readFile(join(dir, 'job', 'dustmaps', 'sfd-lowres-healpix64.fits'));
    expect(copy.equals(await readFile(embeddedMapPath()))).toBe(true);
  });

  it("replaces an earlier export's files, but never a file of the user's at one of its names", async () => {
    const result = exportProject(
      project({ photometry: { location: 'cat', dereddening: { map: 'sfd-lowres' } } }),
      'lsdb',
    );
    const job = join(dir, 'again');
    await writeExport(result, job);
    await writeFile(join(job, 'tsm_job.py'), '# tsm export --target lsdb, edited\n');
    expect(await writeExport(result, job)).toHaveLength(4);
    expect(await readFile(join(job, 'tsm_job.py'), 'utf8')).toBe(file(result, 'tsm_job.py'));

    await writeFile(join(job, 'tsm_job.py'), 'print("my own job")\n');
    await writeFile(join(job, 'dustmaps', 'sfd-lowres-healpix64.fits'), 'my own map');
    await rm(join(job, 'README.md'));
    await expect(writeExport(result, job)).rejects.toThrow(
      new UserError(
        `${join(job, 'tsm_job.py')}, ${join(job, 'dustmaps', 'sfd-lowres-healpix64.fits')} already exist and were not written by tsm export, so the export does not replace them. Move them out of the way, or choose another folder.`,
      ),
    );
    // nothing was written, not even the file that was missing
    expect(await readFile(join(job, 'tsm_job.py'), 'utf8')).toBe('print("my own job")\n');
    expect(await readdir(job)).not.toContain('README.md');
  });

  it('refuses a folder that is a file, naming it, and writes nothing', async () => {
    const result = exportProject(project(), 'pzserver');
    const mine = join(dir, 'mine.yml');
    await writeFile(mine, 'my notes\n');
    await expect(writeExport(result, mine)).rejects.toThrow(
      new UserError(
        `${mine} is a file, and the export writes its files (config.yml) into a folder: give a folder (one that does not exist yet is made).`,
      ),
    );
    expect(await readFile(mine, 'utf8')).toBe('my notes\n');
  });

  it('refuses a file name that leaves the folder', async () => {
    const bad: ExportResult = {
      target: 'lsdb',
      files: [{ name: '../escape.txt', content: 'x' }],
      resources: [],
      unsupported: [],
    };
    await expect(writeExport(bad, join(dir, 'bad'))).rejects.toThrow(/escapes the folder/);
  });
});

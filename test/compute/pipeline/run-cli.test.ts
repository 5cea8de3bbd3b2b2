import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOLEAN_FLAGS, VALUE_FLAGS } from '../../../compute/pipeline/project-flags';
import { saveProject } from '../../../compute/pipeline/project';
import { CancelledError } from '../../../compute/errors';
import { runTrainingSet } from '../../../compute/pipeline/run';
import { resolveHttpOptions } from '../../../compute/hats/http-options';
import { parseProject } from '../../../compute/pipeline/project';
import { TSM_EXAMPLE } from '../../fixtures';
import { startFixtureServer } from '../../helpers/fixture-server';
import { CLI, runCli } from '../../helpers/cli';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');

const tsm = (args: string[], cwd: string) => runCli(args, { cwd });

describe('tsm run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--help lists every option', async () => {
    const { code, stdout } = await tsm(['run', '--help'], dir);
    expect(code).toBe(0);
    for (const flag of [
      ...Object.keys(VALUE_FLAGS),
      ...Object.keys(BOOLEAN_FLAGS),
      'workers',
      'data-dir',
      'dust-maps',
      'progress',
      'cache-dir',
      'cache-max-mb',
      'offline',
      'stall-seconds',
    ]) {
      if (flag.startsWith('no-')) continue; // listed as --x | --no-x
      expect(stdout).toContain(`--${flag}`);
    }
  });

  it("--help states the cache limit's default as it is (2 GiB, not 2048 MB) and the .fits map path", async () => {
    const { stdout } = await tsm(['run', '--help'], dir);
    // the default itself, not this environment's TSM_CACHE_MAX_BYTES
    const env = process.env.TSM_CACHE_MAX_BYTES;
    delete process.env.TSM_CACHE_MAX_BYTES;
    const defaultBytes = resolveHttpOptions({}).cacheMaxBytes;
    if (env !== undefined) process.env.TSM_CACHE_MAX_BYTES = env;
    expect(defaultBytes).toBe(2 * 1024 ** 3);
    const mb = (defaultBytes / 1e6).toFixed(2);
    expect(stdout).toContain(
      `  --cache-max-mb N           disk cache size limit in MB of 10^6 bytes (default\n                             $TSM_CACHE_MAX_BYTES bytes, else 2 GiB = ${mb} MB)\n`,
    );
    expect(stdout).toContain(
      '  --dereddening MAP          none, sfd, sfd-lowres, csfd, planck or the path of a .fits map\n',
    );
  });

  it('runs from options with JSON progress lines and a JSON result', async () => {
    const out = join(dir, 'flags');
    const { code, stdout } = await tsm(
      [
        'run',
        '--specz',
        SPECZ,
        '--photometry',
        PHOTOMETRY,
        '--id',
        'id',
        '--seed',
        '5',
        '--format',
        'csv',
        '--out',
        out,
        '--progress',
        'json',
        '--workers',
        '1',
      ],
      dir,
    );
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stages = lines.slice(0, -1).map((l) => l.stage);
    expect(stages[0]).toBe('resolve');
    expect(stages).toContain('crossmatch');
    expect(stages.at(-1)).toBe('done');
    const result = lines.at(-1).result;
    expect(result.counts.written).toBe(40);
    expect(result.seed).toBe(5);
    expect((await readdir(out)).sort()).toEqual(['config.yml', 'run.json', 'tsm.csv']);
    const csv = (await readFile(join(out, 'tsm.csv'), 'utf8')).trim().split(/\r?\n/);
    expect(csv[0]).toBe(
      '_healpix_29,ra_specz,dec_specz,z,id_specz,ra,dec,id,_dist_arcsec,is_training_set',
    );
    expect(csv).toHaveLength(41);
  });

  it('says the spec-z rows read between opening the file and the plan (lines)', async () => {
    const { code, stderr } = await tsm(
      [
        'run',
        '--specz',
        SPECZ,
        '--photometry',
        PHOTOMETRY,
        '--out',
        join(dir, 'lines'),
        '--progress',
        'lines',
        '--workers',
        '0',
      ],
      dir,
    );
    expect(code).toBe(0);
    const lines = stderr.split('\n');
    const opening = lines.indexOf(`resolve: Opening the spec-z catalog ${SPECZ}`);
    expect(opening).toBeGreaterThan(-1);
    expect(lines.slice(opening + 1, opening + 3)).toEqual([
      'resolve: read 80 spec-z rows (100%)',
      'plan: 2 aligned pixels to crossmatch',
    ]);
  });

  it('lets options override a project file', async () => {
    const file = join(dir, 'p.tsm.json');
    await saveProject(file, {
      version: 1,
      name: 'from file',
      specz: { path: SPECZ },
      photometry: { location: PHOTOMETRY },
      split: { seed: 9 },
      output: { format: 'parquet', folder: 'file-out' },
    });
    const { code, stdout } = await tsm(
      ['run', file, '--format', 'fits', '--progress', 'none', '--workers', '0'],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("Training set 'from file': 40 rows written to");
    // relative folders in the file are relative to the file
    expect((await readdir(join(dir, 'file-out'))).sort()).toEqual([
      'config.yml',
      'from_file.fits',
      'run.json',
    ]);
  });

  it('warns, without using it, of a spec-z column named like an id when --id is not given; --id NONE silences it', async () => {
    const idNote = (path: string) =>
      `${path}: column 'id' looks like an id (tsm register would map it), but the run maps no id column, so repeated ids are not checked and the split and unique galaxies tell spec-z apart by ra and dec: pass --id id (specz.columns.id in a project file) to use it, or --id NONE (specz.noIdColumn: true) if it is not an id`;
    const common = ['--photometry', PHOTOMETRY, '--dereddening', 'none', '--progress', 'none'];
    const readRecord = async (out: string) =>
      JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as { warnings: string[] };
    const plain = join(dir, 'id-note');
    const a = await tsm(['run', '--specz', SPECZ, ...common, '--seed', '3', '--out', plain], dir);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain(`Warning: ${idNote(SPECZ)}`);
    const record = await readRecord(plain);
    expect(record.warnings).toEqual([idNote(SPECZ)]);
    // the default does not change: no id is used, so earlier splits repeat
    const declined = join(dir, 'id-none');
    const b = await tsm(
      ['run', '--specz', SPECZ, ...common, '--seed', '3', '--id', 'NONE', '--out', declined],
      dir,
    );
    expect(b.code).toBe(0);
    expect(b.stdout).not.toContain('Warning');
    expect((await readRecord(declined)).warnings).toEqual([]);
    const sameOutput = async (out: string) =>
      (await readFile(join(out, 'tsm.parquet'))).equals(await readFile(join(plain, 'tsm.parquet')));
    expect(await sameOutput(declined)).toBe(true);
    // the project as run says so: its config.yml re-runs without the warning, to the same split
    const config = await readFile(join(declined, 'config.yml'), 'utf8');
    expect(config).toMatch(/\n {2}noIdColumn: true\n/);
    const again = join(dir, 'id-none-again');
    const rerun = await tsm(
      ['run', join(declined, 'config.yml'), '--out', again, '--progress', 'none'],
      dir,
    );
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).not.toContain('Warning');
    expect((await readRecord(again)).warnings).toEqual([]);
    expect(await sameOutput(again)).toBe(true);
    // --id COL over that file takes the id back: no contradiction left in the new config.yml
    const withId = join(dir, 'id-none-then-id');
    const taken = await tsm(
      ['run', join(declined, 'config.yml'), '--id', 'id', '--out', withId, '--progress', 'none'],
      dir,
    );
    expect(taken.code).toBe(0);
    const withIdConfig = await readFile(join(withId, 'config.yml'), 'utf8');
    expect(withIdConfig).toMatch(/\n {4}id: id\n/);
    expect(withIdConfig).not.toContain('noIdColumn');
    // --id auto would read as a detection the run does not do: refused, saying what to give
    const auto = await tsm(['run', '--specz', SPECZ, ...common, '--id', 'auto'], dir);
    expect(auto.code).toBe(2);
    expect(auto.stderr).toBe(
      "tsm run: --id (specz.columns.id): 'auto' is not a column; give the id column's name (--id objid), or --id NONE if the catalog has no id (without --id no id is used, and the run names a column that looks like one)\n",
    );
    // --id id uses it, without a warning
    const used = join(dir, 'id-used');
    const c = await tsm(['run', '--specz', SPECZ, ...common, '--id', 'id', '--out', used], dir);
    expect(c.code).toBe(0);
    expect(c.stdout).not.toContain('Warning');
    // a HATS catalog given by its path is noted as well (a registered one maps its id itself)
    const hats = join(TSM_EXAMPLE, 'specz_collection');
    const fromHats = await runTrainingSet(
      parseProject(
        {
          version: 1,
          name: 'hats',
          specz: { path: hats },
          photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
          output: { folder: join(dir, 'id-hats') },
        },
        'test',
      ),
      { workers: 0 },
    );
    expect(fromHats.warnings).toEqual([idNote(hats)]);
  });

  it('writes a config.yml that repeats the run from its own folder (paths made absolute)', async () => {
    const proj = join(dir, 'proj');
    await mkdir(join(proj, 'inputs'), { recursive: true });
    await copyFile(SPECZ, join(proj, 'inputs', 'specz.parquet'));
    const file = join(proj, 'rel.tsm.json');
    await saveProject(file, {
      version: 1,
      name: 'relative',
      specz: { path: 'inputs/specz.parquet' },
      photometry: { location: PHOTOMETRY },
      split: { seed: 4 },
      output: { format: 'csv', folder: 'out' },
    });
    expect((await tsm(['run', file, '--progress', 'none'], dir)).code).toBe(0);
    const out = join(proj, 'out');
    const first = await readFile(join(out, 'relative.csv'), 'utf8');
    const config = await readFile(join(out, 'config.yml'), 'utf8');
    expect(config).toContain(`path: ${join(proj, 'inputs', 'specz.parquet')}`);
    expect(config).toContain(`folder: ${out}`);
    // from another working folder, as the README says: tsm run <out>/config.yml
    const again = await tsm(['run', join(out, 'config.yml'), '--progress', 'none'], tmpdir());
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(await readFile(join(out, 'relative.csv'), 'utf8')).toBe(first);
    expect((await readdir(out)).sort()).toEqual(['config.yml', 'relative.csv', 'run.json']);
  });

  it("runs the original service's config.yml (version 0) on its example data", async () => {
    // config.template.yaml of pzserver_training_set_maker (tsm-domain.md §1.1), with a seed
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      [
        'output_root_dir: "."',
        'output_dir: "outputs"',
        'output_format: "csv"',
        'output_name: "tsm"',
        'inputs:',
        '  dataset:',
        '    path: "${DATASETS_DIR}/dr2"',
        '    columns: { id: "id" }',
        '  specz:',
        '    - path: "${DATASETS_DIR}/specz.parquet"',
        '      format: "parquet"',
        '      columns: { ra: "ra", dec: "dec", z: "z" }',
        'param:',
        '  crossmatch: { radius_arcsec: 1.0, n_neighbors: 1 }',
        '  flux_type: "auto"',
        '  convert_flux_to_mag: true',
        '  dereddening: "sfd"',
        '  split_method: "random"',
        '  train_fraction: 0.7',
        '  random_seed: 42',
        '  train_fractoin: 0.5',
      ].join('\n'),
    );
    const r = await promisify(execFile)(
      process.execPath,
      [CLI, 'run', config, '--progress', 'none', '--workers', '0'],
      {
        cwd: dir,
        env: { ...process.env, DATASETS_DIR: TSM_EXAMPLE },
      },
    );
    expect(r.stdout).toContain("Training set 'tsm': 40 rows written to");
    // a misspelt key is ignored, as the original ignores it, but not in silence
    expect(r.stderr).toContain(
      `warning: ${config}: param.train_fractoin is not a key of the original config.yml and is ignored; check its spelling`,
    );
    const csv = (await readFile(join(dir, 'outputs', 'tsm.csv'), 'utf8')).trim().split(/\r?\n/);
    expect(csv[0]).toBe(
      '_healpix_29,ra_specz,dec_specz,z,id_specz,ra,dec,id,_dist_arcsec,is_training_set',
    );
    expect(csv).toHaveLength(41);
  });

  it('says to set DATASETS_DIR when a config.yml path under ${DATASETS_DIR} is not there', async () => {
    const config = join(dir, 'datasets', 'config.yml');
    await mkdir(join(dir, 'datasets'), { recursive: true });
    await writeFile(
      config,
      [
        'inputs:',
        '  dataset:',
        '    path: "${DATASETS_DIR}/dr2"',
        '  specz:',
        '    - path: "${DATASETS_DIR}/specz.parquet"',
        '      columns: { ra: "ra", dec: "dec", z: "z" }',
      ].join('\n'),
    );
    const run = async (datasets: string | undefined) => {
      const env = { ...process.env };
      delete env.DATASETS_DIR;
      if (datasets !== undefined) env.DATASETS_DIR = datasets;
      return runCli(['run', config, '--progress', 'none'], { cwd: dir, env });
    };
    const unset = await run(undefined);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toBe(
      'tsm run: /datasets/dr2/mag/auto/sfd/catalog: no such folder; check the path; the config.yml names its data under ${DATASETS_DIR}, which is /datasets as DATASETS_DIR is not set: set DATASETS_DIR to the folder that holds the data (DATASETS_DIR=/path/to/datasets tsm run config.yml)\n',
    );
    // set, the photometry found, the spec-z file not: the same advice, with the value used
    const partial = join(dir, 'datasets', 'only-dr2');
    await mkdir(partial, { recursive: true });
    await cp(join(TSM_EXAMPLE, 'dr2'), join(partial, 'dr2'), { recursive: true });
    const set = await run(partial);
    expect(set.code).toBe(2);
    expect(set.stderr).toBe(
      `tsm run: ${partial}/specz.parquet: spec-z catalog not found; check specz.path (or --specz); the config.yml names its data under \${DATASETS_DIR}, which is DATASETS_DIR=${partial} here: set DATASETS_DIR to the folder that holds the data\n`,
    );
  });

  it('names the option and the rule when a value is refused (exit 2)', async () => {
    const { code, stderr } = await tsm(
      [
        'run',
        '--specz',
        SPECZ,
        '--photometry',
        PHOTOMETRY,
        '--radius-arcsec=-1',
        '--train-fraction',
        '1.5',
      ],
      dir,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--radius-arcsec (crossmatch.radiusArcsec): must be > 0 (got -1)');
    expect(stderr).toContain(
      '--train-fraction (split.trainFraction): must satisfy 0 < f < 1 (got 1.5)',
    );
  });

  it('names the option, not only the project field, when the catalogs refuse a value (exit 2)', async () => {
    const run = (...extra: string[]) =>
      tsm(
        ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, '--progress', 'none', ...extra],
        dir,
      );
    const flux = await run('--flux-type', 'foo');
    expect(flux.code).toBe(2);
    expect(flux.stderr).toBe(
      `tsm run: --flux-type (photometry.fluxType): 'foo' is not in ${PHOTOMETRY} (no flux or magnitude columns of a known survey); use auto\n`,
    );
    const columns = await run('--columns', 'nosuch');
    expect(columns.code).toBe(2);
    expect(columns.stderr).toBe(
      "tsm run: --columns (photometry.columns): 'nosuch' is not a column of the photometric catalog; remove it or pick from: _healpix_29, ra, dec, id\n",
    );
    const ra = await run('--ra', 'nosuch');
    expect(ra.code).toBe(2);
    expect(ra.stderr).toBe(
      `tsm run: ${SPECZ}: spec-z column 'nosuch' (--ra) not found; its columns are ra, dec, z, id\n`,
    );
    // the same values from a project file keep the field's name
    const file = join(dir, 'bad-flux.tsm.json');
    await saveProject(file, {
      version: 1,
      name: 'bad flux',
      specz: { path: SPECZ },
      photometry: { location: PHOTOMETRY, fluxType: 'foo' },
    });
    const fromFile = await tsm(['run', file, '--progress', 'none'], dir);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toBe(
      `tsm run: photometry.fluxType: 'foo' is not in ${PHOTOMETRY} (no flux or magnitude columns of a known survey); use auto\n`,
    );
  });

  it('says in one line where a config.yml is not valid YAML', async () => {
    const file = join(dir, 'broken.yml');
    await writeFile(file, 'a: b: c\n');
    const r = await tsm(['run', file], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `tsm run: ${file}: is not valid YAML (Nested mappings are not allowed in compact mappings at line 1, column 4)\n`,
    );
  });

  it('says a spec-z file given as the project is a catalog, and how to give it (exit 2)', async () => {
    const r = await tsm(['run', SPECZ], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `tsm run: ${SPECZ}: is a Parquet file, not a project file (*.tsm.json or config.yml). To use it as the spec-z catalog, give it to tsm run with --specz (and the photometric catalog with --photometry), or register it (the app's Catalogs page, or tsm register).\n`,
    );
  });

  it('takes numbers only in decimal notation, naming the option (no 0x10, 1_0 or empty value)', async () => {
    for (const [flag, value] of [
      ['seed', '0x10'],
      ['seed', '1_0'],
      ['z-bins', ''],
      ['radius-arcsec', 'Infinity'],
      ['train-fraction', '0b1'],
    ]) {
      const r = await tsm(
        ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, `--${flag}=${value}`],
        dir,
      );
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toMatch(`--${flag} (`);
      expect(r.stderr).toContain(`): must be a decimal number (got '${value}')`);
    }
  });

  it('refuses a --cache-max-mb not in decimal notation (0x10 was taken as 16 MB, Infinity as no limit)', async () => {
    for (const value of ['0x10', 'Infinity', '1_0', '-1', '0']) {
      const r = await tsm(
        ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, `--cache-max-mb=${value}`],
        dir,
      );
      expect(r.code, value).toBe(2);
      expect(r.stderr.trim()).toBe(
        `tsm run: --cache-max-mb must be a number of MB > 0 in decimal notation (got '${value}')`,
      );
    }
  });

  it('refuses a --stall-seconds that is not a number of seconds above 0', async () => {
    for (const value of ['0', '-1', 'soon', '1e9']) {
      const r = await tsm(
        ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, `--stall-seconds=${value}`],
        dir,
      );
      expect(r.code, value).toBe(2);
      expect(r.stderr.trim()).toBe(
        `tsm run: --stall-seconds must be a number of seconds above 0, at most 86400 (got '${value}')`,
      );
    }
  });

  it('stops, naming the URL, when the server of a remote catalog accepts and sends nothing', async () => {
    // it waited 30 s per attempt, 5 attempts, and a server trickling bytes forever
    const server = await startFixtureServer();
    try {
      server.faults.trickleNext = { count: 100, ms: 0, silent: true };
      const started = Date.now();
      const r = await tsm(
        [
          'run',
          '--specz',
          SPECZ,
          '--photometry',
          server.urlFor(PHOTOMETRY),
          '--stall-seconds',
          '0.3',
          '--cache-dir',
          join(dir, 'stall-cache'),
          '--out',
          join(dir, 'stalled'),
          '--progress',
          'none',
        ],
        dir,
      );
      expect(r.stderr).toContain(
        `Could not download ${server.urlFor(PHOTOMETRY)}/hats.properties: the server stalled: no data for 0.3 s (2 attempts). The server may be overloaded or the link slow`,
      );
      expect(r.code).toBe(2);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await readdir(join(dir, 'stalled')).catch(() => [])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('states the rule of a negative value given as its own word, and of too many workers', async () => {
    const negative = await tsm(
      ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, '--n-neighbors', '-1'],
      dir,
    );
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--n-neighbors (crossmatch.nNeighbors): must be');
    expect(negative.stderr).not.toContain('ambiguous');
    const many = await tsm(
      ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, '--workers', '1000'],
      dir,
    );
    expect(many.code).toBe(2);
    expect(many.stderr.trim()).toBe(
      "tsm run: --workers must be a whole number from 0 to 64 (got '1000')",
    );
    for (const loose of ['', '1e1', '0x2', '2.0']) {
      const r = await tsm(
        ['run', '--specz', SPECZ, '--photometry', PHOTOMETRY, `--workers=${loose}`],
        dir,
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `tsm run: --workers must be a whole number from 0 to 64 (got '${loose}')`,
      );
    }
  });

  it('refuses a spec-z catalog given twice (--specz and --specz-id)', async () => {
    const { code, stderr } = await tsm(
      ['run', '--specz', SPECZ, '--specz-id', 'vvds', '--photometry', PHOTOMETRY],
      dir,
    );
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'tsm run: give the spec-z catalog once: --specz FILE (a file or HATS folder) or --specz-id ID (a registered catalog), not both',
    );
  });

  it('asks for the catalogs when there is no project file', async () => {
    const { code, stderr } = await tsm(['run'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('at least --specz FILE and --photometry CATALOG');
  });
});

describe('cancelling a run', () => {
  it('stops, removes partial outputs and throws CancelledError', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tsm-cancel-'));
    const controller = new AbortController();
    const project = parseProject(
      {
        version: 1,
        name: 'c',
        specz: { path: SPECZ },
        photometry: { location: PHOTOMETRY },
        output: { folder: out },
      },
      'test',
    );
    const run = runTrainingSet(project, {
      workers: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'crossmatch') controller.abort(new CancelledError('stop'));
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(out)).toEqual([]);
    await rm(out, { recursive: true, force: true });
  });
});

describe('tsm run and Ctrl-C', () => {
  it('stops on SIGINT (given twice), exits 130 and leaves no output', async () => {
    const { writeHatsCatalog } = await import('../../../compute/io/hats-writer');
    const { tableToParquetBytes } = await import('../../../compute/io/parquet-file');
    const { tableFromArrays } = await import('apache-arrow');
    const { spawn } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'tsm-sigint-'));
    // 200 000 objects in 10 x 10 degrees, 20 000 rows per partition: enough pixels to interrupt
    let s = 3;
    const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const n = 200_000;
    const ra = Float64Array.from({ length: n }, () => 150 + 10 * rand());
    const dec = Float64Array.from({ length: n }, () => 10 * rand());
    await writeHatsCatalog(
      join(dir, 'phot'),
      tableFromArrays({ id: Int32Array.from({ length: n }, (_, i) => i), ra, dec }),
      {
        name: 'phot',
        partitionRows: 20_000,
      },
    );
    const m = 5000;
    await writeFile(
      join(dir, 'specz.parquet'),
      tableToParquetBytes(
        tableFromArrays({
          ra: ra.slice(0, m),
          dec: dec.slice(0, m),
          z: Float64Array.from({ length: m }, rand),
        }),
      ),
    );
    const out = join(dir, 'out');
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--specz',
        join(dir, 'specz.parquet'),
        '--photometry',
        join(dir, 'phot'),
        '--out',
        out,
        '--progress',
        'json',
        '--workers',
        '1',
      ],
      { cwd: dir },
    );
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && stdout.includes('"stage":"crossmatch"')) {
        interrupted = true;
        // twice, as a double Ctrl-C or `timeout -s INT` (process, then its group): the second
        // killed the process half-way through its clean-up, leaving <name>.rows.partial
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 1);
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    expect(stdout).toContain('"stage":"cancelled"');
    // the folder the run made for its output is gone again, empty
    expect(await readdir(dir).then((names) => names.includes('out'))).toBe(false);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateSurveyCatalogs, readSpeczPositions } from '../../../compute/demo/surveys';
import { PROJECT_ROOT, TSM_EXAMPLE } from '../../fixtures';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

describe('tsm export', () => {
  let dir: string;
  let projectFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsm-export-cli-'));
    projectFile = join(dir, 'example.tsm.json');
    await writeFile(
      projectFile,
      JSON.stringify({
        version: 1,
        name: 'example set',
        specz: { path: join(TSM_EXAMPLE, 'specz.parquet'), columns: { id: 'id' } },
        photometry: { location: '../catalogs/dr2', dereddening: { map: 'none' } },
        crossmatch: { radiusArcsec: 0.8 },
        split: { seed: 42 },
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes config.yml for the original pipeline, paths relative to the project file', async () => {
    const out = join(dir, 'pz');
    const { stdout } = await run(process.execPath, [
      CLI,
      'export',
      '--target',
      'pzserver',
      projectFile,
      '--out',
      out,
    ]);
    expect(stdout.trim()).toBe(join(out, 'config.yml'));
    const doc = parseYaml(await readFile(join(out, 'config.yml'), 'utf8'));
    expect(doc.inputs.dataset.path).toBe(join(dir, '..', 'catalogs', 'dr2'));
    expect(doc.param.crossmatch.radius_arcsec).toBe(0.8);
    expect(doc.param.random_seed).toBe(42);
    expect(doc.param.dereddening).toBe('none');
    expect(doc.output_name).toBe('example_set');
  });

  it('finds a registered spec-z catalog in ~/.tsm-data without --data-dir, as tsm run does (it wrote catalogs/<id>, relative)', async () => {
    const home = join(dir, 'home');
    await mkdir(home);
    const registered = join(dir, 'registered.tsm.json');
    await writeFile(
      registered,
      JSON.stringify({
        version: 1,
        name: 'registered set',
        specz: { catalogId: 'my-specz' },
        photometry: { location: '../catalogs/dr2', dereddening: { map: 'none' } },
      }),
    );
    const specz = async (extra: string[]) => {
      const { stdout } = await run(
        process.execPath,
        [CLI, 'export', '--target', 'pzserver', registered, '--stdout', ...extra],
        { env: { ...process.env, HOME: home } },
      );
      return parseYaml(stdout).inputs.specz[0].path;
    };
    expect(await specz([])).toBe(join(home, '.tsm-data', 'catalogs', 'my-specz'));
    expect(await specz(['--data-dir', join(dir, 'data')])).toBe(
      join(dir, 'data', 'catalogs', 'my-specz'),
    );
  });

  it("names the catalog's own id column when the project leaves the profile to detection", async () => {
    const cats = await generateSurveyCatalogs(join(dir, 'cats'), {
      seed: 5,
      specz: await readSpeczPositions(join(TSM_EXAMPLE, 'specz.parquet')),
    });
    const des = join(dir, 'des.tsm.json');
    await writeFile(
      des,
      JSON.stringify({
        version: 1,
        name: 'des set',
        specz: { path: join(TSM_EXAMPLE, 'specz.parquet') },
        photometry: { location: cats.find((c) => c.survey === 'des-dr2')!.path, profile: null },
      }),
    );
    const out = join(dir, 'pz-des');
    await run(process.execPath, [CLI, 'export', '--target', 'pzserver', des, '--out', out]);
    const doc = parseYaml(await readFile(join(out, 'config.yml'), 'utf8'));
    expect(doc.inputs.dataset.columns).toEqual({ id: 'COADD_OBJECT_ID' });
    // a catalog that cannot be read here keeps the fallback (the file's comment says to check it)
    const gone = join(dir, 'pz-gone');
    await run(process.execPath, [
      CLI,
      'export',
      '--target',
      'pzserver',
      projectFile,
      '--out',
      gone,
    ]);
    const fallback = parseYaml(await readFile(join(gone, 'config.yml'), 'utf8'));
    expect(fallback.inputs.dataset.columns).toEqual({ id: 'id' });
  }, 60_000);

  it('writes the LSDB job folder', async () => {
    const out = join(dir, 'job');
    const { stdout } = await run(process.execPath, [
      CLI,
      'export',
      '--target',
      'lsdb',
      projectFile,
      '--out',
      out,
    ]);
    expect(stdout.trim().split('\n')).toHaveLength(3);
    expect((await readdir(out)).sort()).toEqual(['README.md', 'requirements.txt', 'tsm_job.py']);
    const script = await readFile(join(out, 'tsm_job.py'), 'utf8');
    expect(script).toContain(`"speczLocation": "${join(TSM_EXAMPLE, 'specz.parquet')}"`);
    expect(script).toContain('"radiusArcsec": 0.8');
  });

  it('refuses a missing or unknown target with exit code 2 and names the option', async () => {
    for (const args of [[projectFile], ['--target', 'spark', projectFile]]) {
      const err = await run(process.execPath, [CLI, 'export', ...args]).catch((e) => e);
      expect(err.code).toBe(2);
      expect(err.stderr).toContain('--target must be lsdb or pzserver');
    }
  });

  it('refuses --stdout with --out (one of them was ignored) and writes nothing', async () => {
    const out = join(dir, 'both');
    const err = await run(process.execPath, [
      CLI,
      'export',
      '--target',
      'pzserver',
      projectFile,
      '--stdout',
      '--out',
      out,
    ]).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim()).toBe(
      `tsm export: give --stdout (print the files) or --out ${out} (write them there), not both`,
    );
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it("does not replace the user's files: --out naming a file, or a tsm_job.py of theirs in the folder (exit 2, named)", async () => {
    const mine = join(dir, 'mine.yml');
    await writeFile(mine, 'my notes\n');
    const args = (target: string, out: string) => [
      CLI,
      'export',
      '--target',
      target,
      projectFile,
      '--out',
      out,
    ];
    const asFile = await run(process.execPath, args('pzserver', mine)).catch((e) => e);
    expect(asFile.code).toBe(2);
    expect(asFile.stderr.trim()).toBe(
      `tsm export: ${mine} is a file, and the export writes its files (config.yml) into a folder: give a folder (one that does not exist yet is made).`,
    );
    expect(await readFile(mine, 'utf8')).toBe('my notes\n');

    const job = join(dir, 'my-job');
    await mkdir(job);
    await writeFile(join(job, 'tsm_job.py'), 'print("mine")\n');
    const refused = await run(process.execPath, args('lsdb', job)).catch((e) => e);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `tsm export: ${join(job, 'tsm_job.py')} already exists and was not written by tsm export, so the export does not replace it. Move it out of the way, or choose another folder.`,
    );
    expect(await readdir(job)).toEqual(['tsm_job.py']);
    expect(await readFile(join(job, 'tsm_job.py'), 'utf8')).toBe('print("mine")\n');
  });

  it('names the project file and field when the project is invalid', async () => {
    const bad = join(dir, 'bad.tsm.json');
    await writeFile(
      bad,
      JSON.stringify({
        version: 1,
        name: 'x',
        specz: { path: 'a.csv' },
        photometry: { location: 'c' },
        crossmatch: { radiusArcsec: -1 },
      }),
    );
    const err = await run(process.execPath, [CLI, 'export', '--target', 'lsdb', bad]).catch(
      (e) => e,
    );
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('bad.tsm.json: crossmatch.radiusArcsec: must be > 0');
  });
});

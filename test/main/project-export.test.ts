import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportProject } from '../../compute/export';
import { defaultProject, type Project } from '../../compute/pipeline/project';
import { dispatch, type TsmService } from '../../main/dispatch';
import { exportProjectFiles } from '../../main/project-export';

const project = (): Project => ({
  ...defaultProject(),
  name: 'dp1 training',
  specz: { ...defaultProject().specz, catalogId: 'sz-1', path: null },
  photometry: {
    ...defaultProject().photometry,
    location: '/surveys/dp1_hats',
    profile: 'lsst-dp1',
    fluxType: 'psf',
  },
  crossmatch: { radiusArcsec: 2.5, nNeighbors: 3, join: 'inner' },
  split: { ...defaultProject().split, trainFraction: 0.8, seed: 42 },
});

const options = { dataDir: '/data', tsmVersion: '9.9.9' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsm-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportProjectFiles', () => {
  it('writes the LSDB job: every file of compute/export, byte for byte, inside the folder', async () => {
    const folder = join(dir, 'job');
    const written = await exportProjectFiles(project(), 'lsdb', folder, options);
    const expected = exportProject(project(), 'lsdb', options);
    expect(written.folder).toBe(folder);
    expect(written.paths.map((p) => p.slice(folder.length + 1)).sort()).toEqual(
      [...expected.files.map((f) => f.name), ...expected.resources.map((r) => r.name)].sort(),
    );
    for (const f of expected.files) {
      expect(await readFile(join(folder, f.name), 'utf8')).toBe(f.content);
    }
    const job = await readFile(join(folder, 'tsm_job.py'), 'utf8');
    expect(job).toContain('/surveys/dp1_hats');
    expect(job).toContain('/data/catalogs/sz-1');
    // Atomic writes leave no temporary files behind.
    expect((await readdir(folder)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it("writes the original pipeline's config.yml with the project's values", async () => {
    const written = await exportProjectFiles(project(), 'pzserver', dir, options);
    expect(written.paths).toEqual([join(dir, 'config.yml')]);
    const config = parseYaml(await readFile(join(dir, 'config.yml'), 'utf8'));
    expect(config.inputs.dataset.path).toBe('/surveys/dp1_hats');
    expect(config.inputs.specz[0].path).toBe('/data/catalogs/sz-1');
    expect(config.param.crossmatch.radius_arcsec).toBe(2.5);
    expect(config.param.crossmatch.n_neighbors).toBe(3);
    expect(config.param.flux_type).toBe('psf');
    expect(config.param.train_fraction).toBe(0.8);
    expect(config.param.random_seed).toBe(42);
  });

  it('refuses a relative folder and a folder that is a file, writing nothing', async () => {
    await expect(exportProjectFiles(project(), 'pzserver', 'exports/x', options)).rejects.toThrow(
      /Export folder 'exports\/x' is not an absolute path/,
    );
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    await expect(exportProjectFiles(project(), 'pzserver', file, options)).rejects.toThrow(
      /is a file, not a folder/,
    );
    expect(await readdir(dir)).toEqual(['a-file']);
  });

  it('refuses an invalid project, naming the field, before writing', async () => {
    const bad = { ...project(), name: '' };
    await expect(exportProjectFiles(bad, 'lsdb', join(dir, 'out'), options)).rejects.toThrow(
      /project: name: This field is required/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('a folder with .. segments is normalised and files stay inside it', async () => {
    const written = await exportProjectFiles(
      project(),
      'pzserver',
      join(dir, 'a', '..', 'b'),
      options,
    );
    expect(written.folder).toBe(join(dir, 'b'));
    expect(written.paths).toEqual([join(dir, 'b', 'config.yml')]);
  });

  it('dispatch validates the target and the folder argument', async () => {
    const service = {
      exportProject: (p: unknown, t: 'lsdb', f: string) => exportProjectFiles(p, t, f, options),
    } as unknown as TsmService;
    const bad = await dispatch(service, 'exportProject', [project(), 'slurm', dir]);
    expect(!bad.ok && bad.error.message).toMatch(/exportProject argument 1/);
    const empty = await dispatch(service, 'exportProject', [project(), 'lsdb', '  ']);
    expect(!empty.ok && empty.error.message).toMatch(/exportProject argument 2: must be a path/);
    const ok = await dispatch(service, 'exportProject', [project(), 'pzserver', dir]);
    expect(ok.ok && (ok.value as { paths: string[] }).paths).toEqual([join(dir, 'config.yml')]);
  });
});

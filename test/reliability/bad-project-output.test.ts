/**
 * Bad project files (unknown versions), dust maps of the wrong kind, and output folders that
 * are read-only or full: exact messages, exit codes of `tsm run`, nothing written, and a
 * previous output left intact.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveyCatalogs, type GeneratedCatalog } from '../../compute/demo/surveys';
import { UserError } from '../../compute/errors';
import { createFitsWriter } from '../../compute/io/fits-writer';
import { openDustMap } from '../../compute/photometry/dust-maps';
import { loadProject, parseProject } from '../../compute/pipeline/project';
import { runTrainingSet } from '../../compute/pipeline/run';
import { tableFromArrays } from 'apache-arrow';
import { TSM_EXAMPLE } from '../fixtures';
import { canMount, fillUp, mountTmpfs, runCli, snapshot, tempDir } from './helpers';

const SPECZ = join(TSM_EXAMPLE, 'specz.parquet');
const PHOTOMETRY = join(TSM_EXAMPLE, 'dr2/mag/auto/sfd/catalog');
const { dir, cleanup } = tempDir('tsm-rel-project-');
afterAll(cleanup);
const MOUNT = canMount();

const project = (folder: string, extra: Record<string, unknown> = {}) =>
  parseProject(
    {
      version: 1,
      name: 'ts',
      specz: { path: SPECZ },
      photometry: { location: PHOTOMETRY, dereddening: { map: 'none' } },
      split: { seed: 4 },
      output: { folder },
      ...extra,
    },
    'ts.tsm.json',
  );

/** `tsm run` of the example into `out` (the CLI's exit code and output). */
const runInto = (out: string) =>
  runCli([
    'run',
    '--specz',
    SPECZ,
    '--photometry',
    PHOTOMETRY,
    '--dereddening',
    'none',
    '--out',
    out,
    '--workers',
    '0',
    '--progress',
    'none',
  ]);

describe('project files of an unknown version', () => {
  const cases: [unknown, string][] = [
    [
      99,
      'version: this project was saved by a newer Training Set Maker (version 99); this one reads versions 0 to 2: update the app',
    ],
    ['1', 'version: unknown project version (got "1"); use 1'],
    [-1, 'version: unknown project version (got -1); use 1'],
    [1.5, 'version: unknown project version (got 1.5); use 1'],
    [null, 'version: unknown project version (got null); use 1'],
  ];
  for (const [version, message] of cases) {
    it(`version ${JSON.stringify(version)}: refused by parseProject, loadProject and tsm run (exit 2), nothing written`, async () => {
      const folder = join(dir, `v-${String(version)}`);
      mkdirSync(folder);
      const file = join(folder, 'p.tsm.json');
      const doc = {
        version,
        name: 'n',
        specz: { path: SPECZ },
        photometry: { location: PHOTOMETRY },
        output: { folder: 'out' },
      };
      writeFileSync(file, JSON.stringify(doc));
      expect(() => parseProject(JSON.stringify(doc), 'p.tsm.json')).toThrow(
        new UserError(`p.tsm.json: ${message}`),
      );
      await expect(loadProject(file)).rejects.toThrow(new UserError(`${file}: ${message}`));
      const before = snapshot(folder);
      const r = await runCli(['run', file, '--workers', '0'], { cwd: folder });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`tsm run: ${file}: ${message}`);
      expect(snapshot(folder)).toEqual(before);
    });
  }

  it('a project without a version', () => {
    expect(() => parseProject('{"name":"n"}', 'p.tsm.json')).toThrow(
      new UserError('p.tsm.json: version: is required (use 1)'),
    );
  });
});

describe('a dust map of the wrong kind', () => {
  let table: string;
  let catalogs: GeneratedCatalog[];
  let speczCsv: string;
  beforeAll(async () => {
    table = join(dir, 'table.fits');
    const w = createFitsWriter(table);
    await w.write(tableFromArrays({ a: Float64Array.from([1, 2, 3]) }));
    await w.close();
    catalogs = await generateSurveyCatalogs(join(dir, 'surveys'), {
      seed: 3,
      rows: 40,
      specz: { raDeg: [10, 10.001], decDeg: [20, 20] },
    });
    speczCsv = join(dir, 'sz.csv');
    writeFileSync(speczCsv, 'ra,dec,z\n10,20,0.1\n10.001,20,0.2\n');
  }, 60_000);

  it('a FITS table that is not a map: named, refused before any output', async () => {
    const message = `${table}: 3 values in column a is not 12·NSIDE².`;
    await expect(openDustMap(table)).rejects.toThrow(new UserError(message));
    const out = join(dir, 'dust-out');
    const p = parseProject(
      {
        version: 1,
        name: 'd',
        specz: { path: speczCsv },
        photometry: { location: catalogs[0].path, dereddening: { map: table } },
        output: { folder: out },
      },
      'd.tsm.json',
    );
    await expect(runTrainingSet(p, { workers: 0 })).rejects.toThrow(new UserError(message));
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });

  it('a text file named .fits: not a FITS file', async () => {
    const p = join(dir, 'text.fits');
    writeFileSync(p, 'x'.repeat(3000));
    await expect(openDustMap(p)).rejects.toThrow(
      new UserError(`${p}: not a FITS file (no SIMPLE = T card). Check the dust-map path.`),
    );
  });

  // A file shorter than one FITS block (2880 bytes) used to yield no HDU, and openDustMap then
  // read `primary.cards` of undefined (TypeError).
  it('a tiny file named .fits: a UserError naming it', async () => {
    const p = join(dir, 'tiny.fits');
    writeFileSync(p, 'hello');
    await expect(openDustMap(p)).rejects.toThrow(
      new UserError(
        `${p}: not a FITS file (5 bytes, less than one 2880-byte FITS block). Check the dust-map path.`,
      ),
    );
  });
});

// Node's mkdir -p never returned for these (it spun at full CPU): the run hung, in the app too.
describe.runIf(process.platform === 'linux')('output folders that cannot be created', () => {
  it('below /proc: a UserError naming the folder, tsm run exits 2, at once', async () => {
    const out = '/proc/tsm-no-such/out';
    const message = `output folder ${out} cannot be created there (its parent cannot hold folders): choose another output folder (ENOENT: no such file or directory, mkdir '/proc/tsm-no-such')`;
    await expect(runTrainingSet(project(out), { workers: 0 })).rejects.toThrow(
      new UserError(message),
    );
    const r = await runInto(out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`tsm run: ${message}`);
  }, 20_000);

  it('/proc itself (a folder that takes no files): refused before the crossmatch, in words', async () => {
    const events: string[] = [];
    const err = await runTrainingSet(project('/proc'), {
      workers: 0,
      onProgress: (p) => events.push(p.stage),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `output folder /proc does not take new files (ENOENT: no such file or directory, open '/proc/.tsm-write-check-${process.pid}'): choose another output folder`,
    );
    expect(events).not.toContain('crossmatch');
  });

  it('a file further up the path: the same words as a file in the way', async () => {
    const file = join(dir, 'a-file-above');
    writeFileSync(file, 'keep me');
    await expect(runTrainingSet(project(join(file, 'sub')), { workers: 0 })).rejects.toThrow(
      new UserError(
        `output folder ${join(file, 'sub')} cannot be created: a file is in the way on its path: choose another output folder (ENOTDIR: not a directory, mkdir '${join(file, 'sub')}')`,
      ),
    );
  });

  it('a file where the folder should be: a UserError naming it', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'keep me');
    await expect(runTrainingSet(project(file), { workers: 0 })).rejects.toThrow(
      new UserError(
        `output folder ${file} cannot be created: a file is in the way on its path: choose another output folder (ENOTDIR: not a directory, mkdir '${file}')`,
      ),
    );
    expect(snapshot(dir)['a-file']).toBeDefined();
  });
});

describe.skipIf(!MOUNT)('output folders that are full or read-only (tmpfs mounts)', () => {
  // Skipped where this user may not mount a tmpfs (not root): a full disk cannot be made
  // otherwise without filling the real one, and root ignores chmod-based read-only folders.
  it('a full disk: the run fails, no partial file is left, the previous output is intact', async () => {
    const out = join(dir, 'full');
    mkdirSync(out);
    const umount = mountTmpfs(out, 'size=256k');
    try {
      const first = await runTrainingSet(project(out), { workers: 0 });
      expect(first.counts.written).toBe(40);
      const before = snapshot(out);
      fillUp(out);
      const filled = snapshot(out);
      const err = await runTrainingSet(project(out), { workers: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain('has no space left');
      const after = snapshot(out);
      expect(after).toEqual(filled);
      for (const k of Object.keys(before)) expect(after[k]).toBe(before[k]);
    } finally {
      umount();
    }
  });

  it('a read-only folder: the run fails naming the path, nothing written', async () => {
    const out = join(dir, 'ro');
    mkdirSync(out);
    const umount = mountTmpfs(out, 'ro');
    try {
      const err = await runTrainingSet(project(out), { workers: 0 }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        // found before the crossmatch, by the folder's write check
        `output folder ${out} is on a read-only file system: choose another output folder (EROFS: read-only file system, open '${join(out, `.tsm-write-check-${process.pid}`)}')`,
      );
      expect(readdirSync(out)).toEqual([]);
      const r = await runInto(out);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(out);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      umount();
    }
  });

  // File-system errors of the output folder (EROFS, EACCES, ENOSPC) are UserErrors that name
  // the folder and say what to do (tsm run exits 2).
  it('a full disk: a UserError naming the output folder', async () => {
    const out = join(dir, 'full2');
    mkdirSync(out);
    const umount = mountTmpfs(out, 'size=64k');
    try {
      fillUp(out);
      const err = await runTrainingSet(project(out), { workers: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain(out);
    } finally {
      umount();
    }
  });

  it('a read-only folder: a UserError saying what to do (tsm run exit 2)', async () => {
    const out = join(dir, 'ro2');
    mkdirSync(out);
    const umount = mountTmpfs(out, 'ro');
    try {
      const err = await runTrainingSet(project(out), { workers: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
    } finally {
      umount();
    }
  });
});

import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, UserError } from '../../compute/errors';
import { defaultProject, type Project } from '../../compute/pipeline/project';
import { createTestBackend } from '../helpers/test-backend';
import type { RunManager } from '../../main/run-manager';
import {
  createTsmService,
  type ResultsEngine,
  type ServiceParts,
  type TsmBackend,
} from '../../main/tsm-service';
import type { RunRecord } from '../../preload/api';
import { TSM_EXAMPLE } from '../fixtures';
import { canMount, mountTmpfs } from '../reliability/helpers';
import { speczMapping } from '../helpers/specz-mapping';

let dir: string;
let backend: TsmBackend;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-service-'));
  backend = createTestBackend(dir, join(dir, 'data'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('getRunResults', () => {
  it("says a finished run's output is gone, with the run and its counts, instead of failing", async () => {
    const runDir = join(dir, 'data', 'runs', 'set-1');
    mkdirSync(runDir, { recursive: true });
    const record: RunRecord = {
      id: 'set-1',
      name: 'dp1 day one',
      status: 'done',
      startedAt: '2026-11-27T09:59:04.000Z',
      finishedAt: '2026-11-27T09:59:11.000Z',
      project: defaultProject(),
      outputDir: runDir,
      // deleted by the user after the run
      outputPath: join(runDir, 'dp1_day_one.parquet'),
      counts: {
        rowsIn: 80,
        matched: 54,
        unmatched: 26,
        duplicatesResolved: 0,
        train: 39,
        test: 15,
        rowsOut: 54,
      },
    };
    writeFileSync(join(runDir, 'record.json'), JSON.stringify(record));
    // it failed with "...: cannot open the file (ENOENT: ...); check the path", and the page
    // showed that alone: no run name, counts or Re-run
    const results = await backend.service.getRunResults('set-1');
    expect(results.outputMissing).toBe(
      `${join(runDir, 'dp1_day_one.parquet')} is no longer there (deleted or moved after the run): the counts are this run's, the plots and the table need the file. Re-run to write it again.`,
    );
    expect(results).not.toHaveProperty('qa');
    expect(results.run.name).toBe('dp1 day one');
    expect(results.run.counts).toEqual(record.counts);
    // the plots, asked for apart, say the same
    await expect(backend.service.getRunQa('set-1')).rejects.toThrow(
      `${join(runDir, 'dp1_day_one.parquet')} is no longer there (deleted or moved after the run): the plots need the file. Re-run to write it again.`,
    );
  });
});

describe('a photometric catalog whose folder was moved', () => {
  it('is marked missing when listed and named as a problem of a project using it', async () => {
    const location = join(dir, 'cats', 'mini_dataset');
    cpSync(join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog'), location, {
      recursive: true,
    });
    const added = await backend.service.addPhotometric({ location, name: 'mini' });
    const p = defaultProject();
    // (no dust map: the default SFD's files are not in the dust-map folder, said on its field)
    const dereddening = { map: 'none' as const, scale: 1 };
    const project = { ...p, name: 'set', photometry: { ...p.photometry, location, dereddening } };
    expect(added.missing).toBeUndefined();
    expect(await backend.service.validateProject(project)).toEqual([
      expect.objectContaining({ path: 'specz.path' }),
    ]);

    renameSync(location, `${location}-moved`);
    // it was listed as normal, and the run failed with "...: no such folder; check the path"
    const [listed] = await backend.service.listCatalogs();
    expect(listed).toMatchObject({ id: added.id, location, missing: true });
    expect(await backend.service.getCatalog(added.id)).toMatchObject({ missing: true });
    expect(await backend.service.validateProject(project)).toContainEqual({
      path: 'photometry.location',
      message: `${location}: no such folder (moved or deleted?). A catalog's location cannot be changed: on the Catalogs page, delete the catalog and add it again from its new place`,
    });
    // checked when listed, never stored with the catalog
    const index = readFileSync(join(dir, 'data', 'catalogs', 'index.json'), 'utf8');
    expect(index).not.toContain('missing');

    renameSync(`${location}-moved`, location);
    expect((await backend.service.listCatalogs())[0].missing).toBeUndefined();
  });
});

describe('an original config.yml whose ${DATASETS_DIR} data is not there', () => {
  const saved = process.env.DATASETS_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATASETS_DIR;
    else process.env.DATASETS_DIR = saved;
  });

  /** Opens the original service's config.yml (its template's inputs) and checks it, as the wizard does. */
  async function openAndCheck(datasetsDir: string | undefined) {
    if (datasetsDir === undefined) delete process.env.DATASETS_DIR;
    else process.env.DATASETS_DIR = datasetsDir;
    const config = join(dir, 'config.yml');
    writeFileSync(
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
    const { project } = await backend.service.openProject(config);
    return backend.service.validateProject(project);
  }

  it('names DATASETS_DIR on the catalog fields when it is not set (it said to delete a catalog)', async () => {
    expect(await openAndCheck(undefined)).toEqual([
      {
        path: 'photometry.location',
        message:
          '/datasets/dr2/mag/auto/sfd/catalog: no such folder; an original config.yml names its data under ${DATASETS_DIR}, which is /datasets as DATASETS_DIR is not set: start the app with DATASETS_DIR set to the folder that holds the data (DATASETS_DIR=/path/to/datasets npm run web) and open the config.yml again',
      },
      {
        path: 'specz.path',
        message:
          '/datasets/specz.parquet: no such file or folder; an original config.yml names its data under ${DATASETS_DIR}, which is /datasets as DATASETS_DIR is not set: start the app with DATASETS_DIR set to the folder that holds the data (DATASETS_DIR=/path/to/datasets npm run web) and open the config.yml again',
      },
    ]);
  });

  it('names the value of DATASETS_DIR when it is set to a folder without the data, and nothing once it holds it', async () => {
    const partial = join(dir, 'only-dr2');
    cpSync(join(TSM_EXAMPLE, 'dr2'), join(partial, 'dr2'), { recursive: true });
    expect(await openAndCheck(partial)).toEqual([
      {
        path: 'specz.path',
        message: `${partial}/specz.parquet: no such file or folder; an original config.yml names its data under \${DATASETS_DIR}, which is DATASETS_DIR=${partial} here: start the app with DATASETS_DIR set to the folder that holds the data and open the config.yml again`,
      },
    ]);
    expect(await openAndCheck(TSM_EXAMPLE)).toEqual([]);
  });

  it("says to choose another catalog for an opened project's folder that is gone and was never added", async () => {
    const p = defaultProject();
    const location = join(dir, 'gone', 'dp1');
    const specz = join(dir, 'gone', 'specz.parquet');
    const project = {
      ...p,
      name: 'set',
      specz: { ...p.specz, path: specz },
      photometry: { ...p.photometry, location, dereddening: { map: 'none' as const, scale: 1 } },
    };
    expect(await backend.service.validateProject(project)).toEqual([
      {
        path: 'photometry.location',
        message: `${location}: no such folder (moved or deleted?); choose a photometric catalog in step 2 (add it on the Catalogs page from where it is now)`,
      },
      {
        path: 'specz.path',
        message: `${specz}: no such file or folder; choose a registered redshift catalog in step 2 (register the file on the Catalogs page from where it is now)`,
      },
    ]);
  });
});

describe('the default dust map (SFD) without its files', () => {
  it('is kept and named on the dereddening field with what to do (the wizard chose None without a word), and nothing once the files are there', async () => {
    const catalog = await backend.service.registerSpecz({
      path: join(TSM_EXAMPLE, 'specz.parquet'),
      mapping: speczMapping(),
      name: 'example',
    });
    const p = defaultProject();
    const project = {
      ...p,
      name: 'set',
      specz: { ...p.specz, catalogId: catalog.id },
      photometry: {
        ...p.photometry,
        location: join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog'),
      },
      output: { ...p.output, folder: join(dir, 'out') },
    };
    expect(project.photometry.dereddening.map).toBe('sfd');
    const folder = join(dir, 'data', 'dustmaps');
    expect(await backend.service.validateProject(project)).toEqual([
      {
        path: 'photometry.dereddening.map',
        message: `the SFD map needs SFD_dust_4096_ngp.fits and SFD_dust_4096_sgp.fits in the dust-map folder ${folder} (or its sfd/ sub-folder): download them from Harvard Dataverse doi:10.7910/DVN/EWCNL5 (https://doi.org/10.7910/DVN/EWCNL5) and put them there, or set the dust-map folder in Settings to where they are; or choose the embedded low-resolution SFD map (demos only) or None here`,
      },
    ]);
    // one of the two there: the other named
    mkdirSync(join(folder, 'sfd'), { recursive: true });
    writeFileSync(join(folder, 'sfd', 'SFD_dust_4096_ngp.fits'), '');
    expect((await backend.service.validateProject(project))[0].message).toMatch(
      /^the SFD map needs SFD_dust_4096_sgp.fits in the dust-map folder .*: download it from/,
    );
    writeFileSync(join(folder, 'SFD_dust_4096_sgp.fits'), '');
    expect(await backend.service.validateProject(project)).toEqual([]);
    // another folder set in Settings: read there
    const other = join(dir, 'maps');
    mkdirSync(other);
    await backend.service.updateSettings({ dustMapDir: other });
    expect((await backend.service.validateProject(project))[0].message).toContain(
      `in the dust-map folder ${other} (or its sfd/ sub-folder)`,
    );
    // the embedded map and None need no file
    for (const map of ['sfd-lowres', 'none'] as const) {
      const photometry = { ...project.photometry, dereddening: { map, scale: 1 } };
      expect(await backend.service.validateProject({ ...project, photometry })).toEqual([]);
    }
  });
});

describe('a spec-z catalog whose stored copy was moved', () => {
  it('is marked missing when listed, named on the field of a project using it, and its run refused before it starts', async () => {
    const catalog = await backend.service.registerSpecz({
      path: join(TSM_EXAMPLE, 'specz.parquet'),
      mapping: speczMapping(),
      name: 'example',
    });
    const location = join(TSM_EXAMPLE, 'dr2', 'mag', 'auto', 'sfd', 'catalog');
    const p = defaultProject();
    const project = {
      ...p,
      name: 'set',
      specz: { ...p.specz, catalogId: catalog.id },
      photometry: { ...p.photometry, location },
      output: { ...p.output, folder: join(dir, 'out') },
    };
    // (the default SFD map's files are not in the dust-map folder: said on its field)
    expect(await backend.service.validateProject(project)).toEqual([
      expect.objectContaining({ path: 'photometry.dereddening.map' }),
    ]);
    project.photometry = { ...project.photometry, dereddening: { map: 'none', scale: 1 } };
    expect(await backend.service.validateProject(project)).toEqual([]);
    const copy = join(dir, 'data', 'catalogs', catalog.id);
    renameSync(copy, `${copy}-moved`);
    // it was listed as normal, nothing was said before Run, and the run failed once it had
    // opened the photometric catalog
    expect((await backend.service.listCatalogs())[0]).toMatchObject({
      id: 'example',
      missing: true,
    });
    expect(await backend.service.getCatalog('example')).toMatchObject({ missing: true });
    const message = `${copy}: the stored copy of the redshift catalog 'example' is no longer there (moved or deleted?). A catalog's stored copy cannot be changed: on the Catalogs page, delete the catalog and register its file (${join(TSM_EXAMPLE, 'specz.parquet')}) again`;
    expect(await backend.service.validateProject(project)).toEqual([
      { path: 'specz.catalogId', message },
    ]);
    await expect(backend.service.startRun(project)).rejects.toThrow(`specz.catalogId: ${message}`);
    expect(await backend.service.listRuns()).toEqual([]);

    renameSync(`${copy}-moved`, copy);
    expect((await backend.service.listCatalogs())[0].missing).toBeUndefined();
  });
});

describe('startRun', () => {
  it('refuses an incomplete project from the HTTP API naming its fields, before it is used', async () => {
    // api-schemas lets any versioned object through: it failed with "Cannot read properties of
    // undefined (reading 'catalogId')" from the catalog check
    const incomplete = { version: 1, name: 'half' } as unknown as Project;
    const err = (await backend.service.startRun(incomplete).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^specz: /m);
    expect(err.message).toMatch(/^photometry: /m);
    expect(await backend.service.listRuns()).toEqual([]);
    // validateProject answered with the same TypeError; now with the fields' issues
    const issues = await backend.service.validateProject(incomplete);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['specz', 'photometry']));
    const typed = { ...defaultProject(), photometry: { location: 7 } } as unknown as Project;
    expect((await backend.service.validateProject(typed)).map((i) => i.path)).toContain(
      'photometry.location',
    );
  });
});

describe('getRunQa with a request id', () => {
  it('is stopped by cancelRunQa, sent before or after it', async () => {
    const output = join(dir, 'out.csv');
    writeFileSync(output, 'z\n0.5\n');
    const run: RunRecord = {
      id: 'set-1',
      name: 'set',
      status: 'done',
      startedAt: '2026-11-27T09:59:04.000Z',
      project: defaultProject(),
      outputDir: dir,
      outputPath: output,
    };
    const signals: AbortSignal[] = [];
    const results: ResultsEngine = {
      // the plots of a large output: answered only when stopped
      qa: (_run, _onProgress, signal) => {
        signals.push(signal!);
        return new Promise((_, reject) => {
          const stop = () => reject(new CancelledError('stopped'));
          if (signal!.aborted) stop();
          signal!.addEventListener('abort', stop);
        });
      },
      page: async () => ({ columns: [], rows: [], offset: 0, total: 0 }),
    };
    const service = createTsmService({
      runs: { get: async () => run } as unknown as RunManager,
      results,
    } as unknown as ServiceParts);
    const asked = service.getRunQa('set-1', 'qa-1');
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect(signals[0].aborted).toBe(false);
    await service.cancelRunQa('qa-1');
    await expect(asked).rejects.toBeInstanceOf(CancelledError);
    expect(signals[0].aborted).toBe(true);
    // two HTTP calls can cross: the cancel first, then the call it stops
    await service.cancelRunQa('qa-2');
    await expect(service.getRunQa('set-1', 'qa-2')).rejects.toBeInstanceOf(CancelledError);
    expect(signals[1].aborted).toBe(true);
    // an id once cancelled is not cancelled again; a call without an id is not stopped by others
    const third = service.getRunQa('set-1', 'qa-2');
    await vi.waitFor(() => expect(signals).toHaveLength(3));
    const fourth = service.getRunQa('set-1');
    await vi.waitFor(() => expect(signals).toHaveLength(4));
    expect(signals[2].aborted).toBe(false);
    await expect(service.getRunQa('set-1', 'qa-2')).rejects.toThrow(
      "The request 'qa-2' is already in progress.",
    );
    await service.cancelRunQa('qa-2');
    await expect(third).rejects.toBeInstanceOf(CancelledError);
    expect(signals[3].aborted).toBe(false);
    void fourth.catch(() => undefined);
  });
});

describe.skipIf(!canMount())('uploadFile on a full disk (tmpfs)', () => {
  it('names the data folder and says what to do; no half-written copy left', async () => {
    // it said "ENOSPC: no space left on device, write" and left the first 60 KB in uploads/
    const data = join(dir, 'data');
    mkdirSync(data);
    const umount = mountTmpfs(data, 'size=64k');
    try {
      const uploads = join(data, 'uploads');
      const err = await backend.service
        .uploadFile('specz.csv', new Uint8Array(200_000).fill(49))
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        `data folder ${data} has no space left on its disk: free some space or choose another data folder (ENOSPC: no space left on device, write)`,
      );
      expect(readdirSync(uploads)).toEqual([]);
    } finally {
      umount();
    }
  });
});

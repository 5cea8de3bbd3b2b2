import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProject } from '../../compute/pipeline/project';
import { createBackend } from '../../main/backend';
import { createEngine } from '../../main/engine';
import type { TsmBackend } from '../../main/tsm-service';
import type { RunRecord } from '../../preload/api';
import { TSM_EXAMPLE } from '../fixtures';

let dir: string;
let backend: TsmBackend;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsm-service-'));
  backend = createBackend({
    configDir: dir,
    defaults: { dataDir: join(dir, 'data'), dustMapDir: '', workers: 1, cacheSizeMb: 0 },
    host: {
      info: { name: 'TSM', version: '9', transport: 'web' },
      pickPath: async () => null,
      openFolder: async () => {},
    },
    engine: createEngine(() => backend.settings.get()),
  });
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
    expect(results.qa).toBeNull();
    expect(results.run.name).toBe('dp1 day one');
    expect(results.run.counts).toEqual(record.counts);
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
    const project = { ...p, name: 'set', photometry: { ...p.photometry, location } };
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
